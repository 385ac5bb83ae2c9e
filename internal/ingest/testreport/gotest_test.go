package testreport

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

func TestGoTestJSONFixture(t *testing.T) {
	const p = "testdata/formats/gotest-json/report.jsonl"
	head := headOf(t, p)
	if !(GoTestJSON{}).Detect(repo, p, head) {
		t.Errorf("Detect = false")
	}
	if (JUnit{}).Detect(repo, p, head) {
		t.Errorf("junit Detect = true")
	}
	items, err := GoTestJSON{}.Read(repo, p)
	if err != nil {
		t.Fatal(err)
	}
	const (
		broken = "example.com/infusion/broken"
		crash  = "example.com/infusion/crash"
		dose   = "example.com/infusion/dose"
		panics = "example.com/infusion/panics"
		slow   = "example.com/infusion/slow"
	)
	want := []string{
		// The package that does not build is an error case of its own,
		// named for the package.
		"6:0|" + broken + "||" + broken + "|error|",
		"8:0|" + crash + "|" + crash + "|TestBeforeCrash|passed|",
		// os.Exit inside the test: run, but never a result.
		"12:0|" + crash + "|" + crash + "|TestExits|error|",
		"18:0|" + dose + "|" + dose + "|TestBolusLimit|passed|",
		"22:0|" + dose + "|" + dose + "|TestRateCheck|failed|",
		"28:0|" + dose + "|" + dose + "|TestPumpHardware|skipped|",
		"33:0|" + dose + "|" + dose + "|TestBolusTable|failed|",
		"35:0|" + dose + "|" + dose + "|TestBolusTable/under_limit|passed|",
		"39:0|" + dose + "|" + dose + "|TestBolusTable/over_limit|failed|",
		"44:0|" + dose + "|" + dose + "|TestBolusTable/zero|passed|",
		"50:0|" + dose + "|" + dose + "|TestOutput|passed|",
		"62:0|" + panics + "|" + panics + "|TestNilLibrary|failed|",
		// -timeout: both the test and its subtest were running.
		"84:0|" + slow + "|" + slow + "|TestOcclusionAlarm|error|",
		"86:0|" + slow + "|" + slow + "|TestOcclusionAlarm/within_2_s|error|",
	}
	msgs := map[string]string{
		broken:                          "build failed: # example.com/infusion/broken [example.com/infusion/broken.test]\nbroken/broken_test.go:6:17: cannot use Rate() (value of type int) as string value in variable declaration\nFAIL\texample.com/infusion/broken [build failed]",
		"TestExits":                     "never finished: the test started but reported no result (the test binary crashed, exited or timed out)\ncrash_test.go:11: about to exit",
		"TestRateCheck":                 "dose_test.go:16: checking rate for 12 mL/h\n    dose_test.go:20: rate 12 mL/h rejected, want accepted",
		"TestPumpHardware":              "dose_test.go:24: needs pump hardware",
		"TestBolusTable":                "failed (no output)",
		"TestBolusTable/over_limit":     "dose_test.go:39: Accept(10.5) = false, want true",
		"TestOcclusionAlarm":            "never finished: the test started but reported no result (the test binary crashed, exited or timed out)\npanic: test timed out after 4s",
		"TestOcclusionAlarm/within_2_s": "never finished: the test started but reported no result (the test binary crashed, exited or timed out)\npanic: test timed out after 4s\n\trunning tests:",
	}
	var got []string
	for _, c := range items.Tests {
		got = append(got, row(c))
		if c.Format != "gotest-json" {
			t.Errorf("%s: format %q", c.Name, c.Format)
		}
		if m, ok := msgs[c.Name]; ok && !strings.HasPrefix(c.Message, m) {
			t.Errorf("%s: message\n%q\nwant prefix\n%q", c.Name, c.Message, m)
		}
		if c.Name == "TestNilLibrary" && !strings.HasPrefix(c.Message, "panic: assignment to entry in nil map") {
			t.Errorf("panic message = %q", c.Message)
		}
		if c.Outcome == model.Passed && c.Message != "" {
			t.Errorf("%s passed with message %q", c.Name, c.Message)
		}
	}
	diffLines(t, got, want)
	checkWarnings(t, items.Warnings, nil)
}

// readGo reads src as t.jsonl.
func readGo(src string) (*ingest.Items, error) {
	return GoTestJSON{}.Read(fstest.MapFS{"t.jsonl": {Data: []byte(src)}}, "t.jsonl")
}

// ev builds one event line.
func ev(action, pkg, test, output string) string {
	s := fmt.Sprintf(`{"Time":"2026-11-21T06:00:00Z","Action":%q,"Package":%q`, action, pkg)
	if test != "" {
		s += fmt.Sprintf(`,"Test":%q`, test)
	}
	if output != "" {
		s += fmt.Sprintf(`,"Output":%q`, output)
	}
	return s + "}\n"
}

func TestGoTestJSONStreams(t *testing.T) {
	cases := []struct {
		name  string
		src   string
		want  []string // line|name|outcome
		msgs  []string // message prefixes, one per case ("" for none)
		warns []string
	}{
		{
			name: "pass, fail, skip, bench",
			src: ev("run", "p", "TestA", "") + ev("output", "p", "TestA", "=== RUN   TestA\n") + ev("pass", "p", "TestA", "") +
				ev("run", "p", "TestB", "") + ev("output", "p", "TestB", "    b_test.go:3: boom\n") + ev("output", "p", "TestB", "--- FAIL: TestB (0.00s)\n") + ev("fail", "p", "TestB", "") +
				ev("run", "p", "TestC", "") + ev("output", "p", "TestC", "    c_test.go:9: later\n") + ev("skip", "p", "TestC", "") +
				ev("run", "p", "BenchmarkD", "") + ev("bench", "p", "BenchmarkD", "") + ev("fail", "p", "", ""),
			want: []string{"1|TestA|passed", "4|TestB|failed", "8|TestC|skipped", "11|BenchmarkD|passed"},
			msgs: []string{"", "b_test.go:3: boom", "c_test.go:9: later", ""},
		},
		{
			// Go before 1.24: the compiler's output comes raw (2>&1), the
			// package says [build failed] in an output event.
			name: "old build failure with raw lines",
			src: "# example.com/p [example.com/p.test]\n./p_test.go:5:2: undefined: x\n" +
				ev("output", "example.com/p", "", "FAIL\texample.com/p [build failed]\n") + ev("fail", "example.com/p", "", ""),
			want:  []string{"4|example.com/p|error"},
			msgs:  []string{"build failed: FAIL\texample.com/p [build failed]"},
			warns: []string{"t.jsonl:1: not a go test -json event, skipped: \"# example.com/p [example.com/p.test]\"", "t.jsonl:2: not a go test -json event"},
		},
		{
			// Go ≥ 1.24 with the stream cut after the build failure.
			name: "build failure no package claims",
			src: `{"ImportPath":"example.com/b [example.com/b.test]","Action":"build-output","Output":"b_test.go:3:1: syntax error\n"}` + "\n" +
				`{"ImportPath":"example.com/b [example.com/b.test]","Action":"build-fail"}` + "\n",
			want: []string{"2|example.com/b|error"},
			msgs: []string{"build failed: b_test.go:3:1: syntax error"},
		},
		{
			name: "setup failed",
			src:  ev("start", "example.com/q", "", "") + ev("output", "example.com/q", "", "# example.com/q\nsetup failed: no Go files\n") + ev("output", "example.com/q", "", "FAIL\texample.com/q [setup failed]\n") + ev("fail", "example.com/q", "", ""),
			want: []string{"4|example.com/q|error"},
			msgs: []string{"setup failed: # example.com/q\nsetup failed: no Go files\nFAIL\texample.com/q [setup failed]"},
		},
		{
			name: "package fails before any test (panic in init)",
			src:  ev("start", "p", "", "") + ev("output", "p", "", "panic: init failed\n") + ev("fail", "p", "", ""),
			want: []string{"3|p|error"},
			msgs: []string{"package failed before any test ran: panic: init failed"},
		},
		{
			name: "package fails although every test passed (TestMain exit code)",
			src:  ev("run", "p", "TestA", "") + ev("pass", "p", "TestA", "") + ev("output", "p", "", "FAIL\tp\t0.01s\n") + ev("fail", "p", "", ""),
			want: []string{"1|TestA|passed", "4|p|error"},
			msgs: []string{"", "package failed although none of its tests failed: FAIL\tp\t0.01s"},
		},
		{
			name:  "package passes with no tests",
			src:   ev("start", "p", "", "") + ev("output", "p", "", "ok  \tp\t0.01s [no tests to run]\n") + ev("pass", "p", "", ""),
			warns: []string{},
		},
		{
			name: "stream cut before the package result",
			src:  ev("run", "p", "TestA", "") + ev("pass", "p", "TestA", "") + ev("run", "q", "TestB", "") + ev("start", "r", "", ""),
			want: []string{"1|TestA|passed", "3|TestB|error", "4|r|error"},
			msgs: []string{"", "never finished", "package never finished"},
			warns: []string{
				"t.jsonl:1: package p has no final result: the report may be truncated",
				"t.jsonl:3: package q has no final result",
			},
		},
		{
			name:  "-count=2: failed once, passed last",
			src:   ev("run", "p", "TestA", "") + ev("fail", "p", "TestA", "") + ev("run", "p", "TestA", "") + ev("pass", "p", "TestA", "") + ev("fail", "p", "", ""),
			want:  []string{"1|TestA|passed"},
			msgs:  []string{"passed on a later run after failing an earlier one"},
			warns: []string{"t.jsonl:1: test p.TestA failed in an earlier run and passed in the last; counted as passed"},
		},
		{
			name: "pause and cont do not finish a test",
			src:  ev("run", "p", "TestA", "") + ev("pause", "p", "TestA", "") + ev("cont", "p", "TestA", "") + ev("fail", "p", "", ""),
			want: []string{"1|TestA|error"},
			msgs: []string{"never finished"},
		},
		{
			name:  "events without a package, JSON without Action, CRLF",
			src:   "{\"Action\":\"output\",\"Output\":\"x\"}\r\n{\"Time\":\"t\"}\r\n" + strings.ReplaceAll(ev("run", "p", "TestA", "")+ev("pass", "p", "TestA", "")+ev("pass", "p", "", ""), "\n", "\r\n"),
			want:  []string{"3|TestA|passed"},
			warns: []string{`t.jsonl:1: go test -json event "output" without a package, skipped`, `t.jsonl:2: not a go test -json event (a JSON object without an Action), skipped: "{\"Time\":\"t\"}"`},
		},
		{
			name: "a line of several megabytes",
			src:  ev("run", "p", "TestA", "") + ev("output", "p", "TestA", strings.Repeat("y", 5<<20)+"\n") + ev("fail", "p", "TestA", "") + ev("fail", "p", "", ""),
			want: []string{"1|TestA|failed"},
			msgs: []string{"yyyy"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items, err := readGo(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i, c := range items.Tests {
				got = append(got, fmt.Sprintf("%d|%s|%s", c.Source.Line, c.Name, c.Outcome))
				if i < len(tc.msgs) && !strings.HasPrefix(c.Message, tc.msgs[i]) {
					t.Errorf("%s: message %q, want prefix %q", c.Name, c.Message, tc.msgs[i])
				}
				if i < len(tc.msgs) && tc.msgs[i] == "" && c.Message != "" {
					t.Errorf("%s: message %q, want none", c.Name, c.Message)
				}
				if len(c.Message) > input.MaxMessage+len(truncMark)+64 {
					t.Errorf("%s: message of %d bytes", c.Name, len(c.Message))
				}
			}
			diffLines(t, got, tc.want)
			checkWarnings(t, items.Warnings, tc.warns)
		})
	}
}

func TestGoTestJSONRawLineWarningsAreCapped(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 25; i++ {
		b.WriteString("some build output\n")
	}
	b.WriteString(ev("run", "p", "TestA", "") + ev("pass", "p", "TestA", "") + ev("pass", "p", "", ""))
	items, err := readGo(b.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(items.Warnings) != maxRawWarnings+1 {
		t.Fatalf("%d warnings", len(items.Warnings))
	}
	last := items.Warnings[maxRawWarnings].String()
	if last != "t.jsonl:21: 5 more lines are not go test -json events (raw output of go test or the build)" {
		t.Errorf("last warning = %q", last)
	}
}

func TestGoTestJSONErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"empty", "", "t.jsonl: no go test -json event in the file (run go test with -json, or set the format of this file in the policy)"},
		{"plain go test output", "=== RUN   TestA\n--- PASS: TestA (0.00s)\nPASS\nok  \tp\t0.01s\n", "t.jsonl: no go test -json event in the file"},
		{"JSON of another kind", `{"name":"x","version":"1"}` + "\n[1,2]\n", "t.jsonl: no go test -json event in the file"},
		{"broken JSON", `{"Action":"run","Package":"p"` + "\n", "t.jsonl: no go test -json event in the file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readGo(tc.src)
			if err == nil {
				t.Fatal("no error")
			}
			if _, ok := input.AsError(err); !ok {
				t.Errorf("error is %T", err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error:\n got  %s\n want %s", err, tc.want)
			}
		})
	}
}

func TestGoTestJSONDetect(t *testing.T) {
	line := ev("run", "p", "TestA", "")
	cases := []struct {
		path, head string
		want       bool
	}{
		{"r.jsonl", line, true},
		{"r.json", "\n\n" + line, true},
		{"go-test.log", "go: downloading example.com/x v1.0.0\n" + line, true},
		{"R.TXT", `{"ImportPath":"p [p.test]","Action":"build-output","Output":"# p\n"}`, true},
		// Cut at the end of the head: the Action key is still found.
		{"r.jsonl", `{"Time":"2026-11-21T06:00:00Z","Action":"output","Package":"p","Output":"yyyyyyyy`, true},
		{"r.jsonl", `{"Time":"2026-11-21T06:00:00Z","Output":"yyyyyy`, false},
		{"r.json", `{"action":"opened"}`, false}, // a GitHub event payload
		{"r.json", `{"Nested":{"Action":"run"}}`, false},
		{"r.json", `[{"Action":"run"}]`, false},
		{"r.json", `{"bomFormat":"CycloneDX"}`, false},
		{"r.xml", line, false},
		{"r", line, false},
		{"r.jsonl", "", false},
	}
	for _, tc := range cases {
		if got := (GoTestJSON{}).Detect(nil, tc.path, []byte(tc.head)); got != tc.want {
			t.Errorf("Detect(%s, %q) = %v, want %v", tc.path, tc.head, got, tc.want)
		}
	}
}

// TestGoTestJSONSaysWhyNoEvent: a file of JSON lines none of which is an
// event says what is wrong with them, not only that there is no event.
func TestGoTestJSONSaysWhyNoEvent(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"nested too deeply", strings.Repeat(`{"a":`, 20_000) + "1" + strings.Repeat("}", 20_000) + "\n",
			"t.jsonl: no go test -json event in the file: line 1 is JSON nested more than 10000 levels deep"},
		{"not JSON", "{\"Action\": pass}\n", "t.jsonl: no go test -json event in the file: line 1 is not JSON (invalid character 'p' looking for beginning of value)"},
		{"JSON without an Action", `{"Time":"2026-01-01T00:00:00Z","Package":"p"}` + "\n", "t.jsonl: no go test -json event in the file: line 1 is a JSON object without an Action"},
		{"an event line too long to be one", `{"Action":"output","Package":"p","Output":"` + strings.Repeat("x", input.MaxLine) + `"}` + "\n",
			"t.jsonl:1: line 1 is longer than 16.0 MiB, which no go test -json event is"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := GoTestJSON{}.Read(fstest.MapFS{"t.jsonl": {Data: []byte(c.src)}}, "t.jsonl")
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("err = %v\nwant prefix %s", err, c.want)
			}
		})
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tracegate runs the CLI in-process, as a user would from a shell.
func tracegate(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

const sample = "../../testdata/sample-device"

type matrix struct {
	Requirements []struct {
		ID, Status string
		Active     bool
		Tests      []struct{ Name, Result string }
	}
	Tests    struct{ Total, Passed, Failed, Skipped int }
	Coverage struct {
		Active, Verified, Failed, Unverified int `json:",omitempty"`
	} `json:"-"`
}

func TestValidateSample(t *testing.T) {
	code, out, errs := tracegate(t, "validate", "--dir", sample)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "tracegate validate: PASS") || !strings.Contains(out, "Policy: .github/tracegate.yml") {
		t.Errorf("output:\n%s", out)
	}
	code, out, _ = tracegate(t, "validate", "--dir", sample, "--format", "json")
	var res struct {
		Verdict  string
		Findings []any
		Rules    []struct{ Rule, Status string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	conforms(t, out)
	if res.Verdict != "pass" || len(res.Findings) != 0 || len(res.Rules) < 20 {
		t.Errorf("result = %+v", res)
	}
}

// The sample's deliberate gaps (testdata/sample-device/README.md) show in
// the matrix exactly: SRS-008 fails through its one failing unit test,
// SRS-046 has no test, SRS-048 is a draft, everything else active is
// verified.
func TestTraceSample(t *testing.T) {
	code, out, errs := tracegate(t, "trace", "--dir", sample, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var m matrix
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, r := range m.Requirements {
		status[r.ID] = r.Status
		if r.Active && r.ID != "SRS-008" && r.ID != "SRS-046" && r.Status != "verified" {
			t.Errorf("%s is %s, want verified", r.ID, r.Status)
		}
		if r.ID == "SRS-008" {
			if len(r.Tests) != 1 || r.Tests[0].Result != "failed" || !strings.Contains(r.Tests[0].Name, "TestProgrammedRateRoundsHalfUp") {
				t.Errorf("SRS-008 tests = %+v", r.Tests)
			}
		}
	}
	if status["SRS-008"] != "failed" || status["SRS-046"] != "unverified" || status["SRS-048"] != "unverified" {
		t.Errorf("gaps: SRS-008 %s, SRS-046 %s, SRS-048 %s", status["SRS-008"], status["SRS-046"], status["SRS-048"])
	}
	if len(m.Requirements) != 47 {
		t.Errorf("%d requirements, want 47", len(m.Requirements))
	}
	if m.Tests.Failed != 1 || m.Tests.Skipped != 2 || m.Tests.Total != m.Tests.Passed+m.Tests.Failed+m.Tests.Skipped {
		t.Errorf("tests = %+v", m.Tests)
	}
	for _, format := range []string{"text", "csv", "markdown"} {
		code, out, _ := tracegate(t, "trace", "--dir", sample, "--format", format)
		if code != 0 || !strings.Contains(out, "SRS-046") {
			t.Errorf("trace --format %s: exit %d\n%s", format, code, out)
		}
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name   string
		files  map[string]string
		args   []string
		code   int
		stderr string
		stdout string
	}{
		{"unknown command", nil, []string{"frobnicate"}, 2, "unknown command", ""},
		{"bad format", nil, []string{"trace", "--format", "xml"}, 2, `--format "xml"`, ""},
		{"bad fail-on", nil, []string{"validate", "--fail-on", "sometimes"}, 2, "--fail-on", ""},
		{"policy typo", map[string]string{".github/tracegate.yml": "version: 1\nsafty_class: C\n"},
			[]string{"validate"}, 2, `.github/tracegate.yml:2:1: unknown key "safty_class"`, ""},
		{"explicit policy missing", nil, []string{"validate", "--config", "nope.yml"}, 2, "nope.yml", ""},
		{"no policy: defaults, and no requirements is a finding", map[string]string{"README.md": "x"},
			[]string{"validate"}, 1, "", "software safety class B)\n"}, // the class of the built-in defaults
		{"broken requirement file is an evaluation error", map[string]string{
			".github/tracegate.yml":   "version: 1\nsafety_class: A\n",
			"docs/requirements/x.yml": "requirements:\n  - id: SRS-1\n    title: [unclosed\n",
		}, []string{"validate"}, 3, "not a pass (exit 3)", "EVALUATION ERROR  docs/requirements/x.yml:3:12: invalid YAML"},
		{"unknown key in a requirement", map[string]string{
			".github/tracegate.yml":   "version: 1\nsafety_class: A\n",
			"docs/requirements/x.yml": "requirements:\n  - id: SRS-1\n    title: t\n    risk_contols: [RC-1]\n",
		}, []string{"trace"}, 3, `docs/requirements/x.yml:4:5: unknown key "risk_contols"`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			os.RemoveAll(dir)
			for rel, c := range tc.files {
				write(rel, c)
			}
			os.MkdirAll(dir, 0o755)
			args := append(tc.args, "--dir", dir)
			if len(tc.args) > 2 && tc.args[1] == "--config" {
				args = append(args[:0:0], tc.args...)
				args = append(args, "--dir", dir)
			}
			code, out, errs := tracegate(t, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errs)
			}
			if !strings.Contains(errs, tc.stderr) || !strings.Contains(out, tc.stdout) {
				t.Errorf("stdout:\n%s\nstderr:\n%s\nwant stderr %q, stdout %q", out, errs, tc.stderr, tc.stdout)
			}
		})
	}
}

// findingsByRule runs validate with --format json and counts findings per rule.
func findingsByRule(t *testing.T, args ...string) (int, map[string]int) {
	t.Helper()
	code, out, errs := tracegate(t, append([]string{"validate", "--format", "json"}, args...)...)
	var res struct {
		Verdict  string
		Findings []struct{ Rule, Subject string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("exit %d, %v\n%s\n%s", code, err, out, errs)
	}
	conforms(t, out)
	n := map[string]int{}
	for _, f := range res.Findings {
		n[f.Rule]++
	}
	return code, n
}

// A Doorstop tree and an rdm data folder, written the way those tools write
// them, are read and judged: the findings are the fixtures' real gaps (the
// Doorstop items link risk controls the tree does not hold; rdm's template
// risk has no id and no residual estimate).
func TestImportedProjects(t *testing.T) {
	cases := []struct {
		name, dir, policy string
		want              map[string]int
		requirements      int
		status            map[string]string
	}{
		{"doorstop", "../../testdata/formats/doorstop", "../../testdata/policies/doorstop.yml",
			map[string]int{"TG103": 5, "TG109": 2, "TG119": 1}, 11,
			map[string]string{"SRS-002": "unverified", "URS-001": "unverified"}},
		{"rdm", "../../testdata/formats/rdm", "../../testdata/policies/rdm.yml",
			map[string]int{"TG102": 1, "TG103": 6, "TG110": 1, "TG111": 1}, 5,
			map[string]string{"SRS-010": "unverified"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, got := findingsByRule(t, "--dir", tc.dir, "--config", tc.policy)
			if code != 1 {
				t.Errorf("validate exit %d, want 1", code)
			}
			if len(got) != len(tc.want) {
				t.Errorf("findings by rule = %v, want %v", got, tc.want)
			}
			for rule, n := range tc.want {
				if got[rule] != n {
					t.Errorf("%s: %d findings, want %d (all: %v)", rule, got[rule], n, got)
				}
			}
			code, out, errs := tracegate(t, "trace", "--format", "json", "--dir", tc.dir, "--config", tc.policy)
			if code != 0 {
				t.Fatalf("trace exit %d: %s", code, errs)
			}
			var m matrix
			if err := json.Unmarshal([]byte(out), &m); err != nil {
				t.Fatal(err)
			}
			if len(m.Requirements) != tc.requirements {
				t.Errorf("%d requirements, want %d", len(m.Requirements), tc.requirements)
			}
			seen := map[string]string{}
			for _, r := range m.Requirements {
				seen[r.ID] = r.Status
			}
			for id, st := range tc.status {
				if seen[id] != st {
					t.Errorf("%s: %q, want %q", id, seen[id], st)
				}
			}
			if _, ok := seen["SRS-007"]; ok && tc.name == "doorstop" {
				t.Error("inactive Doorstop item SRS-007 was read")
			}
		})
	}
}

// The engine's log is off by default; asked for, it goes to standard error
// (as JSON with --log-format json), says what was read from where, and
// leaves the report on standard output as it was.
func TestLogIsQuietUnlessAsked(t *testing.T) {
	code, quiet, errs := tracegate(t, "validate", "--dir", sample, "--format", "json")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	code, out, log := tracegate(t, "validate", "--dir", sample, "--format", "json", "--log-level", "debug", "--log-format", "json")
	if code != 0 || out != quiet {
		t.Fatalf("exit %d; the report changed with the log on", code)
	}
	files := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		var rec struct{ Level, Msg, File, From string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("a log line is not JSON: %q", line)
		}
		if rec.Msg == "read" && rec.From == "the work tree" {
			files[rec.File] = true
		}
	}
	if !files["docs/requirements/dose-engine.yml"] {
		t.Errorf("the log does not name the files read: %v\n%s", files, log)
	}
	code, _, log = tracegate(t, "trace", "--dir", sample, "-v")
	if code != 0 || !strings.Contains(log, "level=INFO") || strings.Contains(log, "level=DEBUG") {
		t.Errorf("-v: exit %d, want an info log in text:\n%s", code, log)
	}
	if code, _, errs := tracegate(t, "validate", "--dir", sample, "--log-level", "loud"); code != 2 || !strings.Contains(errs, "--log-level") {
		t.Errorf("--log-level loud: exit %d\n%s", code, errs)
	}
}

// trace takes --tests as the gates do: a report beside the policy's is read
// into the matrix. An evaluation that cannot complete exits 3 and, in JSON,
// writes a document whose errors say why instead of nothing.
func TestTraceTestsAndErrorDocument(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".github/tracegate.yml", "version: 1\nsafety_class: A\ntests: []\n")
	write("docs/requirements/r.yml", "requirements:\n  - id: SRS-1\n    title: t\n    text: The pump shall stop.\n")
	write("extra/unit.xml", `<testsuite name="s" tests="1"><testcase classname="x" name="test_SRS-1_stops"/></testsuite>`)

	status := func(args ...string) string {
		t.Helper()
		code, out, errs := tracegate(t, append([]string{"trace", "--format", "json", "--dir", dir}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var m matrix
		if err := json.Unmarshal([]byte(out), &m); err != nil || len(m.Requirements) != 1 {
			t.Fatalf("%v: %s", err, out)
		}
		return m.Requirements[0].Status
	}
	if got := status(); got != "unverified" {
		t.Errorf("without --tests: %s, want unverified", got)
	}
	if got := status("--tests", "extra/*.xml"); got != "verified" {
		t.Errorf("with --tests: %s, want verified", got)
	}

	write("docs/requirements/r.yml", "requirements:\n  - id: SRS-1\n    title: [unclosed\n")
	code, out, errs := tracegate(t, "trace", "--format", "json", "--dir", dir)
	if code != 3 || !strings.Contains(errs, "not a pass (exit 3)") {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	var doc struct {
		Schema       string
		Requirements []any
		Errors       []string
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if doc.Schema != "tracegate.trace/v1" || len(doc.Requirements) != 0 || len(doc.Errors) != 1 || !strings.Contains(doc.Errors[0], "docs/requirements/r.yml:3") {
		t.Errorf("error document = %+v", doc)
	}
	// Other formats write no document on exit 3: their reader is a person,
	// and the error is on standard error.
	if code, out, _ := tracegate(t, "trace", "--format", "csv", "--dir", dir); code != 3 || out != "" {
		t.Errorf("csv: exit %d, stdout %q", code, out)
	}
}

package testtag

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

var repo = os.DirFS("../../..")

// srsIDs stands for the configured requirement pattern (config.Patterns
// wraps it the same way: whole IDs only).
var srsRE = regexp.MustCompile(`(?:^|[^A-Za-z0-9_])((?:SRS|SYS)-\d+)`)

func srsIDs(text string) []string {
	re := srsRE
	var out []string
	seen := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

func tagRows(tags []model.TestTag) []string {
	var out []string
	for _, t := range tags {
		out = append(out, fmt.Sprintf("%d:%d %s %s", t.Source.Line, t.Source.Col, t.Function, strings.Join(t.IDs, ",")))
	}
	return out
}

func warnRows(ws []input.Warning) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.String())
	}
	return out
}

func diff(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return
	}
	t.Errorf("%s: got %d, want %d", what, len(got), len(want))
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("%s %d:\n got  %s\n want %s", what, i, g, w)
		}
	}
}

const notOnGo = "Verifies tag is not in or on a function; it links nothing (put it in the doc comment or the body of the test function)"

func notOn(lang string) string {
	return "Verifies tag is not on or in a " + lang + " test; it links nothing (put it in the comment right above the test, or in its body)"
}

func TestScanFixtures(t *testing.T) {
	cases := []struct {
		file  string
		tags  []string
		warns []string // without the file name
	}{
		{
			file: "dose_test.go",
			tags: []string{
				"13:4 TestBolusLimit SRS-001,SRS-002",
				"15:5 TestBolusLimit SRS-003",
				"24:6 TestBolusTable/under_limit SRS-004",
				"29:5 TestBolusTable/over_limit SRS-005", // the comment right above t.Run
				"32:7 TestBolusTable/over_limit/by_one SRS-006",
				"37:7 TestBolusTable SRS-007", // t.Run(name, …): the parent
				"44:4 TestPrime SRS-008",
				"49:4 ExampleAccept SRS-009,SRS-010", // continued on the next line
				"55:6 FuzzAccept SRS-011",
			},
			warns: []string{
				":3:4: " + notOnGo,
				":8:4: " + notOnGo,
				`:60:4: Verifies tag with no requirement ID matching the configured pattern ("nothing that matches the pattern")`,
			},
		},
		{
			file: "test_pump.py",
			tags: []string{
				"8:3 test_bolus_limit SRS-001",
				"16:5 test_rate_check SRS-002", // docstring
				"21:3 test_alarm_level SRS-003,SRS-004",
				"35:3 TestOcclusion.test_raises SRS-010", // on the class: every test in it
				"35:3 TestOcclusion.test_clears SRS-010",
				"40:7 TestOcclusion.test_clears SRS-011,SRS-012",
				"53:11 TestDoor.test_opens SRS-013",  // indented: the body above
				"62:5 TestPrime.test_primes SRS-015", // class docstring: the class's tests
				"70:13 test_async_prime SRS-014",
			},
			warns: []string{
				":3:1: " + notOn("python"),
				":31:7: Verifies tag is in make_pump, which is not a test; it links nothing",
			},
		},
		{
			file: "BolusTest.java",
			tags: []string{
				"14:4 BolusTest.rejectsBolusAboveLimit SYS-010",
				"14:4 BolusTest.acceptsRate SYS-010",
				"14:4 BolusTest$WhenOccluded.raisesAlarm SYS-010",
				"18:9 BolusTest.rejectsBolusAboveLimit SRS-001",
				"27:8 BolusTest.acceptsRate SRS-002,SRS-003",
				"35:16 BolusTest.acceptsRate SRS-004",
				"51:33 BolusTest$WhenOccluded.raisesAlarm SRS-005",
			},
			warns: []string{
				":40:8: Verifies tag documents limit, which is not a test; it links nothing",
				":45:8: Verifies tag is inside BolusTest but not on one of its tests; it links nothing (put it right above a test, or above BolusTest for all of its tests)",
			},
		},
		{
			file: "pump.test.js",
			tags: []string{
				"5:6 bolus rejects a bolus above the limit SRS-001",
				"12:10 bolus rate accepts 12 mL/h SRS-002",
				"18:8 bolus rate accepts %i mL/h SRS-003",
				"28:4 occlusion alarm raises within 2 s SRS-010",
				"28:4 occlusion alarm clears SRS-010",
				"37:33 top-level SRS-011", // a trailing comment on the test's line
			},
			warns: []string{
				":1:4: " + notOn("javascript"),
				":30:6: Verifies tag is inside occlusion alarm but not on one of its tests; it links nothing (put it right above a test, or above occlusion alarm for all of its tests)",
			},
		},
		{
			file: "pump_test.cpp",
			tags: []string{
				"5:4 Rectangle.Area SRS-040",
				"14:6 PumpFixture.Primes SRS-041",
				"19:4 bolus is rejected above the limit SRS-042,SRS-043",
			},
			warns: []string{":1:4: " + notOn("c++"), ":26:4: " + notOn("c++")},
		},
		{
			file: "src/dose.rs",
			tags: []string{
				"13:9 dose::tests::rejects_bolus_above_limit SRS-001",
				"23:12 dose::tests::panics_on_nan SRS-002",
				"28:8 dose::tests::rate::accepts_twelve SRS-003",
				"28:8 dose::tests::rate::accepts_one SRS-003",
				"30:13 dose::tests::rate::accepts_twelve SRS-004", // //! documents the module
				"30:13 dose::tests::rate::accepts_one SRS-004",
			},
			warns: []string{":3:5: " + notOn("rust")},
		},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			p := "testdata/formats/testtags/" + tc.file
			tags, warns, err := Scanner{}.Scan(repo, p, srsIDs)
			if err != nil {
				t.Fatal(err)
			}
			for _, tg := range tags {
				if tg.Source.File != p {
					t.Errorf("tag source %v", tg.Source)
				}
			}
			diff(t, "tag", tagRows(tags), tc.tags)
			var want []string
			for _, w := range tc.warns {
				want = append(want, p+w)
			}
			diff(t, "warning", warnRows(warns), want)
		})
	}
}

// scanSrc scans one in-memory file.
func scanSrc(t *testing.T, name, src string) ([]string, []string) {
	t.Helper()
	tags, warns, err := Scanner{}.Scan(fstest.MapFS{name: {Data: []byte(src)}}, name, srsIDs)
	if err != nil {
		t.Fatal(err)
	}
	return tagRows(tags), warnRows(warns)
}

func TestScanCases(t *testing.T) {
	cases := []struct {
		name, file, src string
		tags, warns     []string
	}{
		{
			name:  "Go file that does not parse falls back to the line scanner",
			file:  "x_test.go",
			src:   "//go:build plan9\n\npackage x\n\n// Verifies: SRS-020\nfunc TestOnPlan9(t *testing.T) {\n\tif x := ; x {\n\t}\n}\n",
			tags:  []string{"5:4 TestOnPlan9 SRS-020"},
			warns: []string{"x_test.go:7:10: file does not parse as Go (expected operand, found ';'); tags are read line by line instead"},
		},
		{
			name: "tag spellings",
			file: "a_test.go",
			src:  "package a\n\n// VERIFIES: SRS-1\n// verifies:SRS-2\n// @verifies SRS-3\n// @Verifies SRS-4\n// reverifies: SRS-5\n// Requirement: SRS-6\n// Verifies SRS-7\nfunc TestA(t *testing.T) {}\n",
			tags: []string{"3:4 TestA SRS-1", "4:4 TestA SRS-2", "5:4 TestA SRS-3", "6:4 TestA SRS-4"},
		},
		{
			name: "two tags on one line, IDs deduplicated",
			file: "a_test.go",
			src:  "package a\n\n// Verifies: SRS-1, SRS-1 Verifies: SRS-2\nfunc TestA(t *testing.T) {}\n",
			tags: []string{"3:4 TestA SRS-1", "3:27 TestA SRS-2"},
		},
		{
			name:  "a blank line between doc and func detaches the comment",
			file:  "a_test.go",
			src:   "package a\n\n// Verifies: SRS-1\n\nfunc TestA(t *testing.T) {}\n",
			warns: []string{"a_test.go:3:4: " + notOnGo},
		},
		{
			name: "subtest names with unprintable and unicode spaces",
			file: "a_test.go",
			src:  "package a\n\nfunc TestA(t *testing.T) {\n\tt.Run(\"a\\tb\\u00a0c\\x01é\", func(t *testing.T) {\n\t\t// Verifies: SRS-1\n\t})\n}\n",
			tags: []string{`5:6 TestA/a_b_c\x01é SRS-1`},
		},
		{
			name:  "comment between func and body, function literal at package level",
			file:  "a_test.go",
			src:   "package a\n\nfunc TestA(t *testing.T) /* Verifies: SRS-1 */ {}\n\nvar f = func() {\n\t// Verifies: SRS-2\n}\n",
			tags:  []string{"3:29 TestA SRS-1"},
			warns: []string{"a_test.go:6:5: " + notOnGo},
		},
		{
			name: "python: tag at class level above a method, nested class, no blank-line limit",
			file: "test_a.py",
			src:  "class TestA:\n    class TestB:\n        # Verifies: SRS-1\n\n        def test_x(self):\n            pass\n\n    # Verifies: SRS-2\n    @staticmethod\n    def test_y():\n        pass\n",
			tags: []string{"3:11 TestB.test_x SRS-1", "8:7 TestA.test_y SRS-2"},
		},
		{
			name: "python: a docstring opening a body documents its def, not the nested one",
			file: "test_a.py",
			src:  "def test_x():\n    \"\"\"Verifies: SRS-1\"\"\"\n    def helper():\n        pass\n\nclass TestB:\n    '''\n    Verifies: SRS-2\n    '''\n    x = 1\n\n    def test_y(self):\n        '''Verifies: SRS-3'''\n",
			tags: []string{"2:8 test_x SRS-1", "8:5 TestB.test_y SRS-2", "13:12 TestB.test_y SRS-3"},
		},
		{
			name: "rust: block inner doc on a module",
			file: "src/alarm/mod.rs",
			src:  "#[cfg(test)]\nmod tests {\n    /*! Verifies: SRS-1 */\n    #[test]\n    fn a() {}\n}\n",
			tags: []string{"3:9 alarm::tests::a SRS-1"},
		},
		{
			name:  "python: code between tag and def",
			file:  "test_a.py",
			src:   "# Verifies: SRS-1\nX = 1\n\ndef test_x():\n    pass\n",
			warns: []string{"test_a.py:1:3: " + notOn("python")},
		},
		{
			name: "python: unterminated string does not swallow the file",
			file: "test_a.py",
			src:  "s = 'abc\ndef test_x():\n    # Verifies: SRS-1\n    pass\n",
			tags: []string{"3:7 test_x SRS-1"},
		},
		{
			name: "javascript: nested describes, skip and only, template title",
			file: "a.test.ts",
			src:  "describe.skip('a', () => {\n  describe(\"b\", function () {\n    // Verifies: SRS-1\n    test.only(`c \\` d`, async () => {});\n  });\n});\n",
			tags: []string{"3:8 a b c ` d SRS-1"},
		},
		{
			name: "javascript: a tag inside a test body does not document the next test",
			file: "a.test.js",
			src:  "it('a', () => {\n  x();\n  // Verifies: SRS-1\n});\nit('b', () => {});\n",
			tags: []string{"3:6 a SRS-1"},
		},
		{
			name: "kotlin: backtick names, annotations on the same line",
			file: "BolusTest.kt",
			src:  "class BolusTest {\n    // Verifies: SRS-1\n    @Test fun `rejects a bolus`() {\n    }\n\n    /** @verifies SRS-2 */\n    @Test\n    internal fun accepts() = runTest {\n    }\n}\n",
			tags: []string{"2:8 BolusTest.rejects a bolus SRS-1", "6:9 BolusTest.accepts SRS-2"},
		},
		{
			name: "rust: integration test crate root, attribute with arguments",
			file: "tests/alarm.rs",
			src:  "// Verifies: SRS-1\n#[test_case(1 ; \"one\")]\n#[test_case(2 ; \"two\")]\nfn alarm(n: u8) {}\n",
			tags: []string{"1:4 alarm SRS-1"},
		},
		{
			name: "c++: TEST_P and a tag in a string",
			file: "a_test.cc",
			src:  "const char* s = \"// Verifies: SRS-9\";\n// Verifies: SRS-1\nTEST_P(Suite, Param) {}\n",
			tags: []string{"2:4 Suite.Param SRS-1"},
		},
		{
			// An unclosed bracket nests everything after it; past maxDepth
			// definitions are not seen.
			name:  "definitions nested too deep",
			file:  "a.test.js",
			src:   strings.Repeat("describe('a', () => {\n", 120) + "// Verifies: SRS-1\nit('b', () => {});\n",
			warns: []string{"a.test.js:121:4: Verifies tag is inside a but not on one of its tests; it links nothing (put it right above a test, or above a for all of its tests)"},
		},
		{
			name:  "unknown language: tags reported",
			file:  "a_test.rb",
			src:   "# Verifies: SRS-1\ndef test_a; end\n",
			warns: []string{"a_test.rb:1:3: Verifies tag in a file whose language tracegate does not know; it links nothing (tags are read in Go, Python, Java, Kotlin, JavaScript/TypeScript, C/C++ and Rust test sources)"},
		},
		{
			name: "continuation ends at a line without a comma",
			file: "test_a.py",
			src:  "def test_x():\n    # Verifies: SRS-1,\n    # SRS-2\n    # SRS-3\n    pass\n",
			tags: []string{"2:7 test_x SRS-1,SRS-2"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tags, warns := scanSrc(t, tc.file, tc.src)
			diff(t, "tag", tags, tc.tags)
			diff(t, "warning", warns, tc.warns)
		})
	}
}

func TestScanRustModulePath(t *testing.T) {
	for file, want := range map[string]string{
		"src/lib.rs":             "",
		"src/main.rs":            "",
		"crates/pump/src/lib.rs": "",
		"src/dose.rs":            "dose",
		"src/dose/mod.rs":        "dose",
		"src/dose/limit.rs":      "dose::limit",
		"src/bin/tool.rs":        "",
		"tests/alarm.rs":         "",
		"tests/common/mod.rs":    "",
		"alarm.rs":               "",
	} {
		if got := rustModulePath(file); got != want {
			t.Errorf("rustModulePath(%s) = %q, want %q", file, got, want)
		}
	}
}

func TestScanErrors(t *testing.T) {
	fsys := fstest.MapFS{"bin_test.go": {Data: []byte("\x00\x01\x02")}}
	_, _, err := Scanner{}.Scan(fsys, "bin_test.go", srsIDs)
	if err == nil || !strings.HasPrefix(err.Error(), "bin_test.go:1:1: binary content (a NUL byte at byte 0)") {
		t.Errorf("err = %v", err)
	}
	_, _, err = Scanner{}.Scan(fsys, "missing_test.go", srsIDs)
	if err == nil || !strings.HasPrefix(err.Error(), "missing_test.go: cannot open") {
		t.Errorf("err = %v", err)
	}
}

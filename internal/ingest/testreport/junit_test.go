package testreport

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// repo is the repository root, where the shared format fixtures live.
var repo = os.DirFS("../../..")

// row renders a case as line:col|suite|class|name|outcome|links for exact
// comparison.
func row(c model.TestCase) string {
	return fmt.Sprintf("%d:%d|%s|%s|%s|%s|%s", c.Source.Line, c.Source.Col, c.Suite, c.ClassName, c.Name, c.Outcome, strings.Join(c.Requirements, ","))
}

func TestJUnitFixtures(t *testing.T) {
	cases := []struct {
		file string
		want []string
		// message substrings by case name
		msgs  map[string]string
		warns []string // substrings, one warning each, in order
	}{
		{
			file: "pytest.xml",
			want: []string{
				"1:257|pytest|tests.test_pump|test_bolus_limit|passed|SRS-001,SRS-002,SRS-100",
				"1:424|pytest|tests.test_pump|test_rate_check|failed|SRS-003,SRS-100",
				"9:59|pytest|tests.test_pump|test_pump_hardware|skipped|SRS-100",
				"9:268|pytest|tests.test_pump|test_occlusion|error|SRS-100",
				"14:55|pytest|tests.test_pump|test_known_anomaly|skipped|SRS-100",
				"14:204|pytest|tests.test_pump.TestAlarm|test_alarm_level[low]|passed|SRS-010,SRS-011,SRS-100",
				"14:386|pytest|tests.test_pump.TestAlarm|test_alarm_level[high]|passed|SRS-010,SRS-011,SRS-100",
			},
			msgs: map[string]string{
				"test_rate_check":    "AssertionError: rate 12 mL/h rejected\nassert 12 == 13",
				"test_pump_hardware": "needs pump hardware",
				"test_occlusion":     `failed on setup with "RuntimeError: pump simulator not running"`,
				"test_known_anomaly": "known anomaly PRB-7",
			},
		},
		{
			file: "surefire.xml",
			want: []string{
				"29:3|com.example.pump.BolusTest|com.example.pump.BolusTest|rejectsBolusAboveLimit|passed|SYS-010",
				"30:3|com.example.pump.BolusTest|com.example.pump.BolusTest|acceptsRateOfTwelve|failed|SYS-010",
				"42:3|com.example.pump.BolusTest|com.example.pump.BolusTest|readsDrugLibrary|error|SYS-010",
				"48:3|com.example.pump.BolusTest|com.example.pump.BolusTest|drivesPumpHardware|skipped|SYS-010",
				"51:3|com.example.pump.BolusTest|com.example.pump.BolusTest|occlusionAlarmWithinTwoSeconds|passed|SYS-010",
				"60:3|com.example.pump.BolusTest|com.example.pump.BolusTest|primesLine|failed|SYS-010",
			},
			msgs: map[string]string{
				"acceptsRateOfTwelve":            "expected: <true> but was: <false>",
				"readsDrugLibrary":               `Cannot invoke "java.util.Map.get(Object)"`,
				"occlusionAlarmWithinTwoSeconds": "passed on rerun after 1 failed attempt(s); first failure: alarm raised after 2.4 s",
				"primesLine":                     "line not primed",
			},
			warns: []string{"surefire.xml:51:3: test case \"com.example.pump.BolusTest.occlusionAlarmWithinTwoSeconds\": flaky: passed only on rerun after 1 failed attempt(s)"},
		},
		{
			file: "go-junit-report.xml",
			want: []string{
				"7:3|example.com/infusion/broken|example.com/infusion/broken|[build failed]|error|SRS-020",
				"15:3|example.com/infusion/crash|example.com/infusion/crash|TestBeforeCrash|passed|SRS-020",
				"16:3|example.com/infusion/crash|example.com/infusion/crash|TestExits|error|SRS-020",
				"24:3|example.com/infusion/dose|example.com/infusion/dose|TestBolusLimit|passed|SRS-020",
				"25:3|example.com/infusion/dose|example.com/infusion/dose|TestRateCheck|failed|SRS-020",
				"29:3|example.com/infusion/dose|example.com/infusion/dose|TestPumpHardware|skipped|SRS-020",
				"32:3|example.com/infusion/dose|example.com/infusion/dose|TestBolusTable|failed|SRS-020",
				"35:3|example.com/infusion/dose|example.com/infusion/dose|TestBolusTable/under_limit|passed|SRS-020",
				"36:3|example.com/infusion/dose|example.com/infusion/dose|TestBolusTable/over_limit|failed|SRS-020",
				"39:3|example.com/infusion/dose|example.com/infusion/dose|TestBolusTable/zero|passed|SRS-020",
				"40:3|example.com/infusion/dose|example.com/infusion/dose|TestOutput|passed|SRS-020",
				"53:3|example.com/infusion/panics|example.com/infusion/panics|TestNilLibrary|failed|SRS-020",
				"76:3|example.com/infusion/slow|example.com/infusion/slow|TestOcclusionAlarm|error|SRS-020",
				"79:3|example.com/infusion/slow|example.com/infusion/slow|TestOcclusionAlarm/within_2_s|error|SRS-020",
			},
			msgs: map[string]string{"[build failed]": "Build error", "TestExits": "No test result found"},
		},
		{
			file: "gotestsum.xml",
			want: []string{
				"12:3|example.com/infusion/broken||TestMain|failed|",
				"20:3|example.com/infusion/crash|example.com/infusion/crash|TestExits|failed|",
				"23:3|example.com/infusion/crash|example.com/infusion/crash|TestBeforeCrash|passed|",
				"29:3|example.com/infusion/dose|example.com/infusion/dose|TestRateCheck|failed|",
				"32:3|example.com/infusion/dose|example.com/infusion/dose|TestBolusTable/over_limit|failed|",
				"35:3|example.com/infusion/dose|example.com/infusion/dose|TestBolusTable|failed|",
				"38:3|example.com/infusion/dose|example.com/infusion/dose|TestPumpHardware|skipped|",
				"41:3|example.com/infusion/dose|example.com/infusion/dose|TestBolusLimit|passed|",
				"42:3|example.com/infusion/dose|example.com/infusion/dose|TestBolusTable/under_limit|passed|",
				"43:3|example.com/infusion/dose|example.com/infusion/dose|TestBolusTable/zero|passed|",
				"44:3|example.com/infusion/dose|example.com/infusion/dose|TestOutput|passed|",
				"55:3|example.com/infusion/panics|example.com/infusion/panics|TestNilLibrary|failed|",
				"63:3|example.com/infusion/slow||TestMain|failed|",
				"66:3|example.com/infusion/slow|example.com/infusion/slow|TestOcclusionAlarm|failed|",
				"69:3|example.com/infusion/slow|example.com/infusion/slow|TestOcclusionAlarm/within_2_s|failed|",
			},
			msgs: map[string]string{"TestPumpHardware": "needs pump hardware"},
		},
		{
			file: "jest-junit.xml",
			want: []string{
				"4:5|bolus|bolus rejects a bolus above the limit|bolus rejects a bolus above the limit|passed|",
				"6:5|bolus|bolus rate accepts 12 mL/h|bolus rate accepts 12 mL/h|failed|",
				"26:5|bolus|bolus drives the pump hardware|bolus drives the pump hardware|skipped|",
				// it.todo: jest-junit writes no <skipped/>, nothing tells it
				// from a pass.
				"29:5|bolus|bolus logs every bolus|bolus logs every bolus|passed|",
				"31:5|bolus|top-level test outside describe|top-level test outside describe|passed|",
				"35:5|occlusion alarm|occlusion alarm raises within 2 s|occlusion alarm raises within 2 s|failed|",
			},
			msgs: map[string]string{
				"bolus rate accepts 12 mL/h":        "Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: 13\nReceived: 12",
				"occlusion alarm raises within 2 s": "TypeError: alarm is not a function",
			},
		},
		{
			file: "gtest.xml",
			want: []string{
				"4:5|Rectangle|Rectangle|Area|passed|SRS-040",
				"9:5|Rectangle|Rectangle|Wrong|failed|",
				"16:5|Rectangle|Rectangle|DISABLED_Later|skipped|",
				"17:5|Rectangle|Rectangle|Skips|skipped|",
				"23:5|PumpFixture|PumpFixture|Throws|failed|SRS-041,SRS-042",
				"27:5|PumpFixture|PumpFixture|Primes|passed|SRS-041,SRS-042",
			},
			msgs: map[string]string{
				"Wrong":          "Expected equality of these values:",
				"DISABLED_Later": "disabled (suppressed)",
				"Skips":          "not yet",
				"Throws":         `C++ exception with description "motor stalled"`,
			},
		},
		{
			file: "ctest.xml",
			want: []string{
				"11:2|(empty)|Rectangle.Area|Rectangle.Area|passed|",
				"26:2|(empty)|Rectangle.Wrong|Rectangle.Wrong|failed|",
				"51:2|(empty)|Rectangle.Later|Rectangle.Later|skipped|",
				"54:2|(empty)|Rectangle.Skips|Rectangle.Skips|skipped|",
				"74:2|(empty)|PumpFixture.Throws|PumpFixture.Throws|failed|",
				"96:2|(empty)|PumpFixture.Primes|PumpFixture.Primes|passed|",
				"111:2|(empty)|selftest_skip|selftest_skip|skipped|",
				"115:2|(empty)|selftest_disabled|selftest_disabled|skipped|",
				"118:2|(empty)|selftest_missing|selftest_missing|error|",
				"122:2|(empty)|selftest_timeout|selftest_timeout|failed|",
			},
			msgs: map[string]string{
				// <failure message=""/>: the message comes from the output.
				"Rectangle.Wrong":  "[  FAILED  ] Rectangle.Wrong",
				"Rectangle.Skips":  "SKIP_REGULAR_EXPRESSION_MATCHED",
				"selftest_skip":    "SKIP_RETURN_CODE=77",
				"selftest_missing": "not run: Unable to find executable",
				"selftest_timeout": "no message in the report",
			},
		},
		{
			file: "phpunit.xml",
			want: []string{
				"5:7|BolusTest|BolusTest|testRejectsBolusAboveLimit|passed|",
				`7:9|BolusTest::testAcceptsRate|BolusTest|testAcceptsRate with data set "low"|passed|`,
				`8:9|BolusTest::testAcceptsRate|BolusTest|testAcceptsRate with data set "high"|failed|`,
				"15:7|BolusTest|BolusTest|testDrivesHardware|skipped|",
				"18:7|BolusTest|BolusTest|testLibrary|error|",
			},
			msgs: map[string]string{"testLibrary": "RuntimeException: drug library missing"},
		},
		{
			file: "cargo-nextest.xml",
			want: []string{
				"4:9|pump|pump|dose::tests::rejects_bolus_above_limit|passed|",
				"6:9|pump|pump|dose::tests::accepts_rate_of_twelve|passed|",
				"10:9|pump::alarm|pump::alarm|occlusion_alarm_within_two_seconds|failed|",
				"59:9|pump::alarm|pump::alarm|alarm_is_audible|passed|",
				"81:9|pump::alarm|pump::alarm|alarm_latches|failed|",
			},
			msgs: map[string]string{
				"occlusion_alarm_within_two_seconds": "assertion `left == right` failed: alarm raised late",
				"alarm_is_audible":                   "passed on rerun after 1 failed attempt(s); first failure: thread 'alarm_is_audible' panicked",
				"alarm_latches":                      "configured to fail when flaky",
			},
			warns: []string{"cargo-nextest.xml:59:9: test case \"pump::alarm.alarm_is_audible\": flaky"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			p := "testdata/formats/junit/" + tc.file
			head := headOf(t, p)
			if !(JUnit{}).Detect(repo, p, head) {
				t.Errorf("Detect = false")
			}
			if (GoTestJSON{}).Detect(repo, p, head) {
				t.Errorf("gotest-json Detect = true on a JUnit file")
			}
			items, err := JUnit{}.Read(repo, p)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range items.Tests {
				got = append(got, row(c))
				if c.Format != "junit" || c.Source.File != p {
					t.Errorf("%s: format %q, source %v", c.Name, c.Format, c.Source)
				}
				if want, ok := tc.msgs[c.Name]; ok && !strings.Contains(c.Message, want) {
					t.Errorf("%s: message %q, want it to contain %q", c.Name, c.Message, want)
				}
				if c.Outcome == model.Passed && c.Message != "" && !strings.HasPrefix(c.Message, "passed on rerun") {
					t.Errorf("%s: passed with message %q", c.Name, c.Message)
				}
				if c.Outcome != model.Passed && c.Message == "" && c.Outcome != model.Skipped {
					t.Errorf("%s: %s without a message", c.Name, c.Outcome)
				}
			}
			diffLines(t, got, tc.want)
			checkWarnings(t, items.Warnings, tc.warns)
		})
	}
}

func headOf(t *testing.T, p string) []byte {
	t.Helper()
	f, err := input.Open(repo, p, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return f.Head
}

func diffLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return
	}
	t.Errorf("got %d cases, want %d", len(got), len(want))
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("case %d:\n got  %s\n want %s", i, g, w)
		}
	}
}

func checkWarnings(t *testing.T, ws []input.Warning, want []string) {
	t.Helper()
	if len(ws) != len(want) {
		t.Errorf("%d warnings, want %d: %v", len(ws), len(want), ws)
		return
	}
	for i, w := range want {
		if !strings.Contains(ws[i].String(), w) {
			t.Errorf("warning %d = %q, want it to contain %q", i, ws[i].String(), w)
		}
	}
}

// readJUnit reads src as t.xml.
func readJUnit(src string) (*ingest.Items, error) {
	return JUnit{}.Read(fstest.MapFS{"t.xml": {Data: []byte(src)}}, "t.xml")
}

func TestJUnitOutcomes(t *testing.T) {
	cases := []struct {
		name     string
		testcase string // the <testcase> element, inside <testsuite name="s">
		outcome  model.Outcome
		msg      string // substring of the message
		warn     string // substring of the only warning; "" for none
	}{
		{"plain pass", `<testcase name="t"/>`, model.Passed, "", ""},
		{"failure", `<testcase name="t"><failure message="boom" type="E">trace</failure></testcase>`, model.Failed, "boom", ""},
		{"failure text when no message", `<testcase name="t"><failure type="E">first
second</failure></testcase>`, model.Failed, "first\nsecond", ""},
		{"failure type when nothing else", `<testcase name="t"><failure type="AssertionError"/></testcase>`, model.Failed, "AssertionError", ""},
		{"error", `<testcase name="t"><error message="npe"/></testcase>`, model.Errored, "npe", ""},
		{"failure and teardown error", `<testcase name="t"><failure message="assert"/><error message="teardown"/></testcase>`, model.Failed, "assert", ""},
		{"skipped", `<testcase name="t"><skipped message="later"/></testcase>`, model.Skipped, "later", ""},
		{"skipped and failure", `<testcase name="t"><skipped/><failure message="x"/></testcase>`, model.Failed, "x", ""},
		{"flaky passed", `<testcase name="t"><flakyFailure message="m1"/><flakyError message="m2"/></testcase>`, model.Passed, "after 2 failed attempt(s); first failure: m1", "flaky: passed only on rerun after 2 failed attempt(s)"},
		{"failure after reruns", `<testcase name="t"><failure message="final"/><rerunFailure message="r1"/></testcase>`, model.Failed, "final", ""},
		{"rerun without final verdict", `<testcase name="t"><rerunFailure message="r1"><stackTrace>st</stackTrace></rerunFailure><rerunError message="r2"/></testcase>`, model.Failed, "r1", "2 rerun failure(s) but no final <failure> or <error>; counted as failed"},
		{"flaky configured to fail", `<testcase name="t"><failure message="flaky" type="flaky failure"/><flakyFailure/></testcase>`, model.Failed, "flaky", ""},
		{"ctest run", `<testcase name="t" status="run"/>`, model.Passed, "", ""},
		{"ctest fail without element", `<testcase name="t" status="fail"><system-out>Test timed out</system-out></testcase>`, model.Failed, "Test timed out", ""},
		{"ctest fail empty message", `<testcase name="t" status="fail"><failure message=""/><system-out>line 1
[  FAILED  ] A.B</system-out></testcase>`, model.Failed, "[  FAILED  ] A.B", ""},
		{"ctest skip return code", `<testcase name="t" status="notrun"><skipped message="SKIP_RETURN_CODE=77"/></testcase>`, model.Skipped, "SKIP_RETURN_CODE=77", ""},
		{"ctest disabled", `<testcase name="t" status="disabled"><system-out>Disabled</system-out></testcase>`, model.Skipped, "disabled", ""},
		{"ctest missing executable", `<testcase name="t" status="notrun"><skipped message="Unable to find executable"/></testcase>`, model.Errored, "not run: Unable to find executable", ""},
		{"ctest fixture failed", `<testcase name="t" status="notrun"><skipped message="Fixture dependency failed"/></testcase>`, model.Errored, "Fixture dependency failed", ""},
		{"gtest disabled", `<testcase name="DISABLED_x" status="notrun" result="suppressed"/>`, model.Skipped, "disabled (suppressed)", ""},
		{"old gtest disabled", `<testcase name="DISABLED_x" status="notrun"/>`, model.Skipped, "not run", ""},
		{"gtest skipped", `<testcase name="t" status="run" result="skipped"><skipped message="t.cc:5&#10;not yet"/></testcase>`, model.Skipped, "not yet", ""},
		{"gtest completed", `<testcase name="t" status="run" result="completed"/>`, model.Passed, "", ""},
		{"status failed word", `<testcase name="t" status="failed"/>`, model.Failed, "no message in the report", ""},
		{"status error word", `<testcase name="t" status="error"/>`, model.Errored, "", ""},
		{"unknown status", `<testcase name="t" status="weird"/>`, model.Passed, "", `unknown status "weird"`},
		{"unknown status with failure", `<testcase name="t" status="weird"><failure message="m"/></testcase>`, model.Failed, "m", ""},
		{"huge message is bounded", `<testcase name="t"><failure>` + strings.Repeat("x", 100000) + `</failure></testcase>`, model.Failed, "… (truncated)", ""},
		{"bad time", `<testcase name="t" time="soon"/>`, model.Passed, "", `time "soon" is not a number of seconds`},
		{"no name", `<testcase classname="C"><error message="setup"/></testcase>`, model.Errored, "setup", `test case without a name (class "C")`},
		{"nested testcase", `<testcase name="t"><testcase name="u"/></testcase>`, model.Passed, "", "<testcase> inside <testcase>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items, err := readJUnit(`<testsuite name="s">` + tc.testcase + `</testsuite>`)
			if err != nil {
				t.Fatal(err)
			}
			if len(items.Tests) != 1 {
				t.Fatalf("%d cases", len(items.Tests))
			}
			c := items.Tests[0]
			if c.Outcome != tc.outcome {
				t.Errorf("outcome = %s, want %s", c.Outcome, tc.outcome)
			}
			if tc.msg == "" && tc.outcome == model.Passed && c.Message != "" {
				t.Errorf("message = %q, want none", c.Message)
			}
			if !strings.Contains(c.Message, tc.msg) {
				t.Errorf("message = %q, want it to contain %q", c.Message, tc.msg)
			}
			if len(c.Message) > input.MaxMessage+len(truncMark)+64 {
				t.Errorf("message is %d bytes", len(c.Message))
			}
			var want []string
			if tc.warn != "" {
				want = []string{tc.warn}
			}
			checkWarnings(t, items.Warnings, want)
		})
	}
}

func TestJUnitStructure(t *testing.T) {
	cases := []struct {
		name  string
		src   string
		want  []string // row() without the position
		warns []string
	}{
		{
			name: "nested suites inherit links, properties after the cases",
			src: `<testsuites>
  <testsuite name="outer">
    <testcase classname="c" name="a"/>
    <testsuite name="inner">
      <testcase classname="c" name="b"><properties><property name="Verifies" value="SRS-3"/></properties></testcase>
      <properties><property name="requirements" value="SRS-2; SRS-4"/></properties>
    </testsuite>
    <properties><property name="REQUIREMENT" value=" SRS-1 "/></properties>
  </testsuite>
  <testsuite name="other"><testcase classname="c" name="d"/></testsuite>
</testsuites>`,
			want: []string{"outer|c|a|passed|SRS-1", "inner|c|b|passed|SRS-3,SRS-2,SRS-4,SRS-1", "other|c|d|passed|"},
		},
		{
			name: "link property forms",
			src: `<testsuite name="s" verifies="SRS-9">
  <testcase name="a" requirement="SRS-8"><properties>
    <property name="tested-item-id">SRS-1,SRS-2</property>
    <property name="requirement" value="SRS-1 SRS-3&#10;SRS-4"/>
    <property name="owner" value="SRS-77"/>
    <property name="verifies" value=""/>
  </properties></testcase>
</testsuite>`,
			want:  []string{"s||a|passed|SRS-8,SRS-1,SRS-2,SRS-3,SRS-4,SRS-9"},
			warns: []string{`property "verifies" has no value`},
		},
		{
			name: "IDs in names are not links here",
			src:  `<testsuite name="SRS-5 suite"><testcase classname="SRS-6" name="test_SRS-7_bolus"/></testsuite>`,
			want: []string{"SRS-5 suite|SRS-6|test_SRS-7_bolus|passed|"},
		},
		{
			// An incomplete report (totals_test.go): never a warning only.
			name: "suite declares failures that no case shows",
			src:  `<testsuite name="s" failures="1" errors="0"><testcase name="a"/></testsuite>`,
			want: []string{"s||a|passed|", "s||s (report incomplete)|error|"},
		},
		{
			name:  "no test case",
			src:   `<?xml version="1.0"?><testsuites tests="0"/>`,
			warns: []string{"JUnit report holds no test case"},
		},
		{
			name:  "two reports concatenated",
			src:   "<testsuite name=\"a\"><testcase name=\"x\"/></testsuite>\n<testsuite name=\"b\"><testcase name=\"y\"><failure/></testcase></testsuite>",
			want:  []string{"a||x|passed|", "b||y|failed|"},
			warns: []string{"t.xml:2:1: a second root element"},
		},
		{
			name:  "doctype without entities",
			src:   `<!DOCTYPE testsuite SYSTEM "http://example.invalid/junit.dtd"><testsuite name="s"><testcase name="a"/></testsuite>`,
			want:  []string{"s||a|passed|"},
			warns: []string{"t.xml:1:1: DOCTYPE ignored"},
		},
		{
			name: "namespaced Surefire root and BOM",
			src:  "\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuite xmlns=\"http://maven.apache.org/surefire\" name=\"s\"><testcase name=\"a\" time=\"1,234.5\"/></testsuite>",
			want: []string{"s||a|passed|"},
		},
		{
			// input.Open refuses a head that is not UTF-8; Latin-1 beyond
			// the head is decoded as declared.
			name: "latin-1",
			src:  "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><!-- " + strings.Repeat("x", 9000) + " --><testsuite name=\"s\"><testcase name=\"caf\xe9\"/></testsuite>",
			want: []string{"s||café|passed|"},
		},
		{
			name: "system-out, unknown elements and comments are skipped",
			src: `<testsuite name="s"><!-- c --><system-out><![CDATA[<testcase name="fake"/>]]></system-out>
<ext><testcase name="not a case"/></ext><testcase name="a"><system-err>e</system-err><extra><x/></extra></testcase></testsuite>`,
			want: []string{"s||a|passed|"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items, err := readJUnit(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range items.Tests {
				r := row(c)
				got = append(got, r[strings.IndexByte(r, '|')+1:])
			}
			diffLines(t, got, tc.want)
			checkWarnings(t, items.Warnings, tc.warns)
		})
	}
}

func TestJUnitPositions(t *testing.T) {
	// ctest writes a start tag over several lines; the case's line is where
	// the tag starts.
	src := "<testsuite name=\"s\"\n\ttests=\"2\"\n\t>\n\t<testcase name=\"a\"\n\t\tstatus=\"run\"/>\n  <testcase name=\"b\"\n   status=\"fail\"/></testsuite>"
	items, err := readJUnit(src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range items.Tests {
		got = append(got, c.Source.String())
	}
	diffLines(t, got, []string{"t.xml:4:2", "t.xml:6:3"})
}

func TestJUnitErrors(t *testing.T) {
	laughs := `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<testsuite name="s"><testcase name="&lol9;"/></testsuite>`
	xxe := `<?xml version="1.0"?>
<!DOCTYPE testsuite [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<testsuite name="s">
  <testcase name="a"><failure message="&xxe;"/></testcase>
</testsuite>`
	cases := []struct {
		name, src string
		want      string // the error, exactly
	}{
		{"empty", "", "t.xml: no XML element in the file, expected a JUnit report (<testsuites> or <testsuite>) (the report is empty; check that the test run wrote it completely)"},
		{"only a declaration", `<?xml version="1.0"?>`, "t.xml: no XML element in the file"},
		{"wrong root", "<?xml version=\"1.0\"?>\n<html><body/></html>", "t.xml:2:1: root element is <html>, expected <testsuites> or <testsuite> (this is not a JUnit XML report; set the format in the policy or narrow the tests glob)"},
		{"wrong root NUnit", `<test-run id="2"/>`, "t.xml:1:1: root element is <test-run>"},
		{"mismatched tags", "<testsuite name=\"s\">\n  <testcase name=\"a\">\n  </testsuite>", "t.xml:3:15: malformed XML: element <testcase> closed by </testsuite>"},
		{"truncated", "<testsuites>\n<testsuite name=\"s\">\n<testcase name=\"a\"><failure message=\"x\">tra", "t.xml:3:44: malformed XML: unexpected EOF (the report may be truncated"},
		{"bad attribute", `<testsuite name=s/>`, "t.xml:1:18: malformed XML: unquoted or missing attribute value in element"},
		{"billion laughs", laughs, "t.xml:8:43: malformed XML: invalid character entity &lol9; (test reports use only XML's predefined entities; tracegate does not expand DTD entities)"},
		{"XXE", xxe, "t.xml:4:45: malformed XML: invalid character entity &xxe;"},
		{"unknown encoding", `<?xml version="1.0" encoding="UTF-16"?><testsuite/>`, `t.xml:1:40: malformed XML: opening charset "UTF-16": encoding "UTF-16" is not supported (write the report as UTF-8)`},
		{"binary", "\x00\x01<testsuite/>", "t.xml:1:1: binary content (a NUL byte at byte 0), expected text"},
		{"nested too deep", strings.Repeat("<testsuite>", 70), "t.xml:1:705: <testsuite> nested more than 64 deep (no test runner nests suites this deep; the file is not a test report)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items, err := readJUnit(tc.src)
			if err == nil {
				t.Fatalf("no error; read %d cases", len(items.Tests))
			}
			if _, ok := input.AsError(err); !ok {
				t.Errorf("error is %T, want *input.Error", err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error:\n got  %s\n want %s", err, tc.want)
			}
		})
	}
}

func TestJUnitDetect(t *testing.T) {
	cases := []struct {
		path, head string
		want       bool
	}{
		{"r.xml", `<testsuites>`, true},
		{"TEST-a.XML", "\uFEFF<?xml version=\"1.0\"?>\n<!-- by surefire -->\n<testsuite name=\"a\">", true},
		{"r.xml", `<!DOCTYPE testsuite [<!ENTITY a "b">]><testsuite/>`, true},
		{"r.xml", `<?xml-stylesheet href="x"?><ns:testsuite xmlns:ns="urn:x">`, true},
		{"r.xml", `<testsuite>`, true},
		{"r.xml", `<testsuitesX>`, false},
		{"r.xml", `<test-run>`, false},
		{"r.xml", `<project><testsuite/></project>`, false},
		{"r.xml", `<!-- never closed <testsuite>`, false},
		{"r.xml", `<?xml never closed`, false},
		{"r.xml", `junk <testsuite>`, false},
		{"r.xml", ``, false},
		{"r.json", `<testsuite>`, false},
		{"r.html", `<testsuites>`, false},
	}
	for _, tc := range cases {
		if got := (JUnit{}).Detect(nil, tc.path, []byte(tc.head)); got != tc.want {
			t.Errorf("Detect(%s, %q) = %v, want %v", tc.path, tc.head, got, tc.want)
		}
	}
}

func TestReaders(t *testing.T) {
	var got []string
	for _, r := range Readers() {
		if r.Kind() != ingest.Tests {
			t.Errorf("%s: kind %s", r.Format(), r.Kind())
		}
		got = append(got, r.Format())
	}
	// The names are the policy schema's formats for tests.
	diffLines(t, got, []string{"gotest-json", "junit", "qttest", "rdm"})
}

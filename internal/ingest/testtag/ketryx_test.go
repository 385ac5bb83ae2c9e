package testtag

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/model"
)

// ketryxRows renders tags with the test case ID a Gherkin scenario has.
func ketryxRows(tags []model.TestTag) []string {
	var out []string
	for _, t := range tags {
		row := fmt.Sprintf("%d:%d %s %s", t.Source.Line, t.Source.Col, t.Function, strings.Join(t.IDs, ","))
		if t.Case != "" {
			row += " case=" + t.Case
		}
		out = append(out, row)
	}
	return out
}

// checkScan scans one file and compares its tags and warnings.
func checkScan(t *testing.T, fsys fs.FS, file string, tags, warns []string) {
	t.Helper()
	got, gotWarns, err := Scanner{}.Scan(fsys, file, srsIDs)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "tags", ketryxRows(got), tags)
	diff(t, "warnings", warnRows(gotWarns), warns)
}

// Real files of projects kept with Ketryx (testdata/formats/SOURCES.md):
// Gherkin scenarios with @id:/@tests: tags, a pytest test that records
// tested-item-id, and a Javadoc @tests: tag.
func TestScanKetryxFixtures(t *testing.T) {
	const ts = "testdata/formats/ketryx-projects/aignostics-typescript-sdk/"
	const py = "testdata/formats/ketryx-projects/aignostics-python-sdk/tests/aignostics/system/"
	cases := []struct {
		file  string
		tags  []string
		warns []string
	}{
		{file: ts + "packages/cli/e2e/features/TC-authentication.feature", tags: []string{
			"13:3 Complete PKCE authentication login flow with browser automation SWR-AUTH-CODE-FLOW,SWR-AUTH-CUSTOM-PROVIDER case=TC-AUTH-PKCE",
			"28:3 Authenticate with refresh token SWR-AUTH-TOKEN-BASED,SWR-AUTH-SECURE-STORAGE case=TC-AUTH-TOKEN",
			"38:3 Automatically refresh expired access token SWR-AUTH-AUTO-REFRESH case=TC-AUTH-REFRESH",
			"49:3 Fail to refresh token with invalid refresh token SWR-AUTH-AUTO-REFRESH case=TC-AUTH-REFRESH-FAIL",
			"59:3 Reject API calls without authentication SWR-AUTH-VALIDATION,SWR-AUTH-TOKEN-REMOVAL case=TC-AUTH-NO-AUTH",
		}},
		{file: py + "TEST_SYSTEM_CLI_HEALTH.feature", tags: []string{
			`6:3 Running the CLI health command should return "UP" RQ-SYSTEM-CLI-HEALTH-1 case=TEST_SYSTEM_CLI_HEALTH_YAML`,
			`11:3 Running the CLI health command with YAML enabled should return "status: UP" RQ-SYSTEM-CLI-HEALTH-1 case=TEST_SYSTEM_CLI_HEALTH_JSON`,
		}},
		{file: py + "TEST_SYSTEM_GUI_SETTINGS.feature", tags: []string{
			"6:3 Mask secrets switch is enabled by default RQ-SYSTEM-GUI-SETTINGS-1 case=TEST_SYSTEM_GUI_SETTINGS_MASKING_DEFAULT",
		}},
		// The call names a test case (a scenario's @id:), not a requirement.
		{file: py + "gui_test.py", tags: []string{
			"19:5 test_gui_system_switch_right TEST_SYSTEM_GUI_SETTINGS_MASKING_DEFAULT",
		}},
		{file: "testdata/formats/ketryx/pytest/tests/test_pump_limits.py", tags: []string{
			"11:5 test_bolus_limit_adult SRS-012",
			"16:5 test_bolus_limit_child TC-012",
			"22:5 test_bolus_limit_on_device SRS-012",
			"27:9 TestRateLimit.test_rate_rejected SRS-010,SRS-012",
		}},
		{file: "testdata/formats/ketryx/java/RateMonitorTest.java", tags: []string{
			"10:8 RateMonitorTest.stopsOnDeviation SDS-010",
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			checkScan(t, repo, c.file, c.tags, c.warns)
		})
	}
}

func TestScanGherkin(t *testing.T) {
	const f = "features/a.feature"
	cases := []struct {
		name, src string
		tags      []string
		warns     []string
	}{
		{name: "feature and rule tags belong to every scenario",
			src:  "@tests:SYS-1\nFeature: F\n  @tests:SRS-2\n  Rule: R\n    @tests:SRS-3 @smoke\n    Scenario: A\n      Given x\n    Example: B\n      Given y\n",
			tags: []string{"1:1 A SYS-1,SRS-2,SRS-3", "1:1 B SYS-1,SRS-2"}},
		{name: "outline, comments, doc strings and tables",
			src:  "Feature: F\n  # Verifies: SRS-1\n  @tests:KP-1,KP-2 # a comment @tests:KP-9\n  Scenario Outline: O <x>\n    Given x\n      \"\"\"\n    @tests:KP-7\n    Scenario: not one\n    \"\"\"\n    Examples:\n      | x |\n      | 1 |\n",
			tags: []string{"3:3 O <x> KP-1,KP-2,SRS-1"}},
		{name: "tags on Examples are reported",
			src:   "Feature: F\n  Scenario Outline: O\n    Given x\n    @tests:SRS-1\n    Examples:\n      | a |\n",
			warns: []string{f + ":4:5: @tests:SRS-1 is on an Examples table, whose rows are not test cases of their own; it links nothing (put it on the Scenario Outline)"}},
		{name: "an @id without @tests, two @ids, an empty @tests",
			src:  "Feature: F\n  @id:TC-1\n  Scenario: A\n  @id:TC-2 @id:TC-3 @tests:SRS-1 @tests:\n  Scenario: B\n",
			tags: []string{"4:21 B SRS-1 case=TC-2"},
			warns: []string{f + `:3:3: scenario "A" (@id:TC-1) has no @tests: tag; it verifies nothing`,
				f + `:4:12: scenario "B" has a second @id: (TC-3 after TC-2); the first one is its ID`,
				f + ":4:34: @tests: tag with no item ID right after the colon; it links nothing"}},
		{name: "German, with its own keywords for every line",
			src:   "# a comment first\n# language: de\n@tests:SYS-1\nFunktionalität: F\n  Grundlage:\n    Angenommen x\n  Regel: R\n    @tests:SRS-1\n    Szenario: A\n    @tests:SRS-2\n    Szenariogrundriss: B <n>\n      @tests:SRS-3\n      Beispiele:\n        | n |\n    @tests:SRS-4\n    Scenario: not a German keyword\n",
			tags:  []string{"3:1 A SYS-1,SRS-1", "3:1 B <n> SYS-1,SRS-2"},
			warns: []string{f + ":12:7: @tests:SRS-3 is on an Examples table, whose rows are not test cases of their own; it links nothing (put it on the Scenario Outline)"}},
		{name: "Portuguese, a keyword with spaces, a header without spaces",
			src:  "#language:pt\nFuncionalidade: F\n  @tests:SRS-1\n  Esquema do Cenário: A\n",
			tags: []string{"3:3 A SRS-1"}},
		{name: "simplified Chinese",
			src:  "# language: zh-CN\n功能: F\n  @tests:SRS-1\n  场景: 甲\n",
			tags: []string{"3:3 甲 SRS-1"}},
		{name: "English's other keywords",
			src:  "Business Need: F\n  @tests:SRS-1\n  Scenario Template: A\n  @tests:SRS-2\n  Example: B\n",
			tags: []string{"2:3 A SRS-1", "4:3 B SRS-2"}},
		{name: "a language Gherkin does not know links nothing",
			src:   "# language: xx\nFeature: F\n  @tests:SRS-1\n  Scenario: A\n",
			warns: []string{f + `:1:1: feature file in language "xx", which Gherkin does not know (Cucumber would not run it): no scenario of this file is read and its tags link nothing`}},
		{name: "a language header after the feature is a comment",
			src:  "Feature: F\n# language: de\n  @tests:SRS-1\n  Scenario: A\n  @tests:SRS-2\n  Szenario: B\n",
			tags: []string{"3:3 A SRS-1"}},
		{name: "a language header after a tag is a comment",
			src:  "@tests:SYS-1\n# language: de\nFeature: F\n  Scenario: A\n",
			tags: []string{"1:1 A SYS-1"}},
		{name: "a keyword without its colon is a step or description",
			src:  "Feature: F\n  @tests:SRS-1\n  Scenario A\n  Scenario: B\n",
			tags: []string{"2:3 B SRS-1"}},
		{name: "background tags and CRLF", src: "Feature: F\r\n  Background:\r\n  @tests:SRS-1\r\n  Scenario: A\r\n",
			tags: []string{"3:3 A SRS-1"}},
		{name: "an empty @tests: in a comment", src: "Feature: F\n  # @tests:\n  Scenario: A\n",
			warns: []string{f + ":2:5: @tests: tag with no item ID right after the colon; it links nothing"}},
		{name: "a scenario without a name", src: "Feature: F\n  @tests:SRS-1\n  Scenario:\n",
			warns: []string{f + ":2:3: @tests: tag is on a scenario without a name; it links nothing"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkScan(t, fstest.MapFS{f: {Data: []byte(c.src)}}, f, c.tags, c.warns)
		})
	}
}

func TestScanRecordProperty(t *testing.T) {
	const f = "tests/test_a.py"
	cases := []struct {
		name, src string
		tags      []string
		warns     []string
	}{
		{name: "forms of the call",
			src: "def test_a(record_property):\n    record_property('tested-item-id', 'SRS-1')\n    record_property(\"assertions\", \"SRS-9\")\n" +
				"    record_xml_attribute(\"requirement\", r\"SRS-2; SRS-3\")\n    record_property(name=\"verifies\", value=\"SRS-4\")\n    record_property(\n        'Tested-Item-Id',\n        'SRS-5' 'X',\n    )\n",
			tags: []string{"2:5 test_a SRS-1", "4:5 test_a SRS-2,SRS-3", "5:5 test_a SRS-4", "6:5 test_a SRS-5X"}},
		{name: "values pytest cannot record, or tracegate cannot read",
			src: "IDS = 'SRS-1'\n\ndef test_a(record_property):\n    record_property(\"tested-item-id\", \"SPEC-A\", \"SPEC-B\")\n    record_property(\"tested-item-id\", IDS)\n    record_property(\"tested-item-id\", f\"SRS-{n}\")\n    record_property(\"tested-item-id\")\n    record_property(\"tested-item-id\", \"\")\n",
			warns: []string{
				f + ":4:5: record_property(\"tested-item-id\", …) passes 2 values: it takes one, so the call raises TypeError when the test runs and links nothing (record one property per ID, or list the IDs in one value)",
				f + ":5:5: record_property(\"tested-item-id\", …) records a value computed when the test runs, which cannot be read from the source; it links nothing here (the report's property links it when the report has it)",
				f + ":6:5: record_property(\"tested-item-id\", …) records a value computed when the test runs, which cannot be read from the source; it links nothing here (the report's property links it when the report has it)",
				f + ":7:5: record_property(\"tested-item-id\") without a value; it links nothing",
				f + ":8:5: record_property(\"tested-item-id\", \"\") names no item; it links nothing",
			}},
		{name: "outside a test, in a comment or a string, a definition",
			src: "import pytest\n\n@pytest.fixture\ndef ids(record_property):\n    record_property('tested-item-id', 'SRS-1')\n\n# record_property('tested-item-id', 'SRS-2')\ns = \"record_property('tested-item-id', 'SRS-3')\"\ndef record_property(name, value):\n    pass\nrecord_property('tested-item-id', 'SRS-4')\n",
			warns: []string{f + `:5:5: record_property("tested-item-id", …) is in ids, which is not a test; it links nothing`,
				f + `:11:1: record_property("tested-item-id", …) is outside any test function; it links nothing`}},
		{name: "an unclosed call", src: "def test_a(record_property):\n    record_property('tested-item-id', 'SRS-1'",
			tags: []string{"2:5 test_a SRS-1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkScan(t, fstest.MapFS{f: {Data: []byte(c.src)}}, f, c.tags, c.warns)
		})
	}
}

func TestScanKetryxDocTag(t *testing.T) {
	const f = "src/a.test.ts"
	src := "describe('a', () => {\n  /** @tests:spec-sensor-module,KD-1 */\n  it('b', () => {});\n  // @TESTS:SRS-1 Verifies: SRS-2\n  it('c', () => {});\n  /** @tests: */\n  it('d', () => {});\n});\n"
	checkScan(t, fstest.MapFS{f: {Data: []byte(src)}}, f, []string{"2:7 a b spec-sensor-module,KD-1", "4:6 a c SRS-1", "4:19 a c SRS-2"},
		[]string{f + ":6:7: @tests: tag with no item ID right after the colon; it links nothing"})
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// ketryxTrace runs tracegate trace --format json and returns each
// requirement's status and its tests as "name (result, via)".
func ketryxTrace(t *testing.T, args ...string) (map[string]string, map[string][]string, struct{ Total, Passed, Failed, Skipped int }) {
	t.Helper()
	code, out, errs := tracegate(t, append([]string{"trace", "--format", "json"}, args...)...)
	var m struct {
		Requirements []struct {
			ID, Status string
			Tests      []struct{ Name, Result, Via string }
		}
		Tests struct{ Total, Passed, Failed, Skipped int }
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil || code != 0 {
		t.Fatalf("exit %d, %v\n%s\n%s", code, err, out, errs)
	}
	status, tests := map[string]string{}, map[string][]string{}
	for _, r := range m.Requirements {
		status[r.ID] = r.Status
		for _, tc := range r.Tests {
			tests[r.ID] = append(tests[r.ID], tc.Name+" ("+tc.Result+", "+tc.Via+")")
		}
		sort.Strings(tests[r.ID])
	}
	return status, tests, m.Tests
}

// A project kept with Ketryx, as aignostics/typescript-sdk keeps it:
// requirements and specifications as Ketryx Markdown items, Gherkin
// scenarios with @id:/@tests: tags, and the JUnit report cucumber-js wrote
// for those scenarios (one failing, one skipped).
func TestKetryxGherkinProject(t *testing.T) {
	const dir = "../../testdata/formats/ketryx-projects/aignostics-typescript-sdk"
	const policy = "../../testdata/policies/ketryx-projects.yml"
	status, tests, totals := ketryxTrace(t, "--dir", dir, "--config", policy)
	want := map[string]string{
		"SHR-AUTH": "unverified", "SHR-ERROR-COMM": "unverified", "SPEC-CLI": "unverified", "SPEC-TOKEN-STORAGE": "unverified",
		"SWR-ERROR-COMM-CLI-OUTPUT": "unverified",
		// The skipped scenario verifies nothing; the failing one fails.
		"SWR-AUTH-CODE-FLOW": "unverified", "SWR-AUTH-CUSTOM-PROVIDER": "unverified", "SWR-AUTH-AUTO-REFRESH": "failed",
		"SWR-AUTH-SECURE-STORAGE": "verified", "SWR-AUTH-TOKEN-BASED": "verified", "SWR-AUTH-TOKEN-REMOVAL": "verified", "SWR-AUTH-VALIDATION": "verified",
	}
	if !reflect.DeepEqual(status, want) {
		t.Errorf("statuses:\n got %v\nwant %v", status, want)
	}
	if got := tests["SWR-AUTH-AUTO-REFRESH"]; !reflect.DeepEqual(got, []string{
		"Authentication.Automatically refresh expired access token (passed, tag)",
		"Authentication.Fail to refresh token with invalid refresh token (failed, tag)",
	}) {
		t.Errorf("SWR-AUTH-AUTO-REFRESH tests %q", got)
	}
	if totals.Total != 5 || totals.Passed != 3 || totals.Failed != 1 || totals.Skipped != 1 {
		t.Errorf("totals %+v", totals)
	}

	// "Requirement type" decides which requirements TG106 judges: the
	// policy lists Ketryx's FUNCTIONAL, and every functional requirement
	// has its parent; listing ENVIRONMENT makes the stakeholder
	// requirements, which have none, findings.
	findings := func(policy string) map[string]int {
		code, out, errs := tracegate(t, "validate", "--format", "json", "--dir", dir, "--config", policy)
		var res struct {
			Findings []struct{ Rule, Subject, Message string }
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil || code > 1 {
			t.Fatalf("exit %d, %v\n%s\n%s", code, err, out, errs)
		}
		n := map[string]int{}
		for _, f := range res.Findings {
			n[f.Rule]++
		}
		return n
	}
	if n := findings(policy); n["TG106"] != 0 || n["TG103"] != 0 {
		t.Errorf("findings %v: no TG106 and no broken link expected", n)
	}
	src, err := os.ReadFile(policy)
	if err != nil {
		t.Fatal(err)
	}
	env := filepath.Join(t.TempDir(), "policy.yml")
	if err := os.WriteFile(env, []byte(strings.Replace(string(src), "software_requirement_types: [functional]", "software_requirement_types: [functional, environment]", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if n := findings(env); n["TG106"] != 2 {
		t.Errorf("findings %v: want TG106 for SHR-AUTH and SHR-ERROR-COMM", n)
	}
}

// The chain test → test case → requirement, as aignostics/python-sdk
// writes it: a pytest test records tested-item-id naming a Gherkin
// scenario's @id:, and the scenario tests the requirement. The project's
// reports go to Ketryx and are not in the repository, so the run's result
// is given here as a JUnit report of the test (pytest's names for it).
func TestKetryxPytestChain(t *testing.T) {
	const dir = "../../testdata/formats/ketryx-projects/aignostics-python-sdk"
	const policy = "../../testdata/policies/ketryx-projects.yml"
	status, _, _ := ketryxTrace(t, "--dir", dir, "--config", policy)
	if !reflect.DeepEqual(status, map[string]string{"RQ-SYSTEM-CLI-HEALTH-1": "unverified", "RQ-SYSTEM-GUI-SETTINGS-1": "unverified"}) {
		t.Errorf("without a report: %v", status)
	}
	for _, result := range []string{"", `<failure message="assert False"/>`} {
		work := t.TempDir()
		if err := os.CopyFS(work, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		junit := `<testsuites><testsuite name="pytest" tests="1"><testcase classname="tests.aignostics.system.gui_test" name="test_gui_system_switch_right">` + result + `</testcase></testsuite></testsuites>`
		if err := os.WriteFile(filepath.Join(work, "pytest.xml"), []byte(junit), 0o600); err != nil {
			t.Fatal(err)
		}
		status, tests, _ := ketryxTrace(t, "--dir", work, "--config", policy, "--tests", "pytest.xml")
		wantStatus := "verified"
		if result != "" {
			wantStatus = "failed"
		}
		if status["RQ-SYSTEM-GUI-SETTINGS-1"] != wantStatus || status["RQ-SYSTEM-CLI-HEALTH-1"] != "unverified" {
			t.Errorf("%q: statuses %v", result, status)
		}
		if got := tests["RQ-SYSTEM-GUI-SETTINGS-1"]; len(got) != 1 || !strings.HasSuffix(got[0], ", test case TEST_SYSTEM_GUI_SETTINGS_MASKING_DEFAULT)") {
			t.Errorf("tests %q", got)
		}
	}
}

// The pump's Ketryx items with its Jest and pytest reports: Jest titles
// carry @tests: tags, pytest tests record tested-item-id (in the report,
// and in the source for the skipped test whose call never ran), Test
// Executions verify the Test Cases they execute, and a Test Case links a
// test to its requirement.
func TestKetryxPumpItems(t *testing.T) {
	status, tests, totals := ketryxTrace(t, "--dir", "../../testdata/formats/ketryx", "--config", "../../testdata/policies/ketryx.yml")
	want := map[string]string{"SDS-010": "verified", "SRS-010": "verified", "SRS-012": "failed", "SYS-001": "unverified", "SYS-002": "unverified"}
	if !reflect.DeepEqual(status, want) {
		t.Errorf("statuses:\n got %v\nwant %v", status, want)
	}
	wantTests := []string{
		"Rate limits @tests:SRS-012 accepts the top of the range @tests:TC-012.Rate limits @tests:SRS-012 accepts the top of the range @tests:TC-012 (failed, name)",
		"Rate limits @tests:SRS-012 rejects a rate above the range.Rate limits @tests:SRS-012 rejects a rate above the range (passed, name)",
		"TE-012 Rate range check on bench unit SN 0042 (failed, test case TC-012)",
		"TE-013 Rate range check on bench unit SN 0057 (skipped, test case TC-012)",
		"tests.test_pump_limits.TestRateLimit.test_rate_rejected (passed, property)",
		"tests.test_pump_limits.test_bolus_limit_adult (passed, property)",
		"tests.test_pump_limits.test_bolus_limit_child (failed, test case TC-012)",
		"tests.test_pump_limits.test_bolus_limit_on_device (skipped, tag)",
	}
	if got := tests["SRS-012"]; !reflect.DeepEqual(got, wantTests) {
		t.Errorf("SRS-012 tests:\n got %q\nwant %q", got, wantTests)
	}
	if totals.Total != 10 || totals.Passed != 4 || totals.Failed != 3 || totals.Skipped != 3 {
		t.Errorf("totals %+v", totals)
	}
}

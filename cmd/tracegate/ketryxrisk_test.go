package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
)

// ketryxRiskRepo is testdata/ketryx-risk committed to a repository, with
// its report's line for testName removed when testName is set.
func ketryxRiskRepo(t *testing.T, dropTest string, edit func(r *gittest.Repo)) *gittest.Repo {
	t.Helper()
	r := gittest.New(t)
	r.CopyDir("../../testdata/ketryx-risk")
	if dropTest != "" {
		var kept []string
		for _, l := range strings.Split(readFile(t, "../../testdata/ketryx-risk/reports/junit.xml"), "\n") {
			if !strings.Contains(l, dropTest) {
				kept = append(kept, l)
			}
		}
		r.Write("reports/junit.xml", strings.Replace(strings.Join(kept, "\n"), `tests="4"`, `tests="3"`, 1))
	}
	if edit != nil {
		edit(r)
	}
	r.Commit("Ketryx items")
	return r
}

// A Ketryx repository's risk file is judged by the release gate: RSK-1 is
// risk controlled by SRS-1, so its control RSK-1/SRS-1 is verified exactly
// when SRS-1 is (TG305); SDS-1 introduces RSK-1, as the trace shows.
func TestKetryxRiskRelease(t *testing.T) {
	r := ketryxRiskRepo(t, "", nil)
	code, res, errs := runCheck(t, "check", "release", "--dir", r.Dir())
	if code != 0 || res.status("TG305") != "pass" || res.status("TG304") != "pass" {
		t.Fatalf("exit %d, TG305 %s, TG304 %s: %v\n%s", code, res.status("TG305"), res.status("TG304"), res.findings(), errs)
	}
	// Ketryx writes no control kind: a warning, not a pass in silence.
	res.only(t, "TG117 RSK-1/SRS-1")

	r = ketryxRiskRepo(t, "SRS-1 stops the pump", nil)
	code, res, errs = runCheck(t, "check", "release", "--dir", r.Dir())
	if code != 1 || res.status("TG305") != "fail" {
		t.Fatalf("exit %d, TG305 %s: %v\n%s", code, res.status("TG305"), res.findings(), errs)
	}
	found := false
	for _, f := range res.Findings {
		if f.Rule == "TG305" {
			found = f.Subject == "RSK-1/SRS-1" && strings.Contains(f.Message, "implemented by SRS-1 unverified")
			if !found {
				t.Errorf("TG305 finding %+v", f)
			}
		}
	}
	if !found {
		t.Errorf("no TG305 finding: %v", res.findings())
	}

	// The trace says which item introduces the hazard and which controls it.
	code, out, errs := tracegate(t, "trace", "--dir", r.Dir(), "--format", "json")
	var m struct {
		Hazards []struct {
			ID           string
			IntroducedBy []string `json:"introduced_by"`
			RiskControls []string `json:"risk_controls"`
			Initial      struct{ Probability, Acceptability string }
		}
		Requirements []struct {
			ID         string
			Introduces []string `json:"introduces_risks"`
		}
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil || code != 0 {
		t.Fatalf("trace: exit %d, %v\n%s", code, err, errs)
	}
	if len(m.Hazards) != 1 || strings.Join(m.Hazards[0].IntroducedBy, ",") != "SDS-1" || strings.Join(m.Hazards[0].RiskControls, ",") != "RSK-1/SRS-1" ||
		m.Hazards[0].Initial.Probability != "Medium" || m.Hazards[0].Initial.Acceptability != "unacceptable" {
		t.Errorf("hazards %+v", m.Hazards)
	}
	for _, q := range m.Requirements {
		if (q.ID == "SDS-1") != (strings.Join(q.Introduces, ",") == "RSK-1") {
			t.Errorf("%s introduces %v", q.ID, q.Introduces)
		}
	}
	_, text, _ := tracegate(t, "trace", "--dir", r.Dir())
	if !strings.Contains(text, "RSK-1  introduced by SDS-1; risk controls: RSK-1/SRS-1") {
		t.Errorf("trace text:\n%s", text)
	}
}

// What the Ketryx items write wrong is said with its file and line: a level
// the risk matrix lacks (TG115), a control or an introducing item that does
// not exist (TG103), unless an external namespace holds it, and a Test Case
// named as a control (TG103, saying what it is).
func TestKetryxRiskFindings(t *testing.T) {
	r := ketryxRiskRepo(t, "", func(r *gittest.Repo) {
		s := strings.Replace(readFile(t, "../../testdata/ketryx-risk/items/risks/RSK-1.md"), "Residual severity: Critical", "Residual severity: Severe", 1)
		s = strings.Replace(s, "itemIsRiskControlledBy: SRS-1", "itemIsRiskControlledBy: SRS-1, SRS-7, JIRA-12, TC-1", 1)
		r.Write("items/risks/RSK-1.md", s)
		r.Write("items/tests/TC-1.md", "---\nitemId: TC-1\nitemType: Test Case\nitemTests: SRS-1\n---\n# Volume check stops the pump\n")
		r.Write("items/specs/SDS-1.md", strings.Replace(readFile(t, "../../testdata/ketryx-risk/items/specs/SDS-1.md"), "itemIntroducesRisk: RSK-1", "itemIntroducesRisk: RSK-1, RSK-9", 1))
		r.Write(".github/tracegate.yml", readFile(t, "../../testdata/ketryx-risk/.github/tracegate.yml")+
			"external:\n  - name: Jira\n    pattern: 'JIRA-\\d+'\n")
	})
	code, out, errs := tracegate(t, "validate", "--dir", r.Dir(), "--format", "json")
	var res struct {
		Findings []struct{ Rule, Subject, Message string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 1 {
		t.Fatalf("exit %d, %v\n%s\n%s", code, err, out, errs)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Rule+" "+f.Subject+": "+f.Message)
	}
	for _, want := range []string{
		`TG115 RSK-1: RSK-1: residual severity "Severe" is not a level of the risk matrix (Minor, Major, Critical)`,
		`TG103 RSK-1/SRS-7: risk control RSK-1/SRS-7 links to requirement "SRS-7" in requirements, which does not exist`,
		`TG103 SDS-1: requirement SDS-1 links to hazard "RSK-9" in introduces_risks, which does not exist`,
		// A Test Case among the controlling items verifies; it implements nothing.
		`TG103 RSK-1/TC-1: risk control RSK-1/TC-1 links to requirement "TC-1" in requirements, which is no requirement: it is a test case, which verifies requirements; a risk control is implemented by requirements`,
	} {
		found := false
		for _, g := range got {
			found = found || g == want
		}
		if !found {
			t.Errorf("no finding %q in\n  %s", want, strings.Join(got, "\n  "))
		}
	}
	// A controlling item kept in Jira resolves as external: no broken
	// link, but nothing in the repository implements the control (TG116),
	// so the gate cannot call it verified.
	for _, g := range got {
		if strings.Contains(g, "JIRA-12") && !strings.HasPrefix(g, "TG116 ") && !strings.HasPrefix(g, "TG117 ") {
			t.Errorf("finding %s", g)
		}
	}
}

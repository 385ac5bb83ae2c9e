package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
)

const rdmProjects = "../../testdata/formats/rdm-projects/"

// Design history files kept with rdm, as rdm's template and two projects
// wrote them, read under a policy that names rdm's data files and leaves the
// safety class and the risk matrix to rdm's device.yml (system.yml) and
// risk.yml. Every file is read; the findings are the projects' own gaps:
// the template's risk without a residual estimate (TG110) or control
// (TG111), and a risk matrix with five columns for three probability levels
// (TG120); and, with no SBOM, rdm's SOUP list judged on its own: its two
// example entries name no designator (TG403), FFTW no manufacturer nor
// environment (TG405), neither a risk level (TG406), a review of the version
// in use (TG407, rdm records none) or a verification (TG408). The system requirements that rdm's requirements and test records
// link to are kept outside the repository: the policy declares their
// namespace, and they are listed as external, not broken links (TG103).
func TestRDMProjects(t *testing.T) {
	const policy = "../../testdata/policies/rdm-projects.yml"
	for _, tc := range []struct {
		dir      string
		class    string
		findings map[string]int
		external int // system requirements linked, kept outside
	}{
		{"rdm-template", "B", withSOUP(map[string]int{"TG110": 1, "TG111": 1}), 16},
		{"acpsem-thursday", "B", withSOUP(map[string]int{"TG110": 1, "TG120": 1}), 10},
		{"respiraworks-ventilator", "C", withSOUP(map[string]int{"TG110": 1, "TG120": 1}), 11},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			dir := rdmProjects + tc.dir
			code, out, errs := tracegate(t, "validate", "--format", "json", "--dir", dir, "--config", policy)
			var res struct {
				SafetyClass string `json:"safety_class"`
				Findings    []struct{ Rule, Message string }
				Inputs      []struct{ Path, Kind, Format string }
				Policy      struct{ Defaulted []string }
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil || code != 1 {
				t.Fatalf("exit %d, %v\n%s\n%s", code, err, out, errs)
			}
			got := map[string]int{}
			for _, f := range res.Findings {
				got[f.Rule]++
			}
			if len(got) != len(tc.findings) {
				t.Errorf("findings by rule %v, want %v", got, tc.findings)
			}
			for rule, n := range tc.findings {
				if got[rule] != n {
					t.Errorf("%s: %d findings, want %d (all %v)", rule, got[rule], n, got)
				}
			}
			if res.SafetyClass != tc.class || !strings.Contains(strings.Join(res.Policy.Defaulted, "\n"), `safety_class: "`+tc.class+`" (declared in `) {
				t.Errorf("class %s, defaults %q", res.SafetyClass, res.Policy.Defaulted)
			}
			if !strings.Contains(strings.Join(res.Policy.Defaulted, "\n"), "risk_matrix: 5×") {
				t.Errorf("defaults %q: the risk matrix is not rdm's", res.Policy.Defaulted)
			}
			formats := map[string]int{}
			for _, in := range res.Inputs {
				formats[in.Kind+"/"+in.Format]++
			}
			if formats["requirements/rdm"] != 1 || formats["risks/rdm"] != 1 || formats["tests/rdm"] != 3 {
				t.Errorf("inputs %v", formats)
			}
			code, out, errs = tracegate(t, "trace", "--format", "json", "--dir", dir, "--config", policy)
			var m struct {
				External []struct {
					ID, Namespace string
					From          []string
				}
			}
			if err := json.Unmarshal([]byte(out), &m); err != nil || code != 0 {
				t.Fatalf("trace: exit %d, %v\n%s", code, err, errs)
			}
			links := 0
			for _, e := range m.External {
				if e.Namespace != "System requirements" || !strings.HasPrefix(e.ID, "SR-") || len(e.From) == 0 {
					t.Errorf("external item %+v", e)
				}
				links += len(e.From)
			}
			if links != tc.external {
				t.Errorf("%d links to external items, want %d: %+v", links, tc.external, m.External)
			}
		})
	}
}

// A failure rdm's record accepts with a note stays a failure at the
// release: the gate shows the note as its evaluation and fails.
func TestRDMEvaluatedFailureFailsRelease(t *testing.T) {
	r := gittest.New(t)
	r.CopyDir(rdmProjects + "acpsem-thursday")
	policy, err := os.ReadFile("../../testdata/policies/rdm-projects.yml")
	if err != nil {
		t.Fatal(err)
	}
	r.Write(".github/tracegate.yml", string(policy)+"release: {first: true}\nproblem_reports: {labels: []}\nchange_requests: {labels: []}\n")
	r.Commit("rdm project")
	code, out, errs := tracegate(t, "check", "release", "--dir", r.Dir(), "--format", "json")
	var res struct {
		Verdict  string
		Findings []struct{ Rule, Subject, Message string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 1 || res.Verdict != "fail" {
		t.Fatalf("exit %d, %v\n%s\n%s", code, err, out, errs)
	}
	found := false
	for _, f := range res.Findings {
		if f.Rule == "TG303" && f.Subject == "TestClass.TestName2" {
			found = true
			if !strings.Contains(f.Message, "test TestClass.TestName2 failed") ||
				!strings.Contains(f.Message, "evaluated in its record as: It is okay that this test failed because of XYZ (an evaluation does not make a failed test pass)") {
				t.Errorf("message: %s", f.Message)
			}
		}
	}
	if !found {
		t.Errorf("no TG303 finding for the accepted failure: %+v", res.Findings)
	}
}

// withSOUP adds the findings of rdm's template SOUP list, judged without an
// SBOM, to a project's own.
func withSOUP(m map[string]int) map[string]int {
	for r, n := range map[string]int{"TG403": 2, "TG405": 1, "TG406": 2, "TG407": 2, "TG408": 2} {
		m[r] = n
	}
	return m
}

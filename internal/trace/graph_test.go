package trace

import (
	"reflect"
	"sort"
	"testing"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

func req(id string, mod ...func(*model.Requirement)) model.Requirement {
	r := model.Requirement{ID: id, Title: "t " + id, Source: input.Pos{File: "r.yml", Line: 1}}
	for _, m := range mod {
		m(&r)
	}
	return r
}

func parents(p ...string) func(*model.Requirement) {
	return func(r *model.Requirement) { r.Parents = p }
}

func tc(name string, o model.Outcome, mod ...func(*model.TestCase)) model.TestCase {
	t := model.TestCase{Name: name, Outcome: o}
	for _, m := range mod {
		m(&t)
	}
	return t
}

func build(t *testing.T, dhf *model.DHF, cfgMod ...func(*config.Config)) *Graph {
	t.Helper()
	c := config.Defaults()
	c.IDs.Requirement = `(?:SYS|SRS)-\d+`
	for _, m := range cfgMod {
		m(&c)
	}
	ids, err := NewIDs(&c)
	if err != nil {
		t.Fatal(err)
	}
	return Build(dhf, &c, ids)
}

func statuses(g *Graph) map[string]Status {
	out := map[string]Status{}
	for _, r := range g.Requirements {
		out[r.ID] = r.Outcome
	}
	return out
}

func TestVerificationStatus(t *testing.T) {
	dhf := &model.DHF{
		Requirements: []model.Requirement{
			req("SRS-1"), req("SRS-2"), req("SRS-3"), req("SRS-4"), req("SRS-5"), req("SRS-6"),
			req("SRS-7", func(r *model.Requirement) {
				r.Verification = model.VerifyInspection
				r.Evidence = []string{"docs/review.md"}
			}),
			req("SRS-8", func(r *model.Requirement) {
				r.Verification = model.VerifyAnalysis
				r.Evidence = []string{"docs/missing.md"}
			}),
			req("SRS-9", func(r *model.Requirement) { r.Evidence = []string{"docs/review.md"} }), // method test: evidence does not count
			req("SRS-10", func(r *model.Requirement) { r.Tests = []string{"pkg.TestListed"} }),
		},
		Tests: []model.TestCase{
			tc("test SRS-1 passes", model.Passed),
			tc("TestTwo", model.Passed, func(c *model.TestCase) { c.Requirements = []string{"SRS-2, SRS-3"} }),
			tc("TestThree", model.Failed, func(c *model.TestCase) { c.Requirements = []string{"SRS-3"} }),
			tc("TestFour", model.Skipped, func(c *model.TestCase) { c.Requirements = []string{"SRS-4"} }),
			tc("TestFive", model.Errored, func(c *model.TestCase) { c.Requirements = []string{"SRS-5"} }),
			tc("TestSix/case_a", model.Passed, func(c *model.TestCase) { c.ClassName = "example.com/x/six" }),
			tc("TestListed", model.Passed, func(c *model.TestCase) { c.ClassName = "pkg" }),
		},
		Tags:     []model.TestTag{{Function: "TestSix", IDs: []string{"SRS-6"}, Source: input.Pos{File: "six/six_test.go", Line: 3}}},
		Evidence: map[string]bool{"docs/review.md": true, "docs/missing.md": false},
	}
	g := build(t, dhf)
	want := map[string]Status{
		"SRS-1": Verified, "SRS-2": Verified, "SRS-3": Failed, "SRS-4": Unverified, "SRS-5": Failed,
		"SRS-6": Verified, "SRS-7": Verified, "SRS-8": Unverified, "SRS-9": Unverified, "SRS-10": Verified,
	}
	if got := statuses(g); !reflect.DeepEqual(got, want) {
		t.Errorf("statuses:\n got %v\nwant %v", got, want)
	}
	if via := g.Requirement("SRS-6").Tests[0].Via; via != ViaTag {
		t.Errorf("SRS-6 linked via %q, want tag", via)
	}
	if via := g.Requirement("SRS-1").Tests[0].Via; via != ViaName {
		t.Errorf("SRS-1 linked via %q, want name", via)
	}
	if got := g.TestTotals; got != (Totals{Total: 7, Passed: 4, Failed: 1, Errored: 1, Skipped: 1}) {
		t.Errorf("totals = %+v", got)
	}
	var order []string
	for _, r := range g.Requirements {
		order = append(order, r.ID)
	}
	if order[1] != "SRS-2" || order[9] != "SRS-10" {
		t.Errorf("natural order broken: %v", order)
	}
}

func TestDanglingAndDuplicates(t *testing.T) {
	dhf := &model.DHF{
		Requirements: []model.Requirement{
			req("SRS-1", parents("SYS-9"), func(r *model.Requirement) { r.RiskControls = []string{"RC-1", "RC-404"} }),
			req("SRS-1"),
			req("SYS-1"),
		},
		Hazards:      []model.Hazard{{ID: "HAZ-1", Controls: []string{"RC-1", "RC-2"}}, {ID: "SYS-1"}},
		RiskControls: []model.RiskControl{{ID: "RC-1", Requirements: []string{"SRS-77"}}},
		Tests:        []model.TestCase{tc("TestX", model.Passed, func(c *model.TestCase) { c.Requirements = []string{"SRS-55", "see spec"} })},
	}
	g := build(t, dhf)
	var got []string
	for _, d := range g.Dangling {
		got = append(got, d.FromKind+":"+d.From+"."+d.Field+"->"+d.To)
	}
	sort.Strings(got)
	want := []string{
		"hazard:HAZ-1.risk_controls->RC-2",
		"requirement:SRS-1.parents->SYS-9",
		"requirement:SRS-1.risk_controls->RC-404",
		"risk_control:RC-1.requirements->SRS-77",
		"test:TestX.property->SRS-55",
		"test:TestX.property->see spec",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dangling:\n got %q\nwant %q", got, want)
	}
	if len(g.Duplicates) != 2 || g.Duplicates[0].ID != "SRS-1" || g.Duplicates[1].ID != "SYS-1" ||
		!reflect.DeepEqual(g.Duplicates[1].Kinds, []string{"requirement", "hazard"}) {
		t.Errorf("duplicates = %+v", g.Duplicates)
	}
	if c := g.RiskControl("RC-1"); len(c.Requirements) != 1 || c.Requirements[0].ID != "SRS-1" || len(c.Hazards) != 1 {
		t.Errorf("RC-1 links: %+v", c)
	}
}

func TestCycles(t *testing.T) {
	dhf := &model.DHF{Requirements: []model.Requirement{
		req("SRS-1", parents("SRS-2")), req("SRS-2", parents("SRS-3")), req("SRS-3", parents("SRS-1")),
		req("SRS-4", parents("SRS-4")),
		req("SRS-5", parents("SRS-1")), // points into a cycle but is not in it
		req("SYS-1"), req("SRS-6", parents("SYS-1")),
	}}
	g := build(t, dhf)
	want := [][]string{{"SRS-1", "SRS-2", "SRS-3"}, {"SRS-4"}}
	if !reflect.DeepEqual(g.Cycles, want) {
		t.Errorf("cycles = %v, want %v", g.Cycles, want)
	}
}

func TestLongChainTerminates(t *testing.T) {
	var reqs []model.Requirement
	const n = 100000
	for i := 0; i < n; i++ {
		r := req("SRS-" + itoa(i))
		if i > 0 {
			r.Parents = []string{"SRS-" + itoa(i-1)}
		}
		reqs = append(reqs, r)
	}
	reqs[0].Parents = []string{"SRS-" + itoa(n-1)} // one cycle through all
	g := build(t, &model.DHF{Requirements: reqs})
	if len(g.Cycles) != 1 || len(g.Cycles[0]) != n {
		t.Fatalf("got %d cycles", len(g.Cycles))
	}
}

func itoa(i int) string {
	return string(rune('0'+i/10000%10)) + string(rune('0'+i/1000%10)) + string(rune('0'+i/100%10)) +
		string(rune('0'+i/10%10)) + string(rune('0'+i%10))
}

func TestTagDisambiguation(t *testing.T) {
	dhf := &model.DHF{
		Requirements: []model.Requirement{req("SRS-1"), req("SRS-2"), req("SRS-3")},
		Tests: []model.TestCase{
			tc("TestParse", model.Passed, func(c *model.TestCase) { c.ClassName = "example.com/pump/dose" }),
			tc("TestParse", model.Failed, func(c *model.TestCase) { c.ClassName = "example.com/pump/alarm" }),
			tc("test_limit[5-ml]", model.Passed, func(c *model.TestCase) { c.ClassName = "tests.system.test_bolus" }),
			tc("TestOther", model.Passed, func(c *model.TestCase) { c.ClassName = "example.com/pump/ui" }),
		},
		Tags: []model.TestTag{
			{Function: "TestParse", IDs: []string{"SRS-1"}, Source: input.Pos{File: "src/dose/parse_test.go"}},
			{Function: "TestParse", IDs: []string{"SRS-2"}, Source: input.Pos{File: "src/alarm/parse_test.go"}},
			{Function: "test_limit", IDs: []string{"SRS-3"}, Source: input.Pos{File: "tests/system/test_bolus.py"}},
			{Function: "TestOther", IDs: []string{"SRS-3"}, Source: input.Pos{File: "src/a/x_test.go"}},
			{Function: "TestOther", IDs: []string{"SRS-3"}, Source: input.Pos{File: "src/b/x_test.go"}},
		},
	}
	g := build(t, dhf)
	got := statuses(g)
	// dose's TestParse passed and verifies SRS-1 only; alarm's failed and
	// fails SRS-2 only; TestOther is ambiguous and links nothing.
	want := map[string]Status{"SRS-1": Verified, "SRS-2": Failed, "SRS-3": Verified}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statuses = %v, want %v", got, want)
	}
	if len(g.Requirement("SRS-3").Tests) != 1 {
		t.Errorf("SRS-3 tests = %d, want only test_limit", len(g.Requirement("SRS-3").Tests))
	}
	if len(g.Ambiguous) != 1 || g.Ambiguous[0].Test != "example.com/pump/ui.TestOther" {
		t.Errorf("ambiguous = %+v", g.Ambiguous)
	}
}

func TestRiskMatrixAndControls(t *testing.T) {
	dhf := &model.DHF{
		Requirements: []model.Requirement{
			req("SRS-1", func(r *model.Requirement) { r.RiskControls = []string{"RC-1"} }),
			req("SRS-2", func(r *model.Requirement) { r.RiskControls = []string{"RC-2"} }),
			req("SRS-3", func(r *model.Requirement) { r.RiskControls = []string{"RC-2"}; r.Status = "obsolete" }),
		},
		Hazards: []model.Hazard{{
			ID:       "HAZ-1",
			Initial:  model.RiskEstimate{Severity: "Catastrophic", Probability: "4"},
			Residual: model.RiskEstimate{Severity: "catastrophic", Probability: "improbable", Declared: "acceptable"},
			Controls: []string{"RC-1"},
		}, {
			ID:      "HAZ-2",
			Initial: model.RiskEstimate{Severity: "deadly", Probability: "9"},
		}},
		RiskControls: []model.RiskControl{{ID: "RC-1"}, {ID: "RC-2", Hazards: []string{"HAZ-2"}}, {ID: "RC-3"}},
		Tests:        []model.TestCase{tc("SRS-1 ok", model.Passed), tc("SRS-2 bad", model.Failed)},
	}
	g := build(t, dhf)
	h := g.Hazard("HAZ-1")
	if h.Initial.Probability != "probable" || h.Initial.Acceptability != model.Unacceptable ||
		h.Residual.Acceptability != model.ALARP || h.Residual.Declared != "acceptable" {
		t.Errorf("HAZ-1 estimates: %+v / %+v", h.Initial, h.Residual)
	}
	if h2 := g.Hazard("HAZ-2"); len(h2.BadLevels) != 2 || h2.Initial.Acceptability != "" {
		t.Errorf("HAZ-2 bad levels: %v", h2.BadLevels)
	}
	st := map[string]Status{}
	for _, c := range g.RiskControls {
		st[c.ID] = c.Outcome
	}
	if want := (map[string]Status{"RC-1": Verified, "RC-2": Failed, "RC-3": Unverified}); !reflect.DeepEqual(st, want) {
		t.Errorf("control statuses = %v, want %v", st, want)
	}
	if hz := g.RiskControl("RC-2").Hazards; len(hz) != 1 || hz[0].ID != "HAZ-2" || len(g.Hazard("HAZ-2").Controls) != 1 {
		t.Errorf("RC-2 ↔ HAZ-2 link not made in both directions")
	}
}

func TestEffectiveClassAndActive(t *testing.T) {
	dhf := &model.DHF{Requirements: []model.Requirement{
		req("SRS-1"),
		req("SRS-2", func(r *model.Requirement) { r.Item = "ui" }),
		req("SRS-3", func(r *model.Requirement) { r.Item = "ui"; r.Class = model.ClassC }),
		req("SRS-4", func(r *model.Requirement) { r.Status = "draft" }),
		req("SRS-5", func(r *model.Requirement) { r.Status = "approved" }),
	}}
	g := build(t, dhf, func(c *config.Config) {
		c.SafetyClass = model.ClassC
		c.Items = []config.Item{{Name: "ui", Class: model.ClassB}}
	})
	got := map[string]string{}
	for _, r := range g.Requirements {
		a := "inactive"
		if r.Active {
			a = "active"
		}
		got[r.ID] = string(r.Class) + " " + a
	}
	want := map[string]string{"SRS-1": "C active", "SRS-2": "B active", "SRS-3": "C active", "SRS-4": "C inactive", "SRS-5": "C active"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestIDLess(t *testing.T) {
	ids := []string{"SRS-10", "SRS-2", "SRS-002", "HAZ-1", "SRS-1a", "SRS-1", "SRS-01"}
	sort.Slice(ids, func(i, j int) bool { return IDLess(ids[i], ids[j]) })
	want := []string{"HAZ-1", "SRS-1", "SRS-01", "SRS-1a", "SRS-2", "SRS-002", "SRS-10"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("got %v, want %v", ids, want)
	}
}

// A matrix a risk file declares may lack a cell (it does not fit its
// levels): a risk in that cell gets no acceptability and says why, so that
// the rules that judge acceptability never pass it by silence.
func TestRiskMatrixMissingCell(t *testing.T) {
	dhf := &model.DHF{Hazards: []model.Hazard{{ID: "HAZ-1", Initial: model.RiskEstimate{Severity: "Major", Probability: "High"}}}}
	g := build(t, dhf, func(c *config.Config) {
		c.RiskMatrix = config.RiskMatrix{Severity: []string{"Minor", "Major"}, Probability: []string{"Low", "High"},
			Acceptability: map[string][]string{"Low": {"acceptable", "alarp"}, "High": {"alarp", ""}}}
	})
	h := g.Hazard("HAZ-1")
	if h.Initial.Acceptability != "" || len(h.BadLevels) != 1 || h.BadLevels[0] != "the risk matrix gives no acceptability for initial severity Major and probability High" {
		t.Errorf("estimate %+v, bad levels %q", h.Initial, h.BadLevels)
	}
}

// Links to IDs of an external namespace that no file defines resolve as
// external, for the kinds the namespace holds; others stay broken.
func TestExternalLinks(t *testing.T) {
	dhf := &model.DHF{
		Requirements: []model.Requirement{
			req("SRS-1", parents("SR-6", "SYS-9")),
			req("SRS-2", func(r *model.Requirement) { r.RiskControls = []string{"SR-7", "RCX-1"} }),
		},
		Tests: []model.TestCase{tc("T1", model.Passed, func(c *model.TestCase) { c.Requirements = []string{"SR-12", "SRS-2"} })},
	}
	g := build(t, dhf, func(c *config.Config) {
		c.External = []config.External{
			{Name: "System requirements (Jira)", Pattern: `SR-\d+`, URL: "https://jira.example.com/browse/{id}"},
			{Name: "Risk file (Ketryx)", Pattern: `RCX-\d+`, Kinds: []string{"risk_control"}},
		}
	})
	var ext, dangling []string
	for _, l := range g.External {
		ext = append(ext, l.From+" "+l.Field+" "+l.To+" "+l.Namespace+" "+l.URL)
	}
	for _, d := range g.Dangling {
		dangling = append(dangling, d.From+" "+d.Field+" "+d.To)
	}
	wantExt := []string{
		"SRS-1 parents SR-6 System requirements (Jira) https://jira.example.com/browse/SR-6",
		"SRS-2 risk_controls RCX-1 Risk file (Ketryx) ",
		"T1 property SR-12 System requirements (Jira) https://jira.example.com/browse/SR-12",
	}
	sort.Strings(ext)
	if !reflect.DeepEqual(ext, wantExt) {
		t.Errorf("external:\n%q\nwant\n%q", ext, wantExt)
	}
	// SYS-9 matches no namespace; SR-7 is in one that holds requirements,
	// not risk controls.
	sort.Strings(dangling)
	if want := []string{"SRS-1 parents SYS-9", "SRS-2 risk_controls SR-7"}; !reflect.DeepEqual(dangling, want) {
		t.Errorf("dangling %q, want %q", dangling, want)
	}
	if st := statuses(g); st["SRS-2"] != Verified {
		t.Errorf("SRS-2 is %s: the test's in-repository link still verifies it", st["SRS-2"])
	}
	if l := g.ExternalOf("requirement", "SRS-1"); len(l) != 1 || l[0].To != "SR-6" {
		t.Errorf("ExternalOf = %+v", l)
	}
}

// The items that introduce a hazard (IEC 62304 7.1.2) link from either
// side, once each; a link to nothing is broken, as every other link.
func TestIntroducedBy(t *testing.T) {
	dhf := &model.DHF{
		Requirements: []model.Requirement{
			req("SRS-1", func(r *model.Requirement) { r.Introduces = []string{"HAZ-1", "HAZ-9"} }),
			req("SRS-2"),
		},
		Hazards: []model.Hazard{{ID: "HAZ-1", IntroducedBy: []string{"SRS-2", "SRS-1", "SRS-8"}, Source: input.Pos{File: "k.md", Line: 2}}},
	}
	g := build(t, dhf)
	var by []string
	for _, r := range g.Hazard("HAZ-1").IntroducedBy {
		by = append(by, r.ID)
	}
	if !reflect.DeepEqual(by, []string{"SRS-1", "SRS-2"}) {
		t.Errorf("HAZ-1 introduced by %v", by)
	}
	if hs := g.Requirement("SRS-2").Introduces; len(hs) != 1 || hs[0].ID != "HAZ-1" {
		t.Errorf("SRS-2 introduces %v", hs)
	}
	var broken []string
	for _, b := range g.Dangling {
		broken = append(broken, b.FromKind+" "+b.From+" "+b.Field+" → "+b.ToKind+" "+b.To)
	}
	want := []string{"hazard HAZ-1 introduced_by → requirement SRS-8", "requirement SRS-1 introduces_risks → hazard HAZ-9"}
	if !reflect.DeepEqual(broken, want) {
		t.Errorf("dangling %q, want %q", broken, want)
	}
}

// P1 and P2 estimated apart (Ketryx): the matrix's probability is the less
// likely of the two, an upper bound of P1 × P2; a P2 that is no level is
// reported, and the estimate gets no acceptability.
func TestHarmProbability(t *testing.T) {
	dhf := &model.DHF{Hazards: []model.Hazard{
		{ID: "HAZ-1", Initial: model.RiskEstimate{Severity: "critical", Probability: "probable", HarmProbability: "remote"},
			Residual: model.RiskEstimate{Severity: "critical", Probability: "improbable", HarmProbability: "frequent"}},
		{ID: "HAZ-2", Initial: model.RiskEstimate{Severity: "critical", Probability: "probable", HarmProbability: "often"}},
	}}
	g := build(t, dhf)
	h := g.Hazard("HAZ-1")
	if h.Initial.Probability != "remote" || h.Initial.Acceptability != model.ALARP || h.Residual.Probability != "improbable" || h.Residual.Acceptability != model.ALARP {
		t.Errorf("HAZ-1 initial %+v residual %+v", h.Initial, h.Residual)
	}
	h2 := g.Hazard("HAZ-2")
	if h2.Initial.Acceptability != "" || len(h2.BadLevels) != 1 || h2.BadLevels[0] != `initial probability of harm (P2) "often" is not a level of the risk matrix (improbable, remote, occasional, probable, frequent)` {
		t.Errorf("HAZ-2 %+v %q", h2.Initial, h2.BadLevels)
	}
}

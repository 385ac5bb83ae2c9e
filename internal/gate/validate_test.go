package gate

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

// newModel builds a Model from an in-memory DHF, as the CLI would from files.
func newModel(t *testing.T, class model.Class, dhf *model.DHF, mod ...func(*config.Config)) *Model {
	t.Helper()
	c := config.Defaults()
	c.SafetyClass = class
	c.IDs.Requirement = `(?:SYS|SRS)-\d+`
	c.File = ".github/tracegate.yml"
	for _, m := range mod {
		m(&c)
	}
	ids, err := trace.NewIDs(&c)
	if err != nil {
		t.Fatal(err)
	}
	if dhf.Evidence == nil {
		dhf.Evidence = map[string]bool{}
	}
	return &Model{Config: &c, DHF: dhf, Graph: trace.Build(dhf, &c, ids), IDs: ids}
}

var at = input.Pos{File: "docs/requirements/x.yml", Line: 3}

func sw(id string, mod ...func(*model.Requirement)) model.Requirement {
	r := model.Requirement{ID: id, Title: "title", Text: "The software shall.", Type: "software", Parents: []string{"SYS-1"}, Source: at}
	for _, m := range mod {
		m(&r)
	}
	return r
}

func sys(id string) model.Requirement {
	return model.Requirement{ID: id, Title: "need", Text: "The pump shall.", Type: "system", Source: at}
}

// complete is a hazard that every risk rule accepts.
func complete(id string, mod ...func(*model.Hazard)) model.Hazard {
	h := model.Hazard{ID: id, Hazard: "h", Situation: "s", Harm: "harm",
		Initial:  model.RiskEstimate{Severity: "critical", Probability: "occasional"},
		Residual: model.RiskEstimate{Severity: "critical", Probability: "improbable"},
		Controls: []string{"RC-1"}, BenefitRisk: "benefit outweighs", Source: at}
	for _, m := range mod {
		m(&h)
	}
	return h
}

func control(id string) model.RiskControl {
	return model.RiskControl{ID: id, Kind: "protective-measure", Source: at}
}

// good is a consistent DHF: every rule passes on it.
func good() *model.DHF {
	return &model.DHF{
		Requirements: []model.Requirement{sys("SYS-1"), sw("SRS-1", func(r *model.Requirement) { r.RiskControls = []string{"RC-1"} })},
		Hazards:      []model.Hazard{complete("HAZ-1")},
		RiskControls: []model.RiskControl{control("RC-1")},
	}
}

func TestValidateRules(t *testing.T) {
	type tc struct {
		name    string
		class   model.Class
		dhf     func() *model.DHF
		cfg     func(*config.Config)
		rule    string
		status  RuleStatus
		subject string // of the first finding; with status fail
		message string // substring of the first finding's message
	}
	with := func(f func(*model.DHF)) func() *model.DHF {
		return func() *model.DHF { d := good(); f(d); return d }
	}
	cases := []tc{
		{"requirements present", model.ClassA, good, nil, "TG100", RulePassed, "", ""},
		{"no requirements", model.ClassA, func() *model.DHF { return &model.DHF{} }, nil, "TG100", RuleFailed, "requirements", "no requirements were read"},

		{"unique", model.ClassC, good, nil, "TG101", RulePassed, "", ""},
		{"duplicate requirement", model.ClassA, with(func(d *model.DHF) { d.Requirements = append(d.Requirements, sw("SRS-1")) }), nil, "TG101", RuleFailed, "SRS-1", "defined 2 times"},
		{"ID reused across kinds", model.ClassB, with(func(d *model.DHF) { d.RiskControls = append(d.RiskControls, control("HAZ-1")) }), nil, "TG101", RuleFailed, "HAZ-1", "defined as hazard and risk_control"},

		{"id pattern ok", model.ClassA, good, nil, "TG102", RulePassed, "", ""},
		{"id pattern broken", model.ClassA, with(func(d *model.DHF) { d.Requirements = append(d.Requirements, sw("REQ-7")) }), nil, "TG102", RuleFailed, "REQ-7", "does not match the policy's pattern ids.requirement"},

		{"links resolve", model.ClassC, good, nil, "TG103", RulePassed, "", ""},
		{"dangling parent", model.ClassA, with(func(d *model.DHF) { d.Requirements[1].Parents = []string{"SYS-9"} }), nil, "TG103", RuleFailed, "SRS-1", `requirement "SYS-9" in parents`},
		{"parent kept outside the repository", model.ClassA, with(func(d *model.DHF) { d.Requirements[1].Parents = []string{"SR-6"} }),
			func(c *config.Config) {
				c.External = []config.External{{Name: "System requirements (Jira)", Pattern: `SR-\d+`}}
			}, "TG103", RulePassed, "", ""},
		{"risk control link to a hazard ID", model.ClassB, with(func(d *model.DHF) { d.Requirements[1].RiskControls = []string{"HAZ-1"} }), nil, "TG103", RuleFailed, "SRS-1", "looks like a hazard ID"},
		{"test property without ID", model.ClassA, with(func(d *model.DHF) {
			d.Tests = []model.TestCase{{Name: "TestX", Outcome: model.Passed, Requirements: []string{"the bolus one"}}}
		}), nil, "TG103", RuleFailed, "TestX", "holds no requirement ID"},

		{"acyclic", model.ClassA, good, nil, "TG104", RulePassed, "", ""},
		{"cycle", model.ClassA, with(func(d *model.DHF) { d.Requirements[0].Parents = []string{"SRS-1"} }), nil, "TG104", RuleFailed, "SRS-1", "SRS-1, SYS-1 are each other's ancestors"},
		{"self parent", model.ClassA, with(func(d *model.DHF) { d.Requirements[0].Parents = []string{"SYS-1"} }), nil, "TG104", RuleFailed, "SYS-1", "lists itself"},

		{"text", model.ClassA, good, nil, "TG105", RulePassed, "", ""},
		{"no text", model.ClassA, with(func(d *model.DHF) { d.Requirements[1].Text, d.Requirements[1].Title = "", " " }), nil, "TG105", RuleFailed, "SRS-1", "neither text nor title"},

		{"parent present", model.ClassB, good, nil, "TG106", RulePassed, "", ""},
		{"no parent, class C", model.ClassC, with(func(d *model.DHF) { d.Requirements[1].Parents = nil }), nil, "TG106", RuleFailed, "SRS-1", "class C"},
		{"no parent, class A: not applicable", model.ClassA, with(func(d *model.DHF) { d.Requirements[1].Parents = nil }), nil, "TG106", RuleNotApplicable, "", ""},
		{"no parent, item of class A in a class B system", model.ClassB, with(func(d *model.DHF) {
			d.Requirements[1].Parents = nil
			d.Requirements[1].Item = "logging"
		}), func(c *config.Config) { c.Items = []config.Item{{Name: "logging", Class: model.ClassA}} }, "TG106", RuleNotApplicable, "", ""},
		{"parent kept outside the repository", model.ClassC, with(func(d *model.DHF) { d.Requirements[1].Parents = []string{"SR-6"} }),
			func(c *config.Config) {
				c.External = []config.External{{Name: "System requirements (Jira)", Pattern: `SR-\d+`}}
			}, "TG106", RulePassed, "", ""},
		{"no parent, derived", model.ClassC, with(func(d *model.DHF) { d.Requirements[1].Parents = nil; d.Requirements[1].Derived = true }), nil, "TG106", RulePassed, "", ""},
		{"no parent, Doorstop SRS document", model.ClassC, with(func(d *model.DHF) { d.Requirements[1].Parents = nil; d.Requirements[1].Type = "srs" }), nil, "TG106", RuleFailed, "SRS-1", "traces to no system requirement"},
		// With no requirement of a software type left, the rule judges
		// nothing, and says so rather than pass.
		{"no parent, not a software type", model.ClassC, with(func(d *model.DHF) { d.Requirements[1].Parents = nil; d.Requirements[1].Type = "system" }), nil, "TG106", RuleNotApplicable, "", ""},
		{"no parent, inactive", model.ClassC, with(func(d *model.DHF) { d.Requirements[1].Parents = nil; d.Requirements[1].Status = "obsolete" }), nil, "TG106", RuleNotApplicable, "", ""},
		// Ketryx's "Requirement type: FUNCTIONAL", listed by the policy.
		{"no parent, Ketryx requirement type", model.ClassC, with(func(d *model.DHF) { d.Requirements[1].Parents = nil; d.Requirements[1].Type = "functional" }),
			func(c *config.Config) { c.SoftwareTypes = []string{"functional"} }, "TG106", RuleFailed, "SRS-1", "traces to no system requirement"},
		{"Ketryx requirement types the policy does not list", model.ClassC, with(func(d *model.DHF) { d.Requirements[1].Parents = nil; d.Requirements[1].Type = "functional" }),
			nil, "TG106", RuleNotApplicable, "", ""},

		{"known status", model.ClassA, with(func(d *model.DHF) { d.Requirements[1].Status = "approved" }), nil, "TG107", RulePassed, "", ""},
		{"unknown status", model.ClassA, with(func(d *model.DHF) { d.Requirements[1].Status = "aproved" }), nil, "TG107", RuleFailed, "SRS-1", `status "aproved"`},

		{"known item", model.ClassB, with(func(d *model.DHF) { d.Requirements[1].Item = "ui" }), func(c *config.Config) { c.Items = []config.Item{{Name: "ui", Class: model.ClassB}} }, "TG108", RulePassed, "", ""},
		{"unknown item", model.ClassB, with(func(d *model.DHF) { d.Requirements[1].Item = "iu" }), func(c *config.Config) { c.Items = []config.Item{{Name: "ui", Class: model.ClassB}} }, "TG108", RuleFailed, "SRS-1", `item "iu"`},

		{"evidence exists", model.ClassA, with(func(d *model.DHF) {
			d.Requirements[1].Verification, d.Requirements[1].Evidence = "inspection", []string{"docs/review.md"}
			d.Evidence = map[string]bool{"docs/review.md": true}
		}), nil, "TG109", RulePassed, "", ""},
		{"evidence missing", model.ClassA, with(func(d *model.DHF) {
			d.Requirements[1].Verification, d.Requirements[1].Evidence = "analysis", []string{"docs/gone.md"}
			d.Evidence = map[string]bool{"docs/gone.md": false}
		}), nil, "TG109", RuleFailed, "SRS-1", `"docs/gone.md", which is not a file`},
		{"no evidence named", model.ClassA, with(func(d *model.DHF) { d.Requirements[1].Verification = "inspection" }), nil, "TG109", RuleFailed, "SRS-1", "names no evidence"},

		{"hazard complete", model.ClassB, good, nil, "TG110", RulePassed, "", ""},
		{"hazard incomplete", model.ClassC, with(func(d *model.DHF) { d.Hazards[0].Harm = ""; d.Hazards[0].Residual = model.RiskEstimate{} }), nil, "TG110", RuleFailed, "HAZ-1", "lacks harm, residual.severity, residual.probability"},
		{"hazard incomplete, class A", model.ClassA, with(func(d *model.DHF) { d.Hazards[0].Harm = "" }), nil, "TG110", RuleNotApplicable, "", ""},

		{"hazard controlled", model.ClassB, good, nil, "TG111", RulePassed, "", ""},
		{"hazard uncontrolled", model.ClassB, with(func(d *model.DHF) { d.Hazards[0].Controls = nil }), nil, "TG111", RuleFailed, "HAZ-1", "unacceptable (severity critical, probability occasional) and no risk control"},
		{"acceptable initial risk needs no control", model.ClassB, with(func(d *model.DHF) {
			d.Hazards[0].Controls = nil
			d.Hazards[0].Initial = model.RiskEstimate{Severity: "negligible", Probability: "remote"}
		}), nil, "TG111", RulePassed, "", ""},

		{"hazard uncontrolled, class A", model.ClassA, with(func(d *model.DHF) { d.Hazards[0].Controls = nil }), nil, "TG111", RuleNotApplicable, "", ""},
		{"residual unacceptable, class A", model.ClassA, with(func(d *model.DHF) { d.Hazards[0].Residual.Probability = "frequent" }), nil, "TG112", RuleNotApplicable, "", ""},
		{"alarp unjustified, class A", model.ClassA, with(func(d *model.DHF) { d.Hazards[0].BenefitRisk = "" }), nil, "TG113", RuleNotApplicable, "", ""},
		{"declared contradicts, class A", model.ClassA, with(func(d *model.DHF) { d.Hazards[0].Initial.Declared = "acceptable" }), nil, "TG114", RuleNotApplicable, "", ""},
		{"level unknown, class A", model.ClassA, with(func(d *model.DHF) { d.Hazards[0].Initial.Severity = "deadly" }), nil, "TG115", RuleNotApplicable, "", ""},
		{"control kind missing, class A", model.ClassA, with(func(d *model.DHF) { d.RiskControls[0].Kind = "" }), nil, "TG117", RuleNotApplicable, "", ""},
		{"residual acceptable", model.ClassC, good, nil, "TG112", RulePassed, "", ""},
		{"residual unacceptable", model.ClassC, with(func(d *model.DHF) { d.Hazards[0].Residual.Probability = "frequent" }), nil, "TG112", RuleFailed, "HAZ-1", "unacceptable residual risk"},

		{"alarp justified", model.ClassB, good, nil, "TG113", RulePassed, "", ""},
		{"alarp unjustified", model.ClassB, with(func(d *model.DHF) { d.Hazards[0].BenefitRisk = ""; d.Hazards[0].Residual.Severity = "catastrophic" }), nil, "TG113", RuleFailed, "HAZ-1", "ALARP band"},

		{"declared agrees", model.ClassB, with(func(d *model.DHF) { d.Hazards[0].Residual.Declared = "ALARP" }), nil, "TG114", RulePassed, "", ""},
		{"declared contradicts", model.ClassB, with(func(d *model.DHF) { d.Hazards[0].Initial.Declared = "acceptable" }), nil, "TG114", RuleFailed, "HAZ-1", "declares its initial risk acceptable, but the risk matrix gives unacceptable"},

		{"levels known", model.ClassB, good, nil, "TG115", RulePassed, "", ""},
		{"level unknown", model.ClassB, with(func(d *model.DHF) { d.Hazards[0].Initial.Severity = "deadly" }), nil, "TG115", RuleFailed, "HAZ-1", `initial severity "deadly" is not a level`},
		// A level written as a number (YAML 7, a CSV cell) is named as a
		// number, not quoted as if it were text.
		{"level number out of range", model.ClassB, with(func(d *model.DHF) { d.Hazards[0].Residual.Probability = "7" }), nil, "TG115", RuleFailed, "HAZ-1", `residual probability 7 is not a level of the risk matrix: a number names a level by its place, 1 to 5 (improbable, remote, occasional, probable, frequent)`},

		{"control implemented", model.ClassB, good, nil, "TG116", RulePassed, "", ""},
		{"control unimplemented", model.ClassB, with(func(d *model.DHF) { d.Requirements[1].RiskControls = nil }), nil, "TG116", RuleFailed, "RC-1", "implemented by no active requirement"},
		{"control implemented only by inactive", model.ClassC, with(func(d *model.DHF) { d.Requirements[1].Status = "obsolete" }), nil, "TG116", RuleFailed, "RC-1", "only by inactive ones"},
		{"control unimplemented, class A", model.ClassA, with(func(d *model.DHF) { d.Requirements[1].RiskControls = nil }), nil, "TG116", RuleNotApplicable, "", ""},

		{"control kind", model.ClassB, good, nil, "TG117", RulePassed, "", ""},
		{"control kind missing", model.ClassB, with(func(d *model.DHF) { d.RiskControls[0].Kind = "" }), nil, "TG117", RuleFailed, "RC-1", "inherent safety"},

		{"tags unambiguous", model.ClassA, good, nil, "TG118", RulePassed, "", ""},
		{"tag ambiguous", model.ClassA, with(func(d *model.DHF) {
			d.Tests = []model.TestCase{{Name: "TestX", ClassName: "example.com/p/q", Outcome: model.Passed}}
			d.Tags = []model.TestTag{{Function: "TestX", IDs: []string{"SRS-1"}, Source: input.Pos{File: "a/x_test.go"}},
				{Function: "TestX", IDs: []string{"SRS-1"}, Source: input.Pos{File: "b/x_test.go"}}}
		}), nil, "TG118", RuleFailed, "example.com/p/q.TestX", "several source files"},

		{"declared matrix fits", model.ClassB, with(func(d *model.DHF) { d.RiskMatrices = []model.RiskMatrix{{Source: at}} }), nil, "TG120", RulePassed, "", ""},
		{"declared matrix does not fit", model.ClassB, with(func(d *model.DHF) {
			d.RiskMatrices = []model.RiskMatrix{{Source: at, Problems: []string{"row 1 of risk_acceptability_matrix (severity Negligible) has 5 cells, but there are 3 probability levels"}}}
		}), nil, "TG120", RuleFailed, "risk matrix", "does not fit its levels: row 1 of risk_acceptability_matrix"},
		{"declared matrix does not fit, class A", model.ClassA, with(func(d *model.DHF) {
			d.RiskMatrices = []model.RiskMatrix{{Source: at, Problems: []string{"x"}}}
		}), nil, "TG120", RuleNotApplicable, "", ""},
		{"risk analysis present", model.ClassB, good, nil, "TG119", RulePassed, "", ""},
		{"risk analysis missing", model.ClassC, with(func(d *model.DHF) { d.Hazards = nil }), nil, "TG119", RuleFailed, "risks", "no hazards"},
		{"risk analysis missing, class A", model.ClassA, with(func(d *model.DHF) { d.Hazards = nil }), nil, "TG119", RuleNotApplicable, "", ""},
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var mods []func(*config.Config)
			if tc.cfg != nil {
				mods = append(mods, tc.cfg)
			}
			res := Validate(newModel(t, tc.class, tc.dhf(), mods...), nil, SevWarning)
			var out *RuleOutcome
			for i := range res.Rules {
				if res.Rules[i].Rule == tc.rule {
					out = &res.Rules[i]
				}
			}
			if out == nil {
				t.Fatalf("rule %s not in result", tc.rule)
			}
			var fs []Finding
			for _, f := range res.Findings {
				if f.Rule == tc.rule {
					fs = append(fs, f)
				}
			}
			if out.Status != tc.status {
				t.Fatalf("status = %s (%s), want %s; findings %+v", out.Status, out.Reason, tc.status, fs)
			}
			switch tc.status {
			case RuleFailed:
				covered[tc.rule+"/fail"] = true
				if fs[0].Subject != tc.subject || !strings.Contains(fs[0].Message, tc.message) {
					t.Errorf("finding = %s: %q, want subject %s and message containing %q", fs[0].Subject, fs[0].Message, tc.subject, tc.message)
				}
				if len(fs[0].Clauses) == 0 || fs[0].Remediation == "" {
					t.Errorf("finding lacks clauses or remediation: %+v", fs[0])
				}
				if res.Verdict != Fail && fs[0].Severity.Rank() >= SevWarning.Rank() {
					t.Errorf("verdict = %s with a %s finding", res.Verdict, fs[0].Severity)
				}
			case RulePassed:
				covered[tc.rule+"/pass"] = true
				if len(fs) > 0 {
					t.Errorf("unexpected findings: %+v", fs)
				}
			case RuleNotApplicable:
				covered[tc.rule+"/na"] = true
				if len(fs) > 0 || out.Reason == "" {
					t.Errorf("not applicable with findings %+v or no reason", fs)
				}
			}
		})
	}
	// Every rule has at least a passing and a failing case; every rule that
	// starts above class A has a not-applicable case.
	for _, rf := range validateRules {
		for _, k := range []string{"/pass", "/fail"} {
			if !covered[rf.ID+k] {
				t.Errorf("rule %s has no %s case", rf.ID, k[1:])
			}
		}
		if rf.MinClass != model.ClassA && !covered[rf.ID+"/na"] {
			t.Errorf("rule %s (from class %s) has no not-applicable case", rf.ID, rf.MinClass)
		}
	}
}

func TestValidateGoodModelPasses(t *testing.T) {
	for _, class := range []model.Class{model.ClassA, model.ClassB, model.ClassC} {
		res := Validate(newModel(t, class, good()), nil, SevNote)
		if res.Verdict != Pass || len(res.Findings) != 0 {
			t.Errorf("class %s: verdict %s, findings %+v", class, res.Verdict, res.Findings)
		}
	}
}

func TestVerdictThreshold(t *testing.T) {
	d := good()
	d.RiskControls[0].Kind = "" // one warning, nothing else
	for _, tc := range []struct {
		failOn Severity
		want   Verdict
	}{{SevError, Pass}, {SevWarning, Fail}, {SevNote, Fail}, {"never", Pass}} {
		res := Validate(newModel(t, model.ClassB, d), nil, tc.failOn)
		if res.Verdict != tc.want || res.Summary.Warnings != 1 {
			t.Errorf("fail-on %s: verdict %s (summary %+v), want %s", tc.failOn, res.Verdict, res.Summary, tc.want)
		}
	}
	if r := Errored(GateValidate, []string{"x.yml:1: broken"}); r.Verdict != Error {
		t.Errorf("errored verdict = %s", r.Verdict)
	}
}

func TestRuleIDsUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Catalog() {
		if seen[r.ID] || seen[r.Name] {
			t.Errorf("rule %s / %s is not unique", r.ID, r.Name)
		}
		seen[r.ID], seen[r.Name] = true, true
		if r.Title == "" || r.Description == "" || r.Remediation == "" || len(r.Clauses) == 0 || r.MinClass == "" || r.Severity == "" || r.Gate == "" {
			t.Errorf("rule %s is incomplete: %+v", r.ID, r)
		}
	}
}

// TestReadingWarningsCount: a warning raised while reading the inputs (a
// file repaired, a line skipped) is a warning of the evaluation: it fails
// the gate at --fail-on warning and is in the summary's count, never only
// in a list below it.
func TestReadingWarningsCount(t *testing.T) {
	d := good()
	d.Warnings = []input.Warning{input.Warnf(input.Pos{File: "reports/x.xml", Line: 2}, "DOCTYPE ignored")}
	for _, tc := range []struct {
		failOn Severity
		want   Verdict
	}{{SevError, Pass}, {SevWarning, Fail}, {SevNote, Fail}, {"never", Pass}} {
		res := Validate(newModel(t, model.ClassB, d), nil, tc.failOn)
		if res.Verdict != tc.want {
			t.Errorf("fail-on %s: verdict %s, want %s", tc.failOn, res.Verdict, tc.want)
		}
		if res.Summary.Warnings != 1 || res.Summary.ReadingWarnings != 1 || len(res.Findings) != 0 {
			t.Errorf("fail-on %s: summary %+v, findings %+v; want 1 warning, read while reading", tc.failOn, res.Summary, res.Findings)
		}
	}
}

// TG106 says why it judged nothing when no requirement has a software type:
// a policy whose software_requirement_types match none of the files' types
// (Ketryx's FUNCTIONAL, Use case) must not look like a pass.
func TestRequirementParentTypesNamed(t *testing.T) {
	dhf := &model.DHF{Requirements: []model.Requirement{
		{ID: "SRS-1", Title: "a", Type: "functional", Source: input.Pos{File: "r.md", Line: 1}},
		{ID: "SRS-2", Title: "b", Type: "use case", Source: input.Pos{File: "r.md", Line: 9}},
		{ID: "SRS-3", Title: "c", Source: input.Pos{File: "r.md", Line: 19}},
	}}
	res := Validate(newModel(t, model.ClassC, dhf), nil, SevWarning)
	for _, r := range res.Rules {
		if r.Rule == "TG106" {
			const want = "no active requirement has a type listed in software_requirement_types (types read: (none), functional, use case)"
			if r.Status != RuleNotApplicable || r.Reason != want {
				t.Errorf("TG106 %s (%s), want not applicable (%s)", r.Status, r.Reason, want)
			}
			return
		}
	}
	t.Fatal("TG106 not in the result")
}

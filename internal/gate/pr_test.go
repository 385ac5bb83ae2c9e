package gate

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

// prFacts is a pull request that every PR rule accepts: it links SRS-1 and
// an approved change request, and SRS-1 is verified by its evidence.
func prFacts(t *testing.T, class model.Class) *PRFacts {
	d := good()
	d.Tests = []model.TestCase{{Name: "TestLimit", Outcome: model.Passed, Requirements: []string{"SRS-1"}}}
	head := newModel(t, class, d)
	base := newModel(t, class, good())
	return &PRFacts{
		Head: head, Base: base,
		PR: facts.PullRequest{Number: 7, Title: "SRS-1: limit bolus", Body: "Fixes #12", BaseSHA: "b", HeadSHA: "h"},
		Links: []trace.Link{
			{Kind: config.KindRequirement, ID: "SRS-1", Where: []string{"title"}},
			{Kind: trace.LinkIssue, ID: "#12", Number: 12, Where: []string{"body"}, Closing: true},
		},
		Records:  map[string][]model.Record{"#12": {{Kind: model.KindChangeRequest, ID: "#12", Title: "Limit bolus", State: "open", Approved: true}}},
		Issues:   map[string]*facts.Issue{"#12": {Ref: facts.IssueRef{Number: 12}, Title: "Limit bolus", State: "open"}},
		Changes:  []facts.Change{{Status: facts.Modified, Path: "README.md"}},
		Evidence: true, PolicyFile: ".github/tracegate.yml",
	}
}

func triaged(id string, mod ...func(*model.Record)) model.Record {
	r := model.Record{Kind: model.KindProblemReport, ID: id, Title: "Rate rounds down", State: "open",
		Fields: map[string]string{"type": "corrective", "scope": "dose display", "criticality": "low", "investigation": "float rounding"}}
	for _, m := range mod {
		m(&r)
	}
	return r
}

func TestPRRules(t *testing.T) {
	type tc = prCase
	cases := []tc{
		{"linked", model.ClassA, nil, "TG201", RulePassed, "", ""},
		{"unlinked", model.ClassA, func(f *PRFacts) { f.Links = nil }, "TG201", RuleFailed, "pull request #7 “SRS-1: limit bolus”", "links no requirement"},
		{"only a plain issue", model.ClassB, func(f *PRFacts) {
			f.Links = f.Links[1:]
			f.Records = nil
			f.Issues["#12"].Labels = []string{"question"}
		}, "TG201", RuleFailed, "pull request #7 “SRS-1: limit bolus”", "#12 is not labelled as a problem report or change request"},
		{"exempt with justification", model.ClassC, func(f *PRFacts) {
			f.Links = nil
			f.Head.Config.PR.ExemptLabels = []string{"no-trace"}
			f.PR.Labels = []string{"No-Trace"}
			f.PR.Body = "## Justification\nTypo in a comment; no behaviour changes."
		}, "TG201", RulePassed, "", ""},
		{"exempt without justification", model.ClassC, func(f *PRFacts) {
			f.Links = nil
			f.Head.Config.PR.ExemptLabels = []string{"no-trace"}
			f.PR.Labels = []string{"no-trace"}
			f.PR.Body = "## Justification\n<!-- why? -->\n"
		}, "TG201", RuleFailed, "pull request #7 “SRS-1: limit bolus”", `exempt label "no-trace" but its body has no written justification`},

		{"no exemption recorded", model.ClassA, nil, "TG202", RulePassed, "", ""},
		{"exemption recorded", model.ClassA, func(f *PRFacts) {
			f.Head.Config.PR.ExemptLabels = []string{"no-trace"}
			f.PR.Labels = []string{"no-trace"}
			f.PR.Body = "Justification: comment typo only"
		}, "TG202", RuleFailed, "pull request #7 “SRS-1: limit bolus”", `label "no-trace"; justification: comment typo only`},

		{"links resolve", model.ClassA, nil, "TG203", RulePassed, "", ""},
		{"requirement missing", model.ClassA, func(f *PRFacts) {
			f.Links = append(f.Links, trace.Link{Kind: config.KindRequirement, ID: "SRS-99", Where: []string{"branch"}})
		}, "TG203", RuleFailed, "SRS-99", "requirement SRS-99 (in branch), which does not exist"},
		{"requirement kept outside the repository", model.ClassA, func(f *PRFacts) {
			c := *f.Head.Config
			c.External = []config.External{{Name: "System requirements (Jira)", Pattern: `SRS-9\d`}}
			ids, err := trace.NewIDs(&c)
			if err != nil {
				panic(err)
			}
			f.Head.IDs = ids
			f.Links = append(f.Links, trace.Link{Kind: config.KindRequirement, ID: "SRS-99", Where: []string{"branch"}})
		}, "TG203", RulePassed, "", ""},
		{"issue missing", model.ClassA, func(f *PRFacts) { delete(f.Issues, "#12"); delete(f.Records, "#12") }, "TG203", RuleFailed, "#12", "issue #12 (in body), which does not exist"},
		{"issue not looked up", model.ClassA, func(f *PRFacts) {
			f.Issues, f.Records = nil, nil
			f.Unresolvable = map[string]string{"#12": "no GitHub token was given"}
		}, "TG203", RuleFailed, "#12", "could not be looked up: no GitHub token"},
		{"CR id missing", model.ClassA, func(f *PRFacts) {
			f.Links = append(f.Links, trace.Link{Kind: config.KindChangeRequest, ID: "CR-4", Where: []string{"body"}})
		}, "TG203", RuleFailed, "CR-4", "change request CR-4 (in body), which does not exist"},
		{"CR id added by the pull request itself", model.ClassA, func(f *PRFacts) {
			f.Links = append(f.Links, trace.Link{Kind: config.KindChangeRequest, ID: "CR-4", Where: []string{"title"}})
			f.HeadOnly = map[string]bool{"CR-4": true}
		}, "TG203", RuleFailed, "CR-4", "change request CR-4 (in title), which it adds itself: change requests are read from the base branch"},
		{"CR id missing, issues not searched without a token", model.ClassA, func(f *PRFacts) {
			f.Links = append(f.Links, trace.Link{Kind: config.KindChangeRequest, ID: "CR-4", Where: []string{"body"}})
			f.Head.Config.ChangeRequests.Labels = []string{"change-request"}
			f.NoTracker = "no GitHub token was given"
		}, "TG203", RuleFailed, "CR-4", "which does not exist in the files the policy names; issues labelled change-request were not searched: no GitHub token was given"},

		{"change approved", model.ClassA, nil, "TG204", RulePassed, "", ""},
		{"change not approved", model.ClassA, func(f *PRFacts) { f.Records["#12"][0].Approved = false }, "TG204", RuleFailed, "#12", "is not approved (approved labels: approved)"},

		{"problem triaged", model.ClassA, func(f *PRFacts) { f.Records["#12"] = []model.Record{triaged("#12")} }, "TG205", RulePassed, "", ""},
		{"problem not triaged", model.ClassA, func(f *PRFacts) {
			f.Records["#12"] = []model.Record{triaged("#12", func(r *model.Record) { delete(r.Fields, "scope"); r.Fields["investigation"] = " " })}
		}, "TG205", RuleFailed, "#12", `does not state “Investigation”, “Scope”`},

		{"linked requirement verified", model.ClassA, nil, "TG206", RulePassed, "", ""},
		{"linked requirement failing", model.ClassA, func(f *PRFacts) {
			f.Head.DHF.Tests[0].Outcome = model.Failed
			f.Head = newModel(t, model.ClassA, f.Head.DHF)
		}, "TG206", RuleFailed, "SRS-1", "has a failing test: TestLimit (failed)"},
		{"linked requirement untested", model.ClassA, func(f *PRFacts) {
			f.Head.DHF.Tests = nil
			f.Head = newModel(t, model.ClassA, f.Head.DHF)
		}, "TG206", RuleFailed, "SRS-1", "no passing test in the pull request's evidence"},
		{"no evidence given", model.ClassA, func(f *PRFacts) { f.Evidence = false }, "TG206", RuleNotApplicable, "", ""},
		{"linked parent judged through a failing child", model.ClassA, func(f *PRFacts) {
			f.Links = append(f.Links, trace.Link{Kind: config.KindRequirement, ID: "SYS-1", Where: []string{"body"}})
			f.Head.DHF.Tests = append(f.Head.DHF.Tests, model.TestCase{Name: "TestLimitBad", Outcome: model.Failed, Requirements: []string{"SRS-1"}})
			f.Head = newModel(t, model.ClassA, f.Head.DHF, func(c *config.Config) { c.Verification.Parents = config.ParentsChildren })
			f.Links = f.Links[2:]
		}, "TG206", RuleFailed, "SYS-1", "SYS-1, linked by the pull request, is failed through its children (verification.parents: children) in the pull request's evidence: SRS-1 failed"},

		{"no risk touched", model.ClassC, func(f *PRFacts) {
			f.Head.Config.Items = []config.Item{{Name: "ui", Class: model.ClassB, Paths: []string{"src/ui/**"}}}
		}, "TG207", RulePassed, "", ""},
		{"no items: any file of a class C system", model.ClassC, nil, "TG207", RuleFailed, "pull request #7 “SRS-1: limit bolus”",
			"changes README.md of the class C software system (the policy declares no items, so the whole repository is one software item of the system's class), but its body has no \"Risk impact\" section"},
		{"no items in a class A system", model.ClassA, nil, "TG207", RulePassed, "", ""},
		{"risk file changed, assessed", model.ClassB, func(f *PRFacts) {
			f.Changes = []facts.Change{{Status: facts.Modified, Path: "docs/risk/hazards.yml"}}
			f.PR.Body = "## Risk impact\nRe-estimated HAZ-1; residual unchanged."
		}, "TG207", RulePassed, "", ""},
		{"risk file changed, not assessed", model.ClassB, func(f *PRFacts) {
			f.Changes = []facts.Change{{Status: facts.Modified, Path: "docs/risk/hazards.yml"}}
		}, "TG207", RuleFailed, "pull request #7 “SRS-1: limit bolus”", `changes the risk analysis (docs/risk/hazards.yml), but its body has no "Risk impact" section`},
		{"class C item changed", model.ClassB, func(f *PRFacts) {
			f.Head.Config.Items = []config.Item{{Name: "dose", Class: model.ClassC, Paths: []string{"src/dose/**"}}}
			f.Changes = []facts.Change{{Status: facts.Renamed, Path: "src/x.go", OldPath: "src/dose/x.go"}}
		}, "TG207", RuleFailed, "pull request #7 “SRS-1: limit bolus”", "changes src/dose/x.go of class C item dose"},
		{"class A item changed in a class B system", model.ClassB, func(f *PRFacts) {
			f.Head.Config.Items = []config.Item{{Name: "log", Class: model.ClassA, Paths: []string{"src/log/**"}}}
			f.Changes = []facts.Change{{Status: facts.Modified, Path: "src/log/x.go"}}
		}, "TG207", RulePassed, "", ""},
		{"requirement implementing a control changed", model.ClassC, func(f *PRFacts) {
			f.Head.DHF.Requirements[1].Text = "The software shall stop within 1 s."
			f.Head = newModel(t, model.ClassC, f.Head.DHF)
		}, "TG207", RuleFailed, "pull request #7 “SRS-1: limit bolus”", "changes requirement SRS-1, which implements risk control RC-1"},
		{"risk file changed, class A system", model.ClassA, func(f *PRFacts) {
			f.Changes = []facts.Change{{Status: facts.Modified, Path: "docs/risk/hazards.yml"}}
		}, "TG207", RuleNotApplicable, "", ""},

		{"policy unchanged", model.ClassA, nil, "TG208", RulePassed, "", ""},
		{"policy changed", model.ClassA, func(f *PRFacts) {
			f.Changes = append(f.Changes, facts.Change{Status: facts.Modified, Path: ".github/tracegate.yml"})
		}, "TG208", RuleFailed, ".github/tracegate.yml", "judged by the base branch's policy"},
	}
	cases = append(cases, prReviewCases()...)
	covered := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := prFacts(t, c.class)
			if c.mod != nil {
				c.mod(f)
			}
			res := EvaluatePR(f, SevWarning)
			o, fs := outcomeOf(t, res, c.rule)
			if o.Status != c.status {
				t.Fatalf("status = %s (%s), want %s; findings %+v", o.Status, o.Reason, c.status, fs)
			}
			covered[c.rule+"/"+string(c.status)] = true
			switch c.status {
			case RuleFailed:
				if fs[0].Subject != c.subject || !strings.Contains(fs[0].Message, c.message) {
					t.Errorf("finding = %s: %q\nwant subject %s, message containing %q", fs[0].Subject, fs[0].Message, c.subject, c.message)
				}
			default:
				if len(fs) > 0 {
					t.Errorf("findings: %+v", fs)
				}
				if c.status == RuleNotApplicable && o.Reason == "" {
					t.Error("not applicable without a reason")
				}
			}
		})
	}
	for _, r := range prRules {
		for _, s := range []RuleStatus{RulePassed, RuleFailed} {
			if !covered[r.ID+"/"+string(s)] {
				t.Errorf("rule %s has no %s case", r.ID, s)
			}
		}
		if r.MinClass != model.ClassA && !covered[r.ID+"/"+string(RuleNotApplicable)] {
			t.Errorf("rule %s has no not-applicable case", r.ID)
		}
	}
}

func outcomeOf(t *testing.T, res *Result, rule string) (RuleOutcome, []Finding) {
	t.Helper()
	var fs []Finding
	for _, f := range res.Findings {
		if f.Rule == rule {
			fs = append(fs, f)
		}
	}
	for _, o := range res.Rules {
		if o.Rule == rule {
			return o, fs
		}
	}
	t.Fatalf("rule %s not in the result", rule)
	return RuleOutcome{}, nil
}

func TestPRLintCountsOnlyNewFindings(t *testing.T) {
	f := prFacts(t, model.ClassB)
	// The base already has a dangling parent; the head keeps it and adds one.
	baseDHF := good()
	baseDHF.Requirements = append(baseDHF.Requirements, sw("SRS-2", parents("SYS-8")))
	f.Base = newModel(t, model.ClassB, baseDHF)
	headDHF := good()
	headDHF.Requirements = append(headDHF.Requirements, sw("SRS-2", parents("SYS-8")), sw("SRS-3", parents("SYS-9")))
	headDHF.Requirements[1].Source.Line = 40 // moved: still the same finding
	headDHF.Tests = []model.TestCase{{Name: "TestLimit", Outcome: model.Passed, Requirements: []string{"SRS-1"}}}
	f.Head = newModel(t, model.ClassB, headDHF)
	res := EvaluatePR(f, SevWarning)
	o, fs := outcomeOf(t, res, "TG103")
	if len(fs) != 1 || fs[0].Subject != "SRS-3" || o.Status != RuleFailed || !strings.Contains(o.Reason, "1 finding(s) already present at the base") {
		t.Fatalf("TG103 = %+v, findings %+v", o, fs)
	}
	if res.Verdict != Fail {
		t.Errorf("verdict = %s", res.Verdict)
	}
	if res.PullRequest == nil || res.PullRequest.Number != 7 || len(res.PullRequest.Links) != 2 {
		t.Errorf("summary = %+v", res.PullRequest)
	}
}

func parents(p ...string) func(*model.Requirement) {
	return func(r *model.Requirement) { r.Parents = p }
}

// A link that does not resolve says what to do in its own case: a change
// request the pull request adds must be merged first; a missing one is
// created where the policy reads them; an issue needs a token.
func TestPRLinkRemediation(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*PRFacts)
		id   string
		fix  string
	}{
		{"added by the pull request", func(f *PRFacts) {
			f.Links = append(f.Links, trace.Link{Kind: config.KindChangeRequest, ID: "CR-4", Where: []string{"title"}})
			f.HeadOnly = map[string]bool{"CR-4": true}
		}, "CR-4", "merge the change request first, approved, in a pull request of its own"},
		{"missing, read from files and issues", func(f *PRFacts) {
			f.Links = append(f.Links, trace.Link{Kind: config.KindChangeRequest, ID: "CR-4", Where: []string{"body"}})
			f.Head.Config.ChangeRequests.Files = []string{"docs/change-requests/*.yml"}
			f.Head.Config.ChangeRequests.Labels = []string{"change-request"}
		}, "CR-4", "correct the reference, or create the change request at the base branch as a file matching docs/change-requests/*.yml, or as a GitHub issue labelled change-request with the ID in its title"},
		{"missing, read from files only: no word of a token", func(f *PRFacts) {
			f.Links = append(f.Links, trace.Link{Kind: config.KindProblemReport, ID: "PRB-4", Where: []string{"body"}})
			f.Head.Config.ProblemReports.Files = []string{"docs/problem-reports/*.yml"}
			f.Head.Config.ProblemReports.Labels = nil
			f.NoTracker = "no GitHub token was given"
		}, "PRB-4", "correct the reference, or create the problem report as a file matching docs/problem-reports/*.yml"},
		{"issue without a token", func(f *PRFacts) {
			f.Issues, f.Records = nil, nil
			f.Unresolvable = map[string]string{"#12": "no GitHub token was given"}
		}, "#12", "give tracegate a GitHub token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := prFacts(t, model.ClassB)
			tc.mod(f)
			_, fs := outcomeOf(t, EvaluatePR(f, SevWarning), "TG203")
			if len(fs) != 1 || fs[0].Subject != tc.id {
				t.Fatalf("findings %+v", fs)
			}
			if !strings.HasPrefix(fs[0].Remediation, tc.fix) {
				t.Errorf("remediation %q, want it to start %q", fs[0].Remediation, tc.fix)
			}
			if strings.Contains(fs[0].Message+fs[0].Remediation, "token") != strings.Contains(tc.fix, "token") && tc.name != "added by the pull request" {
				t.Errorf("a token is mentioned where it does not help, or not where it does: %q / %q", fs[0].Message, fs[0].Remediation)
			}
		})
	}
}

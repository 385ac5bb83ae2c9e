package gate

import (
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

func commit(sha, msg string, parents ...string) facts.Commit {
	return facts.Commit{SHA: sha, Message: msg, Parents: parents, Author: "Dev <dev@example.com>", Committed: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
}

// releaseFacts is a release every rule accepts: SRS-1 verified, RC-1
// verified, two traced commits, no open problem, both plans present.
func releaseFacts(t *testing.T, class model.Class) *ReleaseFacts {
	d := good()
	d.Tests = []model.TestCase{{Name: "TestLimit", Outcome: model.Passed, Requirements: []string{"SRS-1", "SYS-1"}}}
	m := newModel(t, class, d)
	commits := []facts.Commit{commit("c2", "Limit bolus (SRS-1)", "c1"), commit("c1", "Fix rounding\n\nFixes PRB-3", "c0")}
	return &ReleaseFacts{
		Model: m, Tag: "v1.1.0", Commit: "c2",
		Previous: &facts.Tag{Name: "v1.0.0", Commit: "c0"},
		Commits:  commits,
		Links: map[string][]trace.Link{
			"c2": {{Kind: config.KindRequirement, ID: "SRS-1"}},
			"c1": {{Kind: config.KindProblemReport, ID: "PRB-3"}},
		},
		Records: map[string][]model.Record{"PRB-3": {triaged("PRB-3", func(r *model.Record) { r.State = "closed" })}},
		Plans: []PlanFiles{
			{Plan: config.Plan{Name: "Software development plan", Clause: "IEC 62304 5.1", Path: "docs/plans/sdp.md"}, Files: []string{"docs/plans/sdp.md"}},
		},
	}
}

func TestReleaseRules(t *testing.T) {
	type tc = releaseCase
	rebuild := func(f *ReleaseFacts, class model.Class) { f.Model = newModel(t, class, f.Model.DHF) }
	cases := []tc{
		{"all traced", model.ClassA, nil, "TG301", RulePassed, "", ""},
		{"untraced commit", model.ClassA, func(f *ReleaseFacts) {
			f.Commits = append([]facts.Commit{commit("c3abcdef0123456", "tweak", "c2")}, f.Commits...)
		}, "TG301", RuleFailed, "c3abcdef0123", "commit c3abcdef0123 “tweak” (Dev <dev@example.com>, 2026-11-01) traces to no"},
		{"untraced commit listed by an approved change request", model.ClassA, func(f *ReleaseFacts) {
			f.Commits = append([]facts.Commit{commit("c3abcdef0123456", "tweak", "c2")}, f.Commits...)
			f.Listing = []model.Record{{Kind: model.KindChangeRequest, ID: "CR-9", Approved: true, Commits: []string{"C3ABCDE"}}}
		}, "TG301", RulePassed, "", ""},
		{"untraced commit listed by a change request not approved", model.ClassA, func(f *ReleaseFacts) {
			f.Commits = append([]facts.Commit{commit("c3abcdef0123456", "tweak", "c2")}, f.Commits...)
			f.Listing = []model.Record{{Kind: model.KindChangeRequest, ID: "CR-9", Commits: []string{"c3abcdef0123456"}},
				{Kind: model.KindChangeRequest, ID: "CR-8", Approved: true, Commits: []string{"c3abcd0"}}}
		}, "TG301", RuleFailed, "c3abcdef0123", "traces to no change request, problem report or requirement; change request CR-9 lists it but is not approved"},
		{"traced by the merge commit that brought it in", model.ClassA, func(f *ReleaseFacts) {
			// c0 ← c2 ← m (merge of f2 ← f1 ← c0 branch): f1 and f2 carry no IDs.
			f.Commits = []facts.Commit{
				commit("m", "Merge pull request #40 from acme/SRS-1-limit", "c2", "f2"),
				commit("f2", "wip"), commit("f1", "more wip"),
				commit("c2", "Limit bolus (SRS-1)", "c1"), commit("c1", "Fix rounding\n\nFixes PRB-3", "c0"),
			}
			f.Commits[1].Parents = []string{"f1"}
			f.Commits[2].Parents = []string{"c0"}
			f.Links["m"] = []trace.Link{{Kind: config.KindRequirement, ID: "SRS-1"}, {Kind: trace.LinkIssue, ID: "#40"}}
		}, "TG301", RulePassed, "", ""},
		{"traced through the pull request a squash commit names", model.ClassA, func(f *ReleaseFacts) {
			f.Commits = append([]facts.Commit{commit("c3", "Improve alarm (#41)", "c2")}, f.Commits...)
			f.Links["c3"] = []trace.Link{{Kind: trace.LinkIssue, ID: "#41"}}
			f.PRLinks = map[string][]trace.Link{"#41": {{Kind: config.KindRequirement, ID: "SRS-1"}}}
		}, "TG301", RulePassed, "", ""},
		{"link to a missing requirement does not trace", model.ClassA, func(f *ReleaseFacts) {
			f.Links["c2"] = []trace.Link{{Kind: config.KindRequirement, ID: "SRS-404"}}
		}, "TG301", RuleFailed, "c2", "traces to no"},
		{"first release", model.ClassA, func(f *ReleaseFacts) { f.Previous = nil }, "TG301", RuleNotApplicable, "", ""},

		{"requirements verified", model.ClassA, nil, "TG302", RulePassed, "", ""},
		{"requirement failing", model.ClassA, func(f *ReleaseFacts) {
			f.Model.DHF.Tests[0].Outcome = model.Failed
			rebuild(f, model.ClassA)
		}, "TG302", RuleFailed, "SRS-1", "fails verification: TestLimit (failed)"},
		{"requirement untested", model.ClassC, func(f *ReleaseFacts) {
			f.Model.DHF.Requirements = append(f.Model.DHF.Requirements, sw("SRS-2"))
			rebuild(f, model.ClassC)
		}, "TG302", RuleFailed, "SRS-2", "SRS-2 “title” has no passing test"},
		{"parent verified through its children", model.ClassC, func(f *ReleaseFacts) {
			f.Model.DHF.Tests[0].Requirements = []string{"SRS-1"}
			f.Model = newModel(t, model.ClassC, f.Model.DHF, func(c *config.Config) { c.Verification.Parents = config.ParentsChildren })
		}, "TG302", RulePassed, "", ""},
		{"parent judged through its children, one unverified", model.ClassC, func(f *ReleaseFacts) {
			f.Model.DHF.Requirements = append(f.Model.DHF.Requirements, sys("SRS-0"), sw("SRS-9", func(r *model.Requirement) { r.Parents = []string{"SRS-0"} }))
			f.Model.DHF.Tests = append(f.Model.DHF.Tests, model.TestCase{Name: "TestSystem", Outcome: model.Passed, Requirements: []string{"SRS-0"}})
			f.Model = newModel(t, model.ClassC, f.Model.DHF, func(c *config.Config) { c.Verification.Parents = config.ParentsChildren })
		}, "TG302", RuleFailed, "SRS-0", "SRS-0 “need” is unverified through its children (verification.parents: children): SRS-9 unverified"},
		{"parent judged by both, without a test of its own", model.ClassC, func(f *ReleaseFacts) {
			f.Model.DHF.Tests[0].Requirements = []string{"SRS-1"}
			f.Model = newModel(t, model.ClassC, f.Model.DHF, func(c *config.Config) { c.Verification.Parents = config.ParentsBoth })
		}, "TG302", RuleFailed, "SYS-1", "SYS-1 “need” is unverified through its children (verification.parents: both): it has no passing test of its own"},
		{"inactive requirement untested", model.ClassC, func(f *ReleaseFacts) {
			f.Model.DHF.Requirements = append(f.Model.DHF.Requirements, sw("SRS-2", func(r *model.Requirement) { r.Status = "draft" }))
			rebuild(f, model.ClassC)
		}, "TG302", RulePassed, "", ""},

		{"tests passed", model.ClassA, nil, "TG303", RulePassed, "", ""},
		{"unlinked test errored", model.ClassA, func(f *ReleaseFacts) {
			f.Model.DHF.Tests = append(f.Model.DHF.Tests, model.TestCase{Name: "TestBoot", ClassName: "pump", Outcome: model.Errored, Message: "panic: nil map\ngoroutine 1"})
			rebuild(f, model.ClassA)
		}, "TG303", RuleFailed, "pump.TestBoot", "test pump.TestBoot errored: panic: nil map"},

		{"evidence present", model.ClassA, nil, "TG304", RulePassed, "", ""},
		{"no evidence", model.ClassA, func(f *ReleaseFacts) { f.Model.DHF.Tests = nil; rebuild(f, model.ClassA) }, "TG304", RuleFailed, "tests", "no test results"},
		{"evidence counted, none kept", model.ClassA, func(f *ReleaseFacts) {
			f.Model.DHF.Tests, f.Model.DHF.Unkept = nil, model.TestTotals{Total: 3, Passed: 3}
			rebuild(f, model.ClassA)
		}, "TG304", RulePassed, "", ""},

		{"controls verified", model.ClassB, nil, "TG305", RulePassed, "", ""},
		{"control not verified", model.ClassB, func(f *ReleaseFacts) {
			f.Model.DHF.Tests[0].Requirements = []string{"SYS-1"}
			rebuild(f, model.ClassB)
		}, "TG305", RuleFailed, "RC-1", "is not verified: implemented by SRS-1 unverified"},
		{"control not verified, class A", model.ClassA, func(f *ReleaseFacts) {
			f.Model.DHF.Tests[0].Requirements = []string{"SYS-1"}
			rebuild(f, model.ClassA)
		}, "TG305", RuleNotApplicable, "", ""},

		{"no open problems to evaluate", model.ClassB, nil, "TG306", RulePassed, "", ""},
		{"open problem evaluated", model.ClassB, func(f *ReleaseFacts) {
			f.OpenProblems = []model.Record{triaged("PRB-7", func(r *model.Record) { r.Fields["evaluation"] = "Display only; no hazard." })}
		}, "TG306", RulePassed, "", ""},
		{"open problem not evaluated", model.ClassC, func(f *ReleaseFacts) { f.OpenProblems = []model.Record{triaged("PRB-7")} }, "TG306", RuleFailed, "PRB-7", "known residual anomaly without an evaluation"},
		{"open problem not evaluated, class A", model.ClassA, func(f *ReleaseFacts) { f.OpenProblems = []model.Record{triaged("PRB-7")} }, "TG306", RuleNotApplicable, "", ""},

		{"open problem of low criticality", model.ClassA, func(f *ReleaseFacts) { f.OpenProblems = []model.Record{triaged("PRB-7")} }, "TG307", RulePassed, "", ""},
		{"open problem too critical", model.ClassA, func(f *ReleaseFacts) {
			f.OpenProblems = []model.Record{triaged("PRB-7", func(r *model.Record) { r.Fields["criticality"] = "High" })}
		}, "TG307", RuleFailed, "PRB-7", "is open with criticality high, above the medium the policy allows"},
		{"open problem without criticality", model.ClassA, func(f *ReleaseFacts) {
			f.OpenProblems = []model.Record{triaged("PRB-7", func(r *model.Record) { delete(r.Fields, "criticality") })}
		}, "TG307", RuleFailed, "PRB-7", "states no criticality"},

		{"plans present", model.ClassA, nil, "TG308", RulePassed, "", ""},
		{"plan missing", model.ClassA, func(f *ReleaseFacts) {
			f.Plans = append(f.Plans, PlanFiles{Plan: config.Plan{Name: "Software maintenance plan", Clause: "IEC 62304 6.1", Path: "docs/plans/smp.md"}})
		}, "TG308", RuleFailed, "Software maintenance plan", `no file matches "docs/plans/smp.md"`},

		{"no change request linked", model.ClassA, nil, "TG312", RulePassed, "", ""},
		{"the change request a change implements is approved", model.ClassC, func(f *ReleaseFacts) {
			f.Commits = append([]facts.Commit{commit("c3abcdef0123456", "Dose unit (CR-5)", "c2")}, f.Commits...)
			f.Links["c3abcdef0123456"] = []trace.Link{{Kind: config.KindChangeRequest, ID: "CR-5"}}
			f.Records["CR-5"] = []model.Record{{Kind: model.KindChangeRequest, ID: "CR-5", Title: "Dose unit", Approved: true}}
		}, "TG312", RulePassed, "", ""},
		{"a change implements a change request nobody approved", model.ClassA, func(f *ReleaseFacts) {
			f.Commits = append([]facts.Commit{commit("c3abcdef0123456", "Dose unit (CR-5)", "c2")}, f.Commits...)
			f.Links["c3abcdef0123456"] = []trace.Link{{Kind: config.KindChangeRequest, ID: "CR-5"}}
			f.Records["CR-5"] = []model.Record{{Kind: model.KindChangeRequest, ID: "CR-5", Title: "Dose unit"}}
		}, "TG312", RuleFailed, "CR-5", "change request CR-5 “Dose unit” is not approved (approved labels: approved), and the release holds 1 commit that implement it: c3abcdef0123"},
		{"an unapproved change request linked by the pull request a commit names", model.ClassA, func(f *ReleaseFacts) {
			f.Commits = append([]facts.Commit{commit("c3", "Improve alarm (#41)", "c2")}, f.Commits...)
			f.Links["c3"] = []trace.Link{{Kind: trace.LinkIssue, ID: "#41"}}
			f.PRLinks = map[string][]trace.Link{"#41": {{Kind: config.KindChangeRequest, ID: "CR-6"}}}
			f.Records["CR-6"] = []model.Record{{Kind: model.KindChangeRequest, ID: "CR-6", Title: "Alarm tone"}}
		}, "TG312", RuleFailed, "CR-6", "change request CR-6 “Alarm tone” is not approved"},
		{"first release: no changes to judge", model.ClassA, func(f *ReleaseFacts) {
			f.Previous = nil
			f.Links["c2"] = []trace.Link{{Kind: config.KindChangeRequest, ID: "CR-5"}}
			f.Records["CR-5"] = []model.Record{{Kind: model.KindChangeRequest, ID: "CR-5", Title: "Dose unit"}}
		}, "TG312", RuleNotApplicable, "", ""},

		{"tag matches", model.ClassA, nil, "TG309", RulePassed, "", ""},
		{"tag does not match", model.ClassA, func(f *ReleaseFacts) { f.Tag = "nightly-42" }, "TG309", RuleFailed, "nightly-42", `does not match the release tag pattern "v*"`},
	}
	cases = append(cases, releaseReviewCases()...)
	covered := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := releaseFacts(t, c.class)
			if c.mod != nil {
				c.mod(f)
			}
			res := EvaluateRelease(f, SevWarning)
			o, fs := outcomeOf(t, res, c.rule)
			if o.Status != c.status {
				t.Fatalf("status = %s (%s), want %s; findings %+v", o.Status, o.Reason, c.status, fs)
			}
			covered[c.rule+"/"+string(c.status)] = true
			if c.status == RuleFailed {
				if fs[0].Subject != c.subject || !strings.Contains(fs[0].Message, c.message) {
					t.Errorf("finding = %s: %q\nwant subject %s, message containing %q", fs[0].Subject, fs[0].Message, c.subject, c.message)
				}
			} else if len(fs) > 0 {
				t.Errorf("findings: %+v", fs)
			}
		})
	}
	for _, r := range releaseRules {
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

func TestReleasePassesAndSummarises(t *testing.T) {
	f := releaseFacts(t, model.ClassC)
	f.OpenProblems = []model.Record{triaged("PRB-7", func(r *model.Record) { r.Fields["evaluation"] = "no hazard" })}
	res := EvaluateRelease(f, SevWarning)
	if res.Verdict != Pass {
		t.Fatalf("verdict %s: %+v", res.Verdict, res.Findings)
	}
	s := res.Release
	if s == nil || s.Tag != "v1.1.0" || s.PreviousTag != "v1.0.0" || len(s.Changes) != 2 || !s.Changes[0].Traced ||
		s.Changes[1].Links[0] != "PRB-3" || len(s.KnownAnomalies) != 1 || len(s.Plans) != 1 {
		t.Errorf("summary = %+v", s)
	}
}

// A commit traced by an approved change request that lists it says so in
// the release summary: its links are the change request, and how.
func TestChangeListedByChangeRequest(t *testing.T) {
	f := releaseFacts(t, model.ClassC)
	f.Commits = append([]facts.Commit{commit("c3abcdef0123456", "tweak", "c2")}, f.Commits...)
	f.Listing = []model.Record{{Kind: model.KindChangeRequest, ID: "#31", Approved: true, Commits: []string{"c3abcde"}}}
	res := EvaluateRelease(f, SevError)
	ch := res.Release.Changes[0]
	if ch.SHA != "c3abcdef0123456" || !ch.Traced || len(ch.Links) != 1 || ch.Links[0] != "#31" || ch.Via != "listed by an approved change request" {
		t.Errorf("change = %+v", ch)
	}
	if res.Verdict != Pass {
		t.Errorf("verdict %s: %+v", res.Verdict, res.Findings)
	}
}

package check_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/fakerepo"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/soup"
)

// prCase is a pull request over the fake repository: a base commit of
// baseFiles, a branch with the head's changes, and what the check must
// gather and decide.
type prCase struct {
	name string
	// head are the files the pull request changes, commit by commit.
	head []map[string]string
	// messages are the head commits' messages ("Change" when short).
	messages []string
	pr       facts.PullRequest
	tracker  *fakerepo.Tracker
	// setup changes the sources (a work tree, an evidence source).
	setup func(src *check.Sources, r *fakerepo.Repo, base, head string)
	// breakRepo makes a method of the repository fail.
	breakRepo map[string]error
	check     func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error)
}

func (c prCase) run(t *testing.T) {
	r := fakerepo.New()
	base := r.Commit("main", "Initial", baseFiles())
	r.Branch("feature", "main")
	head := base
	for i, files := range c.head {
		msg := "Change"
		if i < len(c.messages) {
			msg = c.messages[i]
		}
		head = r.Commit("feature", msg, files)
	}
	src := sources(r, c.tracker)
	if c.setup != nil {
		c.setup(src, r, base, head)
	}
	r.Err = c.breakRepo
	pr := c.pr
	if pr.Number == 0 {
		pr.Number = 7
	}
	ctx := context.Background()
	opts := check.Options{FailOn: gate.SevError}
	f, gerr := check.GatherPR(ctx, src, pr, "main", "feature", opts)
	res, err := check.PR(ctx, src, pr, "main", "feature", opts)
	if (gerr == nil) != (err == nil) {
		t.Fatalf("GatherPR: %v, PR: %v", gerr, err)
	}
	if err != nil && res.Verdict != gate.Error {
		t.Fatalf("an evaluation that failed (%v) has the verdict %s, want error", err, res.Verdict)
	}
	c.check(t, f, res, err)
}

func TestPRGather(t *testing.T) {
	weaker := map[string]string{".github/tracegate.yml": "version: 1\nsafety_class: A\n"}
	linkedBy := func(where string) func(*testing.T, *gate.PRFacts, *gate.Result, error) {
		return func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range f.Links {
				if l.ID == "SRS-002" && slices.ContainsFunc(l.Where, func(w string) bool { return len(w) >= len(where) && w[:len(where)] == where }) {
					if _, failed := findings(res)["TG201"]; failed {
						t.Errorf("linked in the %s, and TG201 (pr-linked) still fails", where)
					}
					return
				}
			}
			t.Errorf("SRS-002 not linked from the %s: %+v", where, f.Links)
		}
	}
	cases := []prCase{
		{name: "the policy is the base's, not the head's",
			head: []map[string]string{weaker}, pr: facts.PullRequest{Title: "SRS-002 range"},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if f.Head.Config.SafetyClass != model.ClassB || res.SafetyClass != model.ClassB {
					t.Errorf("judged as class %s (result %s): the head weakened its own gate", f.Head.Config.SafetyClass, res.SafetyClass)
				}
				if _, ok := findings(res)["TG208"]; !ok {
					t.Errorf("a change of the policy file is not reported (TG208): %v", findings(res))
				}
			}},
		{name: "link in the title", head: []map[string]string{{"src/rate.go": "package rate // v2\n"}},
			pr: facts.PullRequest{Title: "Rate range (SRS-002)"}, check: linkedBy("title")},
		{name: "link in the body", head: []map[string]string{{"src/rate.go": "package rate // v2\n"}},
			pr: facts.PullRequest{Title: "Rate range", Body: "Implements SRS-002."}, check: linkedBy("body")},
		{name: "link in the branch", head: []map[string]string{{"src/rate.go": "package rate // v2\n"}},
			pr: facts.PullRequest{Title: "Rate range", HeadRef: "feature/SRS-002-range"}, check: linkedBy("branch")},
		{name: "link in a commit message", head: []map[string]string{{"src/rate.go": "package rate // v2\n"}},
			messages: []string{"Reject rates above the range\n\nSRS-002"}, pr: facts.PullRequest{Title: "Rate range"}, check: linkedBy("commit")},
		{name: "no link at all fails the gate", head: []map[string]string{{"src/rate.go": "package rate // v2\n"}},
			pr: facts.PullRequest{Title: "Tidy"},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := findings(res)["TG201"]; !ok || res.Verdict != gate.Fail {
					t.Errorf("an unlinked pull request: verdict %s, findings %v", res.Verdict, findings(res))
				}
			}},
		{name: "a change request comes from the base: one added by the pull request does not count",
			head: []map[string]string{{"docs/change-requests/CR-2.yml": "id: CR-2\ntitle: Mine\nstate: open\napproved: true\napproved_by: me\napproved_on: \"2026-01-03\"\n"}},
			pr:   facts.PullRequest{Title: "Approved by CR-2 and CR-1"},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := f.Records["CR-2"]; ok {
					t.Errorf("CR-2, added at the head, resolved: %+v", f.Records["CR-2"])
				}
				if recs := f.Records["CR-1"]; len(recs) != 1 || recs[0].Kind != model.KindChangeRequest {
					t.Errorf("CR-1 of the base: %+v", recs)
				}
				if subjects := findings(res)["TG203"]; !slices.Contains(subjects, "CR-2") {
					t.Errorf("CR-2 does not resolve, and TG203 does not say so: %v", findings(res))
				}
				if !f.HeadOnly["CR-2"] || f.HeadOnly["CR-1"] {
					t.Errorf("change requests added by the pull request: %v, want CR-2 only", f.HeadOnly)
				}
			}},
		{name: "a problem report may be filed with its fix",
			head: []map[string]string{{"docs/problem-reports/PRB-2.yml": "id: PRB-2\ntitle: New\nstate: open\ntype: corrective\nscope: s\ncriticality: minor\ninvestigation: i\n"}},
			pr:   facts.PullRequest{Title: "Fix PRB-2"},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if recs := f.Records["PRB-2"]; len(recs) != 1 {
					t.Errorf("PRB-2 filed at the head: %+v", recs)
				}
			}},
		{name: "an issue link resolves through the tracker",
			head: []map[string]string{{"src/rate.go": "package rate // v2\n"}}, pr: facts.PullRequest{Title: "Fixes #12"},
			tracker: &fakerepo.Tracker{Issues: []facts.Issue{openIssue}},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if f.Issues["#12"] == nil || len(f.Records["#12"]) != 1 || f.Records["#12"][0].Kind != model.KindProblemReport {
					t.Errorf("#12: issue %+v, records %+v", f.Issues["#12"], f.Records["#12"])
				}
			}},
		{name: "without a tracker an issue link cannot be looked up, which fails closed",
			head: []map[string]string{{"src/rate.go": "package rate // v2\n"}}, pr: facts.PullRequest{Title: "Fixes #12"},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if f.Unresolvable["#12"] != "no GitHub token was given" || res.Verdict == gate.Pass {
					t.Errorf("#12 without a tracker: %q, verdict %s", f.Unresolvable["#12"], res.Verdict)
				}
			}},
		{name: "the tracker failing is an evaluation error, never a pass",
			head: []map[string]string{{"src/rate.go": "package rate // v2\n"}}, pr: facts.PullRequest{Title: "Fixes #12"},
			tracker: &fakerepo.Tracker{Err: errors.New("502 Bad Gateway")},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				var inc *check.IncompleteError
				if !errors.As(err, &inc) || res.SafetyClass != model.ClassB || check.ExitCode(res.Verdict, err) != check.ExitError {
					t.Errorf("err %v, result class %q: want an incomplete evaluation under the base's policy, exit 3", err, res.SafetyClass)
				}
			}},
		{name: "the repository failing is an evaluation error",
			head: []map[string]string{{"src/rate.go": "package rate // v2\n"}}, pr: facts.PullRequest{Title: "SRS-002"},
			breakRepo: map[string]error{"Changes": errors.New("git diff: signal: killed")},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				if err == nil || check.IsUsage(err) || len(res.Errors) != 1 || res.Errors[0] != "git diff: signal: killed" {
					t.Errorf("err %v, errors %q", err, res.Errors)
				}
			}},
		{name: "an unreadable file at the head is an evaluation error naming it",
			head: []map[string]string{{"docs/requirements/more.yml": "requirements:\n  - id: SRS-3\n    title: [unclosed\n"}},
			pr:   facts.PullRequest{Title: "SRS-002"},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				if err == nil || check.IsUsage(err) || len(res.Errors) == 0 || !warned(res.Errors, "docs/requirements/more.yml:3") {
					t.Errorf("err %v, errors %q", err, res.Errors)
				}
			}},
		{name: "a policy that does not load at the base is a usage error",
			setup: func(src *check.Sources, r *fakerepo.Repo, base, head string) {
				r.Commit("main", "Break the policy", map[string]string{".github/tracegate.yml": "version: 1\nsafty_class: C\n"})
			},
			head: []map[string]string{{"src/rate.go": "package rate // v2\n"}}, pr: facts.PullRequest{Title: "SRS-002"},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				if !check.IsUsage(err) || check.ExitCode(res.Verdict, err) != check.ExitUsage || !warned(res.Errors, `unknown key "safty_class"`) {
					t.Errorf("err %v, errors %q", err, res.Errors)
				}
			}},
		{name: "the evidence is the commit's own without a work tree",
			head: []map[string]string{{"reports/unit.xml": junit("SRS-001")}}, pr: facts.PullRequest{Title: "SRS-002"},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if n := len(f.Head.DHF.Tests); n != 1 || !f.Evidence {
					t.Errorf("%d tests read from the head, want its 1", n)
				}
			}},
		{name: "the evidence is the work tree's, at the head: no warning",
			head: []map[string]string{{"reports/unit.xml": junit("SRS-001")}}, pr: facts.PullRequest{Title: "SRS-002"},
			setup: func(src *check.Sources, r *fakerepo.Repo, base, head string) {
				src.WorkTree = fakerepo.Files(map[string]string{"reports/ci.xml": junit("SRS-001", "SRS-002", "SRS-009")})
				src.WorkHead = head
			},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if n := len(f.Head.DHF.Tests); n != 3 {
					t.Errorf("%d tests, want the work tree's 3 (not the commit's)", n)
				}
				if warned(warningsOf(res), "working tree") {
					t.Errorf("a warning about the work tree at the head: %q", warningsOf(res))
				}
			}},
		{name: "the evidence is the work tree's, at another commit: a warning says so",
			head: []map[string]string{{"src/rate.go": "package rate // v2\n"}}, pr: facts.PullRequest{Title: "SRS-002"},
			setup: func(src *check.Sources, r *fakerepo.Repo, base, head string) {
				src.WorkTree = fakerepo.Files(map[string]string{"reports/ci.xml": junit("SRS-002")})
				src.WorkHead = base
			},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if !warned(warningsOf(res), "test reports were read from the working tree, which is at commit "+model.ShortSHA(f.PR.BaseSHA)) {
					t.Errorf("no warning: %q", warningsOf(res))
				}
			}},
		{name: "the evidence source gives the head's reports",
			head: []map[string]string{{"src/rate.go": "package rate // v2\n"}}, pr: facts.PullRequest{Title: "SRS-002"},
			setup: func(src *check.Sources, r *fakerepo.Repo, base, head string) {
				src.Evidence = fakerepo.Evidence{head: fakerepo.Files(map[string]string{"reports/ci.xml": junit("SRS-002")})}
				src.WorkTree = fakerepo.Files(map[string]string{"reports/stale.xml": junit("SRS-001", "SRS-002", "SRS-009")})
			},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if n := len(f.Head.DHF.Tests); n != 1 || f.Head.DHF.Tests[0].Source.File != "reports/ci.xml" {
					t.Errorf("tests %+v, want the evidence's one", f.Head.DHF.Tests)
				}
			}},
		{name: "evidence not made yet is an evaluation error, never a pass",
			head: []map[string]string{{"src/rate.go": "package rate // v2\n"}}, pr: facts.PullRequest{Title: "SRS-002"},
			setup: func(src *check.Sources, r *fakerepo.Repo, base, head string) {
				src.Evidence = fakerepo.Evidence{}
			},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				if !errors.Is(err, facts.ErrPending) || res.Verdict != gate.Error {
					t.Errorf("err %v, verdict %s", err, res.Verdict)
				}
			}},
		{name: "the SBOM changes from base to head",
			head: []map[string]string{{"sbom/app.cdx.json": sbomOf("zlib@1.3", "yaml@3.0.1")}}, pr: facts.PullRequest{Title: "SRS-002"},
			check: func(t *testing.T, f *gate.PRFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]soup.ChangeKind{}
				for _, c := range f.SOUP.Changes {
					got[c.Head.Name] = c.Kind
				}
				if len(got) != 2 || got["zlib"] != soup.Upgraded || got["yaml"] != soup.Added {
					t.Errorf("SBOM changes %v, want zlib upgraded and yaml added", got)
				}
				if subjects := findings(res)["TG402"]; len(subjects) != 1 {
					t.Errorf("the added yaml is not registered: TG402 %v", subjects)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}

package gate

import (
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/model"
)

// prCase and releaseCase are the rows of TestPRRules and TestReleaseRules.
type prCase struct {
	name    string
	class   model.Class
	mod     func(*PRFacts)
	rule    string
	status  RuleStatus
	subject string
	message string
}

type releaseCase struct {
	name    string
	class   model.Class
	mod     func(*ReleaseFacts)
	rule    string
	status  RuleStatus
	subject string
	message string
}

var reviewAt = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

func approve(who, commit string) facts.Review {
	return facts.Review{Reviewer: who, State: facts.ReviewApproved, Commit: commit, Submitted: reviewAt}
}

// reviewPolicy requires one approval from the team acme/dose or the user
// rosei, for the items of a class C firmware and a class A tool.
func reviewPolicy(c *config.Config) {
	c.Reviews = config.ReviewPolicy{Approvals: 1, Reviewers: []string{"@acme/dose", "rosei"}}
	c.Items = []config.Item{{Name: "firmware", Class: model.ClassC, Paths: []string{"src/**"}}, {Name: "tool", Class: model.ClassA, Paths: []string{"tools/**"}}}
}

// reviewed gives the pull request under evaluation (#7, by mona, head h)
// a change to the firmware and these reviews; lisa is in acme/dose.
func reviewed(f *PRFacts, reviews ...facts.Review) {
	reviewPolicy(f.Head.Config)
	f.PR.Author = "mona"
	f.Changes = []facts.Change{{Status: facts.Modified, Path: "src/dose/limits.go"}}
	f.Reviews = &ReviewFacts{PRs: map[int]*ReviewedPR{7: {PR: f.PR, Reviews: facts.PullRequestReviews{Reviews: reviews}}},
		Members: map[string]map[string]bool{"acme/dose": {"lisa": true}}}
}

func prReviewCases() []prCase {
	const subject = "pull request #7 “SRS-1: limit bolus”"
	return []prCase{
		{"no review required", model.ClassC, nil, "TG209", RuleNotApplicable, "", ""},
		{"approved on the head by a team member", model.ClassC, func(f *PRFacts) { reviewed(f, approve("lisa", "h")) }, "TG209", RulePassed, "", ""},
		{"approved on the head by a named user", model.ClassC, func(f *PRFacts) { reviewed(f, approve("rosei", "h")) }, "TG209", RulePassed, "", ""},
		{"stale approval renewed on the head", model.ClassC, func(f *PRFacts) { reviewed(f, approve("lisa", "old"), approve("lisa", "h")) }, "TG209", RulePassed, "", ""},
		{"only a class A item changed", model.ClassC, func(f *PRFacts) {
			reviewed(f)
			f.Changes = []facts.Change{{Status: facts.Modified, Path: "tools/export.py"}}
		}, "TG209", RuleNotApplicable, "", ""},
		{"no item changed", model.ClassC, func(f *PRFacts) {
			reviewed(f)
			f.Changes = []facts.Change{{Status: facts.Modified, Path: "README.md"}}
		}, "TG209", RuleNotApplicable, "", ""},
		{"a class A system without items", model.ClassA, func(f *PRFacts) {
			reviewed(f)
			f.Head.Config.Items = nil
		}, "TG209", RuleNotApplicable, "", ""},
		{"a class B system without items: every file counts", model.ClassB, func(f *PRFacts) {
			reviewed(f)
			f.Head.Config.Items = nil
			f.Changes = []facts.Change{{Status: facts.Modified, Path: "README.md"}}
		}, "TG209", RuleFailed, subject, "changes README.md of the class B software system: 0 approving reviews count on its final head h, of 1 required"},
		{"stale approval", model.ClassC, func(f *PRFacts) { reviewed(f, approve("lisa", "0123456789abcdef")) }, "TG209", RuleFailed, subject,
			"changes src/dose/limits.go of class C item firmware: 0 approving reviews count on its final head h, of 1 required from acme/dose, rosei (lisa's stale: it reviewed 0123456789ab, the final head is h)"},
		{"dismissed approval", model.ClassC, func(f *PRFacts) {
			r := approve("lisa", "h")
			r.State = facts.ReviewDismissed
			reviewed(f, r)
		}, "TG209", RuleFailed, subject, "(lisa's dismissed)"},
		{"approval by the author", model.ClassC, func(f *PRFacts) { reviewed(f, approve("mona", "h"), approve("lisa", "h")) }, "TG209", RuleFailed, subject,
			"it was approved by its own author mona, which the policy does not accept"},
		{"approval by someone not named", model.ClassC, func(f *PRFacts) { reviewed(f, approve("hubot", "h")) }, "TG209", RuleFailed, subject,
			"hubot's not one of the policy's reviewers (acme/dose, rosei)"},
		{"changes requested after an approval", model.ClassC, func(f *PRFacts) {
			reviewed(f, approve("lisa", "h"), approve("rosei", "h"), facts.Review{Reviewer: "rosei", State: facts.ReviewChangesRequested, Commit: "h"})
		}, "TG209", RuleFailed, subject, "changes requested by rosei are not withdrawn"},
		{"reviews not readable: fail closed", model.ClassC, func(f *PRFacts) {
			reviewed(f)
			f.Reviews = &ReviewFacts{Unavailable: "no GitHub token was given"}
		}, "TG209", RuleFailed, subject, "so the policy requires 1 approving review on its final head, and its reviews could not be read: no GitHub token was given"},
		{"no pull request number", model.ClassC, func(f *PRFacts) {
			reviewed(f, approve("lisa", "h"))
			f.PR.Number = 0
		}, "TG209", RuleFailed, "pull request “SRS-1: limit bolus”", "no pull request number was given"},
	}
}

// releaseReviewed makes the release's two commits change the firmware:
// c2 came in by pull request #40 (head f2, approved by lisa), c1 by #41
// (head f1, approved by rosei).
func releaseReviewed(f *ReleaseFacts) {
	reviewPolicy(f.Model.Config)
	fw := []facts.Change{{Status: facts.Modified, Path: "src/dose/limits.go"}}
	f.CommitChanges = map[string][]facts.Change{"c2": fw, "c1": fw}
	f.CommitPRs = map[string][]int{"c2": {40}, "c1": {41}}
	pr := func(n int, head string, rs ...facts.Review) *ReviewedPR {
		return &ReviewedPR{PR: facts.PullRequest{Number: n, Title: "Change", Author: "mona", HeadSHA: head, Merged: true, MergeCommit: "c" + head[1:]},
			Reviews: facts.PullRequestReviews{Reviews: rs}}
	}
	f.Reviews = &ReviewFacts{PRs: map[int]*ReviewedPR{40: pr(40, "f2", approve("lisa", "f2")), 41: pr(41, "f1", approve("rosei", "f1"))},
		Members: map[string]map[string]bool{"acme/dose": {"lisa": true}}}
}

// approvalPolicy requires one approval of the release by acme/qa, by a
// review of the release pull request #50 (head r9, merged as c2) or a
// deployment to production.
func approvalPolicy(f *ReleaseFacts, reviews []facts.Review, deps ...facts.DeploymentApproval) {
	f.Model.Config.Release.Approval = &config.ApprovalPolicy{Approvers: []string{"acme/qa"}, Meaning: "Approved for release.", Environment: "production"}
	f.Approval = &ApprovalFacts{
		PullRequests: []*ReviewedPR{{PR: facts.PullRequest{Number: 50, Title: "Release 1.1.0", Author: "mona", HeadSHA: "r9", Merged: true, MergeCommit: "c2"},
			Reviews: facts.PullRequestReviews{Reviews: reviews}}},
		Deployments: deps,
		Members:     map[string]map[string]bool{"acme/qa": {"rosei": true}},
	}
}

func deployed(who, commit, state string) facts.DeploymentApproval {
	return facts.DeploymentApproval{Environment: "production", Reviewer: who, State: state, Commit: commit, RunID: 77, At: reviewAt}
}

func releaseReviewCases() []releaseCase {
	return []releaseCase{
		{"no review required", model.ClassC, nil, "TG310", RuleNotApplicable, "", ""},
		{"every change approved on its head", model.ClassC, releaseReviewed, "TG310", RulePassed, "", ""},
		{"a change of no item pushed directly", model.ClassC, func(f *ReleaseFacts) {
			releaseReviewed(f)
			f.CommitChanges["c1"] = []facts.Change{{Status: facts.Modified, Path: "README.md"}}
			delete(f.CommitPRs, "c1")
		}, "TG310", RulePassed, "", ""},
		{"first release", model.ClassC, func(f *ReleaseFacts) { releaseReviewed(f); f.Previous = nil }, "TG310", RuleNotApplicable, "", ""},
		{"class A items only", model.ClassC, func(f *ReleaseFacts) {
			releaseReviewed(f)
			tool := []facts.Change{{Status: facts.Modified, Path: "tools/x.py"}}
			f.CommitChanges = map[string][]facts.Change{"c2": tool, "c1": tool}
		}, "TG310", RuleNotApplicable, "", ""},
		{"a stale approval", model.ClassC, func(f *ReleaseFacts) {
			releaseReviewed(f)
			f.Reviews.PRs[40].Reviews.Reviews = []facts.Review{approve("lisa", "f1abcdef")}
		}, "TG310", RuleFailed, "pull request #40", "pull request #40 “Change” (merged as c2) changes src/dose/limits.go of class C item firmware: 0 approving reviews count on its final head f2"},
		{"a change pushed without a pull request", model.ClassC, func(f *ReleaseFacts) {
			releaseReviewed(f)
			delete(f.CommitPRs, "c1")
		}, "TG310", RuleFailed, "c1", "commit c1 “Fix rounding” (Dev <dev@example.com>) changes src/dose/limits.go of class C item firmware, and came in by no pull request"},
		{"reviews not readable: fail closed", model.ClassC, func(f *ReleaseFacts) {
			releaseReviewed(f)
			f.Reviews = &ReviewFacts{Unavailable: "no GitHub token was given"}
			f.CommitPRs = nil
		}, "TG310", RuleFailed, "v1.1.0", "2 commits since v1.0.0 change class B/C items (changes src/dose/limits.go of class C item firmware), so the policy requires their review, and the review records could not be read: no GitHub token was given"},

		{"no release approval required", model.ClassC, nil, "TG311", RuleNotApplicable, "", ""},
		{"approved by review of the release pull request", model.ClassC, func(f *ReleaseFacts) {
			approvalPolicy(f, []facts.Review{approve("rosei", "r9")})
		}, "TG311", RulePassed, "", ""},
		{"approved by deployment review", model.ClassA, func(f *ReleaseFacts) {
			approvalPolicy(f, nil, deployed("rosei", "c2", facts.DeploymentApproved))
		}, "TG311", RulePassed, "", ""},
		{"release candidate without history", model.ClassC, func(f *ReleaseFacts) {
			approvalPolicy(f, nil)
			f.Tag, f.Commit = "", ""
		}, "TG311", RuleNotApplicable, "", ""},
		{"approvals that do not count", model.ClassC, func(f *ReleaseFacts) {
			approvalPolicy(f, []facts.Review{approve("rosei", "r8"), approve("mona", "r9"), approve("lisa", "r9")},
				deployed("rosei", "c2", facts.DeploymentRejected), deployed("rosei", "c1", facts.DeploymentApproved))
		}, "TG311", RuleFailed, "v1.1.0", "release v1.1.0 at c2 has 0 of the 1 approval it needs from acme/qa (rosei's review of pull request #50 (merged as the release commit): stale: it reviewed r8, the final head is r9; mona's review of pull request #50 (merged as the release commit): approval by the pull request's own author; lisa's review of pull request #50 (merged as the release commit): not one of the release approvers (acme/qa); rosei's deployment to production (run 77): the deployment was rejected; rosei's deployment to production (run 77): it deployed c1, not the release commit)"},
		{"no approval at all", model.ClassC, func(f *ReleaseFacts) { approvalPolicy(f, nil) }, "TG311", RuleFailed, "v1.1.0",
			"has 0 of the 1 approval it needs from acme/qa (no approving review of a release pull request and no approved deployment to production for commit c2)"},
		{"approvals not readable: fail closed", model.ClassC, func(f *ReleaseFacts) {
			approvalPolicy(f, nil)
			f.Approval = &ApprovalFacts{Unavailable: "no GitHub token was given"}
		}, "TG311", RuleFailed, "v1.1.0", "the policy requires 1 approval of the release by acme/qa, and the approval records could not be read: no GitHub token was given"},
	}
}

// The records reach the summaries: the pull request's judged reviews, each
// change's pull request with its reviews, and the release approval with
// who, when, which commit and its meaning.
func TestReviewRecordsInSummaries(t *testing.T) {
	f := prFacts(t, model.ClassC)
	stale := approve("lisa", "old")
	reviewed(f, stale, approve("mona", "h"), approve("rosei", "h"))
	res := EvaluatePR(f, SevError)
	rv := res.PullRequest.Review
	if rv == nil || rv.Number != 7 || rv.Head != "h" || rv.Approvals != 1 || rv.Needed != 1 || !rv.Covered || !rv.SelfApproved || rv.Class != model.ClassC || len(rv.Reviews) != 3 {
		t.Fatalf("pull request review record: %+v", rv)
	}
	if rv.Reviews[0].Counts || !strings.HasPrefix(rv.Reviews[0].Note, "stale") || rv.Reviews[1].Counts || !rv.Reviews[2].Counts {
		t.Errorf("judged reviews: %+v", rv.Reviews)
	}

	r := releaseFacts(t, model.ClassC)
	releaseReviewed(r)
	approvalPolicy(r, []facts.Review{approve("rosei", "r9"), approve("lisa", "r9")}, deployed("rosei", "c2", facts.DeploymentApproved))
	rel := EvaluateRelease(r, SevError).Release
	if len(rel.Reviews) != 2 || rel.Reviews[0].Number != 40 || rel.Reviews[0].Commits[0] != "c2" || rel.Reviews[1].Approvals != 1 {
		t.Errorf("change reviews: %+v", rel.Reviews)
	}
	a := rel.Approval
	if a == nil || a.Count != 1 || a.Needed != 1 || a.Meaning != "Approved for release." || a.Commit != "c2" || len(a.Approvals) != 3 {
		t.Fatalf("approval: %+v", a)
	}
	first := a.Approvals[0]
	if first.Approver != "rosei" || first.Kind != "review" || first.Commit != "r9" || !first.At.Equal(reviewAt) || !first.Counts {
		t.Errorf("first approval: %+v", first)
	}
	if dep := a.Approvals[2]; dep.Kind != "deployment" || dep.Counts || dep.Note != "counted once already" {
		t.Errorf("second approval by the same approver: %+v", dep)
	}
	if len(a.PullRequests) != 1 || a.PullRequests[0].Approvals != 2 {
		t.Errorf("release pull request reviewed by anyone: %+v", a.PullRequests)
	}
}

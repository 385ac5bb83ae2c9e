package check_test

import (
	"context"
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/fakerepo"
	"github.com/tracegate/tracegate/internal/gate"
)

// policyReviewed is policyB with a class B item under src/, reviews by the
// team acme/dose, and a release approval by acme/qa through the release
// pull request or the production environment.
const policyReviewed = policyB + `items:
  - {name: rate, class: B, paths: ["src/**"]}
reviews:
  approvals: 1
  reviewers: [acme/dose]
documents:
  product: PUMP
`

const approvalPolicy = `  approval:
    approvers: [acme/qa]
    meaning: Approved for release under SOP-012.
    environment: production
`

func reviewedFiles(policy string) map[string]string {
	files := baseFiles()
	files[".github/tracegate.yml"] = policy
	return files
}

var when = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

func approval(who, sha string) facts.Review {
	return facts.Review{ID: 1, Reviewer: who, State: facts.ReviewApproved, Commit: sha, Submitted: when}
}

// The pull request gate reads the pull request's reviews when the policy
// requires them: approved on the head by a team member it passes, and the
// record is in the result; without GitHub it fails closed, saying why; an
// author left out by the caller is read from GitHub, and their own
// approval fails; a team that cannot be read is an evaluation error.
func TestPRReviewsGathered(t *testing.T) {
	r := fakerepo.New()
	r.Commit("main", "Initial", reviewedFiles(policyReviewed))
	r.Branch("feature", "main")
	head := r.Commit("feature", "Rate cap (SRS-002)", map[string]string{"src/rate.go": "package rate // cap\n"})
	ctx := context.Background()
	opts := check.Options{FailOn: gate.SevError}
	pr := facts.PullRequest{Number: 7, Title: "Rate cap", Body: "SRS-002", Author: "mona"}
	team := map[string][]string{"acme/dose": {"lisa"}}

	src := sources(r, &fakerepo.Tracker{PRs: []facts.PullRequest{{Number: 7, Author: "mona"}}})
	src.Reviews = &fakerepo.Reviews{ByPR: map[int]facts.PullRequestReviews{7: {Reviews: []facts.Review{approval("lisa", head)}}}, Teams: team}
	res, err := check.PR(ctx, src, pr, "main", "feature", opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, failed := findings(res)["TG209"]; failed {
		t.Errorf("approved on the head and TG209 fails: %+v", res.Findings)
	}
	rv := res.PullRequest.Review
	if rv == nil || rv.Head != head || rv.Approvals != 1 || rv.Class != "B" || len(rv.Touches) != 1 {
		t.Errorf("review record: %+v", rv)
	}

	noGitHub := sources(r, nil)
	res, err = check.PR(ctx, noGitHub, pr, "main", "feature", opts)
	if err != nil {
		t.Fatal(err)
	}
	if fs := messages(res, "TG209"); len(fs) != 1 || !strings.Contains(fs[0], "its reviews could not be read: no GitHub token was given") {
		t.Errorf("without GitHub: %q", fs)
	}

	self := sources(r, &fakerepo.Tracker{PRs: []facts.PullRequest{{Number: 7, Author: "mona"}}})
	self.Reviews = &fakerepo.Reviews{ByPR: map[int]facts.PullRequestReviews{7: {Reviews: []facts.Review{approval("mona", head), approval("lisa", head)}}},
		Teams: map[string][]string{"acme/dose": {"lisa", "mona"}}}
	anon := pr
	anon.Author = ""
	res, err = check.PR(ctx, self, anon, "main", "feature", opts)
	if err != nil {
		t.Fatal(err)
	}
	if fs := messages(res, "TG209"); len(fs) != 1 || !strings.Contains(fs[0], "approved by its own author mona") {
		t.Errorf("self-approval, author read from GitHub: %q", fs)
	}

	broken := sources(r, nil)
	broken.Reviews = &fakerepo.Reviews{ByPR: map[int]facts.PullRequestReviews{7: {Reviews: []facts.Review{approval("lisa", head)}}}}
	if res, err := check.PR(ctx, broken, pr, "main", "feature", opts); err == nil || res.Verdict != gate.Error || !errors.Is(err, facts.ErrNotFound) {
		t.Errorf("a team that cannot be read: %v, %s", err, res.Verdict)
	}
}

func messages(res *gate.Result, rule string) []string {
	var out []string
	for _, f := range res.Findings {
		if f.Rule == rule {
			out = append(out, f.Message)
		}
	}
	return out
}

// The release gate reads, for every commit since the previous release,
// the files it changed and the merged pull requests it came in by (an
// open one that holds it does not count), and the release approval of the
// release commit: its release pull request and the deployment reviews.
func TestReleaseReviewsGathered(t *testing.T) {
	r := fakerepo.New()
	policy := strings.Replace(policyReviewed, "release:\n  tag_pattern: \"v*\"\n", "release:\n  tag_pattern: \"v*\"\n"+approvalPolicy, 1)
	policy = strings.Replace(policy, "labels: [bug]", "labels: []", 1) // no open problem report to list from GitHub
	c1 := r.Commit("main", "Initial", reviewedFiles(policy))
	r.Tag("v1.0.0", c1)
	c2 := r.Commit("main", "Range check (SRS-002)", map[string]string{"src/rate.go": "package rate // 2\n"})
	c3 := r.Commit("main", "Docs (SRS-001)", map[string]string{"README.md": "pump\n"})
	c4 := r.Commit("main", "Hotfix (SRS-002)", map[string]string{"src/rate.go": "package rate // 4\n"})
	r.Tag("v1.1.0", c4)
	merged := func(n int, head, as string) facts.PullRequest {
		return facts.PullRequest{Number: n, Title: "PR", Author: "mona", HeadSHA: head, Merged: true, MergeCommit: as}
	}
	rv := &fakerepo.Reviews{
		CommitPRs: map[string][]facts.PullRequest{
			c2: {merged(10, "f10", c2), {Number: 11, Title: "Open, holds c2", HeadSHA: "f11"}},
			c3: {merged(12, "f12", c3)},
			c4: {merged(13, c4, c4)},
		},
		ByPR: map[int]facts.PullRequestReviews{
			10: {Reviews: []facts.Review{approval("lisa", "f10")}},
			11: {Reviews: []facts.Review{approval("lisa", "f11")}},
			12: {},
			13: {Reviews: []facts.Review{approval("lisa", "f-old"), approval("rosei", c4)}},
		},
		Teams:       map[string][]string{"acme/dose": {"lisa"}, "acme/qa": {"rosei"}},
		Deployments: []facts.DeploymentApproval{{Environment: "production", Reviewer: "rosei", State: facts.DeploymentApproved, Commit: c4, RunID: 9, At: when}},
	}
	src := sources(r, &fakerepo.Tracker{})
	src.Reviews = rv
	ctx := context.Background()
	f, err := check.GatherRelease(ctx, src, "v1.1.0", "", check.Options{FailOn: gate.SevError})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.CommitChanges[c2]) != 1 || f.CommitChanges[c2][0].Path != "src/rate.go" || f.CommitChanges[c3][0].Path != "README.md" {
		t.Errorf("changes by commit: %+v", f.CommitChanges)
	}
	want := map[string][]int{c2: {10}, c3: {12}, c4: {13}}
	if !maps.EqualFunc(f.CommitPRs, want, func(a, b []int) bool { return len(a) == len(b) && a[0] == b[0] }) {
		t.Errorf("pull requests by commit: %v, want %v", f.CommitPRs, want)
	}
	if f.Reviews == nil || f.Reviews.PRs[11] != nil || !f.Reviews.Members["acme/dose"]["lisa"] || f.Reviews.Members["acme/dose"]["rosei"] {
		t.Errorf("review facts: %+v", f.Reviews)
	}
	a := f.Approval
	if a == nil || len(a.PullRequests) != 1 || a.PullRequests[0].PR.Number != 13 || len(a.Deployments) != 1 || !a.Members["acme/qa"]["rosei"] {
		t.Errorf("approval facts: %+v", a)
	}
	res := gate.EvaluateRelease(f, gate.SevError)
	// #13 has only a stale approval by the team (rosei is not in acme/dose);
	// #12 (docs) touches no item; #10 is approved on its head.
	if fs := messages(res, "TG310"); len(fs) != 1 || !strings.Contains(fs[0], "pull request #13") || !strings.Contains(fs[0], "lisa's stale") {
		t.Errorf("TG310: %q", fs)
	}
	if fs := messages(res, "TG311"); len(fs) != 0 {
		t.Errorf("TG311: %q", fs)
	}
	if ap := res.Release.Approval; ap == nil || ap.Count != 1 || ap.Meaning != "Approved for release under SOP-012." {
		t.Errorf("approval record: %+v", ap)
	}

	// Without GitHub both fail closed; the files changed are still known.
	offline := sources(r, nil)
	f, err = check.GatherRelease(ctx, offline, "v1.1.0", "", check.Options{FailOn: gate.SevError})
	if err != nil {
		t.Fatal(err)
	}
	res = gate.EvaluateRelease(f, gate.SevError)
	for _, rule := range []string{"TG310", "TG311"} {
		if fs := messages(res, rule); len(fs) != 1 || !strings.Contains(fs[0], "could not be read: no GitHub token was given") {
			t.Errorf("%s without GitHub: %q", rule, fs)
		}
	}
	// A failing API is an evaluation error, never a pass.
	rv.Err = map[string]error{"DeploymentApprovals": errors.New("502 Bad Gateway")}
	if _, err := check.Release(ctx, src, "v1.1.0", "", check.Options{FailOn: gate.SevError}); err == nil || !strings.Contains(err.Error(), "502") {
		t.Errorf("a failing deployment review list: %v", err)
	}
}

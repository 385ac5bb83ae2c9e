package ghfacts_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// Reviews come oldest first, states lower-cased, each with the commit it
// was given on; a deleted account is "ghost"; the reviews still asked for
// are listed with teams as org/slug.
func TestPullRequestReviews(t *testing.T) {
	srv := fakegithub.New(t)
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	srv.AddPullRequest(repo, fakegithub.PullRequest{Number: 5, Title: "Cap", Author: "mona", HeadRef: "cap", HeadSHA: sha(2), BaseRef: "main", BaseSHA: sha(1)})
	a := srv.AddReview(repo, 5, fakegithub.Review{User: "rosei", State: "APPROVED", CommitID: sha(3), Submitted: at})
	b := srv.AddReview(repo, 5, fakegithub.Review{User: "mkeller", State: "APPROVED", CommitID: sha(2), Submitted: at.Add(time.Hour)})
	srv.AddReview(repo, 5, fakegithub.Review{State: "COMMENTED", CommitID: sha(2), Submitted: at.Add(2 * time.Hour)})
	srv.DismissReview(repo, 5, a)
	srv.RequestReviewers(repo, 5, []string{"jdoe"}, []string{"qa-ra"})
	tr, _ := tracker(t, srv)
	got, err := tr.PullRequestReviews(context.Background(), 5)
	if err != nil {
		t.Fatal(err)
	}
	html := srv.URL() + "/" + repo + "/pull/5#pullrequestreview-"
	want := &facts.PullRequestReviews{
		Reviews: []facts.Review{
			{ID: a, Reviewer: "rosei", State: facts.ReviewDismissed, Commit: sha(3), Submitted: at, URL: html + itoa(a)},
			{ID: b, Reviewer: "mkeller", State: facts.ReviewApproved, Commit: sha(2), Submitted: at.Add(time.Hour), URL: html + itoa(b)},
			{ID: got.Reviews[2].ID, Reviewer: "ghost", State: facts.ReviewCommented, Commit: sha(2), Submitted: at.Add(2 * time.Hour), URL: html + itoa(got.Reviews[2].ID)},
		},
		RequestedUsers: []string{"jdoe"}, RequestedTeams: []string{"octo/qa-ra"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if _, err := tr.PullRequestReviews(context.Background(), 99); !errors.Is(err, facts.ErrNotFound) {
		t.Errorf("reviews of a missing pull request: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A commit's pull requests: the one merged as it (its merge commit), the
// one whose commits hold it, one a rebase wrote it for; with merge facts.
func TestCommitPullRequests(t *testing.T) {
	srv := fakegithub.New(t)
	merged := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	srv.AddPullRequest(repo, fakegithub.PullRequest{Number: 7, Title: "Squashed", State: "closed", Merged: true, MergeCommitSHA: sha(0x70),
		HeadRef: "a", HeadSHA: sha(0x71), BaseRef: "main", BaseSHA: sha(1), Updated: merged})
	srv.AddPullRequest(repo, fakegithub.PullRequest{Number: 8, Title: "Open", HeadRef: "b", HeadSHA: sha(0x81), BaseRef: "main", BaseSHA: sha(1)})
	srv.AddPRCommits(repo, 8, fakegithub.Commit{SHA: sha(0x70), Message: "x"})
	srv.AddPullRequest(repo, fakegithub.PullRequest{Number: 9, Title: "Rebased", State: "closed", Merged: true, MergeCommitSHA: sha(0x92),
		HeadRef: "c", HeadSHA: sha(0x93), BaseRef: "main", BaseSHA: sha(1)})
	srv.AssociateCommit(repo, sha(0x91), 9)
	tr, _ := tracker(t, srv)
	got, err := tr.CommitPullRequests(context.Background(), sha(0x70))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Number != 7 || !got[0].Merged || got[0].MergeCommit != sha(0x70) || !got[0].MergedAt.Equal(merged) ||
		got[0].HeadSHA != sha(0x71) || got[0].State != "closed" || got[1].Number != 8 || got[1].Merged {
		t.Errorf("pull requests of the squash commit: %+v", got)
	}
	if got, err := tr.CommitPullRequests(context.Background(), sha(0x91)); err != nil || len(got) != 1 || got[0].Number != 9 {
		t.Errorf("pull requests of a rebased commit: %+v, %v", got, err)
	}
	if got, err := tr.CommitPullRequests(context.Background(), sha(0x99)); err != nil || len(got) != 0 {
		t.Errorf("pull requests of a commit pushed directly: %+v, %v", got, err)
	}
	if _, err := tr.CommitPullRequests(context.Background(), "main"); err == nil {
		t.Error("a ref that is not a SHA was accepted")
	}
}

// Membership: an active member is one, a pending invitation and a
// stranger are not, and a team that cannot be read is an error, not "no".
func TestTeamMember(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddTeam("octo", "qa-ra", "rosei")
	srv.InviteToTeam("octo", "qa-ra", "newbie")
	tr, _ := tracker(t, srv)
	ctx := context.Background()
	for login, want := range map[string]bool{"rosei": true, "ROSEI": true, "newbie": false, "mona": false} {
		got, err := tr.TeamMember(ctx, "octo", "qa-ra", login)
		if err != nil || got != want {
			t.Errorf("%s: %v, %v; want %v", login, got, err, want)
		}
	}
	if got, err := tr.TeamMember(ctx, "octo", "nope", "rosei"); !errors.Is(err, facts.ErrNotFound) || got {
		t.Errorf("a team that does not exist: %v, %v", got, err)
	}
	if _, err := tr.TeamMember(ctx, "octo", "../x", "rosei"); err == nil {
		t.Error("a slug with a path in it was asked for")
	}
}

// Deployment approvals: the reviews of the runs of the workflow for the
// commit that name the environment, each dated by its deployment's first
// status after waiting; reviews of other environments, commits and
// workflows are not among them.
func TestDeploymentApprovals(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddRepo(repo)
	at := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	run := srv.AddWorkflowRun(repo, fakegithub.WorkflowRun{Name: "Release", Path: ".github/workflows/release.yml", HeadSHA: sha(0xaa)})
	other := srv.AddWorkflowRun(repo, fakegithub.WorkflowRun{Name: "Deploy docs", Path: ".github/workflows/docs.yml", HeadSHA: sha(0xaa)})
	elsewhere := srv.AddWorkflowRun(repo, fakegithub.WorkflowRun{Name: "Release", Path: ".github/workflows/release.yml", HeadSHA: sha(0xbb)})
	srv.AddDeployment(repo, fakegithub.Deployment{SHA: sha(0xaa), Environment: "production", RunID: run, Created: at,
		Statuses: []fakegithub.DeploymentStatus{{State: "waiting", Created: at}, {State: "queued", Created: at.Add(30 * time.Minute)}, {State: "success", Created: at.Add(time.Hour)}}})
	srv.AddDeploymentReview(run, fakegithub.DeploymentReview{Environments: []string{"staging"}, State: "approved", User: "mona"})
	srv.AddDeploymentReview(run, fakegithub.DeploymentReview{Environments: []string{"staging", "production"}, State: "approved", User: "rosei", Comment: "Released per SOP-12"})
	srv.AddDeploymentReview(other, fakegithub.DeploymentReview{Environments: []string{"production"}, State: "approved", User: "hubot"})
	srv.AddDeploymentReview(elsewhere, fakegithub.DeploymentReview{Environments: []string{"production"}, State: "rejected", User: "rosei"})
	tr, _ := tracker(t, srv)
	got, err := tr.DeploymentApprovals(context.Background(), sha(0xaa), "production", "release.yml")
	if err != nil {
		t.Fatal(err)
	}
	want := []facts.DeploymentApproval{{Environment: "production", Reviewer: "rosei", State: facts.DeploymentApproved, Comment: "Released per SOP-12",
		Commit: sha(0xaa), RunID: run, RunURL: srv.URL() + "/" + repo + "/actions/runs/" + itoa(run), Workflow: "Release", At: at.Add(30 * time.Minute)}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	// Every workflow: the docs run's review counts too.
	if got, err := tr.DeploymentApprovals(context.Background(), sha(0xaa), "production", ""); err != nil || len(got) != 2 || !got[1].At.IsZero() {
		t.Errorf("every workflow: %+v, %v", got, err)
	}
	if got, err := tr.DeploymentApprovals(context.Background(), sha(0xbb), "production", "release.yml"); err != nil || len(got) != 1 || got[0].State != facts.DeploymentRejected {
		t.Errorf("a rejected deployment: %+v, %v", got, err)
	}
}

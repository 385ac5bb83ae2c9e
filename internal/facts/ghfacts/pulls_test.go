package ghfacts_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/ghfacts"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

func sha(n int) string { return fmt.Sprintf("%040x", n) }

func TestPullRequest(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddPullRequest(repo, fakegithub.PullRequest{Number: 21, Title: "Limit bolus rate", Body: "Implements REQ-7.\n\nFixes #12",
		Labels: []string{"change-request", "risk: low"}, Author: "mona", Draft: true,
		HeadRef: "feature/limit", HeadSHA: sha(0xa), BaseRef: "main", BaseSHA: sha(0xb), HeadRepo: "mona/pump"})
	srv.AddPullRequest(repo, fakegithub.PullRequest{Number: 22, Title: "No description", HeadRef: "x", HeadSHA: sha(1), BaseRef: "main", BaseSHA: sha(2)})
	srv.AddIssue(repo, fakegithub.Issue{Number: 23, Title: "an issue, not a pull request"})
	tests := []struct {
		repo    string
		number  int
		want    *facts.PullRequest
		wantErr error
	}{
		{"", 21, &facts.PullRequest{Repo: repo, Number: 21, Title: "Limit bolus rate", Body: "Implements REQ-7.\n\nFixes #12",
			Labels: []string{"change-request", "risk: low"}, Author: "mona", URL: srv.URL() + "/" + repo + "/pull/21", Draft: true,
			HeadRef: "feature/limit", HeadSHA: sha(0xa), BaseRef: "main", BaseSHA: sha(0xb), State: "open", Created: fakegithub.Epoch}, nil},
		{repo, 22, &facts.PullRequest{Repo: repo, Number: 22, Title: "No description", Author: "octocat",
			URL: srv.URL() + "/" + repo + "/pull/22", HeadRef: "x", HeadSHA: sha(1), BaseRef: "main", BaseSHA: sha(2), State: "open", Created: fakegithub.Epoch}, nil},
		{"", 23, nil, facts.ErrNotFound},
		{"octo/none", 1, nil, facts.ErrNotFound},
	}
	for _, tt := range tests {
		tr, _ := tracker(t, srv)
		got, err := tr.PullRequest(context.Background(), tt.repo, tt.number)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) || got != nil {
				t.Errorf("#%d: %+v, %v; want %v", tt.number, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("got  %+v\nwant %+v", got, tt.want)
		}
	}
	tr, _ := tracker(t, srv)
	if _, err := tr.PullRequest(context.Background(), "", 0); err == nil {
		t.Error("pull request 0: no error")
	}
}

func commits(n int) []fakegithub.Commit {
	var out []fakegithub.Commit
	for i := 1; i <= n; i++ {
		out = append(out, fakegithub.Commit{SHA: sha(i), Parents: []string{sha(i - 1)}, Message: fmt.Sprintf("Commit %d\n\nBody %d\n\n", i, i),
			AuthorName: "Mona Lisa", AuthorEmail: "mona@example.com", Date: time.Date(2025, 1, 1, 0, i, 0, 0, time.UTC)})
	}
	return out
}

func TestPullRequestCommits(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddPullRequest(repo, fakegithub.PullRequest{Number: 1, Title: "three", HeadSHA: sha(3), BaseSHA: sha(0)})
	srv.AddPRCommits(repo, 1, commits(2)...)
	srv.AddPRCommits(repo, 1, fakegithub.Commit{SHA: sha(3), Parents: []string{sha(2), sha(0x99)}, Message: "Merge main",
		AuthorName: "Octo Cat", AuthorEmail: "octo@example.com", CommitterName: "GitHub", CommitterEmail: "noreply@github.com",
		Date: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), Login: "octocat"})
	tr, _ := tracker(t, srv)
	got, err := tr.PullRequestCommits(context.Background(), "", 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []facts.Commit{
		{SHA: sha(3), Parents: []string{sha(2), sha(0x99)}, Author: "Octo Cat <octo@example.com>", Committed: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), Message: "Merge main"},
		{SHA: sha(2), Parents: []string{sha(1)}, Author: "Mona Lisa <mona@example.com>", Committed: time.Date(2025, 1, 1, 0, 2, 0, 0, time.UTC), Message: "Commit 2\n\nBody 2"},
		{SHA: sha(1), Parents: []string{sha(0)}, Author: "Mona Lisa <mona@example.com>", Committed: time.Date(2025, 1, 1, 0, 1, 0, 0, time.UTC), Message: "Commit 1\n\nBody 1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if !got[0].IsMerge() || got[1].Subject() != "Commit 2" {
		t.Errorf("merge %v, subject %q", got[0].IsMerge(), got[1].Subject())
	}
}

func TestPullRequestCommitsPages(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddPullRequest(repo, fakegithub.PullRequest{Number: 2, Title: "many", HeadSHA: sha(250), BaseSHA: sha(0)})
	srv.AddPRCommits(repo, 2, commits(250)...)
	tr, _ := tracker(t, srv)
	got, err := tr.PullRequestCommits(context.Background(), repo, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 || got[0].SHA != sha(250) || got[249].SHA != sha(1) {
		t.Fatalf("%d commits, first %s", len(got), got[0].SHA)
	}
	if n := srv.Count("GET", "/api/v3/repos/"+repo+"/pulls/2/commits"); n != 3 {
		t.Errorf("%d pages asked, want 3", n)
	}
}

// TestPullRequestCommitsIncomplete: a list GitHub cuts short, or one that
// disagrees with the pull request's count, is an error, not a fact.
func TestPullRequestCommitsIncomplete(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddPullRequest(repo, fakegithub.PullRequest{Number: 3, Title: "huge", HeadSHA: sha(260), BaseSHA: sha(0)})
	srv.AddPRCommits(repo, 3, commits(260)...)
	srv.AddPullRequest(repo, fakegithub.PullRequest{Number: 4, Title: "pushed meanwhile", Commits: 5, HeadSHA: sha(3), BaseSHA: sha(0)})
	srv.AddPRCommits(repo, 4, commits(3)...)
	// A pull request answer without the commit count (older GitHub
	// Enterprise Server answers lack it) and a full list of 250.
	srv.AddPullRequest(repo, fakegithub.PullRequest{Number: 5, Title: "uncounted", HeadSHA: sha(300), BaseSHA: sha(0)})
	srv.AddPRCommits(repo, 5, commits(300)...)
	srv.Inject(fakegithub.Fault{Path: "/api/v3/repos/" + repo + "/pulls/5", Status: 200,
		Body: `{"number": 5, "title": "uncounted", "base": {"repo": {"full_name": "octo/pump"}}}`})
	tests := []struct {
		number       int
		wantIs       error
		want         string
		wantRequests int
	}{
		{3, ghfacts.ErrTooManyCommits, "it has 260 commits and GitHub's API lists only the first 250", 1},
		{4, nil, "GitHub listed 3 commits but the pull request has 5", 2},
		{5, ghfacts.ErrTooManyCommits, "GitHub listed 250 commits, its limit, and did not say how many there are", 4},
	}
	for _, tt := range tests {
		srv.ResetLog()
		tr, _ := tracker(t, srv)
		got, err := tr.PullRequestCommits(context.Background(), "", tt.number)
		if err == nil || got != nil {
			t.Fatalf("#%d: %d commits, %v", tt.number, len(got), err)
		}
		if (tt.wantIs != nil && !errors.Is(err, tt.wantIs)) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("#%d: error %v", tt.number, err)
		}
		if n := len(srv.Requests()); n != tt.wantRequests {
			t.Errorf("#%d: %d requests, want %d", tt.number, n, tt.wantRequests)
		}
	}
}

package ghfacts_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/ghfacts"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

const repo = "octo/pump"

type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.d = append(w.d, d)
	return ctx.Err()
}

func tracker(t *testing.T, srv *fakegithub.Server) (*ghfacts.Tracker, *waits) {
	t.Helper()
	w := &waits{}
	gh, err := githubapi.NewClient(githubapi.Options{APIURL: srv.APIURL(), Token: fakegithub.DefaultToken, Sleep: w.sleep, MaxAttempts: 3})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ghfacts.New(gh, repo)
	if err != nil {
		t.Fatal(err)
	}
	return tr, w
}

func noToken(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), fakegithub.DefaultToken) {
		t.Errorf("the error shows the token: %v", err)
	}
}

var updated = time.Date(2025, 6, 7, 8, 9, 10, 0, time.UTC)

func TestIssue(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddIssue(repo, fakegithub.Issue{Number: 12, Title: "Bolus stalls", Body: "Steps:\r\n1. run", State: "closed",
		Labels: []string{"problem-report", "severity: high"}, Updated: updated})
	srv.AddIssue(repo, fakegithub.Issue{Number: 13, Title: "No body"})
	srv.AddPullRequest(repo, fakegithub.PullRequest{Number: 14, Title: "Fix stall", Labels: []string{"bug"}, Updated: updated})
	srv.AddIssue("octo/other", fakegithub.Issue{Number: 3, Title: "Elsewhere"})
	srv.AddIssue(repo, fakegithub.Issue{Number: 15, Title: "Transferred", Updated: updated})
	srv.TransferIssue(repo, 15, "octo/archive", 2)
	srv.AddIssue(repo, fakegithub.Issue{Number: 16, Title: "Deleted"})
	srv.DeleteIssue(repo, 16)
	html := srv.URL() + "/"
	epoch := fakegithub.Epoch

	tests := []struct {
		ref          facts.IssueRef
		want         *facts.Issue
		wantErr      error
		wantRequests int
	}{
		{facts.IssueRef{Number: 12}, &facts.Issue{Ref: facts.IssueRef{Number: 12}, Title: "Bolus stalls", Body: "Steps:\r\n1. run", State: "closed",
			Labels: []string{"problem-report", "severity: high"}, URL: html + repo + "/issues/12", Updated: updated}, nil, 1},
		// The tracker's own repository, named: the Ref is as facts wants it.
		{facts.IssueRef{Repo: repo, Number: 13}, &facts.Issue{Ref: facts.IssueRef{Number: 13}, Title: "No body", State: "open",
			URL: html + repo + "/issues/13", Updated: epoch}, nil, 1},
		{facts.IssueRef{Number: 14}, &facts.Issue{Ref: facts.IssueRef{Number: 14}, Title: "Fix stall", State: "open", Labels: []string{"bug"},
			URL: html + repo + "/pull/14", IsPullRequest: true, Updated: updated}, nil, 1},
		{facts.IssueRef{Repo: "octo/other", Number: 3}, &facts.Issue{Ref: facts.IssueRef{Repo: "octo/other", Number: 3}, Title: "Elsewhere",
			State: "open", URL: html + "octo/other/issues/3", Updated: epoch}, nil, 1},
		// 301: followed, and the Ref says where the issue is now.
		{facts.IssueRef{Number: 15}, &facts.Issue{Ref: facts.IssueRef{Repo: "octo/archive", Number: 2}, Title: "Transferred", State: "open",
			URL: html + "octo/archive/issues/2", Updated: updated}, nil, 2},
		{facts.IssueRef{Number: 16}, nil, ghfacts.ErrGone, 1},
		{facts.IssueRef{Number: 99}, nil, facts.ErrNotFound, 1},
		{facts.IssueRef{Repo: "octo/none", Number: 1}, nil, facts.ErrNotFound, 1},
	}
	for _, tt := range tests {
		t.Run(facts.IssueID(tt.ref), func(t *testing.T) {
			srv.ResetLog()
			tr, _ := tracker(t, srv)
			got, err := tr.Issue(context.Background(), tt.ref)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || got != nil {
					t.Fatalf("got %+v, %v; want %v", got, err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), fmt.Sprintf("#%d", tt.ref.Number)) {
					t.Errorf("error %q does not name the issue", err)
				}
				noToken(t, err)
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("got  %+v\nwant %+v", got, tt.want)
				}
			}
			if n := len(srv.Requests()); n != tt.wantRequests {
				t.Errorf("%d requests, want %d", n, tt.wantRequests)
			}
		})
	}
}

func TestIssueBadRefs(t *testing.T) {
	srv := fakegithub.New(t)
	tr, _ := tracker(t, srv)
	for _, ref := range []facts.IssueRef{{Number: 0}, {Number: -3}, {Repo: "nobody", Number: 1}, {Repo: "o/r/x", Number: 1}, {Repo: "o/r?x=1", Number: 1}, {Repo: "o/..", Number: 1}, {Repo: "./r", Number: 1}} {
		if _, err := tr.Issue(context.Background(), ref); err == nil {
			t.Errorf("%+v: no error", ref)
		}
	}
	if len(srv.Requests()) != 0 {
		t.Errorf("bad refs were sent: %+v", srv.Requests())
	}
	if _, err := ghfacts.New(nil, repo); err == nil {
		t.Error("New without a client")
	}
	gh, _ := githubapi.NewClient(githubapi.Options{})
	if _, err := ghfacts.New(gh, "pump"); err == nil {
		t.Error("New with a repository that is not owner/name")
	}
}

func numbers(issues []*facts.Issue) []int {
	out := []int{}
	for _, is := range issues {
		out = append(out, is.Ref.Number)
	}
	return out
}

// TestLabelled: any of the labels, although GitHub's filter means all of
// them; pull requests left out; each issue once.
func TestLabelled(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddIssue(repo, fakegithub.Issue{Number: 1, Title: "pr only", Labels: []string{"problem-report"}})
	srv.AddIssue(repo, fakegithub.Issue{Number: 2, Title: "cr only", Labels: []string{"change-request"}})
	srv.AddIssue(repo, fakegithub.Issue{Number: 3, Title: "both", Labels: []string{"problem-report", "change-request"}})
	srv.AddIssue(repo, fakegithub.Issue{Number: 4, Title: "neither", Labels: []string{"question"}})
	srv.AddIssue(repo, fakegithub.Issue{Number: 5, Title: "closed", State: "closed", Labels: []string{"Problem-Report"}})
	srv.AddPullRequest(repo, fakegithub.PullRequest{Number: 6, Title: "a pull request", Labels: []string{"problem-report"}})

	tests := []struct {
		labels       []string
		state        string
		want         []int
		wantRequests int
	}{
		{[]string{"problem-report", "change-request"}, "all", []int{1, 2, 3, 5}, 2},
		{[]string{"problem-report", "change-request"}, "open", []int{1, 2, 3}, 2},
		{[]string{"problem-report"}, "closed", []int{5}, 1},
		{[]string{"problem-report", "Problem-Report", " problem-report"}, "all", []int{1, 3, 5}, 1},
		{[]string{"nothing"}, "all", []int{}, 1},
		{nil, "all", []int{}, 0},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.labels, "+")+"/"+tt.state, func(t *testing.T) {
			srv.ResetLog()
			tr, _ := tracker(t, srv)
			got, err := tr.Labelled(context.Background(), tt.labels, tt.state)
			if err != nil {
				t.Fatal(err)
			}
			if nums := numbers(got); !reflect.DeepEqual(nums, tt.want) {
				t.Errorf("issues %v, want %v", nums, tt.want)
			}
			for _, is := range got {
				if is.IsPullRequest || is.Ref.Repo != "" || is.Title == "" {
					t.Errorf("issue %+v", is)
				}
			}
			reqs := srv.Requests()
			if len(reqs) != tt.wantRequests {
				t.Fatalf("%d requests, want %d", len(reqs), tt.wantRequests)
			}
			for _, r := range reqs {
				if strings.Contains(r.Query.Get("labels"), ",") || r.Query.Get("state") != tt.state || r.Query.Get("per_page") != "100" {
					t.Errorf("query %v", r.Query)
				}
			}
		})
	}
}

func TestLabelledErrors(t *testing.T) {
	srv := fakegithub.New(t)
	tr, _ := tracker(t, srv)
	tests := []struct {
		labels []string
		state  string
		want   string
	}{
		{[]string{"bug"}, "", `state ""`},
		{[]string{"bug"}, "merged", `state "merged"`},
		{[]string{"bug", "a,b"}, "all", "splits on commas"},
		{[]string{""}, "all", "empty label"},
	}
	for _, tt := range tests {
		_, err := tr.Labelled(context.Background(), tt.labels, tt.state)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q %q: %v, want %q", tt.labels, tt.state, err, tt.want)
		}
	}
	if len(srv.Requests()) != 0 {
		t.Errorf("%d requests sent for bad arguments", len(srv.Requests()))
	}
}

// TestLabelledPagesAndRetries: every page of each label, through a rate
// limit on the way.
func TestLabelledPagesAndRetries(t *testing.T) {
	srv := fakegithub.New(t)
	for n := 1; n <= 250; n++ {
		srv.AddIssue(repo, fakegithub.Issue{Number: n, Title: "x", Labels: []string{"problem-report"}})
	}
	for n := 251; n <= 260; n++ {
		srv.AddPullRequest(repo, fakegithub.PullRequest{Number: n, Title: "pr", Labels: []string{"problem-report"}})
	}
	// The second page answers 429 once.
	srv.Inject(fakegithub.Fault{Path: "/api/v3/repos/" + repo + "/issues", Query: map[string]string{"page": "2"},
		Status: 429, Header: http.Header{"Retry-After": {"4"}}})
	tr, w := tracker(t, srv)
	got, err := tr.Labelled(context.Background(), []string{"problem-report"}, "open")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 || got[0].Ref.Number != 1 || got[249].Ref.Number != 250 {
		t.Errorf("%d issues, %v … %v", len(got), got[0].Ref, got[len(got)-1].Ref)
	}
	// 260 items are 3 pages; the second asked twice.
	var pages []string
	for _, r := range srv.Requests() {
		pages = append(pages, fmt.Sprintf("%s:%d", r.Query.Get("page"), r.Status))
	}
	if want := []string{":200", "2:429", "2:200", "3:200"}; !reflect.DeepEqual(pages, want) {
		t.Errorf("pages %v, want %v", pages, want)
	}
	if !reflect.DeepEqual(w.d, []time.Duration{4 * time.Second}) {
		t.Errorf("waits %v", w.d)
	}
}

// TestLabelledFailsWhole: a failure on any page fails the whole list.
func TestLabelledFailsWhole(t *testing.T) {
	srv := fakegithub.New(t)
	for n := 1; n <= 150; n++ {
		srv.AddIssue(repo, fakegithub.Issue{Number: n, Title: "x", Labels: []string{"change-request"}})
	}
	srv.FailNext("/api/v3/repos/"+repo+"/issues", 500, nil, 10)
	tr, _ := tracker(t, srv)
	got, err := tr.Labelled(context.Background(), []string{"change-request"}, "all")
	if err == nil || got != nil {
		t.Fatalf("got %d issues, %v", len(got), err)
	}
	noToken(t, err)
	for _, want := range []string{`all issues of octo/pump labelled "change-request"`, "500 Internal Server Error", "after 3 attempts"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestLabelledPageCap(t *testing.T) {
	srv := fakegithub.New(t)
	for n := 1; n <= 150; n++ {
		srv.AddIssue(repo, fakegithub.Issue{Number: n, Title: "x", Labels: []string{"change-request"}})
	}
	tr, _ := tracker(t, srv)
	tr.MaxPages = 1
	_, err := tr.Labelled(context.Background(), []string{"change-request"}, "all")
	if !errors.Is(err, githubapi.ErrTooManyPages) {
		t.Errorf("error %v, want ErrTooManyPages", err)
	}
}

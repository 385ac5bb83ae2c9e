package githubapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

func listIssues(gh *github.Client) func(ctx context.Context, page int) ([]*github.Issue, *github.Response, error) {
	return func(ctx context.Context, page int) ([]*github.Issue, *github.Response, error) {
		return gh.Issues.ListByRepo(ctx, "o", "r", &github.IssueListByRepoOptions{State: "all",
			ListOptions: github.ListOptions{Page: page, PerPage: githubapi.PerPage}})
	}
}

func TestAllPages(t *testing.T) {
	srv := fakegithub.New(t)
	for n := 1; n <= 250; n++ {
		srv.AddIssue("o/r", fakegithub.Issue{Number: n, Title: fmt.Sprint(n)})
	}
	gh, _ := client(t, srv, githubapi.Options{})
	issues, err := githubapi.All(context.Background(), 0, listIssues(gh))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, is := range issues {
		seen[is.GetNumber()] = true
	}
	if len(issues) != 250 || len(seen) != 250 {
		t.Errorf("%d issues, %d distinct; want 250", len(issues), len(seen))
	}
	var pages []string
	for _, r := range srv.Requests() {
		pages = append(pages, r.Query.Get("page")+"/"+r.Query.Get("per_page"))
	}
	if want := []string{"/100", "2/100", "3/100"}; !reflect.DeepEqual(pages, want) {
		t.Errorf("pages asked %v, want %v", pages, want)
	}
}

func TestAllPageCap(t *testing.T) {
	srv := fakegithub.New(t)
	for n := 1; n <= 250; n++ {
		srv.AddIssue("o/r", fakegithub.Issue{Number: n, Title: "x"})
	}
	gh, _ := client(t, srv, githubapi.Options{})
	issues, err := githubapi.All(context.Background(), 2, listIssues(gh))
	if !errors.Is(err, githubapi.ErrTooManyPages) || issues != nil {
		t.Fatalf("%d issues, error %v; want ErrTooManyPages and nothing", len(issues), err)
	}
	if !strings.Contains(err.Error(), "past 2 pages (200 items so far)") {
		t.Errorf("error %v", err)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestAllErrors(t *testing.T) {
	boom := errors.New("boom")
	page := func(next int, err error) func(context.Context, int) ([]int, *github.Response, error) {
		return func(context.Context, int) ([]int, *github.Response, error) {
			if err != nil {
				return nil, nil, err
			}
			return []int{1}, &github.Response{Response: &http.Response{}, NextPage: next}, nil
		}
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name  string
		ctx   context.Context
		fetch func(context.Context, int) ([]int, *github.Response, error)
		want  string
	}{
		{"fetch fails", context.Background(), page(0, boom), "boom"},
		{"links to itself", context.Background(), page(1, nil), "page 1 links to page 1 as the next; refusing to loop"},
		{"no response", context.Background(), func(context.Context, int) ([]int, *github.Response, error) { return nil, nil, nil }, "without its response"},
		{"cancelled", cancelled, page(0, nil), "context canceled"},
	}
	for _, tt := range tests {
		got, err := githubapi.All(tt.ctx, 0, tt.fetch)
		if err == nil || got != nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, %v; want an error containing %q", tt.name, got, err, tt.want)
		}
	}
}

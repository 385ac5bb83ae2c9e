package githubapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// A repeated read is asked with the entity tag of the last answer; GitHub
// answers 304 while nothing changed, and the kept answer is served.
func TestETags(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddIssue("octo/pump", fakegithub.Issue{Number: 1, Title: "first"})
	tags := githubapi.NewETags(0)
	c, err := githubapi.NewClient(githubapi.Options{APIURL: srv.APIURL(), Token: fakegithub.DefaultToken, Sleep: noWait, ETags: tags})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	title := func() string {
		is, _, err := c.Issues.Get(ctx, "octo", "pump", 1)
		if err != nil {
			t.Fatal(err)
		}
		return is.GetTitle()
	}
	for i, want := range []string{"first", "first", "first"} {
		if got := title(); got != want {
			t.Errorf("read %d: %q", i, got)
		}
	}
	srv.AddIssue("octo/pump", fakegithub.Issue{Number: 1, Title: "edited"})
	if got := title(); got != "edited" {
		t.Errorf("after the edit: %q", got)
	}
	var statuses []int
	for _, r := range srv.Requests() {
		statuses = append(statuses, r.Status)
	}
	want := []int{200, http.StatusNotModified, http.StatusNotModified, 200}
	if len(statuses) != len(want) || statuses[1] != want[1] || statuses[2] != want[2] || statuses[3] != want[3] {
		t.Errorf("statuses %v, want %v", statuses, want)
	}
	if n := tags.Revalidated.Load(); n != 2 {
		t.Errorf("%d served from the cache", n)
	}
}

package githubapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

func publisher(t *testing.T, srv *fakegithub.Server) *githubapi.Publisher {
	t.Helper()
	c, err := githubapi.NewClient(githubapi.Options{APIURL: srv.APIURL(), Token: fakegithub.DefaultToken, Sleep: noWait})
	if err != nil {
		t.Fatal(err)
	}
	p, err := githubapi.NewPublisher(c, "octo/pump")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var head = strings.Repeat("ab", 20)

// A check run starts in progress and completes with its output: the
// summary whole, the annotations 50 a request, the Re-run button, the
// details URL. A later evaluation makes a new run.
func TestPublishCheckRun(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddRepo("octo/pump")
	p := publisher(t, srv)
	ctx := context.Background()
	id, err := p.PublishCheckRun(ctx, githubapi.CheckRun{Name: "tracegate/pr", HeadSHA: head, Status: "in_progress",
		Title: "Evaluating", Summary: "Waiting for workflow CI", DetailsURL: "https://tracegate.example/runs/1"})
	if err != nil {
		t.Fatal(err)
	}
	var notes []githubapi.CheckAnnotation
	for i := 1; i <= 120; i++ {
		notes = append(notes, githubapi.CheckAnnotation{Path: "docs/requirements/a.yml", StartLine: i, EndLine: i, Level: "failure", Message: fmt.Sprintf("finding %d", i)})
	}
	// The longest summary GitHub takes, in characters of two bytes each.
	summary := strings.Repeat("é", githubapi.MaxCheckRunText)
	srv.ResetLog()
	id2, err := p.PublishCheckRun(ctx, githubapi.CheckRun{Name: "tracegate/pr", HeadSHA: head, Status: "completed", Conclusion: "failure",
		Title: "2 errors", Summary: summary, Annotations: notes, Rerun: true, DetailsURL: "https://tracegate.example/runs/1"})
	if err != nil {
		t.Fatal(err)
	}
	if id2 != id {
		t.Errorf("completing made check run %d, not %d", id2, id)
	}
	if n := srv.Count("PATCH", "/api/v3/repos/octo/pump/check-runs/*"); n != 3 {
		t.Errorf("%d updates for 120 annotations, want 3", n)
	}
	runs := srv.CheckRuns("octo/pump")
	if len(runs) != 1 {
		t.Fatalf("%d check runs", len(runs))
	}
	r := runs[0]
	if r.Status != "completed" || r.Conclusion != "failure" || r.Summary != summary || r.Title != "2 errors" || len(r.Annotations) != 120 ||
		r.Annotations[119].Message != "finding 120" || r.DetailsURL != "https://tracegate.example/runs/1" ||
		len(r.Actions) != 1 || r.Actions[0].Identifier != githubapi.RerunAction || r.Actions[0].Label != "Re-run" {
		t.Errorf("check run %+v", r)
	}
	// A new evaluation of the same commit supersedes the completed run.
	id3, err := p.PublishCheckRun(ctx, githubapi.CheckRun{Name: "tracegate/pr", HeadSHA: head, Status: "in_progress"})
	if err != nil || id3 == id {
		t.Errorf("re-evaluation: check run %d, %v", id3, err)
	}
	if runs := srv.CheckRuns("octo/pump"); len(runs) != 2 || len(runs[0].Annotations) != 120 {
		t.Errorf("%d check runs after a re-evaluation", len(runs))
	}
}

// What GitHub would refuse is refused before anything is sent.
func TestPublishCheckRunRefuses(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddRepo("octo/pump")
	p := publisher(t, srv)
	for _, r := range []githubapi.CheckRun{
		{Name: "tracegate/pr", HeadSHA: "main"},
		{Name: "tracegate/pr", HeadSHA: head, Status: "completed"},
		{Name: "tracegate/pr", HeadSHA: head, Status: "in_progress", Conclusion: "success"},
		{Name: "tracegate/pr", HeadSHA: head, Title: "t", Summary: strings.Repeat("x", githubapi.MaxCheckRunText+1)},
		{Name: "tracegate/pr", HeadSHA: head, Summary: "no title"},
		{Name: "tracegate/pr", HeadSHA: head, Title: "t", Summary: "s", Annotations: []githubapi.CheckAnnotation{{Path: "a", StartLine: 1, EndLine: 1, Level: "error", Message: "m"}}},
	} {
		if _, err := p.PublishCheckRun(context.Background(), r); err == nil {
			t.Errorf("%+.80v: no error", r)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func noWait(ctx context.Context, _ time.Duration) error { return ctx.Err() }

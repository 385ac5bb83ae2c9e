package resultdoc

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// The Markdown of a result with thousands of findings, rendered within a
// check run's budget, is what GitHub takes as the summary of a check run,
// whole: the publisher refuses rather than cuts, so the budget is what
// keeps the verdict in.
func TestMarkdownFitsCheckRun(t *testing.T) {
	if DefaultMarkdownBudget != githubapi.MaxCheckRunText {
		t.Fatalf("the Markdown budget %d is not a check run's limit %d", DefaultMarkdownBudget, githubapi.MaxCheckRunText)
	}
	r := bigResult(5000)
	// Messages of multi-byte runes: the budget counts bytes, GitHub
	// characters.
	for i := range r.Findings {
		r.Findings[i].Message += " — ‘quoted’ « text » ✓"
	}
	md := render(t, r, MarkdownOptions{Budget: githubapi.MaxCheckRunText, FullReport: "the artifact tracegate-report"})
	srv := fakegithub.New(t)
	srv.AddRepo("octo/pump")
	c, err := githubapi.NewClient(githubapi.Options{APIURL: srv.APIURL(), Token: fakegithub.DefaultToken,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	p, err := githubapi.NewPublisher(c, "octo/pump")
	if err != nil {
		t.Fatal(err)
	}
	sha := strings.Repeat("c", 40)
	if _, err := p.PublishCheckRun(context.Background(), githubapi.CheckRun{Name: "tracegate/pr", HeadSHA: sha,
		Status: "completed", Conclusion: "failure", Title: "5000 findings", Summary: md}); err != nil {
		t.Fatal(err)
	}
	runs := srv.CheckRuns("octo/pump")
	if len(runs) != 1 || runs[0].Summary != md || !strings.HasPrefix(md, "## ") {
		t.Errorf("check run %+.200v", runs)
	}
}

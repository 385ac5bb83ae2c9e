package githubapi

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/logctx"
)

// GitHub's limits on a check run (docs.github.com, "Create a check run").
const (
	// MaxCheckRunText is the most characters of output.summary and
	// output.text: render them with report.MarkdownOptions{Budget:
	// MaxCheckRunText}, whose byte budget keeps them under it.
	MaxCheckRunText = 65535
	// AnnotationsPerRequest is the most annotations one request may carry;
	// more are sent in further updates, which GitHub appends.
	AnnotationsPerRequest = 50
)

// RerunAction is the identifier of the "Re-run" requested action: GitHub
// sends a check_run event with action requested_action and this
// identifier when it is clicked.
const RerunAction = "rerun"

// CheckRun is what a check run shows.
type CheckRun struct {
	Name    string // tracegate/pr, tracegate/release
	HeadSHA string
	// Status is in_progress or completed (queued when empty);
	// Conclusion (success, failure, neutral, action_required …) is
	// required for a completed run.
	Status, Conclusion string
	DetailsURL         string
	ExternalID         string
	// Title and Summary are required with any output; Summary and Text
	// hold at most MaxCheckRunText characters each.
	Title, Summary, Text string
	Annotations          []CheckAnnotation
	// Rerun offers the "Re-run" button (RerunAction).
	Rerun bool
}

// CheckAnnotation is a note on a line of a file.
type CheckAnnotation struct {
	Path               string
	StartLine, EndLine int
	Level              string // notice, warning or failure
	Title, Message     string
	RawDetails         string
}

func (r *CheckRun) validate() error {
	switch {
	case r.Name == "" || !FullSHA(r.HeadSHA):
		return errors.New("a check run needs a name and a commit SHA")
	case r.Status != "" && r.Status != "queued" && r.Status != "in_progress" && r.Status != "completed":
		return fmt.Errorf("check run status %q: want queued, in_progress or completed", r.Status)
	case r.Status == "completed" && r.Conclusion == "":
		return errors.New("a completed check run needs a conclusion")
	case r.Status != "completed" && r.Conclusion != "":
		return errors.New("only a completed check run has a conclusion")
	case (r.Summary != "" || r.Text != "" || len(r.Annotations) > 0) && (r.Title == "" || r.Summary == ""):
		return errors.New("a check run's output needs a title and a summary")
	case utf8.RuneCountInString(r.Summary) > MaxCheckRunText || utf8.RuneCountInString(r.Text) > MaxCheckRunText:
		// Never cut here: a cut summary can lose the verdict. The
		// renderer's budget keeps within the limit.
		return fmt.Errorf("a check run's summary and text hold at most %d characters (summary %d, text %d)",
			MaxCheckRunText, utf8.RuneCountInString(r.Summary), utf8.RuneCountInString(r.Text))
	}
	for _, a := range r.Annotations {
		if a.Path == "" || a.StartLine < 1 || a.EndLine < a.StartLine || a.Message == "" ||
			(a.Level != "notice" && a.Level != "warning" && a.Level != "failure") {
			return fmt.Errorf("annotation %+v: it needs a path, lines, a level (notice, warning, failure) and a message", a)
		}
	}
	return nil
}

// FullSHA tells whether s is a whole commit SHA in lower-case hex (40
// digits, or 64 for SHA-256 repositories).
func FullSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// PublishCheckRun shows run on its commit and returns the check run's ID:
// the check run of that name on the SHA when one is still queued or in
// progress (the evaluation that started it is finishing), else a new one
// (a new evaluation supersedes a completed run, whose annotations GitHub
// would otherwise keep beside the new ones). The annotations go 50 a
// request: with the first write, then in updates carrying the same
// output, which GitHub appends.
func (p *Publisher) PublishCheckRun(ctx context.Context, run CheckRun) (int64, error) {
	if err := run.validate(); err != nil {
		return 0, err
	}
	start := time.Now()
	what := fmt.Sprintf("check run %s on %s in %s", run.Name, run.HeadSHA, p.repo)
	id, err := p.openCheckRun(ctx, run.Name, run.HeadSHA)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	first, rest := run.Annotations, []CheckAnnotation(nil)
	if len(first) > AnnotationsPerRequest {
		first, rest = first[:AnnotationsPerRequest], first[AnnotationsPerRequest:]
	}
	out := output(run, first)
	var actions []*github.CheckRunAction
	if run.Rerun {
		actions = []*github.CheckRunAction{{Label: "Re-run", Description: "Evaluate this commit again", Identifier: RerunAction}}
	}
	var completed *github.Timestamp
	if run.Status == "completed" {
		completed = &github.Timestamp{Time: time.Now()}
	}
	requests := 1
	if id == 0 {
		cr, _, err := p.client.Checks.CreateCheckRun(ctx, p.owner, p.name, github.CreateCheckRunOptions{
			Name: run.Name, HeadSHA: run.HeadSHA, DetailsURL: opt(run.DetailsURL), ExternalID: opt(run.ExternalID),
			Status: opt(run.Status), Conclusion: opt(run.Conclusion), CompletedAt: completed, Output: out, Actions: actions,
		})
		if err != nil {
			return 0, fmt.Errorf("%s: creating it: %w", what, err)
		}
		id = cr.GetID()
	} else {
		_, _, err := p.client.Checks.UpdateCheckRun(ctx, p.owner, p.name, id, github.UpdateCheckRunOptions{
			Name: run.Name, DetailsURL: opt(run.DetailsURL), ExternalID: opt(run.ExternalID),
			Status: opt(run.Status), Conclusion: opt(run.Conclusion), CompletedAt: completed, Output: out, Actions: actions,
		})
		if err != nil {
			return 0, fmt.Errorf("%s: updating check run %d: %w", what, id, err)
		}
	}
	for len(rest) > 0 {
		batch := rest
		if len(batch) > AnnotationsPerRequest {
			batch = batch[:AnnotationsPerRequest]
		}
		rest = rest[len(batch):]
		if _, _, err := p.client.Checks.UpdateCheckRun(ctx, p.owner, p.name, id, github.UpdateCheckRunOptions{
			Name: run.Name, Output: output(run, batch)}); err != nil {
			return id, fmt.Errorf("%s: adding annotations to check run %d: %w", what, id, err)
		}
		requests++
	}
	logctx.From(ctx).Info("github: check run", "repo", p.repo, "name", run.Name, "sha", run.HeadSHA, "id", id,
		"status", run.Status, "conclusion", run.Conclusion, "annotations", len(run.Annotations), "requests", requests, "took", time.Since(start))
	return id, nil
}

// openCheckRun is the ID of the newest check run of name on sha that has
// not completed, 0 when there is none.
func (p *Publisher) openCheckRun(ctx context.Context, name, sha string) (int64, error) {
	runs, err := All(ctx, 0, func(ctx context.Context, page int) ([]*github.CheckRun, *github.Response, error) {
		l, resp, err := p.client.Checks.ListCheckRunsForRef(ctx, p.owner, p.name, sha, &github.ListCheckRunsOptions{
			CheckName: &name, ListOptions: github.ListOptions{Page: page, PerPage: PerPage}})
		if err != nil {
			return nil, resp, err
		}
		return l.CheckRuns, resp, nil
	})
	if err != nil {
		return 0, fmt.Errorf("listing its check runs: %w", err)
	}
	var id int64
	for _, r := range runs {
		if r.GetName() == name && r.GetStatus() != "completed" && r.GetID() > id {
			id = r.GetID()
		}
	}
	return id, nil
}

func output(run CheckRun, annotations []CheckAnnotation) *github.CheckRunOutput {
	if run.Title == "" {
		return nil
	}
	out := &github.CheckRunOutput{Title: &run.Title, Summary: &run.Summary, Text: opt(run.Text)}
	for _, a := range annotations {
		out.Annotations = append(out.Annotations, &github.CheckRunAnnotation{
			Path: github.String(a.Path), StartLine: github.Int(a.StartLine), EndLine: github.Int(a.EndLine),
			AnnotationLevel: github.String(a.Level), Message: github.String(a.Message), Title: opt(a.Title), RawDetails: opt(a.RawDetails),
		})
	}
	return out
}

// opt is nil for "", so that go-github leaves the field out.
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/logctx"
	"github.com/tracegate/tracegate/internal/store"
)

// onWorkflowRun: a completed run may hold the artifacts an evaluation
// waits for: evaluate again what waits on its commit (see runWaiting).
func (a *App) onWorkflowRun(payload any, in *intake) error {
	e := payload.(*github.WorkflowRunEvent)
	if e.GetAction() != "completed" {
		return nil
	}
	if err := in.needRepo(); err != nil {
		return err
	}
	sha := e.GetWorkflowRun().GetHeadSHA()
	if !isSHA(sha) {
		return nil
	}
	return in.add(kindWaiting, store.Key{Repository: in.repo, SHA: sha}, struct{}{})
}

// runWaiting finds the App's check runs on the commit that are still in
// progress — the evaluations that wait for CI's artifacts, each naming
// its job in its external ID — and evaluates them again. The check runs
// are the record of what waits: it survives restarts and is shared by
// replicas.
func (a *App) runWaiting(ctx context.Context, job store.Job) error {
	ra, err := a.access(ctx, job.InstallationID, job.Key.Repository)
	if err != nil {
		return permanentUnless(err)
	}
	owner, name, _ := strings.Cut(ra.name, "/")
	runs, err := githubapi.All(ctx, 0, func(ctx context.Context, page int) ([]*github.CheckRun, *github.Response, error) {
		l, resp, err := ra.gh.Checks.ListCheckRunsForRef(ctx, owner, name, job.Key.SHA, &github.ListCheckRunsOptions{
			Status: github.String("in_progress"), ListOptions: github.ListOptions{Page: page, PerPage: githubapi.PerPage}})
		if err != nil {
			return nil, resp, err
		}
		return l.CheckRuns, resp, nil
	})
	if err != nil {
		return permanentUnless(fmt.Errorf("listing the check runs of %s in %s: %w", job.Key.SHA, ra.name, err))
	}
	in := &intake{installation: job.InstallationID, repo: ra.name}
	for _, r := range runs {
		if (r.GetName() != checkPR && r.GetName() != checkRelease) || r.GetStatus() == "completed" {
			continue
		}
		if err := in.fromExternalID(r.GetExternalID(), job.Key.SHA, nil); err != nil {
			return err
		}
	}
	logctx.From(ctx).Info("evidence arrived", "waiting", len(in.jobs))
	return a.fanOut(ctx, job, in)
}

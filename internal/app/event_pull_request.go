package app

import (
	"errors"
	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/store"
)

// prActions are the pull_request actions that change what the PR gate
// judges: its commits, title, body, labels or readiness.
var prActions = map[string]bool{"opened": true, "edited": true, "synchronize": true, "reopened": true,
	"labeled": true, "unlabeled": true, "ready_for_review": true}

// prArgs are a PR job's arguments: the pull request as the event saw it.
// Refresh asks the worker to read its title, body and labels again (the
// event that asked for the evaluation did not carry them).
type prArgs struct {
	PR      facts.PullRequest `json:"pr"`
	Refresh bool              `json:"refresh,omitempty"`
}

// onPullRequest: pull_request → the PR gate on the head SHA (check run
// tracegate/pr). Edits, labels and re-requests of one head coalesce.
func (a *App) onPullRequest(payload any, in *intake) error {
	e := payload.(*github.PullRequestEvent)
	if !prActions[e.GetAction()] || e.GetPullRequest().GetState() == "closed" {
		return nil
	}
	if e.PullRequest == nil {
		return errors.New("no pull_request in the payload") // found by FuzzIntake: it panicked
	}
	if err := in.needRepo(); err != nil {
		return err
	}
	return in.addPR(pullRequest(in.repo, e.GetPullRequest()), false)
}

// pullRequest is the payload's pull request as the gate takes it.
func pullRequest(repo string, p *github.PullRequest) facts.PullRequest {
	if p == nil {
		return facts.PullRequest{Repo: repo}
	}
	pr := facts.PullRequest{Repo: repo, Number: p.GetNumber(), Title: p.GetTitle(), Body: p.GetBody(),
		Author: p.GetUser().GetLogin(), URL: p.GetHTMLURL(), Draft: p.GetDraft(),
		HeadRef: p.GetHead().GetRef(), HeadSHA: p.GetHead().GetSHA(), BaseRef: p.GetBase().GetRef(), BaseSHA: p.GetBase().GetSHA()}
	for _, l := range p.Labels {
		pr.Labels = append(pr.Labels, l.GetName())
	}
	return pr
}

// addPR enqueues the PR gate for pr's head.
func (in *intake) addPR(pr facts.PullRequest, refresh bool) error {
	if pr.Number <= 0 || !isSHA(pr.HeadSHA) {
		return nil // nothing to judge: no number or no head commit
	}
	return in.add(kindPR, store.Key{Repository: in.repo, Number: pr.Number, SHA: pr.HeadSHA}, prArgs{PR: pr, Refresh: refresh})
}

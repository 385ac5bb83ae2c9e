package app

import (
	"strconv"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/githubapi"
)

// Check run names.
const (
	checkPR      = "tracegate/pr"
	checkRelease = "tracegate/release"
)

// onCheckRun: a re-request of one of the App's check runs (GitHub's
// "Re-run" link: rerequested) or its own "Re-run" button
// (requested_action rerun) evaluates its commit again, reading the pull
// request's current title, body and labels. The check run's external ID
// says what it judged: pr:N, or release:tag:T / release:branch:B.
func (a *App) onCheckRun(payload any, in *intake) error {
	e := payload.(*github.CheckRunEvent)
	switch e.GetAction() {
	case "rerequested":
	case "requested_action":
		if ra := e.GetRequestedAction(); ra == nil || ra.Identifier != githubapi.RerunAction { // nil: found by FuzzIntake
			return nil
		}
	default:
		return nil
	}
	cr := e.GetCheckRun()
	if cr.GetName() != checkPR && cr.GetName() != checkRelease {
		return nil
	}
	if err := in.needRepo(); err != nil {
		return err
	}
	return in.fromExternalID(cr.GetExternalID(), cr.GetHeadSHA(), cr.PullRequests)
}

// fromExternalID enqueues the evaluation a check run's external ID names,
// on sha; a PR check run without one falls back to the pull requests
// GitHub lists with it.
func (in *intake) fromExternalID(id, sha string, pulls []*github.PullRequest) error {
	kind, rest, _ := strings.Cut(id, ":")
	switch kind {
	case kindPR:
		n, err := strconv.Atoi(rest)
		if err == nil && n > 0 {
			return in.addPR(facts.PullRequest{Repo: in.repo, Number: n, HeadSHA: sha}, true)
		}
	case kindRelease:
		what, name, _ := strings.Cut(rest, ":")
		switch what {
		case "tag":
			return in.addRelease(releaseArgs{Tag: name, SHA: sha})
		case "branch":
			return in.addRelease(releaseArgs{Branch: name, SHA: sha})
		}
	}
	for _, p := range pulls {
		if p.GetHead().GetSHA() == sha {
			pr := facts.PullRequest{Repo: in.repo, Number: p.GetNumber(), HeadSHA: sha, HeadRef: p.GetHead().GetRef(),
				BaseRef: p.GetBase().GetRef(), BaseSHA: p.GetBase().GetSHA()}
			if err := in.addPR(pr, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// externalID is what a check run's external ID says of its job.
func externalID(kind string, args any) string {
	switch v := args.(type) {
	case prArgs:
		return kindPR + ":" + strconv.Itoa(v.PR.Number)
	case releaseArgs:
		if v.Tag != "" {
			return kindRelease + ":tag:" + v.Tag
		}
		return kindRelease + ":branch:" + v.Branch
	}
	return kind
}

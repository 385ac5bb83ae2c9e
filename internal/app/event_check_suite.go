package app

import (
	"errors"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/facts"
)

// onCheckSuite: requested (a push) and rerequested ("Re-run all checks")
// evaluate the suite's commit: the PR gate for each pull request GitHub
// lists with it, the release readiness check on a default-branch commit
// that no pull request is for.
func (a *App) onCheckSuite(payload any, in *intake) error {
	e := payload.(*github.CheckSuiteEvent)
	if e.GetAction() != "requested" && e.GetAction() != "rerequested" {
		return nil
	}
	if err := in.needRepo(); err != nil {
		return err
	}
	cs := e.GetCheckSuite()
	if cs == nil {
		return errors.New("no check_suite in the payload") // found by FuzzIntake: it panicked
	}
	sha := cs.GetHeadSHA()
	for _, p := range cs.PullRequests {
		if p.GetHead().GetSHA() != sha {
			continue
		}
		pr := facts.PullRequest{Repo: in.repo, Number: p.GetNumber(), HeadSHA: sha, HeadRef: p.GetHead().GetRef(),
			BaseRef: p.GetBase().GetRef(), BaseSHA: p.GetBase().GetSHA()}
		if err := in.addPR(pr, true); err != nil {
			return err
		}
	}
	if len(cs.PullRequests) == 0 && cs.GetHeadBranch() != "" && cs.GetHeadBranch() == e.GetRepo().GetDefaultBranch() {
		return in.addRelease(releaseArgs{Branch: cs.GetHeadBranch(), SHA: sha})
	}
	return nil
}

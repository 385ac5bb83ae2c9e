package fakerepo

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/internal/facts"
)

// Reviews are review and approval records in memory (facts.Reviews).
type Reviews struct {
	// CommitPRs are the pull requests each commit belongs to, by SHA.
	CommitPRs map[string][]facts.PullRequest
	// ByPR are the reviews of each pull request, by number; a number
	// without an entry is not found.
	ByPR map[int]facts.PullRequestReviews
	// Teams are the active members of each team (org/slug); a team not
	// in the map cannot be read.
	Teams map[string][]string
	// Deployments are the deployment reviews of every commit and
	// environment.
	Deployments []facts.DeploymentApproval
	// Err, when set, is returned by every call whose method it names.
	Err map[string]error
}

var _ facts.Reviews = (*Reviews)(nil)

func (r *Reviews) CommitPullRequests(_ context.Context, sha string) ([]facts.PullRequest, error) {
	if err := r.Err["CommitPullRequests"]; err != nil {
		return nil, err
	}
	return slices.Clone(r.CommitPRs[sha]), nil
}

func (r *Reviews) PullRequestReviews(_ context.Context, number int) (*facts.PullRequestReviews, error) {
	if err := r.Err["PullRequestReviews"]; err != nil {
		return nil, err
	}
	rv, ok := r.ByPR[number]
	if !ok {
		return nil, fmt.Errorf("reviews of pull request #%d: %w", number, facts.ErrNotFound)
	}
	rv.Reviews = slices.Clone(rv.Reviews)
	return &rv, nil
}

func (r *Reviews) TeamMember(_ context.Context, org, slug, login string) (bool, error) {
	if err := r.Err["TeamMember"]; err != nil {
		return false, err
	}
	members, ok := r.Teams[org+"/"+slug]
	if !ok {
		return false, fmt.Errorf("team %s/%s: %w", org, slug, facts.ErrNotFound)
	}
	return slices.ContainsFunc(members, func(m string) bool { return strings.EqualFold(m, login) }), nil
}

func (r *Reviews) DeploymentApprovals(_ context.Context, sha, environment, _ string) ([]facts.DeploymentApproval, error) {
	if err := r.Err["DeploymentApprovals"]; err != nil {
		return nil, err
	}
	var out []facts.DeploymentApproval
	for _, d := range r.Deployments {
		if d.Commit == sha && d.Environment == environment {
			out = append(out, d)
		}
	}
	return out, nil
}

package facts

import (
	"context"
	"time"
)

// Reviews reads the review and approval records GitHub keeps: who reviewed
// each pull request and on which commit, who belongs to the teams a policy
// names, and who approved the deployments of a protected environment.
// These are the records behind IEC 62304 5.5 / 8.2.3 (changes are
// verified) and the release approval of 5.8 and the quality system.
type Reviews interface {
	// CommitPullRequests lists the pull requests a commit belongs to
	// (GitHub's "pull requests associated with a commit"): the merged
	// pull request it came in by, and open ones that hold it.
	CommitPullRequests(ctx context.Context, sha string) ([]PullRequest, error)
	// PullRequestReviews lists a pull request's reviews, oldest first, and
	// the reviews still requested.
	PullRequestReviews(ctx context.Context, number int) (*PullRequestReviews, error)
	// TeamMember reports whether login is an active member of the team
	// org/slug. A team the token cannot see is an error, never "no".
	TeamMember(ctx context.Context, org, slug, login string) (bool, error)
	// DeploymentApprovals lists the reviews of deployments of commit sha
	// to environment, by the runs of workflow (a file name such as
	// release.yml, or a path; every workflow when empty).
	DeploymentApprovals(ctx context.Context, sha, environment, workflow string) ([]DeploymentApproval, error)
}

// Review states, lower-case (GitHub's API writes them upper-case).
const (
	ReviewApproved         = "approved"
	ReviewChangesRequested = "changes_requested"
	ReviewCommented        = "commented"
	ReviewDismissed        = "dismissed"
	ReviewPending          = "pending"
)

// Review is one review of a pull request.
type Review struct {
	ID       int64  `json:"id"`
	Reviewer string `json:"reviewer"` // login
	State    string `json:"state"`    // a Review* constant
	// Commit is the head commit of the pull request when the review was
	// submitted: what the reviewer saw.
	Commit    string    `json:"commit"`
	Submitted time.Time `json:"submitted"`
	URL       string    `json:"url,omitempty"`
}

// PullRequestReviews are a pull request's reviews and the reviews asked
// for and not yet given.
type PullRequestReviews struct {
	Reviews []Review `json:"reviews"`
	// RequestedUsers and RequestedTeams (org/slug) are asked to review
	// and have not (GitHub drops a request once its review is given).
	RequestedUsers []string `json:"requested_users,omitempty"`
	RequestedTeams []string `json:"requested_teams,omitempty"`
}

// Deployment review states.
const (
	DeploymentApproved = "approved"
	DeploymentRejected = "rejected"
)

// DeploymentApproval is one review of a deployment to a protected
// environment: GitHub's required-reviewer mechanism, recorded on the
// workflow run that deploys.
type DeploymentApproval struct {
	Environment string `json:"environment"`
	Reviewer    string `json:"reviewer"` // login
	State       string `json:"state"`    // DeploymentApproved or DeploymentRejected
	Comment     string `json:"comment,omitempty"`
	// Commit is the commit the run deployed.
	Commit   string `json:"commit"`
	RunID    int64  `json:"run_id"`
	RunURL   string `json:"run_url,omitempty"`
	Workflow string `json:"workflow,omitempty"` // the run's workflow name
	// At is when the deployment stopped waiting for its review: GitHub
	// records no time on the review itself, so this is the first status
	// of the run's deployment after waiting (queued, in progress, …);
	// zero when there is none.
	At time.Time `json:"at,omitzero"`
}

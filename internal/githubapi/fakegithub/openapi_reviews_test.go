package fakegithub_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// openAPICase is an answer of the fake checked against the spec: the
// request's path below the API root, the spec's path and the status.
type openAPICase struct {
	name, path, specPath string
	status               int
}

// reviewCases seeds the review and approval records (reviews.go) and
// lists the answers to check: reviews of every state, a review of a
// deleted account, requested reviewers, the pull requests of a commit,
// teams and memberships, deployments, their statuses and a run's
// deployment reviews. (GitHub also writes a deployment status "waiting"
// while a review is pending, which the spec's enum of states lacks.)
func reviewCases(t *testing.T, srv *fakegithub.Server, g map[string]string) []openAPICase {
	t.Helper()
	at := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	head := strings.Repeat("d", 40)
	srv.AddReview("octo/hello", 4, fakegithub.Review{User: "mona", State: "APPROVED", CommitID: head, Submitted: at, Body: "LGTM"})
	srv.AddReview("octo/hello", 4, fakegithub.Review{User: "hubot", State: "CHANGES_REQUESTED", CommitID: strings.Repeat("1", 40), Submitted: at})
	srv.AddReview("octo/hello", 4, fakegithub.Review{State: "COMMENTED", Submitted: at})
	srv.AddReview("octo/hello", 4, fakegithub.Review{User: "lisa", State: "PENDING", CommitID: head})
	srv.RequestReviewers("octo/hello", 4, []string{"hubot"}, []string{"qa"})
	srv.AddTeam("octo", "qa", "lisa")
	run := 0
	fmt.Sscan(g["run"], &run)
	dep := srv.AddDeployment("octo/git", fakegithub.Deployment{SHA: g["commit"], Ref: "v1", Environment: "production", RunID: int64(run),
		Statuses: []fakegithub.DeploymentStatus{{State: "queued", Created: at.Add(time.Hour)}, {State: "success", Created: at.Add(2 * time.Hour)}}})
	srv.AddDeploymentReview(int64(run), fakegithub.DeploymentReview{Environments: []string{"production"}, State: "approved", User: "lisa", Comment: "Released per SOP-12"})
	return []openAPICase{
		{"reviews", "/repos/octo/hello/pulls/4/reviews", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", 200},
		{"reviews, second page", "/repos/octo/hello/pulls/4/reviews?per_page=2&page=2", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", 200},
		{"requested reviewers", "/repos/octo/hello/pulls/4/requested_reviewers", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", 200},
		{"pull requests of a commit", "/repos/octo/hello/commits/" + strings.Repeat("c", 40) + "/pulls", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls", 200},
		{"team", "/orgs/octo/teams/qa", "/orgs/{org}/teams/{team_slug}", 200},
		{"missing team", "/orgs/octo/teams/nope", "/orgs/{org}/teams/{team_slug}", 404},
		{"team membership", "/orgs/octo/teams/qa/memberships/lisa", "/orgs/{org}/teams/{team_slug}/memberships/{username}", 200},
		{"not a team member", "/orgs/octo/teams/qa/memberships/mona", "/orgs/{org}/teams/{team_slug}/memberships/{username}", 404},
		{"deployments", "/repos/octo/git/deployments?environment=production&sha=" + g["commit"], "/repos/{owner}/{repo}/deployments", 200},
		{"deployment statuses", "/repos/octo/git/deployments/" + fmt.Sprint(dep) + "/statuses", "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses", 200},
		{"deployment reviews of a run", "/repos/octo/git/actions/runs/" + g["run"] + "/approvals", "/repos/{owner}/{repo}/actions/runs/{run_id}/approvals", 200},
	}
}

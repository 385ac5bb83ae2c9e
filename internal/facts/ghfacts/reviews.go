package ghfacts

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/lazyre"
)

var _ facts.Reviews = (*Tracker)(nil)

// CommitPullRequests lists the pull requests of the tracker's repository
// that a commit belongs to (GET /repos/{o}/{r}/commits/{sha}/pulls): the
// one it was merged by (a merge, squash or rebased commit) and open ones
// that hold it, every page.
func (t *Tracker) CommitPullRequests(ctx context.Context, sha string) ([]facts.PullRequest, error) {
	owner, name, err := splitRepo(t.repo)
	if err != nil {
		return nil, err
	}
	if !fullSHA().MatchString(sha) {
		return nil, fmt.Errorf("pull requests of %q: want a commit SHA", sha)
	}
	what := fmt.Sprintf("pull requests of commit %s in %s", sha, t.repo)
	list, err := githubapi.All(ctx, t.MaxPages, func(ctx context.Context, page int) ([]*github.PullRequest, *github.Response, error) {
		l, resp, err := t.client.PullRequests.ListPullRequestsWithCommit(ctx, owner, name, sha, &github.ListOptions{Page: page, PerPage: githubapi.PerPage})
		if err != nil {
			return nil, resp, apiError(what, resp, err)
		}
		return l, resp, nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]facts.PullRequest, 0, len(list))
	for _, pr := range list {
		p := convertPull(pr)
		if p.Repo == "" {
			p.Repo = t.repo
		}
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

// PullRequestReviews lists the reviews of a pull request of the tracker's
// repository, oldest first as GitHub lists them, and the reviews still
// requested. A review without a user (a deleted account) is read as the
// login "ghost", as GitHub shows it.
func (t *Tracker) PullRequestReviews(ctx context.Context, number int) (*facts.PullRequestReviews, error) {
	owner, name, err := splitRepo(t.repo)
	if err != nil {
		return nil, err
	}
	id := fmt.Sprintf("reviews of pull request %s#%d", t.repo, number)
	if number <= 0 {
		return nil, fmt.Errorf("%s: pull request numbers start at 1", id)
	}
	list, err := githubapi.All(ctx, t.MaxPages, func(ctx context.Context, page int) ([]*github.PullRequestReview, *github.Response, error) {
		l, resp, err := t.client.PullRequests.ListReviews(ctx, owner, name, number, &github.ListOptions{Page: page, PerPage: githubapi.PerPage})
		if err != nil {
			return nil, resp, apiError(id, resp, err)
		}
		return l, resp, nil
	})
	if err != nil {
		return nil, err
	}
	out := &facts.PullRequestReviews{Reviews: make([]facts.Review, 0, len(list))}
	for _, r := range list {
		login := r.GetUser().GetLogin()
		if login == "" {
			login = "ghost"
		}
		out.Reviews = append(out.Reviews, facts.Review{ID: r.GetID(), Reviewer: login, State: strings.ToLower(r.GetState()),
			Commit: r.GetCommitID(), Submitted: r.GetSubmittedAt().Time, URL: r.GetHTMLURL()})
	}
	req, resp, err := t.client.PullRequests.ListReviewers(ctx, owner, name, number, nil)
	if err != nil {
		return nil, apiError("requested reviewers of pull request "+t.repo+"#"+strconv.Itoa(number), resp, err)
	}
	for _, u := range req.Users {
		out.RequestedUsers = append(out.RequestedUsers, u.GetLogin())
	}
	for _, tm := range req.Teams {
		out.RequestedTeams = append(out.RequestedTeams, owner+"/"+tm.GetSlug())
	}
	return out, nil
}

// TeamMember reports whether login is an active member of the team
// org/slug (GET /orgs/{org}/teams/{slug}/memberships/{login}); a pending
// invitation is not membership. GitHub answers 404 both for a user who is
// not a member and for a team the token cannot see, so a 404 is told
// apart by asking for the team: a team that cannot be read is an error,
// never "not a member".
func (t *Tracker) TeamMember(ctx context.Context, org, slug, login string) (bool, error) {
	what := fmt.Sprintf("membership of %s in team %s/%s", login, org, slug)
	if !pathSegment(org) || !pathSegment(slug) || !pathSegment(login) {
		return false, fmt.Errorf("%s: not a team and a login", what)
	}
	m, resp, err := t.client.Teams.GetTeamMembershipBySlug(ctx, org, slug, login)
	if err == nil {
		return m.GetState() == "active", nil
	}
	if resp == nil || resp.StatusCode != http.StatusNotFound {
		return false, fmt.Errorf("%s: %w", what, err)
	}
	if _, resp, err := t.client.Teams.GetTeamBySlug(ctx, org, slug); err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return false, fmt.Errorf("%s: team %s/%s %w on GitHub, or the token cannot read it (reading teams needs the organization's members: read permission)", what, org, slug, facts.ErrNotFound)
		}
		return false, fmt.Errorf("%s: %w", what, err)
	}
	return false, nil
}

// environmentApproval is an entry of GET .../actions/runs/{id}/approvals
// (the schema environment-approvals), which go-github v60 does not read.
type environmentApproval struct {
	Environments []struct {
		Name string `json:"name"`
	} `json:"environments"`
	State   string       `json:"state"`
	User    *github.User `json:"user"`
	Comment string       `json:"comment"`
}

var runInURL = lazyre.New(`/actions/runs/(\d+)(?:/|$)`)

// DeploymentApprovals lists the reviews of deployments of sha to
// environment: the runs of workflow for the commit, each run's review
// history (GET .../actions/runs/{id}/approvals), the entries that name
// the environment. The time of each is read from the environment's
// deployment of that run: its first status after waiting for review.
func (t *Tracker) DeploymentApprovals(ctx context.Context, sha, environment, workflow string) ([]facts.DeploymentApproval, error) {
	owner, name, err := splitRepo(t.repo)
	if err != nil {
		return nil, err
	}
	if !fullSHA().MatchString(sha) {
		return nil, fmt.Errorf("deployment approvals of %q: want a commit SHA", sha)
	}
	if environment == "" {
		return nil, errors.New("deployment approvals: no environment named")
	}
	what := fmt.Sprintf("runs for %s in %s", sha, t.repo)
	byFile := strings.HasSuffix(workflow, ".yml") || strings.HasSuffix(workflow, ".yaml")
	runs, err := githubapi.All(ctx, t.MaxPages, func(ctx context.Context, page int) ([]*github.WorkflowRun, *github.Response, error) {
		opts := &github.ListWorkflowRunsOptions{HeadSHA: sha, ListOptions: github.ListOptions{Page: page, PerPage: githubapi.PerPage}}
		var list *github.WorkflowRuns
		var resp *github.Response
		var err error
		if byFile {
			list, resp, err = t.client.Actions.ListWorkflowRunsByFileName(ctx, owner, name, path.Base(workflow), opts)
		} else {
			list, resp, err = t.client.Actions.ListRepositoryWorkflowRuns(ctx, owner, name, opts)
		}
		if err != nil {
			return nil, resp, apiError(what, resp, err)
		}
		return list.WorkflowRuns, resp, nil
	})
	if err != nil {
		return nil, err
	}
	var times map[int64]time.Time // run → when its deployment stopped waiting
	var out []facts.DeploymentApproval
	for _, run := range runs {
		if run.GetHeadSHA() != sha || (!byFile && workflow != "" && run.GetName() != workflow) {
			continue
		}
		id := run.GetID()
		req, err := t.client.NewRequest(http.MethodGet, fmt.Sprintf("repos/%s/%s/actions/runs/%d/approvals", owner, name, id), nil)
		if err != nil {
			return nil, err
		}
		var list []environmentApproval
		resp, err := t.client.Do(ctx, req, &list)
		if err != nil {
			return nil, apiError(fmt.Sprintf("deployment reviews of run %d in %s", id, t.repo), resp, err)
		}
		for _, a := range list {
			named := false
			for _, e := range a.Environments {
				named = named || e.Name == environment
			}
			if !named {
				continue
			}
			if times == nil {
				if times, err = t.deploymentTimes(ctx, owner, name, sha, environment); err != nil {
					return nil, err
				}
			}
			login := a.User.GetLogin()
			if login == "" {
				login = "ghost"
			}
			out = append(out, facts.DeploymentApproval{Environment: environment, Reviewer: login, State: strings.ToLower(a.State),
				Comment: a.Comment, Commit: sha, RunID: id, RunURL: run.GetHTMLURL(), Workflow: run.GetName(), At: times[id]})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].RunID < out[j].RunID })
	return out, nil
}

// deploymentTimes reads, for each run that deployed sha to environment,
// when its deployment stopped waiting for review: its oldest status that
// is not "waiting" (nor "pending"), since the job runs only once
// approved. A deployment names its run in its statuses' log or
// target URL (…/actions/runs/{id}/job/{job}).
func (t *Tracker) deploymentTimes(ctx context.Context, owner, name, sha, environment string) (map[int64]time.Time, error) {
	what := fmt.Sprintf("deployments of %s to %s in %s", sha, environment, t.repo)
	deps, err := githubapi.All(ctx, t.MaxPages, func(ctx context.Context, page int) ([]*github.Deployment, *github.Response, error) {
		l, resp, err := t.client.Repositories.ListDeployments(ctx, owner, name, &github.DeploymentsListOptions{SHA: sha, Environment: environment,
			ListOptions: github.ListOptions{Page: page, PerPage: githubapi.PerPage}})
		if err != nil {
			return nil, resp, apiError(what, resp, err)
		}
		return l, resp, nil
	})
	if err != nil {
		return nil, err
	}
	out := map[int64]time.Time{}
	for _, d := range deps {
		id := d.GetID()
		sts, err := githubapi.All(ctx, t.MaxPages, func(ctx context.Context, page int) ([]*github.DeploymentStatus, *github.Response, error) {
			l, resp, err := t.client.Repositories.ListDeploymentStatuses(ctx, owner, name, id, &github.ListOptions{Page: page, PerPage: githubapi.PerPage})
			if err != nil {
				return nil, resp, apiError(fmt.Sprintf("statuses of deployment %d in %s", id, t.repo), resp, err)
			}
			return l, resp, nil
		})
		if err != nil {
			return nil, err
		}
		// GitHub lists statuses newest first.
		sort.SliceStable(sts, func(i, j int) bool { return sts[i].GetCreatedAt().Before(sts[j].GetCreatedAt().Time) })
		run := int64(0)
		var at time.Time
		for _, st := range sts {
			for _, u := range []string{st.GetLogURL(), st.GetTargetURL()} {
				if m := runInURL().FindStringSubmatch(u); m != nil && run == 0 {
					run, _ = strconv.ParseInt(m[1], 10, 64)
				}
			}
			// A deployment waits ("waiting", or "pending" on older
			// servers) until its review; the job runs after it.
			if s := st.GetState(); s != "waiting" && s != "pending" && at.IsZero() {
				at = st.GetCreatedAt().Time
			}
		}
		if run != 0 && !at.IsZero() {
			if old, ok := out[run]; !ok || at.Before(old) {
				out[run] = at
			}
		}
	}
	return out, nil
}

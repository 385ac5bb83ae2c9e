package check

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/logctx"
	"github.com/tracegate/tracegate/internal/model"
)

// reviewReader reads review records for one evaluation, each pull request
// and each team membership once. Records are gathered only when the
// policy asks for what they prove (reviews, release.approval): they cost
// API requests.
type reviewReader struct {
	src     facts.Reviews
	teams   []config.Reviewer // the teams the policy names
	prs     map[int]*gate.ReviewedPR
	members map[string]map[string]bool
	asked   map[string]bool // team + login already asked
}

// newReviewReader reads records judged against whom (the policy's
// reviewers, or its release approvers): the teams among them are the ones
// whose membership is asked.
func newReviewReader(src facts.Reviews, whom []string) *reviewReader {
	r := &reviewReader{src: src, prs: map[int]*gate.ReviewedPR{}, members: map[string]map[string]bool{}, asked: map[string]bool{}}
	seen := map[string]bool{}
	for _, rv := range config.ParseReviewers(whom) {
		if rv.Team != "" && !seen[strings.ToLower(rv.String())] {
			seen[strings.ToLower(rv.String())] = true
			r.teams = append(r.teams, rv)
			r.members[strings.ToLower(rv.String())] = map[string]bool{}
		}
	}
	return r
}

// unavailable is why records cannot be read without GitHub access.
func unavailable(src *Sources) string {
	if src.NoTracker != "" {
		return src.NoTracker
	}
	return "no GitHub access was configured"
}

// pullRequest reads the reviews of a pull request; false when GitHub has
// no such pull request.
func (r *reviewReader) pullRequest(ctx context.Context, pr facts.PullRequest) (bool, error) {
	if _, ok := r.prs[pr.Number]; ok {
		return true, nil
	}
	rv, err := r.src.PullRequestReviews(ctx, pr.Number)
	if errors.Is(err, facts.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading the reviews of pull request #%d: %w", pr.Number, err)
	}
	r.prs[pr.Number] = &gate.ReviewedPR{PR: pr, Reviews: *rv}
	for _, x := range rv.Reviews {
		if x.State == facts.ReviewApproved {
			if err := r.membership(ctx, x.Reviewer); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

// membership asks whether login is in each team the policy names.
func (r *reviewReader) membership(ctx context.Context, login string) error {
	l := strings.ToLower(login)
	for _, t := range r.teams {
		key := strings.ToLower(t.String())
		if r.asked[key+"\x00"+l] {
			continue
		}
		r.asked[key+"\x00"+l] = true
		ok, err := r.src.TeamMember(ctx, t.Org, t.Team, login)
		if err != nil {
			return fmt.Errorf("reading the members of team %s: %w", t, err)
		}
		r.members[key][l] = ok
	}
	return nil
}

func (r *reviewReader) facts() *gate.ReviewFacts {
	return &gate.ReviewFacts{PRs: r.prs, Members: r.members}
}

// prReviews gathers the review record of the pull request under
// evaluation, when the policy requires reviews. pr carries the evaluated
// head: approvals count on it.
func prReviews(ctx context.Context, src *Sources, cfg *config.Config, pr facts.PullRequest) (*gate.ReviewFacts, error) {
	if !cfg.Reviews.Required() {
		return nil, nil
	}
	if src.Reviews == nil {
		return &gate.ReviewFacts{Unavailable: unavailable(src)}, nil
	}
	rr := newReviewReader(src.Reviews, cfg.Reviews.Reviewers)
	if pr.Number > 0 {
		if _, err := rr.pullRequest(ctx, pr); err != nil {
			return nil, err
		}
	}
	return rr.facts(), nil
}

// changeReviews gathers, when the policy requires reviews (or always is
// set and GitHub can be read), what the files
// of each commit since the previous release are, which merged pull
// requests each came in by, and their reviews.
func changeReviews(ctx context.Context, src *Sources, cfg *config.Config, commits []facts.Commit, always bool) (map[string][]facts.Change, map[string][]int, *gate.ReviewFacts, error) {
	wanted := cfg.Reviews.Required() || always && src.Reviews != nil
	if !wanted || len(commits) == 0 {
		return nil, nil, nil, nil
	}
	changes := map[string][]facts.Change{}
	for _, c := range commits {
		if len(c.Parents) == 0 || c.IsMerge() {
			continue
		}
		ch, err := src.Repo.Changes(ctx, c.Parents[0], c.SHA)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("the files changed by commit %s: %w", model.ShortSHA(c.SHA), err)
		}
		changes[c.SHA] = ch
	}
	if src.Reviews == nil {
		return changes, nil, &gate.ReviewFacts{Unavailable: unavailable(src)}, nil
	}
	rr := newReviewReader(src.Reviews, cfg.Reviews.Reviewers)
	byCommit := map[string][]int{}
	for _, c := range commits {
		prs, err := src.Reviews.CommitPullRequests(ctx, c.SHA)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("the pull requests of commit %s: %w", model.ShortSHA(c.SHA), err)
		}
		for _, pr := range prs {
			if !pr.Merged {
				continue // an open pull request that holds the commit did not bring it in
			}
			if _, err := rr.pullRequest(ctx, pr); err != nil {
				return nil, nil, nil, err
			}
			byCommit[c.SHA] = append(byCommit[c.SHA], pr.Number)
		}
	}
	logctx.From(ctx).Info("reviews", "commits", len(commits), "pull_requests", len(rr.prs))
	return changes, byCommit, rr.facts(), nil
}

// releaseApproval gathers, when the policy requires a release approval,
// the release pull requests of the release commit (merged as it, or
// whose head it is) with their reviews, and the deployment reviews of the
// policy's environment for it.
func releaseApproval(ctx context.Context, src *Sources, cfg *config.Config, sha string) (*gate.ApprovalFacts, error) {
	pol := cfg.Release.Approval
	if pol == nil || sha == "" {
		return nil, nil
	}
	if src.Reviews == nil {
		return &gate.ApprovalFacts{Unavailable: unavailable(src)}, nil
	}
	rr := newReviewReader(src.Reviews, pol.Approvers)
	prs, err := src.Reviews.CommitPullRequests(ctx, sha)
	if err != nil {
		return nil, fmt.Errorf("the pull requests of the release commit %s: %w", model.ShortSHA(sha), err)
	}
	out := &gate.ApprovalFacts{}
	for _, pr := range prs {
		if !(pr.Merged && pr.MergeCommit == sha) && pr.HeadSHA != sha {
			continue
		}
		ok, err := rr.pullRequest(ctx, pr)
		if err != nil {
			return nil, err
		}
		if ok {
			out.PullRequests = append(out.PullRequests, rr.prs[pr.Number])
		}
	}
	if pol.Environment != "" {
		deps, err := src.Reviews.DeploymentApprovals(ctx, sha, pol.Environment, pol.Workflow)
		if err != nil {
			return nil, fmt.Errorf("the deployment reviews of %s for the release commit %s: %w", pol.Environment, model.ShortSHA(sha), err)
		}
		for _, d := range deps {
			if d.State == facts.DeploymentApproved {
				if err := rr.membership(ctx, d.Reviewer); err != nil {
					return nil, err
				}
			}
		}
		out.Deployments = deps
	}
	out.Members = rr.members
	return out, nil
}

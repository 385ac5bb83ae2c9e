package ghfacts

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/githubapi"
)

// MaxPullRequestCommits is how many commits GitHub's API lists for a pull
// request (docs.github.com, "List commits on a pull request": "a maximum
// of 250 commits"; "use the List commits endpoint" for more).
const MaxPullRequestCommits = 250

// ErrTooManyCommits is returned by PullRequestCommits for a pull request
// with more commits than GitHub lists.
var ErrTooManyCommits = errors.New("more commits than GitHub's API lists for a pull request")

// PullRequest fetches a pull request of repo (owner/name; the tracker's
// when empty). It wraps facts.ErrNotFound when GitHub answers 404.
func (t *Tracker) PullRequest(ctx context.Context, repo string, number int) (*facts.PullRequest, error) {
	pr, err := t.pull(ctx, repo, number)
	if err != nil {
		return nil, err
	}
	out := convertPull(pr)
	if out.Repo == "" {
		out.Repo = t.repoOr(repo)
	}
	return out, nil
}

// convertPull reads a pull request as GitHub's API gives it (whole, or
// the simple form that lists give).
func convertPull(pr *github.PullRequest) *facts.PullRequest {
	out := &facts.PullRequest{
		Repo:    pr.GetBase().GetRepo().GetFullName(),
		Number:  pr.GetNumber(),
		Title:   pr.GetTitle(),
		Body:    pr.GetBody(),
		Author:  pr.GetUser().GetLogin(),
		URL:     pr.GetHTMLURL(),
		Draft:   pr.GetDraft(),
		HeadRef: pr.GetHead().GetRef(),
		HeadSHA: pr.GetHead().GetSHA(),
		BaseRef: pr.GetBase().GetRef(),
		BaseSHA: pr.GetBase().GetSHA(),
		State:   pr.GetState(),
		Created: pr.GetCreatedAt().Time,
		// The simple form has merged_at but no merged.
		Merged:      pr.GetMerged() || pr.MergedAt != nil,
		MergedAt:    pr.GetMergedAt().Time,
		MergeCommit: pr.GetMergeCommitSHA(),
	}
	for _, l := range pr.Labels {
		out.Labels = append(out.Labels, l.GetName())
	}
	return out
}

func (t *Tracker) repoOr(repo string) string {
	if repo == "" {
		return t.repo
	}
	return repo
}

func (t *Tracker) pull(ctx context.Context, repo string, number int) (*github.PullRequest, error) {
	repo = t.repoOr(repo)
	owner, name, err := splitRepo(repo)
	if err != nil {
		return nil, err
	}
	id := fmt.Sprintf("pull request %s#%d", repo, number)
	if number <= 0 {
		return nil, fmt.Errorf("%s: pull request numbers start at 1", id)
	}
	pr, resp, err := t.client.PullRequests.Get(ctx, owner, name, number)
	if err != nil {
		return nil, apiError(id, resp, err)
	}
	return pr, nil
}

// PullRequestCommits lists the commits of a pull request, newest first as
// facts.Repository.Commits lists them (GitHub lists them oldest first).
// Authors are "name <email>" and Committed the committer date, as git
// records them. A pull request with more commits than GitHub lists
// (MaxPullRequestCommits) is an error wrapping ErrTooManyCommits: read its
// commits from the repository (base..head) instead. So is a list whose
// length differs from the count the pull request reports, which happens
// when it is pushed to while being read.
func (t *Tracker) PullRequestCommits(ctx context.Context, repo string, number int) ([]facts.Commit, error) {
	repo = t.repoOr(repo)
	pr, err := t.pull(ctx, repo, number)
	if err != nil {
		return nil, err
	}
	id := fmt.Sprintf("commits of pull request %s#%d", repo, number)
	count := pr.GetCommits()
	if count > MaxPullRequestCommits {
		return nil, fmt.Errorf("%s: it has %d commits and GitHub's API lists only the first %d: %w; read them from the git repository (base..head) instead",
			id, count, MaxPullRequestCommits, ErrTooManyCommits)
	}
	owner, name, _ := splitRepo(repo)
	list, err := githubapi.All(ctx, t.MaxPages, func(ctx context.Context, page int) ([]*github.RepositoryCommit, *github.Response, error) {
		return t.client.PullRequests.ListCommits(ctx, owner, name, number, &github.ListOptions{Page: page, PerPage: githubapi.PerPage})
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", id, err)
	}
	switch {
	case pr.Commits == nil && len(list) >= MaxPullRequestCommits:
		return nil, fmt.Errorf("%s: GitHub listed %d commits, its limit, and did not say how many there are: %w; read them from the git repository (base..head) instead",
			id, len(list), ErrTooManyCommits)
	case pr.Commits != nil && len(list) != count:
		return nil, fmt.Errorf("%s: GitHub listed %d commits but the pull request has %d; it may have been pushed to while being read: run again", id, len(list), count)
	}
	out := make([]facts.Commit, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		c, err := convertCommit(list[i])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func convertCommit(rc *github.RepositoryCommit) (facts.Commit, error) {
	if rc.GetSHA() == "" {
		return facts.Commit{}, errors.New("GitHub listed a commit without a SHA")
	}
	gc := rc.GetCommit()
	c := facts.Commit{
		SHA:       rc.GetSHA(),
		Author:    identity(gc.GetAuthor()),
		Committed: gc.GetCommitter().GetDate().Time,
		Message:   strings.TrimRight(gc.GetMessage(), "\n"),
	}
	for _, p := range rc.Parents {
		c.Parents = append(c.Parents, p.GetSHA())
	}
	return c, nil
}

// identity is git's "name <email>" (%an <%ae>).
func identity(a *github.CommitAuthor) string {
	return a.GetName() + " <" + a.GetEmail() + ">"
}

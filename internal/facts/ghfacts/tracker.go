package ghfacts

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/githubapi"
)

// ErrGone is returned for an issue GitHub answers 410 Gone for: it was
// deleted.
var ErrGone = errors.New("deleted")

// Tracker is a repository's GitHub issues as the issue tracker, and the
// source of pull-request facts. The zero value is not usable; use New.
type Tracker struct {
	client *github.Client
	repo   string // owner/name; refs without a repository are in it
	// MaxPages bounds each paginated list (githubapi.DefaultMaxPages when
	// <= 0); a longer list is an error.
	MaxPages int
}

var (
	_ facts.Tracker      = (*Tracker)(nil)
	_ facts.PullRequests = (*Tracker)(nil)
)

// New returns the tracker of repo (owner/name) over client, which
// githubapi.NewClient makes.
func New(client *github.Client, repo string) (*Tracker, error) {
	if client == nil {
		return nil, errors.New("ghfacts: no GitHub client")
	}
	if _, _, err := splitRepo(repo); err != nil {
		return nil, err
	}
	return &Tracker{client: client, repo: repo}, nil
}

// splitRepo checks and splits owner/name. Dot segments are refused: the
// API path is resolved as a relative URL, where "o/.." would climb.
func splitRepo(repo string) (owner, name string, err error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || !pathSegment(owner) || !pathSegment(name) {
		return "", "", fmt.Errorf("repository %q: want owner/name, as GITHUB_REPOSITORY holds it", repo)
	}
	return owner, name, nil
}

func pathSegment(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/?#%\\ \t\r\n")
}

func (t *Tracker) repoOf(ref facts.IssueRef) string {
	if ref.Repo != "" {
		return ref.Repo
	}
	return t.repo
}

// Issue fetches one issue. An issue transferred or in a renamed repository
// is followed to where it is now (GitHub answers 301), and its Ref says
// where that is, so a caller tells a moved issue by comparing Refs. It
// wraps facts.ErrNotFound when GitHub answers 404, which it also does for a
// repository the token cannot see, and ErrGone for a deleted issue.
func (t *Tracker) Issue(ctx context.Context, ref facts.IssueRef) (*facts.Issue, error) {
	repo := t.repoOf(ref)
	owner, name, err := splitRepo(repo)
	if err != nil {
		return nil, err
	}
	id := fmt.Sprintf("issue %s#%d", repo, ref.Number)
	if ref.Number <= 0 {
		return nil, fmt.Errorf("%s: issue numbers start at 1", id)
	}
	is, resp, err := t.client.Issues.Get(ctx, owner, name, ref.Number)
	if err != nil {
		return nil, apiError(id, resp, err)
	}
	out := t.convertIssue(is)
	if out.Ref.Number == 0 {
		out.Ref = facts.IssueRef{Repo: ref.Repo, Number: ref.Number}
	}
	return out, nil
}

// apiError words a failed request for what was asked.
func apiError(what string, resp *github.Response, err error) error {
	if resp != nil {
		switch resp.StatusCode {
		case http.StatusNotFound:
			return fmt.Errorf("%s: %w on GitHub (or the token cannot read the repository)", what, facts.ErrNotFound)
		case http.StatusGone:
			return fmt.Errorf("%s: %w on GitHub (410 Gone)", what, ErrGone)
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// convertIssue reads an issue. Its Ref names the repository only when it
// is not the tracker's, as facts.IssueRef asks.
func (t *Tracker) convertIssue(is *github.Issue) *facts.Issue {
	repo := repoFromURL(is.GetRepositoryURL())
	if strings.EqualFold(repo, t.repo) {
		repo = ""
	}
	out := &facts.Issue{
		Ref:           facts.IssueRef{Repo: repo, Number: is.GetNumber()},
		Title:         is.GetTitle(),
		Body:          is.GetBody(),
		State:         is.GetState(),
		URL:           is.GetHTMLURL(),
		IsPullRequest: is.IsPullRequest(),
		Updated:       is.GetUpdatedAt().Time,
	}
	for _, l := range is.Labels {
		out.Labels = append(out.Labels, l.GetName())
	}
	return out
}

// repoFromURL reads owner/name from an API repository URL
// (…/repos/owner/name); "" when it is not one.
func repoFromURL(u string) string {
	i := strings.LastIndex(u, "/repos/")
	if i < 0 {
		return ""
	}
	rest := u[i+len("/repos/"):]
	if _, _, err := splitRepo(rest); err != nil {
		return ""
	}
	return rest
}

// Labelled lists the issues of the repository that carry any of labels,
// in state (open, closed or all), every page, pull requests left out,
// ordered by number. GitHub's labels filter means every label at once, so
// each label is asked for on its own and the answers merged. A label name
// with a comma cannot be asked for (the filter splits on commas) and is an
// error rather than a silently wrong answer.
func (t *Tracker) Labelled(ctx context.Context, labels []string, state string) ([]*facts.Issue, error) {
	switch state {
	case "open", "closed", "all":
	default:
		return nil, fmt.Errorf("issues of %s: state %q: want open, closed or all", t.repo, state)
	}
	owner, name, err := splitRepo(t.repo)
	if err != nil {
		return nil, err
	}
	// Check every label before asking for any.
	var query []string
	seen := map[string]bool{}
	for _, label := range labels {
		key := strings.ToLower(strings.TrimSpace(label))
		switch {
		case key == "":
			return nil, fmt.Errorf("issues of %s: an empty label name", t.repo)
		case strings.Contains(label, ","):
			return nil, fmt.Errorf("issues of %s labelled %q: GitHub's labels filter splits on commas, so a label with a comma cannot be queried; rename the label", t.repo, label)
		case !seen[key]:
			seen[key] = true
			query = append(query, strings.TrimSpace(label))
		}
	}
	byNumber := map[int]*facts.Issue{}
	for _, label := range query {
		issues, err := githubapi.All(ctx, t.MaxPages, func(ctx context.Context, page int) ([]*github.Issue, *github.Response, error) {
			return t.client.Issues.ListByRepo(ctx, owner, name, &github.IssueListByRepoOptions{
				State: state, Labels: []string{label},
				ListOptions: github.ListOptions{Page: page, PerPage: githubapi.PerPage},
			})
		})
		if err != nil {
			return nil, fmt.Errorf("%s issues of %s labelled %q: %w", state, t.repo, label, err)
		}
		for _, is := range issues {
			if is.IsPullRequest() {
				continue
			}
			if _, ok := byNumber[is.GetNumber()]; !ok {
				byNumber[is.GetNumber()] = t.convertIssue(is)
			}
		}
	}
	out := make([]*facts.Issue, 0, len(byNumber))
	for _, is := range byNumber {
		out = append(out, is)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ref.Number < out[j].Ref.Number })
	return out, nil
}

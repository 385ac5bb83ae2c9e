// Package facts gathers what the gates judge, behind small interfaces: the
// repository (files at a ref, commits, changes, tags), the pull request,
// and the issue tracker that holds problem reports and change requests.
// Implementations: local git and files (this package's subpackages), and
// GitHub through go-github. Everything that decides is in internal/gate;
// this package only collects.
package facts

import (
	"context"
	"errors"
	"io/fs"
	"time"
)

// Repository is version-controlled content.
type Repository interface {
	// Resolve turns a ref (branch, tag, SHA, HEAD~3) into a commit SHA.
	Resolve(ctx context.Context, ref string) (string, error)
	// Tree returns the repository's files at a commit, read-only.
	Tree(ctx context.Context, ref string) (fs.FS, error)
	// Commits lists the commits reachable from to but not from from (git
	// log from..to), newest first. from may be empty: all ancestors of to.
	Commits(ctx context.Context, from, to string) ([]Commit, error)
	// Changes lists the files that differ between two commits (git diff
	// --name-status from to, with renames).
	Changes(ctx context.Context, from, to string) ([]Change, error)
	// MergeBase returns the best common ancestor of two commits, so that
	// a pull request's changes are measured from where it branched.
	MergeBase(ctx context.Context, a, b string) (string, error)
	// Tags lists the tags with the commit each points to.
	Tags(ctx context.Context) ([]Tag, error)
}

// Clone is a Repository copied from another (a local git clone), which may
// hold less than its origin: a cut history (a shallow clone) or fewer tags
// (git clone --no-tags; actions/checkout fetches neither by default).
// Whatever a gate would infer from an absence — "no earlier release" above
// all — is checked against it. The GitHub API has no such gaps.
type Clone interface {
	// Shallow reports whether the history is cut short.
	Shallow(ctx context.Context) (bool, error)
	// Remotes lists the names of the repositories the clone fetches from.
	Remotes(ctx context.Context) ([]string, error)
	// RemoteTags lists the tags a remote holds now, each with the object it
	// finally points to (annotated tags peeled) and no date.
	RemoteTags(ctx context.Context, remote string) ([]Tag, error)
}

// AsClone returns the Clone that repo is, looking through wrappers that
// expose what they wrap with Unwrap() Repository (a wrapper that records
// what is read, say), so that no wrapper hides a clone's gaps.
func AsClone(repo Repository) (Clone, bool) {
	for repo != nil {
		if c, ok := repo.(Clone); ok {
			return c, true
		}
		u, ok := repo.(interface{ Unwrap() Repository })
		if !ok {
			break
		}
		repo = u.Unwrap()
	}
	return nil, false
}

// FetchHint is what to do when a clone lacks the history or tags a gate
// needs. CI checkouts fetch one commit and no tags unless told otherwise.
const FetchHint = "fetch the full history and the tags (actions/checkout with fetch-depth: 0 and fetch-tags: true; or git fetch --tags, with --unshallow in a shallow clone)"

// Commit is one commit.
type Commit struct {
	SHA       string    `json:"sha"`
	Parents   []string  `json:"parents,omitempty"`
	Author    string    `json:"author"`
	Committed time.Time `json:"committed"`
	// Message is the full message: subject, blank line, body.
	Message string `json:"message"`
}

// Subject is the first line of the message.
func (c Commit) Subject() string {
	for i := 0; i < len(c.Message); i++ {
		if c.Message[i] == '\n' {
			return c.Message[:i]
		}
	}
	return c.Message
}

// IsMerge reports whether the commit has more than one parent.
func (c Commit) IsMerge() bool { return len(c.Parents) > 1 }

// Change is one file changed between two commits.
type Change struct {
	Status  ChangeStatus `json:"status"`
	Path    string       `json:"path"`
	OldPath string       `json:"old_path,omitempty"` // for renames and copies
	Binary  bool         `json:"binary,omitempty"`
}

// ChangeStatus is how a file changed.
type ChangeStatus string

const (
	Added    ChangeStatus = "added"
	Modified ChangeStatus = "modified"
	Deleted  ChangeStatus = "deleted"
	Renamed  ChangeStatus = "renamed"
	Copied   ChangeStatus = "copied"
)

// Tag is a tag and the commit it points to (annotated tags peeled).
type Tag struct {
	Name   string    `json:"name"`
	Commit string    `json:"commit"`
	Date   time.Time `json:"date"` // tagger date, or the commit date for lightweight tags
}

// PullRequest is the pull request under evaluation, as GitHub's
// pull_request event or API gives it.
type PullRequest struct {
	Repo    string   `json:"repo"` // owner/name
	Number  int      `json:"number"`
	Title   string   `json:"title"`
	Body    string   `json:"body"`
	Labels  []string `json:"labels"`
	Author  string   `json:"author"`
	URL     string   `json:"url"`
	Draft   bool     `json:"draft"`
	HeadRef string   `json:"head_ref"` // branch name
	HeadSHA string   `json:"head_sha"`
	BaseRef string   `json:"base_ref"`
	BaseSHA string   `json:"base_sha"`
	// State is open or closed, Created when it was opened; Merged, MergedAt and MergeCommit say
	// whether and how a closed pull request was merged (MergeCommit is the
	// merge, squash or last rebased commit on the base branch). Known when
	// read from GitHub's API, empty from an event or flags.
	State       string    `json:"state,omitempty"`
	Created     time.Time `json:"created,omitzero"`
	Merged      bool      `json:"merged,omitempty"`
	MergedAt    time.Time `json:"merged_at,omitzero"`
	MergeCommit string    `json:"merge_commit,omitempty"`
}

// IssueRef names an issue: Repo "owner/name" (empty for the repository of
// the pull request) and Number.
type IssueRef struct {
	Repo   string `json:"repo,omitempty"`
	Number int    `json:"number"`
}

// Issue is a problem report or change request held as a GitHub issue.
type Issue struct {
	Ref    IssueRef `json:"ref"`
	Title  string   `json:"title"`
	Body   string   `json:"body"`
	State  string   `json:"state"` // open | closed
	Labels []string `json:"labels"`
	URL    string   `json:"url"`
	// IsPullRequest is set when the number names a pull request, which
	// GitHub's issues API also returns.
	IsPullRequest bool      `json:"is_pull_request,omitempty"`
	Updated       time.Time `json:"updated"`
}

// Tracker is the issue tracker.
type Tracker interface {
	// Issue fetches one issue; ErrNotFound when it does not exist.
	Issue(ctx context.Context, ref IssueRef) (*Issue, error)
	// Labelled lists the issues of the repository that carry any of the
	// labels, in the given state (open, closed or all), every page.
	Labelled(ctx context.Context, labels []string, state string) ([]*Issue, error)
}

// PullRequests fetches pull requests by number (squash-merged commits
// name their pull request: "Title (#123)").
type PullRequests interface {
	PullRequest(ctx context.Context, repo string, number int) (*PullRequest, error)
}

// ErrNotFound is returned for a ref, issue or file that does not exist.
var ErrNotFound = errors.New("not found")

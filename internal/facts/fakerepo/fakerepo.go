// Package fakerepo is a repository, a tracker and an evidence store in
// memory, for table tests of what gathers facts (internal/check) without
// git or GitHub: the files of each commit are an fstest.MapFS, history is
// a graph of commits, tags and branches are names. Its values are plain
// structs built by a test, the way palantir/policy-bot tests its
// evaluation against a plain-struct pull request context.
//
// Once built, a Repo, a Tracker and an Evidence are only read: they may
// serve evaluations running at the same time.
package fakerepo

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing/fstest"
	"time"

	"github.com/tracegate/tracegate/internal/facts"
)

// Deleted, as a file's content in a commit, removes the file.
const Deleted = "\x00deleted"

// Repo is a repository in memory. Build it with Commit, Branch and Tag
// before the evaluations read it.
type Repo struct {
	commits  map[string]*commit
	branches map[string]string // name → SHA
	tags     []facts.Tag
	// Err, when set, is returned by every method whose name it maps to
	// ("Tree", "Commits", "Changes", "MergeBase", "Tags", "Resolve"), to
	// test how a failure of the repository is reported.
	Err map[string]error
	// clock dates the commits, a minute apart, so that history is ordered
	// without a real clock.
	clock time.Time
}

type commit struct {
	facts.Commit
	files fstest.MapFS
}

// New returns an empty repository.
func New() *Repo {
	return &Repo{commits: map[string]*commit{}, branches: map[string]string{},
		clock: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)}
}

// Commit makes a commit on top of branch (created by its first commit)
// holding the branch's files with files applied (Deleted removes one), and
// returns its SHA.
func (r *Repo) Commit(branch, message string, files map[string]string) string {
	var parents []string
	tree := fstest.MapFS{}
	if head, ok := r.branches[branch]; ok {
		parents = []string{head}
		maps.Copy(tree, r.commits[head].files)
	}
	return r.commit(branch, message, parents, tree, files)
}

// Merge makes a merge commit of from into branch: the branch's files
// with what from changed since their merge base (no conflicts: from wins),
// then files applied.
func (r *Repo) Merge(branch, from, message string, files map[string]string) string {
	head, other := r.branches[branch], r.branches[from]
	base, _ := r.MergeBase(context.Background(), head, other)
	tree := fstest.MapFS{}
	maps.Copy(tree, r.commits[head].files)
	was, now := r.commits[base].files, r.commits[other].files
	for p := range was {
		if _, ok := now[p]; !ok {
			delete(tree, p)
		}
	}
	for p, f := range now {
		if old, ok := was[p]; !ok || string(old.Data) != string(f.Data) {
			tree[p] = f
		}
	}
	return r.commit(branch, message, []string{head, other}, tree, files)
}

func (r *Repo) commit(branch, message string, parents []string, tree fstest.MapFS, files map[string]string) string {
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if files[p] == Deleted {
			delete(tree, p)
		} else {
			tree[p] = &fstest.MapFile{Data: []byte(files[p]), Mode: 0o644}
		}
	}
	h := sha1.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00", strings.Join(parents, " "), message, len(r.commits))
	for _, p := range slices.Sorted(maps.Keys(tree)) {
		fmt.Fprintf(h, "%s\x00%s\x00", p, tree[p].Data)
	}
	sha := hex.EncodeToString(h.Sum(nil))
	r.clock = r.clock.Add(time.Minute)
	r.commits[sha] = &commit{Commit: facts.Commit{SHA: sha, Parents: parents, Author: "Test", Committed: r.clock, Message: message}, files: tree}
	r.branches[branch] = sha
	return sha
}

// Branch makes a branch at a commit (or another branch).
func (r *Repo) Branch(name, at string) {
	r.branches[name] = r.resolve(at)
}

// Tag tags a commit (or a branch's head); tags made later have later dates.
func (r *Repo) Tag(name, at string) {
	r.clock = r.clock.Add(time.Minute)
	r.tags = append(r.tags, facts.Tag{Name: name, Commit: r.resolve(at), Date: r.clock})
}

// Files are the files of a commit, for a test to look at.
func (r *Repo) Files(sha string) fstest.MapFS { return r.commits[sha].files }

func (r *Repo) resolve(ref string) string {
	if _, ok := r.commits[ref]; ok {
		return ref
	}
	if sha, ok := r.branches[ref]; ok {
		return sha
	}
	for _, t := range r.tags {
		if t.Name == ref {
			return t.Commit
		}
	}
	return ""
}

func (r *Repo) fail(method string) error { return r.Err[method] }

// Resolve turns a SHA, branch or tag into a SHA; ErrNotFound otherwise.
func (r *Repo) Resolve(_ context.Context, ref string) (string, error) {
	if err := r.fail("Resolve"); err != nil {
		return "", err
	}
	if sha := r.resolve(ref); sha != "" {
		return sha, nil
	}
	return "", fmt.Errorf("ref %s: %w", ref, facts.ErrNotFound)
}

// Tree returns the files of a commit.
func (r *Repo) Tree(_ context.Context, ref string) (fs.FS, error) {
	if err := r.fail("Tree"); err != nil {
		return nil, err
	}
	c, ok := r.commits[r.resolve(ref)]
	if !ok {
		return nil, fmt.Errorf("tree %s: %w", ref, facts.ErrNotFound)
	}
	return c.files, nil
}

// ancestors are the commits reachable from sha, itself included.
func (r *Repo) ancestors(sha string) map[string]bool {
	seen := map[string]bool{}
	stack := []string{sha}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		stack = append(stack, r.commits[s].Parents...)
	}
	return seen
}

// Commits lists the commits reachable from to but not from from, newest
// first (by commit date, as git log orders them here).
func (r *Repo) Commits(_ context.Context, from, to string) ([]facts.Commit, error) {
	if err := r.fail("Commits"); err != nil {
		return nil, err
	}
	if _, ok := r.commits[to]; !ok {
		return nil, fmt.Errorf("commit %s: %w", to, facts.ErrNotFound)
	}
	exclude := map[string]bool{}
	if from != "" {
		exclude = r.ancestors(from)
	}
	var out []facts.Commit
	for s := range r.ancestors(to) {
		if !exclude[s] {
			out = append(out, r.commits[s].Commit)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Committed.After(out[j].Committed) })
	return out, nil
}

// Changes lists the files that differ between two commits (no renames).
func (r *Repo) Changes(_ context.Context, from, to string) ([]facts.Change, error) {
	if err := r.fail("Changes"); err != nil {
		return nil, err
	}
	a, b := r.commits[from], r.commits[to]
	if a == nil || b == nil {
		return nil, fmt.Errorf("changes %s..%s: %w", from, to, facts.ErrNotFound)
	}
	var out []facts.Change
	for p, f := range b.files {
		old, ok := a.files[p]
		switch {
		case !ok:
			out = append(out, facts.Change{Status: facts.Added, Path: p})
		case string(old.Data) != string(f.Data):
			out = append(out, facts.Change{Status: facts.Modified, Path: p})
		}
	}
	for p := range a.files {
		if _, ok := b.files[p]; !ok {
			out = append(out, facts.Change{Status: facts.Deleted, Path: p})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// MergeBase returns the newest common ancestor of two commits.
func (r *Repo) MergeBase(_ context.Context, a, b string) (string, error) {
	if err := r.fail("MergeBase"); err != nil {
		return "", err
	}
	common := r.ancestors(a)
	best := ""
	for s := range r.ancestors(b) {
		if common[s] && (best == "" || r.commits[s].Committed.After(r.commits[best].Committed)) {
			best = s
		}
	}
	if best == "" {
		return "", fmt.Errorf("no merge base of %s and %s: %w", a, b, facts.ErrNotFound)
	}
	return best, nil
}

// Tags lists the tags.
func (r *Repo) Tags(context.Context) ([]facts.Tag, error) {
	if err := r.fail("Tags"); err != nil {
		return nil, err
	}
	return slices.Clone(r.tags), nil
}

// Tracker is an issue tracker in memory: its issues and pull requests.
type Tracker struct {
	Issues []facts.Issue
	PRs    []facts.PullRequest
	// Err, when set, is returned by every call.
	Err error
}

// Issue returns an issue by number; ErrNotFound when there is none.
func (t *Tracker) Issue(_ context.Context, ref facts.IssueRef) (*facts.Issue, error) {
	if t.Err != nil {
		return nil, t.Err
	}
	for i := range t.Issues {
		if t.Issues[i].Ref.Number == ref.Number && (ref.Repo == "" || t.Issues[i].Ref.Repo == "" || t.Issues[i].Ref.Repo == ref.Repo) {
			iss := t.Issues[i]
			return &iss, nil
		}
	}
	return nil, fmt.Errorf("issue #%d: %w", ref.Number, facts.ErrNotFound)
}

// Labelled lists the issues carrying any of the labels in a state (open,
// closed or all).
func (t *Tracker) Labelled(_ context.Context, labels []string, state string) ([]*facts.Issue, error) {
	if t.Err != nil {
		return nil, t.Err
	}
	var out []*facts.Issue
	for i := range t.Issues {
		iss := t.Issues[i]
		if state != "all" && iss.State != state {
			continue
		}
		for _, l := range iss.Labels {
			if slices.Contains(labels, l) {
				out = append(out, &iss)
				break
			}
		}
	}
	return out, nil
}

// PullRequest returns a pull request by number; ErrNotFound when there is
// none.
func (t *Tracker) PullRequest(_ context.Context, repo string, number int) (*facts.PullRequest, error) {
	if t.Err != nil {
		return nil, t.Err
	}
	for i := range t.PRs {
		if t.PRs[i].Number == number {
			pr := t.PRs[i]
			return &pr, nil
		}
	}
	return nil, fmt.Errorf("pull request %s#%d: %w", repo, number, facts.ErrNotFound)
}

// Evidence is an evidence store in memory: the files CI made, by commit.
type Evidence map[string]fstest.MapFS

// Evidence returns the files of a commit; a commit without any is pending,
// as a CI run not yet finished is.
func (e Evidence) Evidence(_ context.Context, sha string) (fs.FS, error) {
	if f, ok := e[sha]; ok {
		return f, nil
	}
	return nil, &facts.PendingError{Workflow: "CI", SHA: sha, Reason: "no run yet"}
}

// Files makes a commit's files from path → content.
func Files(files map[string]string) fstest.MapFS {
	out := fstest.MapFS{}
	for p, c := range files {
		out[p] = &fstest.MapFile{Data: []byte(c), Mode: 0o644}
	}
	return out
}

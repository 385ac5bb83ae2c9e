package ghfacts

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/memfs"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/lazyre"
	"github.com/tracegate/tracegate/internal/logctx"
)

// Repo is a repository's git content read through GitHub's REST API: the
// files of a commit (Tree), its history (Commits, Changes, MergeBase
// through the compare endpoint) and its tags. What is immutable — named
// by SHA — is kept in a Cache. It is safe for concurrent use.
type Repo struct {
	remote
	files FileSource
}

// remote is what the GitHub sources share: the client and the repository
// it reads, the cache, the client downloads go through, and the bounds.
type remote struct {
	client      *github.Client
	dl          *http.Client
	repo        string
	owner, name string
	cache       *Cache
	limits      memfs.Limits
	maxPages    int
}

// newRemote checks repo and fills in the defaults.
func newRemote(client *github.Client, repo string, cache *Cache, dl *http.Client, limits memfs.Limits, maxPages int) (remote, error) {
	if client == nil {
		return remote{}, errors.New("ghfacts: no GitHub client")
	}
	owner, name, err := splitRepo(repo)
	if err != nil {
		return remote{}, err
	}
	if cache == nil {
		cache = NewCache(0)
	}
	if dl == nil {
		dl = githubapi.NewDownloadClient(githubapi.Options{})
	}
	if limits.MaxBytes <= 0 {
		limits.MaxBytes = DefaultMaxBytes
	}
	if limits.MaxFiles <= 0 {
		limits.MaxFiles = DefaultMaxFiles
	}
	return remote{client: client, dl: dl, repo: repo, owner: owner, name: name, cache: cache, limits: limits, maxPages: maxPages}, nil
}

var _ facts.Repository = (*Repo)(nil)

// FileSource is how Tree reads the contents of a commit's files.
type FileSource int

const (
	// Tarball reads every file of the commit with one archive request
	// (and the download it redirects to), checked against the tree
	// listing; a file the archive lacks or alters (export-ignore,
	// export-subst, LFS) is read as a blob, and a commit whose archive
	// is larger than the limits is read through blobs altogether.
	Tarball FileSource = iota
	// Blobs reads each file as a blob, when it is first read.
	Blobs
)

// Default limits of a commit read into memory.
const (
	DefaultMaxBytes = 256 << 20
	DefaultMaxFiles = 100_000 // what GitHub's recursive tree lists
)

// RepoOptions configure NewRepo. Zero fields take defaults.
type RepoOptions struct {
	// Cache is shared between Repos (one per App, say); a new
	// DefaultCacheBytes one when nil.
	Cache *Cache
	// Download fetches what GitHub redirects to (archives, artifacts);
	// githubapi.NewDownloadClient's when nil. It must not add GitHub's
	// token.
	Download *http.Client
	Files    FileSource
	// Limits bound one commit's files (and one download): DefaultMaxBytes
	// and DefaultMaxFiles when zero.
	Limits memfs.Limits
	// MaxPages bounds each paginated list (githubapi.DefaultMaxPages when
	// <= 0); a longer list is an error.
	MaxPages int
}

// NewRepo returns the repository repo (owner/name) over client, which
// githubapi.NewClient makes.
func NewRepo(client *github.Client, repo string, opts RepoOptions) (*Repo, error) {
	rm, err := newRemote(client, repo, opts.Cache, opts.Download, opts.Limits, opts.MaxPages)
	if err != nil {
		return nil, err
	}
	return &Repo{remote: rm, files: opts.Files}, nil
}

// key names an immutable thing of this repository in the cache.
func (r *remote) key(kind string, parts ...string) string {
	k := kind + ":" + r.repo
	for _, p := range parts {
		k += ":" + p
	}
	return k
}

var fullSHA = lazyre.New(`^(?:[0-9a-f]{40}|[0-9a-f]{64})$`)

// Resolve turns a branch, tag or SHA into the commit SHA GitHub has for
// it (one request; none for a SHA already seen). git's revision syntax
// (HEAD~3, main^) is not GitHub's and is not found.
func (r *Repo) Resolve(ctx context.Context, ref string) (string, error) {
	if ref == "" {
		return "", fmt.Errorf("resolving an empty ref in %s: %w", r.repo, facts.ErrNotFound)
	}
	if fullSHA().MatchString(ref) {
		// A SHA names the same commit forever: ask once.
		_, _, err := cached(ctx, r.cache, r.key("commit", ref), func(ctx context.Context) (bool, int64, error) {
			sha, err := r.resolve(ctx, ref)
			if err == nil && sha != ref {
				err = fmt.Errorf("ref %s of %s: GitHub resolved it to %s", ref, r.repo, sha)
			}
			return true, 0, err
		})
		if err != nil {
			return "", err
		}
		return ref, nil
	}
	sha, err := r.resolve(ctx, ref)
	if err != nil {
		return "", err
	}
	r.cache.add(r.key("commit", sha), true, 0)
	return sha, nil
}

// known notes a commit GitHub listed, which Resolve then need not ask
// about.
func (r *Repo) known(sha string) {
	if fullSHA().MatchString(sha) {
		r.cache.add(r.key("commit", sha), true, 0)
	}
}

// resolve asks GitHub.
func (r *Repo) resolve(ctx context.Context, ref string) (string, error) {
	start := time.Now()
	sha, resp, err := r.client.Repositories.GetCommitSHA1(ctx, r.owner, r.name, ref, "")
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusUnprocessableEntity {
			return "", fmt.Errorf("ref %s of %s: %w on GitHub", ref, r.repo, facts.ErrNotFound)
		}
		return "", apiError(fmt.Sprintf("ref %s of %s", ref, r.repo), resp, err)
	}
	if !fullSHA().MatchString(sha) {
		return "", fmt.Errorf("ref %s of %s: GitHub answered %q, not a commit SHA", ref, r.repo, snippet(sha))
	}
	logctx.From(ctx).Debug("github: resolved", "repo", r.repo, "ref", ref, "sha", sha, "took", time.Since(start))
	return sha, nil
}

func snippet(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// comparison is what the compare endpoint says of base...head.
type comparison struct {
	mergeBase string
	commits   []facts.Commit // oldest first, as GitHub lists them
	files     []facts.Change
	// filesCut is set when GitHub's list of files may be cut short (it
	// lists at most MaxCompareFiles).
	filesCut bool
}

// MaxCompareFiles is how many changed files GitHub's compare endpoint
// lists for a whole comparison; a list this long may be cut short.
const MaxCompareFiles = 300

// ErrTruncated is returned when GitHub lists fewer items than there are:
// a partial history is never judged.
var ErrTruncated = errors.New("GitHub's list is incomplete")

// compare reads base...head, every page of commits. Both are SHAs, so the
// answer is kept.
func (r *Repo) compare(ctx context.Context, base, head string) (*comparison, error) {
	c, hit, err := cached(ctx, r.cache, r.key("compare", base, head), func(ctx context.Context) (*comparison, int64, error) {
		start := time.Now()
		var first *github.CommitsComparison
		list, err := githubapi.All(ctx, r.maxPages, func(ctx context.Context, page int) ([]*github.RepositoryCommit, *github.Response, error) {
			cmp, resp, err := r.client.Repositories.CompareCommits(ctx, r.owner, r.name, base, head, &github.ListOptions{Page: page, PerPage: githubapi.PerPage})
			if err != nil {
				return nil, resp, apiError(fmt.Sprintf("comparing %s...%s in %s", base, head, r.repo), resp, err)
			}
			if first == nil {
				first = cmp
			}
			return cmp.Commits, resp, nil
		})
		if err != nil {
			return nil, 0, err
		}
		out := &comparison{mergeBase: first.GetMergeBaseCommit().GetSHA()}
		if !fullSHA().MatchString(out.mergeBase) {
			return nil, 0, fmt.Errorf("comparing %s...%s in %s: GitHub gave no merge base", base, head, r.repo)
		}
		if total := first.GetTotalCommits(); total != len(list) {
			return nil, 0, fmt.Errorf("comparing %s...%s in %s: GitHub listed %d of %d commits: %w; the history is not judged in part",
				base, head, r.repo, len(list), total, ErrTruncated)
		}
		size := int64(0)
		for _, rc := range list {
			c, err := convertCommit(rc)
			if err != nil {
				return nil, 0, fmt.Errorf("comparing %s...%s in %s: %w", base, head, r.repo, err)
			}
			r.known(c.SHA)
			out.commits = append(out.commits, c)
			size += int64(len(c.Message) + 200)
		}
		out.filesCut = len(first.Files) >= MaxCompareFiles
		for _, f := range first.Files {
			ch, err := convertFile(f)
			if err != nil {
				return nil, 0, fmt.Errorf("comparing %s...%s in %s: %w", base, head, r.repo, err)
			}
			out.files = append(out.files, ch)
			size += int64(len(ch.Path) + len(ch.OldPath) + 32)
		}
		logctx.From(ctx).Debug("github: compared", "repo", r.repo, "base", base, "head", head,
			"commits", len(out.commits), "files", len(out.files), "took", time.Since(start))
		// The files are the changes from the merge base to head, which
		// is what Changes(mergeBase, head) asks for next.
		r.cache.add(r.key("changes", out.mergeBase, head), out, size)
		return out, size, nil
	})
	if hit {
		logctx.From(ctx).Debug("github: cache hit", "what", "compare", "repo", r.repo, "base", base, "head", head)
	}
	return c, err
}

func convertFile(f *github.CommitFile) (facts.Change, error) {
	c := facts.Change{Path: f.GetFilename()}
	switch f.GetStatus() {
	case "added":
		c.Status = facts.Added
	case "removed":
		c.Status = facts.Deleted
	case "modified", "changed":
		c.Status = facts.Modified
	case "renamed":
		c.Status, c.OldPath = facts.Renamed, f.GetPreviousFilename()
	case "copied":
		c.Status, c.OldPath = facts.Copied, f.GetPreviousFilename()
	default:
		return c, fmt.Errorf("file %q: change status %q is not one git makes", c.Path, f.GetStatus())
	}
	if c.Path == "" || !memfs.ValidPath(c.Path) {
		return c, fmt.Errorf("changed file %q is not a repository path", c.Path)
	}
	return c, nil
}

// Commits lists the commits reachable from to but not from from, newest
// first in git log --date-order (never a parent before its children,
// otherwise by committer date). Between two commits it reads the compare
// endpoint; from empty, the commits list of to. A list GitHub does not
// give whole is an error wrapping ErrTruncated or githubapi.ErrTooManyPages.
func (r *Repo) Commits(ctx context.Context, from, to string) ([]facts.Commit, error) {
	head, err := r.Resolve(ctx, to)
	if err != nil {
		return nil, err
	}
	if from == "" {
		return r.ancestors(ctx, head)
	}
	base, err := r.Resolve(ctx, from)
	if err != nil {
		return nil, err
	}
	c, err := r.compare(ctx, base, head)
	if err != nil {
		return nil, err
	}
	return dateOrder(c.commits), nil
}

// ancestors lists every ancestor of head, head included.
func (r *Repo) ancestors(ctx context.Context, head string) ([]facts.Commit, error) {
	out, hit, err := cached(ctx, r.cache, r.key("log", head), func(ctx context.Context) ([]facts.Commit, int64, error) {
		start := time.Now()
		list, err := githubapi.All(ctx, r.maxPages, func(ctx context.Context, page int) ([]*github.RepositoryCommit, *github.Response, error) {
			rcs, resp, err := r.client.Repositories.ListCommits(ctx, r.owner, r.name, &github.CommitsListOptions{SHA: head,
				ListOptions: github.ListOptions{Page: page, PerPage: githubapi.PerPage}})
			if err != nil {
				return nil, resp, apiError(fmt.Sprintf("commits of %s in %s", head, r.repo), resp, err)
			}
			return rcs, resp, nil
		})
		if err != nil {
			return nil, 0, fmt.Errorf("history of %s in %s: %w", head, r.repo, err)
		}
		var commits []facts.Commit
		size := int64(0)
		for _, rc := range list {
			c, err := convertCommit(rc)
			if err != nil {
				return nil, 0, fmt.Errorf("history of %s in %s: %w", head, r.repo, err)
			}
			r.known(c.SHA)
			commits = append(commits, c)
			size += int64(len(c.Message) + 200)
		}
		if len(commits) == 0 || commits[0].SHA != head {
			return nil, 0, fmt.Errorf("history of %s in %s: GitHub's list does not start at the commit", head, r.repo)
		}
		logctx.From(ctx).Debug("github: listed history", "repo", r.repo, "head", head, "commits", len(commits), "took", time.Since(start))
		return dateOrder(commits), size, nil
	})
	if hit {
		logctx.From(ctx).Debug("github: cache hit", "what", "history", "repo", r.repo, "head", head)
	}
	return slices.Clone(out), err
}

// dateOrder orders commits as git log --date-order does: no parent
// before all its children in the list, otherwise the most recent
// committer date first; ties keep the order of the input reversed
// (GitHub lists compares oldest first).
func dateOrder(in []facts.Commit) []facts.Commit {
	n := len(in)
	children := make(map[string]int, n)
	index := make(map[string]int, n)
	for i, c := range in {
		index[c.SHA] = i
	}
	for _, c := range in {
		for _, p := range c.Parents {
			if _, ok := index[p]; ok {
				children[p]++
			}
		}
	}
	done := make([]bool, n)
	out := make([]facts.Commit, 0, n)
	for len(out) < n {
		best := -1
		for i := n - 1; i >= 0; i-- {
			if done[i] || children[in[i].SHA] > 0 {
				continue
			}
			if best < 0 || in[i].Committed.After(in[best].Committed) {
				best = i
			}
		}
		if best < 0 { // a cycle cannot happen in git; keep what is left as listed
			for i := n - 1; i >= 0; i-- {
				if !done[i] {
					done[i] = true
					out = append(out, in[i])
				}
			}
			break
		}
		done[best] = true
		out = append(out, in[best])
		for _, p := range in[best].Parents {
			if _, ok := index[p]; ok {
				children[p]--
			}
		}
	}
	return out
}

// Changes lists the files that differ between from and to. GitHub's
// compare endpoint gives the changes from the merge base, so from must be
// an ancestor of to (what a pull request's changes from its merge base
// are); otherwise it is an error rather than another diff. A comparison
// with GitHub's maximum of files listed may be cut short and is an error
// wrapping ErrTruncated.
func (r *Repo) Changes(ctx context.Context, from, to string) ([]facts.Change, error) {
	base, err := r.Resolve(ctx, from)
	if err != nil {
		return nil, err
	}
	head, err := r.Resolve(ctx, to)
	if err != nil {
		return nil, err
	}
	if v, ok := r.cache.get(r.key("changes", base, head)); ok {
		logctx.From(ctx).Debug("github: cache hit", "what", "changes", "repo", r.repo, "base", base, "head", head)
		return r.changedFiles(v.(*comparison), base, head)
	}
	c, err := r.compare(ctx, base, head)
	if err != nil {
		return nil, err
	}
	if c.mergeBase != base {
		return nil, fmt.Errorf("changes %s..%s in %s: GitHub compares from the merge base %s, and %s is not an ancestor of %s",
			base, head, r.repo, c.mergeBase, base, head)
	}
	return r.changedFiles(c, base, head)
}

// changedFiles are a comparison's changed files, whole or not at all.
func (r *Repo) changedFiles(c *comparison, base, head string) ([]facts.Change, error) {
	if c.filesCut {
		return nil, fmt.Errorf("changes %s..%s in %s: GitHub lists at most %d changed files and listed %d: %w; the changes are not judged in part",
			base, head, r.repo, MaxCompareFiles, len(c.files), ErrTruncated)
	}
	return slices.Clone(c.files), nil
}

// MergeBase returns the best common ancestor of a and b, as the compare
// endpoint gives it.
func (r *Repo) MergeBase(ctx context.Context, a, b string) (string, error) {
	base, err := r.Resolve(ctx, a)
	if err != nil {
		return "", err
	}
	head, err := r.Resolve(ctx, b)
	if err != nil {
		return "", err
	}
	c, err := r.compare(ctx, base, head)
	if err != nil {
		return "", err
	}
	return c.mergeBase, nil
}

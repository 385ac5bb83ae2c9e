package check

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/tracegate/tracegate/internal/facts/ghfacts"
	"github.com/tracegate/tracegate/internal/facts/gitrepo"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/ingest/readers"
	"github.com/tracegate/tracegate/internal/ingest/soupreg"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/osv"
)

// Local says where a face that runs beside a checkout (the CLI, the Action)
// finds its facts: the work tree and, with a token, GitHub.
type Local struct {
	// Dir is the work tree. With NeedGit it must be the top of a git work
	// tree; without, git history is used only when it is.
	Dir     string
	NeedGit bool
	// Token, APIURL (GITHUB_API_URL; empty means github.com) and Repo
	// (owner/name) reach GitHub; without a token there is no tracker and
	// NoToken says why, in the face's words ("no GitHub token was given").
	Token, APIURL, Repo string
	NoToken             string
	// OSVURL is the OSV API a policy with soup.anomalies: osv is looked
	// up in; empty means osv.dev.
	OSVURL string
}

// Open builds the Sources of a local checkout. The returned function
// releases the repository; it is never nil when err is nil. Problems with
// what was asked (no repository where one is needed, a bad API URL, a token
// without a repository) are *UsageError.
func Open(ctx context.Context, l Local) (*Sources, func(), error) {
	dir := l.Dir
	if dir == "" {
		dir = "."
	}
	src, closeWork, err := WorkTree(dir)
	if err != nil {
		return nil, nil, err
	}
	src.RepoName = l.Repo
	src.OSV = &osv.Client{BaseURL: l.OSVURL}
	closeRepo := closeWork
	repo, err := gitrepo.Open(ctx, dir)
	switch {
	case err != nil && l.NeedGit:
		closeWork()
		return nil, nil, &UsageError{err}
	case err == nil && !sameDir(dir, repo.Dir()):
		repo.Close()
		if l.NeedGit {
			closeWork()
			return nil, nil, usage("%s is inside the git repository %s but not its top; the gates read the repository from its top", dir, repo.Dir())
		}
	case err == nil:
		src.Repo = repo
		closeRepo = func() { repo.Close(); closeWork() }
		if head, err := repo.Resolve(ctx, "HEAD"); err == nil {
			src.WorkHead = head
		}
		if b, err := repo.Branch(ctx); err == nil {
			src.WorkBranch = b
		}
	}
	fail := func(err error) (*Sources, func(), error) {
		closeRepo()
		return nil, nil, err
	}
	ep, err := githubapi.ParseAPIURL(l.APIURL)
	if err != nil {
		return fail(usage("GITHUB_API_URL: %w", err))
	}
	host := "github.com"
	if !ep.DotCom {
		host = strings.TrimPrefix(ep.API.Hostname(), "api.")
	}
	src.Hosts = []string{host}
	if l.Token == "" {
		src.NoTracker = l.NoToken
		if src.NoTracker == "" {
			src.NoTracker = "no GitHub token was given"
		}
		return src, closeRepo, nil
	}
	if l.Repo == "" {
		return fail(usage("%s", noRepo))
	}
	if err := connect(src, l); err != nil {
		return fail(err)
	}
	return src, closeRepo, nil
}

const noRepo = "a GitHub token was given but no repository: set --repo owner/name (or GITHUB_REPOSITORY)"

// connect gives src the tracker, pull requests and reviews of l.Repo.
func connect(src *Sources, l Local) error {
	client, err := githubapi.NewClient(githubapi.Options{APIURL: l.APIURL, Token: l.Token})
	if err != nil {
		return &UsageError{err}
	}
	tr, err := ghfacts.New(client, l.Repo)
	if err != nil {
		return &UsageError{err}
	}
	src.Tracker, src.PRs, src.Reviews = tr, tr, tr
	return nil
}

// ConnectWorkTree gives the Sources of a work tree (validate, trace, the
// SOUP list) GitHub access when l has a token and a repository, for the
// items the policy keeps as issues. Without either, src has no tracker and
// NoTracker says why: only a policy that keeps items as issues needs one,
// and its evaluation then fails naming them.
func ConnectWorkTree(src *Sources, l Local) error {
	switch {
	case l.Token == "":
		src.NoTracker = l.NoToken
		if src.NoTracker == "" {
			src.NoTracker = "no GitHub token was given"
		}
		return nil
	case l.Repo == "":
		src.NoTracker = noRepo
		return nil
	}
	if _, err := githubapi.ParseAPIURL(l.APIURL); err != nil {
		return usage("GITHUB_API_URL: %w", err)
	}
	return connect(src, l)
}

// WorkTree is the Sources of a directory read as it is, without git or
// GitHub: what validate, trace and the SOUP list read. The work tree
// follows links as a commit's tree does (input.FollowLinks), within the
// directory (input.OpenDir). The returned function releases it.
func WorkTree(dir string) (*Sources, func(), error) {
	if dir == "" {
		dir = "."
	}
	work, closeWork, err := input.OpenDir(dir)
	if err != nil {
		return nil, nil, usage("the repository directory: %w", err)
	}
	return &Sources{Readers: readers.All(), Register: soupreg.Read, WorkTree: work}, func() { closeWork() }, nil
}

// sameDir reports whether two paths name the same directory.
func sameDir(a, b string) bool {
	ra, err1 := filepath.Abs(a)
	rb, err2 := filepath.Abs(b)
	if err1 != nil || err2 != nil {
		return false
	}
	if x, err := filepath.EvalSymlinks(ra); err == nil {
		ra = x
	}
	if x, err := filepath.EvalSymlinks(rb); err == nil {
		rb = x
	}
	return ra == rb
}

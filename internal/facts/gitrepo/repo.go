package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/lazyre"
)

// Errors Open returns, so that callers can tell the user's mistake from a
// broken git.
var (
	ErrNoGit            = errors.New("git is not available")
	ErrNotRepository    = errors.New("not a git repository")
	ErrBareRepository   = errors.New("bare repository")
	ErrDubiousOwnership = errors.New("repository owned by another user")
)

// Repo is a local git clone with a work tree. It is safe for concurrent
// use. Close ends the git process it keeps for reading files.
type Repo struct {
	top string // the top of the work tree, as git reports it
	run runner
	cat *catFile

	// closed is cancelled by Close; it stops the file reads in flight.
	closed   context.Context
	closeAll context.CancelFunc
}

var _ facts.Repository = (*Repo)(nil)

// Open opens the repository whose work tree contains dir.
func Open(ctx context.Context, dir string) (*Repo, error) {
	git, err := lookGit()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoGit, err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("repository directory %s: %w", dir, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("repository directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("repository directory %s is not a directory", dir)
	}
	// Trust the named directory under both of its names: git compares
	// safe.directory with the path it finds, which has symlinks resolved.
	safe := []string{abs}
	if real, err := filepath.EvalSymlinks(abs); err == nil && real != abs {
		safe = append(safe, real)
	}
	env := commandEnv(os.Environ())
	probe := runner{git: git, dir: abs, env: env, global: globalArgs(safe...)}
	out, err := probe.output(ctx, "version")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoGit, err)
	}
	if err := checkVersion(string(out)); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrNoGit, git, err)
	}
	out, err = probe.output(ctx, "rev-parse", "--is-bare-repository", "--is-inside-work-tree")
	if err != nil {
		return nil, openError(dir, err)
	}
	switch lines := strings.Fields(string(out)); {
	case len(lines) != 2:
		return nil, fmt.Errorf("%s: unexpected output of git rev-parse: %q", dir, out)
	case lines[0] == "true":
		return nil, fmt.Errorf("%s: %w: tracegate reads a clone with a work tree (git clone without --bare)", dir, ErrBareRepository)
	case lines[1] != "true":
		return nil, fmt.Errorf("%s: %w: the directory is inside .git, not in the work tree; pass the directory of the clone", dir, ErrNotRepository)
	}
	out, err = probe.output(ctx, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, openError(dir, err)
	}
	top := strings.TrimSuffix(string(out), "\n")
	if top == "" || strings.Contains(top, "\n") {
		return nil, fmt.Errorf("%s: unexpected output of git rev-parse --show-toplevel: %q", dir, out)
	}
	r := &Repo{
		top: filepath.Clean(top),
		run: runner{git: git, dir: top, env: env, global: globalArgs(top)},
	}
	r.closed, r.closeAll = context.WithCancel(context.Background())
	r.cat = &catFile{run: &r.run, done: r.closed}
	return r, nil
}

// minVersion is the oldest git that reads every command here the same way:
// git rev-parse learnt --end-of-options in 2.30, and without it a ref
// such as "--output=x" would be taken for an option.
var minVersion = [2]int{2, 30}

// checkVersion checks the output of git version: "git version 2.39.5",
// also "2.39.5.windows.1" or "2.39.3 (Apple Git-146)".
func checkVersion(out string) error {
	v, ok := strings.CutPrefix(strings.TrimSpace(out), "git version ")
	if !ok {
		return fmt.Errorf("cannot read the git version from %q", out)
	}
	var major, minor int
	if _, err := fmt.Sscanf(v, "%d.%d", &major, &minor); err != nil {
		return fmt.Errorf("cannot read the git version from %q", out)
	}
	if major < minVersion[0] || major == minVersion[0] && minor < minVersion[1] {
		return fmt.Errorf("git %s is too old: tracegate needs git %d.%d or later", v, minVersion[0], minVersion[1])
	}
	return nil
}

// dubious matches git's refusal of a repository owned by another user
// (setup.c, git 2.35.2 and later).
var dubious = lazyre.New(`dubious ownership in repository at '([^']*)'`)

func openError(dir string, err error) error {
	var ge *Error
	if !errors.As(err, &ge) {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if m := dubious().FindStringSubmatch(ge.Stderr); m != nil {
		return fmt.Errorf("%s: %w: git refuses the repository at %s; tracegate trusts a repository owned by another user only when given the top of its work tree: pass %s, or run git config --global --add safe.directory %s (%w)",
			dir, ErrDubiousOwnership, m[1], m[1], m[1], err)
	}
	if strings.Contains(ge.Stderr, "not a git repository") {
		return fmt.Errorf("%s: %w: run tracegate in a clone of the repository or pass its directory (%w)", dir, ErrNotRepository, err)
	}
	return fmt.Errorf("%s: %w", dir, err)
}

// Dir is the top of the work tree.
func (r *Repo) Dir() string { return r.top }

// Close ends the git processes the repository keeps and stops the reads in
// flight. Files of a Tree cannot be read after it.
func (r *Repo) Close() error {
	r.closeAll()
	return r.cat.close()
}

// Package gittest builds git repositories for tests: a temporary clone with
// a fixed identity and a clock that advances by Step for every commit and
// tag, so that the same steps give the same SHAs on every machine. No
// global or system configuration is read, and none of the variables a git
// hook sets (GIT_DIR, GIT_INDEX_FILE, …) reaches the commands, so tests
// also pass when run from a pre-commit hook. Every failure is t.Fatal with
// git's output.
package gittest

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Identity and clock of every commit and tag.
const (
	Name  = "Test Author"
	Email = "author@example.com"
	Step  = time.Minute
)

// Start is the date of the first commit.
var Start = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// Repo is a repository in a temporary directory.
type Repo struct {
	t     testing.TB
	dir   string
	ticks int // commits and tags made so far
}

// New creates an empty repository on branch main.
func New(t testing.TB) *Repo {
	t.Helper()
	r := &Repo{t: t, dir: t.TempDir()}
	r.Run("init", "-q", "-b", "main")
	return r
}

// Clone clones from into a new temporary directory with git clone's
// options (--no-tags, --depth 1, --branch v1.0.0, …), through a file://
// URL so that --depth applies as it does to a remote. The clone's remote
// is origin; its clock goes on from the one of from.
func Clone(t testing.TB, from *Repo, args ...string) *Repo {
	t.Helper()
	r := &Repo{t: t, dir: t.TempDir(), ticks: from.ticks}
	url := "file://" + filepath.ToSlash(from.dir)
	r.Run(append(append([]string{"clone", "-q"}, args...), "--", url, r.dir)...)
	return r
}

// Dir is the top of the work tree.
func (r *Repo) Dir() string { return r.dir }

// Env is the environment of every command, for tests that run git
// themselves: the process's, without repository-locating and
// configuration variables, plus the fixed identity and the isolation.
func Env() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GIT_") || k == "LC_ALL" {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME="+Name, "GIT_AUTHOR_EMAIL="+Email,
		"GIT_COMMITTER_NAME="+Name, "GIT_COMMITTER_EMAIL="+Email,
		"GIT_TERMINAL_PROMPT=0",
		"LC_ALL=C",
	)
}

// Run runs git in the work tree and returns its standard output without
// the final newline.
func (r *Repo) Run(args ...string) string {
	r.t.Helper()
	return r.RunInput("", args...)
}

// RunInput is Run with a standard input (git fast-import, commit -F -).
func (r *Repo) RunInput(stdin string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	now := r.now().Format(time.RFC3339)
	cmd.Env = append(Env(), "GIT_AUTHOR_DATE="+now, "GIT_COMMITTER_DATE="+now)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		r.t.Fatalf("git %s: %v\n%s%s", strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	return strings.TrimSuffix(stdout.String(), "\n")
}

// now is the date of the next commit or tag.
func (r *Repo) now() time.Time { return Start.Add(time.Duration(r.ticks) * Step) }

// Now is the date the next commit or tag will get.
func (r *Repo) Now() time.Time { return r.now() }

// tick advances the clock after a commit or tag.
func (r *Repo) tick() { r.ticks++ }

// Write writes a file of the work tree, creating its directories.
func (r *Repo) Write(path, content string) {
	r.t.Helper()
	full := r.path(path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// Symlink makes path a symbolic link to target.
func (r *Repo) Symlink(target, path string) {
	r.t.Helper()
	full := r.path(path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.Symlink(target, full); err != nil {
		r.t.Fatal(err)
	}
}

// Remove deletes a file or directory of the work tree.
func (r *Repo) Remove(path string) {
	r.t.Helper()
	if err := os.RemoveAll(r.path(path)); err != nil {
		r.t.Fatal(err)
	}
}

// CopyDir copies the tree at src (such as testdata/sample-device) into the
// top of the work tree, replacing files of the same name. Symbolic links
// are copied as links.
func (r *Repo) CopyDir(src string) {
	r.t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(r.dir, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(dst, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			_ = os.Remove(dst)
			return os.Symlink(target, dst)
		case !d.Type().IsRegular():
			return nil
		}
		return copyFile(p, dst)
	})
	if err != nil {
		r.t.Fatalf("copying %s: %v", src, err)
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, st.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Commit stages every change of the work tree and commits it with msg,
// verbatim (any bytes but NUL); an empty change makes an empty commit. It
// returns the commit's SHA.
func (r *Repo) Commit(msg string) string {
	r.t.Helper()
	r.Run("add", "-A")
	r.RunInput(msg, "commit", "-q", "--allow-empty", "--allow-empty-message", "--no-verify",
		"--cleanup=verbatim", "-F", "-")
	r.tick()
	return r.Run("rev-parse", "HEAD")
}

// Tag tags HEAD: annotated with msg, or lightweight.
func (r *Repo) Tag(name string, annotated bool, msg string) {
	r.t.Helper()
	if annotated {
		r.RunInput(msg, "tag", "-a", "--cleanup=verbatim", "-F", "-", name)
		r.tick()
		return
	}
	r.Run("tag", name)
}

// Branch creates a branch at HEAD.
func (r *Repo) Branch(name string) {
	r.t.Helper()
	r.Run("branch", name)
}

// Checkout switches to a branch or commit.
func (r *Repo) Checkout(name string) {
	r.t.Helper()
	r.Run("checkout", "-q", name)
}

// Merge merges branch into the current branch with msg and returns the
// resulting HEAD: a merge commit when noFF, else a fast-forward where one
// is possible.
func (r *Repo) Merge(branch, msg string, noFF bool) string {
	r.t.Helper()
	ff := "--ff"
	if noFF {
		ff = "--no-ff"
	}
	r.Run("merge", "-q", ff, "--no-edit", "-m", msg, branch)
	r.tick()
	return r.Run("rev-parse", "HEAD")
}

// path is the OS path of a slash-separated path of the work tree.
func (r *Repo) path(p string) string {
	return filepath.Join(r.dir, filepath.FromSlash(p))
}

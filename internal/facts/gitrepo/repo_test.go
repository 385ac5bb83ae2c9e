package gitrepo

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
)

func TestOpen(t *testing.T) {
	g := gittest.New(t)
	g.Write("sub/dir/file.txt", "x\n")
	g.Commit("one")
	top, err := filepath.EvalSymlinks(g.Dir())
	if err != nil {
		t.Fatal(err)
	}

	// A directory that no repository contains: stop git's search above it.
	lonely := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(lonely))

	bare := t.TempDir()
	g.Run("init", "-q", "--bare", bare)

	file := filepath.Join(g.Dir(), "sub/dir/file.txt")

	tests := []struct {
		name    string
		dir     string
		wantErr error  // errors.Is target; nil for success
		wantMsg string // part of the message
	}{
		{name: "top", dir: g.Dir()},
		{name: "subdirectory", dir: filepath.Join(g.Dir(), "sub/dir")},
		{name: "relative with dots", dir: filepath.Join(g.Dir(), "sub/dir/../..")},
		{name: "not a repository", dir: lonely, wantErr: ErrNotRepository, wantMsg: "not a git repository"},
		{name: "bare", dir: bare, wantErr: ErrBareRepository, wantMsg: "bare"},
		{name: "inside .git", dir: filepath.Join(g.Dir(), ".git"), wantErr: ErrNotRepository, wantMsg: "inside .git"},
		{name: "missing", dir: filepath.Join(lonely, "nope"), wantErr: fs.ErrNotExist},
		{name: "a file", dir: file, wantMsg: "is not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(context.Background(), tt.dir)
			if tt.wantErr == nil && tt.wantMsg == "" {
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				if r.Dir() != top {
					t.Errorf("Dir() = %q, want %q", r.Dir(), top)
				}
				return
			}
			if err == nil {
				r.Close()
				t.Fatalf("Open(%s) succeeded", tt.dir)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v is not %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
		})
	}
}

func TestOpenWithoutGit(t *testing.T) {
	g := gittest.New(t)
	t.Setenv("PATH", t.TempDir())
	_, err := Open(context.Background(), g.Dir())
	if !errors.Is(err, ErrNoGit) {
		t.Fatalf("error %v, want ErrNoGit", err)
	}
	wantErr(t, err, "git is not installed")
}

// A git hook exports GIT_DIR and GIT_INDEX_FILE of the repository it runs
// in; they must not redirect tracegate to that repository.
func TestOpenIgnoresRepositoryEnvironment(t *testing.T) {
	mine := gittest.New(t)
	mine.Write("a", "a\n")
	want := mine.Commit("mine")
	other := gittest.New(t)
	other.Write("b", "b\n")
	other.Commit("other")
	t.Setenv("GIT_DIR", filepath.Join(other.Dir(), ".git"))
	t.Setenv("GIT_WORK_TREE", other.Dir())
	t.Setenv("GIT_INDEX_FILE", filepath.Join(other.Dir(), ".git", "index"))
	t.Setenv("GIT_CONFIG_COUNT", "1")
	t.Setenv("GIT_CONFIG_KEY_0", "core.quotepath")
	t.Setenv("GIT_CONFIG_VALUE_0", "on")

	r := openDir(t, mine.Dir())
	got, err := r.Resolve(context.Background(), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("HEAD = %s, want %s (of the named repository)", got, want)
	}
}

// CI containers run as root over a checkout owned by the runner's user.
// Open must trust the directory it was given, and only that one.
func TestOpenDubiousOwnership(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the repository to another user")
	}
	f := newFixture(t)
	chownAll(t, f.Dir(), 65534)

	r := openDir(t, f.Dir())
	ctx := context.Background()
	if _, err := r.Resolve(ctx, "v1.0"); err != nil {
		t.Fatal(err)
	}
	tree, err := r.Tree(ctx, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if data, err := fs.ReadFile(tree, "README.md"); err != nil || string(data) != readme {
		t.Fatalf("ReadFile = %q, %v", data, err)
	}
	if _, err := r.Commits(ctx, "", "HEAD"); err != nil {
		t.Fatal(err)
	}

	// A subdirectory: the repository above it is not what the user named.
	_, err = Open(ctx, filepath.Join(f.Dir(), "docs"))
	if !errors.Is(err, ErrDubiousOwnership) {
		t.Fatalf("Open(subdirectory) = %v, want ErrDubiousOwnership", err)
	}
	wantErr(t, err, "safe.directory", f.Dir())
}

func chownAll(t *testing.T, dir string, uid int) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, uid)
	})
	if err != nil {
		t.Fatal(err)
	}
	// The temporary directory is removed by root at the end; nothing to undo.
}

func TestErrorNamesCommandAndStderr(t *testing.T) {
	g := gittest.New(t)
	g.Commit("one")
	r := openDir(t, g.Dir())
	_, err := r.run.output(context.Background(), "cat-file", "-p", "no-such-object")
	var ge *Error
	if !errors.As(err, &ge) {
		t.Fatalf("error %v (%T), want *Error", err, err)
	}
	wantErr(t, err, "git cat-file -p no-such-object", "exit status 128", "Not a valid object name")
	if strings.Contains(err.Error(), "safe.directory") {
		t.Errorf("error %q repeats the global options", err)
	}
}

func TestCommandRespectsContext(t *testing.T) {
	g := gittest.New(t)
	g.Commit("one")
	r := openDir(t, g.Dir())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := r.Resolve(ctx, "HEAD")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Resolve with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestCapBuffer(t *testing.T) {
	b := &capBuffer{max: 4}
	for _, s := range []string{"ab", "cdef", "gh"} {
		if n, err := b.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if got, want := b.String(), "abcd… (4 more bytes)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestCheckVersion(t *testing.T) {
	tests := []struct {
		out     string
		wantErr string
	}{
		{out: "git version 2.39.5\n"},
		{out: "git version 2.30.0\n"},
		{out: "git version 3.0.0\n"},
		{out: "git version 2.45.2.windows.1\n"},
		{out: "git version 2.39.3 (Apple Git-146)\n"},
		{out: "git version 2.25.1\n", wantErr: "git 2.25.1 is too old: tracegate needs git 2.30 or later"},
		{out: "git version 1.99.0\n", wantErr: "too old"},
		{out: "hub version 2.14\n", wantErr: "cannot read the git version"},
		{out: "git version x\n", wantErr: "cannot read the git version"},
	}
	for _, tt := range tests {
		err := checkVersion(tt.out)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("checkVersion(%q) = %v", tt.out, err)
			}
			continue
		}
		wantErr(t, err, tt.wantErr)
	}
}

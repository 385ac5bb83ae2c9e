package gitrepo

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
)

// The fixture's history, oldest first:
//
//	c1 initial       (main)    every kind of entry; tags v1.0 (annotated), blob-tag (lightweight,
//	                           of a blob), tree-tag (annotated, of a tree)
//	c2 feature work  (feature) renames docs/req.yml, edits data.bin and link, control bytes in the message
//	c3 main work     (main)    deletes old.txt, adds notes.md, turns the file kind into a link
//	c4 merge         (main)    merges feature (two parents); tags v1.1 (lightweight), v1.1-nested
//	                           (annotated, of the tag v1.0)
//	c5 empty         (main)    no change
const (
	reqYAML   = "id: REQ-1\ntitle: the first requirement\n"
	readme    = "# device\n"
	script    = "#!/bin/sh\necho hi\n"
	unicode   = "ünïcödé/файл 名.md"
	latin1    = "caf\xe9.txt"
	dataBin   = "\x00\x01\x02binary\xff"
	dataBin2  = "\x00\x01\x02binary, changed\xff"
	featureMs = "Feature work\n\nbody with \x1e record separator, \x1f unit, \x01 and a tab\t.\nRefs: REQ-1\n"
)

type fixture struct {
	*gittest.Repo
	c1, c2, c3, c4, c5 string
	submodule          string // the commit the submodule entry points to
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	g := gittest.New(t)
	f := &fixture{Repo: g}
	g.Write("README.md", readme)
	g.Write("docs/req.yml", reqYAML)
	g.Write("old.txt", "old\n")
	g.Write("kind", "a file first\n")
	g.Write("data.bin", dataBin)
	g.Write("tools/run.sh", script)
	if err := os.Chmod(filepath.Join(g.Dir(), "tools/run.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	g.Write(unicode, "unicode\n")
	g.Write(latin1, "latin-1 name\n")
	g.Symlink("docs/req.yml", "link")
	// A submodule entry: a gitlink to a commit of another repository; the
	// directory stays empty like an uninitialised submodule's.
	f.submodule = strings.Repeat("5", 40)
	if err := os.MkdirAll(filepath.Join(g.Dir(), "vendor/lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	g.Run("update-index", "--add", "--cacheinfo", "160000,"+f.submodule+",vendor/lib")
	f.c1 = g.Commit("Initial commit")
	g.Tag("v1.0", true, "Release 1.0\n")
	g.Run("tag", "blob-tag", g.Run("rev-parse", "HEAD:README.md"))
	g.Run("tag", "-a", "-m", "a tree", "tree-tag", g.Run("rev-parse", "HEAD^{tree}"))

	g.Branch("feature")
	g.Checkout("feature")
	g.Run("mv", "docs/req.yml", "docs/requirements.yml")
	g.Write("data.bin", dataBin2)
	g.Remove("link")
	g.Symlink("docs/requirements.yml", "link")
	f.c2 = g.Commit(featureMs)

	g.Checkout("main")
	g.Remove("old.txt")
	g.Write("notes.md", "main work\n")
	g.Remove("kind")
	g.Symlink("README.md", "kind")
	f.c3 = g.Commit("Main work")

	f.c4 = g.Merge("feature", "Merge branch 'feature'", true)
	g.Tag("v1.1", false, "")
	g.Run("tag", "-a", "-m", "nested", "v1.1-nested", "v1.0")
	f.c5 = g.Commit("Empty commit\n")
	return f
}

// open opens the fixture with gitrepo, closed at the end of the test.
func (f *fixture) open(t testing.TB) *Repo {
	t.Helper()
	return openDir(t, f.Dir())
}

func openDir(t testing.TB, dir string) *Repo {
	t.Helper()
	r, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// shallowClone clones src with depth 1 into a new directory, as
// actions/checkout does by default.
func shallowClone(t testing.TB, src *gittest.Repo, args ...string) string {
	t.Helper()
	return gittest.Clone(t, src, append([]string{"--depth", "1"}, args...)...).Dir()
}

// wantErr fails unless err is non-nil and mentions every part.
func wantErr(t testing.TB, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one mentioning %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not mention %q", err, p)
		}
	}
}

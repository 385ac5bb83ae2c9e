package gittest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The same steps give the same SHAs: identity and dates are fixed.
func TestDeterministic(t *testing.T) {
	build := func() []string {
		r := New(t)
		r.Write("a.txt", "a\n")
		c1 := r.Commit("one")
		r.Branch("side")
		r.Checkout("side")
		r.Write("b.txt", "b\n")
		c2 := r.Commit("two")
		r.Checkout("main")
		r.Write("c.txt", "c\n")
		r.Commit("three")
		m := r.Merge("side", "merge side", true)
		r.Tag("v1", true, "release\n")
		return []string{c1, c2, m, r.Run("rev-parse", "v1")}
	}
	a, b := build(), build()
	if strings.Join(a, " ") != strings.Join(b, " ") {
		t.Errorf("two builds differ:\n%q\n%q", a, b)
	}
}

func TestClockAndIdentity(t *testing.T) {
	r := New(t)
	r.Commit("one")
	r.Tag("v1", true, "tagged")
	r.Commit("two")
	tests := []struct {
		format, ref string
		want        string
	}{
		{"%an <%ae>", "HEAD~1", Name + " <" + Email + ">"},
		{"%cn <%ce>", "HEAD", Name + " <" + Email + ">"},
		{"%cI", "HEAD~1", git(Start)},
		{"%cI", "HEAD", git(Start.Add(2 * Step))},
		{"%aI", "HEAD", git(Start.Add(2 * Step))},
	}
	for _, tt := range tests {
		if got := r.Run("log", "-1", "--format="+tt.format, tt.ref); got != tt.want {
			t.Errorf("%s of %s = %q, want %q", tt.format, tt.ref, got, tt.want)
		}
	}
	if got, want := r.Run("for-each-ref", "--format=%(taggerdate:iso-strict)", "refs/tags/v1"), git(Start.Add(Step)); got != want {
		t.Errorf("tagger date %q, want %q", got, want)
	}
	if got, want := r.Now(), Start.Add(3*Step); !got.Equal(want) {
		t.Errorf("Now() = %v, want %v", got, want)
	}
}

// git is how git prints a UTC date in strict ISO 8601.
func git(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

func TestMergeFastForward(t *testing.T) {
	r := New(t)
	r.Commit("one")
	r.Branch("side")
	r.Checkout("side")
	tip := r.Commit("two")
	r.Checkout("main")
	if got := r.Merge("side", "unused", false); got != tip {
		t.Errorf("fast-forward merge made %s, want the tip %s", got, tip)
	}
	r.Checkout("side")
	r.Commit("three")
	r.Checkout("main")
	m := r.Merge("side", "merge", true)
	if parents := strings.Fields(r.Run("log", "-1", "--format=%P", m)); len(parents) != 2 {
		t.Errorf("no-ff merge has parents %q", parents)
	}
}

func TestCopyDirAndRemove(t *testing.T) {
	src := filepath.Join("..", "..", "..", "..", "testdata", "sample-device")
	var want []string
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(src, p)
			want = append(want, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil || len(want) == 0 {
		t.Fatalf("reading %s: %d files, %v", src, len(want), err)
	}
	r := New(t)
	r.Write(want[0], "to be replaced")
	r.CopyDir(src)
	r.Commit("sample")
	got := strings.Split(r.Run("ls-files"), "\n")
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("committed\n%q\nwant\n%q", got, want)
	}
	orig, err := os.ReadFile(filepath.Join(src, want[0]))
	if err != nil {
		t.Fatal(err)
	}
	if copied := r.Run("show", "HEAD:"+want[0]); copied != strings.TrimSuffix(string(orig), "\n") {
		t.Errorf("%s was not replaced by the copy", want[0])
	}
	r.Remove(want[0])
	r.Commit("removed")
	if n := len(strings.Split(r.Run("ls-files"), "\n")); n != len(want)-1 {
		t.Errorf("%d files after Remove, want %d", n, len(want)-1)
	}
}

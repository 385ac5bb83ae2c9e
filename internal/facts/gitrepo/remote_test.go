package gitrepo

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
)

// A clone made without tags tells its gaps: it has a remote whose tags it
// can list, and Complete fetches the history and tags it lacks.
func TestCloneGaps(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	dir := shallowClone(t, f.Repo, "--no-tags")
	r := openDir(t, dir)

	if c, ok := facts.AsClone(r); !ok || c != facts.Clone(r) {
		t.Fatal("a Repo is not a facts.Clone")
	}
	shallow, err := r.Shallow(ctx)
	if err != nil || !shallow {
		t.Errorf("Shallow = %v, %v", shallow, err)
	}
	remotes, err := r.Remotes(ctx)
	if err != nil || !slices.Equal(remotes, []string{"origin"}) {
		t.Errorf("Remotes = %q, %v", remotes, err)
	}
	if local, err := r.Tags(ctx); err != nil || len(local) != 0 {
		t.Errorf("a clone without tags has tags %+v, %v", local, err)
	}
	remote, err := r.RemoteTags(ctx, "origin")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, tg := range remote {
		byName[tg.Name] = tg.Commit
	}
	blob := f.Run("rev-parse", f.c1+":README.md")
	// Annotated tags peeled to their commit, even a tag of a tag; a tag of
	// a blob names the blob.
	for name, want := range map[string]string{"v1.0": f.c1, "v1.1": f.c4, "v1.1-nested": f.c1, "blob-tag": blob} {
		if byName[name] != want {
			t.Errorf("remote tag %s = %s, want %s", name, byName[name], want)
		}
	}

	if err := r.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	if shallow, err := r.Shallow(ctx); err != nil || shallow {
		t.Errorf("after Complete: Shallow = %v, %v", shallow, err)
	}
	if local, err := r.Tags(ctx); err != nil || len(local) != 3 {
		t.Errorf("after Complete: tags %+v, %v", local, err)
	}
	if _, err := r.Commits(ctx, "", "HEAD"); err != nil {
		t.Errorf("after Complete the history is still cut: %v", err)
	}
}

func TestRemoteErrors(t *testing.T) {
	ctx := context.Background()
	g := gittest.New(t)
	g.Commit("one")
	r := openDir(t, g.Dir())
	if remotes, err := r.Remotes(ctx); err != nil || len(remotes) != 0 {
		t.Errorf("Remotes = %q, %v", remotes, err)
	}
	if err := r.Complete(ctx); err != nil {
		t.Errorf("Complete without a remote: %v", err)
	}
	for _, name := range []string{"", "--upload-pack=touch x", "a\nb"} {
		if _, err := r.RemoteTags(ctx, name); err == nil {
			t.Errorf("RemoteTags(%q): no error", name)
		}
	}
	// A remote whose URL carries a token: the token never reaches the error.
	gone := "file://x-access-token:ghs_secret0123@" + filepath.ToSlash(filepath.Join(t.TempDir(), "gone"))
	g.Run("remote", "add", "origin", gone)
	_, err := r.RemoteTags(ctx, "origin")
	wantErr(t, err, "listing the tags of remote origin")
	if err != nil && strings.Contains(err.Error(), "ghs_secret0123") {
		t.Errorf("the error shows the token: %v", err)
	}
	err = r.Complete(ctx)
	wantErr(t, err, "fetching the history and tags of remote origin")
	if err != nil && strings.Contains(err.Error(), "ghs_secret0123") {
		t.Errorf("the error shows the token: %v", err)
	}
}

func TestParseLsRemoteTags(t *testing.T) {
	a, b, c := strings.Repeat("a", 40), strings.Repeat("b", 40), strings.Repeat("c", 40)
	tags, err := parseLsRemoteTags([]byte(a + "\trefs/tags/v1\n" + b + "\trefs/tags/v1^{}\n" + c + "\trefs/tags/v2\n"))
	want := []facts.Tag{{Name: "v1", Commit: b}, {Name: "v2", Commit: c}}
	if err != nil || !slices.Equal(tags, want) {
		t.Errorf("tags %+v, %v; want %+v", tags, err, want)
	}
	for _, bad := range []string{"x\trefs/tags/v1\n", a + "\trefs/heads/main\n", a + " refs/tags/v1\n", a + "\trefs/tags/\n"} {
		if _, err := parseLsRemoteTags([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestRedactURLs(t *testing.T) {
	for in, want := range map[string]string{
		"fatal: unable to access 'https://x-access-token:ghs_abc@github.com/o/r/'": "fatal: unable to access 'https://***@github.com/o/r/'",
		"https://github.com/o/r":               "https://github.com/o/r",
		"ssh://git@host/r and https://u:p@h/x": "ssh://***@host/r and https://***@h/x",
	} {
		if got := redactURLs(in); got != want {
			t.Errorf("redactURLs(%q) = %q, want %q", in, got, want)
		}
	}
}

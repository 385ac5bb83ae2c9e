package ghfacts_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/ghfacts"
	"github.com/tracegate/tracegate/internal/facts/gitrepo"
	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
	"github.com/tracegate/tracegate/internal/facts/memfs"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// ghRepo is repo on srv through a client as the CLI and the App make it.
func ghRepo(t testing.TB, srv *fakegithub.Server, opts ghfacts.RepoOptions) *ghfacts.Repo {
	t.Helper()
	gh, err := githubapi.NewClient(githubapi.Options{APIURL: srv.APIURL(), Token: fakegithub.DefaultToken, Sleep: noSleep, MaxAttempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	opts.Download = githubapi.NewDownloadClient(githubapi.Options{Sleep: noSleep, MaxAttempts: 2})
	r, err := ghfacts.NewRepo(gh, repo, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func localRepo(t testing.TB, dir string) *gitrepo.Repo {
	t.Helper()
	r, err := gitrepo.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// history is a repository with what archives and listings disagree on:
// links inside and outside the tree, an executable, files the archive
// leaves out or rewrites, annotated and lightweight tags (two on one
// commit), a branch merged back.
type history struct {
	g                           *gittest.Repo
	first, second, merge, third string
}

func makeHistory(t testing.TB) history {
	g := gittest.New(t)
	g.Write(".github/tracegate.yml", "version: 1\nsafety_class: B\n")
	g.Write("docs/requirements/a.yml", "- id: SRS-001\n  title: A\n")
	g.Write("tools/run.sh", "#!/bin/sh\necho run\n")
	g.Run("update-index", "--add", "--chmod=+x", "tools/run.sh")
	g.Symlink("../docs/requirements/a.yml", "links/inside.yml")
	g.Symlink("../../outside.yml", "links/outside.yml")
	// What a release archive drops or rewrites, as many projects ask.
	g.Write(".gitattributes", ".github export-ignore\n.gitattributes export-ignore\nVERSION export-subst\n")
	g.Write("VERSION", "$Format:%H$\n")
	h := history{g: g}
	h.first = g.Commit("First\n\nCR-1")
	g.Tag("v1.0.0", true, "Release 1.0.0")
	g.Tag("v1.0.0-rc", false, "")
	g.Branch("feature")
	g.Checkout("feature")
	g.Write("docs/requirements/b.yml", "- id: SRS-002\n  title: B\n")
	g.Remove("tools/run.sh")
	g.Run("mv", "docs/requirements/a.yml", "docs/requirements/renamed.yml")
	g.Remove("links/inside.yml")
	g.Symlink("../docs/requirements/renamed.yml", "links/inside.yml")
	g.Run("add", "-A")
	h.second = g.Commit("Second (CR-2)")
	g.Checkout("main")
	g.Write("README.md", "main moved on\n")
	g.Commit("Main moves")
	h.merge = g.Merge("feature", "Merge feature", true)
	g.Write("README.md", "third\n")
	h.third = g.Commit("Third")
	g.Tag("v1.1.0", false, "")
	return h
}

func serve(t testing.TB, dir string) *fakegithub.Server {
	srv := fakegithub.New(t)
	srv.AddGitRepo(repo, dir)
	return srv
}

// snapshot is what a tree holds: every path with its type, size and
// content or link target.
func snapshot(t *testing.T, fsys fs.FS) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		v := fmt.Sprintf("%v %d", info.Mode(), info.Size())
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := fs.ReadLink(fsys, p)
			if err != nil {
				return err
			}
			v += " -> " + target
			if _, err := fs.ReadFile(fsys, p); err == nil {
				t.Errorf("%s: a link was opened", p)
			}
		case d.Type().IsRegular():
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			v += " " + string(data)
		}
		out[p] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The GitHub repository gives what the local one gives, for every method,
// whichever way the files are read.
func TestRepoMatchesLocal(t *testing.T) {
	h := makeHistory(t)
	srv := serve(t, h.g.Dir())
	local := localRepo(t, h.g.Dir())
	ctx := context.Background()
	for _, files := range []ghfacts.FileSource{ghfacts.Tarball, ghfacts.Blobs} {
		gh := ghRepo(t, srv, ghfacts.RepoOptions{Files: files})
		for _, ref := range []string{"main", "feature", "v1.0.0", "v1.0.0-rc", h.second, h.merge} {
			want, err := local.Resolve(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			got, err := gh.Resolve(ctx, ref)
			if err != nil || got != want {
				t.Errorf("Resolve(%s) = %s, %v; want %s", ref, got, err, want)
			}
			lt, err := local.Tree(ctx, want)
			if err != nil {
				t.Fatal(err)
			}
			gt, err := gh.Tree(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			if l, g := snapshot(t, lt), snapshot(t, gt); !reflect.DeepEqual(l, g) {
				t.Errorf("files %d, tree of %s:\n got  %v\n want %v", files, ref, g, l)
			}
		}
		for _, r := range [][2]string{{"", h.third}, {h.first, h.third}, {h.first, h.second}, {"v1.0.0", "v1.1.0"}} {
			want, err := local.Commits(ctx, r[0], r[1])
			if err != nil {
				t.Fatal(err)
			}
			got, err := gh.Commits(ctx, r[0], r[1])
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(utc(got), utc(want)) {
				t.Errorf("Commits(%.7s, %.7s):\n got  %+v\n want %+v", r[0], r[1], got, want)
			}
		}
		for _, r := range [][2]string{{h.first, h.second}, {h.first, h.third}} {
			want, _ := local.Changes(ctx, r[0], r[1])
			got, err := gh.Changes(ctx, r[0], r[1])
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("Changes(%.7s, %.7s) = %+v, %v\n want %+v", r[0], r[1], got, err, want)
			}
		}
		mb, err := gh.MergeBase(ctx, "main", "feature")
		if want, _ := local.MergeBase(ctx, "main", "feature"); err != nil || mb != want {
			t.Errorf("MergeBase = %s, %v; want %s", mb, err, want)
		}
		wantTags, _ := local.Tags(ctx)
		gotTags, err := gh.Tags(ctx)
		if err != nil || !reflect.DeepEqual(utcTags(gotTags), utcTags(sharedDates(wantTags))) {
			t.Errorf("Tags = %+v, %v\n want %+v", gotTags, err, sharedDates(wantTags))
		}
	}
	for _, r := range srv.Requests() {
		if r.Host == "download" && (r.Auth || r.Status != 200) {
			t.Errorf("download %s: status %d, authorization sent %v", r.Path, r.Status, r.Auth)
		}
	}
}

// utc puts the times in one location: git's dates come in the machine's,
// GitHub's in UTC, and DeepEqual compares locations.
func utc(cs []facts.Commit) []facts.Commit {
	out := make([]facts.Commit, len(cs))
	for i, c := range cs {
		c.Committed = c.Committed.UTC()
		out[i] = c
	}
	return out
}

func utcTags(ts []facts.Tag) []facts.Tag {
	out := make([]facts.Tag, len(ts))
	for i, t := range ts {
		t.Date = t.Date.UTC()
		out[i] = t
	}
	return out
}

// sharedDates is want as ghfacts lists tags: dates only where several
// tags share a commit, sorted as gitrepo sorts.
func sharedDates(tags []facts.Tag) []facts.Tag {
	n := map[string]int{}
	for _, t := range tags {
		n[t.Commit]++
	}
	out := make([]facts.Tag, len(tags))
	for i, t := range tags {
		if n[t.Commit] < 2 {
			t.Date = time.Time{}
		}
		out[i] = t
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := out[i].Date.Compare(out[j].Date); c != 0 {
			return c < 0
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// A commit's files cost the tree listing and one tarball, once: the second
// read comes from the cache, and so do full SHAs resolved before. Files
// the archive leaves out or rewrites are read as blobs.
func TestTreeRequests(t *testing.T) {
	h := makeHistory(t)
	srv := serve(t, h.g.Dir())
	gh := ghRepo(t, srv, ghfacts.RepoOptions{})
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		tree, err := gh.Tree(ctx, h.first)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{".github/tracegate.yml", "VERSION", "docs/requirements/a.yml"} {
			if _, err := fs.ReadFile(tree, f); err != nil {
				t.Fatal(err)
			}
		}
	}
	p := "/api/v3/repos/" + repo
	counts := map[string]int{
		"resolve": srv.Count("GET", p+"/commits/*"),
		"tree":    srv.Count("GET", p+"/git/trees/*"),
		"tarball": srv.Count("GET", p+"/tarball/*"),
		"blobs":   srv.Count("GET", p+"/git/blobs/*"),
	}
	// .github/tracegate.yml (export-ignore) and VERSION (export-subst) are
	// read as blobs; .gitattributes is not read.
	want := map[string]int{"resolve": 1, "tree": 1, "tarball": 1, "blobs": 2}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("requests %v, want %v", counts, want)
	}
}

// Many goroutines reading the same commits make one fetch of each.
func TestRepoConcurrent(t *testing.T) {
	h := makeHistory(t)
	srv := serve(t, h.g.Dir())
	gh := ghRepo(t, srv, ghfacts.RepoOptions{})
	ctx := context.Background()
	want := map[string]map[string]string{}
	for _, sha := range []string{h.first, h.second, h.third} {
		tree, err := gh.Tree(ctx, sha)
		if err != nil {
			t.Fatal(err)
		}
		want[sha] = snapshot(t, tree)
	}
	srv.ResetLog()
	fresh := ghRepo(t, srv, ghfacts.RepoOptions{})
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(sha string) {
			defer wg.Done()
			tree, err := fresh.Tree(ctx, sha)
			if err != nil {
				t.Error(err)
				return
			}
			if got := snapshot(t, tree); !reflect.DeepEqual(got, want[sha]) {
				t.Errorf("tree of %s differs", sha)
			}
			if _, err := fresh.Commits(ctx, h.first, h.third); err != nil {
				t.Error(err)
			}
		}([]string{h.first, h.second, h.third}[i%3])
	}
	wg.Wait()
	if n := srv.Count("GET", "/api/v3/repos/"+repo+"/tarball/*"); n != 3 {
		t.Errorf("%d tarballs fetched for 3 commits", n)
	}
	if n := srv.Count("GET", "/api/v3/repos/"+repo+"/compare/*"); n != 1 {
		t.Errorf("%d comparisons fetched for one", n)
	}
}

// A commit whose archive is past the limit is read through blobs.
func TestTreeTooLargeForArchive(t *testing.T) {
	h := makeHistory(t)
	srv := serve(t, h.g.Dir())
	gh := ghRepo(t, srv, ghfacts.RepoOptions{Limits: memfs.Limits{MaxBytes: 64}})
	tree, err := gh.Tree(context.Background(), h.first)
	if err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(tree, "docs/requirements/a.yml")
	if err != nil || !strings.Contains(string(data), "SRS-001") {
		t.Fatalf("%q, %v", data, err)
	}
	if n := srv.Count("GET", "/api/v3/repos/"+repo+"/git/blobs/*"); n != 1 {
		t.Errorf("%d blobs read", n)
	}
}

// Lists GitHub gives in part are errors: more changed files than the
// compare endpoint lists, a ref that does not exist.
func TestRepoFailsClosed(t *testing.T) {
	g := gittest.New(t)
	g.Write("a", "a\n")
	first := g.Commit("first")
	for i := 0; i < fakegithub.MaxCompareFiles+1; i++ {
		g.Write(fmt.Sprintf("many/%03d.txt", i), "x\n")
	}
	many := g.Commit("many files")
	for i := 0; i < 104; i++ {
		g.Commit(fmt.Sprintf("commit %d", i))
	}
	srv := serve(t, g.Dir())
	gh := ghRepo(t, srv, ghfacts.RepoOptions{})
	ctx := context.Background()
	if _, err := gh.Changes(ctx, first, many); !errors.Is(err, ghfacts.ErrTruncated) {
		t.Errorf("301 changed files: %v", err)
	}
	commits, err := gh.Commits(ctx, first, "main")
	if err != nil || len(commits) != 105 {
		t.Errorf("%d commits, %v", len(commits), err)
	}
	if _, err := gh.Resolve(ctx, "no-such-branch"); !errors.Is(err, facts.ErrNotFound) {
		t.Errorf("missing ref: %v", err)
	}
	if _, err := gh.Resolve(ctx, "HEAD~1"); !errors.Is(err, facts.ErrNotFound) {
		t.Errorf("git revision syntax: %v", err)
	}
}

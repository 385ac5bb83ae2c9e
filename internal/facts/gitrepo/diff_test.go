package gitrepo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
)

func TestChanges(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	tests := []struct {
		from, to string
		want     []facts.Change
	}{
		{from: "v1.0", to: "HEAD", want: []facts.Change{
			{Status: facts.Modified, Path: "data.bin", Binary: true},
			{Status: facts.Renamed, Path: "docs/requirements.yml", OldPath: "docs/req.yml"},
			{Status: facts.Modified, Path: "kind"}, // file to link
			{Status: facts.Modified, Path: "link"},
			{Status: facts.Added, Path: "notes.md"},
			{Status: facts.Deleted, Path: "old.txt"},
		}},
		{from: "HEAD", to: "v1.0", want: []facts.Change{
			{Status: facts.Modified, Path: "data.bin", Binary: true},
			{Status: facts.Renamed, Path: "docs/req.yml", OldPath: "docs/requirements.yml"},
			{Status: facts.Modified, Path: "kind"},
			{Status: facts.Modified, Path: "link"},
			{Status: facts.Deleted, Path: "notes.md"},
			{Status: facts.Added, Path: "old.txt"},
		}},
		{from: "", to: "v1.0", want: []facts.Change{
			{Status: facts.Added, Path: "README.md"},
			{Status: facts.Added, Path: latin1},
			{Status: facts.Added, Path: "data.bin", Binary: true},
			{Status: facts.Added, Path: "docs/req.yml"},
			{Status: facts.Added, Path: "kind"},
			{Status: facts.Added, Path: "link"},
			{Status: facts.Added, Path: "old.txt"},
			{Status: facts.Added, Path: "tools/run.sh"},
			{Status: facts.Added, Path: "vendor/lib"},
			{Status: facts.Added, Path: unicode},
		}},
		{from: "HEAD~1", to: "HEAD"}, // the empty commit
		{from: "feature", to: "main~1", want: []facts.Change{
			{Status: facts.Added, Path: "notes.md"},
			{Status: facts.Modified, Path: "kind"},
			{Status: facts.Deleted, Path: "old.txt"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.from+".."+tt.to, func(t *testing.T) {
			got, err := r.Changes(context.Background(), tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			sortChanges(got)
			sortChanges(tt.want)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func sortChanges(cs []facts.Change) {
	slices.SortFunc(cs, func(a, b facts.Change) int { return strings.Compare(a.Path, b.Path) })
}

func TestChangesKinds(t *testing.T) {
	g := gittest.New(t)
	body := strings.Repeat("a line that stays the same\n", 20)
	g.Write("src/main.go", body)
	g.Write("run.sh", "echo\n")
	g.Write("blob.png", "\x89PNG\r\n\x1a\n\x00\x00")
	if err := os.MkdirAll(filepath.Join(g.Dir(), "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	g.Run("update-index", "--add", "--cacheinfo", "160000,"+strings.Repeat("1", 40)+",sub")
	base := g.Commit("base")
	g.Remove("src")
	g.Write("cmd/main.go", body+"one more line\n")
	if err := os.Chmod(filepath.Join(g.Dir(), "run.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	g.Run("mv", "blob.png", "image.png") // a binary file renamed unchanged
	g.Run("update-index", "--cacheinfo", "160000,"+strings.Repeat("2", 40)+",sub")
	head := g.Commit("moves")

	r := openDir(t, g.Dir())
	got, err := r.Changes(context.Background(), base, head)
	if err != nil {
		t.Fatal(err)
	}
	want := []facts.Change{
		{Status: facts.Renamed, Path: "cmd/main.go", OldPath: "src/main.go"},
		{Status: facts.Renamed, Path: "image.png", OldPath: "blob.png", Binary: true},
		{Status: facts.Modified, Path: "run.sh"}, // mode only
		{Status: facts.Modified, Path: "sub"},    // submodule moved on
	}
	sortChanges(got)
	if !slices.Equal(got, want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
}

func TestChangesErrors(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	for _, tt := range []struct{ from, to string }{{"v0", "HEAD"}, {"HEAD", "nope"}, {"-p", "HEAD"}} {
		if _, err := r.Changes(context.Background(), tt.from, tt.to); !errors.Is(err, facts.ErrNotFound) {
			t.Errorf("Changes(%q, %q) = %v, want ErrNotFound", tt.from, tt.to, err)
		}
	}
	if _, err := r.Changes(context.Background(), "blob-tag", "HEAD"); err == nil || errors.Is(err, facts.ErrNotFound) {
		t.Errorf("Changes(blob-tag, HEAD) = %v, want a not-a-commit error", err)
	}
}

func TestMergeBase(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	tests := []struct{ a, b, want string }{
		{"feature", "main~2", f.c1},
		{"main", "feature", f.c2},
		{"HEAD", "HEAD", f.c5},
	}
	for _, tt := range tests {
		got, err := r.MergeBase(context.Background(), tt.a, tt.b)
		if err != nil || got != tt.want {
			t.Errorf("MergeBase(%s, %s) = %s, %v; want %s", tt.a, tt.b, got, err, tt.want)
		}
	}
	// An unrelated history has no common ancestor.
	f.Run("checkout", "-q", "--orphan", "other")
	f.Commit("unrelated")
	_, err := r.MergeBase(context.Background(), "other", "main")
	if !errors.Is(err, facts.ErrNotFound) {
		t.Fatalf("MergeBase(other, main) = %v, want ErrNotFound", err)
	}
	wantErr(t, err, `a common ancestor of "other" and "main"`)
	wantNoHint(t, err)

	// Branches fetched one commit deep: the ancestor exists but is not here.
	f.Checkout("main")
	s := openDir(t, shallowClone(t, f.Repo, "--no-single-branch"))
	_, err = s.MergeBase(context.Background(), "HEAD", "origin/feature")
	if !errors.Is(err, facts.ErrNotFound) {
		t.Fatalf("shallow MergeBase = %v, want ErrNotFound", err)
	}
	wantErr(t, err, ShallowHint)
}

func TestParseDiff(t *testing.T) {
	a, b := strings.Repeat("a", 40), strings.Repeat("b", 40)
	raw := func(status string, paths ...string) string {
		return ":100644 100644 " + a + " " + b + " " + status + "\x00" + strings.Join(paths, "\x00") + "\x00"
	}
	tests := []struct {
		name    string
		in      string
		want    []facts.Change
		wantErr string
	}{
		{name: "empty"},
		{name: "all kinds",
			in: raw("A", "a") + raw("M", "m") + raw("T", "t") + raw("D", "d") + raw("R086", "old", "new") + raw("C100", "src", "copy") +
				"1\t0\ta\x00-\t-\tm\x000\t0\tt\x000\t1\td\x00-\t-\t\x00old\x00new\x001\t1\t\x00src\x00copy\x00",
			want: []facts.Change{
				{Status: facts.Added, Path: "a"},
				{Status: facts.Modified, Path: "m", Binary: true},
				{Status: facts.Modified, Path: "t"},
				{Status: facts.Deleted, Path: "d"},
				{Status: facts.Renamed, Path: "new", OldPath: "old", Binary: true},
				{Status: facts.Copied, Path: "copy", OldPath: "src"},
			}},
		{name: "names with tabs, colons and newlines", in: raw("A", ":x\ty\nz") + "1\t0\t:x\ty\nz\x00",
			want: []facts.Change{{Status: facts.Added, Path: ":x\ty\nz"}}},
		{name: "rename and delete of one name stay apart",
			in:   raw("R100", "a", "b") + raw("D", "a") + "-\t-\t\x00a\x00b\x000\t3\ta\x00",
			want: []facts.Change{{Status: facts.Renamed, Path: "b", OldPath: "a", Binary: true}, {Status: facts.Deleted, Path: "a"}}},
		{name: "no numstat", in: raw("M", "m"), want: []facts.Change{{Status: facts.Modified, Path: "m"}}},
		{name: "unmerged", in: raw("U", "u"), wantErr: `unexpected status "U"`},
		{name: "bad score", in: raw("R0x", "a", "b"), wantErr: "bad status"},
		{name: "short raw", in: ":100644 100644 " + a + " M\x00m\x00", wantErr: "bad raw record"},
		{name: "rename without new path", in: raw("R100", "a"), wantErr: "unexpected EOF"},
		{name: "empty path", in: raw("M", ""), wantErr: "empty"},
		{name: "numstat for an unknown file", in: raw("M", "m") + "1\t1\tx\x00", wantErr: `numstat record for "x"`},
		{name: "numstat twice", in: raw("M", "m") + "1\t1\tm\x001\t1\tm\x00", wantErr: "counted twice"},
		{name: "raw after numstat", in: raw("M", "m") + "1\t1\tm\x00" + raw("A", "a"), wantErr: "raw record after"},
		{name: "half binary", in: raw("M", "m") + "-\t1\tm\x00", wantErr: "bad numstat"},
		{name: "bad count", in: raw("M", "m") + "x\t1\tm\x00", wantErr: "bad numstat"},
		{name: "unterminated", in: raw("M", "m") + "1\t1\tm", wantErr: "unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDiff(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				wantErr(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

package gitrepo

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
	"github.com/tracegate/tracegate/internal/input"
)

func at(tick int) time.Time { return gittest.Start.Add(time.Duration(tick) * gittest.Step) }

func TestTags(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	tags, warnings, err := r.TagsWithWarnings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []facts.Tag{
		{Name: "v1.0", Commit: f.c1, Date: at(1)},        // tagger date
		{Name: "v1.1", Commit: f.c4, Date: at(4)},        // lightweight: the commit's date
		{Name: "v1.1-nested", Commit: f.c1, Date: at(5)}, // the outer tag's date
	}
	if !tagsEqual(tags, want) {
		t.Errorf("tags\n got %+v\nwant %+v", tags, want)
	}
	wantWarnings(t, warnings,
		"refs/tags/blob-tag: the tag points to a blob, not a commit",
		"refs/tags/tree-tag: the tag points to a tree, not a commit")

	plain, err := r.Tags(context.Background())
	if err != nil || !tagsEqual(plain, want) {
		t.Errorf("Tags() = %+v, %v; want %+v", plain, err, want)
	}
}

func TestTagsOddObjects(t *testing.T) {
	g := gittest.New(t)
	c1 := g.Commit("one")
	g.Tag("b-same-date", false, "")
	g.Tag("a-same-date", false, "")
	// An annotated tag without a tagger line, as git made before 2005:
	// its date is the commit's.
	obj := "object " + c1 + "\ntype commit\ntag old\n\nno tagger\n"
	g.Run("update-ref", "refs/tags/old", g.RunInput(obj, "hash-object", "-t", "tag", "-w", "--stdin"))
	// A tag of a tag of a blob.
	g.Run("tag", "-a", "-m", "key", "key", g.Run("hash-object", "-w", "--stdin"))
	g.Run("tag", "-a", "-m", "nested key", "key-nested", "key")
	c2 := g.Commit("two")
	g.Tag("z-annotated", true, "later")

	r := openDir(t, g.Dir())
	tags, warnings, err := r.TagsWithWarnings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []facts.Tag{
		{Name: "a-same-date", Commit: c1, Date: at(0)},
		{Name: "b-same-date", Commit: c1, Date: at(0)},
		{Name: "old", Commit: c1, Date: at(0)},
		{Name: "z-annotated", Commit: c2, Date: at(2)},
	}
	if !tagsEqual(tags, want) {
		t.Errorf("tags\n got %+v\nwant %+v", tags, want)
	}
	wantWarnings(t, warnings,
		"refs/tags/key: the tag points to a blob",
		"refs/tags/key-nested: the tag points to a blob")
}

func TestTagsShallow(t *testing.T) {
	f := newFixture(t)
	r := openDir(t, shallowClone(t, f.Repo))
	_, warnings, err := r.TagsWithWarnings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The clone brings the tags of what it fetched: the blob's among them.
	wantWarnings(t, warnings, "refs/tags/blob-tag: the tag points to a blob",
		"refs/tags: the tags of commits outside the fetched history are missing; "+ShallowHint)
}

func tagsEqual(a, b []facts.Tag) bool {
	return slices.EqualFunc(a, b, func(x, y facts.Tag) bool {
		return x.Name == y.Name && x.Commit == y.Commit && x.Date.Equal(y.Date)
	})
}

// wantWarnings checks that the warnings are exactly those starting with the
// prefixes, in order.
func wantWarnings(t *testing.T, got []input.Warning, prefixes ...string) {
	t.Helper()
	if len(got) != len(prefixes) {
		t.Errorf("%d warnings %q, want %d", len(got), got, len(prefixes))
		return
	}
	for i, w := range got {
		if !strings.HasPrefix(w.String(), prefixes[i]) {
			t.Errorf("warning %q, want it to start with %q", w, prefixes[i])
		}
	}
}

func TestParseTagRefs(t *testing.T) {
	a, b := strings.Repeat("a", 40), strings.Repeat("b", 40)
	line := func(f ...string) string { return strings.Join(f, "\x00") + "\n" }
	tests := []struct {
		name    string
		in      string
		want    []tagRef
		wantErr string
	}{
		{name: "empty"},
		{name: "lightweight and annotated",
			in: line("refs/tags/v1", "commit", a, "", "", "", "", "2024-01-01T00:00:00Z") +
				line("refs/tags/v2", "tag", b, "commit", a, "2024-01-02T00:00:00+02:00", "2024-01-01T00:00:00Z", ""),
			want: []tagRef{
				{ref: "refs/tags/v1", typ: "commit", oid: a, cmDate: "2024-01-01T00:00:00Z"},
				{ref: "refs/tags/v2", typ: "tag", oid: b, targetTyp: "commit", target: a,
					taggerDate: "2024-01-02T00:00:00+02:00", targetDate: "2024-01-01T00:00:00Z"},
			}},
		{name: "too few fields", in: line("refs/tags/v1", "commit", a), wantErr: "3 fields, expected 8"},
		{name: "not a tag", in: line("refs/heads/main", "commit", a, "", "", "", "", ""), wantErr: "is not a tag"},
		{name: "no name", in: line("refs/tags/", "commit", a, "", "", "", "", ""), wantErr: "is not a tag"},
		{name: "bad object", in: line("refs/tags/v1", "commit", "xyz", "", "", "", "", ""), wantErr: "bad object fields"},
		{name: "target without type", in: line("refs/tags/v1", "tag", a, "", b, "", "", ""), wantErr: "bad object fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []tagRef
			err := parseTagRefs(strings.NewReader(tt.in), func(r tagRef) error {
				got = append(got, r)
				return nil
			})
			if tt.wantErr != "" {
				wantErr(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestResolveTags(t *testing.T) {
	a, b, c := strings.Repeat("a", 40), strings.Repeat("b", 40), strings.Repeat("c", 40)
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	refs := []tagRef{
		{ref: "refs/tags/light", typ: "commit", oid: a, cmDate: "2024-01-01T00:00:00Z"},
		{ref: "refs/tags/ann", typ: "tag", oid: b, targetTyp: "commit", target: a, taggerDate: "2024-01-02T00:00:00Z", targetDate: "2024-01-01T00:00:00Z"},
		{ref: "refs/tags/no-tagger", typ: "tag", oid: b, targetTyp: "commit", target: a, targetDate: "2024-01-01T00:00:00Z"},
		{ref: "refs/tags/bad-date", typ: "tag", oid: b, targetTyp: "commit", target: a, taggerDate: "soon"},
		{ref: "refs/tags/nested", typ: "tag", oid: c, targetTyp: "tag", target: b, taggerDate: "2024-01-03T00:00:00Z"},
		{ref: "refs/tags/nested-missing", typ: "tag", oid: a, targetTyp: "tag", target: b, taggerDate: "2024-01-03T00:00:00Z"},
		{ref: "refs/tags/tree", typ: "tree", oid: c},
		{ref: "refs/tags/gone", typ: "tag", oid: c},
	}
	peeled := map[string]object{c: {oid: a, typ: "commit"}}
	tags, warnings, undated := resolveTags(refs, peeled)
	want := []facts.Tag{
		{Name: "light", Commit: a, Date: day(1)},
		{Name: "ann", Commit: a, Date: day(2)},
		{Name: "no-tagger", Commit: a, Date: day(1)},
		{Name: "bad-date", Commit: a}, // dated from its commit later
		{Name: "nested", Commit: a, Date: day(3)},
	}
	if !tagsEqual(tags, want) {
		t.Errorf("tags\n got %+v\nwant %+v", tags, want)
	}
	if !slices.Equal(undated, []int{3}) {
		t.Errorf("undated %v, want [3] (bad-date)", undated)
	}
	wantWarnings(t, warnings,
		`refs/tags/bad-date: the tag's date "soon" cannot be read`,
		"refs/tags/nested-missing: the tag points to a missing object",
		"refs/tags/tree: the tag points to a tree",
		"refs/tags/gone: the tag points to a missing object")
}

package ingest

import (
	"errors"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/input"
)

func linkTree(files map[string]string, links map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for p, c := range files {
		m[p] = &fstest.MapFile{Data: []byte(c)}
	}
	for p, t := range links {
		m[p] = &fstest.MapFile{Data: []byte(t), Mode: fs.ModeSymlink}
	}
	return m
}

// Links in a glob's reach follow input.FollowLinks' rule: followed inside
// the repository, an error naming the link otherwise; never dropped.
func TestGlobLinks(t *testing.T) {
	files := map[string]string{
		"docs/req/a.yml":       "a",
		"other/b.yml":          "b",
		"shared/req/c.yml":     "c",
		"shared/req/sub/d.yml": "d",
		"docs/req/sub/e.yml":   "e",
		"src/x_test.go":        "x",
	}
	for _, tt := range []struct {
		name    string
		links   map[string]string
		pattern string
		want    []string
		err     error
	}{
		{"a link to a file inside", map[string]string{"docs/req/b.yml": "../../other/b.yml"}, "docs/req/**/*.yml",
			[]string{"docs/req/a.yml", "docs/req/b.yml", "docs/req/sub/e.yml"}, nil},
		{"a link to a directory outside the walk", map[string]string{"docs/req/shared": "../../shared/req"}, "docs/req/**/*.yml",
			[]string{"docs/req/a.yml", "docs/req/shared/c.yml", "docs/req/shared/sub/d.yml", "docs/req/sub/e.yml"}, nil},
		{"the walk's start is a link", map[string]string{"docs/shared": "../shared/req"}, "docs/shared/*.yml",
			[]string{"docs/shared/c.yml"}, nil},
		{"a link to a directory inside the walk gives its files once, under their names", map[string]string{"docs/req/alias": "sub"}, "docs/**/*.yml",
			[]string{"docs/req/a.yml", "docs/req/sub/e.yml"}, nil},
		{"two names of one file give it once", map[string]string{"docs/req/a2.yml": "a.yml", "docs/req/a3.yml": "a2.yml"}, "docs/req/*.yml",
			[]string{"docs/req/a.yml"}, nil},
		{"two links to one file outside give it once", map[string]string{"docs/req/b1.yml": "../../other/b.yml", "docs/req/b2.yml": "../../other/b.yml"}, "docs/req/*.yml",
			[]string{"docs/req/a.yml", "docs/req/b1.yml"}, nil},
		{"directories that link to each other end", map[string]string{"docs/req/to-shared": "../../shared", "shared/req/back": "../../docs"}, "docs/req/**/*.yml",
			[]string{"docs/req/a.yml", "docs/req/sub/e.yml", "docs/req/to-shared/req/c.yml", "docs/req/to-shared/req/sub/d.yml"}, nil},
		{"a link to the top", map[string]string{"docs/req/top": "../.."}, "docs/req/**/b.yml",
			[]string{"docs/req/top/other/b.yml"}, nil},
		{"a file link leaving the repository", map[string]string{"docs/req/x.yml": "../../../etc/passwd"}, "docs/req/*.yml", nil, input.ErrLinkOutside},
		{"an absolute file link", map[string]string{"docs/req/x.yml": "/etc/passwd"}, "docs/req/*.yml", nil, input.ErrLinkOutside},
		{"a directory link leaving the repository", map[string]string{"docs/req/etc": "../../../etc"}, "docs/req/**/*.yml", nil, input.ErrLinkOutside},
		{"the walk's start leaving the repository", map[string]string{"docs/req": "/etc"}, "docs/req/*.yml", nil, input.ErrLinkOutside},
		{"a loop", map[string]string{"docs/req/x.yml": "y.yml", "docs/req/y.yml": "x.yml"}, "docs/req/*.yml", nil, input.ErrLinkLoop},
		{"a link to nothing", map[string]string{"docs/req/x.yml": "gone.yml"}, "docs/req/*.yml", nil, input.ErrLinkNowhere},
		{"links the pattern cannot concern are not looked at", map[string]string{"docs/req/x.txt": "/etc/passwd", "docs/out": "/etc", "docs/req/gone": "nothing", "src/node_modules": "/usr/lib"},
			"docs/req/*.yml", []string{"docs/req/a.yml"}, nil},
		{"a directory the pattern cannot reach below", map[string]string{"docs/req/deep": "/etc"}, "docs/req/*.yml", []string{"docs/req/a.yml"}, nil},
		{"a pattern from the top leaves links it does not match alone", map[string]string{".venv/bin/python": "/usr/bin/python3", "build": "/tmp/build", "loop": "loop"}, "**/*.yml",
			[]string{"docs/req/a.yml", "docs/req/sub/e.yml", "other/b.yml", "shared/req/c.yml", "shared/req/sub/d.yml"}, nil},
		{"a pattern from the top still refuses a link it matches", map[string]string{"x.yml": "/etc/passwd"}, "**/*.yml", nil, input.ErrLinkOutside},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := input.FollowLinks(linkTree(files, tt.links))
			got, irregular, err := GlobAll(fsys, tt.pattern, nil)
			if tt.err != nil {
				var le *input.LinkError
				if !errors.Is(err, tt.err) || !errors.As(err, &le) || tt.links[le.Link] == "" && le.Link != "docs/req" {
					t.Fatalf("GlobAll = %q, %v; want %v naming a link", got, err, tt.err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) || len(irregular) != 0 {
				t.Errorf("GlobAll = %q (irregular %q), %v\nwant %q", got, irregular, err, tt.want)
			}
		})
	}

	// Where links are not followed (a raw tree), a matched link is irregular:
	// the caller says it was not read.
	raw := linkTree(files, map[string]string{"docs/req/b.yml": "../../other/b.yml"})
	var plain fs.FS = rawTree{raw}
	got, irregular, err := GlobAll(plain, "docs/req/*.yml", nil)
	if err != nil || !slices.Equal(got, []string{"docs/req/a.yml"}) || !slices.Equal(irregular, []string{"docs/req/b.yml"}) {
		t.Errorf("raw tree: %q, %q, %v", got, irregular, err)
	}
}

// rawTree is a tree whose Stat describes a link itself, as git trees do.
type rawTree struct{ m fstest.MapFS }

func (r rawTree) Open(name string) (fs.File, error)          { return r.m.Open(name) }
func (r rawTree) ReadDir(name string) ([]fs.DirEntry, error) { return r.m.ReadDir(name) }
func (r rawTree) Stat(name string) (fs.FileInfo, error)      { return r.m.Lstat(name) }

func TestMayMatchBelow(t *testing.T) {
	for _, tt := range []struct {
		pattern, dir string
		want         bool
	}{
		{"docs/req/*.yml", "docs/req", true},
		{"docs/req/*.yml", "docs/req/sub", false},
		{"docs/req/*.yml", "docs/other", false},
		{"docs/**/*.yml", "docs/a/b/c", true},
		{"**/*_test.go", "node_modules/x", true},
		{"docs/*/x.yml", "docs/anything", true},
		{"docs/*/x.yml", "docs/anything/more", false},
		{"docs/{a,b}/x.yml", "docs/b", true},
		{"docs/{a,b}/x.yml", "docs/c", false},
		{"{docs/a,other}/x.yml", "elsewhere", true},
	} {
		if got := mayMatchBelow(tt.pattern, tt.dir); got != tt.want {
			t.Errorf("mayMatchBelow(%q, %q) = %v", tt.pattern, tt.dir, got)
		}
	}
}

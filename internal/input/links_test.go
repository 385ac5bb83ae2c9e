package input

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// linkCases are a repository's files and links; the same cases run over an
// in-memory tree (as a git tree is) and over a directory on disk.
var linkFiles = map[string]string{
	"docs/a.yml":       "a",
	"other/b.yml":      "b",
	"other/sub/c.yml":  "c",
	"top.yml":          "top",
	"deep/er/d.yml":    "d",
	"outside-sibling":  "", // a directory beside the repository, on disk
	"docs/placeholder": "",
}

var linkLinks = map[string]string{
	"docs/b.yml":          "../other/b.yml",   // a file inside
	"docs/other":          "../other",         // a directory inside
	"docs/chain.yml":      "b.yml",            // a link to a link
	"docs/viadir.yml":     "other/sub/c.yml",  // through a linked directory
	"docs/up.yml":         "../top.yml",       // up to the top, not beyond
	"docs/dot.yml":        "./../docs/a.yml",  // not clean, still inside
	"docs/abs.yml":        "/etc/passwd",      // absolute
	"docs/escape.yml":     "../../etc/passwd", // more .. than directories
	"docs/escdir":         "../..",            // a directory outside
	"docs/loop1.yml":      "loop2.yml",
	"docs/loop2.yml":      "loop1.yml",
	"docs/dangling.yml":   "nothing.yml",
	"deep/er/up":          "../../other",
	"docs/empty-target":   "",
	"docs/win.yml":        `..\other\b.yml`, // a link made on Windows
	"docs/self":           ".",
	"docs/selfloop/x.yml": "",
}

func memTree() fstest.MapFS {
	m := fstest.MapFS{}
	for p, c := range linkFiles {
		if c != "" {
			m[p] = &fstest.MapFile{Data: []byte(c)}
		}
	}
	for p, t := range linkLinks {
		if t != "" {
			m[p] = &fstest.MapFile{Data: []byte(t), Mode: fs.ModeSymlink}
		}
	}
	return m
}

func diskTree(t *testing.T) fs.FS {
	top := filepath.Join(t.TempDir(), "repo")
	for p, c := range linkFiles {
		if c == "" {
			continue
		}
		full := filepath.Join(top, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for p, target := range linkLinks {
		if target == "" || strings.Contains(target, `\`) {
			continue // no such link on Unix
		}
		full := filepath.Join(top, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, full); err != nil {
			t.Fatal(err)
		}
	}
	// A file beside the repository that an escaping link would reach.
	if err := os.WriteFile(filepath.Join(filepath.Dir(top), "secret"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../secret", filepath.Join(top, "docs/secret.yml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(top, "top.yml"), filepath.Join(top, "docs/abs-inside.yml")); err != nil {
		t.Fatal(err)
	}
	fsys, closeFS, err := OpenDir(top)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeFS() })
	return fsys
}

func TestFollowLinks(t *testing.T) {
	for name, fsys := range map[string]func(t *testing.T) fs.FS{
		"tree":    func(*testing.T) fs.FS { return FollowLinks(memTree()) },
		"on disk": diskTree,
	} {
		t.Run(name, func(t *testing.T) {
			fsys := fsys(t)
			read := map[string]string{
				"docs/a.yml":            "a",
				"docs/b.yml":            "b",
				"docs/chain.yml":        "b",
				"docs/other/b.yml":      "b",
				"docs/other/sub/c.yml":  "c",
				"docs/viadir.yml":       "c",
				"docs/up.yml":           "top",
				"docs/dot.yml":          "a",
				"deep/er/up/sub/c.yml":  "c",
				"docs/self/self/a.yml":  "a",
				"docs/other/../top.yml": "", // not a valid fs.FS name
			}
			if name == "tree" {
				read["docs/win.yml"] = "b"
			}
			for p, want := range read {
				data, err := fs.ReadFile(fsys, p)
				if want == "" {
					if !errors.Is(err, fs.ErrInvalid) {
						t.Errorf("%s: %q, %v; want an invalid name", p, data, err)
					}
					continue
				}
				if err != nil || string(data) != want {
					t.Errorf("ReadFile(%s) = %q, %v; want %q", p, data, err, want)
				}
				if st, err := fs.Stat(fsys, p); err != nil || !st.Mode().IsRegular() {
					t.Errorf("Stat(%s) = %v, %v", p, st, err)
				}
			}
			refused := map[string]error{
				"docs/abs.yml":        ErrLinkOutside,
				"docs/escape.yml":     ErrLinkOutside,
				"docs/escdir/x":       ErrLinkOutside,
				"docs/loop1.yml":      ErrLinkLoop,
				"docs/selfloop/x.yml": fs.ErrNotExist,
				"docs/dangling.yml":   fs.ErrNotExist,
			}
			if name == "on disk" {
				refused["docs/secret.yml"] = ErrLinkOutside
				// Absolute, even when it names a file of the repository: the
				// same link would leave a clone made elsewhere.
				refused["docs/abs-inside.yml"] = ErrLinkOutside
			}
			for p, want := range refused {
				_, err := fs.ReadFile(fsys, p)
				if !errors.Is(err, want) {
					t.Errorf("ReadFile(%s): %v, want %v", p, err, want)
					continue
				}
				var pe *fs.PathError
				if !errors.As(err, &pe) || pe.Path != p {
					t.Errorf("ReadFile(%s): the error names %v, not the file asked for", p, err)
				}
				if f, err := fsys.Open(p); !errors.Is(err, want) {
					t.Errorf("Open(%s): %v, %v; want %v", p, f, err, want)
				}
			}
			var le *LinkError
			if _, err := fs.ReadFile(fsys, "docs/escape.yml"); !errors.As(err, &le) || le.Link != "docs/escape.yml" || le.Target != "../../etc/passwd" ||
				!strings.Contains(err.Error(), "docs/escape.yml → ../../etc/passwd leaves the repository") {
				t.Errorf("the error does not name the link and its target: %v", err)
			}

			// Links are listed as links, and Lstat does not follow them.
			entries, err := fs.ReadDir(fsys, "docs")
			if err != nil {
				t.Fatal(err)
			}
			types := map[string]fs.FileMode{}
			for _, e := range entries {
				types[e.Name()] = e.Type()
			}
			if types["b.yml"]&fs.ModeSymlink == 0 || types["a.yml"] != 0 {
				t.Errorf("ReadDir(docs) types %v", types)
			}
			if st, err := fs.Lstat(fsys, "docs/other/sub"); err != nil || !st.IsDir() {
				t.Errorf("Lstat through a linked directory: %v, %v", st, err)
			}
			if st, err := fs.Lstat(fsys, "docs/b.yml"); err != nil || st.Mode()&fs.ModeSymlink == 0 {
				t.Errorf("Lstat(docs/b.yml) = %v, %v", st, err)
			}
			if target, err := fs.ReadLink(fsys, "docs/other/../b.yml"); err == nil {
				t.Errorf("ReadLink of an invalid name: %q", target)
			}
			if err := fs.WalkDir(fsys, "docs/other", func(string, fs.DirEntry, error) error { return nil }); err != nil {
				t.Errorf("walking a linked directory: %v", err)
			}
		})
	}
}

// A file system without links is used as it is.
func TestFollowLinksPlain(t *testing.T) {
	var plain fs.FS = plainFS{}
	if FollowLinks(plain) != plain {
		t.Error("a file system without ReadLink was wrapped")
	}
	once := FollowLinks(fstest.MapFS{})
	if FollowLinks(once) != once {
		t.Error("FollowLinks wrapped its own result again")
	}
}

type plainFS struct{}

func (plainFS) Open(name string) (fs.File, error) { return nil, fs.ErrNotExist }

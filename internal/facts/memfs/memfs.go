// Package memfs is a read-only file system held in memory: the files of a
// commit as GitHub's archive and tree listing give them, or the files of a
// CI artifact. It behaves as the local git tree does (gitrepo.Tree): a
// symbolic link is listed as a link, Stat and Lstat describe the link
// itself, ReadLink returns its target, and Open fails with ErrSymlink; a
// submodule is listed as irregular and Open fails with ErrSubmodule. A
// missing file's error matches both fs.ErrNotExist and facts.ErrNotFound.
//
// Contents are either held (File.Data) or loaded on first read by the FS's
// Loader, once, whatever the number of goroutines reading: the FS is safe
// for concurrent use.
package memfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tracegate/tracegate/internal/facts"
)

// Entries a tree lists but does not open.
var (
	ErrSymlink   = errors.New("symbolic link in a git tree; tracegate does not follow links")
	ErrSubmodule = errors.New("git submodule; its files belong to another repository")
)

// File is a file, directory, link or submodule.
type File struct {
	Path string // slash-separated, from the top
	// Mode is a regular file's permissions, fs.ModeDir, fs.ModeSymlink or
	// fs.ModeIrregular (a submodule).
	Mode fs.FileMode
	Size int64
	// Data is the content (a link's target); nil for a file whose content
	// the Loader reads.
	Data []byte
	// Sys is what FileInfo.Sys returns (the git object ID, say).
	Sys any
}

// Loader reads the content of a file that came without Data.
type Loader func(f *File) ([]byte, error)

// FS is a tree of Files.
type FS struct {
	root  *node
	nodes map[string]*node
	load  Loader
}

type node struct {
	File
	name     string
	children []*node

	once sync.Once
	data []byte
	err  error
}

func (n *node) Name() string               { return n.name }
func (n *node) Size() int64                { return n.File.Size }
func (n *node) Mode() fs.FileMode          { return n.File.Mode }
func (n *node) ModTime() time.Time         { return time.Time{} }
func (n *node) IsDir() bool                { return n.File.Mode.IsDir() }
func (n *node) Sys() any                   { return n.File.Sys }
func (n *node) Type() fs.FileMode          { return n.File.Mode.Type() }
func (n *node) Info() (fs.FileInfo, error) { return n, nil }
func (n *node) String() string             { return fs.FormatFileInfo(n) }

// New builds the tree of files. Directories that hold listed files need
// not be listed; a path listed twice, an unusable path ("", ".", ".."
// elements) or a file below a non-directory is an error. load may be nil
// when every file has its Data.
func New(files []File, load Loader) (*FS, error) {
	t := &FS{root: &node{File: File{Path: ".", Mode: fs.ModeDir | 0o755}, name: "."}, nodes: make(map[string]*node, len(files)), load: load}
	for _, f := range files {
		if f.Path == "." || !ValidPath(f.Path) {
			return nil, fmt.Errorf("entry %q cannot be a file path", f.Path)
		}
		if old, dup := t.nodes[f.Path]; dup {
			if old.IsDir() && f.Mode.IsDir() {
				continue
			}
			return nil, fmt.Errorf("entry %q is listed twice", f.Path)
		}
		if f.Mode.IsDir() {
			f.Mode = fs.ModeDir | 0o755
		}
		t.nodes[f.Path] = &node{File: f, name: path.Base(f.Path)}
	}
	// Directories implied by their files.
	for p := range t.nodes {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if _, ok := t.nodes[d]; ok {
				break
			}
			t.nodes[d] = &node{File: File{Path: d, Mode: fs.ModeDir | 0o755}, name: path.Base(d)}
		}
	}
	for p, n := range t.nodes {
		parent := t.root
		if d := path.Dir(p); d != "." {
			parent = t.nodes[d]
			if !parent.IsDir() {
				return nil, fmt.Errorf("entry %q is inside %q, which is not a directory", p, d)
			}
		}
		parent.children = append(parent.children, n)
	}
	for _, n := range t.nodes {
		sortChildren(n)
	}
	sortChildren(t.root)
	return t, nil
}

func sortChildren(n *node) {
	slices.SortFunc(n.children, func(a, b *node) int { return strings.Compare(a.name, b.name) })
}

// ValidPath is fs.ValidPath without its UTF-8 rule: git stores names as
// bytes, and a Latin-1 name committed on Linux must still be readable.
func ValidPath(name string) bool {
	if name == "." {
		return true
	}
	for _, elem := range strings.Split(name, "/") {
		if elem == "" || elem == "." || elem == ".." {
			return false
		}
	}
	return true
}

// Files returns the tree's files, directories included, by path.
func (t *FS) Files() []*File {
	out := make([]*File, 0, len(t.nodes))
	for _, n := range t.nodes {
		out = append(out, &n.File)
	}
	slices.SortFunc(out, func(a, b *File) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// ErrNotExist is the error of a missing file: fs's and facts' at once.
var ErrNotExist error = notExist{}

type notExist struct{}

func (notExist) Error() string        { return "file does not exist" }
func (notExist) Is(target error) bool { return target == fs.ErrNotExist || target == facts.ErrNotFound }

var (
	errIsDir  = errors.New("is a directory")
	errNotDir = errors.New("not a directory")
)

func (t *FS) lookup(op, name string) (*node, error) {
	if !ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return t.root, nil
	}
	if n := t.nodes[name]; n != nil {
		return n, nil
	}
	return nil, &fs.PathError{Op: op, Path: name, Err: ErrNotExist}
}

// unreadable is why a node has no content to read, or nil.
func unreadable(op, name string, n *node) error {
	switch {
	case n.IsDir():
		return &fs.PathError{Op: op, Path: name, Err: errIsDir}
	case n.File.Mode&fs.ModeSymlink != 0:
		return &fs.PathError{Op: op, Path: name, Err: ErrSymlink}
	case n.File.Mode&fs.ModeIrregular != 0:
		return &fs.PathError{Op: op, Path: name, Err: ErrSubmodule}
	}
	return nil
}

// content is a file's bytes, loaded once.
func (t *FS) content(op, name string, n *node) ([]byte, error) {
	if n.File.Data != nil {
		return n.File.Data, nil
	}
	n.once.Do(func() {
		if t.load == nil {
			n.err = errors.New("no content and no loader")
			return
		}
		n.data, n.err = t.load(&n.File)
		if n.err == nil && int64(len(n.data)) != n.File.Size {
			n.err = fmt.Errorf("read %d bytes, the listing says %d", len(n.data), n.File.Size)
		}
	})
	if n.err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: n.err}
	}
	return n.data, nil
}

// Open implements fs.FS.
func (t *FS) Open(name string) (fs.File, error) {
	n, err := t.lookup("open", name)
	if err != nil {
		return nil, err
	}
	if n.IsDir() {
		return &dirFile{n: n}, nil
	}
	if err := unreadable("open", name, n); err != nil {
		return nil, err
	}
	data, err := t.content("open", name, n)
	if err != nil {
		return nil, err
	}
	return &file{n: n, data: data}, nil
}

// ReadFile implements fs.ReadFileFS. The slice is the caller's.
func (t *FS) ReadFile(name string) ([]byte, error) {
	n, err := t.lookup("read", name)
	if err != nil {
		return nil, err
	}
	if err := unreadable("read", name, n); err != nil {
		return nil, err
	}
	data, err := t.content("read", name, n)
	if err != nil {
		return nil, err
	}
	return slices.Clone(data), nil
}

// Stat implements fs.StatFS; links are not followed.
func (t *FS) Stat(name string) (fs.FileInfo, error) {
	n, err := t.lookup("stat", name)
	if err != nil {
		return nil, err
	}
	return n, nil
}

// Lstat implements fs.ReadLinkFS.
func (t *FS) Lstat(name string) (fs.FileInfo, error) {
	n, err := t.lookup("lstat", name)
	if err != nil {
		return nil, err
	}
	return n, nil
}

// ReadLink implements fs.ReadLinkFS.
func (t *FS) ReadLink(name string) (string, error) {
	n, err := t.lookup("readlink", name)
	if err != nil {
		return "", err
	}
	if n.File.Mode&fs.ModeSymlink == 0 {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	data, err := t.content("readlink", name, n)
	if err != nil {
		return "", err
	}
	return string(data), nil
}

// ReadDir implements fs.ReadDirFS.
func (t *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	n, err := t.lookup("readdir", name)
	if err != nil {
		return nil, err
	}
	if !n.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errNotDir}
	}
	out := make([]fs.DirEntry, len(n.children))
	for i, c := range n.children {
		out[i] = c
	}
	return out, nil
}

type file struct {
	n    *node
	data []byte
	off  int
}

func (f *file) Stat() (fs.FileInfo, error) { return f.n, nil }
func (f *file) Close() error               { return nil }
func (f *file) Read(p []byte) (int, error) {
	if f.off >= len(f.data) {
		return 0, io.EOF
	}
	n := copy(p, f.data[f.off:])
	f.off += n
	return n, nil
}

type dirFile struct {
	n   *node
	off int
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.n, nil }
func (d *dirFile) Close() error               { return nil }
func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.n.File.Path, Err: errIsDir}
}

func (d *dirFile) ReadDir(count int) ([]fs.DirEntry, error) {
	rest := d.n.children[d.off:]
	if count > 0 && len(rest) == 0 {
		return nil, io.EOF
	}
	if count > 0 && count < len(rest) {
		rest = rest[:count]
	}
	d.off += len(rest)
	out := make([]fs.DirEntry, len(rest))
	for i, c := range rest {
		out[i] = c
	}
	return out, nil
}

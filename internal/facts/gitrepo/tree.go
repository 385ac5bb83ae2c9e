package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/facts/memfs"
)

// Entries a Tree lists but does not open. Open, ReadFile and ReadDir return
// them inside an *fs.PathError.
var (
	ErrSymlink   = memfs.ErrSymlink
	ErrSubmodule = memfs.ErrSubmodule
)

// Entry is git's view of a file of a Tree: what its FileInfo's Sys returns.
type Entry struct {
	Path string // slash-separated from the top of the repository; "." for the root
	// Mode is git's mode: 0o100644 or 0o100755 (file), 0o120000 (symbolic
	// link), 0o160000 (submodule), 0o040000 (directory).
	Mode   uint32
	Object string // blob, tree or (submodule) commit ID; "" for the root
	Size   int64  // bytes of a file or of a link's target; 0 otherwise
}

// streamMin is the size from which a file is streamed by a git process of
// its own instead of being read whole through the shared cat-file process,
// which it would hold for as long as the copy takes.
const streamMin = 1 << 20

// Tree returns the files of the commit ref names. Listing happens here, in
// one git ls-tree; contents are read when a file is first read, through the
// Repo's one git cat-file process, so Stat (with git's sizes) and directory
// listings cost nothing more. The result implements fs.ReadDirFS,
// fs.StatFS, fs.ReadFileFS and fs.ReadLinkFS and is safe for concurrent use.
//
// Links are never followed. A symbolic link is listed with type
// fs.ModeSymlink; Stat and Lstat describe the link itself, ReadLink returns
// its target, and Open or ReadFile fail with ErrSymlink. A submodule is
// listed with type fs.ModeIrregular; Open fails with ErrSubmodule. Sys of
// every FileInfo is an Entry. Modification times are zero: git keeps none
// per file.
//
// Names are any bytes git stores, so Open also accepts names that are not
// valid UTF-8 (which fs.ValidPath rejects); every other rule of
// fs.ValidPath applies. A missing file's error matches both fs.ErrNotExist
// and facts.ErrNotFound. Reads fail once ctx is done or the Repo is closed.
func (r *Repo) Tree(ctx context.Context, ref string) (fs.FS, error) {
	commit, err := r.Resolve(ctx, ref)
	if err != nil {
		return nil, err
	}
	var entries []lsEntry
	err = r.run.stream(ctx, lsTreeArgs(commit), func(rd io.Reader) error {
		return parseLsTree(rd, func(e lsEntry) error {
			entries = append(entries, e)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	t, err := buildTree(entries)
	if err != nil {
		return nil, fmt.Errorf("git tree of %s (%s): %w", ref, commit, err)
	}
	t.repo, t.ctx = r, ctx
	return t, nil
}

// treeFS is the fs.FS of a commit. Its nodes never change once built.
type treeFS struct {
	repo  *Repo
	ctx   context.Context
	root  *node
	nodes map[string]*node // by path; the root is not in it
}

// node is a file or directory; it is its own fs.FileInfo and fs.DirEntry.
type node struct {
	name     string
	entry    Entry
	mode     fs.FileMode
	children []*node // of a directory, sorted by name
}

func (n *node) Name() string               { return n.name }
func (n *node) Size() int64                { return n.entry.Size }
func (n *node) Mode() fs.FileMode          { return n.mode }
func (n *node) ModTime() time.Time         { return time.Time{} }
func (n *node) IsDir() bool                { return n.mode.IsDir() }
func (n *node) Sys() any                   { return n.entry }
func (n *node) Type() fs.FileMode          { return n.mode.Type() }
func (n *node) Info() (fs.FileInfo, error) { return n, nil }
func (n *node) String() string             { return fs.FormatFileInfo(n) }

const (
	gitDir       = 0o040000
	gitSymlink   = 0o120000
	gitSubmodule = 0o160000
	gitFileType  = 0o100000 // 100644, 100755 and the 100664 of early git
)

// buildTree links a listing into directories. Git cannot check out a tree
// with an unusable path (".", "..", empty, duplicates), so such a tree is
// an error rather than something to read around.
func buildTree(entries []lsEntry) (*treeFS, error) {
	t := &treeFS{
		root:  &node{name: ".", entry: Entry{Path: ".", Mode: gitDir}, mode: fs.ModeDir | 0o755},
		nodes: make(map[string]*node, len(entries)),
	}
	for _, e := range entries {
		if e.path == "." || !memfs.ValidPath(e.path) {
			return nil, fmt.Errorf("entry %q cannot be a file path", e.path)
		}
		if _, dup := t.nodes[e.path]; dup {
			return nil, fmt.Errorf("entry %q is listed twice", e.path)
		}
		n := &node{name: path.Base(e.path), entry: Entry{Path: e.path, Mode: e.mode, Object: e.oid}}
		switch {
		case e.typ == "tree" && e.mode == gitDir:
			n.mode = fs.ModeDir | 0o755
		case e.typ == "blob" && e.mode == gitSymlink:
			n.mode, n.entry.Size = fs.ModeSymlink|0o777, e.size
		case e.typ == "blob" && e.mode&^0o777 == gitFileType:
			n.mode, n.entry.Size = fs.FileMode(e.mode&0o777), e.size
		case e.typ == "commit" && e.mode == gitSubmodule:
			n.mode = fs.ModeIrregular
		default:
			return nil, fmt.Errorf("entry %q has mode %06o, which does not fit a %s", e.path, e.mode, e.typ)
		}
		t.nodes[e.path] = n
	}
	// Link in a second pass, so that the order of the listing does not matter.
	for p, n := range t.nodes {
		parent := t.root
		if dir := path.Dir(p); dir != "." {
			parent = t.nodes[dir]
			if parent == nil || !parent.IsDir() {
				return nil, fmt.Errorf("entry %q is not inside a listed directory", p)
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

var (
	errIsDir  = errors.New("is a directory")
	errNotDir = errors.New("not a directory")
)

func (t *treeFS) lookup(op, name string) (*node, error) {
	if !memfs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return t.root, nil
	}
	if n := t.nodes[name]; n != nil {
		return n, nil
	}
	return nil, &fs.PathError{Op: op, Path: name, Err: memfs.ErrNotExist}
}

// regular looks up a file whose content can be read.
func (t *treeFS) regular(op, name string) (*node, error) {
	n, err := t.lookup(op, name)
	if err != nil {
		return nil, err
	}
	if err := unreadable(op, name, n); err != nil {
		return nil, err
	}
	return n, nil
}

// unreadable is why a node has no content to read, or nil.
func unreadable(op, name string, n *node) error {
	switch {
	case n.IsDir():
		return &fs.PathError{Op: op, Path: name, Err: errIsDir}
	case n.mode&fs.ModeSymlink != 0:
		return &fs.PathError{Op: op, Path: name, Err: ErrSymlink}
	case n.mode&fs.ModeIrregular != 0:
		return &fs.PathError{Op: op, Path: name, Err: ErrSubmodule}
	}
	return nil
}

func (t *treeFS) Open(name string) (fs.File, error) {
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
	if n.entry.Size >= streamMin {
		return &streamFile{t: t, n: n}, nil
	}
	return &blobFile{t: t, n: n}, nil
}

func (t *treeFS) Stat(name string) (fs.FileInfo, error) {
	n, err := t.lookup("stat", name)
	if err != nil {
		return nil, err
	}
	return n, nil
}

// Lstat is Stat: links are never followed.
func (t *treeFS) Lstat(name string) (fs.FileInfo, error) {
	n, err := t.lookup("lstat", name)
	if err != nil {
		return nil, err
	}
	return n, nil
}

func (t *treeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	n, err := t.lookup("readdir", name)
	if err != nil {
		return nil, err
	}
	if !n.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errNotDir}
	}
	return dirEntries(n.children), nil
}

func (t *treeFS) ReadFile(name string) ([]byte, error) {
	n, err := t.regular("readfile", name)
	if err != nil {
		return nil, err
	}
	if n.entry.Size >= streamMin {
		f := &streamFile{t: t, n: n}
		defer f.Close()
		data, err := io.ReadAll(f)
		if err != nil {
			return nil, err
		}
		return data, nil
	}
	data, err := t.blob(n)
	if err != nil {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: err}
	}
	return data, nil
}

func (t *treeFS) ReadLink(name string) (string, error) {
	n, err := t.lookup("readlink", name)
	if err != nil {
		return "", err
	}
	if n.mode&fs.ModeSymlink == 0 {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	data, err := t.blob(n)
	if err != nil {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: err}
	}
	return string(data), nil
}

// blob reads a small blob whole through the shared cat-file process.
func (t *treeFS) blob(n *node) ([]byte, error) {
	data, err := t.repo.cat.read(t.ctx, n.entry.Object, "blob")
	if err != nil {
		return nil, err
	}
	if int64(len(data)) != n.entry.Size {
		return nil, fmt.Errorf("git object %s has %d bytes, its tree said %d", n.entry.Object, len(data), n.entry.Size)
	}
	return data, nil
}

func dirEntries(nodes []*node) []fs.DirEntry {
	out := make([]fs.DirEntry, len(nodes))
	for i, n := range nodes {
		out[i] = n
	}
	return out
}

// dirFile is an open directory.
type dirFile struct {
	n      *node
	off    int
	closed bool
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.n, nil }

func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.n.entry.Path, Err: errIsDir}
}

func (d *dirFile) Close() error {
	if d.closed {
		return &fs.PathError{Op: "close", Path: d.n.entry.Path, Err: fs.ErrClosed}
	}
	d.closed = true
	return nil
}

// ReadDir follows fs.ReadDirFile: count <= 0 returns the rest at once;
// otherwise at most count entries, and io.EOF at the end.
func (d *dirFile) ReadDir(count int) ([]fs.DirEntry, error) {
	if d.closed {
		return nil, &fs.PathError{Op: "readdir", Path: d.n.entry.Path, Err: fs.ErrClosed}
	}
	rest := d.n.children[d.off:]
	if count <= 0 {
		d.off = len(d.n.children)
		return dirEntries(rest), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	rest = rest[:min(count, len(rest))]
	d.off += len(rest)
	return dirEntries(rest), nil
}

// blobFile is an open file read whole on its first Read.
type blobFile struct {
	t      *treeFS
	n      *node
	r      *bytes.Reader
	closed bool
}

func (f *blobFile) Stat() (fs.FileInfo, error) { return f.n, nil }

func (f *blobFile) Read(p []byte) (int, error) {
	if f.closed {
		return 0, &fs.PathError{Op: "read", Path: f.n.entry.Path, Err: fs.ErrClosed}
	}
	if f.r == nil {
		data, err := f.t.blob(f.n)
		if err != nil {
			return 0, &fs.PathError{Op: "read", Path: f.n.entry.Path, Err: err}
		}
		f.r = bytes.NewReader(data)
	}
	return f.r.Read(p)
}

func (f *blobFile) Close() error {
	if f.closed {
		return &fs.PathError{Op: "close", Path: f.n.entry.Path, Err: fs.ErrClosed}
	}
	f.closed, f.r = true, nil
	return nil
}

// streamFile is an open large file, copied from a git cat-file blob process
// of its own that starts on the first Read.
type streamFile struct {
	t      *treeFS
	n      *node
	cmd    *exec.Cmd
	out    io.ReadCloser
	cancel context.CancelFunc
	read   int64
	err    error // sticky: the end of the stream, or what went wrong
	closed bool
}

func (f *streamFile) Stat() (fs.FileInfo, error) { return f.n, nil }

func (f *streamFile) start() error {
	if f.t.repo.closed.Err() != nil {
		return errClosed
	}
	ctx, cancel := context.WithCancel(f.t.ctx)
	stop := context.AfterFunc(f.t.repo.closed, cancel)
	f.cancel = func() { stop(); cancel() }
	args := []string{"cat-file", "blob", f.n.entry.Object}
	f.cmd = f.t.repo.run.command(ctx, args)
	stderr := &capBuffer{max: maxStderr}
	f.cmd.Stderr = stderr
	out, err := f.cmd.StdoutPipe()
	if err == nil {
		err = f.cmd.Start()
	}
	if err != nil {
		f.cancel()
		f.cmd = nil
		return f.t.repo.run.fail(ctx, args, stderr, err)
	}
	f.out = out
	return nil
}

func (f *streamFile) Read(p []byte) (int, error) {
	if f.closed {
		return 0, &fs.PathError{Op: "read", Path: f.n.entry.Path, Err: fs.ErrClosed}
	}
	if f.err != nil {
		return 0, f.err
	}
	if f.cmd == nil {
		if err := f.start(); err != nil {
			f.err = &fs.PathError{Op: "read", Path: f.n.entry.Path, Err: err}
			return 0, f.err
		}
	}
	n, err := f.out.Read(p)
	f.read += int64(n)
	if f.read > f.n.entry.Size {
		f.err = &fs.PathError{Op: "read", Path: f.n.entry.Path,
			Err: fmt.Errorf("git object %s is longer than the %d bytes its tree said", f.n.entry.Object, f.n.entry.Size)}
		return n, f.err
	}
	if err == io.EOF {
		f.err = f.finish()
		return n, f.err
	}
	if err != nil {
		f.err = &fs.PathError{Op: "read", Path: f.n.entry.Path, Err: err}
	}
	return n, f.err
}

// finish waits for git at the end of its output: io.EOF if the whole blob
// came and git succeeded.
func (f *streamFile) finish() error {
	werr := f.cmd.Wait()
	stderr := f.cmd.Stderr.(*capBuffer)
	f.cmd = nil
	f.cancel()
	if werr != nil {
		return &fs.PathError{Op: "read", Path: f.n.entry.Path,
			Err: &Error{Args: []string{"cat-file", "blob", f.n.entry.Object}, Stderr: strings.TrimSpace(stderr.String()), Err: werr}}
	}
	if f.read != f.n.entry.Size {
		return &fs.PathError{Op: "read", Path: f.n.entry.Path,
			Err: fmt.Errorf("git object %s has %d bytes, its tree said %d", f.n.entry.Object, f.read, f.n.entry.Size)}
	}
	return io.EOF
}

func (f *streamFile) Close() error {
	if f.closed {
		return &fs.PathError{Op: "close", Path: f.n.entry.Path, Err: fs.ErrClosed}
	}
	f.closed = true
	if f.cmd != nil {
		f.cancel()
		_ = f.cmd.Wait()
		f.cmd = nil
	}
	return nil
}

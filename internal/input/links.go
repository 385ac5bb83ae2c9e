package input

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
)

// Symbolic links in the repository follow one rule, in the work tree and
// in a commit's tree alike: a link that stays inside the repository is
// followed, as git checks it out and as a person reads it; a link that
// leaves it (an absolute target, or one with more ".." than it has
// directories above it), a loop and a link too long to be a path are
// errors that name the link. A policy file, a requirement or a SOUP
// register outside the repository is not part of the release, and the same
// repository must not read differently at a tag and in a checkout.
var (
	ErrLinkOutside = errors.New("leaves the repository: tracegate follows only links to files inside it")
	ErrLinkLoop    = errors.New("is a loop of symbolic links")
	ErrLinkLong    = errors.New("has a target too long to be a path")
	ErrLinkNowhere = errors.New("leads to no file")
)

// LinkError is a symbolic link that is not followed: the link's path in
// the file system, its target as written, and why (ErrLinkOutside,
// ErrLinkLoop, ErrLinkLong, ErrLinkNowhere).
type LinkError struct {
	Link, Target string
	Err          error
}

func (e *LinkError) Error() string {
	if e.Target == "" {
		return fmt.Sprintf("symbolic link %s %v", e.Link, e.Err)
	}
	return fmt.Sprintf("symbolic link %s → %s %v", e.Link, e.Target, e.Err)
}

func (e *LinkError) Unwrap() error { return e.Err }

// maxLinks bounds the links followed for one name, as the kernel's
// MAXSYMLINKS does (40 on Linux).
const maxLinks = 40

// maxTarget bounds a link's target: a git tree can hold a "link" of any
// size, and a path is never longer than PATH_MAX.
const maxTarget = 4096

// FollowLinks returns fsys with its symbolic links followed by the rule
// above: every name is resolved inside fsys before it is opened, so that
// the file system underneath never follows a link itself. fsys must
// implement fs.ReadLinkFS (os.Root's FS, a git tree, memfs), or it is
// returned as it is; so is a LinkResolver. ReadDir lists links as links;
// Stat and Open follow them; Lstat and ReadLink follow the links of the
// directories only.
func FollowLinks(fsys fs.FS) fs.FS {
	if _, done := fsys.(LinkResolver); done {
		return fsys
	}
	rl, ok := fsys.(fs.ReadLinkFS)
	if !ok {
		return fsys
	}
	return &linkFS{fsys: rl, dirs: map[string]string{}}
}

// OpenDir opens a directory of the disk as a file system that follows the
// links inside it only (FollowLinks over an os.Root, which also refuses,
// race-free, any path that would leave the directory). Close releases it.
func OpenDir(dir string) (fs.FS, func() error, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, err
	}
	return FollowLinks(root.FS()), root.Close, nil
}

type linkFS struct {
	fsys fs.ReadLinkFS

	mu   sync.Mutex
	dirs map[string]string // resolved names of directories, by name
}

// resolve returns the name of the file that name leads to, with every link
// on the way followed. A name that does not exist resolves as far as it
// does, so that the file system underneath reports it.
func (l *linkFS) resolve(op, name string) (string, error) {
	p, err := l.parentResolved(op, name)
	if err != nil || p == "." {
		return p, err
	}
	hops := 0
	return l.follow(op, name, p, &hops)
}

// resolveDir resolves the directory part of a name, from a cache: a walk
// resolves each directory once, not once per file.
func (l *linkFS) resolveDir(op, name, dir string) (string, error) {
	if dir == "." {
		return ".", nil
	}
	l.mu.Lock()
	r, ok := l.dirs[dir]
	l.mu.Unlock()
	if ok {
		return r, nil
	}
	parent, err := l.resolveDir(op, name, path.Dir(dir))
	if err != nil {
		return "", err
	}
	hops := 0
	r, err = l.follow(op, name, path.Join(parent, path.Base(dir)), &hops)
	if err != nil {
		return "", err
	}
	l.mu.Lock()
	l.dirs[dir] = r
	l.mu.Unlock()
	return r, nil
}

// follow resolves p, whose directory is already resolved: while p is a
// link, its target is joined to p's directory and resolved in turn. hops
// counts every link followed for one name, however nested, so that the
// work stays bounded whatever the links' shape.
func (l *linkFS) follow(op, name, p string, hops *int) (string, error) {
	for {
		st, err := l.fsys.Lstat(p)
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			return p, nil // not a link, or nothing there: the caller's open says so
		}
		if *hops++; *hops > maxLinks {
			return "", &fs.PathError{Op: op, Path: name, Err: &LinkError{Link: p, Err: ErrLinkLoop}}
		}
		if st.Size() > maxTarget {
			return "", &fs.PathError{Op: op, Path: name, Err: &LinkError{Link: p, Err: ErrLinkLong}}
		}
		target, err := l.fsys.ReadLink(p)
		if err != nil {
			return "", &fs.PathError{Op: op, Path: name, Err: err}
		}
		if len(target) > maxTarget {
			return "", &fs.PathError{Op: op, Path: name, Err: &LinkError{Link: p, Err: ErrLinkLong}}
		}
		t := strings.ReplaceAll(target, `\`, "/") // a link made on Windows
		joined := path.Join(path.Dir(p), t)
		if t == "" || path.IsAbs(t) || (len(t) > 1 && t[1] == ':') || joined == ".." || strings.HasPrefix(joined, "../") {
			return "", &fs.PathError{Op: op, Path: name, Err: &LinkError{Link: p, Target: target, Err: ErrLinkOutside}}
		}
		// The target's own directories may be links too.
		dir, err := l.resolveDirHops(op, name, path.Dir(joined), hops)
		if err != nil {
			return "", err
		}
		p = path.Join(dir, path.Base(joined))
	}
}

// resolveDirHops resolves a directory reached through a link, counting its
// links against the same bound.
func (l *linkFS) resolveDirHops(op, name, dir string, hops *int) (string, error) {
	if dir == "." {
		return ".", nil
	}
	parent, err := l.resolveDirHops(op, name, path.Dir(dir), hops)
	if err != nil {
		return "", err
	}
	return l.follow(op, name, path.Join(parent, path.Base(dir)), hops)
}

func (l *linkFS) Open(name string) (fs.File, error) {
	r, err := l.resolve("open", name)
	if err != nil {
		return nil, err
	}
	f, err := l.fsys.Open(r)
	return f, rename(err, name)
}

func (l *linkFS) Stat(name string) (fs.FileInfo, error) {
	r, err := l.resolve("stat", name)
	if err != nil {
		return nil, err
	}
	st, err := fs.Stat(l.fsys, r)
	return st, rename(err, name)
}

func (l *linkFS) ReadFile(name string) ([]byte, error) {
	r, err := l.resolve("readfile", name)
	if err != nil {
		return nil, err
	}
	data, err := fs.ReadFile(l.fsys, r)
	return data, rename(err, name)
}

func (l *linkFS) ReadDir(name string) ([]fs.DirEntry, error) {
	r, err := l.resolve("readdir", name)
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(l.fsys, r)
	return entries, rename(err, name)
}

// Lstat describes name itself, a link included; the directories on its
// way are followed.
func (l *linkFS) Lstat(name string) (fs.FileInfo, error) {
	p, err := l.parentResolved("lstat", name)
	if err != nil {
		return nil, err
	}
	st, err := l.fsys.Lstat(p)
	return st, rename(err, name)
}

func (l *linkFS) ReadLink(name string) (string, error) {
	p, err := l.parentResolved("readlink", name)
	if err != nil {
		return "", err
	}
	t, err := l.fsys.ReadLink(p)
	return t, rename(err, name)
}

// parentResolved is name with the links of its directories followed, and
// itself left as it is.
func (l *linkFS) parentResolved(op, name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return ".", nil
	}
	dir, err := l.resolveDir(op, name, path.Dir(name))
	if err != nil {
		return "", err
	}
	return path.Join(dir, path.Base(name)), nil
}

// rename makes an error of the file system underneath name the path that
// was asked for, not the one it resolved to.
func rename(err error, name string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path != name {
		return &fs.PathError{Op: pe.Op, Path: name, Err: pe.Err}
	}
	return err
}

// LinkResolver is a file system that follows links by the rule above:
// FollowLinks' result, or a wrapper of one that passes ResolveLinks on.
// ResolveLinks returns the name that name leads to once its links are
// followed: two names of one file resolve alike.
type LinkResolver interface {
	fs.FS
	ResolveLinks(name string) (string, error)
}

func (l *linkFS) ResolveLinks(name string) (string, error) { return l.resolve("resolve", name) }

// Package safefile writes the files tracegate writes — reports (-o), the
// evidence bundle, the SOUP register soup sync edits, the Action's result
// files — so that a write lands on the path named and nowhere else:
//
//   - each file is written to a temporary file in its own directory and
//     renamed into place, so that a reader never sees half a file and a
//     failed write leaves the earlier file as it was;
//   - a path that is a symbolic link (or anything but a regular file) is
//     refused, with an error naming it, rather than written through: a
//     link planted where a report goes (a pull request can commit one into
//     the work tree CI writes to) would otherwise make tracegate overwrite
//     the file it points to. The rename replaces a link made after the
//     check; it never follows one.
//
// Directories on the way are followed as the operating system follows
// them (a system's /tmp may be a link); CheckInside refuses links among the
// directories below a root whose content is not trusted.
package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrLink is the error of a write refused because its path is a link.
var ErrLink = errors.New("is a symbolic link: tracegate never writes through a link; remove it or write elsewhere")

// defaultPerm is the mode of a new file.
const defaultPerm = 0o644

// File is a file being written: its content goes to a temporary file
// until Commit renames it into place. Abort (or a failed Commit) removes
// the temporary file and leaves the path as it was.
type File struct {
	*os.File
	path string
	perm fs.FileMode
	done bool
}

// Create starts writing path. It fails at once when path is a link or not
// a regular file, so that nothing is rendered for a write that cannot
// happen.
func Create(path string) (*File, error) {
	perm, err := check(path)
	if err != nil {
		return nil, err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, err
	}
	return &File{File: tmp, path: path, perm: perm}, nil
}

// Commit puts the written content in place of path.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("%s: already committed or aborted", f.path)
	}
	f.done = true
	tmp := f.File.Name()
	err := f.File.Sync()
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, f.perm)
	}
	if err == nil {
		// Checked again: the path may have changed while the content was
		// rendered. The rename would replace a link made after this, never
		// follow it.
		_, err = check(f.path)
	}
	if err == nil {
		err = os.Rename(tmp, f.path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// Abort drops what was written; path is left as it was. It does nothing
// after Commit.
func (f *File) Abort() error {
	if f.done {
		return nil
	}
	f.done = true
	f.File.Close()
	return os.Remove(f.File.Name())
}

// WriteFile writes data to path as Create and Commit do.
func WriteFile(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Commit()
}

// check refuses a path that exists and is not a regular file, and returns
// the mode the file is to have: the existing file's, or defaultPerm.
func check(path string) (fs.FileMode, error) {
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return defaultPerm, nil
	case err != nil:
		return 0, err
	case st.Mode()&fs.ModeSymlink != 0:
		target, _ := os.Readlink(path)
		return 0, &fs.PathError{Op: "write", Path: path, Err: fmt.Errorf("%w (it points to %s)", ErrLink, target)}
	case !st.Mode().IsRegular():
		return 0, &fs.PathError{Op: "write", Path: path, Err: fmt.Errorf("is not a regular file (%s): tracegate writes only regular files", st.Mode().Type())}
	}
	return st.Mode().Perm(), nil
}

// CheckInside refuses path when, below root, it or one of its directories
// exists as a symbolic link: a directory the pull request controls (the
// work tree) must not redirect a write elsewhere. A path outside root is
// not checked; root itself may be reached through links.
func CheckInside(root, path string) error {
	absRoot, err1 := filepath.Abs(root)
	abs, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return errors.Join(err1, err2)
	}
	rel, err := filepath.Rel(absRoot, abs)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil
	}
	cur := absRoot
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		cur = filepath.Join(cur, part)
		st, err := os.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // made by the write
		}
		if err != nil {
			return err
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(cur)
			if cur == abs {
				return &fs.PathError{Op: "write", Path: path, Err: fmt.Errorf("%w (it points to %s)", ErrLink, target)}
			}
			return &fs.PathError{Op: "write", Path: path, Err: fmt.Errorf("its directory %s %w (it points to %s)", cur, ErrLink, target)}
		}
	}
	return nil
}

// ErrExists is the error of a write that must not replace a file.
var ErrExists = errors.New("exists: left as it is")

// WriteNew writes data to path only when nothing is there — no file, no
// link, nothing — and never replaces what appears meanwhile: the content
// is written to a temporary file in the same directory and hard-linked to
// path, which fails when path exists (a link included, which is not
// followed). A reader never sees half the file.
func WriteNew(path string, data []byte) error {
	if _, err := os.Lstat(path); err == nil {
		return &fs.PathError{Op: "write", Path: path, Err: ErrExists}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if serr := tmp.Sync(); err == nil {
		err = serr
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), defaultPerm)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &fs.PathError{Op: "write", Path: path, Err: ErrExists}
		}
		return err
	}
	return nil
}

package gitrepo

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// lsTreeArgs lists every entry of a commit's tree, directories included
// (-t), with blob sizes (-l).
func lsTreeArgs(commit string) []string {
	return []string{"ls-tree", "-r", "-t", "-z", "-l", "--full-tree", commit}
}

// lsEntry is one entry of git ls-tree -r -t -z -l:
//
//	<mode> SP <type> SP <object> SP+ <size> TAB <path> NUL
//
// where size is right-aligned and "-" for trees and submodules, and path is
// verbatim (no quoting under -z, whatever core.quotepath says).
type lsEntry struct {
	mode uint32
	typ  string // blob, tree or commit
	oid  string
	size int64 // -1 for trees and submodules
	path string
}

// parseLsTree reads the listing and calls fn for each entry.
func parseLsTree(r io.Reader, fn func(lsEntry) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		rec, err := readField(br)
		if err == io.EOF && rec == "" {
			return nil
		}
		if err != nil {
			return fmt.Errorf("git ls-tree output, entry %d: %w", n, unexpectedEOF(err))
		}
		e, err := parseLsEntry(rec)
		if err != nil {
			return fmt.Errorf("git ls-tree output, entry %d: %w", n, err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
}

func parseLsEntry(rec string) (lsEntry, error) {
	meta, path, ok := strings.Cut(rec, "\t")
	if !ok {
		return lsEntry{}, fmt.Errorf("no tab in %q", rec)
	}
	f := strings.Split(meta, " ")
	// The size column is padded with spaces: drop the empty fields, but
	// only there, so that any other stray space is an error.
	if len(f) < 4 {
		return lsEntry{}, fmt.Errorf("expected mode, type, object and size in %q", meta)
	}
	for _, pad := range f[3 : len(f)-1] {
		if pad != "" {
			return lsEntry{}, fmt.Errorf("expected mode, type, object and size in %q", meta)
		}
	}
	e := lsEntry{typ: f[1], oid: f[2], path: path}
	mode, err := strconv.ParseUint(f[0], 8, 32)
	if err != nil || len(f[0]) != 6 {
		return lsEntry{}, fmt.Errorf("bad mode %q", f[0])
	}
	e.mode = uint32(mode)
	if !isHex(e.oid) {
		return lsEntry{}, fmt.Errorf("bad object ID %q", e.oid)
	}
	size := f[len(f)-1]
	switch e.typ {
	case "blob":
		e.size, err = strconv.ParseInt(size, 10, 64)
		if err != nil || e.size < 0 || size[0] == '+' {
			return lsEntry{}, fmt.Errorf("bad size %q", size)
		}
	case "tree", "commit":
		if size != "-" {
			return lsEntry{}, fmt.Errorf("bad size %q for a %s", size, e.typ)
		}
		e.size = -1
	default:
		return lsEntry{}, fmt.Errorf("unknown object type %q", e.typ)
	}
	if path == "" {
		return lsEntry{}, fmt.Errorf("empty path")
	}
	return e, nil
}

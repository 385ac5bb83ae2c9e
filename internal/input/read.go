package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"unicode/utf8"
)

// ErrTooLarge and ErrBinary classify refusals so callers can test for them.
var (
	ErrTooLarge = errors.New("file too large")
	ErrBinary   = errors.New("binary file")
)

// File is an opened, vetted input file.
type File struct {
	Path string // repository-relative, slash-separated
	io.ReadCloser
	Size int64
	Head []byte // the first bytes, for format detection; also still readable
}

// Open opens path in fsys after checking that it is a regular file no larger
// than max bytes (DefaultMaxSize when max <= 0) and that its first bytes look
// like text. The returned reader yields the whole file, Head included.
func Open(fsys fs.FS, path string, max int64) (*File, error) {
	if max <= 0 {
		max = DefaultMaxSize
	}
	pos := Pos{File: path}
	f, err := fsys.Open(path)
	if err != nil {
		return nil, &Error{Pos: pos, Msg: "cannot open: " + unwrapPathError(err), Err: err}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &Error{Pos: pos, Msg: "cannot stat: " + unwrapPathError(err), Err: err}
	}
	if st.IsDir() {
		f.Close()
		return nil, &Error{Pos: pos, Msg: "is a directory, expected a file", Hint: "check the path or glob in the policy file"}
	}
	if st.Size() > max {
		f.Close()
		return nil, &Error{Pos: pos, Err: ErrTooLarge,
			Msg:  fmt.Sprintf("file is %s, larger than the %s limit", HumanSize(st.Size()), HumanSize(max)),
			Hint: "narrow the glob in the policy file so that it matches only design-history files"}
	}
	head := make([]byte, HeadLen)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		f.Close()
		return nil, &Error{Pos: pos, Msg: "cannot read: " + err.Error(), Err: err}
	}
	head = head[:n]
	if e := CheckText(path, head, true); e != nil {
		f.Close()
		return nil, e
	}
	// A file can grow between Stat and Read; never read past the limit.
	return &File{
		Path:       path,
		ReadCloser: &capped{r: io.MultiReader(bytes.NewReader(head), f), c: f, left: max, pos: pos},
		Size:       st.Size(),
		Head:       head,
	}, nil
}

// ReadAll opens path with Open and returns its whole content, which must be
// UTF-8 text throughout, not only in the head Open checks (CheckText).
func ReadAll(fsys fs.FS, path string, max int64) ([]byte, error) {
	f, err := Open(fsys, path, max)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	if len(data) > len(f.Head) {
		if e := CheckText(path, data, false); e != nil {
			return nil, e
		}
	}
	return data, nil
}

// capped fails, rather than truncating, once more than its limit is read.
type capped struct {
	r    io.Reader
	c    io.Closer
	left int64
	pos  Pos
}

func (c *capped) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, &Error{Pos: c.pos, Err: ErrTooLarge, Msg: "file grew past the size limit while being read"}
	}
	return n, err
}

func (c *capped) Close() error { return c.c.Close() }

// LooksBinary reports whether head holds a NUL byte or is not valid UTF-8,
// and at which byte. When head is the start of a longer file (prefix), a
// multi-byte rune cut at its end is not held against it. UTF-16 files carry
// NUL bytes for ASCII text, so they are refused too.
func LooksBinary(head []byte, prefix bool) (int, bool) {
	if i := bytes.IndexByte(head, 0); i >= 0 {
		return i, true
	}
	if utf8.Valid(head) {
		// The common case, checked eight ASCII bytes at a time; the loop
		// below only locates the first invalid byte.
		return 0, false
	}
	for i := 0; i < len(head); {
		r, size := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && size == 1 {
			if prefix && len(head)-i < utf8.UTFMax && !utf8.FullRune(head[i:]) {
				return 0, false
			}
			return i, true
		}
		i += size
	}
	return 0, false
}

func unwrapPathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// HumanSize renders a byte count for messages: "64.0 MiB", "512 B".
func HumanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

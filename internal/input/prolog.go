package input

import (
	"bufio"
	"bytes"
	"io"
	"io/fs"
)

// A Prolog reads past the start of a file that says nothing about its
// format: a byte order mark, comments, an XML declaration and DOCTYPE, the
// chatter a tool prints before its output. It returns nil when it stopped
// before the first byte of content (which it leaves unread), and an error
// (io.EOF) when the input ended first. It must stream: discard what it
// reads, never collect it.
type Prolog func(*bufio.Reader) error

// AfterProlog returns up to HeadLen bytes of the file at path that follow
// its prolog, for format detection. head is the file's first bytes as Open
// gives them (File.Head): when the prolog ends early in it, the file is not
// read again. Otherwise the file is streamed from its start, skip reading
// at most MaxProlog bytes. It returns nil when the file is all prolog, when
// its prolog is longer than MaxProlog, or when the file cannot be read again:
// no format is then recognised, and the caller says so.
func AfterProlog(fsys fs.FS, path string, head []byte, skip Prolog) []byte {
	n, ok := PrologLen(head, skip)
	if ok && (len(head) < HeadLen || len(head)-n >= HeadLen/2) {
		return head[n:]
	}
	if len(head) < HeadLen {
		return nil // head is the whole file, and all of it prolog
	}
	f, err := fsys.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	lr := &io.LimitedReader{R: f, N: MaxProlog}
	br := bufio.NewReaderSize(lr, 64<<10)
	if err := skip(br); err != nil {
		return nil
	}
	lr.N += HeadLen // the head after the prolog
	rest := make([]byte, HeadLen)
	m, _ := io.ReadFull(br, rest)
	return rest[:m]
}

// PrologLen returns how many bytes of data skip reads past, and false when
// data ends inside the prolog.
func PrologLen(data []byte, skip Prolog) (int, bool) {
	r := bytes.NewReader(data)
	br := bufio.NewReader(r)
	if err := skip(br); err != nil {
		return len(data), false
	}
	return len(data) - r.Len() - br.Buffered(), true
}

// SkipBOM reads past a UTF-8 byte order mark, if there is one.
func SkipBOM(br *bufio.Reader) {
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
}

// SkipLine discards the rest of the current line, its line end included,
// however long it is. It returns io.EOF when the input ends first.
func SkipLine(br *bufio.Reader) error {
	for {
		_, err := br.ReadSlice('\n')
		if err != bufio.ErrBufferFull {
			return err
		}
	}
}

// SkipUntil discards input up to and including the first occurrence of
// end, holding no more of it than end's length. It returns io.EOF when the
// input ends first.
func SkipUntil(br *bufio.Reader, end string) error {
	win := make([]byte, 0, len(end))
	for {
		c, err := br.ReadByte()
		if err != nil {
			return err
		}
		if len(win) == len(end) {
			win = append(win[:0], win[1:]...)
		}
		win = append(win, c)
		if string(win) == end {
			return nil
		}
	}
}

// SkipSpace discards spaces, tabs and line ends. It returns io.EOF when
// the input ends first.
func SkipSpace(br *bufio.Reader) error {
	for {
		c, err := br.ReadByte()
		if err != nil {
			return err
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return br.UnreadByte()
		}
	}
}

// SkipLines discards whole lines as long as skip accepts the first byte of
// each that is not a space or tab ('\n' for a blank line), and stops at the
// start of the first line it does not accept. It returns io.EOF when the
// input ends first.
func SkipLines(br *bufio.Reader, skip func(first byte) bool) error {
	for {
		c, err := PeekLine(br)
		if err != nil {
			return err
		}
		if !skip(c) {
			return nil
		}
		if err := SkipLine(br); err != nil {
			return err
		}
	}
}

// PeekLine returns the first byte of the current line that is not a space
// or tab, without consuming anything; '\n' for a blank line. It returns
// io.EOF when the input ends first. Indentation longer than the reader's
// buffer counts as content (' ').
func PeekLine(br *bufio.Reader) (byte, error) {
	for i := 0; i < br.Size(); i++ {
		b, err := br.Peek(i + 1)
		if len(b) <= i {
			if err == nil {
				err = io.EOF
			}
			return 0, err
		}
		if c := b[i]; c != ' ' && c != '\t' {
			if c == '\r' {
				c = '\n'
			}
			return c, nil
		}
	}
	return ' ', nil
}

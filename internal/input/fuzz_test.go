package input

import (
	"bufio"
	"bytes"
	"errors"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// FuzzCheckText: whatever the bytes, text is accepted exactly when it is
// UTF-8 without NUL bytes, and a refusal names the file and, for bytes
// inside it, a line and column within it.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"id: SRS-1\n", "\xff\xfe<\x00a\x00>\x00", "caf\xe9\n", "a\x00b", "\x1f\x8b\x08", "%PDF-1.7", "é"[:1]} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e := CheckText("f", data, false)
		text := utf8.Valid(data) && bytes.IndexByte(data, 0) < 0
		if e == nil {
			if !text {
				t.Fatalf("%q accepted as text", data)
			}
			return
		}
		if !errors.Is(e, ErrBinary) || e.Pos.File != "f" {
			t.Fatalf("refusal %v", e)
		}
		if e.Pos.Line > 0 && (e.Pos.Line > bytes.Count(data, []byte{'\n'})+1 || e.Pos.Col < 1) {
			t.Fatalf("position %v outside %q", e.Pos, data)
		}
	})
}

// FuzzAfterProlog: reading past a prolog streamed from the file agrees with
// reading past it in memory, and never returns more than HeadLen bytes.
func FuzzAfterProlog(f *testing.F) {
	f.Add([]byte("  \n# c\n\nid: x\n"), uint16(3))
	f.Add(bytes.Repeat([]byte("# licence\n"), 1000), uint16(HeadLen))
	f.Fuzz(func(t *testing.T, data []byte, cut uint16) {
		comments := func(br *bufio.Reader) error {
			SkipBOM(br)
			return SkipLines(br, func(c byte) bool { return c == '\n' || c == '#' })
		}
		head := data[:min(len(data), HeadLen, int(cut))]
		got := AfterProlog(fstest.MapFS{"f": {Data: data}}, "f", head, comments)
		if len(got) > HeadLen {
			t.Fatalf("%d bytes after the prolog", len(got))
		}
		n, ok := PrologLen(data, comments)
		if !ok || len(data) > MaxProlog+HeadLen {
			return
		}
		want := data[n:min(len(data), n+HeadLen)]
		if len(head) < HeadLen && len(head) < len(data) {
			return // a head shorter than the file's is no head Open gives
		}
		if !bytes.HasPrefix(want, got) {
			t.Fatalf("after the prolog %q, want %q", got, want)
		}
	})
}

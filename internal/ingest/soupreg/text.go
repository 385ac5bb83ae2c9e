package soupreg

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf8"
)

// text is a register file split into lines, so that Sync can insert lines
// and leave every other byte as it was.
type text struct {
	data   []byte
	starts []int // byte offset of each line; the first line starts after a BOM
	eol    string
}

var (
	errLoneCR  = errors.New("the file ends lines with a bare carriage return (CR); sync supports LF and CRLF line endings")
	errNotUTF8 = errors.New("the file is not UTF-8 text (UTF-16?); sync writes UTF-8 and will not mix encodings: convert the file to UTF-8")
)

func newText(data []byte) (*text, error) {
	if !utf8.Valid(data) {
		return nil, errNotUTF8
	}
	t := &text{data: data, eol: "\n"}
	start := 0
	if bytes.HasPrefix(data, []byte("\ufeff")) {
		start = 3 // yaml.v3 does not count the byte order mark as a column
	}
	t.starts = append(t.starts, start)
	for i, b := range data {
		switch b {
		case '\n':
			if len(t.starts) == 1 && i > 0 && data[i-1] == '\r' {
				t.eol = "\r\n" // the first line break sets the style
			}
			if i+1 < len(data) {
				t.starts = append(t.starts, i+1)
			}
		case '\r':
			if i+1 >= len(data) || data[i+1] != '\n' {
				return nil, errLoneCR
			}
		}
	}
	return t, nil
}

func (t *text) lines() int { return len(t.starts) }

// line is the 0-based line i without its line break.
func (t *text) line(i int) string {
	end := len(t.data)
	if i+1 < len(t.starts) {
		end = t.starts[i+1]
	}
	s := string(t.data[t.starts[i]:end])
	s = strings.TrimSuffix(s, "\n")
	return strings.TrimSuffix(s, "\r")
}

// lineStart is the offset where 0-based line i begins, or the end of the
// data for the line after the last.
func (t *text) lineStart(i int) int {
	if i >= len(t.starts) {
		return len(t.data)
	}
	return t.starts[i]
}

// lineEnd is the offset of line i's line break (or of the end of data).
func (t *text) lineEnd(i int) int { return t.starts[i] + len(t.line(i)) }

// offset converts a yaml.v3 position (1-based line, 1-based column counted
// in characters) to a byte offset; -1 when it is outside the text.
func (t *text) offset(line, col int) int {
	if line < 1 || line > len(t.starts) {
		return -1
	}
	off := runeOffset(t.line(line-1), col-1)
	if off < 0 {
		return -1
	}
	return t.starts[line-1] + off
}

// endsWithNewline reports whether the last line has a line break.
func (t *text) endsWithNewline() bool {
	return len(t.data) == 0 || t.data[len(t.data)-1] == '\n'
}

// runeOffset is the byte offset of the n-th character of s; -1 beyond it.
func runeOffset(s string, n int) int {
	if n < 0 {
		return -1
	}
	off := 0
	for i := 0; i < n; i++ {
		if off >= len(s) {
			return -1
		}
		_, size := utf8.DecodeRuneInString(s[off:])
		off += size
	}
	if off > len(s) {
		return -1
	}
	return off
}

// indent is the number of leading spaces of a line.
func indent(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

// blank reports whether a line holds only white space.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

// comment reports whether a line holds only a comment.
func comment(s string) bool { return strings.HasPrefix(strings.TrimSpace(s), "#") }

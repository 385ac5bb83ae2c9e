package testtag

import (
	"sort"
	"strings"
)

// Byte classes of a source file, as the lexer marks them.
const (
	code    = 0
	comment = 1
	str     = 2
	docstr  = 3 // a Python triple-quoted string: tags count there
)

// lexed is a source file with each byte classified and its brackets
// matched, so that definitions and scopes are found in code only, never in
// a comment or a string.
type lexed struct {
	src   string
	class []byte
	match map[int]int // bracket offset → offset of its partner
	lines []int       // offset of each line's first byte
	spans []span      // comments and docstrings, in order
}

// span is one comment or docstring: [start, end).
type span struct{ start, end int }

// lex classifies src for language l. It is a tokenizer, not a parser: it
// knows comments, strings and character literals, which is all that is
// needed to keep "{" in a string from opening a scope.
func lex(src string, l *lang) *lexed {
	x := &lexed{src: src, class: make([]byte, len(src)), match: map[int]int{}, lines: []int{0}}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			x.lines = append(x.lines, i+1)
		}
	}
	mark := func(from, to int, c byte) {
		if to > len(src) {
			to = len(src)
		}
		for k := from; k < to; k++ {
			x.class[k] = c
		}
		if c == comment || c == docstr {
			x.spans = append(x.spans, span{from, to})
		}
	}
	var stack []int
	for i := 0; i < len(src); {
		rest := src[i:]
		if m := startsAny(rest, l.line); m != "" {
			end := strings.IndexByte(rest, '\n')
			if end < 0 {
				end = len(rest)
			}
			mark(i, i+end, comment)
			i += end
			continue
		}
		if l.block[0] != "" && strings.HasPrefix(rest, l.block[0]) {
			end := strings.Index(rest[len(l.block[0]):], l.block[1])
			n := len(rest)
			if end >= 0 {
				n = len(l.block[0]) + end + len(l.block[1])
			}
			mark(i, i+n, comment)
			i += n
			continue
		}
		if l.triple && (strings.HasPrefix(rest, `"""`) || strings.HasPrefix(rest, `'''`)) {
			end := strings.Index(rest[3:], rest[:3])
			n := len(rest)
			if end >= 0 {
				n = 3 + end + 3
			}
			if l.docStrings {
				mark(i, i+n, docstr)
			} else {
				mark(i, i+n, str)
			}
			i += n
			continue
		}
		c := src[i]
		if c == '\'' && l.rustChars && !rustCharLit(rest) {
			i++ // a lifetime ('a), not a character literal
			continue
		}
		if strings.IndexByte(l.quotes, c) >= 0 {
			n := quoted(rest, c, l.multiLine(c))
			mark(i, i+n, str)
			i += n
			continue
		}
		switch c {
		case '(', '[', '{':
			stack = append(stack, i)
		case ')', ']', '}':
			open := map[byte]byte{')': '(', ']': '[', '}': '{'}[c]
			// Pop to the matching opener; an unmatched closer is ignored.
			for k := len(stack) - 1; k >= 0; k-- {
				if src[stack[k]] == open {
					x.match[stack[k]] = i
					stack = stack[:k]
					break
				}
			}
		}
		i++
	}
	return x
}

// quoted returns the length of the string literal at the start of s, up to
// and including its closing quote q (or the line's end, for a string that
// is not closed: the lexer must not swallow the rest of the file).
func quoted(s string, q byte, multiLine bool) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return i + 1
		case '\n':
			if !multiLine {
				return i
			}
		}
	}
	return len(s)
}

// rustCharLit reports whether s starts with a Rust character literal ('x',
// '\n', '\u{1F600}') rather than a lifetime ('a, 'static).
func rustCharLit(s string) bool {
	if len(s) >= 3 && s[1] == '\\' {
		return true
	}
	i := 1
	for i < len(s) && i <= 5 && s[i] != '\'' && s[i] != '\n' {
		i++
	}
	if i >= len(s) || s[i] != '\'' {
		return false
	}
	return i > 1 && len([]rune(s[1:i])) == 1
}

func startsAny(s string, prefixes []string) string {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return p
		}
	}
	return ""
}

// classAt returns the class of the byte at off; past the end, code.
func (x *lexed) classAt(off int) byte {
	if off < 0 || off >= len(x.class) {
		return code
	}
	return x.class[off]
}

// spanAt returns the comment or docstring that holds off.
func (x *lexed) spanAt(off int) (span, bool) {
	i := sort.Search(len(x.spans), func(i int) bool { return x.spans[i].end > off })
	if i < len(x.spans) && x.spans[i].start <= off {
		return x.spans[i], true
	}
	return span{}, false
}

// lineOf returns the 0-based line of offset off.
func (x *lexed) lineOf(off int) int {
	lo, hi := 0, len(x.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if x.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// lineEnd returns the offset of the end of line n (its '\n' or the end).
func (x *lexed) lineEnd(n int) int {
	if n+1 < len(x.lines) {
		return x.lines[n+1] - 1
	}
	return len(x.src)
}

// codeLine returns line n with comments blanked out, strings kept.
func (x *lexed) codeLine(n int) string {
	start, end := x.lines[n], x.lineEnd(n)
	b := []byte(x.src[start:end])
	for k := range b {
		if x.class[start+k] == comment {
			b[k] = ' '
		}
	}
	return string(b)
}

// closing returns the partner of the bracket at off, or the end of the file
// for one that is never closed.
func (x *lexed) closing(off int) int {
	if m, ok := x.match[off]; ok {
		return m
	}
	return len(x.src)
}

// next returns the offset of the first code byte in [off, to) that is one
// of chars, or -1.
func (x *lexed) next(off, to int, chars string) int {
	if to > len(x.src) {
		to = len(x.src)
	}
	for k := off; k < to; k++ {
		if x.class[k] == code && strings.IndexByte(chars, x.src[k]) >= 0 {
			return k
		}
	}
	return -1
}

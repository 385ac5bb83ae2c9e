package report

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cell makes a value safe for one CSV Cell opened in a spreadsheet: a Cell
// starting with = + - @ (or a tab/CR) is a formula to Excel and LibreOffice,
// so it is prefixed with a quote (OWASP "CSV injection").
func Cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// MDCell makes a value safe inside a Markdown table cell: pipes would split
// the cell, newlines would end the row, and HTML would render.
func MDCell(s string) string {
	return mdCellReplacer.Replace(strings.TrimSpace(s))
}

// mdCellReplacer is built once: building a Replacer per cell dominated the
// time to render large tables.
var mdCellReplacer = strings.NewReplacer("|", `\|`, "\r\n", "<br>", "\n", "<br>", "\r", "<br>", "<", "&lt;", ">", "&gt;", "`", "\\`")

// OneLine folds a value onto one line for terminal tables.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Clip shortens s to at most n runes, marking the cut.
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 1 {
		return string(r[:n])
	}
	return string(r[:n-1]) + "…"
}

func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Text makes untrusted text (a file name, a title, a commit subject, an
// error naming them) safe as a field of plain text output, for a terminal
// or a CI log: every control character — line breaks and tabs included —
// is shown as a Go escape (\n, \r, \t, \x1b, \u0085), a bidirectional
// control as ⟨U+202E⟩ ("Trojan Source"), a byte that is not UTF-8 as \xff.
// So a field can neither end its line (and start a workflow command on
// the next), nor drive the terminal, nor reorder what is read.
func Text(s string) string { return escapeText(s, false) }

// escapeText is Text, keeping tabs when keepTab is set.
func escapeText(s string, keepTab bool) string {
	if isPlainASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t' && keepTab:
			b.WriteByte('\t')
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			fmt.Fprintf(&b, `\u%04x`, r)
		case IsBidi(r):
			fmt.Fprintf(&b, "⟨U+%04X⟩", r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isPlainASCII reports whether s is printable ASCII only, which every
// medium takes as it is.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// TextGuard is the last line of defence of plain output written to a
// terminal or a CI log (standard output and error): whatever an encoder
// or a message let through, each line it passes has no control character
// but tab (a CR before LF stays), and, when Disarm is set (a GitHub
// Actions step, GITHUB_ACTIONS=true), cannot be taken for a workflow
// command: the runner reads one where a line starts with "::" after white
// space, or holds "##[" anywhere (the legacy form, still parsed, whose
// commands include stop-commands). Such text keeps its look, with a
// ZERO WIDTH SPACE between the two characters. A binary document (an XLSX
// workbook: it starts as a zip does) passes untouched. Lines are held
// until complete; Flush writes what is left.
type TextGuard struct {
	w      io.Writer
	disarm bool
	line   []byte
	out    []byte // guarded lines not yet written
	// decided is set once the first bytes tell text from a zip; binary
	// then says which.
	decided, binary bool
}

// zipMagic starts every zip, an XLSX workbook included.
var zipMagic = []byte("PK\x03\x04")

// NewTextGuard guards what is written to w.
func NewTextGuard(w io.Writer, disarm bool) *TextGuard { return &TextGuard{w: w, disarm: disarm} }

func (g *TextGuard) Write(p []byte) (int, error) {
	n := len(p)
	if !g.decided {
		g.line = append(g.line, p...)
		if len(g.line) < len(zipMagic) && bytes.HasPrefix(zipMagic, g.line) {
			return n, nil // too early to tell
		}
		g.decided = true
		g.binary = bytes.HasPrefix(g.line, zipMagic)
		p, g.line = g.line, nil
	}
	if g.binary {
		if _, err := g.w.Write(p); err != nil {
			return 0, err
		}
		return n, nil
	}
	// The lines complete in p are guarded into g.out and written
	// together: one write per call (or per guardBatch), not per line.
	g.out = g.out[:0]
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			g.line = append(g.line, p...)
			break
		}
		if len(g.line) > 0 {
			g.line = append(g.line, p[:i+1]...)
			g.guard(g.line)
			g.line = g.line[:0]
		} else {
			g.guard(p[:i+1])
		}
		p = p[i+1:]
		if len(g.out) >= guardBatch {
			if err := g.writeOut(); err != nil {
				return 0, err
			}
		}
	}
	if err := g.writeOut(); err != nil {
		return 0, err
	}
	return n, nil
}

// guardBatch is how much guarded output is held before it is written.
const guardBatch = 64 << 10

// Flush writes the last line, when it has no line feed.
func (g *TextGuard) Flush() error {
	if len(g.line) == 0 {
		return nil
	}
	g.out = g.out[:0]
	g.guard(g.line)
	g.line = g.line[:0]
	return g.writeOut()
}

func (g *TextGuard) writeOut() error {
	if len(g.out) == 0 {
		return nil
	}
	_, err := g.w.Write(g.out)
	g.out = g.out[:0]
	return err
}

// guard appends one line, guarded, to g.out; a line of printable ASCII
// passes as it is unless workflow commands are disarmed.
func (g *TextGuard) guard(line []byte) {
	body, end := line, []byte(nil)
	switch {
	case bytes.HasSuffix(body, []byte("\r\n")):
		body, end = body[:len(body)-2], body[len(body)-2:]
	case bytes.HasSuffix(body, []byte("\n")):
		body, end = body[:len(body)-1], body[len(body)-1:]
	}
	if !g.disarm && plainASCII(body) {
		g.out = append(g.out, line...)
		return
	}
	g.out = append(g.out, guardLine(string(body), g.disarm)...)
	g.out = append(g.out, end...)
}

// plainASCII is isPlainASCII for bytes. It tests eight bytes at a time:
// every line of a large output passes through it.
func plainASCII(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		// A byte >= 0x80 sets its high bit in w; one < 0x20 in w-0x20…;
		// 0x7f makes a zero byte of w^0x7f…, which w^0x7f… - 0x01…
		// turns into a high bit. A borrow only runs on past a byte
		// that is itself flagged.
		if (w|(w-0x20*ones)|((w^0x7f*ones)-ones)&^(w^0x7f*ones))&highs != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// guardLine escapes the control characters of one line but tab, and
// disarms workflow commands when disarm is set.
func guardLine(s string, disarm bool) string {
	s = escapeText(s, true)
	if !disarm {
		return s
	}
	if t := strings.TrimLeftFunc(s, unicode.IsSpace); strings.HasPrefix(t, "::") {
		at := len(s) - len(t) + 1
		s = s[:at] + "\u200b" + s[at:]
	}
	return strings.ReplaceAll(s, "##[", "#\u200b#[")
}

package report

import (
	"fmt"
	"strings"
	"unicode"
)

// MDInline makes input text safe as inline Markdown on one line (headings,
// list items, sentences): line breaks fold to spaces. It shortens the text
// to at most max runes first, so that the cut never splits a character or
// an escape.
func MDInline(s string, max int) string { return mdEscape(s, max, false) }

// MDCellText makes input text safe inside a Markdown table cell; line
// breaks become <br>, as mdCell makes them.
func MDCellText(s string, max int) string { return mdEscape(s, max, true) }

// mdEscape neutralises everything in s that GitHub-flavoured Markdown would
// interpret. It does what mdCell does (pipes, line breaks, HTML, backticks)
// in the same single pass as the rest, rather than calling mdCell, which
// builds a strings.Replacer per call (most of the time of rendering 5,000
// findings), and adds:
//   - invalid UTF-8 becomes U+FFFD, control characters become U+FFFD;
//   - bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/F,
//     U+061C: "Trojan Source", CVE-2021-42574) are shown as ⟨U+202E⟩ so that
//     a message cannot reorder what a reviewer reads;
//   - emphasis, link and image brackets, headings, strikethrough and math
//     (\ * _ [ ] # ~ $) are backslash-escaped, so "[x](javascript:…)" is
//     text, not a link;
//   - & becomes &amp;, so that entities are shown as written;
//   - a leading list or block marker (-, +, =, "1.") is escaped.
func mdEscape(s string, max int, keepBreaks bool) string {
	s = Clip(strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD")), max)
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	br := " "
	if keepBreaks {
		br = "<br>"
	}
	for i, r := range s {
		switch {
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			b.WriteString(br)
		case r == '\n' || r == '\u2028' || r == '\u2029':
			b.WriteString(br)
		case r == '\t':
			b.WriteByte(' ')
		case IsBidi(r):
			fmt.Fprintf(&b, "⟨U+%04X⟩", r)
		case unicode.IsControl(r):
			b.WriteRune('\uFFFD')
		case strings.ContainsRune("\\*_[]#~$|`", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
	return escapeLeadingMarker(b.String())
}

// IsBidi reports the characters that change the display order of text.
func IsBidi(r rune) bool {
	return r == 0x061C || r == 0x200E || r == 0x200F || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// escapeLeadingMarker escapes what would open a list, a setext heading or
// an ordered list at the start of a list item or paragraph.
func escapeLeadingMarker(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	switch s[0] {
	case '-', '+', '=':
		return `\` + s
	}
	d := 0
	for d < len(s) && d < 10 && s[d] >= '0' && s[d] <= '9' {
		d++
	}
	if d > 0 && d < len(s) && (s[d] == '.' || s[d] == ')') {
		return s[:d] + `\` + s[d:]
	}
	return s
}

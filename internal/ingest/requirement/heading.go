package requirement

import "strings"

// firstHeading finds the first ATX heading ("# Title") of a Markdown body,
// outside fenced code blocks. When level1 is set only a level-1 heading
// counts (Doorstop's Markdown items); otherwise any level does (Ketryx). It
// returns the heading text and the body without the heading's line.
func firstHeading(body string, level1 bool) (title, rest string, ok bool) {
	lines := strings.SplitAfter(body, "\n")
	fence := ""
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			continue
		}
		// Up to three spaces of indentation keep a line a heading
		// (CommonMark 4.2); four make it code.
		if len(l)-len(strings.TrimLeft(l, " ")) > 3 {
			continue
		}
		level := len(t) - len(strings.TrimLeft(t, "#"))
		if level < 1 || level > 6 || (level1 && level != 1) {
			continue
		}
		text := t[level:]
		if text != "" && text[0] != ' ' && text[0] != '\t' {
			continue // "#hashtag" is not a heading
		}
		text = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(text), "#"))
		return text, strings.Join(lines[:i], "") + strings.Join(lines[i+1:], ""), true
	}
	return "", body, false
}

// firstLine returns the first non-blank line of text without Markdown
// heading marks, for a title where a format has none.
func firstLine(text string) string {
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "#"))
		if l != "" {
			return l
		}
	}
	return ""
}

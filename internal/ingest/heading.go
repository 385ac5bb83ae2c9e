package ingest

import "strings"

// Heading is an ATX heading ("## Hazard") of a Markdown body.
type Heading struct {
	Line  int // index of its line in the body's lines (strings.SplitAfter(body, "\n"))
	Level int // 1 to 6
	Text  string
}

// Headings finds the ATX headings of a Markdown body, outside fenced code
// blocks, in order.
func Headings(body string) []Heading {
	var out []Heading
	fence := ""
	for i, l := range strings.SplitAfter(body, "\n") {
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
		if level < 1 || level > 6 {
			continue
		}
		text := t[level:]
		if text != "" && text[0] != ' ' && text[0] != '\t' {
			continue // "#hashtag" is not a heading
		}
		out = append(out, Heading{Line: i, Level: level, Text: strings.TrimSpace(strings.TrimRight(strings.TrimSpace(text), "#"))})
	}
	return out
}

// FirstHeading returns the text of a body's first heading and the body
// without the heading's line. When level1 is set only a level-1 heading
// counts (Doorstop's Markdown items); otherwise any level does (Ketryx takes
// an item's title from it).
func FirstHeading(body string, level1 bool) (title, rest string, ok bool) {
	for _, h := range Headings(body) {
		if level1 && h.Level != 1 {
			continue
		}
		lines := strings.SplitAfter(body, "\n")
		return h.Text, strings.Join(lines[:h.Line], "") + strings.Join(lines[h.Line+1:], ""), true
	}
	return "", body, false
}

package requirement

import "strings"

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

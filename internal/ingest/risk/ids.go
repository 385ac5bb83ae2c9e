package risk

import (
	"strings"
	"unicode"
)

// splitIDs splits a written list of IDs on commas, semicolons and line
// breaks, the separators people use in a YAML string or a spreadsheet cell.
// Parts are trimmed and blank parts (",," or a trailing separator) dropped:
// they hold no data.
func splitIDs(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == '\n' || r == '\r'
	})
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// isIDToken reports whether s can be an ID: one word, no inner white space.
// Free text in an ID list ("alarm sounds") is not an ID and must not be
// mistaken for one.
func isIDToken(s string) bool {
	return s != "" && strings.IndexFunc(s, unicode.IsSpace) < 0
}

// idList accumulates IDs in file order without duplicates.
type idList struct {
	ids  []string
	seen map[string]bool
}

func (l *idList) add(ids ...string) {
	for _, id := range ids {
		if id == "" || l.seen[id] {
			continue
		}
		if l.seen == nil {
			l.seen = map[string]bool{}
		}
		l.seen[id] = true
		l.ids = append(l.ids, id)
	}
}

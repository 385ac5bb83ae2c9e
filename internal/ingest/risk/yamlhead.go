package risk

import (
	"bytes"
	"path"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/internal/lazyre"
)

// isYAML reports whether name has a YAML extension.
func isYAML(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".yml", ".yaml":
		return true
	}
	return false
}

var (
	// topKeyRE matches a key of the top-level block mapping: at column 0,
	// optionally quoted, followed by a colon and white space or the end.
	topKeyRE = lazyre.New(`^(?:"([^"]+)"|'([^']+)'|([A-Za-z_][A-Za-z0-9_-]*))\s*:(?:\s+(.*))?$`)
	// mappingItemRE matches the first line of a sequence item that is a
	// mapping ("- id: HAZ-001", "  - hazard: ...").
	mappingItemRE = lazyre.New(`^\s*-\s+(?:"[^"]+"|'[^']+'|[A-Za-z_][A-Za-z0-9_-]*)\s*:(?:\s|$)`)
)

// hasTopLevelList reports whether the YAML text in head has one of keys at
// the top level holding a list of mappings, judged from the text only so
// that detection stays cheap and never parses a file twice. A key holding a
// list of strings does not count: a requirement file's "risk_controls:
// [RC-001]" is a link, not a risk analysis.
func hasTopLevelList(head []byte, keys ...string) bool {
	lines := strings.Split(string(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))), "\n")
	for i, line := range lines {
		line = strings.TrimRight(line, "\r")
		m := topKeyRE().FindStringSubmatch(line)
		if m == nil {
			continue
		}
		key := m[1] + m[2] + m[3]
		if !slices.Contains(keys, key) {
			continue
		}
		rest := stripComment(m[4])
		switch {
		case rest == "[]", strings.HasPrefix(rest, "[{"), strings.HasPrefix(rest, "[ {"):
			return true
		case rest != "":
			continue
		}
		// The value starts on a following line: the first line that is
		// neither blank nor a comment must open a mapping item.
		for _, next := range lines[i+1:] {
			t := strings.TrimSpace(next)
			if t == "" || strings.HasPrefix(t, "#") {
				continue
			}
			if mappingItemRE().MatchString(strings.TrimRight(next, "\r")) {
				return true
			}
			break
		}
	}
	return false
}

// stripComment removes a trailing " # comment" from a plain value.
func stripComment(s string) string {
	if strings.HasPrefix(s, "#") {
		return ""
	}
	if i := strings.Index(s, " #"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

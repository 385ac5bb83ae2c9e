package requirement

import (
	"path"
	"strings"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/lazyre"
)

// Detection judges a file from its first bytes only (input.Open's head), so
// that trying five readers on a large tree never parses a file twice. The
// helpers here read the shape of YAML text line by line: what the top-level
// keys are, and whether a document is a list of mappings. They are
// heuristics for choosing a reader, never for reading: the chosen reader
// parses the file properly and reports what does not fit.

// itemRE matches the first line of a block sequence item at column 0
// ("- id: SRS-001"); the indentation of the key is the item's.
var itemRE = lazyre.New(`^-(\s+)`)

// headDoc is the shape of one YAML document as seen in a file's head.
type headDoc struct {
	list bool            // a block sequence at the top level
	keys map[string]bool // top-level keys, or for a list the keys of its mapping items
}

// scanHead reads the shape of each YAML document in lines: whether it is a
// mapping or a list, and its top-level keys (for a list, the keys of its
// items). Comments, blank lines and directives are skipped.
func scanHead(lines []string) []headDoc {
	var docs []headDoc
	var cur *headDoc
	indent := -1 // column of the keys of the current list item
	for _, l := range lines {
		if l == "---" || strings.HasPrefix(l, "--- ") || l == "..." {
			cur, indent = nil, -1
			continue
		}
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(l, "%") {
			continue
		}
		if cur == nil {
			docs = append(docs, headDoc{keys: map[string]bool{}})
			cur = &docs[len(docs)-1]
			cur.list = strings.HasPrefix(l, "-")
		}
		if !cur.list {
			if k, ok := ingest.YAMLKey(l); ok {
				cur.keys[k] = true
			}
			continue
		}
		if m := itemRE().FindStringSubmatch(l); m != nil {
			indent = 1 + len(m[1])
			if k, ok := ingest.YAMLKey(l[indent:]); ok {
				cur.keys[k] = true
			}
			continue
		}
		if indent > 0 && len(l) > indent && strings.TrimLeft(l[:indent], " ") == "" && l[indent] != ' ' {
			if k, ok := ingest.YAMLKey(l[indent:]); ok {
				cur.keys[k] = true
			}
		}
	}
	return docs
}

// ext returns the lower-cased extension of p.
func ext(p string) string { return strings.ToLower(path.Ext(p)) }

func isYAML(p string) bool     { e := ext(p); return e == ".yml" || e == ".yaml" }
func isMarkdown(p string) bool { e := ext(p); return e == ".md" || e == ".markdown" }

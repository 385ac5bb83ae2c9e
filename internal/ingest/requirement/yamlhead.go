package requirement

import (
	"bytes"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
)

// Detection judges a file from its first bytes only (input.Open's head), so
// that trying five readers on a large tree never parses a file twice. The
// helpers here read the shape of YAML text line by line: what the top-level
// keys are, and whether a document is a list of mappings. They are
// heuristics for choosing a reader, never for reading: the chosen reader
// parses the file properly and reports what does not fit.

const bom = "\xef\xbb\xbf"

// headLines splits head into lines without their line ends or a byte order
// mark. The last line may be cut short where the head ends.
func headLines(head []byte) []string {
	head = bytes.TrimPrefix(head, []byte(bom))
	lines := strings.Split(string(head), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, "\r")
	}
	return lines
}

var (
	// keyRE matches a mapping key at the start of s: plain (letters,
	// digits, spaces, _ . -, as Ketryx's custom field names have them) or
	// quoted, followed by a colon and white space or the end of the line.
	keyRE = regexp.MustCompile(`^(?:"([^"]*)"|'([^']*)'|([A-Za-z_][A-Za-z0-9_. -]*?))\s*:(?:\s|$)`)
	// itemRE matches the first line of a block sequence item at column 0
	// ("- id: SRS-001"); the indentation of the key is the item's.
	itemRE = regexp.MustCompile(`^-(\s+)`)
)

// keyOf returns the mapping key at the start of s, if any.
func keyOf(s string) (string, bool) {
	m := keyRE.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return m[1] + m[2] + m[3], true
}

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
			if k, ok := keyOf(l); ok {
				cur.keys[k] = true
			}
			continue
		}
		if m := itemRE.FindStringSubmatch(l); m != nil {
			indent = 1 + len(m[1])
			if k, ok := keyOf(l[indent:]); ok {
				cur.keys[k] = true
			}
			continue
		}
		if indent > 0 && len(l) > indent && strings.TrimLeft(l[:indent], " ") == "" && l[indent] != ' ' {
			if k, ok := keyOf(l[indent:]); ok {
				cur.keys[k] = true
			}
		}
	}
	return docs
}

// frontMatterKeys returns the top-level keys of the YAML front matter that
// the file opens with ("---" on the first line after its prolog: a BOM,
// blank lines, HTML comments), or false when it has none.
func frontMatterKeys(fsys fs.FS, p string, head []byte) (map[string]bool, bool) {
	lines := headLines(input.AfterProlog(fsys, p, head, markdownProlog))
	if len(lines) == 0 || strings.TrimRight(lines[0], " \t") != "---" {
		return nil, false
	}
	keys := map[string]bool{}
	for _, l := range lines[1:] {
		if t := strings.TrimRight(l, " \t"); t == "---" || t == "..." {
			break
		}
		if k, ok := keyOf(l); ok {
			keys[k] = true
		}
	}
	return keys, true
}

// ext returns the lower-cased extension of p.
func ext(p string) string { return strings.ToLower(path.Ext(p)) }

func isYAML(p string) bool     { e := ext(p); return e == ".yml" || e == ".yaml" }
func isMarkdown(p string) bool { e := ext(p); return e == ".md" || e == ".markdown" }

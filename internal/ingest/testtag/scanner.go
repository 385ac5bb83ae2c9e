// Package testtag finds "Verifies: SRS-001" tags in test sources and ties
// each to the test it documents or sits in, by the name a test report will
// show for that test.
//
// Tag syntax: "Verifies:" (any case) or "@verifies" (Javadoc/JSDoc style),
// followed by requirement IDs on the same line; a line that ends with a
// comma continues on the next comment line. Only comments count (and, in
// Python, docstrings); IDs are found with the configured requirement
// pattern. Other spellings (Requirement:, Covers:) are not tags: a
// requirement ID mentioned in passing must not become a verification link.
//
// Go files are read with go/parser, exactly. Other languages are read by a
// line scanner that knows each language's comments, strings and test
// definitions (see generic.go for the heuristic and its limits).
package testtag

import (
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// Scanner is the ingest.TagScanner for test sources.
type Scanner struct{}

var _ ingest.TagScanner = Scanner{}

// Scan reads one test source file and returns its tags.
func (Scanner) Scan(fsys fs.FS, p string, ids ingest.IDFinder) ([]model.TestTag, []input.Warning, error) {
	src, err := input.ReadAll(fsys, p, 0)
	if err != nil {
		return nil, nil, err
	}
	s := &scan{file: p, ids: ids}
	ext := strings.ToLower(path.Ext(p))
	if ext == ".go" {
		if err := s.goFile(src); err != nil {
			pos, msg := parseError(p, err)
			s.warn(pos, "file does not parse as Go (%s); tags are read line by line instead", msg)
			s.tags = nil
			s.generic(src, langs()[".go"])
		}
		return s.tags, s.warns, nil
	}
	l, ok := langs()[ext]
	if !ok {
		l = unknownLang
	}
	s.generic(src, l)
	return s.tags, s.warns, nil
}

// scan collects what one file yields.
type scan struct {
	file  string
	ids   ingest.IDFinder
	tags  []model.TestTag
	warns []input.Warning
}

func (s *scan) warn(pos input.Pos, format string, args ...any) {
	s.warns = append(s.warns, input.Warnf(pos, format, args...))
}

// tagRE finds a tag: "Verifies:" or "@verifies", not inside a word.
var tagRE = regexp.MustCompile(`(?i)(?:^|[^\w@])(verifies\s*:|@verifies\b)`)

// tagHit is one tag in a line of comment text.
type tagHit struct {
	col  int    // 0-based byte offset of the tag in the line
	rest string // the text after the tag
}

// findTags returns the tags in one line of comment text. Two tags on one
// line each take the text up to the next.
func findTags(line string) []tagHit {
	ms := tagRE.FindAllStringSubmatchIndex(line, -1)
	out := make([]tagHit, 0, len(ms))
	for i, m := range ms {
		end := len(line)
		if i+1 < len(ms) {
			end = ms[i+1][2]
		}
		out = append(out, tagHit{col: m[2], rest: line[m[3]:end]})
	}
	return out
}

// maxContinued bounds how many lines a tag's ID list may continue over.
const maxContinued = 20

// continued reports whether a tag's text goes on on the next line
// ("Verifies: SRS-001,").
func continued(text string) bool {
	t := strings.TrimRight(text, " \t*/#\"'`")
	return strings.HasSuffix(t, ",")
}

// add records a tag, or warns when it holds no ID.
func (s *scan) add(fn string, text string, pos input.Pos) {
	ids := s.ids(text)
	if len(ids) == 0 {
		s.warn(pos, "Verifies tag with no requirement ID matching the configured pattern (%q)", strings.TrimSpace(clipText(text)))
		return
	}
	s.tags = append(s.tags, model.TestTag{Function: fn, IDs: ids, Source: pos})
}

func clipText(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

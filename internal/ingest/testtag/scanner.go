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
// Ketryx's tag "@tests:ID" (Ketryx MAN-09; in a Javadoc or JSDoc comment,
// "@tests:SensorReading") is a tag too. Its ID is the word right after the
// colon, taken as written (Ketryx IDs are free-form: spec-sensor-module,
// KXITM…), and may name a test case as well as a requirement. Gherkin
// feature files are read for their scenarios' @tests: and @id: tags
// (gherkin.go), and pytest sources for record_property("tested-item-id", …)
// calls in test functions (pyprops.go).
//
// Go files are read with go/parser, exactly. Other languages are read by a
// line scanner that knows each language's comments, strings and test
// definitions (see generic.go for the heuristic and its limits).
package testtag

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
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
	if ext == ".feature" {
		s.gherkin(src)
		return s.tags, s.warns, nil
	}
	l, ok := langs()[ext]
	if !ok {
		l = unknownLang
	}
	f := s.generic(src, l)
	if l.name == "python" {
		s.pyRecordProperties(f)
	}
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

// tagRE finds a tag: "Verifies:", "@verifies" or Ketryx's "@tests:", not
// inside a word.
var tagRE = lazyre.New(`(?i)(?:^|[^\w@])(verifies\s*:|@verifies\b|@tests:)`)

// tagHit is one tag in a line of comment text.
type tagHit struct {
	col    int    // 0-based byte offset of the tag in the line
	rest   string // the text after the tag
	ketryx bool   // @tests:ID, whose ID is taken as written
}

// findTags returns the tags in one line of comment text. Two tags on one
// line each take the text up to the next.
func findTags(line string) []tagHit {
	ms := tagRE().FindAllStringSubmatchIndex(line, -1)
	out := make([]tagHit, 0, len(ms))
	for i, m := range ms {
		end := len(line)
		if i+1 < len(ms) {
			end = ms[i+1][2]
		}
		out = append(out, tagHit{col: m[2], rest: line[m[3]:end], ketryx: strings.EqualFold(line[m[2]:m[3]], "@tests:")})
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
func (s *scan) add(fn string, h tagHit, text string, pos input.Pos) {
	if h.ketryx {
		ids := ketryxIDs(text)
		if len(ids) == 0 {
			s.warn(pos, "@tests: tag with no item ID right after the colon; it links nothing")
			return
		}
		s.tags = append(s.tags, model.TestTag{Function: fn, IDs: ids, Source: pos})
		return
	}
	ids := s.ids(text)
	if len(ids) == 0 {
		s.warn(pos, "Verifies tag with no requirement ID matching the configured pattern (%q)", strings.TrimSpace(clipText(text)))
		return
	}
	s.tags = append(s.tags, model.TestTag{Function: fn, IDs: ids, Source: pos})
}

// ketryxIDs returns the IDs of a Ketryx tag's text: the word right after
// the colon, which Ketryx ends at white space; a comma-separated list
// (@tests:CS-1,KD-20, as Ketryx's item fields write lists) is split.
func ketryxIDs(text string) []string {
	word := text
	if i := strings.IndexFunc(word, unicode.IsSpace); i >= 0 {
		word = word[:i]
	}
	word = strings.TrimRight(word, "*/\"'`")
	var out []string
	for _, id := range strings.Split(word, ",") {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func clipText(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

package testtag

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// Gherkin feature files, as Ketryx reads them (MAN-09, and the README of
// Ketryx/git-based-items-best-practices): every Scenario is a test case;
// its @tests:ID tags name the items it tests and its @id:ID tag is its own
// ID. Tags on the Feature (and on a Rule) belong to every scenario under
// it, as in Gherkin itself.
//
//	Feature: Authentication
//	  @id:TC-AUTH-TOKEN @tests:SWR-AUTH-TOKEN-BASED
//	  Scenario: Authenticate with refresh token
//
// A scenario's tag ties the test named like the scenario in a test report
// (Cucumber's JUnit output names each case after its scenario) to the IDs;
// a scenario with an @id: is also a test case that other tests name: a
// pytest test that records tested-item-id TC-AUTH-TOKEN verifies what the
// scenario tests. "# Verifies: SRS-001" comments right above a scenario
// count as they do in other languages.
//
// The keywords are those of the file's language: English unless a
// "# language: de" header before the feature says otherwise, in any of the
// languages Cucumber's Gherkin knows (gherkin_dialects.go). A language it
// does not know is reported and the file links nothing, as Cucumber would
// refuse to run it. Tags on an Examples
// table are Cucumber's way to select rows; @tests: there is reported, not
// read, since the table's rows are no test cases of their own in a report.

// gherkinTag is one tag of a run, with where it was written.
type gherkinTag struct {
	text   string // without the @; for a comment, the text after the tag
	ketryx bool   // a comment's @tests:, whose ID is taken as written
	pos    input.Pos
}

func (s *scan) gherkin(src []byte) {
	lines := strings.Split(string(src), "\n")
	var feature, rule, pending []gherkinTag
	var verifies []gherkinTag // "# Verifies:" comments, for the next scenario
	fence := ""
	d, _ := dialectOf("en")
	header := true // no tag and no feature yet: where "# language:" counts
	for n, raw := range lines {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		indent := strings.Index(raw, line)
		if fence != "" { // inside a doc string
			if strings.HasPrefix(line, fence) {
				fence = ""
			}
			continue
		}
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, `"""`) || strings.HasPrefix(line, "```"):
			fence = line[:3]
			continue
		case strings.HasPrefix(line, "#"):
			body := strings.TrimSpace(line[1:])
			if k, v, ok := strings.Cut(body, ":"); ok && header && strings.TrimSpace(k) == "language" {
				lang := strings.TrimSpace(v)
				if d, ok = dialectOf(lang); !ok {
					s.warn(input.Pos{File: s.file, Line: n + 1, Col: indent + 1},
						"feature file in language %q, which Gherkin does not know (Cucumber would not run it): no scenario of this file is read and its tags link nothing", clipText(lang))
					return
				}
				continue
			}
			for _, h := range findTags(line) {
				verifies = append(verifies, gherkinTag{text: h.rest, ketryx: h.ketryx, pos: input.Pos{File: s.file, Line: n + 1, Col: indent + h.col + 1}})
			}
			continue
		case strings.HasPrefix(line, "@"):
			header = false
			pending = append(pending, tagsOf(line, s.file, n+1, indent)...)
			continue
		case keyword(line, d.feature) != "":
			header = false
			feature, rule, pending, verifies = pending, nil, nil, nil
			continue
		case keyword(line, d.rule) != "":
			rule, pending, verifies = pending, nil, nil
			continue
		}
		background := keyword(line, d.background) != ""
		if background || keyword(line, d.examples) != "" {
			if !background {
				for _, t := range pending {
					if isKetryxTag(t.text, "tests:") {
						s.warn(t.pos, "@%s is on an Examples table, whose rows are not test cases of their own; it links nothing (put it on the Scenario Outline)", t.text)
					}
				}
			}
			pending, verifies = nil, nil
			continue
		}
		kw := keyword(line, d.scenario)
		if kw == "" {
			continue // a step, a table row, a description line
		}
		name := strings.TrimSpace(line[len(kw):])
		s.scenario(name, slices.Concat(feature, rule, pending), verifies, input.Pos{File: s.file, Line: n + 1, Col: indent + 1})
		pending, verifies = nil, nil
	}
}

// scenario records the tags of one scenario.
func (s *scan) scenario(name string, tags, verifies []gherkinTag, pos input.Pos) {
	var tested []string
	var at input.Pos
	id := ""
	const noKetryxID = "@tests: tag with no item ID right after the colon; it links nothing"
	take := func(ids []string, p input.Pos, empty string) {
		if len(ids) == 0 {
			s.warn(p, "%s", empty)
			return
		}
		if at.Line == 0 {
			at = p
		}
		for _, i := range ids {
			if !slices.Contains(tested, i) {
				tested = append(tested, i)
			}
		}
	}
	for _, t := range tags {
		switch {
		case isKetryxTag(t.text, "tests:"):
			take(ketryxIDs(t.text[len("tests:"):]), t.pos, noKetryxID)
		case isKetryxTag(t.text, "id:"):
			v := strings.TrimSpace(t.text[len("id:"):])
			if id != "" && v != id {
				s.warn(t.pos, "scenario %q has a second @id: (%s after %s); the first one is its ID", clipText(name), clipText(v), id)
				continue
			}
			id = v
		}
	}
	for _, v := range verifies {
		if v.ketryx {
			take(ketryxIDs(v.text), v.pos, noKetryxID)
			continue
		}
		take(s.ids(v.text), v.pos, fmt.Sprintf("Verifies tag with no requirement ID matching the configured pattern (%q)", clipText(v.text)))
	}
	if len(tested) == 0 {
		if id != "" {
			s.warn(pos, "scenario %q (@id:%s) has no @tests: tag; it verifies nothing", clipText(name), id)
		}
		return
	}
	if name == "" {
		s.warn(at, "@tests: tag is on a scenario without a name; it links nothing")
		return
	}
	if len(s.tags) >= maxTags {
		s.warn(at, "more than %d tags in the file; this one and the rest are not read", maxTags)
		return
	}
	s.tags = append(s.tags, model.TestTag{Function: name, IDs: tested, Case: id, Source: at})
}

// isKetryxTag reports whether a tag (without its @) is Ketryx's prefix:
// tests: or id:, in any case.
func isKetryxTag(tag, prefix string) bool {
	return len(tag) >= len(prefix) && strings.EqualFold(tag[:len(prefix)], prefix)
}

// tagsOf splits a line of Gherkin tags ("@a @tests:X  # comment").
func tagsOf(line, file string, n, indent int) []gherkinTag {
	var out []gherkinTag
	for col := 0; col < len(line); {
		for col < len(line) && (line[col] == ' ' || line[col] == '\t') {
			col++
		}
		if col >= len(line) || line[col] == '#' {
			break
		}
		end := col
		for end < len(line) && line[end] != ' ' && line[end] != '\t' {
			end++
		}
		if line[col] == '@' && end > col+1 {
			out = append(out, gherkinTag{text: line[col+1 : end], pos: input.Pos{File: file, Line: n, Col: indent + col + 1}})
		}
		col = end
	}
	return out
}

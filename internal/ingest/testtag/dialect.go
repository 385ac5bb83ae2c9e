package testtag

//go:generate go run gen_dialects.go

import (
	"slices"
	"strings"
)

// gherkinDialect is what the feature-file reader needs of one of Gherkin's
// languages: the keywords that start the lines it cares about. A keyword
// counts when the line starts with it followed by a colon, as Cucumber's
// own matcher has it. scenario holds the Scenario and the Scenario Outline
// keywords: both are scenarios in a report.
type gherkinDialect struct {
	lang                                          string
	feature, rule, background, scenario, examples []string
}

// dialectOf returns the dialect of a "# language:" header, as Cucumber
// spells the code (de, pt, en-au, zh-CN …), and whether Gherkin knows it.
func dialectOf(lang string) (*gherkinDialect, bool) {
	i, ok := slices.BinarySearchFunc(gherkinDialects, lang, func(d gherkinDialect, l string) int { return strings.Compare(d.lang, l) })
	if !ok {
		return nil, false
	}
	return &gherkinDialects[i], true
}

// keyword returns the keyword of kws, with its colon, that line starts
// with, or "".
func keyword(line string, kws []string) string {
	for _, kw := range kws {
		if len(line) > len(kw) && line[len(kw)] == ':' && strings.HasPrefix(line, kw) {
			return line[:len(kw)+1]
		}
	}
	return ""
}

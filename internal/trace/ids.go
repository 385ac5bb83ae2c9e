// Package trace resolves the links of a design history file into a graph:
// requirements and their parents and children, risk controls and the
// requirements that implement them, hazards and their controls, tests and
// the requirements they verify. It decides each requirement's verification
// status. It does no I/O.
package trace

import (
	"regexp"
	"sort"

	"github.com/tracegate/tracegate/internal/config"
)

// IDs finds the IDs of each kind in text with the policy's patterns.
type IDs struct {
	re   map[string]*regexp.Regexp
	full map[string]*regexp.Regexp
	ext  []external
}

// external is one of the policy's external namespaces, compiled.
type external struct {
	config.External
	re *regexp.Regexp // whole IDs within text, as the kinds' patterns
}

// NewIDs compiles the policy's ID patterns.
func NewIDs(cfg *config.Config) (*IDs, error) {
	re, err := cfg.Patterns()
	if err != nil {
		return nil, err
	}
	x := &IDs{re: re, full: map[string]*regexp.Regexp{}}
	for kind, r := range re {
		// The whole-ID form of the same pattern: the kind's group must span
		// the whole string.
		x.full[kind] = regexp.MustCompile(`^(?:` + r.String() + `)$`)
	}
	for _, e := range cfg.External {
		re, err := config.CompileID(e.Pattern)
		if err != nil {
			return nil, err
		}
		x.ext = append(x.ext, external{External: e, re: re})
	}
	return x, nil
}

// External returns the external namespace that holds id as a target of
// kind, if any: the first of the policy's whose pattern matches id whole.
func (x *IDs) External(kind, id string) (config.External, bool) {
	if x == nil {
		return config.External{}, false
	}
	for _, e := range x.ext {
		if !e.Holds(kind) {
			continue
		}
		if m := e.re.FindStringSubmatchIndex(id); m != nil && m[2] == 0 && m[3] == len(id) {
			return e.External, true
		}
	}
	return config.External{}, false
}

// FindExternal returns the IDs of the external namespaces holding kind in
// text, in order of appearance, once each.
func (x *IDs) FindExternal(kind, text string) []string {
	if x == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, e := range x.ext {
		if !e.Holds(kind) {
			continue
		}
		for _, id := range findAll(e.re, text) {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// Find returns the IDs of kind in text, in order of appearance, once each.
func (x *IDs) Find(kind, text string) []string {
	re := x.re[kind]
	if re == nil || text == "" {
		return nil
	}
	return findAll(re, text)
}

// findAll returns the IDs re finds in text, once each, in order.
func findAll(re *regexp.Regexp, text string) []string {
	var out []string
	seen := map[string]bool{}
	// The pattern consumes one delimiter on each side; restart each search
	// right after the ID so that "SRS-1,SRS-2" yields both.
	for start := 0; start < len(text); {
		m := re.FindStringSubmatchIndex(text[start:])
		if m == nil {
			break
		}
		id := text[start+m[2] : start+m[3]]
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
		start += m[3]
	}
	return out
}

// Is reports whether s is exactly one ID of kind.
func (x *IDs) Is(kind, s string) bool {
	re := x.re[kind]
	if re == nil {
		return false
	}
	return re.MatchString(s) && len(x.Find(kind, s)) == 1 && x.Find(kind, s)[0] == s
}

// Finder is Find for one kind, as the readers take it (ingest.IDFinder).
func (x *IDs) Finder(kind string) func(text string) []string {
	return func(text string) []string { return x.Find(kind, text) }
}

// KindOf returns the kinds whose pattern matches s exactly, sorted.
func (x *IDs) KindOf(s string) []string {
	var out []string
	for kind := range x.re {
		if x.Is(kind, s) {
			out = append(out, kind)
		}
	}
	sort.Strings(out)
	return out
}

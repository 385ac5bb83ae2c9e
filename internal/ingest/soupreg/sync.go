package soupreg

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/soup"
)

// Sync appends to the register data (read from path) an entry for every
// component that no entry matches (by soup.Match), in component order:
// name, purl without version, title, manufacturer (the SBOM's supplier),
// version, identifier (the first CPE) and license where the SBOM tells
// them, and every other field the safety classes require (Sync does not
// know the class) left empty under a TODO(tracegate) comment that says what
// to complete and what the SBOM did not tell. added holds the key
// (model.ComponentKey.String) of each component an entry was added for;
// updated is data itself when there is none.
//
// Components the SBOM marks as not software (soup.NotSOUP) get no entry;
// nor do components with neither a purl nor a usable name, which no entry
// could match (the SOUP list still shows them as unregistered).
//
// The entries are inserted as text after the last entry of the list, in
// the indentation and spacing of the entries already there; the rest of
// the file (entries, order, comments, blank lines, quoting, line endings, a
// missing final newline) is left byte for byte, except the [] of an empty
// list or the null of an empty soup:, which the entries replace. A
// register in rdm's format gets rdm entries. A list in flow style is
// refused rather than rewritten, and so is any edit after which the file
// would not read back as the old entries followed by the new ones.
func Sync(path string, data []byte, components []model.Component) (updated []byte, added []string, err error) {
	if isMarkdownName(path) {
		return nil, nil, input.Errorf(input.Pos{File: path}, "cannot add SOUP entries to a register kept as a Markdown table").
			WithHint("add a row for each component by hand (tracegate soup list shows the components without one)")
	}
	r, err := parse(path, data)
	if err != nil {
		return nil, nil, err
	}
	if r.format == FormatComponents {
		return nil, nil, input.Errorf(input.Pos{File: path}, "cannot add SOUP entries to a components: register (the risk-management template's soup.yaml)").
			WithHint("add an entry for each component by hand (tracegate soup list shows the components without one)")
	}
	entries, comps := missing(components, r.items)
	if len(entries) == 0 {
		return data, nil, nil
	}
	fail := func(err error) ([]byte, []string, error) {
		pos := input.Pos{File: path}
		var ne *nodeError
		if errors.As(err, &ne) {
			pos.Line, pos.Col = ne.line, ne.col
		}
		return nil, nil, &input.Error{Pos: pos, Msg: "cannot add SOUP entries: " + err.Error(), Err: err,
			Hint: "add the entries by hand (tracegate soup list shows the components without one)"}
	}
	t, err := newText(data)
	if err != nil {
		return fail(err)
	}
	e, err := plan(t, r)
	if err != nil {
		return fail(err)
	}
	out := apply(t, e, render(entries, r.format, e.style))
	if err := verify(path, out, r, entries, comps, components); err != nil {
		return fail(err)
	}
	for _, c := range comps {
		added = append(added, c.Key().String())
	}
	return out, added, nil
}

// missing returns the entries to add and their components: one for each
// component that neither the register nor an entry added before matches.
func missing(components []model.Component, register []model.SOUPItem) ([]skeleton, []model.Component) {
	var entries []skeleton
	var comps []model.Component
	var idx matchIndex
	matched, _ := soup.Match(components, register)
	for _, m := range matched {
		c := m.Component
		if m.Item != nil || soup.NotSOUP(c) || idx.matches(c) {
			continue
		}
		s, ok := skeletonOf(c)
		if !ok {
			continue
		}
		entries = append(entries, s)
		comps = append(comps, c)
		idx.add(s.item)
	}
	return entries, comps
}

// matchIndex answers soup.Match's question, whether any entry matches a
// component, for the entries being added, as they are added: calling
// soup.Match once per component would take quadratic time on the first
// sync of a large product. It looks up the keys soup.Match looks up; verify
// checks the outcome with soup.Match itself.
type matchIndex struct {
	purls, names, folds map[string]bool
}

func (x *matchIndex) add(it model.SOUPItem) {
	if x.purls == nil {
		x.purls, x.names, x.folds = map[string]bool{}, map[string]bool{}, map[string]bool{}
	}
	if k := soup.PackageKey(it.PURL); k != "" {
		x.purls[k] = true
	}
	if it.Name != "" {
		x.names[it.Name] = true
		x.folds[strings.ToLower(it.Name)] = true
	}
}

func (x *matchIndex) matches(c model.Component) bool {
	if x.purls == nil {
		return false
	}
	if k := soup.PackageKey(c.PURL); k != "" && x.purls[k] {
		return true
	}
	names := []string{c.Name}
	if c.Group != "" {
		sep := "/"
		if strings.HasPrefix(c.PURL, "pkg:maven/") {
			sep = ":"
		}
		names = []string{c.Group + sep + c.Name, c.Name}
	}
	for _, n := range names {
		if x.names[n] || x.folds[strings.ToLower(n)] {
			return true
		}
	}
	return false
}

// apply builds the new file: data with the cut removed and the lines
// inserted. When the lines go after a last line without a line break, they
// start with one and end without, so the file still ends as it did.
func apply(t *text, e edit, lines []string) []byte {
	if e.wrap {
		lines = append([]string{"soup:"}, lines...)
	}
	block := strings.Join(lines, t.eol)
	switch {
	case e.at < len(t.data) || t.endsWithNewline():
		block += t.eol
	case !e.replace:
		block = t.eol + block
	}
	var out bytes.Buffer
	out.Write(t.data[:e.cut[0]])
	out.Write(t.data[e.cut[1]:e.at])
	out.WriteString(block)
	out.Write(t.data[e.at:])
	return out.Bytes()
}

// verify reads the new file back: it must hold the old entries, unchanged,
// then the new ones as written, in the same format, and the components
// must now all have an entry. Sync never hands back a file that reads
// otherwise.
func verify(path string, out []byte, old *register, entries []skeleton, comps, components []model.Component) error {
	r, err := parse(path, out)
	if err != nil {
		return fmt.Errorf("the edited register would not read: %w", err)
	}
	if r.format != old.format {
		return fmt.Errorf("the edited register would read as %s, not %s", r.format, old.format)
	}
	if len(r.items) != len(old.items)+len(entries) {
		return fmt.Errorf("the edited register would hold %d entries, not %d", len(r.items), len(old.items)+len(entries))
	}
	for i, it := range old.items {
		if !reflect.DeepEqual(it, r.items[i]) {
			return fmt.Errorf("the entry %q at %s would read differently", it.Name, it.Source)
		}
	}
	for i, s := range entries {
		got, want := r.items[len(old.items)+i], s.item
		if got.Name != want.Name || got.PURL != want.PURL || got.Version != want.Version || got.Manufacturer != want.Manufacturer ||
			got.Identifier != want.Identifier || got.License != want.License || (old.format == FormatNative && got.Title != want.Title) {
			return fmt.Errorf("the entry added for %s would read differently", comps[i].Key())
		}
	}
	// Every component that can have an entry now has one, by soup.Match
	// itself: a second Sync adds nothing.
	matched, _ := soup.Match(components, r.items)
	for _, m := range matched {
		if _, ok := skeletonOf(m.Component); m.Item == nil && ok && !soup.NotSOUP(m.Component) {
			return fmt.Errorf("the entries added would not match %s", m.Component.Key())
		}
	}
	return nil
}

package sbom

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
)

// notes collects what a decoder repaired or skipped. Producers repeat their
// quirks on every element, so repairs of one kind are counted into one
// warning that names the first place and gives an example, instead of
// burying the reader under 3000 identical lines.
type notes struct {
	file  string
	order []*note
	byKey map[noteKind]*note
}

type note struct {
	kind    noteKind
	n       int
	pos     input.Pos
	example string
	text    string // for one-off warnings (kind == "")
}

// noteKind names a kind of repair; its text is in noteTexts.
type noteKind string

// noteText is the message of a counted repair: %s is replaced by the count
// and the noun in singular or plural ("1 supplier value", "3 supplier
// values").
type noteText struct{ one, many, text string }

var noteTexts = map[noteKind]noteText{
	"utf8-bom":              {"byte order mark", "byte order marks", "removed a UTF-8 %s at the start of the file"},
	"null":                  {"null entry", "null entries", "skipped %s in arrays"},
	"supplier-prefix":       {"supplier/originator value", "supplier/originator values", "repaired %s without a Person:/Organization: prefix (read as the supplier's name)"},
	"supplier-type":         {"supplier/originator value", "supplier/originator values", "read %s whose type is not Person or Organization as a plain name"},
	"creator-prefix":        {"creator/annotator value", "creator/annotator values", "repaired %s without a Person:/Organization:/Tool: prefix"},
	"id-prefix":             {"element ID", "element IDs", "repaired %s without the SPDXRef- prefix"},
	"id-colon":              {"element ID", "element IDs", "replaced ':' in %s (':' separates a DocumentRef from an element ID)"},
	"id-chars":              {"element ID", "element IDs", "%s contain characters SPDX does not allow in an ID ([A-Za-z0-9.-]); read as written"},
	"id-duplicate":          {"package", "packages", "%s reuse the SPDXID of an earlier package; kept all of them (a relationship naming the ID applies to each)"},
	"bomref-duplicate":      {"component", "components", "%s reuse the bom-ref of an earlier component; kept all of them (a dependency naming the ref applies to each)"},
	"id-moved":              {"SPDXID tag", "SPDXID tags", "moved %s written before their PackageName/FileName to after it"},
	"id-missing":            {"element", "elements", "gave %s without an SPDXID a generated one"},
	"id-repeated":           {"repeated SPDXID tag", "repeated SPDXID tags", "ignored %s inside one element (the first is kept)"},
	"tag-case":              {"tag", "tags", "repaired %s in the wrong letter case"},
	"tag-unknown":           {"line with an unknown tag", "lines with unknown tags", "ignored %s"},
	"tag-version":           {"tag", "tags", "ignored %s that the document's SPDX version does not define"},
	"tag-nocolon":           {"line", "lines", "ignored %s without the 'Tag: value' form"},
	"agent-prefix":          {"agent name", "agent names", "read %s written the SPDX 2 way (\"Organization: …\") without the type"},
	"relationship-spelling": {"relationship type", "relationship types", "read %s written in SPDX 2's spelling (DEPENDS_ON) as SPDX 3's (dependsOn)"},
	"extid-purl":            {"external identifier", "external identifiers", "read %s of type purl as SPDX 3's packageUrl"},
	"extid-unresolved":      {"external identifier reference", "external identifier references", "skipped %s naming no ExternalIdentifier element of the document"},
	"cr-line-end":           {"line", "lines", "read %s ended by a lone carriage return (CR, as old Mac tools and files merged from several systems end them) as lines"},
	"text-trailing":         {"line", "lines", "ignored text after </text> on %s"},
	"snippet-moved":         {"snippet section", "snippet sections", "skipped %s directly after a package (tools-golang cannot read them there; snippets do not feed the SOUP list)"},
	"header-moved":          {"document header tag", "document header tags", "moved %s written after creation information ahead of it (tools-golang reads them only there)"},
	"license-moved":         {"license or review section", "license or review sections", "moved %s written before a package or file to the end of the document (tools-golang reads no element after them)"},
	"tag-invalid":           {"line", "lines", "ignored %s whose value tools-golang cannot read"},
	"tag-context":           {"line", "lines", "ignored %s that qualify a tag they do not follow"},
	"tag-misplaced":         {"tag", "tags", "ignored %s outside the section that defines them"},
	"library-skip":          {"line", "lines", "skipped %s that tools-golang rejected"},
	"checksum-case":         {"checksum algorithm", "checksum algorithms", "read %s not spelt as the format defines"},
	"checksum-unknown":      {"checksum", "checksums", "skipped %s with an unknown algorithm"},
	"checksum-invalid":      {"checksum", "checksums", "skipped %s whose value is not a hex digest of the algorithm's length"},
	"checksum-conflict":     {"merged component", "merged components", "kept the first digest of %s whose elements disagree on a hash"},
	"rel-case":              {"relationship type", "relationship types", "read %s not in upper case"},
	"scalar-type":           {"value", "values", "read %s of the wrong JSON type as text"},
	"purl-invalid":          {"invalid purl", "invalid purls", "ignored %s"},
	"purl-slash":            {"purl", "purls", "read %s whose '/' between namespace and name is percent-encoded"},
	"rdf-reltype":           {"relationship", "relationships", "read %s of a type tools-golang's RDF reader does not know as OTHER"},
	"rdf-checksum":          {"checksum", "checksums", "skipped %s of an algorithm tools-golang's RDF reader does not know"},
	"rdf-orphan":            {"package", "packages", "read %s that tools-golang's RDF reader leaves out (no relationship names them) from the RDF triples"},
	"purl-extra":            {"package", "packages", "used the first of several purls on %s"},
	"version-case":          {"version string", "version strings", "read %s not written exactly as the specification spells it"},
	"nameless":              {"component", "components", "read %s without a name (named after their purl where they have one)"},
	"empty-component":       {"empty component", "empty components", "skipped %s (null or {} in components)"},
	"root-listed":           {"component", "components", "set aside %s that repeat the described root (metadata.component)"},
	"rdf-attr-space":        {"attribute", "attributes", "removed white space between '=' and the quoted value of %s (gordf cannot read it)"},
	"rdf-attr-value-space":  {"white space character", "white space characters", "percent-encoded %s inside URI attribute values (gordf cannot read them)"},
}

func newNotes(file string) *notes {
	return &notes{file: file, byKey: map[noteKind]*note{}}
}

// add counts one repair of kind k. pos and example describe the first one.
func (ns *notes) add(k noteKind, pos input.Pos, example string) {
	if n, ok := ns.byKey[k]; ok {
		n.n++
		return
	}
	if pos.File == "" {
		pos.File = ns.file
	}
	n := &note{kind: k, n: 1, pos: pos, example: example}
	ns.byKey[k] = n
	ns.order = append(ns.order, n)
}

// addAt counts a repair at a line of the file.
func (ns *notes) addAt(k noteKind, line int, example string) {
	ns.add(k, input.Pos{File: ns.file, Line: line}, example)
}

// warnf records a one-off warning.
func (ns *notes) warnf(pos input.Pos, format string, args ...any) {
	if pos.File == "" {
		pos.File = ns.file
	}
	ns.order = append(ns.order, &note{pos: pos, text: fmt.Sprintf(format, args...)})
}

func (ns *notes) warnings() []input.Warning {
	out := make([]input.Warning, 0, len(ns.order))
	for _, n := range ns.order {
		if n.kind == "" {
			out = append(out, input.Warning{Pos: n.pos, Msg: n.text})
			continue
		}
		t, ok := noteTexts[n.kind]
		if !ok {
			t = noteText{"repair", "repairs", "made %s of kind " + string(n.kind)}
		}
		noun := t.many
		if n.n == 1 {
			noun = t.one
		}
		msg := fmt.Sprintf(t.text, strconv.Itoa(n.n)+" "+noun)
		if n.example != "" {
			msg += " (e.g. " + n.example + ")"
		}
		out = append(out, input.Warning{Pos: n.pos, Msg: msg})
	}
	return out
}

// quote renders a value from the file for a message, cut to a readable
// length.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strconv.Quote(s)
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// at appends where a value sits in the document (a JSON path) to an example.
func at(example, path string) string {
	if path == "" {
		return example
	}
	return example + " at " + path
}

// jsonPath renders a path of keys and indexes ("packages[3].supplier").
func jsonPath(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		if strings.HasPrefix(p, "[") || b.Len() == 0 {
			b.WriteString(p)
			continue
		}
		b.WriteByte('.')
		b.WriteString(p)
	}
	return b.String()
}

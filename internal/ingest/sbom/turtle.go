package sbom

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	gordf "github.com/spdx/gordf/rdfloader/parser"
)

// turtle parses RDF 1.1 Turtle (W3C Recommendation, 25 February 2014) into
// the triples gordf gives tools-golang's SPDX RDF readers, so that SPDX 2.x
// in Turtle (as spdx/tools-java and rdflib convert to) is read by the same
// reader as RDF/XML. No Turtle parser for Go is served by the module proxy
// here; this one implements the whole grammar of the Recommendation
// (directives in both spellings, prefixed names with escapes and %-encoding,
// blank node labels, [] property lists, collections, the four string forms
// with escapes, language tags, datatypes, numbers and booleans, the keyword
// a) and nothing beyond it: what is not Turtle is an error at its line and
// column. It is bounded: nesting of [] and () is limited to
// maxTurtleDepth, and everything else grows with the input alone.
//
// Nodes are as gordf makes them: an IRI's ID is the absolute IRI, a blank
// node's is "N" and a number, a literal's is its lexical form (its language
// and datatype are not kept: SPDX's properties are plain strings).
type turtle struct {
	data     []byte
	off      int
	base     *url.URL
	prefixes map[string]string
	bnodes   map[string]*gordf.Node
	blanks   int
	depth    int
	triples  []*gordf.Triple
	seen     map[[3]string]bool
	at       map[*gordf.Triple]int // where each triple was written: its predicate's offset
}

// maxTurtleDepth bounds the nesting of blank node property lists and
// collections, which the parser follows by recursion.
const maxTurtleDepth = 256

// turtleError is a syntax error at a byte offset of the document.
type turtleError struct {
	off int
	msg string
}

func (e *turtleError) Error() string { return e.msg }

// parseTurtle reads a Turtle document's triples, and the byte offset each
// was written at, so that a repair's warning can name its line.
func parseTurtle(data []byte) (triples []*gordf.Triple, at map[*gordf.Triple]int, err error) {
	p := &turtle{data: data, prefixes: map[string]string{}, bnodes: map[string]*gordf.Node{}, seen: map[[3]string]bool{}, at: map[*gordf.Triple]int{}}
	defer func() {
		if r := recover(); r != nil {
			te, ok := r.(*turtleError)
			if !ok {
				panic(r)
			}
			triples, at, err = nil, nil, te
		}
	}()
	for {
		p.space()
		if p.off >= len(p.data) {
			return p.triples, p.at, nil
		}
		p.statement()
	}
}

func (p *turtle) fail(format string, args ...any) {
	panic(&turtleError{off: p.off, msg: fmt.Sprintf(format, args...)})
}

// space skips white space and comments.
func (p *turtle) space() {
	for p.off < len(p.data) {
		switch c := p.data[p.off]; c {
		case ' ', '\t', '\r', '\n':
			p.off++
		case '#':
			for p.off < len(p.data) && p.data[p.off] != '\n' && p.data[p.off] != '\r' {
				p.off++
			}
		default:
			return
		}
	}
}

func (p *turtle) peek() byte {
	if p.off < len(p.data) {
		return p.data[p.off]
	}
	return 0
}

func (p *turtle) expect(c byte) {
	p.space()
	if p.peek() != c {
		p.fail("expected %q, found %s", c, p.found())
	}
	p.off++
}

// found describes what is at the current offset, for messages.
func (p *turtle) found() string {
	if p.off >= len(p.data) {
		return "the end of the document"
	}
	end := p.off
	for end < len(p.data) && end-p.off < 20 && p.data[end] != '\n' && p.data[end] != '\r' {
		end++
	}
	return strconv.Quote(string(p.data[p.off:end]))
}

// keyword reports whether the input continues with word (case-insensitive
// when fold) followed by a character that cannot continue a name.
func (p *turtle) keyword(word string, fold bool) bool {
	end := p.off + len(word)
	if end > len(p.data) {
		return false
	}
	got := string(p.data[p.off:end])
	if got != word && !(fold && strings.EqualFold(got, word)) {
		return false
	}
	if end < len(p.data) {
		r, _ := utf8.DecodeRune(p.data[end:])
		if isPNChar(r) || r == ':' {
			return false
		}
	}
	return true
}

func (p *turtle) statement() {
	switch {
	case p.keyword("@prefix", false):
		p.off += len("@prefix")
		p.prefixDecl()
		p.expect('.')
	case p.keyword("@base", false):
		p.off += len("@base")
		p.baseDecl()
		p.expect('.')
	case p.keyword("PREFIX", true):
		p.off += len("PREFIX")
		p.prefixDecl()
	case p.keyword("BASE", true):
		p.off += len("BASE")
		p.baseDecl()
	default:
		p.triplesStatement()
		p.expect('.')
	}
}

func (p *turtle) prefixDecl() {
	p.space()
	start := p.off
	name := p.pnPrefix()
	if p.peek() != ':' {
		p.off = start
		p.fail("expected a prefix name ending in ':', found %s", p.found())
	}
	p.off++
	p.space()
	p.prefixes[name] = p.iriRef()
}

func (p *turtle) baseDecl() {
	p.space()
	iri := p.iriRef()
	u, err := url.Parse(iri)
	if err != nil {
		p.fail("base IRI %q: %v", iri, err)
	}
	p.base = u
}

func (p *turtle) triplesStatement() {
	p.space()
	if p.peek() == '[' {
		subject, empty := p.blankNodePropertyList()
		p.space()
		if !empty && p.peek() == '.' {
			return // [ ... ] . on its own
		}
		p.predicateObjectList(subject)
		return
	}
	p.predicateObjectList(p.subject())
}

func (p *turtle) subject() *gordf.Node {
	p.space()
	switch c := p.peek(); {
	case c == '(':
		return p.collection()
	case c == '_':
		return p.blankNode()
	case c == '<' || c == ':' || c >= 0x80 || isASCIILetter(c):
		return &gordf.Node{NodeType: gordf.IRI, ID: p.iri()}
	}
	p.fail("expected a subject (an IRI, a blank node or a collection), found %s", p.found())
	return nil
}

func (p *turtle) predicateObjectList(subject *gordf.Node) {
	for {
		p.space()
		var pred string
		at := p.off
		if p.keyword("a", false) {
			p.off++
			pred = nsRDF + "type"
		} else {
			switch c := p.peek(); {
			case c == '<' || c == ':' || c >= 0x80 || isASCIILetter(c):
				pred = p.iri()
			default:
				p.fail("expected a predicate (an IRI or a), found %s", p.found())
			}
		}
		predicate := &gordf.Node{NodeType: gordf.IRI, ID: pred}
		for {
			p.add(subject, predicate, p.object(), at)
			p.space()
			if p.peek() != ',' {
				break
			}
			p.off++
		}
		p.space()
		if p.peek() != ';' {
			return
		}
		for p.peek() == ';' { // ';' may repeat, and may end the list
			p.off++
			p.space()
		}
		if c := p.peek(); c == '.' || c == ']' || c == 0 {
			return
		}
	}
}

// add adds a triple written at byte offset at.
func (p *turtle) add(s, pr, o *gordf.Node, at int) {
	key := [3]string{s.ID, pr.ID, string(o.NodeType) + "\x00" + o.ID}
	if p.seen[key] {
		return // a graph is a set of triples
	}
	p.seen[key] = true
	t := &gordf.Triple{Subject: s, Predicate: pr, Object: o}
	p.triples = append(p.triples, t)
	p.at[t] = at
}

func (p *turtle) object() *gordf.Node {
	p.space()
	switch c := p.peek(); {
	case c == '(':
		return p.collection()
	case c == '[':
		n, _ := p.blankNodePropertyList()
		return n
	case c == '_':
		return p.blankNode()
	case c == '"' || c == '\'':
		return p.rdfLiteral()
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		return &gordf.Node{NodeType: gordf.LITERAL, ID: p.number()}
	case p.keyword("true", false) || p.keyword("false", false):
		v := "true"
		if c == 'f' {
			v = "false"
		}
		p.off += len(v)
		return &gordf.Node{NodeType: gordf.LITERAL, ID: v}
	case c == '<' || c == ':' || c >= 0x80 || isASCIILetter(c):
		return &gordf.Node{NodeType: gordf.IRI, ID: p.iri()}
	}
	p.fail("expected an object (an IRI, a blank node, a collection or a literal), found %s", p.found())
	return nil
}

func (p *turtle) nest() func() {
	p.depth++
	if p.depth > maxTurtleDepth {
		p.fail("blank nodes and collections nested more than %d deep", maxTurtleDepth)
	}
	return func() { p.depth-- }
}

func (p *turtle) newBlank() *gordf.Node {
	p.blanks++
	return &gordf.Node{NodeType: gordf.BLANK, ID: "N" + strconv.Itoa(p.blanks)}
}

// blankNode reads _:label ([] is read by blankNodePropertyList).
func (p *turtle) blankNode() *gordf.Node {
	if p.off+1 >= len(p.data) || p.data[p.off+1] != ':' {
		p.fail("expected a blank node label _:name, found %s", p.found())
	}
	p.off += 2
	start := p.off
	r, size := utf8.DecodeRune(p.data[p.off:])
	if !(isPNCharsU(r) || (r >= '0' && r <= '9')) {
		p.fail("expected a blank node label after _:, found %s", p.found())
	}
	p.off += size
	p.nameTail()
	label := string(p.data[start:p.off])
	n, ok := p.bnodes[label]
	if !ok {
		n = p.newBlank()
		p.bnodes[label] = n
	}
	return n
}

// blankNodePropertyList reads [ predicateObjectList? ]; empty reports [].
func (p *turtle) blankNodePropertyList() (*gordf.Node, bool) {
	defer p.nest()()
	p.off++ // [
	n := p.newBlank()
	p.space()
	if p.peek() == ']' {
		p.off++
		return n, true
	}
	p.predicateObjectList(n)
	p.expect(']')
	return n, false
}

func (p *turtle) collection() *gordf.Node {
	defer p.nest()()
	p.off++ // (
	first, rest, next := &gordf.Node{NodeType: gordf.IRI, ID: nsRDF + "first"}, &gordf.Node{NodeType: gordf.IRI, ID: nsRDF + "rest"}, &gordf.Node{NodeType: gordf.IRI, ID: nsRDF + "nil"}
	var head, last *gordf.Node
	for {
		p.space()
		if p.peek() == ')' {
			p.off++
			break
		}
		if p.off >= len(p.data) {
			p.fail("collection not closed with )")
		}
		cell, at := p.newBlank(), p.off
		if head == nil {
			head = cell
		} else {
			p.add(last, rest, cell, at)
		}
		p.add(cell, first, p.object(), at)
		last = cell
	}
	if head == nil {
		return next
	}
	p.add(last, rest, next, p.off-1)
	return head
}

func (p *turtle) rdfLiteral() *gordf.Node {
	v := p.str()
	switch {
	case p.peek() == '@':
		p.off++
		start := p.off
		for p.off < len(p.data) && (isASCIILetter(p.data[p.off]) || (p.off > start && (p.data[p.off] == '-' || (p.data[p.off] >= '0' && p.data[p.off] <= '9')))) {
			p.off++
		}
		if p.off == start {
			p.fail("expected a language tag after @")
		}
	case p.peek() == '^' && p.off+1 < len(p.data) && p.data[p.off+1] == '^':
		p.off += 2
		p.iri()
	}
	return &gordf.Node{NodeType: gordf.LITERAL, ID: v}
}

// str reads one of the four string forms, with its escapes.
func (p *turtle) str() string {
	q := p.data[p.off]
	long := p.off+2 < len(p.data) && p.data[p.off+1] == q && p.data[p.off+2] == q
	start := p.off
	if long {
		p.off += 3
	} else {
		p.off++
	}
	var b strings.Builder
	for {
		if p.off >= len(p.data) {
			p.off = start
			p.fail("string not closed")
		}
		c := p.data[p.off]
		switch {
		case c == q && !long:
			p.off++
			return b.String()
		case c == q && long && p.off+2 < len(p.data) && p.data[p.off+1] == q && p.data[p.off+2] == q:
			// """a"""" ends with the last three quotes
			for p.off+3 < len(p.data) && p.data[p.off+3] == q {
				b.WriteByte(q)
				p.off++
			}
			p.off += 3
			return b.String()
		case (c == '\n' || c == '\r') && !long:
			p.fail("line break in a string: write \\n, or use a long string (%c%c%c)", q, q, q)
		case c == '\\':
			b.WriteString(p.escape(true))
		default:
			b.WriteByte(c)
			p.off++
		}
	}
}

// escape reads an escape sequence at p.off: \uXXXX and \UXXXXXXXX, and, in
// strings (echar), \t \b \n \r \f \" \' \\.
func (p *turtle) escape(echar bool) string {
	if p.off+1 >= len(p.data) {
		p.fail("escape at the end of the document")
	}
	c := p.data[p.off+1]
	switch c {
	case 'u', 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		if p.off+2+n > len(p.data) {
			p.fail("\\%c needs %d hex digits", c, n)
		}
		v, err := strconv.ParseUint(string(p.data[p.off+2:p.off+2+n]), 16, 32)
		if err != nil || !utf8.ValidRune(rune(v)) {
			p.fail("\\%c%s is not a code point", c, p.data[p.off+2:p.off+2+n])
		}
		p.off += 2 + n
		return string(rune(v))
	}
	if echar {
		if r, ok := map[byte]string{'t': "\t", 'b': "\b", 'n': "\n", 'r': "\r", 'f': "\f", '"': "\"", '\'': "'", '\\': "\\"}[c]; ok {
			p.off += 2
			return r
		}
	}
	p.fail("unknown escape \\%c", c)
	return ""
}

// number reads INTEGER, DECIMAL or DOUBLE and returns its lexical form.
func (p *turtle) number() string {
	start := p.off
	if c := p.peek(); c == '+' || c == '-' {
		p.off++
	}
	digits := func() int {
		n := 0
		for p.off < len(p.data) && p.data[p.off] >= '0' && p.data[p.off] <= '9' {
			p.off++
			n++
		}
		return n
	}
	n := digits()
	// A '.' is a decimal point only when digits follow: "1." ends a statement.
	if p.peek() == '.' && p.off+1 < len(p.data) && p.data[p.off+1] >= '0' && p.data[p.off+1] <= '9' {
		p.off++
		n += digits()
	}
	if n == 0 {
		p.off = start
		p.fail("expected a number, found %s", p.found())
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		p.off++
		if c := p.peek(); c == '+' || c == '-' {
			p.off++
		}
		if digits() == 0 {
			p.fail("exponent without digits")
		}
	}
	return string(p.data[start:p.off])
}

// iri reads an IRIREF or a prefixed name and returns the absolute IRI.
func (p *turtle) iri() string {
	if p.peek() == '<' {
		return p.iriRef()
	}
	start := p.off
	prefix := p.pnPrefix()
	if p.peek() != ':' {
		p.off = start
		p.fail("expected an IRI <...> or a prefixed name, found %s", p.found())
	}
	p.off++
	ns, ok := p.prefixes[prefix]
	if !ok {
		p.off = start
		p.fail("prefix %q is not declared (@prefix %s: <...> .)", prefix, prefix)
	}
	return ns + p.pnLocal()
}

// iriRef reads <...>, resolved against the base.
func (p *turtle) iriRef() string {
	if p.peek() != '<' {
		p.fail("expected an IRI <...>, found %s", p.found())
	}
	start := p.off
	p.off++
	var b strings.Builder
	for {
		if p.off >= len(p.data) {
			p.off = start
			p.fail("IRI not closed with >")
		}
		c := p.data[p.off]
		switch {
		case c == '>':
			p.off++
			return p.resolve(b.String())
		case c == '\\':
			b.WriteString(p.escape(false))
		case c <= 0x20 || strings.IndexByte("<\"{}|^`", c) >= 0:
			p.fail("character %q is not allowed in an IRI", c)
		default:
			b.WriteByte(c)
			p.off++
		}
	}
}

func (p *turtle) resolve(iri string) string {
	if p.base == nil {
		return iri
	}
	u, err := url.Parse(iri)
	if err != nil || u.IsAbs() {
		return iri
	}
	return p.base.ResolveReference(u).String()
}

// pnPrefix reads PN_PREFIX (possibly empty).
func (p *turtle) pnPrefix() string {
	start := p.off
	r, size := utf8.DecodeRune(p.data[p.off:])
	if p.off >= len(p.data) || !isPNCharsBase(r) {
		return ""
	}
	p.off += size
	p.nameTail()
	return string(p.data[start:p.off])
}

// pnLocal reads PN_LOCAL (possibly empty), unescaping \-escapes and
// keeping %-encodings as written.
func (p *turtle) pnLocal() string {
	var b strings.Builder
	first := true
	for p.off < len(p.data) {
		c := p.data[p.off]
		switch {
		case c == '\\':
			if p.off+1 >= len(p.data) || strings.IndexByte("_~.-!$&'()*+,;=/?#@%", p.data[p.off+1]) < 0 {
				p.fail("unknown escape in a local name")
			}
			b.WriteByte(p.data[p.off+1])
			p.off += 2
		case c == '%':
			if p.off+2 >= len(p.data) || !isHex(p.data[p.off+1]) || !isHex(p.data[p.off+2]) {
				p.fail("%% in a local name must be followed by two hex digits")
			}
			b.Write(p.data[p.off : p.off+3])
			p.off += 3
		case c == '.':
			// A '.' inside a local name, never at its end.
			if p.off+1 < len(p.data) && continuesLocal(p.data[p.off+1:]) && !first {
				b.WriteByte(c)
				p.off++
				continue
			}
			return b.String()
		default:
			r, size := utf8.DecodeRune(p.data[p.off:])
			if !(isPNCharsU(r) || r == ':' || (r >= '0' && r <= '9') || (!first && isPNChar(r))) {
				return b.String()
			}
			b.WriteRune(r)
			p.off += size
		}
		first = false
	}
	return b.String()
}

func continuesLocal(b []byte) bool {
	r, _ := utf8.DecodeRune(b)
	return isPNChar(r) || r == ':' || r == '%' || r == '\\' || r == '.'
}

// nameTail reads the rest of a prefix or blank node label: PN_CHARS and
// '.', not ending with '.'.
func (p *turtle) nameTail() {
	for p.off < len(p.data) {
		r, size := utf8.DecodeRune(p.data[p.off:])
		switch {
		case isPNChar(r):
			p.off += size
		case r == '.':
			rest := p.data[p.off+1:]
			if len(rest) == 0 {
				return
			}
			if r2, _ := utf8.DecodeRune(rest); !isPNChar(r2) && r2 != '.' {
				return
			}
			p.off++
		default:
			return
		}
	}
}

func isASCIILetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// The character classes of the Turtle grammar ([163s]–[166s]).
func isPNCharsBase(r rune) bool {
	switch {
	case r < 0x80:
		return isASCIILetter(byte(r))
	case r == utf8.RuneError:
		return false
	}
	return (r >= 0xC0 && r <= 0xD6) || (r >= 0xD8 && r <= 0xF6) || (r >= 0xF8 && r <= 0x2FF) || (r >= 0x370 && r <= 0x37D) ||
		(r >= 0x37F && r <= 0x1FFF) || (r >= 0x200C && r <= 0x200D) || (r >= 0x2070 && r <= 0x218F) || (r >= 0x2C00 && r <= 0x2FEF) ||
		(r >= 0x3001 && r <= 0xD7FF) || (r >= 0xF900 && r <= 0xFDCF) || (r >= 0xFDF0 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0xEFFFF)
}

func isPNCharsU(r rune) bool { return isPNCharsBase(r) || r == '_' }

func isPNChar(r rune) bool {
	return isPNCharsU(r) || r == '-' || (r >= '0' && r <= '9') || r == 0xB7 || (r >= 0x300 && r <= 0x36F) || (r >= 0x203F && r <= 0x2040)
}

// looksTurtle reports whether a document starts as Turtle does: with a
// directive, an absolute IRI in <>, or a blank node label (comments and
// white space skipped).
func looksTurtle(data []byte) bool {
	p := &turtle{data: data}
	p.space()
	rest := data[p.off:]
	for _, d := range []string{"@prefix", "@base"} {
		if bytes.HasPrefix(rest, []byte(d)) {
			return true
		}
	}
	for _, d := range []string{"prefix", "base"} {
		if len(rest) > len(d) && strings.EqualFold(string(rest[:len(d)]), d) && (rest[len(d)] == ' ' || rest[len(d)] == '\t') {
			return true
		}
	}
	if bytes.HasPrefix(rest, []byte("_:")) {
		return true
	}
	if bytes.HasPrefix(rest, []byte("<")) {
		end := bytes.IndexAny(rest, "> \t\r\n")
		return end > 0 && rest[end] == '>' && (bytes.Contains(rest[:end], []byte("://")) || bytes.HasPrefix(rest[1:], []byte("urn:")))
	}
	return false
}

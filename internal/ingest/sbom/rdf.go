package sbom

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spdx/gordf/rdfloader"
	gordf "github.com/spdx/gordf/rdfloader/parser"
	"github.com/spdx/tools-golang/spdx"
	v2_2_rdf "github.com/spdx/tools-golang/spdx/v2/v2_2/rdf/reader"
	v2_3_rdf "github.com/spdx/tools-golang/spdx/v2/v2_3/rdf/reader"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
	"github.com/tracegate/tracegate/internal/model"
)

// spdxRDF reads SPDX 2.2 and 2.3 RDF/XML with tools-golang, whose RDF
// parser is gordf. gordf's XML tokenizer reads an attribute value right
// after the '=' and up to the next quote or white space, so it rejects two
// things XML allows:
//
//   - white space between '=' and the quoted value. The official SPDX 2.3
//     example (spdx-spec examples/SPDXRdfExample-v2.3.spdx.rdf.xml, line
//     ~4990) writes `rdf:datatype=` and the value on the next line; gordf
//     fails with "unexpected blank char. expected a closing quote";
//   - white space inside a value (a URI with a space).
//
// When gordf fails, both are repaired in the bytes (the space after '=' is
// removed; white space inside a value, which cannot be part of a URI, is
// percent-encoded) and the document is read again.
type spdxRDF struct{}

// rdfPositionLimit bounds the documents whose failure position is searched
// (by re-reading byte by byte): beyond it an error names only the file.
const rdfPositionLimit = 32 << 20

// maxRDFRemovals bounds how many unknown predicates are removed before the
// document is reported as unreadable.
const maxRDFRemovals = 8

func (spdxRDF) decode(src *source) (*parsed, error) {
	doc, triples, err := readRDF(src.version, src.data)
	if err == nil {
		return fromRDF(src, doc, triples)
	}
	// Repairs are edits of the original bytes, so that every warning
	// names a line of the file as the user has it.
	edits := xmlAttributeEdits(src.data)
	removed := map[string]bool{}
	data := src.data
	for range maxRDFRemovals + 2 {
		if len(edits) == 0 {
			break
		}
		data = applyEdits(src.data, edits)
		doc, triples, err = readRDF(src.version, data)
		if err == nil {
			noteEdits(src, edits)
			return fromRDF(src, doc, triples)
		}
		// tools-golang's 2.3 RDF reader does not know every 2.3 term:
		// checksums of the algorithms 2.3 added (SHA3, BLAKE2b, BLAKE3,
		// ADLER32) are skipped, the relationship types specificationFor and requirementDescriptionFor
		// are read as "other" (neither is a dependency), and unknown
		// properties (the spec example's license crossRef) describe
		// licenses, not packages, and are removed.
		var more []edit
		if strings.Contains(err.Error(), "checksum algorithm") && !removed["checksum"] {
			removed["checksum"] = true
			more = checksumEdits(src.data)
		} else if rt := unknownRelType().FindStringSubmatch(err.Error()); rt != nil && !removed["type:"+rt[1]] {
			removed["type:"+rt[1]] = true
			more = relTypeEdits(src.data, rt[1])
		} else if iri := unknownPredicate(err); iri != "" && !removed[iri] {
			removed[iri] = true
			more = propertyEdits(src.data, iri)
		}
		if len(more) == 0 {
			break
		}
		edits = append(edits, more...)
	}
	pos := src.pos()
	msg := "tools-golang (gordf) cannot read the RDF/XML document: " + err.Error()
	if len(data) <= rdfPositionLimit && len(edits) == 0 {
		if off, ok := gordfFailure(data); ok {
			pos = src.posAt(off)
			msg += fmt.Sprintf(" (near byte %d)", off)
		}
	}
	return nil, &input.Error{Pos: pos, Msg: msg, Err: err,
		Hint: "check the XML there; tracegate also reads SPDX JSON and tag-value, which tools that write RDF can usually produce"}
}

// noteEdits records the repairs that made the document readable, in the
// order of the file; removed properties are named one by one, since which
// ones were dropped matters to a reader of the warnings.
func noteEdits(src *source, edits []edit) {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b edit) int { return a.from - b.from })
	removed := map[string]int{}
	var order []string
	first := map[string]input.Pos{}
	for _, e := range sorted {
		l, c := lineCol(src.data, e.from)
		pos := input.Pos{File: src.file, Line: l, Col: c}
		if e.kind == "rdf-unknown" {
			if removed[e.example] == 0 {
				order = append(order, e.example)
				first[e.example] = pos
			}
			removed[e.example]++
			continue
		}
		src.notes.add(e.kind, pos, quote(e.example))
	}
	for _, name := range order {
		src.notes.warnf(first[name], "removed %d %s elements: tools-golang's RDF reader does not know the property and rejects the document with it",
			removed[name], name)
	}
}

var predicateIRI = lazyre.New(`https?://[^\s()'"<>]+`)

// unknownPredicate returns the IRI of the property tools-golang's RDF reader
// stopped at, if that is why it failed.
func unknownPredicate(err error) string {
	msg := err.Error()
	i := strings.Index(msg, "unknown predicate")
	if i < 0 {
		return ""
	}
	return predicateIRI().FindString(msg[i:])
}

// rdfChecksumAlgorithms are the algorithms tools-golang's RDF readers know.
var rdfChecksumAlgorithms = map[string]bool{
	"md2": true, "md4": true, "md5": true, "md6": true,
	"sha1": true, "sha224": true, "sha256": true, "sha384": true, "sha512": true,
}

// checksumEdits removes the spdx:checksum properties whose algorithm
// tools-golang's RDF reader does not know.
func checksumEdits(data []byte) []edit {
	return elementEdits(data, nsSPDX, "checksum", "rdf-checksum", func(d *xml.Decoder, se *xml.StartElement) (string, bool, error) {
		var c struct {
			Checksum struct {
				Algorithm struct {
					Resource string `xml:"resource,attr"`
				} `xml:"algorithm"`
			} `xml:"Checksum"`
		}
		if err := d.DecodeElement(&c, se); err != nil {
			return "", false, err
		}
		_, alg, _ := strings.Cut(c.Checksum.Algorithm.Resource, "checksumAlgorithm_")
		return alg, alg != "" && !rdfChecksumAlgorithms[strings.ToLower(alg)], nil
	})
}

var unknownRelType = lazyre.New(`unknown relationshipType: '([A-Za-z]+)'`)

// relTypeEdits rewrites the relationship type name to "other".
func relTypeEdits(data []byte, name string) []edit {
	var edits []edit
	needle := []byte("relationshipType_" + name)
	for i := 0; ; {
		j := bytes.Index(data[i:], needle)
		if j < 0 {
			return edits
		}
		start := i + j + len("relationshipType_")
		end := start + len(name)
		if end < len(data) && (data[end] == '"' || data[end] == '\'') {
			edits = append(edits, edit{from: start, to: end, repl: "other", kind: "rdf-reltype", example: name})
		}
		i = end
	}
}

// edit replaces data[from:to] with repl.
type edit struct {
	from, to int
	repl     string
	kind     noteKind
	example  string
}

// applyEdits applies edits sorted by position; an edit inside a span
// another edit removed is dropped with it.
func applyEdits(data []byte, edits []edit) []byte {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b edit) int { return a.from - b.from })
	out := make([]byte, 0, len(data))
	last := 0
	for _, e := range sorted {
		if e.from < last {
			continue
		}
		out = append(out, data[last:e.from]...)
		out = append(out, e.repl...)
		last = e.to
	}
	return append(out, data[last:]...)
}

// propertyEdits removes every element of the property iri
// (namespace#local) from an RDF/XML document.
func propertyEdits(data []byte, iri string) []edit {
	i := strings.LastIndexAny(iri, "#/")
	if i < 0 {
		return nil
	}
	space, local := iri[:i+1], iri[i+1:]
	return elementEdits(data, space, local, "rdf-unknown", func(d *xml.Decoder, _ *xml.StartElement) (string, bool, error) {
		return "<spdx:" + local + ">", true, d.Skip()
	})
}

// elementEdits removes the elements space:local of an XML document that
// judge, which consumes each element, says to remove; example names the
// element in the repair's warning. nil when the document does not parse:
// the reader then reports the library's own error.
func elementEdits(data []byte, space, local string, kind noteKind,
	judge func(*xml.Decoder, *xml.StartElement) (example string, remove bool, err error)) []edit {
	d := xml.NewDecoder(bytes.NewReader(data))
	var edits []edit
	for {
		before := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				return edits
			}
			return nil
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Space != space || se.Name.Local != local {
			continue
		}
		example, remove, err := judge(d, &se)
		if err != nil {
			return nil
		}
		if remove {
			edits = append(edits, edit{from: int(before), to: int(d.InputOffset()), kind: kind, example: example})
		}
	}
}

func readRDF(version string, data []byte) (*spdx.Document, *gordf.Parser, error) {
	var parser *gordf.Parser
	err := protect("tools-golang", func() error {
		var err error
		parser, err = rdfloader.LoadFromReaderObject(bytes.NewReader(data))
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	doc, err := loadRDF(version, parser)
	if err != nil {
		return nil, nil, err
	}
	return doc, parser, nil
}

// loadRDF builds the SPDX document from RDF triples, whichever syntax
// they were read from, with tools-golang's RDF reader.
func loadRDF(version string, parser *gordf.Parser) (*spdx.Document, error) {
	var out spdx.Document
	err := protect("tools-golang", func() error {
		var err error
		var doc any
		switch version {
		case "SPDX-2.2":
			doc, err = v2_2_rdf.LoadFromGoRDFParser(parser)
		case "SPDX-2.3":
			doc, err = v2_3_rdf.LoadFromGoRDFParser(parser)
		default:
			return fmt.Errorf("unsupported SPDX RDF version %q", version)
		}
		if err != nil {
			return err
		}
		return convertSPDX2(doc, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// gordfFailure re-reads data through a reader that hands gordf one byte at
// a time, so that the bytes consumed when it fails locate the failure.
func gordfFailure(data []byte) (int, bool) {
	r := &byteReader{data: data}
	err := protect("gordf", func() error {
		_, err := rdfloader.LoadFromReaderObject(r)
		return err
	})
	if err == nil {
		return 0, false
	}
	return max(r.off-1, 0), true
}

type byteReader struct {
	data []byte
	off  int
}

func (r *byteReader) Read(p []byte) (int, error) {
	if r.off >= len(r.data) {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = r.data[r.off]
	r.off++
	return 1, nil
}

// xmlAttributeEdits finds white space between an attribute's '=' and its
// quoted value (to remove) and white space inside URI values (to
// percent-encode). It walks the markup only: text, comments, CDATA
// sections, processing instructions and declarations are skipped.
func xmlAttributeEdits(data []byte) []edit {
	var edits []edit
	skipTo := func(i int, end string) int {
		j := bytes.Index(data[i:], []byte(end))
		if j < 0 {
			return len(data)
		}
		return i + j + len(end)
	}
	context := func(i int) string { return string(data[max(0, i-20):min(len(data), i+20)]) }
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 {
			break
		}
		i += j
		switch rest := data[i:]; {
		case bytes.HasPrefix(rest, []byte("<!--")):
			i = skipTo(i, "-->")
			continue
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			i = skipTo(i, "]]>")
			continue
		case bytes.HasPrefix(rest, []byte("<?")):
			i = skipTo(i, "?>")
			continue
		case bytes.HasPrefix(rest, []byte("<!")):
			i = skipTo(i, ">")
			continue
		}
		// A tag: up to '>' outside quotes.
		uri := false // the value being read is a URI (rdf:about, …)
		for i++; i < len(data) && data[i] != '>'; {
			switch data[i] {
			case '=':
				uri = rdfURIAttrs[string(attrName(data, i))]
				k := i + 1
				for k < len(data) && isXMLSpace(data[k]) {
					k++
				}
				if k > i+1 && k < len(data) && (data[k] == '"' || data[k] == '\'') {
					edits = append(edits, edit{from: i + 1, to: k, kind: "rdf-attr-space", example: context(i)})
				}
				i = k
			case '"', '\'':
				q := data[i]
				k := i + 1
				for k < len(data) && data[k] != q {
					if uri && isXMLSpace(data[k]) {
						edits = append(edits, edit{from: k, to: k + 1, repl: fmt.Sprintf("%%%02X", data[k]),
							kind: "rdf-attr-value-space", example: context(k)})
					}
					k++
				}
				i = k + 1
				uri = false
			default:
				i++
			}
		}
	}
	return edits
}

// rdfURIAttrs are the RDF/XML attributes whose value is a URI, in which
// white space cannot occur; other attribute values (property attributes
// such as spdx:name="…") are literals and left alone.
var rdfURIAttrs = map[string]bool{"rdf:about": true, "rdf:resource": true, "rdf:datatype": true}

// attrName returns the attribute name that ends before the '=' at eq.
func attrName(data []byte, eq int) []byte {
	j := eq
	for j > 0 && isXMLSpace(data[j-1]) {
		j--
	}
	k := j
	for k > 0 && !isXMLSpace(data[k-1]) && data[k-1] != '<' && data[k-1] != '"' && data[k-1] != '\'' {
		k--
	}
	return data[k:j]
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// fromRDF extracts the SOUP fields of an RDF document, adding the packages
// tools-golang's RDF reader leaves out. That reader finds packages by
// following the document's properties and relationships, so a package no
// relationship names (the SPDX 2.3 example's "Apache Commons Lang") is
// silently missing from its result; such packages are read here from the
// triples gordf parsed: name, versionInfo, supplier, originator,
// downloadLocation, primaryPackagePurpose, licenses given as a single
// license IRI, externalRef and checksum.
func fromRDF(src *source, doc *spdx.Document, parser *gordf.Parser) (p *parsed, lost error) {
	p = fromSPDX2(src, doc, nil)
	if parser == nil {
		return p, nil
	}
	have := map[string]bool{}
	for _, e := range p.elems {
		have[e.node] = true
	}
	bySubject := map[string][]*gordf.Triple{}
	var packages []string
	for _, t := range parser.Triples {
		if t == nil || t.Subject == nil || t.Predicate == nil || t.Object == nil {
			continue
		}
		bySubject[t.Subject.ID] = append(bySubject[t.Subject.ID], t)
		if t.Predicate.ID == nsRDF+"type" && t.Object.ID == nsSPDX+"Package" {
			packages = append(packages, t.Subject.ID)
		}
	}
	defer func() {
		if src.format != SPDXRDF {
			return // Turtle is parsed by one deterministic parser
		}
		// gordf parses blocks in goroutines that share one error variable
		// without synchronisation: a block's error can be overwritten by
		// another goroutine's nil, and the block's triples are then
		// missing without an error. Count the packages in the XML
		// independently; a package missing from what was read makes the
		// document unreadable, not shorter.
		inXML, err := rdfPackageIDs(src.data)
		if err != nil {
			return
		}
		read := map[string]bool{}
		for _, e := range p.elems {
			read[e.node] = true
		}
		var missing []string
		for _, id := range inXML {
			if !read[id] {
				missing = append(missing, "SPDXRef-"+id)
			}
		}
		if len(missing) > 0 {
			lost = input.Errorf(src.pos(), "the RDF parser (gordf) returned no data for %d packages of the document (e.g. %s)",
				len(missing), quote(missing[0])).
				WithHint("gordf can lose errors between its goroutines; convert the document to SPDX JSON or tag-value")
		}
	}()
	seen := map[string]bool{}
	for _, iri := range packages {
		_, frag, _ := strings.Cut(iri, "#")
		node := bareID(frag)
		if frag == "" || have[node] || seen[node] {
			continue
		}
		seen[node] = true
		e := rawComponent{id: "SPDXRef-" + node, node: node, pathPrefix: iri, pathIndex: -1}
		for _, t := range bySubject[iri] {
			v := t.Object.ID
			switch strings.TrimPrefix(t.Predicate.ID, nsSPDX) {
			case "name":
				e.name = v
			case "versionInfo":
				e.version = v
			case "supplier":
				e.setSupplier(model.SupplierFromSupplier, agentValue(v))
			case "originator":
				e.setSupplier(model.SupplierFromOriginator, agentValue(v))
			case "downloadLocation":
				e.download = v
			case "primaryPackagePurpose":
				e.typ = strings.ReplaceAll(strings.TrimPrefix(lastPart(v), "purpose_"), "_", "-")
			case "licenseConcluded", "licenseDeclared":
				if l := rdfLicense(t.Object); l != "" {
					src := model.LicenseConcluded
					if strings.HasSuffix(t.Predicate.ID, "licenseDeclared") {
						src = model.LicenseDeclared
					}
					e.licenses = append(e.licenses, model.License{Expression: l, Source: src})
				}
			case "externalRef":
				var cat, typ, loc string
				for _, r := range bySubject[v] {
					switch strings.TrimPrefix(r.Predicate.ID, nsSPDX) {
					case "referenceCategory":
						cat = strings.TrimPrefix(lastPart(r.Object.ID), "referenceCategory_")
					case "referenceType":
						typ = lastPart(r.Object.ID)
					case "referenceLocator":
						loc = r.Object.ID
					}
				}
				switch {
				case cat == "packageManager" && typ == "purl":
					e.addPURL(loc)
				case cat == "security" && (typ == "cpe23Type" || typ == "cpe22Type"):
					e.cpes = append(e.cpes, loc)
				}
			case "checksum":
				var alg, val string
				for _, r := range bySubject[v] {
					switch strings.TrimPrefix(r.Predicate.ID, nsSPDX) {
					case "algorithm":
						alg = strings.TrimPrefix(lastPart(r.Object.ID), "checksumAlgorithm_")
					case "checksumValue":
						val = r.Object.ID
					}
				}
				e.hashes = append(e.hashes, rawHash{alg: alg, value: val, spelled: true})
			}
		}
		src.notes.add("rdf-orphan", src.pos(), quote(e.name))
		p.read++
		p.elems = append(p.elems, e)
	}
	return p, nil
}

// rdfPackageIDs lists the IDs (without SPDXRef-) of the spdx:Package
// elements of an RDF/XML document, each once; a package without rdf:about
// gets a name of its own, since it is a package all the same.
func rdfPackageIDs(data []byte) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	seen := map[string]bool{}
	var ids []string
	for n := 0; ; n++ {
		tok, err := d.Token()
		if err == io.EOF {
			return ids, nil
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Space != nsSPDX || se.Name.Local != "Package" {
			continue
		}
		id := ""
		for _, a := range se.Attr {
			if a.Name.Space == nsRDF && a.Name.Local == "about" {
				_, frag, _ := strings.Cut(a.Value, "#")
				id = bareID(frag)
			}
		}
		if id == "" {
			id = "\x00anonymous-" + strconv.Itoa(n)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
}

// rdfLicense reads a license given as one IRI (http://spdx.org/licenses/MIT,
// …#noassertion, a LicenseRef- of the document); a license set (blank node)
// gives "".
func rdfLicense(n *gordf.Node) string {
	if n.NodeType != gordf.IRI {
		return ""
	}
	l := lastPart(n.ID)
	switch strings.ToLower(l) {
	case "noassertion", "none":
		return ""
	}
	return l
}

// agentValue strips the "Person:"/"Organization:" type from a supplier.
func agentValue(v string) string {
	if t, name, ok := strings.Cut(v, ":"); ok && (strings.TrimSpace(t) == "Person" || strings.TrimSpace(t) == "Organization") {
		return strings.TrimSpace(name)
	}
	return v
}

func lastPart(iri string) string {
	if i := strings.LastIndexAny(iri, "#/"); i >= 0 {
		return iri[i+1:]
	}
	return iri
}

package sbom

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
)

// Sniff tells the format and specification version of an SBOM from its
// content. It reads only as far as it must: the members of a JSON document's
// top-level object (without decoding their values), the root element of an
// XML document, the first tags of a tag-value or YAML document.
func Sniff(data []byte) (Format, string, error) {
	det, err := detect("", data, newNotes(""))
	if err != nil {
		return "", "", err
	}
	return det.format, det.version, nil
}

// detected is what detect found out about a document.
type detected struct {
	format  Format // what the document is
	decoder Format // who reads it (GitHub's envelope holds SPDX JSON)
	version string
	body    []byte // the document without BOM, trailing garbage or envelope
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func detect(file string, data []byte, ns *notes) (*detected, error) {
	pos := input.Pos{File: file}
	if len(data) == 0 {
		return nil, input.Errorf(pos, "empty file, expected an SBOM")
	}
	if e := input.NotText(file, data); e != nil {
		return nil, e
	}
	if bytes.HasPrefix(data, utf8BOM) {
		data = data[len(utf8BOM):]
		ns.add("utf8-bom", pos, "")
	}
	i := skipSpace(data, 0)
	if i == len(data) {
		return nil, input.Errorf(pos, "file holds only white space or a byte order mark, expected an SBOM")
	}
	if looksTurtle(data[i:]) {
		// The version is a triple like any other: the decoder finds it.
		return &detected{format: SPDXTurtle, decoder: SPDXTurtle, body: data}, nil
	}
	switch c := data[i]; {
	case c == '{':
		return detectJSON(file, data, i, ns)
	case c == '[' || c == '"' || (c >= '0' && c <= '9') || (c == '-' && i+1 < len(data) && data[i+1] >= '0' && data[i+1] <= '9') ||
		hasWordPrefix(data[i:], "null", "true", "false"):
		l, col := lineCol(data, i)
		return nil, input.Errorf(input.Pos{File: file, Line: l, Col: col},
			"the document is a JSON %s, expected an object (an SPDX or CycloneDX document)", jsonKind(c)).
			WithHint("an SBOM file holds one JSON object; JSON lines or arrays of SBOMs are not read")
	case c == '<':
		return detectXML(file, data, i)
	}
	return detectText(file, data)
}

func jsonKind(c byte) string {
	switch {
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 'n':
		return "null"
	case c == 't' || c == 'f':
		return "boolean"
	}
	return "number"
}

func hasWordPrefix(b []byte, words ...string) bool {
	for _, w := range words {
		if bytes.HasPrefix(b, []byte(w)) && (len(b) == len(w) || !isWordByte(b[len(w)])) {
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// detectJSON classifies a JSON document by the members of its top-level
// object, and cuts what follows the object.
func detectJSON(file string, data []byte, start int, ns *notes) (*detected, error) {
	at := func(off int) input.Pos {
		l, c := lineCol(data, off)
		return input.Pos{File: file, Line: l, Col: c}
	}
	members, end, complete, err := scanObject(data, start, decided)
	if err != nil {
		var se *jsonSyntaxError
		if errors.As(err, &se) {
			return nil, input.Errorf(at(se.off), "invalid JSON: %s", se.msg).
				WithHint(truncationHint(data, se.off))
		}
		return nil, input.Errorf(at(end), "invalid JSON: %v", err)
	}
	body := data
	if complete {
		body = data[:end]
		if err := trailing(file, data, end, ns); err != nil {
			return nil, err
		}
	} else if ambiguous(members, data[end:]) {
		// The other format's key occurs further on: read all members to
		// know whether it is a top-level one.
		if members, end, _, err = scanObject(data, start, nil); err != nil {
			return nil, input.Errorf(at(end), "invalid JSON: %v", err)
		}
	}
	first := map[string]member{}
	for _, m := range members {
		if _, dup := first[m.key]; !dup {
			first[m.key] = m
		}
	}
	has := func(k string) bool { _, ok := first[k]; return ok }

	if m, ok := first["@context"]; ok {
		v := spdx3ContextRE().FindSubmatch(m.val)
		if v == nil {
			return nil, input.Errorf(at(m.off), "JSON-LD document whose @context is not SPDX 3 (%s)", quote(string(m.val))).
				WithHint("tracegate reads SPDX 3 JSON-LD (@context https://spdx.org/rdf/3.0.x/spdx-context.jsonld)")
		}
		if !has("@graph") && complete { // an incomplete scan stopped at @graph
			return nil, input.Errorf(at(start), "SPDX 3 JSON-LD document without @graph").
				WithHint("tracegate reads SPDX 3 documents serialised with a top-level @graph array")
		}
		ver := string(v[1])
		if !supportedSPDX3(ver) {
			return nil, input.Errorf(at(m.off), "SPDX %s is not supported (tracegate reads SPDX 3.0.0 and 3.0.1)", ver)
		}
		return &detected{format: SPDX3JSONLD, decoder: SPDX3JSONLD, version: ver, body: body}, nil
	}
	spdxV, isSPDX := first["spdxVersion"]
	bomFormat, isCDX := first["bomFormat"]
	if isSPDX && isCDX {
		return nil, input.Errorf(at(start), "the document has both spdxVersion (SPDX) and bomFormat (CycloneDX): cannot tell which it is").
			WithHint("an SBOM is either SPDX or CycloneDX; check the tool that wrote it")
	}
	if isSPDX {
		ver, err := spdx2Version(file, data, spdxV, ns)
		if err != nil {
			return nil, err
		}
		return &detected{format: SPDXJSON, decoder: SPDXJSON, version: ver, body: body}, nil
	}
	specV, hasSpec := first["specVersion"]
	if isCDX || (hasSpec && (has("components") || has("metadata") || has("dependencies") || has("serialNumber"))) {
		if isCDX {
			f, ok := jsonString(bomFormat.val)
			if !ok || !strings.EqualFold(strings.TrimSpace(f), "CycloneDX") {
				return nil, input.Errorf(at(bomFormat.off), "bomFormat is %s, expected \"CycloneDX\"", quote(string(bomFormat.val)))
			}
		} else {
			ns.warnf(at(start), "the document has no bomFormat member; read as CycloneDX because of its specVersion and components")
		}
		if !hasSpec {
			return nil, input.Errorf(at(start), "CycloneDX document without specVersion: cannot tell which specification it follows").
				WithHint(`add "specVersion": "1.x" as the tool that wrote it should have`)
		}
		ver, err := cdxJSONVersion(file, data, specV, ns)
		if err != nil {
			return nil, err
		}
		return &detected{format: CycloneDXJSON, decoder: CycloneDXJSON, version: ver, body: body}, nil
	}
	if m, ok := first["sbom"]; ok && len(m.val) > 0 && m.val[0] == '{' {
		inner, _, _, err := scanObject(m.val, 0, decided)
		if err == nil {
			for _, im := range inner {
				if im.key != "spdxVersion" {
					continue
				}
				im.off += m.off
				ver, err := spdx2Version(file, data, im, ns)
				if err != nil {
					return nil, err
				}
				ns.warnf(at(m.off), "read the SPDX document inside GitHub's dependency-graph API response (the \"sbom\" member)")
				return &detected{format: GitHubDependencyGraph, decoder: SPDXJSON, version: ver, body: m.val}, nil
			}
		}
	}
	if has("payloadType") && has("payload") {
		return nil, input.Errorf(at(start), "the document is a DSSE envelope (an attestation), not an SBOM").
			WithHint("extract the SBOM: base64-decode .payload and take .predicate of the in-toto statement")
	}
	if has("predicateType") && has("predicate") {
		return nil, input.Errorf(at(start), "the document is an in-toto statement, not an SBOM").
			WithHint("extract the SBOM from its .predicate member")
	}
	return nil, input.Errorf(at(start), "JSON document is not an SBOM: its top-level object has no spdxVersion (SPDX 2), bomFormat (CycloneDX) or @context (SPDX 3)")
}

// decided tells scanObject to stop once the members read tell the format
// and version; the members after them are left to the decoder.
func decided(ms []member, next string) bool {
	var spdx, bomFormat, specVersion, context bool
	for _, m := range ms {
		switch m.key {
		case "spdxVersion":
			spdx = true
		case "bomFormat":
			bomFormat = true
		case "specVersion":
			specVersion = true
		case "@context":
			context = true
		}
	}
	return spdx || (bomFormat && specVersion) || (context && next == "@graph")
}

// ambiguous reports whether the part of a document not scanned holds the
// key of the format the scanned part did not choose.
func ambiguous(ms []member, rest []byte) bool {
	for _, m := range ms {
		switch m.key {
		case "spdxVersion":
			return containsKey(rest, `"bomFormat"`)
		case "bomFormat":
			return containsKey(rest, `"spdxVersion"`)
		}
	}
	return false
}

// containsKey reports whether data holds key, a quoted JSON key. The
// search starts from the key's third byte: a quote, the first, is the
// commonest byte of JSON, and a search led by it stalls on every string,
// which on a large SBOM costs more than reading the rest of the key.
func containsKey(data []byte, key string) bool {
	tail := key[2:]
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte(tail))
		if i < 0 {
			return false
		}
		if at := off + i; at >= 2 && string(data[at-2:at]) == key[:2] {
			return true
		}
		off += i + 1
	}
}

// trailing checks what follows a JSON document that ends at end: a second
// document is an error, other text (a web page footer saved with the SBOM)
// a warning.
func trailing(file string, data []byte, end int, ns *notes) error {
	j := skipSpace(data, end)
	if j >= len(data) {
		return nil
	}
	l, c := lineCol(data, j)
	pos := input.Pos{File: file, Line: l, Col: c}
	if data[j] == '{' || data[j] == '[' {
		return input.Errorf(pos, "a second JSON document starts after the first one ends").
			WithHint("one file must hold one SBOM; split concatenated documents (JSON lines) into files")
	}
	ns.warnf(pos, "ignored %d bytes of non-JSON text after the end of the document at byte offset %d: %s",
		len(data)-j, j, quote(string(data[j:min(len(data), j+40)])))
	return nil
}

// cutTrailing is called when a decoder's JSON library reports text after
// the document (detect stops reading early and does not look for it). It
// cuts the text off with a warning (true), or reports a second document.
func cutTrailing(src *source, err error) (bool, error) {
	var syn *json.SyntaxError
	if !errors.As(err, &syn) || !strings.Contains(syn.Error(), "after top-level value") {
		return false, nil
	}
	_, end, complete, serr := scanObject(src.data, skipSpace(src.data, 0), nil)
	if serr != nil || !complete || skipSpace(src.data, end) >= len(src.data) {
		return false, nil
	}
	if err := trailing(src.file, src.data, end, src.notes); err != nil {
		return false, err
	}
	src.data = src.data[:end]
	return true, nil
}

// truncationHint says "truncated?" when a syntax error sits at the very end.
func truncationHint(data []byte, off int) string {
	if skipSpace(data, off) >= len(data) {
		return "the file ends in the middle of the document: it was probably truncated (an interrupted download or copy)"
	}
	return ""
}

var spdx3ContextRE = lazyre.New(`spdx\.org/rdf/(3\.[0-9]+(?:\.[0-9]+)?)/`)

func supportedSPDX3(v string) bool { return v == "3.0.0" || v == "3.0.1" || v == "3.0" }

// spdx2Versions are the SPDX versions tools-golang reads.
var spdx2Versions = []string{"SPDX-2.1", "SPDX-2.2", "SPDX-2.3"}

// spdx2Version checks the spdxVersion member of an SPDX JSON document. A
// version written in another case or with spaces is read with a warning;
// a version the libraries do not know is an error, never "the latest".
func spdx2Version(file string, data []byte, m member, ns *notes) (string, error) {
	l, c := lineCol(data, m.off)
	pos := input.Pos{File: file, Line: l, Col: c}
	s, ok := jsonString(m.val)
	if !ok {
		return "", input.Errorf(pos, "spdxVersion must be a string such as \"SPDX-2.3\", found %s", quote(string(m.val)))
	}
	return checkSPDX2Version(pos, s, ns)
}

func checkSPDX2Version(pos input.Pos, s string, ns *notes) (string, error) {
	norm := strings.ToUpper(strings.TrimSpace(s))
	for _, v := range spdx2Versions {
		if norm == v {
			if s != v {
				ns.add("version-case", pos, quote(s)+" read as "+v)
			}
			return v, nil
		}
	}
	if strings.HasPrefix(norm, "SPDX-3") {
		return "", input.Errorf(pos, "spdxVersion %s: SPDX 3 documents are JSON-LD (@context, @graph), not SPDX 2 JSON", quote(s))
	}
	return "", input.Errorf(pos, "unsupported SPDX version %s", quote(s)).
		WithHint("tracegate reads SPDX-2.1, SPDX-2.2, SPDX-2.3 and SPDX 3.0 JSON-LD")
}

// cdxVersions are the CycloneDX versions cyclonedx-go v0.12.0 knows.
var cdxVersions = []string{"1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"}

func cdxJSONVersion(file string, data []byte, m member, ns *notes) (string, error) {
	l, c := lineCol(data, m.off)
	pos := input.Pos{File: file, Line: l, Col: c}
	s, ok := jsonString(m.val)
	if !ok {
		return "", input.Errorf(pos, "specVersion must be a string such as \"1.5\", found %s", quote(string(m.val))).
			WithHint("CycloneDX writes the version as a JSON string")
	}
	return checkCDXVersion(pos, s, ns)
}

func checkCDXVersion(pos input.Pos, s string, ns *notes) (string, error) {
	t := strings.TrimSpace(s)
	for _, v := range cdxVersions {
		if t == v {
			if s != v {
				ns.add("version-case", pos, quote(s)+" read as "+v)
			}
			return v, nil
		}
	}
	return "", input.Errorf(pos, "unsupported CycloneDX specVersion %s", quote(s)).
		WithHint("tracegate reads CycloneDX 1.0 to 1.7")
}

// XML namespaces.
const (
	nsRDF  = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsSPDX = "http://spdx.org/rdf/terms#"
	nsCDX  = "http://cyclonedx.org/schema/bom/"
)

// detectXML reads up to the root element: CycloneDX by its namespace, SPDX
// RDF/XML by rdf:RDF and its spdx:specVersion.
func detectXML(file string, data []byte, start int) (*detected, error) {
	pos := input.Pos{File: file}
	if isHTML(data[start:]) {
		return nil, input.Errorf(pos, "the file is an HTML page, not an SBOM").
			WithHint("it is probably a saved error or login page; download the SBOM itself")
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err != nil {
			l, _ := d.InputPos()
			if err == io.EOF {
				return nil, input.Errorf(input.Pos{File: file, Line: l}, "XML document without a root element")
			}
			return nil, &input.Error{Pos: input.Pos{File: file, Line: l}, Msg: "invalid XML: " + xmlMsg(err), Err: err}
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		l, c := d.InputPos()
		rootPos := input.Pos{File: file, Line: l, Col: c}
		space := se.Name.Space
		switch {
		case strings.EqualFold(se.Name.Local, "html"):
			return nil, input.Errorf(rootPos, "the file is an HTML page, not an SBOM").
				WithHint("it is probably a saved error or login page; download the SBOM itself")
		case se.Name.Local == "bom":
			ver, ok := strings.CutPrefix(space, nsCDX)
			if space == "" {
				return nil, input.Errorf(rootPos, "CycloneDX XML without a namespace: cannot tell the specification version").
					WithHint(`the root element must be <bom xmlns="http://cyclonedx.org/schema/bom/1.x">`)
			}
			if !ok || !contains(cdxVersions, ver) {
				return nil, input.Errorf(rootPos, "unknown CycloneDX XML namespace %s", quote(space)).
					WithHint("tracegate reads CycloneDX 1.0 to 1.7 (xmlns http://cyclonedx.org/schema/bom/1.x)")
			}
			return &detected{format: CycloneDXXML, decoder: CycloneDXXML, version: ver, body: data}, nil
		case se.Name.Local == "RDF" && space == nsRDF:
			ver, vpos, err := rdfVersion(file, d)
			if err != nil {
				return nil, err
			}
			switch ver {
			case "SPDX-2.2", "SPDX-2.3":
			case "SPDX-2.1":
				return nil, input.Errorf(vpos, "SPDX-2.1 RDF/XML is not supported (tools-golang reads SPDX 2.2 and 2.3 RDF)").
					WithHint("convert the document to SPDX JSON or tag-value")
			default:
				return nil, input.Errorf(vpos, "unsupported SPDX version %s", quote(ver)).
					WithHint("tracegate reads SPDX-2.2 and SPDX-2.3 RDF/XML")
			}
			return &detected{format: SPDXRDF, decoder: SPDXRDF, version: ver, body: data}, nil
		case se.Name.Local == "SpdxDocument" || se.Name.Local == "Document":
			return nil, input.Errorf(rootPos, "SPDX XML serialisation is not supported").
				WithHint("convert the document to SPDX JSON, tag-value, YAML or RDF/XML")
		}
		return nil, input.Errorf(rootPos, "XML document with root element <%s> is not an SBOM (CycloneDX <bom> or SPDX <rdf:RDF>)", se.Name.Local)
	}
}

// rdfVersion finds spdx:specVersion in an RDF/XML document.
func rdfVersion(file string, d *xml.Decoder) (string, input.Pos, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			l, _ := d.InputPos()
			if err == io.EOF {
				return "", input.Pos{File: file, Line: l}, input.Errorf(input.Pos{File: file}, "SPDX RDF/XML document without spdx:specVersion")
			}
			return "", input.Pos{}, &input.Error{Pos: input.Pos{File: file, Line: l}, Msg: "invalid XML: " + xmlMsg(err), Err: err}
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "specVersion" || se.Name.Space != nsSPDX {
			continue
		}
		l, c := d.InputPos()
		var v string
		if err := d.DecodeElement(&v, &se); err != nil {
			return "", input.Pos{}, &input.Error{Pos: input.Pos{File: file, Line: l}, Msg: "invalid XML: " + xmlMsg(err), Err: err}
		}
		return strings.TrimSpace(v), input.Pos{File: file, Line: l, Col: c}, nil
	}
}

func xmlMsg(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return se.Msg
	}
	return err.Error()
}

func isHTML(b []byte) bool {
	h := strings.ToLower(string(b[:min(len(b), 64)]))
	return strings.HasPrefix(h, "<!doctype html") || strings.HasPrefix(h, "<html")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// tagLineRE matches a tag-value line ("Tag: value"); YAML keys match it too.
var tagLineRE = lazyre.New(`^([A-Za-z][A-Za-z0-9_]*)[ \t]*:`)

// headerTags are the tags an SPDX tag-value document starts with.
var headerTags = map[string]bool{
	"spdxversion": true, "datalicense": true, "spdxid": true, "documentname": true,
	"documentnamespace": true, "externaldocumentref": true, "documentcomment": true,
	"licenselistversion": true, "creator": true, "created": true, "creatorcomment": true,
}

// detectText tells SPDX tag-value from SPDX YAML. YAML spells the key
// spdxVersion (JSON's member name), tag-value SPDXVersion.
func detectText(file string, data []byte) (*detected, error) {
	pos := input.Pos{File: file}
	first := ""
	yamlish := false
	lineNo := 0
	for off := 0; off < len(data) && lineNo < 10000; {
		// Lines end as the tag-value tokenizer ends them: LF, CRLF or a
		// lone CR (tvLineEnd).
		end, next, _ := tvLineEnd(data, off)
		line := data[off:end]
		off = next
		lineNo++
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		if first == "" && (bytes.Equal(t, []byte("---")) || bytes.HasPrefix(t, []byte("%YAML"))) {
			yamlish = true
			continue
		}
		m := tagLineRE().FindSubmatch(line)
		if m == nil {
			m = quotedKeyRE().FindSubmatch(line)
			if m != nil {
				yamlish = true
			}
		}
		if first == "" {
			if m == nil {
				break
			}
			first = string(m[1])
			if first == "spdxVersion" {
				yamlish = true
			}
		}
		if m == nil {
			continue
		}
		tag := string(m[1])
		if tag == "spdxVersion" {
			yamlish = true
		}
		if yamlish && tag == "spdxVersion" {
			v := yamlScalar(string(line[len(m[0]):]))
			ver, err := checkSPDX2Version(input.Pos{File: file, Line: lineNo}, v, newNotes(file))
			if err != nil {
				return nil, err
			}
			return &detected{format: SPDXYAML, decoder: SPDXYAML, version: ver, body: data}, nil
		}
		if !yamlish && strings.EqualFold(tag, "SPDXVersion") {
			if !headerTags[strings.ToLower(first)] {
				break
			}
			// The decoder repeats the check with the tokenizer's value and
			// records the warning; here only the verdict matters.
			v := strings.TrimSpace(string(line[len(m[0]):]))
			ver, err := checkSPDX2Version(input.Pos{File: file, Line: lineNo}, v, newNotes(file))
			if err != nil {
				return nil, err
			}
			return &detected{format: SPDXTagValue, decoder: SPDXTagValue, version: ver, body: data}, nil
		}
	}
	if first != "" && headerTags[strings.ToLower(first)] && !yamlish {
		return nil, input.Errorf(pos, "SPDX tag-value document without an SPDXVersion tag").
			WithHint("the document must declare its version, e.g. SPDXVersion: SPDX-2.3")
	}
	if yamlish {
		return nil, input.Errorf(pos, "YAML document without a top-level spdxVersion: not an SPDX YAML document").
			WithHint("tracegate reads SPDX 2.x YAML (spdxVersion: SPDX-2.3)")
	}
	return nil, input.Errorf(pos, "unrecognised file format: not SPDX (JSON, tag-value, YAML, RDF/XML, RDF Turtle, 3.0 JSON-LD) nor CycloneDX (JSON, XML)")
}

var quotedKeyRE = lazyre.New(`^["']([A-Za-z][A-Za-z0-9_]*)["'][ \t]*:`)

// yamlScalar reads a plain or quoted YAML scalar written on one line.
func yamlScalar(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, " #"); i >= 0 && s[0] != '"' && s[0] != '\'' {
		s = strings.TrimSpace(s[:i])
	}
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		s = s[1 : len(s)-1]
	}
	return s
}

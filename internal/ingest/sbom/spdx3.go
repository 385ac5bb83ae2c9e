package sbom

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// spdx3 reads the part of an SPDX 3.0 JSON-LD document (compacted with
// the spdx-context.jsonld context: {"@context": …, "@graph": [elements]})
// that the SOUP list needs; tools-golang v0.5.7 reads no SPDX 3.
//
// Why not a library: the one Go model of SPDX 3 from the SPDX project,
// tools-golang v0.6.0-rc4's spdx/v3/v3_0 (a release candidate, generated
// from the SHACL model, reading through the json-gold JSON-LD processor),
// reads the corpus file and references by IRI string as this does, but
// refuses the whole document for one reference to an element the document
// does not hold (an element of another document, which SPDX 3 allows:
// "unable to find viable external IRI"), took 7.6 times the CPU of the whole
// `tracegate soup list` process and 1.7 times its memory on a 3,000-package
// document, and would move SPDX 2 reading to a release candidate too.
// protobom v0.7.0 reads no SPDX 3.
//
// It reads, from the elements of @graph (and elements embedded where a
// reference is expected):
//
//   - software_Package: spdxId, name, software_packageVersion,
//     software_packageUrl, software_downloadLocation,
//     software_primaryPurpose, suppliedBy (→ the Agent's name; then
//     originatedBy as a fallback), externalIdentifier of type cpe22, cpe23
//     and packageUrl, verifiedUsing Hash (algorithm, hashValue);
//   - Agent, Person, Organization, SoftwareAgent: spdxId and name, for
//     suppliers;
//   - Relationship and LifecycleScopedRelationship: from, to,
//     relationshipType; describes (from the SpdxDocument) names roots,
//     hasConcludedLicense and hasDeclaredLicense attach licenses, and
//     dependsOn, contains, hasDynamicLink, hasStaticLink,
//     hasOptionalDependency, hasProvidedDependency, hasPrerequisite,
//     hasOptionalComponent and usesTool are dependency edges (from needs to);
//   - simplelicensing_LicenseExpression (simplelicensing_licenseExpression),
//     expandedlicensing_ListedLicense (its SPDX id, from the spdxId
//     https://spdx.org/licenses/<id> or the name) and
//     expandedlicensing_CustomLicense (its name): the licenses;
//   - SpdxDocument and software_Sbom: rootElement, the roots;
//   - CreationInfo: specVersion, which must agree with the @context.
//
// It ignores everything else: files, snippets, annotations, the build, AI,
// dataset, security and VEX profiles, external maps and imports, namespace
// maps, copyright texts, homepages, release dates, lifecycle scopes and
// relationship completeness. Packages count into PackagesRead; files do not.
type spdx3 struct{}

// s3Element is every element type's fields the reader uses, in one struct:
// JSON-LD elements are distinguished by "type", not by shape.
type s3Element struct {
	Type             string        `json:"type"`
	AtType           string        `json:"@type"`
	SpdxID           string        `json:"spdxId"`
	AtID             string        `json:"@id"`
	Name             string        `json:"name"`
	SpecVersion      string        `json:"specVersion"`
	CreationInfo     s3Ref         `json:"creationInfo"`
	PackageVersion   string        `json:"software_packageVersion"`
	PackageURL       string        `json:"software_packageUrl"`
	DownloadLocation string        `json:"software_downloadLocation"`
	PrimaryPurpose   string        `json:"software_primaryPurpose"`
	SuppliedBy       s3Ref         `json:"suppliedBy"`
	OriginatedBy     s3Refs        `json:"originatedBy"`
	ExternalID       s3ExtIDs      `json:"externalIdentifier"`
	VerifiedUsing    []s3Integrity `json:"verifiedUsing"`
	// ExtIDType and Identifier are an ExternalIdentifier's, when it is
	// written as an element of its own that packages refer to by IRI
	// (Microsoft's sbom-tool).
	ExtIDType        string `json:"externalIdentifierType"`
	Identifier       string `json:"identifier"`
	From             s3Ref  `json:"from"`
	To               s3Refs `json:"to"`
	RelationshipType string `json:"relationshipType"`
	RootElement      s3Refs `json:"rootElement"`
	LicenseExpr      string `json:"simplelicensing_licenseExpression"`
}

func (e *s3Element) id() string {
	if e.SpdxID != "" {
		return e.SpdxID
	}
	return e.AtID
}

func (e *s3Element) typ() string {
	if e.Type != "" {
		return e.Type
	}
	return e.AtType
}

type s3ExtID struct {
	Type       string `json:"externalIdentifierType"`
	Identifier string `json:"identifier"`
	// ref is the IRI of an ExternalIdentifier element, when the entry
	// refers to one instead of nesting it.
	ref string
}

// s3ExtIDs are a package's external identifiers: nested objects, as the
// SPDX 3 model has them, or IRI strings naming ExternalIdentifier elements
// of the graph, as Microsoft's sbom-tool writes them.
type s3ExtIDs []s3ExtID

func (xs *s3ExtIDs) UnmarshalJSON(b []byte) error {
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		var one json.RawMessage
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		raws = []json.RawMessage{one}
	}
	for _, raw := range raws {
		raw = bytes.TrimSpace(raw)
		var x s3ExtID
		switch {
		case len(raw) == 0 || bytes.Equal(raw, []byte("null")):
			continue
		case raw[0] == '"':
			if err := json.Unmarshal(raw, &x.ref); err != nil {
				return err
			}
		default:
			if err := json.Unmarshal(raw, &x); err != nil {
				return err
			}
		}
		*xs = append(*xs, x)
	}
	return nil
}

type s3Integrity struct {
	Type      string `json:"type"`
	Algorithm string `json:"algorithm"`
	HashValue string `json:"hashValue"`
}

// s3Ref is a reference to an element: its ID, or the element itself
// embedded (JSON-LD allows both).
type s3Ref struct {
	id     string
	inline *s3Element
}

func (r *s3Ref) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		return nil
	case b[0] == '"':
		return json.Unmarshal(b, &r.id)
	}
	var e s3Element
	if err := json.Unmarshal(b, &e); err != nil {
		return err
	}
	r.inline, r.id = &e, e.id()
	return nil
}

// s3Refs is a list of references; a single reference is read as a list of
// one.
type s3Refs []s3Ref

func (rs *s3Refs) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var list []s3Ref
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
		*rs = list
		return nil
	}
	var one s3Ref
	if err := one.UnmarshalJSON(b); err != nil {
		return err
	}
	if one.id != "" || one.inline != nil {
		*rs = s3Refs{one}
	}
	return nil
}

// spdx3Hashes are SPDX 3's HashAlgorithm vocabulary, as it spells it.
var spdx3Hashes = map[string]bool{
	"adler32": true, "blake2b256": true, "blake2b384": true, "blake2b512": true, "blake3": true,
	"md2": true, "md4": true, "md5": true, "md6": true, "sha1": true, "sha224": true, "sha256": true,
	"sha384": true, "sha512": true, "sha3_224": true, "sha3_256": true, "sha3_384": true, "sha3_512": true,
}

// spdx3DependencyTypes are the relationship types that make "from" need
// "to".
var spdx3DependencyTypes = map[string]bool{
	"dependsOn": true, "contains": true, "hasDynamicLink": true, "hasStaticLink": true,
	"hasOptionalDependency": true, "hasProvidedDependency": true, "hasPrerequisite": true,
	"hasOptionalComponent": true, "usesTool": true,
}

func (spdx3) decode(src *source) (*parsed, error) {
	var doc struct {
		Graph []json.RawMessage `json:"@graph"`
	}
	err := json.Unmarshal(src.data, &doc)
	if cut, cerr := cutTrailing(src, err); cerr != nil {
		return nil, cerr
	} else if cut {
		err = json.Unmarshal(src.data, &doc)
	}
	if err != nil {
		return nil, jsonError(src, err)
	}
	// Decode every element, then the elements embedded in them.
	var elems []*s3Element
	for i, raw := range doc.Graph {
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			src.notes.add("null", src.pos(), "@graph["+strconv.Itoa(i)+"]")
			continue
		}
		var e s3Element
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, s3Error(src, raw, err, i)
		}
		elems = append(elems, &e)
	}
	for i := 0; i < len(elems); i++ { // elems grows while embedded ones are added
		e := elems[i]
		add := func(r s3Ref) {
			if r.inline != nil {
				elems = append(elems, r.inline)
			}
		}
		add(e.CreationInfo)
		add(e.SuppliedBy)
		add(e.From)
		for _, r := range e.OriginatedBy {
			add(r)
		}
		for _, r := range e.To {
			add(r)
		}
		for _, r := range e.RootElement {
			add(r)
		}
	}

	p := &parsed{}
	byID := map[string]*s3Element{}
	for _, e := range elems {
		if id := e.id(); id != "" {
			if _, dup := byID[id]; !dup {
				byID[id] = e
			}
		}
	}
	name := func(r s3Ref) string {
		if r.inline != nil {
			return r.inline.Name
		}
		if e, ok := byID[r.id]; ok {
			return e.Name
		}
		return ""
	}
	// An agent's name as SPDX 2 writes a supplier ("Organization: Microsoft",
	// as sbom-tool names its SPDX 3 agents too): the name without the type.
	agentName := func(r s3Ref) string {
		n := name(r)
		for _, prefix := range []string{"Organization:", "Person:", "Tool:"} {
			if rest, ok := strings.CutPrefix(n, prefix); ok && strings.TrimSpace(rest) != "" {
				src.notes.add("agent-prefix", src.pos(), quote(n))
				return strings.TrimSpace(rest)
			}
		}
		return n
	}
	concluded := map[string][]string{}
	declared := map[string][]string{}
	docs := map[string]bool{}
	for _, e := range elems {
		switch e.typ() {
		case "CreationInfo":
			if v := strings.TrimSpace(e.SpecVersion); v != "" && p.version == "" {
				p.version = v
			}
		case "SpdxDocument", "software_Sbom":
			docs[e.id()] = true
			for _, r := range e.RootElement {
				p.rootIDs = append(p.rootIDs, r.id)
			}
		}
	}
	p.files = map[string]bool{}
	for _, e := range elems {
		switch e.typ() {
		case "software_File", "software_Snippet":
			p.files[e.id()] = true
			continue
		case "Relationship", "LifecycleScopedRelationship", "software_SoftwareDependencyRelationship":
		default:
			continue
		}
		from := e.From.id
		rt := e.RelationshipType
		if camel, ok := spdx3CamelType(rt); ok {
			// SPDX 2's spelling (DEPENDS_ON), as sbom-tool writes it.
			src.notes.add("relationship-spelling", src.pos(), quote(rt))
			rt = camel
		}
		for _, to := range e.To {
			switch {
			case rt == "describes":
				// SPDXRef-DOCUMENT: SPDX 2's name of the document, which
				// sbom-tool's SPDX 3 relationships keep.
				if docs[from] || from == "SPDXRef-DOCUMENT" {
					p.rootIDs = append(p.rootIDs, to.id)
				}
			case rt == "hasConcludedLicense":
				concluded[from] = append(concluded[from], to.id)
			case rt == "hasDeclaredLicense":
				declared[from] = append(declared[from], to.id)
			case spdx3DependencyTypes[rt]:
				p.edge(from, to.id)
			}
		}
	}
	license := func(id string) (model.License, bool) {
		e, ok := byID[id]
		if !ok {
			return model.License{}, false
		}
		switch e.typ() {
		case "simplelicensing_LicenseExpression":
			return model.License{Expression: e.LicenseExpr}, true
		case "expandedlicensing_ListedLicense":
			if l, ok := strings.CutPrefix(id, "https://spdx.org/licenses/"); ok && l != "" {
				return model.License{Expression: l}, true
			}
			return model.License{Expression: e.Name}, e.Name != ""
		case "expandedlicensing_CustomLicense":
			return model.License{Expression: e.Name, ByName: true}, e.Name != ""
		}
		return model.License{}, false
	}
	seen := map[string]bool{}
	for i, e := range elems {
		if e.typ() != "software_Package" {
			continue
		}
		p.read++
		id := e.id()
		if id != "" {
			if seen[id] {
				src.notes.add("id-duplicate", src.pos(), quote(id))
			}
			seen[id] = true
		}
		r := rawComponent{
			id:         id,
			pathPrefix: "@graph",
			pathIndex:  i,
			name:       e.Name,
			version:    e.PackageVersion,
			download:   e.DownloadLocation,
			typ:        e.PrimaryPurpose,
		}
		r.setSupplier(model.SupplierFromSupplier, agentName(e.SuppliedBy))
		for _, o := range e.OriginatedBy {
			if n := agentName(o); n != "" {
				r.setSupplier(model.SupplierFromOriginator, n)
			}
		}
		if e.PackageURL != "" {
			r.addPURL(e.PackageURL)
		}
		for _, x := range e.ExternalID {
			if x.ref != "" {
				ref, ok := byID[x.ref]
				if !ok || ref.typ() != "ExternalIdentifier" {
					src.notes.add("extid-unresolved", src.pos(), quote(x.ref))
					continue
				}
				x.Type, x.Identifier = ref.ExtIDType, ref.Identifier
			}
			if x.Type == "purl" {
				// sbom-tool's spelling of SPDX 3's packageUrl.
				src.notes.add("extid-purl", src.pos(), quote(x.Identifier))
				x.Type = "packageUrl"
			}
			switch x.Type {
			case "packageUrl":
				r.addPURL(x.Identifier)
			case "cpe22", "cpe23":
				r.cpes = append(r.cpes, x.Identifier)
			}
		}
		for _, h := range e.VerifiedUsing {
			if h.Type == "Hash" || h.HashValue != "" {
				r.hashes = append(r.hashes, rawHash{alg: h.Algorithm, value: h.HashValue, spelled: spdx3Hashes[h.Algorithm]})
			}
		}
		for _, lid := range concluded[id] {
			if l, ok := license(lid); ok {
				l.Source = model.LicenseConcluded
				r.licenses = append(r.licenses, l)
			}
		}
		for _, lid := range declared[id] {
			if l, ok := license(lid); ok {
				l.Source = model.LicenseDeclared
				r.licenses = append(r.licenses, l)
			}
		}
		p.elems = append(p.elems, r)
	}
	if p.version != "" && p.version != src.version {
		src.notes.warnf(src.pos(), "creationInfo.specVersion %s differs from the version of the @context (%s); read as %s",
			quote(p.version), src.version, p.version)
	}
	if p.version != "" && !supportedSPDX3(p.version) {
		return nil, input.Errorf(src.pos(), "SPDX %s is not supported (tracegate reads SPDX 3.0.0 and 3.0.1)", p.version)
	}
	return p, nil
}

// s3Error reports an element that does not decode, at its place in the
// file.
func s3Error(src *source, raw []byte, err error, i int) error {
	off := bytes.Index(src.data, raw)
	e := jsonError(src, err)
	if ie, ok := input.AsError(e); ok {
		if off >= 0 {
			if te, ok := err.(*json.UnmarshalTypeError); ok {
				off += int(te.Offset)
			}
			ie.Pos = src.posAt(off)
		}
		ie.Msg = "@graph[" + strconv.Itoa(i) + "]: " + ie.Msg
		return ie
	}
	return e
}

// spdx3CamelType turns a relationship type written in SPDX 2's upper snake
// case (HAS_CONCLUDED_LICENSE) into SPDX 3's camel case
// (hasConcludedLicense); ok is false for any other spelling.
func spdx3CamelType(t string) (string, bool) {
	if t == "" || strings.ToUpper(t) != t || !strings.ContainsAny(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return "", false
	}
	var b strings.Builder
	for i, part := range strings.Split(strings.ToLower(t), "_") {
		if part == "" {
			continue
		}
		if i > 0 {
			part = strings.ToUpper(part[:1]) + part[1:]
		}
		b.WriteString(part)
	}
	return b.String(), true
}

package sbom

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/spdx/tools-golang/convert"
	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdx/v2/common"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// SPDX 2 relationship types that make one element depend on another, by
// direction. Forward: "A DEPENDS_ON B" means A needs B. Reverse: "B
// DEPENDENCY_OF A" means the same. Containment counts (an image contains
// its packages); GENERATED_FROM, COPY_OF, DESCRIBES and the like do not.
var (
	spdxForward = map[string]bool{
		"DEPENDS_ON": true, "CONTAINS": true, "DYNAMIC_LINK": true, "STATIC_LINK": true,
		"HAS_PREREQUISITE": true,
	}
	spdxReverse = map[string]bool{
		"DEPENDENCY_OF": true, "BUILD_DEPENDENCY_OF": true, "DEV_DEPENDENCY_OF": true,
		"OPTIONAL_DEPENDENCY_OF": true, "PROVIDED_DEPENDENCY_OF": true, "TEST_DEPENDENCY_OF": true,
		"RUNTIME_DEPENDENCY_OF": true, "CONTAINED_BY": true, "PREREQUISITE_FOR": true,
		"BUILD_TOOL_OF": true, "DEV_TOOL_OF": true, "TEST_TOOL_OF": true,
		"OPTIONAL_COMPONENT_OF": true, "PACKAGE_OF": true,
	}
)

// spdxAlgorithms are the checksum algorithms as SPDX 2 spells them.
var spdxAlgorithms = map[common.ChecksumAlgorithm]bool{
	common.SHA1: true, common.SHA224: true, common.SHA256: true, common.SHA384: true, common.SHA512: true,
	common.MD2: true, common.MD4: true, common.MD5: true, common.MD6: true,
	common.SHA3_256: true, common.SHA3_384: true, common.SHA3_512: true,
	common.BLAKE2b_256: true, common.BLAKE2b_384: true, common.BLAKE2b_512: true,
	common.BLAKE3: true, common.ADLER32: true,
}

// fromSPDX2 extracts the SOUP fields from a document tools-golang read
// (any 2.x version, converted to its 2.3 model). lines, when not nil, gives
// the line of each package (tag-value).
func fromSPDX2(src *source, doc *spdx.Document, lines []int) *parsed {
	ns := src.notes
	p := &parsed{}
	seen := make(map[string]int, len(doc.Packages))
	p.edges = make(map[string][]string, len(doc.Relationships))
	p.elems = make([]rawComponent, 0, len(doc.Packages))
	for i, pkg := range doc.Packages {
		if pkg == nil {
			ns.add("null", src.pos(), "packages["+strconv.Itoa(i)+"]")
			continue
		}
		p.read++
		node := bareID(string(pkg.PackageSPDXIdentifier))
		e := rawComponent{
			id:         "SPDXRef-" + node,
			node:       node,
			pathPrefix: "packages",
			pathIndex:  i,
			name:       pkg.PackageName,
			version:    pkg.PackageVersion,
			download:   pkg.PackageDownloadLocation,
			typ:        pkg.PrimaryPackagePurpose,
		}
		if lines != nil && i < len(lines) {
			e.line = lines[i]
		}
		pos := input.Pos{File: src.file, Line: e.line}
		if seen[node]++; seen[node] > 1 {
			ns.add("id-duplicate", pos, quote(e.id))
		}
		checkIDChars(ns, pos, node)
		if s := pkg.PackageSupplier; s != nil {
			e.setSupplier(model.SupplierFromSupplier, jsonRaw(src, agentName(ns, pos, s.SupplierType, s.Supplier)))
		}
		if o := pkg.PackageOriginator; o != nil {
			e.setSupplier(model.SupplierFromOriginator, jsonRaw(src, agentName(ns, pos, o.OriginatorType, o.Originator)))
		}
		for j, ref := range pkg.PackageExternalReferences {
			if ref == nil {
				ns.add("null", pos, e.path()+".externalRefs["+strconv.Itoa(j)+"]")
				continue
			}
			cat := strings.ReplaceAll(strings.ToUpper(strings.TrimSpace(ref.Category)), "_", "-")
			// The RDF reader gives the type as an IRI
			// (http://spdx.org/rdf/references/purl).
			typ := strings.ToLower(lastPart(strings.TrimSpace(ref.RefType)))
			switch {
			case cat == common.CategoryPackageManager && typ == "purl":
				e.addPURL(ref.Locator)
			case cat == common.CategorySecurity && (typ == "cpe23type" || typ == "cpe22type"):
				e.cpes = append(e.cpes, ref.Locator)
			}
		}
		if l := pkg.PackageLicenseConcluded; l != "" {
			e.licenses = append(e.licenses, model.License{Expression: l, Source: model.LicenseConcluded})
		}
		if l := pkg.PackageLicenseDeclared; l != "" {
			e.licenses = append(e.licenses, model.License{Expression: l, Source: model.LicenseDeclared})
		}
		for _, c := range pkg.PackageChecksums {
			if c.Algorithm == "" && c.Value == "" {
				ns.add("null", pos, e.path()+".checksums")
				continue
			}
			e.hashes = append(e.hashes, rawHash{alg: string(c.Algorithm), value: c.Value, spelled: spdxAlgorithms[c.Algorithm]})
		}
		p.elems = append(p.elems, e)
	}
	p.files = map[string]bool{}
	addFile := func(f *spdx.File) {
		if f != nil {
			id := bareID(string(f.FileSPDXIdentifier))
			checkIDChars(ns, src.pos(), id)
			p.files[id] = true
		}
	}
	for _, f := range doc.Files {
		addFile(f)
	}
	for _, pkg := range doc.Packages {
		if pkg != nil {
			for _, f := range pkg.Files {
				addFile(f)
			}
		}
	}
	for _, sn := range doc.Snippets {
		p.files[bareID(string(sn.SnippetSPDXIdentifier))] = true
	}

	docID := bareID(string(doc.SPDXIdentifier))
	isDoc := func(id string) bool { return strings.EqualFold(id, docID) }
	for i, r := range doc.Relationships {
		if r == nil {
			ns.add("null", src.pos(), "relationships["+strconv.Itoa(i)+"]")
			continue
		}
		up := relationshipType(r.Relationship)
		if up != r.Relationship && src.format != SPDXRDF && src.format != SPDXTurtle {
			// tools-golang's RDF reader gives the RDF vocabulary's
			// camelCase (dynamicLink); elsewhere it is the producer's.
			ns.add("rel-case", src.pos(), quote(r.Relationship))
		}
		a, okA := localID(r.RefA)
		b, okB := localID(r.RefB)
		if !okA || !okB {
			continue // NONE, NOASSERTION or an element of another document
		}
		switch {
		case up == "DESCRIBES" && isDoc(a):
			p.rootIDs = append(p.rootIDs, b)
		case up == "DESCRIBED_BY" && isDoc(b):
			p.rootIDs = append(p.rootIDs, a)
		case spdxForward[up]:
			p.edge(a, b)
		case spdxReverse[up]:
			p.edge(b, a)
		}
	}
	return p
}

// relationshipType returns an SPDX 2 relationship type in the spelling of
// tag-value and JSON: "describes" and "dynamicLink" (RDF) become DESCRIBES
// and DYNAMIC_LINK.
func relationshipType(t string) string {
	t = strings.TrimSpace(t)
	if strings.IndexFunc(t, func(r rune) bool { return r >= 'a' && r <= 'z' }) < 0 {
		return t
	}
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c >= 'A' && c <= 'Z' && i > 0 && t[i-1] >= 'a' && t[i-1] <= 'z' {
			b.WriteByte('_')
		}
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// localID renders an element ID of this document; special values and
// elements of other documents have none.
func localID(id common.DocElementID) (string, bool) {
	if id.SpecialID != "" || id.DocumentRefID != "" || id.ElementRefID == "" {
		return "", false
	}
	return bareID(string(id.ElementRefID)), true
}

// bareID is an element ID without its SPDXRef- prefix, the graph's name of
// the element. tools-golang keeps IDs without the prefix, except the RDF
// reader's document ID.
func bareID(id string) string { return strings.TrimPrefix(id, "SPDXRef-") }

// jsonRaw undoes JSON escapes in a value tools-golang took from the raw
// JSON text (suppliers, originators): "\u00e9" is "é".
func jsonRaw(src *source, s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	switch src.format {
	case SPDXJSON, SPDXYAML, GitHubDependencyGraph:
		var out string
		if json.Unmarshal([]byte(`"`+s+`"`), &out) == nil {
			return out
		}
	}
	return s
}

// agentName returns a supplier or originator's name. A type other than
// Person or Organization means the value had a colon that was not a type
// separator (a URL, "Company: Product"): the whole value is the name.
func agentName(ns *notes, pos input.Pos, typ, name string) string {
	switch strings.TrimSpace(typ) {
	case "", "Person", "Organization":
		return name
	}
	full := typ + ": " + name
	ns.add("supplier-type", pos, quote(full))
	return full
}

// checkIDChars notes an SPDX ID with characters outside the idstring
// grammar ([A-Za-z0-9.-]+ after "SPDXRef-"). tools-golang reads them; they
// are kept as written, and said aloud because other tools may not.
func checkIDChars(ns *notes, pos input.Pos, bare string) {
	for i := 0; i < len(bare); i++ {
		c := bare[i]
		if !(c == '.' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			ns.add("id-chars", pos, quote("SPDXRef-"+bare))
			return
		}
	}
}

// convertSPDX2 converts any 2.x document to the 2.3 model.
func convertSPDX2(from any, to *spdx.Document) error {
	return convert.Document(from, to)
}

package sbom

import (
	"strconv"
	"strings"

	"github.com/spdx/tools-golang/spdx/v2/common"
	"github.com/spdx/tools-golang/tagvalue/reader"

	"github.com/tracegate/tracegate/internal/input"
)

// The sections of a tag-value document, as tools-golang's parser moves
// between them.
type tvSection int

const (
	tvHeader tvSection = iota // document header and creation information
	tvPackage
	tvFile
	tvSnippet
	tvLicense
	tvReview
)

var tvSectionNames = [...]string{"document header", "package", "file", "snippet", "license", "review"}

// tvStarts are the tags that open a section.
var tvStarts = map[string]tvSection{
	"PackageName": tvPackage, "FileName": tvFile, "SnippetSPDXID": tvSnippet,
	"LicenseID": tvLicense, "Reviewer": tvReview,
}

// tvAnywhere are relationship and annotation tags, which every section
// accepts without leaving it.
var tvAnywhere = map[string]bool{
	"Relationship": true, "RelationshipComment": true, "Annotator": true, "AnnotationDate": true,
	"AnnotationType": true, "SPDXREF": true, "AnnotationComment": true,
}

// tvHeaderStart are the header tags tools-golang reads only before the
// first creation-information tag.
var tvHeaderStart = map[string]bool{
	"SPDXVersion": true, "DataLicense": true, "SPDXID": true, "DocumentName": true,
	"DocumentNamespace": true, "ExternalDocumentRef": true, "DocumentComment": true,
}

// tvTagsByVersion lists, per section, the tags tools-golang's parser of each
// version reads (its parse_*.go), section-opening tags excluded.
var tvTagsByVersion = func() map[string][]map[string]bool {
	set := func(tags string) map[string]bool {
		m := map[string]bool{}
		for _, t := range strings.Fields(tags) {
			m[t] = true
		}
		return m
	}
	header := "SPDXVersion DataLicense SPDXID DocumentName DocumentNamespace ExternalDocumentRef DocumentComment LicenseListVersion Creator Created CreatorComment"
	pkg21 := "SPDXID PackageVersion PackageFileName PackageSupplier PackageOriginator PackageDownloadLocation FilesAnalyzed PackageVerificationCode PackageChecksum PackageHomePage PackageSourceInfo PackageLicenseConcluded PackageLicenseInfoFromFiles PackageLicenseDeclared PackageLicenseComments PackageCopyrightText PackageSummary PackageDescription PackageComment ExternalRef ExternalRefComment"
	file21 := "SPDXID FileType FileChecksum LicenseConcluded LicenseInfoInFile LicenseComments FileCopyrightText ArtifactOfProjectName ArtifactOfProjectHomePage ArtifactOfProjectURI FileComment FileNotice FileContributor FileDependency"
	snip21 := "SnippetFromFileSPDXID SnippetByteRange SnippetLineRange SnippetLicenseConcluded LicenseInfoInSnippet SnippetLicenseComments SnippetCopyrightText SnippetComment SnippetName"
	lic := "ExtractedText LicenseName LicenseCrossReference LicenseComment"
	rev := "ReviewDate ReviewComment"
	v21 := []map[string]bool{set(header), set(pkg21), set(file21), set(snip21), set(lic), set(rev)}
	v22 := []map[string]bool{set(header), set(pkg21 + " PackageAttributionText"), set(file21 + " FileAttributionText"),
		set(snip21 + " SnippetAttributionText"), set(lic), set(rev)}
	v23 := []map[string]bool{set(header), set(pkg21 + " PackageAttributionText PrimaryPackagePurpose ReleaseDate BuiltDate ValidUntilDate"),
		set(file21 + " FileAttributionText"), set(snip21 + " SnippetAttributionText"), set(lic), set(rev)}
	return map[string][]map[string]bool{"SPDX-2.1": v21, "SPDX-2.2": v22, "SPDX-2.3": v23}
}()

// tvCanonical maps every tag of any 2.x version, lower-cased, to its
// spelling.
var tvCanonical = func() map[string]string {
	m := map[string]string{}
	add := func(t string) { m[strings.ToLower(t)] = t }
	for _, secs := range tvTagsByVersion {
		for _, s := range secs {
			for t := range s {
				add(t)
			}
		}
	}
	for t := range tvStarts {
		add(t)
	}
	for t := range tvAnywhere {
		add(t)
	}
	return m
}()

// tvExact maps each tag to itself, to reuse the constant for the tags of a
// file (see tvTag).
var tvExact = func() map[string]string {
	m := make(map[string]string, len(tvCanonical))
	for _, t := range tvCanonical {
		m[t] = t
	}
	return m
}()

// canonicalTag returns the SPDX spelling of a tag written in any case.
func canonicalTag(tag string) (string, bool) {
	if t, ok := tvExact[tag]; ok {
		return t, true
	}
	t, ok := tvCanonical[strings.ToLower(tag)]
	return t, ok
}

// tvNormalize repairs a tag-value document so that tools-golang's parser of
// its version accepts it (see spdxTagValue), and returns the pairs in the
// order the parser can read, with the line of each.
func tvNormalize(src *source, in []tvPair) ([]reader.TagValuePair, []int) {
	n := &tvNormalizer{src: src, ns: src.notes, tags: tvTagsByVersion[src.version], body: make([]tvPair, 0, len(in))}
	if n.tags == nil {
		n.tags = tvTagsByVersion["SPDX-2.3"]
	}
	// next[i] is the tag of the first known tag after pair i.
	next := make([]string, len(in))
	following := ""
	for i := len(in) - 1; i >= 0; i-- {
		next[i] = following
		if t, ok := canonicalTag(in[i].tag); ok {
			following = t
		}
	}
	for i := range in {
		if p, ok := n.fixPair(in[i]); ok {
			n.place(p, next[i])
		}
	}
	n.closeSection()
	size := len(n.start) + len(n.creation) + len(n.body) + len(n.licenses) + len(n.reviews)
	tvs := make([]reader.TagValuePair, 0, size)
	lines := make([]int, 0, size)
	for _, part := range [][]tvPair{n.start, n.creation, n.body, n.licenses, n.reviews} {
		for _, p := range part {
			tvs = append(tvs, reader.TagValuePair{Tag: p.tag, Value: p.value})
			lines = append(lines, p.line)
		}
	}
	return tvs, lines
}

type tvNormalizer struct {
	src  *source
	ns   *notes
	tags []map[string]bool

	// The output, in the order tools-golang can read: header tags, then
	// creation information, then packages, files and snippets as written,
	// then license and review sections (after which the parser accepts no
	// package or file).
	start, creation, body, licenses, reviews []tvPair

	sec         tvSection
	sectionLine int
	cur         []tvPair // the open package/file/snippet section
	hasID       bool     // the open element (or the document, in the header) has its SPDXID
	pendingID   tvPair   // an SPDXID written before the PackageName/FileName it belongs to
	hasPending  bool
	lastElement tvSection
	skipSnippet bool
	// licenses counts license and review sections since the last package
	// or file: moved to the end when another element follows them.
	openLicenses int
	fixedIDs     map[string]bool
	// What tags that qualify an earlier tag need (see inContext).
	lastTag                 string
	annotator, relationship bool
}

// fixPair repairs one pair on its own: tag spelling and values. ok is false
// for a pair to drop.
func (n *tvNormalizer) fixPair(p tvPair) (tvPair, bool) {
	canon, known := canonicalTag(p.tag)
	if !known {
		n.ns.addAt("tag-unknown", p.line, quote(p.tag+": "+p.value))
		return p, false
	}
	if canon != p.tag {
		n.ns.addAt("tag-case", p.line, quote(p.tag)+" read as "+quote(canon))
		p.tag = canon
	}
	switch p.tag {
	case "SPDXID", "SnippetSPDXID", "SnippetFromFileSPDXID", "SPDXREF":
		p.value = n.fixID(p.value, p.line)
	case "Relationship":
		a, typ, b, ok := relationshipFields(p.value)
		if !ok {
			n.ns.addAt("tag-invalid", p.line, quote(p.tag+": "+p.value)+" (element, type and element expected)")
			return p, false
		}
		if fa, fb := n.fixID(a, p.line), n.fixID(b, p.line); fa != a || fb != b {
			p.value = fa + " " + typ + " " + fb
		}
	case "PackageSupplier", "PackageOriginator":
		v := strings.TrimSpace(p.value)
		if v == "" {
			n.ns.addAt("supplier-prefix", p.line, quote(p.tag+": "))
			return p, false
		}
		if v != "NOASSERTION" && !hasAgentType(v, "Person", "Organization") {
			n.ns.addAt("supplier-prefix", p.line, quote(v))
			p.value = "Organization: " + v
		}
	case "Creator", "Annotator", "Reviewer":
		if v := strings.TrimSpace(p.value); !hasAgentType(v, "Person", "Organization", "Tool") {
			n.ns.addAt("creator-prefix", p.line, quote(v))
			p.value = "Organization: " + v
		}
	case "PackageChecksum", "FileChecksum":
		alg, val, ok := strings.Cut(p.value, ":")
		alg = strings.TrimSpace(alg)
		if ok && !spdxAlgorithms[common.ChecksumAlgorithm(alg)] {
			for known := range spdxAlgorithms {
				if strings.EqualFold(string(known), alg) {
					n.ns.addAt("checksum-case", p.line, quote(alg))
					p.value = string(known) + ":" + val
					alg = string(known)
					break
				}
			}
		}
		if !ok || !spdxAlgorithms[common.ChecksumAlgorithm(alg)] {
			n.ns.addAt("checksum-unknown", p.line, quote(p.tag+": "+p.value))
			return p, false
		}
	case "ExternalRef":
		if len(strings.Fields(p.value)) != 3 {
			n.ns.addAt("tag-invalid", p.line, quote(p.tag+": "+p.value)+" (category, type and locator expected)")
			return p, false
		}
	}
	return p, true
}

// relationshipFields splits "A TYPE B" at white space without allocating.
func relationshipFields(v string) (a, typ, b string, ok bool) {
	next := func() string {
		v = strings.TrimLeft(v, " \t")
		i := strings.IndexAny(v, " \t")
		if i < 0 {
			i = len(v)
		}
		f := v[:i]
		v = v[i:]
		return f
	}
	a, typ, b = next(), next(), next()
	return a, typ, b, b != "" && strings.TrimSpace(v) == ""
}

// hasAgentType reports whether v is "Type: name" with one of types.
func hasAgentType(v string, types ...string) bool {
	t, _, ok := strings.Cut(v, ":")
	if !ok {
		return false
	}
	t = strings.TrimSpace(t)
	for _, want := range types {
		if t == want {
			return true
		}
	}
	return false
}

// fixID adds a missing SPDXRef- prefix and replaces colons, which
// tools-golang reads as the DocumentRef separator; each distinct ID is
// counted once.
func (n *tvNormalizer) fixID(id string, line int) string {
	id = strings.TrimSpace(id)
	docRef, elem, fixed, isElem := prefixElementID(id)
	if !isElem {
		return id
	}
	kind := noteKind("")
	if fixed != elem {
		kind = "id-prefix"
	}
	if strings.Contains(fixed, ":") {
		fixed = strings.ReplaceAll(fixed, ":", "-")
		if kind == "" {
			kind = "id-colon"
		}
	}
	if kind == "" {
		return id
	}
	if n.fixedIDs == nil {
		n.fixedIDs = map[string]bool{}
	}
	if !n.fixedIDs[elem] {
		n.fixedIDs[elem] = true
		n.ns.addAt(kind, line, quote(elem)+" read as "+quote(fixed))
	}
	return docRef + fixed
}

// place puts a repaired pair where the parser can read it. next is the
// (canonical) tag of the following pair.
func (n *tvNormalizer) place(p tvPair, next string) {
	if sec, ok := tvStarts[p.tag]; ok {
		n.open(sec, p)
		return
	}
	if !n.inContext(p) {
		n.ns.addAt("tag-context", p.line, quote(p.tag+": "+p.value))
		return
	}
	if n.skipSnippet {
		if tvAnywhere[p.tag] {
			n.emit(p)
		}
		return
	}
	if tvAnywhere[p.tag] {
		n.emit(p)
		return
	}
	if p.tag == "SPDXID" && n.hasID && n.sec != tvSnippet && n.sec != tvLicense && n.sec != tvReview {
		if next == "PackageName" || next == "FileName" {
			n.ns.addAt("id-moved", p.line, quote(p.value))
			n.pendingID, n.hasPending = p, true
			return
		}
		n.ns.addAt("id-repeated", p.line, quote(p.value))
		return
	}
	if !n.tags[n.sec][p.tag] {
		if tvTagsByVersion["SPDX-2.3"][n.sec][p.tag] {
			n.ns.addAt("tag-version", p.line, quote(p.tag)+" in "+n.src.version)
			return
		}
		n.ns.add("tag-misplaced", input.Pos{File: n.src.file, Line: p.line},
			quote(p.tag)+" in a "+tvSectionNames[n.sec]+" section")
		return
	}
	if p.tag == "SPDXID" {
		n.hasID = true
	}
	if n.sec == tvHeader {
		if tvHeaderStart[p.tag] {
			// tools-golang returns to the header for DocumentComment by
			// itself; the others it rejects after creation information.
			if len(n.creation) > 0 && p.tag != "DocumentComment" {
				n.ns.addAt("header-moved", p.line, quote(p.tag))
			}
			n.start = append(n.start, p)
		} else {
			n.creation = append(n.creation, p)
		}
		return
	}
	n.emit(p)
}

// inContext reports whether a tag that qualifies the tag before it
// follows one: tools-golang rejects an ExternalRefComment not right after
// an ExternalRef, ArtifactOfProject details without ArtifactOfProjectName,
// annotation details before any Annotator, a RelationshipComment before any
// Relationship.
func (n *tvNormalizer) inContext(p tvPair) bool {
	last := n.lastTag
	n.lastTag = p.tag
	switch p.tag {
	case "Annotator":
		n.annotator = true
	case "Relationship":
		n.relationship = true
	case "ExternalRefComment":
		n.lastTag = "" // one comment per reference
		return last == "ExternalRef"
	case "ArtifactOfProjectHomePage", "ArtifactOfProjectURI":
		n.lastTag = last
		if last == "ArtifactOfProjectName" || last == "ArtifactOfProjectHomePage" || last == "ArtifactOfProjectURI" {
			n.lastTag = p.tag
			return true
		}
		return false
	case "AnnotationDate", "AnnotationType", "SPDXREF", "AnnotationComment":
		return n.annotator
	case "RelationshipComment":
		return n.relationship
	}
	return true
}

// emit appends p to the open section.
func (n *tvNormalizer) emit(p tvPair) {
	switch n.sec {
	case tvHeader:
		n.creation = append(n.creation, p)
	case tvLicense:
		n.licenses = append(n.licenses, p)
	case tvReview:
		n.reviews = append(n.reviews, p)
	default:
		n.cur = append(n.cur, p)
	}
}

// open starts a section with the pair p that opens it.
func (n *tvNormalizer) open(sec tvSection, p tvPair) {
	pending := n.hasPending
	n.hasPending = false
	n.closeSection()
	n.hasPending = pending
	n.sec, n.sectionLine, n.skipSnippet = sec, p.line, false
	n.hasID = false
	switch sec {
	case tvSnippet:
		if n.lastElement != tvFile {
			// tools-golang reads a snippet only after a file or another
			// snippet; the SPDX 2.3 example has one after a package.
			n.ns.addAt("snippet-moved", p.line, quote(p.value))
			n.skipSnippet = true
			return
		}
		n.hasID = true // SnippetSPDXID is the snippet's ID
	case tvLicense:
		n.openLicenses++
		n.licenses = append(n.licenses, p)
		return
	case tvReview:
		n.openLicenses++
		n.reviews = append(n.reviews, p)
		return
	case tvPackage:
		n.lastElement = tvPackage
	case tvFile:
		n.lastElement = tvFile
	}
	for ; n.openLicenses > 0; n.openLicenses-- {
		n.ns.addAt("license-moved", p.line, "before "+quote(p.tag+": "+p.value))
	}
	n.cur = append(n.cur, p)
	if n.hasPending {
		n.cur = append(n.cur, n.pendingID)
		n.hasPending = false
		n.hasID = true
	}
}

// closeSection flushes the open element section, giving a package or file
// without SPDXID one: the parser rejects the whole document otherwise.
func (n *tvNormalizer) closeSection() {
	if n.hasPending {
		n.ns.addAt("id-repeated", n.pendingID.line, quote(n.pendingID.value))
		n.hasPending = false
	}
	if len(n.cur) == 0 {
		return
	}
	if !n.hasID && (n.sec == tvPackage || n.sec == tvFile) {
		kind := "Package"
		if n.sec == tvFile {
			kind = "File"
		}
		id := "SPDXRef-" + kind + "-line-" + strconv.Itoa(n.sectionLine)
		n.ns.addAt("id-missing", n.sectionLine, quote(n.cur[0].value)+" given "+quote(id))
		gen := tvPair{tag: "SPDXID", value: id, line: n.sectionLine}
		n.cur = append(n.cur[:1], append([]tvPair{gen}, n.cur[1:]...)...)
	}
	n.body = append(n.body, n.cur...)
	n.cur = n.cur[:0]
}

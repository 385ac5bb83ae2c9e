package sbom

import (
	"cmp"
	"slices"
	"sort"
	"strconv"
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// parsed is a document in format-neutral form: what each decoder extracts,
// before the common rules (normalisation, roots, dependency states,
// deduplication) are applied by build.
type parsed struct {
	// version overrides the sniffed version when the decoder learned a
	// more precise one (SPDX 3: creationInfo.specVersion).
	version string
	read    int
	elems   []rawComponent
	// rootIDs are the elements the document describes. Elements with these
	// IDs are set aside as roots; the IDs are also where dependency paths
	// start (a described file may contain packages).
	rootIDs []string
	// extraRoots are described components that are not elements of the
	// component list (CycloneDX metadata.component).
	extraRoots []rawComponent
	// edges are dependency edges by element ID: the key depends on, or
	// contains, each value.
	edges map[string][]string
	// files are elements known not to be packages (SPDX files and
	// snippets): a path through them costs nothing, so that a package a
	// described file contains is direct. An ID the document does not
	// define counts as a package.
	files map[string]bool
}

func (p *parsed) edge(from, to string) {
	if from == "" || to == "" {
		return
	}
	if p.edges == nil {
		p.edges = map[string][]string{}
	}
	p.edges[from] = append(p.edges[from], to)
}

// rawComponent is one package or component element as the document writes
// it.
type rawComponent struct {
	id string // SPDXID, bom-ref or spdxId as written
	// node is the element's name in the dependency graph: id (SPDX 2: id
	// without "SPDXRef-"), or for a nested CycloneDX component without
	// bom-ref, its path.
	node string
	line int // line of the element, 0 when unknown
	// pathPrefix and pathIndex say where the element sits in the document,
	// for messages: "packages[3]"; built only when a message needs it.
	pathPrefix string
	pathIndex  int
	name       string
	// group is the CycloneDX group; without one, build takes the Maven
	// groupId or npm scope from the purl.
	group   string
	version string
	// suppliers holds the supplier candidates, in fallback order (see
	// supplierFields).
	suppliers [len(supplierFields)]string
	purl      string   // the first purl
	morePURLs []string // more purls (SPDX allows several external refs)
	cpes      []string
	licenses  []model.License
	hashes    []rawHash
	download  string
	typ       string
}

// supplierFields are where a supplier may come from, in the order they are
// tried: what the document asserts as the supplier first, authorship last.
var supplierFields = [...]string{
	model.SupplierFromSupplier, model.SupplierFromManufacturer, model.SupplierFromPublisher,
	model.SupplierFromAuthors, model.SupplierFromAuthor, model.SupplierFromOriginator,
}

// setSupplier records a supplier candidate; the first value of a field
// wins.
func (e *rawComponent) setSupplier(from, name string) {
	for i, f := range supplierFields {
		if f == from {
			if e.suppliers[i] == "" {
				e.suppliers[i] = name
			}
			return
		}
	}
}

func (e *rawComponent) addPURL(p string) {
	if e.purl == "" {
		e.purl = p
		return
	}
	e.morePURLs = append(e.morePURLs, p)
}

func (e *rawComponent) path() string {
	if e.pathIndex < 0 {
		return e.pathPrefix
	}
	return e.pathPrefix + "[" + strconv.Itoa(e.pathIndex) + "]"
}

type rawHash struct {
	alg, value string
	// spelled says the algorithm is written as the format defines it; a
	// variant spelling (SPDX "sha256") is read with a warning.
	spelled bool
}

// unknownValue reports the SPDX words for "not known", which are no value.
func unknownValue(s string) bool {
	return s == "" || strings.EqualFold(s, "NOASSERTION") || strings.EqualFold(s, "NONE")
}

// build applies the rules every format shares.
func build(src *source, p *parsed) *Document {
	ns := src.notes
	doc := &Document{File: src.file, PackagesRead: p.read}
	format := string(src.format)
	rootSet := map[string]bool{}
	for _, id := range p.rootIDs {
		rootSet[id] = true
	}
	for i := range p.elems {
		if p.elems[i].node == "" {
			p.elems[i].node = p.elems[i].id
		}
	}
	dist := distances(p.rootIDs, p.edges, p.files, len(p.elems)+len(p.rootIDs))

	var roots []model.Component
	comps := make([]model.Component, 0, len(p.elems))
	for i := range p.extraRoots {
		c := normalise(src, &p.extraRoots[i], format)
		roots = append(roots, c)
	}
	for i := range p.elems {
		e := &p.elems[i]
		c := normalise(src, e, format)
		if e.node != "" && rootSet[e.node] {
			if len(p.extraRoots) > 0 {
				ns.add("root-listed", c.Source, at(quote(c.Name), e.path()))
				mergeInto(ns, &roots[0], &c)
				continue
			}
			roots = append(roots, c)
			continue
		}
		c.Dependency = model.DependencyUnknown
		if d, ok := dist[e.node]; ok && e.node != "" {
			if d == 1 {
				c.Dependency = model.DependencyDirect
			} else if d > 1 {
				c.Dependency = model.DependencyTransitive
			}
		}
		comps = append(comps, c)
	}
	doc.Roots = dedupe(ns, roots)
	if len(doc.Roots) == 1 {
		doc.Root = &doc.Roots[0]
	}
	doc.Components = dedupe(ns, comps)
	// sort.Slice compares in place; slices.SortFunc would copy two
	// components (some 300 bytes each) into every comparison.
	sort.Slice(doc.Components, func(i, j int) bool {
		return compareComponents(&doc.Components[i], &doc.Components[j]) < 0
	})
	return doc
}

// compareComponents orders by name, group, version, purl and supplier:
// after dedupe no two components are equal in all of them.
func compareComponents(a, b *model.Component) int {
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	if c := strings.Compare(a.Group, b.Group); c != 0 {
		return c
	}
	if c := strings.Compare(a.Version, b.Version); c != 0 {
		return c
	}
	return cmp.Or(strings.Compare(a.PURL, b.PURL), strings.Compare(a.Supplier, b.Supplier))
}

// dedupe merges components with the same Key, keeping document order of
// first occurrence. It compacts in in place (the components are large, and
// build has no other use for in): out[j] with j < i is never in[i].
func dedupe(ns *notes, in []model.Component) []model.Component {
	if len(in) == 0 {
		return nil
	}
	out := in[:0]
	index := make(map[model.ComponentKey]int, len(in))
	for i := range in {
		k := in[i].Key()
		if j, ok := index[k]; ok {
			mergeInto(ns, &out[j], &in[i])
			continue
		}
		index[k] = len(out)
		out = append(out, in[i])
	}
	return out
}

func mergeInto(ns *notes, dst, src *model.Component) {
	if conflicts := dst.Merge(src); len(conflicts) > 0 {
		ns.add("checksum-conflict", dst.Source, quote(dst.Name)+" ("+strings.Join(conflicts, ", ")+")")
	}
}

// distances returns, for every element reachable from the roots along
// dependency edges, how many elements other than files the shortest path
// enters (the root not counted): 1 for a direct dependency, more for a
// transitive one. It is a breadth-first search with 0/1 weights: linear in
// the graph, and cycles (A→B→A, self-loops) end it like any visited node.
// nodes, the elements the document defines, sizes the result: the nodes
// reached are mostly those, and a map grown by doubling rehashes every key
// (element IDs are long) at each step.
func distances(roots []string, edges map[string][]string, files map[string]bool, nodes int) map[string]int {
	if len(edges) == 0 {
		return map[string]int{}
	}
	dist := make(map[string]int, max(len(edges), nodes))
	var cur []string
	for _, r := range roots {
		if _, seen := dist[r]; !seen {
			dist[r] = 0
			cur = append(cur, r)
		}
	}
	for level := 0; len(cur) > 0; level++ {
		var next []string
		for q := cur; len(q) > 0; {
			v := q[len(q)-1]
			q = q[:len(q)-1]
			for _, w := range edges[v] {
				if _, seen := dist[w]; seen {
					continue
				}
				if files[w] {
					dist[w] = level
					q = append(q, w)
				} else {
					dist[w] = level + 1
					next = append(next, w)
				}
			}
		}
		cur = next
	}
	return dist
}

// normalise turns a raw element into a model.Component.
func normalise(src *source, e *rawComponent, format string) model.Component {
	ns := src.notes
	c := model.Component{
		Name:       strings.TrimSpace(e.name),
		Group:      strings.TrimSpace(e.group),
		Version:    strings.TrimSpace(e.version),
		ElementID:  e.id,
		Source:     input.Pos{File: src.file, Line: e.line},
		Format:     format,
		Elements:   1,
		Dependency: model.DependencyUnknown,
	}
	if unknownValue(c.Version) {
		c.Version = ""
	}
	for i, name := range e.suppliers {
		if n := strings.TrimSpace(name); !unknownValue(n) {
			c.Supplier, c.SupplierFrom = n, supplierFields[i]
			break
		}
	}
	var purl *packageurl.PackageURL
	for i := -1; i < len(e.morePURLs); i++ {
		raw := e.purl
		if i >= 0 {
			raw = e.morePURLs[i]
		}
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		p, err := packageurl.FromString(raw)
		if err != nil && strings.Contains(strings.ToLower(raw), "%2f") {
			// syft 0.33 escapes the slash between an npm scope and the
			// name (pkg:npm/@babel%2Fcore@7.0.0): one segment, no name.
			if p2, err2 := packageurl.FromString(strings.NewReplacer("%2F", "/", "%2f", "/").Replace(raw)); err2 == nil {
				ns.add("purl-slash", c.Source, at(quote(raw), e.path()))
				p, err = p2, nil
			}
		}
		if err != nil {
			ns.add("purl-invalid", c.Source, at(quote(raw), e.path())+": "+err.Error())
			continue
		}
		if purl == nil {
			purl = &p
			c.PURL = p.ToString()
			continue
		}
		if p.ToString() != c.PURL {
			ns.add("purl-extra", c.Source, at(quote(c.PURL)+" and "+quote(raw), e.path()))
		}
	}
	if purl != nil {
		c.Ecosystem = model.Ecosystem(purl.Type)
		if c.Group == "" && (purl.Type == packageurl.TypeMaven || purl.Type == packageurl.TypeNPM) {
			c.Group = purl.Namespace
		}
	}
	if c.Name == "" {
		if purl != nil {
			c.Name = purl.Name
		}
		ns.add("nameless", c.Source, at(quote(c.PURL), e.path()))
	}
	// The raw slices are not used again: filter them in place.
	cpes := e.cpes[:0]
	for _, cpe := range e.cpes {
		if cpe = strings.TrimSpace(cpe); cpe != "" && !slices.Contains(cpes, cpe) {
			cpes = append(cpes, cpe)
		}
	}
	if len(cpes) > 0 {
		c.CPEs = cpes
	}
	lics := e.licenses[:0]
	for _, l := range e.licenses {
		l.Expression = strings.TrimSpace(l.Expression)
		if unknownValue(l.Expression) || slices.Contains(lics, l) {
			continue
		}
		lics = append(lics, l)
	}
	if len(lics) > 0 {
		c.Licenses = lics
	}
	for _, h := range e.hashes {
		alg, hexLen, ok := model.HashAlgorithm(h.alg)
		v, hex := lowerHex(strings.TrimSpace(h.value))
		switch {
		case !ok:
			ns.add("checksum-unknown", c.Source, at(quote(h.alg), e.path()))
			continue
		case v == "" || (hexLen > 0 && len(v) != hexLen) || !hex:
			ns.add("checksum-invalid", c.Source, at(quote(h.alg+": "+h.value), e.path()))
			continue
		}
		if !h.spelled {
			ns.add("checksum-case", c.Source, at(quote(h.alg), e.path()))
		}
		if c.Hashes == nil {
			c.Hashes = make(map[string]string, len(e.hashes))
		}
		if _, dup := c.Hashes[alg]; !dup {
			c.Hashes[alg] = v
		}
	}
	if d := strings.TrimSpace(e.download); !unknownValue(d) {
		c.DownloadLocation = d
	}
	c.Type = strings.ToLower(strings.TrimSpace(e.typ))
	if src.format == SPDXTagValue {
		unpin(&c)
	}
	return c
}

// unpin copies the strings a component keeps out of the file's text, which
// the tag-value tokenizer slices instead of allocating every value: a
// Document must not hold the whole file alive.
func unpin(c *model.Component) {
	for _, s := range []*string{&c.Name, &c.Group, &c.Version, &c.Supplier, &c.DownloadLocation, &c.Type} {
		*s = strings.Clone(*s)
	}
	for i := range c.CPEs {
		c.CPEs[i] = strings.Clone(c.CPEs[i])
	}
	for i := range c.Licenses {
		c.Licenses[i].Expression = strings.Clone(c.Licenses[i].Expression)
	}
	for alg, h := range c.Hashes {
		c.Hashes[alg] = strings.Clone(h)
	}
}

// lowerHex returns s in lower case and whether it is all hex digits. A
// digest already in lower case, as most are, is returned as it is.
func lowerHex(s string) (string, bool) {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case hexDigit[c]:
		case 'A' <= c && c <= 'F':
			upper = true
		default:
			return s, false
		}
	}
	if upper {
		s = strings.ToLower(s)
	}
	return s, true
}

var hexDigit = func() (t [256]bool) {
	for _, c := range "0123456789abcdef" {
		t[c] = true
	}
	return t
}()

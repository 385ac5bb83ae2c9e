// Package soup joins what the SBOMs say is in the product with what the
// SOUP register asserts about it (IEC 62304 8.1.2), and compares SBOMs. It
// does no I/O.
package soup

import (
	"slices"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/tracegate/tracegate/internal/model"
)

// Entry is one component of the product and its register entry.
type Entry struct {
	Component model.Component
	// Item is the register entry, nil when the component is not registered.
	Item *model.SOUPItem
	// By says how the entry was matched: "purl" or "name".
	By string
}

// Match pairs each component with its register entry: by the package URL
// without its version (pkg:npm/lodash), else by name (group/name when the
// component has a group). It returns the entries in component order and
// the register items no component matched (stale entries).
func Match(components []model.Component, register []model.SOUPItem) (entries []Entry, stale []*model.SOUPItem) {
	byPURL := map[string]*model.SOUPItem{}
	byName := map[string]*model.SOUPItem{}
	byFold := map[string]*model.SOUPItem{}
	for i := range register {
		it := &register[i]
		if k := PackageKey(it.PURL); k != "" {
			if _, dup := byPURL[k]; !dup {
				byPURL[k] = it
			}
		}
		if it.Name != "" {
			if _, dup := byName[it.Name]; !dup {
				byName[it.Name] = it
			}
			if _, dup := byFold[strings.ToLower(it.Name)]; !dup {
				byFold[strings.ToLower(it.Name)] = it
			}
		}
	}
	used := map[*model.SOUPItem]bool{}
	entries = make([]Entry, len(components))
	for i := range components {
		e := &entries[i]
		e.Component = components[i]
		if len(register) == 0 {
			continue // nothing to match: no key to compute
		}
		c := &e.Component
		if it := byPURL[canonicalKey(c.PURL)]; it != nil && c.PURL != "" {
			e.Item, e.By = it, "purl"
		} else {
			for _, n := range names(c) {
				if it := byName[n]; it != nil {
					e.Item, e.By = it, "name"
					break
				}
			}
			if e.Item == nil {
				for _, n := range names(c) {
					if it := byFold[strings.ToLower(n)]; it != nil {
						e.Item, e.By = it, "name"
						break
					}
				}
			}
		}
		if e.Item != nil {
			used[e.Item] = true
		}
	}
	for i := range register {
		if !used[&register[i]] {
			stale = append(stale, &register[i])
		}
	}
	return entries, stale
}

// names are the names a register entry may use for a component.
func names(c *model.Component) []string {
	if c.Group != "" {
		sep := "/"
		if strings.HasPrefix(c.PURL, "pkg:maven/") {
			sep = ":"
		}
		return []string{c.Group + sep + c.Name, c.Name}
	}
	return []string{c.Name}
}

// PackageKey is a package URL without version, qualifiers and subpath, type
// lower-case, for matching: "pkg:npm/%40babel/core@7.1.0?x=y" gives
// "pkg:npm/%40babel/core". "" when s is not a valid purl.
func PackageKey(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	p, err := packageurl.FromString(strings.TrimSpace(s))
	if err != nil || p.Name == "" {
		return ""
	}
	name, ns := p.Name, p.Namespace
	if strings.EqualFold(p.Type, "pypi") {
		// PEP 503: names compare case-insensitively, runs of -_. as one -.
		name = pep503(name)
	}
	k := packageurl.PackageURL{Type: strings.ToLower(p.Type), Namespace: ns, Name: name}
	return k.ToString()
}

// canonicalKey is PackageKey for a purl already in canonical form, as the
// SBOM reader writes Component.PURL: the key is the purl up to its version,
// qualifiers and subpath, cut from the string rather than parsed again
// (parsing every component's purl twice was a third of building a list).
func canonicalKey(purl string) string {
	if purl == "" {
		return ""
	}
	if i := strings.IndexAny(purl, "?#"); i >= 0 {
		purl = purl[:i]
	}
	if at := strings.LastIndexByte(purl, '@'); at > strings.LastIndexByte(purl, '/') {
		purl = purl[:at]
	}
	if strings.HasPrefix(purl, "pkg:pypi/") {
		return PackageKey(purl) // PEP 503 names are not canonical in purls
	}
	return purl
}

func pep503(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r == '-' || r == '_' || r == '.' {
			if !dash {
				b.WriteByte('-')
			}
			dash = true
			continue
		}
		dash = false
		b.WriteRune(r)
	}
	return b.String()
}

// NotSOUP reports whether a component's type says it is not software: a
// hardware device or a cryptographic asset in a hardware or crypto BOM is
// not SOUP, and is listed without being held to the register.
func NotSOUP(c model.Component) bool {
	switch strings.ToLower(c.Type) {
	case "device", "cryptographic-asset", "data", "device-driver-hardware":
		return true
	}
	return false
}

// SortEntries orders entries by name, group and version for documents.
func SortEntries(es []Entry) {
	// Entries are large: sort small keys (the lower-case name made once,
	// not in every comparison), then move each entry once into place.
	type keyed struct {
		name string
		i    int
	}
	ks := make([]keyed, len(es))
	for i := range es {
		ks[i] = keyed{strings.ToLower(es[i].Component.Name), i}
	}
	slices.SortStableFunc(ks, func(x, y keyed) int {
		a, b := &es[x.i].Component, &es[y.i].Component
		if c := strings.Compare(x.name, y.name); c != 0 && !strings.EqualFold(a.Name, b.Name) {
			return c
		}
		if c := strings.Compare(a.Group, b.Group); c != 0 {
			return c
		}
		return strings.Compare(a.Version, b.Version)
	})
	// from[j] is the index of the entry that belongs at j; each cycle of
	// the permutation is rotated with one entry held aside.
	from := make([]int, len(ks))
	for j, k := range ks {
		from[j] = k.i
	}
	for i := range es {
		if from[i] < 0 || from[i] == i {
			continue
		}
		held := es[i]
		j := i
		for {
			k := from[j]
			from[j] = -1
			if k == i {
				es[j] = held
				break
			}
			es[j] = es[k]
			j = k
		}
	}
}

package soup

import (
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/osv"
)

// Change is how one package differs between two SBOMs.
type Change struct {
	Kind ChangeKind `json:"change"`
	// Base and Head are the component on each side; nil where absent.
	Base *model.Component `json:"base,omitempty"`
	Head *model.Component `json:"head,omitempty"`
	// Note says why an order could not be told ("changed").
	Note string `json:"note,omitempty"`
}

// ChangeKind is the kind of a change.
type ChangeKind string

const (
	Added      ChangeKind = "added"
	Removed    ChangeKind = "removed"
	Upgraded   ChangeKind = "upgraded"
	Downgraded ChangeKind = "downgraded"
	// Changed: the version differs but the ecosystem's ordering could not
	// tell which is newer; treated as an upgrade by the rules.
	Changed        ChangeKind = "changed"
	LicenseChanged ChangeKind = "license-changed"
)

// Name of the package a change is about.
func (c Change) Name() string {
	if c.Head != nil {
		return c.Head.Key().String()
	}
	return c.Base.Key().String()
}

// Diff compares the components of two SBOMs. Packages are paired by purl
// without version, else by group and name; a package present at several
// versions pairs its unchanged versions first, then the rest in version
// order. Versions are ordered with each ecosystem's own semantics.
func Diff(base, head []model.Component) []Change {
	b, h := groupByPackage(base), groupByPackage(head)
	var keys []string
	for k := range b {
		keys = append(keys, k)
	}
	for k := range h {
		if _, ok := b[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []Change
	for _, k := range keys {
		out = append(out, diffPackage(b[k], h[k])...)
	}
	return out
}

func packageOf(c model.Component) string {
	if k := PackageKey(c.PURL); k != "" {
		return k
	}
	return strings.ToLower(c.Group + "/" + c.Name)
}

func groupByPackage(cs []model.Component) map[string][]model.Component {
	out := map[string][]model.Component{}
	for _, c := range cs {
		k := packageOf(c)
		out[k] = append(out[k], c)
	}
	return out
}

func diffPackage(base, head []model.Component) []Change {
	var out []Change
	// Unchanged versions first; a license change on the same version is
	// reported.
	var restB, restH []model.Component
	used := map[int]bool{}
	for _, bc := range base {
		found := false
		for j, hc := range head {
			if !used[j] && hc.Version == bc.Version {
				used[j], found = true, true
				if licenses(bc) != licenses(hc) {
					b, h := bc, hc
					out = append(out, Change{Kind: LicenseChanged, Base: &b, Head: &h})
				}
				break
			}
		}
		if !found {
			restB = append(restB, bc)
		}
	}
	for j, hc := range head {
		if !used[j] {
			restH = append(restH, hc)
		}
	}
	sortByVersion(restB)
	sortByVersion(restH)
	n := min(len(restB), len(restH))
	for i := 0; i < n; i++ {
		b, h := restB[i], restH[i]
		c := Change{Base: &b, Head: &h}
		cmp, err := osv.CompareVersions(pkgOf(h), b.Version, h.Version)
		switch {
		case err != nil:
			c.Kind, c.Note = Changed, "version order unknown: "+err.Error()
		case cmp < 0:
			c.Kind = Upgraded
		case cmp > 0:
			c.Kind = Downgraded
		default:
			c.Kind = Changed // equal in the ecosystem's order, written differently
		}
		out = append(out, c)
	}
	for i := n; i < len(restB); i++ {
		b := restB[i]
		out = append(out, Change{Kind: Removed, Base: &b})
	}
	for i := n; i < len(restH); i++ {
		h := restH[i]
		out = append(out, Change{Kind: Added, Head: &h})
	}
	return out
}

func pkgOf(c model.Component) osv.Package {
	return osv.Package{Name: c.Name, Version: c.Version, PURL: c.PURL}
}

// sortByVersion orders a package's versions oldest first where the
// ecosystem can tell, else by text.
func sortByVersion(cs []model.Component) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cmp, err := osv.CompareVersions(pkgOf(cs[i]), cs[i].Version, cs[j].Version); err == nil {
			return cmp < 0
		}
		return cs[i].Version < cs[j].Version
	})
}

func licenses(c model.Component) string {
	var ls []string
	for _, l := range c.Licenses {
		ls = append(ls, l.Expression)
	}
	sort.Strings(ls)
	return strings.Join(ls, " | ")
}

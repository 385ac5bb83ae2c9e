package osv

import (
	"fmt"
	"strings"
)

// CompareVersions orders two versions of one package in its ecosystem's own
// semantics (the package's purl, or its ecosystem, names the ecosystem): <0
// when a is older, 0 equal, >0 newer. An error when the ecosystem is not
// known or a version does not parse: callers then say "changed", never
// guess an order.
func CompareVersions(p Package, a, b string) (int, error) {
	pa, pb := p, p
	pa.Version, pb.Version = a, b
	if p.PURL != "" {
		// The purl's own version would contradict the versions compared.
		pa.PURL, pb.PURL = withoutVersion(p.PURL), withoutVersion(p.PURL)
	}
	ca, why := resolve(pa)
	if why != "" {
		return 0, fmt.Errorf("%s", why)
	}
	cb, why := resolve(pb)
	if why != "" {
		return 0, fmt.Errorf("%s", why)
	}
	va, err := parseVersion(ca[0].Version, ca[0].Ecosystem)
	if err != nil {
		return 0, err
	}
	vb, err := parseVersion(cb[0].Version, cb[0].Ecosystem)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb)
}

// withoutVersion drops the @version of a purl, keeping qualifiers and
// subpath.
func withoutVersion(purl string) string {
	rest := ""
	if i := strings.IndexAny(purl, "?#"); i >= 0 {
		purl, rest = purl[:i], purl[i:]
	}
	if i := strings.LastIndexByte(purl, '@'); i > strings.LastIndexByte(purl, '/') {
		purl = purl[:i]
	}
	return purl + rest
}

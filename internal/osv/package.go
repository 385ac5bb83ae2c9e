package osv

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tracegate/tracegate/internal/osv/semantic"
)

// Package is one SOUP component whose published anomalies are wanted. PURL,
// when present, identifies it; Ecosystem, Name and Version are used when
// there is no PURL, and otherwise must agree with it. Ecosystem is an OSV
// ecosystem ("PyPI", "Alpine:v3.17"); it may add the release a PURL lacks.
type Package struct {
	Name      string `json:"name,omitempty"`
	Version   string `json:"version,omitempty"`
	Ecosystem string `json:"ecosystem,omitempty"`
	PURL      string `json:"purl,omitempty"`
}

func (p Package) String() string {
	if p.PURL != "" {
		return p.PURL
	}
	s := p.Name + "@" + p.Version
	if p.Ecosystem != "" {
		s = p.Ecosystem + "/" + s
	}
	return s
}

// Coordinate is a package version as OSV names it: the identity that is
// looked up, in the online query and in the offline database alike.
type Coordinate struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	Version   string `json:"version"`
}

func (c Coordinate) String() string { return c.Ecosystem + "/" + c.Name + "@" + c.Version }

// resolve turns a Package into the coordinates to look up: the package
// itself and, for distribution packages whose PURL names a different source
// package, that source package too (OSV's Alpine and Debian advisories name
// source packages: libcrypto3's anomalies are filed under openssl). A
// non-empty reason says why the package cannot be looked up at all.
func resolve(p Package) (coords []Coordinate, reason string) {
	var (
		c          Coordinate
		source     *Coordinate
		releaseWhy string
	)
	if strings.TrimSpace(p.PURL) != "" {
		id, why := fromPURL(p.PURL)
		if why != "" {
			return nil, why
		}
		c, source, releaseWhy = id.coord, id.source, id.releaseWhy
		if p.Ecosystem != "" {
			eco, ok := canonicalEcosystem(p.Ecosystem)
			if !ok {
				return nil, fmt.Sprintf("ecosystem %q is not an OSV ecosystem", p.Ecosystem)
			}
			hasRelease := eco != baseEcosystem(eco)
			purlRelease := c.Ecosystem != baseEcosystem(c.Ecosystem)
			if baseEcosystem(eco) != baseEcosystem(c.Ecosystem) || (hasRelease && purlRelease && eco != c.Ecosystem) {
				return nil, fmt.Sprintf("ecosystem %q contradicts the purl, which is in %s", p.Ecosystem, c.Ecosystem)
			}
			if hasRelease {
				// The explicit ecosystem adds the release the PURL lacks.
				c.Ecosystem = eco
			}
		}
		if v := strings.TrimSpace(p.Version); v != "" {
			switch {
			case c.Version == "":
				c.Version = v
			case normalizeVersion(c.Ecosystem, c.Name, v) != normalizeVersion(c.Ecosystem, c.Name, c.Version):
				return nil, fmt.Sprintf("version %q contradicts the purl's version %q: the exact version in use is ambiguous", v, c.Version)
			}
		}
	} else {
		if strings.TrimSpace(p.Ecosystem) == "" {
			return nil, "no purl and no ecosystem: the package cannot be named in OSV terms"
		}
		eco, ok := canonicalEcosystem(p.Ecosystem)
		if !ok {
			return nil, fmt.Sprintf("ecosystem %q is not an OSV ecosystem", p.Ecosystem)
		}
		c = Coordinate{Ecosystem: eco, Name: strings.TrimSpace(p.Name), Version: strings.TrimSpace(p.Version)}
		if baseEcosystem(eco) == "PyPI" {
			c.Name = normalizeName(eco, c.Name)
		}
	}
	if c.Name == "" {
		return nil, "no package name"
	}
	if c.Version == "" {
		return nil, "no version: anomalies are evaluated for the exact version in use"
	}
	if base := baseEcosystem(c.Ecosystem); releaseScoped[base] && c.Ecosystem == base {
		if releaseWhy == "" {
			releaseWhy = "the " + base + " release is not given"
		}
		return nil, fmt.Sprintf("%s; OSV %s advisories are per release: give it in the purl's distro qualifier or as the ecosystem (e.g. %q)", releaseWhy, base, releaseExample[base])
	}
	raw := c.Version
	c.Version = normalizeVersion(c.Ecosystem, c.Name, c.Version)
	if c.Version == "" {
		// A version that is only the ecosystem's prefix ("v" in Go) names
		// no version: looked up as "", OSV would match every version or none.
		return nil, fmt.Sprintf("no version: %q is no %s version once written as OSV writes them", raw, baseEcosystem(c.Ecosystem))
	}
	if why := checkVersion(c); why != "" {
		return nil, why
	}
	coords = append(coords, c)
	if source != nil {
		s := *source
		s.Ecosystem = c.Ecosystem
		if s.Version == "" {
			s.Version = c.Version
		}
		s.Version = normalizeVersion(s.Ecosystem, s.Name, s.Version)
		if s.Version == "" {
			s.Version = c.Version // the source package's own version named none
		}
		if s != c {
			// Looked up even if its version does not parse: matching then
			// reports the records as indeterminate instead of dropping them.
			coords = append(coords, s)
		}
	}
	return coords, ""
}

var releaseExample = map[string]string{
	"Alpine": "Alpine:v3.17", "Debian": "Debian:11", "Ubuntu": "Ubuntu:22.04:LTS",
	"Mageia": "Mageia:9", "openSUSE": "openSUSE:Leap 15.5", "SUSE": "SUSE:Linux Enterprise Server 15 SP5",
	"Red Hat": "Red Hat:enterprise_linux:9::baseos", "Photon OS": "Photon OS:5.0",
	"openEuler": "openEuler:22.03-LTS", "Alpaquita": "Alpaquita:23",
	"BellSoft Hardened Containers": "BellSoft Hardened Containers:23",
}

// normalizeVersion writes a version the way OSV's advisories for the
// ecosystem write it. Go: module versions in PURLs and go.mod carry a
// leading "v" and the toolchain "go1.22.4", OSV Go ranges carry neither
// (Go vulndb: "SEMVER ... without the leading v").
func normalizeVersion(eco, name, v string) string {
	v = strings.TrimSpace(v)
	if baseEcosystem(eco) == "Go" {
		if name == "stdlib" || name == "toolchain" {
			v = strings.TrimPrefix(v, "go")
		}
		v = strings.TrimPrefix(v, "v")
	}
	return v
}

// checkVersion reports why c's version cannot be ordered in its ecosystem,
// or "" when it can (or when the ecosystem has no ordering tracegate knows,
// in which case matching decides per record).
func checkVersion(c Coordinate) string {
	_, err := parseVersion(c.Version, c.Ecosystem)
	if err != nil && !errors.Is(err, semantic.ErrUnsupportedEcosystem) {
		return fmt.Sprintf("version %q is not a valid %s version: %v", c.Version, baseEcosystem(c.Ecosystem), err)
	}
	return ""
}

// parseVersion parses v in an ecosystem's own ordering. The parsers are not
// ours and see untrusted strings: a panic becomes an error.
func parseVersion(v, eco string) (ver semantic.Version, err error) {
	defer func() {
		if r := recover(); r != nil {
			ver, err = nil, fmt.Errorf("%w: version parser failed on %q: %v", semantic.ErrInvalidVersion, v, r)
		}
	}()
	return semantic.Parse(v, eco)
}

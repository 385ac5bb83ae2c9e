package osv

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/tracegate/tracegate/internal/lazyre"
)

// purlIdentity is what a Package URL says about a package in OSV terms.
type purlIdentity struct {
	// coord's Ecosystem lacks the release when the PURL does not give it;
	// releaseWhy then says what was missing or not understood.
	coord      Coordinate
	releaseWhy string
	// source is the distribution's source package when the PURL names one
	// that differs from the binary package (upstream/origin qualifier).
	source *Coordinate
}

// purlEcosystems maps PURL types to OSV ecosystems for the types whose
// names translate directly (purl-spec PURL-TYPES; osv-scanner
// internal/utility/purl/purl_to_package.go does the same for its subset).
// deb, apk and rpm depend on the namespace and the distro qualifier and are
// handled in distroEcosystem.
var purlEcosystems = map[string]string{
	"npm":              "npm",
	"pypi":             "PyPI",
	"golang":           "Go",
	"maven":            "Maven",
	"cargo":            "crates.io",
	"gem":              "RubyGems",
	"nuget":            "NuGet",
	"composer":         "Packagist",
	"hex":              "Hex",
	"pub":              "Pub",
	"swift":            "SwiftURL",
	"cran":             "CRAN",
	"hackage":          "Hackage",
	"conan":            "ConanCenter",
	"julia":            "Julia",
	"bitnami":          "Bitnami",
	"opam":             "opam",
	"githubactions":    "GitHub Actions",
	"vscode-extension": "VSCode",
}

// fromPURL reads a Package URL. A non-empty reason means the package
// cannot be looked up: the PURL is malformed or its type has no OSV
// ecosystem.
func fromPURL(s string) (id *purlIdentity, reason string) {
	defer func() {
		// packageurl-go is not ours and parses untrusted text.
		if r := recover(); r != nil {
			id, reason = nil, fmt.Sprintf("purl %q cannot be parsed: parser failed: %v", s, r)
		}
	}()
	s = strings.TrimSpace(s)
	pu, err := packageurl.FromString(s)
	if err != nil {
		return nil, fmt.Sprintf("purl %q cannot be parsed: %v", s, err)
	}
	q := pu.Qualifiers.Map()
	id = &purlIdentity{coord: Coordinate{Version: pu.Version}}
	c := &id.coord
	switch pu.Type {
	case "deb", "apk", "rpm":
		eco, why := distroEcosystem(pu.Type, pu.Namespace, q["distro"])
		if eco == "" {
			return nil, why
		}
		c.Ecosystem, id.releaseWhy = eco, why
		c.Name = pu.Name
		if pu.Type == "rpm" && q["epoch"] != "" && !strings.Contains(c.Version, ":") {
			c.Version = q["epoch"] + ":" + c.Version
		}
		id.source = sourcePackage(pu.Type, q)
		if id.source != nil && id.source.Name == c.Name && (id.source.Version == "" || id.source.Version == c.Version) {
			id.source = nil
		}
		return id, ""
	}
	eco, ok := purlEcosystems[pu.Type]
	if !ok {
		return nil, fmt.Sprintf("purl type %q has no OSV ecosystem", pu.Type)
	}
	c.Ecosystem = eco
	switch eco {
	case "Go":
		// packageurl-go lowercases golang namespaces and names, but Go
		// module paths are case-sensitive (github.com/BurntSushi/toml):
		// take them as written.
		ns, name, err := rawNamespaceName(s)
		if err != nil {
			return nil, fmt.Sprintf("purl %q cannot be parsed: %v", s, err)
		}
		c.Name = joinNonEmpty("/", ns, name)
	case "Maven":
		if pu.Namespace == "" {
			return nil, fmt.Sprintf("maven purl %q has no group id", s)
		}
		c.Name = pu.Namespace + ":" + pu.Name
	case "PyPI":
		c.Name = normalizeName(eco, pu.Name)
	case "Hex", "Pub", "crates.io", "CRAN", "Hackage", "ConanCenter", "Julia", "Bitnami", "opam", "RubyGems", "NuGet":
		// The namespace, if any, is an organisation or channel, not part
		// of the name OSV uses.
		c.Name = pu.Name
	case "VSCode":
		c.Name = joinNonEmpty(".", pu.Namespace, pu.Name)
	default: // npm (@scope/name), Packagist, SwiftURL, GitHub Actions
		c.Name = joinNonEmpty("/", pu.Namespace, pu.Name)
	}
	return id, ""
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// rawNamespaceName returns the namespace and name of a PURL exactly as
// written (percent-decoded), splitting the way the purl spec does: the
// scheme, type, qualifiers, subpath and version are cut off, and the last
// path segment is the name.
func rawNamespaceName(s string) (ns, name string, err error) {
	rest := s[len("pkg:"):]
	rest = strings.TrimLeft(rest, "/")
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest = rest[:i]
	}
	_, rest, _ = strings.Cut(rest, "/") // the type
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.Trim(rest, "/")
	var segs []string
	for _, seg := range strings.Split(rest, "/") {
		if seg == "" {
			continue
		}
		dec, err := url.PathUnescape(seg)
		if err != nil {
			return "", "", err
		}
		segs = append(segs, dec)
	}
	if len(segs) == 0 {
		return "", "", fmt.Errorf("no name")
	}
	return strings.Join(segs[:len(segs)-1], "/"), segs[len(segs)-1], nil
}

var (
	majorMinor = lazyre.New(`(\d+)\.(\d+)`)
	leadingNum = lazyre.New(`^\D*?(\d+)`)
)

// debianReleases maps code names to the numeric releases OSV uses
// ("Debian:11"), from Debian's distro-info-data (debian.csv).
var debianReleases = map[string]string{
	"wheezy": "7", "jessie": "8", "stretch": "9", "buster": "10",
	"bullseye": "11", "bookworm": "12", "trixie": "13", "forky": "14",
}

// distroEcosystem derives the OSV ecosystem of a deb, apk or rpm PURL from
// its namespace (the distribution) and distro qualifier (the release), the
// way Syft and Trivy write them ("alpine-3.17.2", "debian-11",
// "bullseye", "ubuntu-22.04"). When the release cannot be derived the base
// ecosystem is returned with the reason; when the distribution itself has
// no OSV ecosystem (or needs data a PURL does not carry) eco is "".
func distroEcosystem(typ, namespace, distro string) (eco, why string) {
	distro = strings.ToLower(strings.TrimSpace(distro))
	ns := strings.ToLower(namespace)
	noRelease := func(base string) (string, string) {
		if distro == "" {
			return base, fmt.Sprintf("the %s purl has no distro qualifier", typ)
		}
		return base, fmt.Sprintf("the distro qualifier %q names no %s release", distro, base)
	}
	switch {
	case typ == "apk" && ns == "alpine":
		if strings.Contains(distro, "edge") {
			return "Alpine", "Alpine edge is a rolling branch without OSV release advisories"
		}
		if m := majorMinor().FindStringSubmatch(distro); m != nil {
			return "Alpine:v" + m[1] + "." + m[2], ""
		}
		return noRelease("Alpine")
	case typ == "apk" && ns == "wolfi":
		return "Wolfi", ""
	case typ == "apk" && ns == "chainguard":
		return "Chainguard", ""
	case typ == "deb" && ns == "debian":
		for code, num := range debianReleases {
			if strings.Contains(distro, code) {
				return "Debian:" + num, ""
			}
		}
		if m := leadingNum().FindStringSubmatch(distro); m != nil {
			return "Debian:" + m[1], ""
		}
		return noRelease("Debian")
	case typ == "deb" && ns == "ubuntu":
		m := majorMinor().FindStringSubmatch(distro)
		if m == nil {
			return noRelease("Ubuntu")
		}
		yy, _ := strconv.Atoi(m[1])
		rel := "Ubuntu:" + m[1] + "." + m[2]
		// Ubuntu's long-term releases are the April releases of even
		// years; OSV writes them with a mandatory ":LTS" suffix.
		if m[2] == "04" && yy%2 == 0 {
			rel += ":LTS"
		}
		return rel, ""
	case typ == "rpm" && ns == "almalinux":
		return optionalRelease("AlmaLinux", distro)
	case typ == "rpm" && (ns == "rocky" || ns == "rockylinux"):
		return optionalRelease("Rocky Linux", distro)
	case typ == "rpm" && ns == "mageia":
		if m := leadingNum().FindStringSubmatch(distro); m != nil {
			return "Mageia:" + m[1], ""
		}
		return noRelease("Mageia")
	case typ == "rpm" && rpmStreams[ns] != "":
		return rpmStreams[ns], fmt.Sprintf("rpm purls of %s do not carry the product stream OSV scopes its advisories to", namespace)
	}
	return "", fmt.Sprintf("%s purls of namespace %q have no OSV ecosystem", typ, namespace)
}

// rpmStreams are the rpm distributions whose OSV ecosystems are scoped to
// a product stream (a Red Hat CPE, a SUSE product name) that only the
// caller can supply.
var rpmStreams = map[string]string{"redhat": "Red Hat", "suse": "SUSE", "opensuse": "openSUSE", "openeuler": "openEuler"}

// optionalRelease scopes an ecosystem whose release suffix is optional to
// the major release in distro when there is one ("almalinux-8.6" → ":8").
func optionalRelease(base, distro string) (string, string) {
	if m := leadingNum().FindStringSubmatch(distro); m != nil {
		return base + ":" + m[1], ""
	}
	return base, ""
}

// sourcePackage reads the source package a distribution PURL names: Syft
// writes upstream=<name> or upstream=<name>@<version> (deb, apk) and
// upstream=<name>-<version>-<release>.src.rpm (rpm); osv-scalibr writes
// origin=<name> for apk.
func sourcePackage(typ string, q map[string]string) *Coordinate {
	up := q["upstream"]
	if up == "" {
		up = q["origin"]
	}
	if up == "" {
		return nil
	}
	if typ == "rpm" {
		name := strings.TrimSuffix(up, ".src.rpm")
		if name == up {
			return &Coordinate{Name: up}
		}
		// name-version-release: the last two dash-separated fields are the
		// version and the release.
		parts := strings.Split(name, "-")
		if len(parts) < 3 {
			return nil
		}
		return &Coordinate{Name: strings.Join(parts[:len(parts)-2], "-")}
	}
	name, version, _ := strings.Cut(up, "@")
	if name == "" {
		return nil
	}
	return &Coordinate{Name: name, Version: version}
}

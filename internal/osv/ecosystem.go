package osv

import (
	"strings"

	"github.com/tracegate/tracegate/internal/lazyre"
)

// ecosystems are the ecosystem names the OSV schema defines
// (validation/schema.json, $defs.ecosystemName, ossf/osv-schema @ 51b8156b).
// A test keeps this list equal to the schema in testdata/osv. A package in
// any other ecosystem cannot be looked up and is reported as not checked.
var ecosystems = []string{
	"AlmaLinux", "Alpaquita", "Alpine", "Android", "Azure Linux",
	"BellSoft Hardened Containers", "Bioconductor", "Bitnami", "Chainguard",
	"CleanStart", "ConanCenter", "CRAN", "crates.io", "Debian",
	"Docker Hardened Images", "Echo", "FreeBSD", "GHC", "GitHub Actions", "Go",
	"Hackage", "Hex", "Julia", "Kubernetes", "Linux", "Mageia", "Maven",
	"MinimOS", "npm", "NuGet", "opam", "openEuler", "openSUSE", "OSS-Fuzz",
	"Packagist", "Photon OS", "Pub", "PyPI", "Red Hat", "Rocky Linux", "Root",
	"RubyGems", "SUSE", "SwiftURL", "TuxCare", "Ubuntu", "VSCode", "Wolfi",
}

var ecosystemByFold = func() map[string]string {
	m := make(map[string]string, len(ecosystems))
	for _, e := range ecosystems {
		m[strings.ToLower(e)] = e
	}
	return m
}()

// releaseScoped are the ecosystems whose advisories are written per
// distribution release ("Alpine:v3.17", "Debian:11"): a package without the
// release cannot be matched, because the same source version is fixed at
// different revisions in different releases.
var releaseScoped = map[string]bool{
	"Alpine": true, "Alpaquita": true, "BellSoft Hardened Containers": true,
	"Debian": true, "Ubuntu": true, "Mageia": true, "openSUSE": true,
	"SUSE": true, "Red Hat": true, "Photon OS": true, "openEuler": true,
}

// canonicalEcosystem returns the schema's spelling of an ecosystem string
// ("pypi" → "PyPI", "alpine:v3.17" → "Alpine:v3.17"), or false when its
// base is not an OSV ecosystem. The suffix after the first colon is kept
// as written: it can itself hold colons (Maven repository URLs, Red Hat CPEs).
func canonicalEcosystem(s string) (string, bool) {
	s = strings.TrimSpace(s)
	base, suffix, hasSuffix := strings.Cut(s, ":")
	canon, ok := ecosystemByFold[strings.ToLower(base)]
	if !ok {
		return "", false
	}
	if hasSuffix {
		if suffix == "" {
			return "", false
		}
		return canon + ":" + suffix, true
	}
	return canon, true
}

// baseEcosystem strips the release or repository suffix: "Alpine:v3.17" →
// "Alpine". The offline database keeps one directory per base ecosystem.
func baseEcosystem(eco string) string {
	base, _, _ := strings.Cut(eco, ":")
	return base
}

// ecosystemApplies reports whether an advisory written for recordEco
// applies to a package in pkgEco: the same string, or an advisory for the
// whole ecosystem (no suffix) and a package in one of its releases.
func ecosystemApplies(recordEco, pkgEco string) bool {
	if recordEco == pkgEco {
		return true
	}
	return !strings.Contains(recordEco, ":") && baseEcosystem(pkgEco) == recordEco
}

var pep503Separators = lazyre.New(`[-_.]+`)

// normalizeName folds a package name the way the ecosystem's registry
// identifies packages, so that a name written differently in an SBOM and in
// an advisory still meets. Only foldings the registry itself applies are
// made: merging two names that are distinct packages would report anomalies
// of the wrong package, and splitting one would miss them.
func normalizeName(eco, name string) string {
	name = strings.TrimSpace(name)
	switch baseEcosystem(eco) {
	case "PyPI":
		// PEP 503: names compare case-insensitively with runs of -, _ and .
		// equal; OSV PyPI names are stored normalised (schema: PyPI).
		return pep503Separators().ReplaceAllString(strings.ToLower(name), "-")
	case "NuGet", "Packagist", "GitHub Actions", "Pub", "Hex":
		// Case-insensitive registries (nuget.org, packagist.org, github.com,
		// pub.dev and hex.pm take names case-insensitively).
		return strings.ToLower(name)
	case "crates.io":
		// crates.io treats - and _ as the same and names case-insensitively.
		return strings.ReplaceAll(strings.ToLower(name), "_", "-")
	}
	// Go module paths, Maven coordinates, npm, RubyGems and distribution
	// package names are case-sensitive: compared as written.
	return name
}

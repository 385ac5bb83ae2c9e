package model

import (
	"slices"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
)

// Component is one piece of software (or, in a hardware BOM, a device) that
// an SBOM lists, normalised across SPDX 2.x, SPDX 3 and CycloneDX. It is the
// raw material of the SOUP list (IEC 62304 8.1.2): what the SBOM says, with
// unknowns left empty rather than guessed.
type Component struct {
	Name string `json:"name"`
	// Group is the CycloneDX group, or the Maven groupId / npm scope taken
	// from the purl when the SBOM has no group of its own.
	Group   string `json:"group,omitempty"`
	Version string `json:"version,omitempty"`
	// Supplier is the first known of: supplier, manufacturer, publisher,
	// authors, author (CycloneDX) or supplier, originator (SPDX).
	// NOASSERTION, NONE and empty mean unknown and give "".
	Supplier string `json:"supplier,omitempty"`
	// SupplierFrom names the field Supplier came from (a Supplier* constant),
	// so that a register can tell an asserted supplier from an author list.
	SupplierFrom string `json:"supplier_from,omitempty"`
	// PURL is the package URL in canonical form (qualifiers sorted, type
	// lower-case, components percent-encoded); "" when the SBOM gives none
	// or only an invalid one.
	PURL     string    `json:"purl,omitempty"`
	CPEs     []string  `json:"cpes,omitempty"`
	Licenses []License `json:"licenses,omitempty"`
	// Hashes maps a normalised algorithm name (see HashAlgorithm) to the
	// lower-case hex digest.
	Hashes           map[string]string `json:"hashes,omitempty"`
	DownloadLocation string            `json:"download_location,omitempty"`
	// Ecosystem is the package ecosystem named by the purl type (npm, pypi,
	// golang, maven, cargo, gem, nuget, deb, apk, rpm, …); "" when unknown.
	Ecosystem string `json:"ecosystem,omitempty"`
	// Type is the kind of component as the SBOM states it, lower-case:
	// library, framework, application, container, operating-system,
	// device, firmware, file, cryptographic-asset, …; "" when not stated.
	Type string `json:"type,omitempty"`
	// Dependency says whether the described product depends on the
	// component directly, transitively, or whether the SBOM does not tell.
	Dependency Dependency `json:"dependency"`
	// ElementID is the SPDXID, bom-ref or spdxId of the (first) element the
	// component was read from.
	ElementID string `json:"element_id,omitempty"`
	// Source is the SBOM file and, where the format has lines that name
	// elements (tag-value), the line of the element.
	Source input.Pos `json:"source"`
	// Format is the SBOM format the component was read from (spdx-json,
	// cyclonedx-xml, …).
	Format string `json:"format"`
	// Elements is how many elements of the SBOM were merged into this
	// component because they name the same package (1 when none were).
	Elements int `json:"elements"`
}

// Where Component.Supplier came from.
const (
	SupplierFromSupplier     = "supplier"
	SupplierFromManufacturer = "manufacturer"
	SupplierFromPublisher    = "publisher"
	SupplierFromAuthors      = "authors"
	SupplierFromAuthor       = "author" // CycloneDX's deprecated free-text author
	SupplierFromOriginator   = "originator"
)

// Dependency is a tri-state: an SBOM without dependency information must not
// make every component look direct (or transitive).
type Dependency string

const (
	// DependencyUnknown: the SBOM carries no dependency path from the
	// described product to the component.
	DependencyUnknown Dependency = "unknown"
	// DependencyDirect: the product depends on the component itself.
	DependencyDirect Dependency = "direct"
	// DependencyTransitive: the product depends on it only through other
	// components.
	DependencyTransitive Dependency = "transitive"
)

// rank orders dependency states by how much they tell: a merged component
// is direct if any of its elements is.
func (d Dependency) rank() int {
	switch d {
	case DependencyDirect:
		return 2
	case DependencyTransitive:
		return 1
	}
	return 0
}

// License is one license statement about a component.
type License struct {
	// Expression is an SPDX license expression or identifier, or, when
	// ByName is set, a license name that is not an SPDX identifier.
	Expression string `json:"expression"`
	// Source is where the statement comes from (a License* constant).
	Source string `json:"source"`
	// ByName marks a CycloneDX license given only by its name.
	ByName bool `json:"by_name,omitempty"`
}

// License sources. Evidence is what a tool detected (CycloneDX
// evidence.licenses), not what anyone asserted: it is only used when the
// component states no license, and is marked so that nobody mistakes it for
// a declaration.
const (
	LicenseConcluded = "concluded"
	LicenseDeclared  = "declared"
	LicenseEvidence  = "evidence"
)

// ComponentKey identifies the package a component stands for. It is
// comparable, for use as a map key.
type ComponentKey struct {
	PURL, Group, Name, Version, Supplier string
}

// String renders the key for messages: the purl, or group/name@version
// (supplier).
func (k ComponentKey) String() string {
	if k.PURL != "" {
		return k.PURL
	}
	s := k.Name
	if k.Group != "" {
		s = k.Group + "/" + s
	}
	if k.Version != "" {
		s += "@" + k.Version
	}
	if k.Supplier != "" {
		s += " (" + k.Supplier + ")"
	}
	return s
}

// Key identifies the package a component stands for: its purl, or without
// one its group, name, version and supplier. Elements with the same key are
// one component. The group is part of the key because CycloneDX keeps it
// out of the name: "@babel/core" and "@types/core" share the name "core".
func (c *Component) Key() ComponentKey {
	if c.PURL != "" {
		return ComponentKey{PURL: c.PURL}
	}
	return ComponentKey{Group: c.Group, Name: c.Name, Version: c.Version, Supplier: c.Supplier}
}

// Merge folds o, an element with the same Key, into c: CPEs, licenses and
// hashes are united, Elements adds up, the more informative dependency state
// wins and fields c lacks are taken from o. It returns the hash algorithms
// for which o has a different digest than c (c's is kept): the caller
// decides whether that is worth a warning.
func (c *Component) Merge(o *Component) (conflicts []string) {
	c.Elements += max(o.Elements, 1)
	if o.Dependency.rank() > c.Dependency.rank() {
		c.Dependency = o.Dependency
	}
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&c.Name, o.Name)
	fill(&c.Group, o.Group)
	fill(&c.Version, o.Version)
	if c.Supplier == "" && o.Supplier != "" {
		c.Supplier, c.SupplierFrom = o.Supplier, o.SupplierFrom
	}
	fill(&c.DownloadLocation, o.DownloadLocation)
	fill(&c.Ecosystem, o.Ecosystem)
	fill(&c.Type, o.Type)
	fill(&c.ElementID, o.ElementID)
	for _, cpe := range o.CPEs {
		if !slices.Contains(c.CPEs, cpe) {
			c.CPEs = append(c.CPEs, cpe)
		}
	}
	for _, l := range o.Licenses {
		if !slices.Contains(c.Licenses, l) {
			c.Licenses = append(c.Licenses, l)
		}
	}
	for alg, v := range o.Hashes {
		if have, ok := c.Hashes[alg]; ok {
			if have != v {
				conflicts = append(conflicts, alg)
			}
			continue
		}
		if c.Hashes == nil {
			c.Hashes = map[string]string{}
		}
		c.Hashes[alg] = v
	}
	slices.Sort(conflicts)
	return conflicts
}

// hashAlgorithms maps an algorithm name with case, "-" and "_" removed to
// its normalised name and the length of its hex digest (0: variable).
// SPDX 2 writes SHA256 and BLAKE2b-256, CycloneDX SHA-256, SPDX 3 sha256
// and sha3_256: all become the CycloneDX spelling.
var hashAlgorithms = map[string]struct {
	name string
	hex  int
}{
	"MD2": {"MD2", 32}, "MD4": {"MD4", 32}, "MD5": {"MD5", 32}, "MD6": {"MD6", 0},
	"SHA1": {"SHA-1", 40}, "SHA224": {"SHA-224", 56}, "SHA256": {"SHA-256", 64},
	"SHA384": {"SHA-384", 96}, "SHA512": {"SHA-512", 128},
	"SHA3224": {"SHA3-224", 56}, "SHA3256": {"SHA3-256", 64}, "SHA3384": {"SHA3-384", 96}, "SHA3512": {"SHA3-512", 128},
	"BLAKE2B256": {"BLAKE2b-256", 64}, "BLAKE2B384": {"BLAKE2b-384", 96}, "BLAKE2B512": {"BLAKE2b-512", 128},
	"BLAKE3": {"BLAKE3", 0}, "ADLER32": {"ADLER32", 8},
}

// HashAlgorithm returns the normalised name of a checksum algorithm and the
// length of its hex digest (0 when the algorithm allows several), or
// ok=false for an algorithm it does not know.
func HashAlgorithm(name string) (normalised string, hexLen int, ok bool) {
	// The key is built on the stack: this runs for every hash of every
	// component, and a map lookup of string(bytes) does not allocate.
	var k [16]byte
	n := 0
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '-' || c == '_' || c == ' ':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		if n == len(k) {
			return "", 0, false // longer than any known name
		}
		k[n] = c
		n++
	}
	a, ok := hashAlgorithms[string(k[:n])]
	return a.name, a.hex, ok
}

// ecosystems are the purl types (purl-spec PURL-TYPES) that name a package
// ecosystem; generic, and types the spec does not know, name none.
var ecosystems = map[string]bool{
	"alpm": true, "apk": true, "bitbucket": true, "bitnami": true, "cargo": true, "cocoapods": true,
	"composer": true, "conan": true, "conda": true, "cpan": true, "cran": true, "deb": true, "docker": true,
	"gem": true, "github": true, "golang": true, "hackage": true, "hex": true, "huggingface": true,
	"luarocks": true, "maven": true, "mlflow": true, "npm": true, "nuget": true, "oci": true, "pub": true,
	"pypi": true, "qpkg": true, "rpm": true, "swid": true, "swift": true, "vcpkg": true,
}

// Ecosystem returns the ecosystem of a purl type, or "" for generic and
// unknown types.
func Ecosystem(purlType string) string {
	t := strings.ToLower(purlType)
	if ecosystems[t] {
		return t
	}
	return ""
}

package sbom

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/model"
)

// model.Component's rules are tested here: the task keeps tests out of
// internal/model, and this package is their one user.

func TestHashAlgorithm(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		hex  int
		ok   bool
	}{
		{"SHA256", "SHA-256", 64, true},     // SPDX 2
		{"SHA-256", "SHA-256", 64, true},    // CycloneDX
		{"sha256", "SHA-256", 64, true},     // SPDX 3, syft's lower case
		{"sha3_256", "SHA3-256", 64, true},  // SPDX 3
		{"SHA3-512", "SHA3-512", 128, true}, // both
		{"BLAKE2b-384", "BLAKE2b-384", 96, true},
		{"blake2b384", "BLAKE2b-384", 96, true},
		{"BLAKE3", "BLAKE3", 0, true},
		{"md5", "MD5", 32, true},
		{"ADLER32", "ADLER32", 8, true},
		{"SHA3-999", "", 0, false},
		{"sha 1", "SHA-1", 40, true},
		{"SHA-256-SHA-256-SHA-256", "", 0, false}, // longer than any name
		{"ＳＨＡ256", "", 0, false},                  // full-width letters are not a spelling of it
		{"", "", 0, false},
	} {
		got, hex, ok := model.HashAlgorithm(tc.in)
		if got != tc.want || hex != tc.hex || ok != tc.ok {
			t.Errorf("HashAlgorithm(%q) = %q, %d, %v; want %q, %d, %v", tc.in, got, hex, ok, tc.want, tc.hex, tc.ok)
		}
	}
}

func TestLowerHex(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"0a1f", "0a1f", true},
		{"0A1F", "0a1f", true},
		{"", "", true}, // empty is rejected by the caller
		{"0a1g", "0a1g", false},
		{"0a 1f", "0a 1f", false},
		{"éa", "éa", false},
	} {
		got, ok := lowerHex(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("lowerHex(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// Digests are read in lower case; unknown algorithms and values that are
// not a digest of the algorithm's length are skipped with a warning, never
// kept half-read.
func TestHashesRead(t *testing.T) {
	bom := `{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
	{"type": "library", "name": "zlib", "version": "1.3", "purl": "pkg:generic/zlib@1.3", "hashes": [
		{"alg": "SHA-256", "content": "  9A93B2B7DFDAC77CEBA5A558A580E74667DD6FEDE4585B91EEFB60F03B72DF23 "},
		{"alg": "SHA-1", "content": "abc"},
		{"alg": "MD5", "content": "zz3456789012345678901234567890zz"},
		{"alg": "SHA-512", "content": "` + strings.Repeat("ab", 64) + `"}
	]}]}`
	doc, err := ReadBytes("bom.cdx.json", []byte(bom))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Components) != 1 {
		t.Fatalf("%d components", len(doc.Components))
	}
	want := map[string]string{"SHA-256": "9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23", "SHA-512": strings.Repeat("ab", 64)}
	if got := doc.Components[0].Hashes; !maps.Equal(got, want) {
		t.Errorf("hashes %v, want %v", got, want)
	}
	var warned []string
	for _, w := range doc.Warnings {
		warned = append(warned, w.String())
	}
	if text := strings.Join(warned, "\n"); !strings.Contains(text, "bom.cdx.json: skipped 2 checksums whose value is not a hex digest") || !strings.Contains(text, "SHA-1: abc") {
		t.Errorf("warnings do not count and name the skipped digests:\n%s", text)
	}
}

func TestEcosystem(t *testing.T) {
	for in, want := range map[string]string{"npm": "npm", "PyPI": "pypi", "golang": "golang", "deb": "deb",
		"generic": "", "unknown-type": "", "": ""} {
		if got := model.Ecosystem(in); got != want {
			t.Errorf("Ecosystem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestComponentKeyAndMerge(t *testing.T) {
	a := model.Component{Name: "zlib", Version: "1.3", PURL: "pkg:apk/alpine/zlib@1.3", Elements: 1,
		Dependency: model.DependencyUnknown, CPEs: []string{"cpe:2.3:a:zlib:zlib:1.3"},
		Licenses: []model.License{{Expression: "Zlib", Source: model.LicenseDeclared}},
		Hashes:   map[string]string{"SHA-256": "aa", "SHA-1": "bb"}}
	b := model.Component{Name: "zlib", Version: "1.3", PURL: "pkg:apk/alpine/zlib@1.3", Elements: 2,
		Supplier: "Alpine", SupplierFrom: model.SupplierFromPublisher, Dependency: model.DependencyDirect,
		CPEs:     []string{"cpe:2.3:a:zlib:zlib:1.3", "cpe:2.3:a:gnu:zlib:1.3"},
		Licenses: []model.License{{Expression: "Zlib", Source: model.LicenseDeclared}, {Expression: "Zlib", Source: model.LicenseConcluded}},
		Hashes:   map[string]string{"SHA-256": "cc", "SHA-512": "dd"}}
	if a.Key() != b.Key() {
		t.Fatalf("same purl, keys %v and %v", a.Key(), b.Key())
	}
	conflicts := a.Merge(&b)
	if !slices.Equal(conflicts, []string{"SHA-256"}) {
		t.Errorf("conflicts %v", conflicts)
	}
	if a.Elements != 3 || a.Dependency != model.DependencyDirect || a.Supplier != "Alpine" || a.SupplierFrom != model.SupplierFromPublisher {
		t.Errorf("merged %+v", a)
	}
	if len(a.CPEs) != 2 || len(a.Licenses) != 2 {
		t.Errorf("CPEs %v licenses %v", a.CPEs, a.Licenses)
	}
	if want := map[string]string{"SHA-256": "aa", "SHA-1": "bb", "SHA-512": "dd"}; !maps.Equal(a.Hashes, want) {
		t.Errorf("hashes %v, want %v", a.Hashes, want)
	}
	// Without a purl the group is part of the identity: CycloneDX keeps
	// npm scopes out of the name.
	x := model.Component{Name: "core", Group: "@babel", Version: "7.0.0"}
	y := model.Component{Name: "core", Group: "@types", Version: "7.0.0"}
	if x.Key() == y.Key() {
		t.Errorf("@babel/core and @types/core share the key %v", x.Key())
	}
	if s := x.Key().String(); s != "@babel/core@7.0.0" {
		t.Errorf("key renders as %q", s)
	}
	// A transitive element does not demote a direct one.
	d := model.Component{Name: "d", Dependency: model.DependencyDirect, Elements: 1}
	d.Merge(&model.Component{Name: "d", Dependency: model.DependencyTransitive, Elements: 1})
	if d.Dependency != model.DependencyDirect || d.Elements != 2 {
		t.Errorf("%+v", d)
	}
}

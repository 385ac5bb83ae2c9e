package soup

import (
	"os"
	"reflect"
	"testing"

	"github.com/tracegate/tracegate/internal/ingest/sbom"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

func comp(name, version, purl string, mod ...func(*model.Component)) model.Component {
	c := model.Component{Name: name, Version: version, PURL: purl}
	for _, m := range mod {
		m(&c)
	}
	return c
}

func TestMatch(t *testing.T) {
	register := []model.SOUPItem{
		{Name: "lodash", PURL: "pkg:npm/lodash"},
		{Name: "@babel/core", PURL: "pkg:npm/%40babel/core@7.0.0"}, // a version in the register's purl is ignored
		{Name: "zlib"},
		{Name: "Requests", PURL: "pkg:pypi/Requests"},
		{Name: "org.slf4j:slf4j-api"},
		{Name: "left-pad"}, // stale
	}
	cs := []model.Component{
		comp("lodash", "4.17.21", "pkg:npm/lodash@4.17.21"),
		comp("core", "7.1.0", "pkg:npm/%40babel/core@7.1.0?vcs_url=x", func(c *model.Component) { c.Group = "@babel" }),
		comp("core", "7.1.0", "pkg:npm/%40types/core@7.1.0", func(c *model.Component) { c.Group = "@types" }),
		comp("ZLIB", "1.2.13", ""),
		comp("requests", "2.31.0", "pkg:pypi/requests@2.31.0"),
		comp("slf4j-api", "2.0.9", "pkg:maven/org.slf4j/slf4j-api@2.0.9", func(c *model.Component) { c.Group = "org.slf4j" }),
	}
	entries, stale := Match(cs, register)
	got := map[string]string{}
	for _, e := range entries {
		name := "none"
		if e.Item != nil {
			name = e.Item.Name + " by " + e.By
		}
		got[e.Component.Key().String()] = name
	}
	want := map[string]string{
		"pkg:npm/lodash@4.17.21":                "lodash by purl",
		"pkg:npm/%40babel/core@7.1.0?vcs_url=x": "@babel/core by purl",
		"pkg:npm/%40types/core@7.1.0":           "none",
		"ZLIB@1.2.13":                           "zlib by name",
		"pkg:pypi/requests@2.31.0":              "Requests by purl",
		"pkg:maven/org.slf4j/slf4j-api@2.0.9":   "org.slf4j:slf4j-api by name",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("matches:\n got %v\nwant %v", got, want)
	}
	if len(stale) != 1 || stale[0].Name != "left-pad" {
		t.Errorf("stale = %v", stale)
	}
}

func TestDiff(t *testing.T) {
	mit := func(c *model.Component) { c.Licenses = []model.License{{Expression: "MIT"}} }
	apache := func(c *model.Component) { c.Licenses = []model.License{{Expression: "Apache-2.0"}} }
	base := []model.Component{
		comp("lodash", "4.17.20", "pkg:npm/lodash@4.17.20"),
		comp("net", "v0.4.0", "pkg:golang/golang.org/x/net@v0.4.0"),
		comp("gone", "1.0", "pkg:npm/gone@1.0"),
		comp("debug", "2.6.9", "pkg:npm/debug@2.6.9"),
		comp("debug", "4.3.4", "pkg:npm/debug@4.3.4"),
		comp("lic", "1.0", "pkg:npm/lic@1.0", mit),
		comp("raw", "b", ""),
	}
	head := []model.Component{
		comp("lodash", "4.17.21", "pkg:npm/lodash@4.17.21"),
		comp("net", "v0.0.0-20210525063256-abc453219eb5", "pkg:golang/golang.org/x/net@v0.0.0-20210525063256-abc453219eb5"),
		comp("new", "0.1", "pkg:npm/new@0.1"),
		comp("debug", "2.6.9", "pkg:npm/debug@2.6.9"),
		comp("debug", "4.3.5", "pkg:npm/debug@4.3.5"),
		comp("lic", "1.0", "pkg:npm/lic@1.0", apache),
		comp("raw", "a", ""),
	}
	var got []string
	for _, c := range Diff(base, head) {
		got = append(got, string(c.Kind)+" "+c.Name())
	}
	want := []string{ // in package order
		"changed raw@a", // no ecosystem: the order of b and a cannot be told
		"downgraded pkg:golang/golang.org/x/net@v0.0.0-20210525063256-abc453219eb5", // a pseudo-version of 2021 is older than v0.4.0
		"upgraded pkg:npm/debug@4.3.5",                                              // 2.6.9 unchanged alongside
		"removed pkg:npm/gone@1.0",
		"license-changed pkg:npm/lic@1.0",
		"upgraded pkg:npm/lodash@4.17.21",
		"added pkg:npm/new@0.1",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diff:\n got %q\nwant %q", got, want)
	}
}

// canonicalKey is PackageKey for the canonical purls the SBOM reader
// writes: checked on every purl of the corpus's largest files.
func TestCanonicalKey(t *testing.T) {
	files := []string{
		"cyclonedx/json/sbomqs__apache_airflow-sbom-2.8.0-python3.10.json",
		"cyclonedx/json/bom-examples__juice-shop-via_npm-bare-bom.1.4.json",
		"cyclonedx/json/cyclonedx-gomod__app_minikube-v1.23.1_with-packages.bom.json",
		"spdx/json/bom-shelter__grype-v0.32.0-sbom.spdx.json",
		"cyclonedx/xml/osv-scanner__alpine.cdx.xml",
		"cyclonedx/json/cyclonedx-node-npm__deps-from-git_1.6.json",
	}
	n := 0
	for _, f := range files {
		doc, err := sbom.Read(os.DirFS("../../testdata/sbom"), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range doc.Components {
			if c.PURL == "" {
				continue
			}
			n++
			if got, want := canonicalKey(c.PURL), PackageKey(c.PURL); got != want {
				t.Errorf("canonicalKey(%q) = %q, PackageKey = %q", c.PURL, got, want)
			}
		}
	}
	if n < 3500 {
		t.Errorf("only %d purls checked", n)
	}
}

// A register read without an SBOM is the SOUP list: each entry described by
// what it asserts, its purl carrying the version in use.
func TestFromRegister(t *testing.T) {
	reg := []model.SOUPItem{
		{Name: "zlib", PURL: "pkg:generic/zlib", Version: "1.3.1", Manufacturer: "Jean-loup Gailly and Mark Adler", License: "Zlib", Source: input.Pos{File: "soup.yml", Line: 2}},
		{Name: "FreeRTOS-Kernel", PURL: "pkg:github/FreeRTOS/FreeRTOS-Kernel", Version: "V11.1.0", Identifier: "cpe:2.3:o:amazon:freertos:11.1.0:*:*:*:*:*:*:*"},
		{Name: "@babel/core", PURL: "pkg:npm/%40babel/core@7.1.0", Version: "7.2.0"},
		{Name: "Camera SDK", Version: "5.3.1"},
	}
	l := FromRegister(reg, "docs/soup/soup.yml")
	if !l.FromRegister || len(l.Documents) != 0 || len(l.Stale) != 0 || len(l.Components) != 4 {
		t.Fatalf("list %+v", l)
	}
	by := map[string]ListEntry{}
	for _, e := range l.Components {
		if e.Register == nil || e.MatchedBy != ByRegister || len(e.Documents) != 1 || e.Documents[0] != "docs/soup/soup.yml" {
			t.Errorf("%s: register %v, by %q, documents %v", e.Name, e.Register, e.MatchedBy, e.Documents)
		}
		by[e.Name] = e
	}
	if z := by["zlib"]; z.PURL != "pkg:generic/zlib@1.3.1" || z.Supplier != "Jean-loup Gailly and Mark Adler" || z.Licenses[0] != "Zlib" || z.Source.Line != 2 {
		t.Errorf("zlib: %+v", z)
	}
	if f := by["FreeRTOS-Kernel"]; f.PURL != "pkg:github/freertos/freertos-kernel@V11.1.0" || len(f.CPEs) != 1 {
		t.Errorf("FreeRTOS: %+v", f)
	}
	// A version in the purl is kept as written (the register reader warned
	// about it); the entry's version is the one judged.
	if b := by["@babel/core"]; b.PURL != "pkg:npm/%40babel/core@7.1.0" || b.Group != "@babel" || b.Version != "7.2.0" {
		t.Errorf("@babel/core: %+v", b)
	}
	if c := by["Camera SDK"]; c.PURL != "" || c.Version != "5.3.1" {
		t.Errorf("Camera SDK: %+v", c)
	}
}

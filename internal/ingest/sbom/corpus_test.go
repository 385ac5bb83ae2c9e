package sbom

import (
	"bufio"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/model"
)

// corpusDir is the copy of shared/corpus/sbom: a clone tests itself.
const corpusDir = "../../../testdata/sbom"

// corpusEntry is one row of the summary table of testdata/sbom/SOURCES.md,
// whose counts were computed with Python, independently of this code.
type corpusEntry struct {
	path    string
	format  Format
	version string
	count   int
}

var (
	rowRE     = regexp.MustCompile("^\\| `([^`]+)` \\| ([^|]+) \\| ([^|]+) \\|")
	spdxVerRE = regexp.MustCompile(`SPDX-2\.[0-9]`)
	ldVerRE   = regexp.MustCompile(`rdf/(3\.[0-9.]+)/spdx-context`)
	cdxVerRE  = regexp.MustCompile(`^CycloneDX (?:JSON|XML) (1\.[0-9])$`)
	countRE   = regexp.MustCompile(`^(\d+) (?:packages|components)`)
	pkgCntRE  = regexp.MustCompile(`Package (\d+)`)
)

// readCorpusTable parses the summary table. It fails the test on a row it
// does not understand, so that a changed table cannot silently shrink the
// test.
func readCorpusTable(t testing.TB) []corpusEntry {
	t.Helper()
	f, err := os.Open(corpusDir + "/SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusEntry
	sc := bufio.NewScanner(f)
	inTable := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## Summary table") {
			inTable = true
			continue
		}
		if inTable && strings.HasPrefix(line, "## ") {
			break
		}
		m := rowRE.FindStringSubmatch(line)
		if !inTable || m == nil {
			continue
		}
		e := corpusEntry{path: m[1]}
		fmtText, countText := strings.TrimSpace(m[2]), strings.TrimSpace(m[3])
		switch {
		case strings.HasPrefix(fmtText, "SPDX JSON"):
			e.format, e.version = SPDXJSON, spdxVerRE.FindString(fmtText)
		case strings.HasPrefix(fmtText, "SPDX tag-value"):
			e.format, e.version = SPDXTagValue, spdxVerRE.FindString(fmtText)
		case strings.HasPrefix(fmtText, "SPDX YAML"):
			e.format, e.version = SPDXYAML, spdxVerRE.FindString(fmtText)
		case strings.HasPrefix(fmtText, "SPDX RDF/XML"):
			e.format, e.version = SPDXRDF, spdxVerRE.FindString(fmtText)
		case strings.HasPrefix(fmtText, "SPDX3 JSON-LD"):
			if v := ldVerRE.FindStringSubmatch(fmtText); v != nil {
				e.format, e.version = SPDX3JSONLD, v[1]
			}
		case strings.HasPrefix(fmtText, "CycloneDX JSON"):
			if v := cdxVerRE.FindStringSubmatch(fmtText); v != nil {
				e.format, e.version = CycloneDXJSON, v[1]
			}
		case strings.HasPrefix(fmtText, "CycloneDX XML"):
			if v := cdxVerRE.FindStringSubmatch(fmtText); v != nil {
				e.format, e.version = CycloneDXXML, v[1]
			}
		}
		c := countRE.FindStringSubmatch(countText)
		if c == nil {
			c = pkgCntRE.FindStringSubmatch(countText)
		}
		if e.format == "" || e.version == "" || c == nil {
			t.Fatalf("SOURCES.md: cannot read the row of %s (%q, %q)", e.path, fmtText, countText)
		}
		e.count, _ = strconv.Atoi(c[1])
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// quirkWarnings lists, per file, what its warnings must say: the repairs
// that file needs. Every other corpus file must read without a warning.
var quirkWarnings = map[string][]string{
	"spdx/json/bom-shelter__grype-v0.32.0-sbom.spdx.json":                {"without a Person:/Organization: prefix", "Georg Brandl"},
	"spdx/json/bom-shelter__sbom-tool-v0.3.0-win-x64-manifest.spdx.json": {"without a Person:/Organization: prefix", "Microsoft/GitHub", "invalid purl"},
	"spdx/json/bom-shelter__chronicle-v0.3.0-sbom.spdx.json":             {"reuse the SPDXID", "characters SPDX does not allow"},
	"spdx/json/bom-shelter__flux-v0.26.3-sbom.spdx.json":                 {"without the SPDXRef- prefix", "50791f8ccfdc13e2"},
	"spdx/json/tools-golang__spdx2_3_null_package.json":                  {"null entry", "packages[0]"},
	"spdx/malformed/bom-shelter__PSReadLine-2.2.6-manifest.spdx.json":    {"non-JSON text after the end of the document", "Contact Us"},
	"spdx/tagvalue/spdx-spec__SPDXTagExample-v2.3.spdx":                  {"snippet section directly after a package"},
	"spdx/tagvalue/bom-shelter__vast-v2.3.1-sbom.spdx":                   {"FIleCopyrightText", "written before their PackageName/FileName", "reuse the SPDXID", "outside the section"},
	"spdx/tagvalue/bom-shelter__usbutils.spdx":                           {"relationship types not in upper case", "describes"},
	"spdx/tagvalue/boxyhq-jackson__sbom.spdx":                            {"characters SPDX does not allow", "'/' between namespace and name is percent-encoded"},
	"spdx/tagvalue/bom-shelter__k8s-release-v1.25.4-sbom.spdx":           {"disagree on a hash"},
	"spdx/rdf/spdx-spec__SPDXRdfExample-v2.3.spdx.rdf.xml":               {"white space between '=' and the quoted value", "leaves out", "Apache Commons Lang"},
	"cyclonedx/xml/osv-scanner__bad-purls.cdx.xml":                       {"invalid purls", "pkg:pypi/"},
	"cyclonedx/json/osv-scanner__alpine-zlib-16.cdx.json":                {"without a name", "metadata.component"},
}

func TestCorpus(t *testing.T) {
	entries := readCorpusTable(t)
	if len(entries) != 42 {
		t.Fatalf("SOURCES.md lists %d files, want the 42 of the corpus", len(entries))
	}
	fsys := os.DirFS(corpusDir)
	for _, e := range entries {
		t.Run(e.path, func(t *testing.T) {
			skipRDFUnderRace(t, e.path)
			doc := withDeadline(t, time.Minute, func() (*Document, error) { return Read(fsys, e.path) })
			if doc.File != e.path {
				t.Errorf("File = %q, want %q", doc.File, e.path)
			}
			if doc.Format != e.format || doc.SpecVersion != e.version {
				t.Errorf("format %s %s, want %s %s", doc.Format, doc.SpecVersion, e.format, e.version)
			}
			if doc.PackagesRead != e.count {
				t.Errorf("PackagesRead = %d, want %d (SOURCES.md)", doc.PackagesRead, e.count)
			}
			checkWellFormed(t, doc)
			want := quirkWarnings[e.path]
			all := warningText(doc)
			for _, w := range want {
				if !strings.Contains(all, w) {
					t.Errorf("warnings do not mention %q:\n%s", w, all)
				}
			}
			if len(want) == 0 && len(doc.Warnings) > 0 {
				t.Errorf("a conformant file gave warnings:\n%s", all)
			}
		})
	}
}

// TestCorpusLibraryFailures pins that every file the reference libraries
// reject or panic on (the "parse" column of SOURCES.md) is read.
func TestCorpusLibraryFailures(t *testing.T) {
	data, err := os.ReadFile(corpusDir + "/SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	var failing []string
	for _, line := range strings.Split(string(data), "\n") {
		if m := rowRE.FindStringSubmatch(line); m != nil && (strings.Contains(line, "**error**") || strings.Contains(line, "**PANIC**")) {
			failing = append(failing, m[1])
		}
	}
	if len(failing) < 7 {
		t.Fatalf("SOURCES.md lists %d library failures, want at least 7 (one panic, six rejections): %v", len(failing), failing)
	}
	fsys := os.DirFS(corpusDir)
	for _, p := range failing {
		if raceDetector && strings.Contains(p, "/rdf/") {
			continue // see skipRDFUnderRace
		}
		if _, err := Read(fsys, p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

func warningText(doc *Document) string {
	var b strings.Builder
	for _, w := range doc.Warnings {
		b.WriteString(w.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// checkWellFormed asserts what every Document must satisfy.
func checkWellFormed(t testing.TB, doc *Document) {
	t.Helper()
	if len(doc.Components) > doc.PackagesRead {
		t.Errorf("%d components from %d elements read", len(doc.Components), doc.PackagesRead)
	}
	if (doc.Root != nil) != (len(doc.Roots) == 1) {
		t.Errorf("Root set = %v with %d roots", doc.Root != nil, len(doc.Roots))
	}
	keys := map[model.ComponentKey]bool{}
	for i, c := range doc.Components {
		if keys[c.Key()] {
			t.Errorf("component %q listed twice", c.Key())
		}
		keys[c.Key()] = true
		if i > 0 {
			p := doc.Components[i-1]
			if p.Name > c.Name || (p.Name == c.Name && p.Group > c.Group) {
				t.Errorf("components not sorted: %q before %q", p.Name, c.Name)
			}
		}
		switch c.Dependency {
		case model.DependencyDirect, model.DependencyTransitive, model.DependencyUnknown:
		default:
			t.Errorf("%s: dependency %q", c.Name, c.Dependency)
		}
		if c.Elements < 1 {
			t.Errorf("%s: Elements = %d", c.Name, c.Elements)
		}
		if c.Source.File != doc.File || c.Format != string(doc.Format) {
			t.Errorf("%s: source %v format %q", c.Name, c.Source, c.Format)
		}
		for alg, h := range c.Hashes {
			if n, _, ok := model.HashAlgorithm(alg); !ok || n != alg || h == "" || strings.ToLower(h) != h {
				t.Errorf("%s: hash %s=%s not normalised", c.Name, alg, h)
			}
		}
	}
	for _, w := range doc.Warnings {
		if w.Pos.File != doc.File {
			t.Errorf("warning %q names %q, not the file", w.Msg, w.Pos.File)
		}
	}
}

// skipRDFUnderRace skips a test of an RDF file under -race (see
// raceDetector).
func skipRDFUnderRace(t testing.TB, path string) {
	t.Helper()
	if raceDetector && strings.Contains(path, "/rdf/") {
		t.Skip("gordf races in its RDF parser; RDF is tested without -race")
	}
}

// withDeadline runs read and fails the test if it does not return in time:
// a hang must fail fast, not stall the suite until go test's timeout.
func withDeadline(t testing.TB, d time.Duration, read func() (*Document, error)) *Document {
	t.Helper()
	doc, err := withDeadlineErr(t, d, read)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return doc
}

func withDeadlineErr(t testing.TB, d time.Duration, read func() (*Document, error)) (*Document, error) {
	t.Helper()
	type result struct {
		doc *Document
		err error
	}
	done := make(chan result, 1)
	go func() {
		doc, err := read()
		done <- result{doc, err}
	}()
	select {
	case r := <-done:
		return r.doc, r.err
	case <-time.After(d):
		t.Fatalf("reading did not finish within %v (a hang)", d)
		return nil, nil
	}
}

// identity is what the same-document groups must agree on.
type identity struct{ name, version, purl string }

func identities(doc *Document) []identity {
	var out []identity
	for _, c := range doc.Components {
		out = append(out, identity{c.Name, c.Version, c.PURL})
	}
	slices.SortFunc(out, func(a, b identity) int {
		return strings.Compare(a.name+"\x00"+a.version+"\x00"+a.purl, b.name+"\x00"+b.version+"\x00"+b.purl)
	})
	return out
}

func TestSameDocumentGroups(t *testing.T) {
	fsys := os.DirFS(corpusDir)
	read := func(p string) *Document {
		t.Helper()
		doc, err := Read(fsys, p)
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	groups := []struct {
		name  string
		files []string
	}{
		{"(a) SPDX 2.3 spec example", []string{
			"spdx/json/spdx-spec__SPDXJSONExample-v2.3.spdx.json",
			"spdx/tagvalue/spdx-spec__SPDXTagExample-v2.3.spdx",
			"spdx/yaml/spdx-spec__SPDXYAMLExample-2.3.spdx.yaml",
			"spdx/rdf/spdx-spec__SPDXRdfExample-v2.3.spdx.rdf.xml",
		}},
		{"(b) SPDX 2.2 example, JSON and YAML", []string{
			"spdx/json/tools-golang__SPDXJSONExample-v2.2.spdx.json",
			"spdx/yaml/tools-golang__SPDXYAMLExample-2.2.spdx.yaml",
		}},
		{"(c) juice-shop", []string{
			"cyclonedx/json/bom-examples__juice-shop-via_npm-bare-bom.1.4.json",
			"cyclonedx/xml/bom-examples__juice-shop-via_npm-bare-bom.1.4.xml",
		}},
		{"(d) poetry regression", []string{
			"cyclonedx/json/cyclonedx-python__poetry-regression-issue702_lock21_1.6.json",
			"cyclonedx/xml/cyclonedx-python__poetry-regression-issue702_lock21_1.5.xml",
		}},
		{"(e) example11 SPDX 2.3 and 3.0", []string{
			"spdx/json/spdx-examples__example11-sbom.spdx.json",
			"spdx/spdx3/spdx-examples__example11-sbom.spdx3.json",
		}},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			first := read(g.files[0])
			want := identities(first)
			if len(want) == 0 {
				t.Fatalf("%s has no components", g.files[0])
			}
			for _, f := range g.files[1:] {
				if raceDetector && strings.Contains(f, "/rdf/") {
					continue // see skipRDFUnderRace
				}
				doc := read(f)
				if got := identities(doc); !slices.Equal(got, want) {
					t.Errorf("%s:\n got %v\nwant %v (%s)", f, got, want, g.files[0])
				}
				if (doc.Root == nil) != (first.Root == nil) || (doc.Root != nil && doc.Root.Name != first.Root.Name) {
					t.Errorf("%s: root %v, want %v", f, doc.Root, first.Root)
				}
			}
		})
	}
	// SOURCES.md puts the 2.2 RDF sample in group (b), but it is a shorter
	// document: 2 packages (glibc, Saxon) where the JSON has 4. What it
	// has must match the JSON.
	t.Run("(b) SPDX 2.2 example, RDF subset", func(t *testing.T) {
		skipRDFUnderRace(t, "/rdf/")
		rdf := read("spdx/rdf/tools-golang__SPDXRdfExample-v2.2.spdx.rdf")
		js := identities(read("spdx/json/tools-golang__SPDXJSONExample-v2.2.spdx.json"))
		got := identities(rdf)
		if len(got) == 0 || rdf.Root == nil || rdf.Root.Name != "glibc" {
			t.Fatalf("RDF 2.2: components %v root %v", got, rdf.Root)
		}
		for _, id := range got {
			if !slices.Contains(js, id) {
				t.Errorf("RDF 2.2 component %v not in the JSON 2.2 document", id)
			}
		}
	})
}

// find returns the component named name (and version, when given).
func find(t testing.TB, doc *Document, name, version string) model.Component {
	t.Helper()
	for _, c := range doc.Components {
		if c.Name == name && (version == "" || c.Version == version) {
			return c
		}
	}
	t.Fatalf("%s: no component %s %s", doc.File, name, version)
	return model.Component{}
}

func TestCorpusFields(t *testing.T) {
	fsys := os.DirFS(corpusDir)
	read := func(p string) *Document {
		t.Helper()
		doc, err := Read(fsys, p)
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	t.Run("supplier from CycloneDX author", func(t *testing.T) {
		c := find(t, read("cyclonedx/json/bom-examples__juice-shop-via_npm-bare-bom.1.4.json"), "helper-string-parser", "")
		if c.Supplier != "The Babel Team" || c.SupplierFrom != model.SupplierFromAuthor {
			t.Errorf("supplier %q from %q", c.Supplier, c.SupplierFrom)
		}
	})
	t.Run("supplier from CycloneDX publisher", func(t *testing.T) {
		c := find(t, read("cyclonedx/xml/osv-scanner__alpine.cdx.xml"), "alpine-baselayout", "")
		if c.Supplier != "Natanael Copa <ncopa@alpinelinux.org>" || c.SupplierFrom != model.SupplierFromPublisher {
			t.Errorf("supplier %q from %q", c.Supplier, c.SupplierFrom)
		}
	})
	t.Run("supplier from CycloneDX supplier", func(t *testing.T) {
		doc := read("cyclonedx/json/bom-examples__HBOM-PCIe-SATA-adapter-board.json")
		for _, c := range doc.Components {
			if c.Supplier == "" || c.SupplierFrom != model.SupplierFromSupplier || c.Type != "device" {
				t.Errorf("%s: supplier %q from %q, type %q", c.Name, c.Supplier, c.SupplierFrom, c.Type)
			}
		}
	})
	t.Run("SPDX NOASSERTION supplier is unknown", func(t *testing.T) {
		c := find(t, read("spdx/json/osv-scanner__only-unimportant.spdx.json"), "libpcre3", "2:8.39-12ubuntu0.1")
		if c.Supplier != "" || c.SupplierFrom != "" || c.DownloadLocation != "" {
			t.Errorf("supplier %q from %q, download %q", c.Supplier, c.SupplierFrom, c.DownloadLocation)
		}
		if c.PURL != "pkg:deb/ubuntu/pcre3@2:8.39-12ubuntu0.1?arch=amd64&distro=focal&source=pcre3" || c.Ecosystem != "deb" {
			t.Errorf("purl %q ecosystem %q", c.PURL, c.Ecosystem)
		}
	})
	t.Run("SPDX originator is the supplier fallback", func(t *testing.T) {
		doc := read("spdx/json/bom-shelter__grype-v0.32.0-sbom.spdx.json")
		n := 0
		for _, c := range doc.Components {
			if c.Supplier == "Georg Brandl <georg@python.org>" {
				n++
				if c.SupplierFrom != model.SupplierFromOriginator {
					t.Errorf("%s: supplier from %q", c.Name, c.SupplierFrom)
				}
			}
		}
		if n == 0 {
			t.Error("no component with the originator Georg Brandl")
		}
	})
	t.Run("evidence licenses in cyclonedx-gomod", func(t *testing.T) {
		c := find(t, read("cyclonedx/json/cyclonedx-gomod__app_minikube-v1.23.1_with-packages.bom.json"), "cloud.google.com/go", "v0.93.3")
		want := []model.License{{Expression: "Apache-2.0", Source: model.LicenseEvidence}}
		if !slices.Equal(c.Licenses, want) {
			t.Errorf("licenses %v, want %v", c.Licenses, want)
		}
		if c.Hashes["SHA-256"] != "c0f064b59173601702655011bf054aa87d6e123f9a2d7a1f244b6b6f8a0eb22a" {
			t.Errorf("hashes %v", c.Hashes)
		}
	})
	t.Run("purl with qualifiers in canonical order", func(t *testing.T) {
		c := find(t, read("cyclonedx/json/cyclonedx-gomod__app_minikube-v1.23.1_with-packages.bom.json"), "cloud.google.com/go", "v0.93.3")
		// The file writes ?type=module&goos=linux&goarch=arm64.
		if c.PURL != "pkg:golang/cloud.google.com/go@v0.93.3?goarch=arm64&goos=linux&type=module" || c.Ecosystem != "golang" {
			t.Errorf("purl %q ecosystem %q", c.PURL, c.Ecosystem)
		}
		a := find(t, read("cyclonedx/xml/osv-scanner__alpine.cdx.xml"), "libcrypto3", "")
		if !strings.HasPrefix(a.PURL, "pkg:apk/alpine/libcrypto3@") || !strings.Contains(a.PURL, "distro=alpine-3.17.2") ||
			!strings.Contains(a.PURL, "upstream=openssl") || a.Ecosystem != "apk" {
			t.Errorf("purl %q ecosystem %q", a.PURL, a.Ecosystem)
		}
	})
	t.Run("npm scope and maven groupId become the group", func(t *testing.T) {
		c := find(t, read("spdx/json/spdx-spec__SPDXJSONExample-v2.3.spdx.json"), "Jena", "3.12.0")
		if c.Group != "org.apache.jena" || c.Ecosystem != "maven" {
			t.Errorf("group %q ecosystem %q", c.Group, c.Ecosystem)
		}
		b := find(t, read("spdx/tagvalue/boxyhq-jackson__sbom.spdx"), "@ampproject/remapping", "")
		if b.PURL != "pkg:npm/%40ampproject/remapping@2.1.1" || b.Group != "@ampproject" {
			t.Errorf("purl %q group %q", b.PURL, b.Group)
		}
	})
	t.Run("direct and transitive", func(t *testing.T) {
		doc := read("cyclonedx/json/cyclonedx-python__poetry-regression-issue702_lock21_1.6.json")
		if doc.Root == nil || doc.Root.Name != "regression-issue702" {
			t.Fatalf("root %v", doc.Root)
		}
		// The root depends on ray only; ray on aiohttp.
		if d := find(t, doc, "ray", "").Dependency; d != model.DependencyDirect {
			t.Errorf("ray: %s", d)
		}
		if d := find(t, doc, "aiohttp", "").Dependency; d != model.DependencyTransitive {
			t.Errorf("aiohttp: %s", d)
		}
		ex := read("spdx/json/spdx-examples__example11-sbom.spdx.json")
		for _, n := range []string{"hyper", "tokio", "pretty_env_logger"} {
			if d := find(t, ex, n, "").Dependency; d != model.DependencyDirect {
				t.Errorf("example11 %s: %s", n, d)
			}
		}
	})
	t.Run("no dependency information is unknown", func(t *testing.T) {
		for _, c := range read("spdx/json/bom-shelter__grype-v0.32.0-sbom.spdx.json").Components {
			if c.Dependency != model.DependencyUnknown {
				t.Fatalf("%s: %s in a document without relationships", c.Name, c.Dependency)
			}
		}
	})
	t.Run("CPE only (FreeRTOS)", func(t *testing.T) {
		doc := read("spdx/tagvalue/FreeRTOS-Kernel__V11.2.0-sbom.spdx")
		if len(doc.Components) != 1 {
			t.Fatalf("%d components", len(doc.Components))
		}
		c := doc.Components[0]
		if c.PURL != "" || c.Ecosystem != "" || len(c.CPEs) != 1 || !strings.HasPrefix(c.CPEs[0], "cpe:2.3:") || c.Version != "V11.2.0" {
			t.Errorf("%+v", c)
		}
		if c.Source.Line == 0 {
			t.Errorf("tag-value component without a line: %v", c.Source)
		}
	})
	t.Run("SPDX licenses and checksums", func(t *testing.T) {
		c := find(t, read("spdx/json/spdx-examples__example11-sbom.spdx.json"), "pretty_env_logger", "0.4.0")
		want := []model.License{{Expression: "MIT OR Apache-2.0", Source: model.LicenseConcluded}}
		if !slices.Equal(c.Licenses, want) {
			t.Errorf("licenses %v, want %v (licenseDeclared NOASSERTION is no license)", c.Licenses, want)
		}
		if c.Hashes["SHA-256"] != "926d36b9553851b8b0005f1275891b392ee4d2d833852c417ed025477350fb9d" || c.DownloadLocation != "" {
			t.Errorf("hashes %v download %q", c.Hashes, c.DownloadLocation)
		}
	})
	t.Run("supplier prefix repaired (Microsoft/GitHub)", func(t *testing.T) {
		doc := read("spdx/json/bom-shelter__sbom-tool-v0.3.0-win-x64-manifest.spdx.json")
		n := 0
		for _, c := range doc.Components {
			if c.Supplier == "Microsoft/GitHub" && c.SupplierFrom == model.SupplierFromSupplier {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d components supplied by Microsoft/GitHub, want 1", n)
		}
	})
	t.Run("merged duplicates count their elements", func(t *testing.T) {
		doc := read("spdx/json/bom-shelter__grype-v0.32.0-sbom.spdx.json")
		c := find(t, doc, "github.com/mitchellh/go-homedir", "v1.1.0")
		if c.Elements != 13 {
			t.Errorf("go-homedir stands for %d elements, want 13", c.Elements)
		}
		total := 0
		for _, c := range doc.Components {
			total += c.Elements
		}
		if total != doc.PackagesRead {
			t.Errorf("components stand for %d elements, %d were read", total, doc.PackagesRead)
		}
	})
}

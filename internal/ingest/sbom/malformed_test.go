package sbom

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf16"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// The malformed inputs of testdata/sbom/INVALID.md, made at test time by
// mutating corpus files. Each must give a clear error naming the file (and
// the position where known) or a warning plus the components, never a
// panic, a hang or a silently shorter list.

const deadline = time.Minute

func corpus(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(corpusDir + "/" + path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

const (
	ex11JSON   = "spdx/json/spdx-examples__example11-sbom.spdx.json"
	ex11SPDX3  = "spdx/spdx3/spdx-examples__example11-sbom.spdx3.json"
	specTV     = "spdx/tagvalue/spdx-spec__SPDXTagExample-v2.3.spdx"
	specYAML   = "spdx/yaml/spdx-spec__SPDXYAMLExample-2.3.spdx.yaml"
	alpineXML  = "cyclonedx/xml/osv-scanner__alpine.cdx.xml"
	zlibJSON   = "cyclonedx/json/osv-scanner__alpine-zlib-16.cdx.json"
	poetryJSON = "cyclonedx/json/cyclonedx-python__poetry-regression-issue702_lock21_1.6.json"
	lib11XML   = "cyclonedx/xml/bom-examples__laravel-7.12.0-bom.1.1.xml"
)

// mustFail reads data and asserts an *input.Error naming the file whose
// message contains want.
func mustFail(t *testing.T, name string, data []byte, want string) *input.Error {
	t.Helper()
	_, err := withDeadlineErr(t, deadline, func() (*Document, error) { return ReadBytes(name, data) })
	return checkError(t, name, err, want)
}

func checkError(t *testing.T, name string, err error, want string) *input.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one saying %q", want)
	}
	ie, ok := input.AsError(err)
	if !ok {
		t.Fatalf("error %T %v is not an *input.Error", err, err)
	}
	if ie.Pos.File != name {
		t.Errorf("error names %q, not the file %q: %v", ie.Pos.File, name, err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
	return ie
}

// mustRead reads data and asserts success with the given warning (none when
// want is "").
func mustRead(t *testing.T, name string, data []byte, want string) *Document {
	t.Helper()
	doc := withDeadline(t, deadline, func() (*Document, error) { return ReadBytes(name, data) })
	checkWellFormed(t, doc)
	all := warningText(doc)
	if want == "" && all != "" {
		t.Errorf("unexpected warnings:\n%s", all)
	}
	if want != "" && !strings.Contains(all, want) {
		t.Errorf("warnings do not say %q:\n%s", want, all)
	}
	return doc
}

func TestMalformedBytes(t *testing.T) {
	ex11 := corpus(t, ex11JSON)
	tests := []struct {
		name string
		data []byte
		err  string
		line int // the error's line, when it must name one
	}{
		{"empty", nil, "empty file", 0},
		{"white space only", []byte(" \n\t\r\n"), "only white space", 0},
		{"BOM only", []byte("\xEF\xBB\xBF"), "byte order mark", 0},
		{"top-level array", []byte("[]"), "JSON array, expected an object", 1},
		{"top-level null", []byte(" null"), "JSON null", 1},
		{"top-level string", []byte(`"spdxVersion"`), "JSON string", 1},
		{"top-level number", []byte("42\n"), "JSON number", 1},
		{"empty object", []byte("{}"), "not an SBOM", 1},
		{"unrelated object", []byte(`{"name": "x", "version": 1}`), "not an SBOM", 1},
		{"two JSON documents", append(append([]byte{}, ex11...), ex11...), "second JSON document", 157},
		{"SPDX-2.4", bytes.Replace(ex11, []byte(`"SPDX-2.3"`), []byte(`"SPDX-2.4"`), 1), "unsupported SPDX version \"SPDX-2.4\"", 4},
		{"SPDX-3.0 as 2.x JSON", bytes.Replace(ex11, []byte(`"SPDX-2.3"`), []byte(`"SPDX-3.0"`), 1), "SPDX 3 documents are JSON-LD", 4},
		{"SPDX-2.0", bytes.Replace(ex11, []byte(`"SPDX-2.3"`), []byte(`"SPDX-2.0"`), 1), "unsupported SPDX version", 4},
		{"spdxVersion a number", bytes.Replace(ex11, []byte(`"SPDX-2.3"`), []byte(`2.3`), 1), "spdxVersion must be a string", 4},
		{"CycloneDX 1.8", bytes.Replace(corpus(t, zlibJSON), []byte(`"specVersion": "1.6"`), []byte(`"specVersion": "1.8"`), 1), "unsupported CycloneDX specVersion \"1.8\"", 0},
		{"CycloneDX version a number", bytes.Replace(corpus(t, zlibJSON), []byte(`"specVersion": "1.6"`), []byte(`"specVersion": 1.5`), 1), "specVersion must be a string", 0},
		{"CycloneDX without specVersion", bytes.Replace(corpus(t, zlibJSON), []byte(`"specVersion": "1.6",`), nil, 1), "without specVersion", 0},
		{"bomFormat SPDX", bytes.Replace(corpus(t, zlibJSON), []byte(`"bomFormat": "CycloneDX"`), []byte(`"bomFormat": "SPDX"`), 1), "expected \"CycloneDX\"", 0},
		{"SPDX and CycloneDX at once", bytes.Replace(ex11, []byte(`"SPDXID"`), []byte(`"bomFormat": "CycloneDX", "SPDXID"`), 1), "both spdxVersion (SPDX) and bomFormat (CycloneDX)", 0},
		{"unknown XML namespace", bytes.Replace(corpus(t, alpineXML), []byte("schema/bom/1.4"), []byte("schema/bom/1.9"), 1), "unknown CycloneDX XML namespace", 0},
		{"XML without namespace", bytes.Replace(corpus(t, alpineXML), []byte(` xmlns="http://cyclonedx.org/schema/bom/1.4"`), nil, 1), "without a namespace", 0},
		{"two XML roots", append(append([]byte{}, corpus(t, lib11XML)...), corpus(t, lib11XML)...), "second root element", 0},
		{"HTML error page", []byte("<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n"), "HTML page", 0},
		{"HTML without doctype", []byte("\n<html lang=en><body>Sign in</body></html>"), "HTML page", 0},
		{"SPDX 2 XML", []byte(`<?xml version="1.0"?><Document><spdxVersion>SPDX-2.2</spdxVersion></Document>`), "SPDX XML serialisation is not supported", 0},
		{"unrelated XML", []byte(`<?xml version="1.0"?><project><name>x</name></project>`), "<project> is not an SBOM", 1},
		{"DSSE envelope", []byte(`{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[]}`), "DSSE envelope", 1},
		{"in-toto statement", []byte(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://spdx.dev/Document","predicate":{}}`), "in-toto statement", 1},
		{"tag-value without SPDXVersion", []byte("DataLicense: CC0-1.0\nDocumentName: x\nPackageName: a\n"), "without an SPDXVersion", 0},
		{"tag-value unterminated text", []byte("SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: x\nPackageName: a\nSPDXID: SPDXRef-a\nPackageComment: <text>never\nclosed\n"), "<text> is never closed", 7},
		{"plain text", []byte("hello world\nthis is not an SBOM\n"), "unrecognised file format", 0},
		{"YAML that is not SPDX", []byte("---\nname: x\nversion: 1\n"), "not an SPDX YAML document", 0},
		{"YAML multi-document", append(append([]byte{}, corpus(t, specYAML)...), []byte("\n---\nspdxVersion: SPDX-2.3\n")...), "2 YAML documents", 0},
		{"YAML duplicate key", []byte("spdxVersion: SPDX-2.3\nname: a\nname: b\n"), "duplicate key", 3},
		{"YAML alias bomb", []byte(yamlBomb()), "YAML", 0},
		{"SPDX 3 with another context", bytes.Replace(corpus(t, ex11SPDX3), []byte("https://spdx.org/rdf/3.0.1/spdx-context.jsonld"), []byte("https://schema.org/"), 1), "@context is not SPDX 3", 2},
		{"SPDX 3.1", bytes.Replace(corpus(t, ex11SPDX3), []byte("rdf/3.0.1/"), []byte("rdf/3.1.0/"), 1), "SPDX 3.1.0 is not supported", 2},
		{"XML entity (XXE)", []byte(`<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"><components><component type="library"><name>&xxe;</name></component></components></bom>`), "invalid CycloneDX XML", 1},
		{"XML in Latin-1", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><bom xmlns="http://cyclonedx.org/schema/bom/1.4"/>`), "ISO-8859-1", 0},
		{"NUL byte", append([]byte(`{"spdxVersion": "SPDX-2.3", "name": "`), 0, '"', '}'), "NUL", 0},
		{"invalid UTF-8", []byte("{\"spdxVersion\": \"SPDX-2.3\", \"name\": \"\xff\xfe\xfd\xfc\"}"), "invalid UTF-8", 0},
		{"Latin-1 beyond the first 8 KiB", bytes.Replace(corpus(t, "spdx/json/bom-shelter__julia.spdx.json"), []byte(`"name": "libwhich"`), []byte("\"name\": \"libwh\xefch\""), 1), "invalid UTF-8", 426},
		{"gzip", gzipped(t, ex11), "gzip-compressed", 0},
		{"zip", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00rest of a zip"), "zip archive", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name := "sboms/" + strings.ReplaceAll(tc.name, " ", "-") + ".spdx.json"
			e := mustFail(t, name, tc.data, tc.err)
			if tc.line > 0 && e.Pos.Line != tc.line {
				t.Errorf("error at line %d, want %d: %v", e.Pos.Line, tc.line, e)
			}
		})
	}
}

// yamlBomb is a "billion laughs" YAML document: nine levels of ten
// aliases expand to 10^9 values.
func yamlBomb() string {
	var b strings.Builder
	b.WriteString("spdxVersion: SPDX-2.3\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func gzipped(t testing.TB, data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func utf16LE(s string, bom bool) []byte {
	var b bytes.Buffer
	if bom {
		b.Write([]byte{0xFF, 0xFE})
	}
	for _, u := range utf16.Encode([]rune(s)) {
		binary.Write(&b, binary.LittleEndian, u)
	}
	return b.Bytes()
}

func utf16BE(s string) []byte {
	var b bytes.Buffer
	b.Write([]byte{0xFE, 0xFF})
	for _, u := range utf16.Encode([]rune(s)) {
		binary.Write(&b, binary.BigEndian, u)
	}
	return b.Bytes()
}

// TestMalformedFiles goes through Read, whose input.Open refuses binary
// content before the SBOM reader sees it: the refusal must still say what
// the file is.
func TestMalformedFiles(t *testing.T) {
	ex11 := string(corpus(t, ex11JSON))
	fsys := fstest.MapFS{
		"utf16le.spdx.json":       {Data: utf16LE(ex11, true)},
		"utf16le-nobom.spdx.json": {Data: utf16LE(ex11, false)},
		"utf16be.spdx.json":       {Data: utf16BE(ex11)},
		"sbom.spdx.json.gz":       {Data: gzipped(t, []byte(ex11))},
		"dir/x":                   {Data: []byte("x")},
	}
	for _, tc := range []struct{ path, err string }{
		{"utf16le.spdx.json", "the file is UTF-16 text (little-endian, with a byte order mark); tracegate reads UTF-8"},
		{"utf16le-nobom.spdx.json", "the file looks like UTF-16 text (little-endian, without a byte order mark); tracegate reads UTF-8"},
		{"utf16be.spdx.json", "the file is UTF-16 text (big-endian, with a byte order mark); tracegate reads UTF-8"},
		{"sbom.spdx.json.gz", "gzip-compressed"},
		{"missing.spdx.json", "cannot open"},
		{"dir", "is a directory"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			_, err := withDeadlineErr(t, deadline, func() (*Document, error) { return Read(fsys, tc.path) })
			checkError(t, tc.path, err, tc.err)
		})
	}
	t.Run("larger than the limit", func(t *testing.T) {
		_, err := Read(hugeFS{}, "huge.spdx.json")
		checkError(t, "huge.spdx.json", err, "larger than")
		if !errors.Is(err, input.ErrTooLarge) {
			t.Errorf("error %v is not ErrTooLarge", err)
		}
	})
}

// hugeFS holds one file that claims to be larger than MaxSize and fails if
// anything reads it: the limit must apply before reading.
type hugeFS struct{}

func (hugeFS) Open(name string) (fs.File, error) { return hugeFile{}, nil }

type hugeFile struct{}

func (hugeFile) Stat() (fs.FileInfo, error) { return hugeInfo{}, nil }
func (hugeFile) Read([]byte) (int, error) {
	panic("the size limit must refuse the file before reading it")
}
func (hugeFile) Close() error { return nil }

type hugeInfo struct{}

func (hugeInfo) Name() string       { return "huge.spdx.json" }
func (hugeInfo) Size() int64        { return MaxSize + 1 }
func (hugeInfo) Mode() fs.FileMode  { return 0o444 }
func (hugeInfo) ModTime() time.Time { return time.Time{} }
func (hugeInfo) IsDir() bool        { return false }
func (hugeInfo) Sys() any           { return nil }

// TestTruncated cuts corpus files at many offsets. JSON and XML end with a
// closing bracket or tag, so every cut inside the document is an error
// with a position; tag-value has no end marker, so a cut may leave a valid
// shorter document, but never more packages and never a panic, and a cut
// inside a <text> block is an error.
func TestTruncated(t *testing.T) {
	for _, tc := range []struct {
		path   string
		syntax string
	}{
		{ex11JSON, "json"},
		{"spdx/json/bom-shelter__julia.spdx.json", "json"},
		{ex11SPDX3, "json"},
		{zlibJSON, "json"},
		{poetryJSON, "json"},
		{alpineXML, "xml"},
		{lib11XML, "xml"},
		{"spdx/rdf/tools-golang__SPDXRdfExample-v2.2.spdx.rdf", "xml"},
		{specTV, "tag-value"},
		{"spdx/tagvalue/spdx-examples__example6-lib.spdx", "tag-value"},
		{specYAML, "yaml"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			skipRDFUnderRace(t, tc.path)
			data := corpus(t, tc.path)
			full := withDeadline(t, deadline, func() (*Document, error) { return ReadBytes(tc.path, data) })
			end := len(bytes.TrimRight(data, " \t\r\n"))
			step := max(1, end/97)
			for cut := 1; cut < end; cut += step {
				part := data[:cut]
				doc, err := withDeadlineErr(t, deadline, func() (*Document, error) { return ReadBytes(tc.path, part) })
				if err != nil {
					if ie, ok := input.AsError(err); !ok || ie.Pos.File != tc.path {
						t.Fatalf("cut at %d: error %T %v does not name the file", cut, err, err)
					}
					continue
				}
				switch tc.syntax {
				case "json", "xml":
					t.Fatalf("cut at %d of %d: read %d packages without an error", cut, end, doc.PackagesRead)
				case "tag-value", "yaml":
					checkWellFormed(t, doc)
					if doc.PackagesRead > full.PackagesRead {
						t.Fatalf("cut at %d: %d packages, the whole file has %d", cut, doc.PackagesRead, full.PackagesRead)
					}
				}
			}
		})
	}
}

// TestRepairs covers the quirks INVALID.md lists that the corpus does not
// hold, made by editing corpus files.
func TestRepairs(t *testing.T) {
	ex11 := corpus(t, ex11JSON)
	t.Run("UTF-8 BOM before the document", func(t *testing.T) {
		doc := mustRead(t, "bom.spdx.json", append([]byte("\xEF\xBB\xBF"), ex11...), "byte order mark")
		if len(doc.Components) != 3 {
			t.Errorf("%d components", len(doc.Components))
		}
	})
	t.Run("lower-case checksum algorithm", func(t *testing.T) {
		doc := mustRead(t, "sha.spdx.json", bytes.ReplaceAll(ex11, []byte(`"algorithm": "SHA256"`), []byte(`"algorithm": "sha256"`)), "checksum algorithms not spelt as the format defines")
		if h := find(t, doc, "tokio", "").Hashes["SHA-256"]; h != "c51a52ed6686dd62c320f9b89299e9dfb46f730c7a48e635c19f21d116cb1439" {
			t.Errorf("hash %q", h)
		}
	})
	t.Run("relationship types in lower case", func(t *testing.T) {
		doc := mustRead(t, "rel.spdx.json", bytes.ReplaceAll(ex11, []byte(`"DEPENDS_ON"`), []byte(`"depends_on"`)), "relationship types not in upper case")
		if d := find(t, doc, "tokio", "").Dependency; d != model.DependencyDirect {
			t.Errorf("tokio: %s", d)
		}
	})
	t.Run("IDs without SPDXRef- keep their relationships", func(t *testing.T) {
		data := bytes.ReplaceAll(ex11, []byte(`"SPDXRef-Package-`), []byte(`"Package-`))
		doc := mustRead(t, "ids.spdx.json", data, "without the SPDXRef- prefix")
		if doc.Root == nil || doc.Root.Name != "hello-server-src" {
			t.Fatalf("root %v", doc.Root)
		}
		for _, c := range doc.Components {
			if c.Dependency != model.DependencyDirect {
				t.Errorf("%s: %s", c.Name, c.Dependency)
			}
		}
	})
	t.Run("null entries in arrays", func(t *testing.T) {
		data := bytes.Replace(ex11, []byte(`"packages": [`), []byte(`"packages": [null, `), 1)
		data = bytes.Replace(data, []byte(`"relationships": [`), []byte(`"relationships": [null, `), 1)
		data = bytes.Replace(data, []byte(`"externalRefs": [`), []byte(`"externalRefs": [null, `), 1)
		doc := mustRead(t, "nulls.spdx.json", data, "null entr")
		if doc.PackagesRead != 4 || len(doc.Components) != 3 {
			t.Errorf("read %d, %d components", doc.PackagesRead, len(doc.Components))
		}
	})
	t.Run("supplier without type, NONE and empty", func(t *testing.T) {
		data := bytes.Replace(ex11, []byte(`"name": "hyper",`), []byte(`"name": "hyper", "supplier": "Acme Corp <x@acme.example>",`), 1)
		data = bytes.Replace(data, []byte(`"name": "tokio",`), []byte(`"name": "tokio", "supplier": "NONE", "originator": "Person: Carl Lerche",`), 1)
		data = bytes.Replace(data, []byte(`"name": "pretty_env_logger",`), []byte(`"name": "pretty_env_logger", "supplier": "",`), 1)
		doc := mustRead(t, "supplier.spdx.json", data, "without a Person:/Organization: prefix")
		if c := find(t, doc, "hyper", ""); c.Supplier != "Acme Corp <x@acme.example>" || c.SupplierFrom != model.SupplierFromSupplier {
			t.Errorf("hyper: %q from %q", c.Supplier, c.SupplierFrom)
		}
		if c := find(t, doc, "tokio", ""); c.Supplier != "Carl Lerche" || c.SupplierFrom != model.SupplierFromOriginator {
			t.Errorf("tokio: %q from %q", c.Supplier, c.SupplierFrom)
		}
		if c := find(t, doc, "pretty_env_logger", ""); c.Supplier != "" {
			t.Errorf("pretty_env_logger: %q", c.Supplier)
		}
	})
	t.Run("version spelt in lower case", func(t *testing.T) {
		mustRead(t, "ver.spdx.json", bytes.Replace(ex11, []byte(`"SPDX-2.3"`), []byte(`"spdx-2.3 "`), 1), "read as SPDX-2.3")
	})
	t.Run("GitHub dependency-graph export", func(t *testing.T) {
		data := append(append([]byte(`{"sbom": `), ex11...), '}')
		doc := mustRead(t, "gh.json", data, "dependency-graph")
		if doc.Format != GitHubDependencyGraph || doc.SpecVersion != "SPDX-2.3" || len(doc.Components) != 3 {
			t.Errorf("%s %s %d components", doc.Format, doc.SpecVersion, len(doc.Components))
		}
	})
	t.Run("trailing garbage after JSON", func(t *testing.T) {
		mustRead(t, "tail.spdx.json", append(append([]byte{}, ex11...), "\n<footer>Terms of Use</footer>"...), "non-JSON text")
	})
	t.Run("trailing text after XML", func(t *testing.T) {
		mustRead(t, "tail.cdx.xml", append(append([]byte{}, corpus(t, lib11XML)...), "\nPrivacy Policy\n"...), "text after the end of the CycloneDX document")
	})
	t.Run("CycloneDX components: [null]", func(t *testing.T) {
		zlib := corpus(t, zlibJSON)
		i := bytes.LastIndex(zlib, []byte(`"components": [`)) // not metadata.tools.components
		data := append(append(append([]byte{}, zlib[:i]...), `"components": [null, {}, `...), zlib[i+len(`"components": [`):]...)
		doc := mustRead(t, "null.cdx.json", data, "empty components")
		if doc.PackagesRead != 1 || len(doc.Components) != 1 {
			t.Errorf("read %d, %d components", doc.PackagesRead, len(doc.Components))
		}
	})
	t.Run("CycloneDX authors, manufacturer and evidence", func(t *testing.T) {
		data := bytes.Replace(corpus(t, zlibJSON), []byte(`"name": "zlib",`),
			[]byte(`"name": "zlib", "authors": [{"name": "Jean-loup Gailly"}, {"name": "Mark Adler"}],`), 1)
		data = bytes.Replace(data, []byte(`"evidence": {`), []byte(`"evidence": {"licenses": [{"license": {"id": "Zlib"}}],`), 1)
		doc := mustRead(t, "authors.cdx.json", data, "without a name")
		c := find(t, doc, "zlib", "")
		if c.Supplier != "Jean-loup Gailly, Mark Adler" || c.SupplierFrom != model.SupplierFromAuthors {
			t.Errorf("supplier %q from %q", c.Supplier, c.SupplierFrom)
		}
		if len(c.Licenses) != 1 || c.Licenses[0] != (model.License{Expression: "Zlib", Source: model.LicenseEvidence}) {
			t.Errorf("licenses %v", c.Licenses)
		}
		data = bytes.Replace(data, []byte(`"authors": [{"name": "Jean`), []byte(`"manufacturer": {"name": "zlib project"}, "licenses": [{"license": {"name": "zlib License"}}], "authors": [{"name": "Jean`), 1)
		c = find(t, mustRead(t, "manufacturer.cdx.json", data, "without a name"), "zlib", "")
		if c.Supplier != "zlib project" || c.SupplierFrom != model.SupplierFromManufacturer {
			t.Errorf("supplier %q from %q", c.Supplier, c.SupplierFrom)
		}
		if len(c.Licenses) != 1 || c.Licenses[0] != (model.License{Expression: "zlib License", Source: model.LicenseDeclared, ByName: true}) {
			t.Errorf("licenses %v (evidence is only a fallback)", c.Licenses)
		}
	})
	t.Run("duplicate bom-refs", func(t *testing.T) {
		data := bytes.Replace(corpus(t, poetryJSON), []byte(`"bom-ref": "aiohttp@3.11.12"`), []byte(`"bom-ref": "ray@2.42.1"`), 1)
		mustRead(t, "dup.cdx.json", data, "reuse the bom-ref")
	})
	t.Run("YAML number where SPDX wants text", func(t *testing.T) {
		data := bytes.Replace(corpus(t, specYAML), []byte(`versionInfo: "8.8"`), []byte(`versionInfo: 8.10`), 1)
		doc := mustRead(t, "num.spdx.yaml", data, "wrong JSON type as text")
		find(t, doc, "Saxon", "8.10")
	})
	t.Run("tag-value line longer than 64 KiB", func(t *testing.T) {
		long := strings.Repeat("x", 200<<10)
		data := bytes.Replace(corpus(t, specTV), []byte("PackageName: Saxon\n"), []byte("PackageName: Saxon\nPackageComment: "+long+"\n"), 1)
		mustRead(t, "long.spdx", data, "snippet section")
	})
	t.Run("tag-value CRLF, quirks and missing SPDXID", func(t *testing.T) {
		tv := "SPDXVersion: SPDX-2.3\r\nDataLicense: CC0-1.0\r\nSPDXID: SPDXRef-DOCUMENT\r\nDocumentName: x\r\n" +
			"DocumentNamespace: https://example.com/x\r\nCreator: Acme Build Bot\r\nCreated: 2024-01-01T00:00:00Z\r\n" +
			"ExternalDocumentRef: DocumentRef-a https://example.com/a SHA1: 0000000000000000000000000000000000000000\r\n" +
			"PackageName: app\r\nSPDXID: SPDXRef-app\r\nPackageDownloadLocation: NONE\r\n" +
			"Relationship: SPDXRef-DOCUMENT describes SPDXRef-app\r\nRelationship: SPDXRef-app depends_on lib\r\n" +
			"PackageName: lib\r\nSPDXID: lib\r\npackageversion: 1.0\r\nPackageSupplier: Acme\r\nPackageChecksum: sha256: " + strings.Repeat("ab", 32) + "\r\n" +
			"PackageDownloadLocation: NOASSERTION\r\nBogusTag: x\r\n" +
			"LicenseID: LicenseRef-x\r\nExtractedText: <text>line one\r\nline two</text>\r\n" +
			"PackageName: late\r\nPackageDownloadLocation: NONE\r\n"
		doc := withDeadline(t, deadline, func() (*Document, error) { return ReadBytes("q.spdx", []byte(tv)) })
		checkWellFormed(t, doc)
		all := warningText(doc)
		for _, w := range []string{"creator/annotator value", "header tag", "letter case", "generated one", "supplier/originator value",
			"checksum algorithm", "unknown tag", "relationship types", "license or review section", "SPDXRef- prefix"} {
			if !strings.Contains(all, w) {
				t.Errorf("warnings do not mention %q:\n%s", w, all)
			}
		}
		lib := find(t, doc, "lib", "1.0")
		if lib.Supplier != "Acme" || lib.Dependency != model.DependencyDirect || lib.Hashes["SHA-256"] != strings.Repeat("ab", 32) || lib.Source.Line != 14 {
			t.Errorf("lib: %+v", lib)
		}
		if doc.PackagesRead != 3 || doc.Root == nil || doc.Root.Name != "app" {
			t.Errorf("read %d root %v", doc.PackagesRead, doc.Root)
		}
		if late := find(t, doc, "late", ""); late.ElementID != "SPDXRef-Package-line-24" || late.Source.Line != 24 {
			t.Errorf("late: %+v", late)
		}
	})
	t.Run("tag-value 2.3 tag in a 2.2 document", func(t *testing.T) {
		data := bytes.Replace(corpus(t, "spdx/tagvalue/spdx-examples__example6-lib.spdx"), []byte("PackageName: "), []byte("PrimaryPackagePurpose: LIBRARY\nPackageName: "), 1)
		data = bytes.Replace(data, []byte("\nPackageVersion:"), []byte("\nPrimaryPackagePurpose: LIBRARY\nPackageVersion:"), 1)
		mustRead(t, "v22.spdx", data, "that the document's SPDX version does not define")
	})
	t.Run("tag-value value tracegate knows to be unreadable is skipped", func(t *testing.T) {
		data := bytes.Replace(corpus(t, specTV), []byte("PackageName: Saxon\n"), []byte("PackageName: Saxon\nExternalRef: only-two fields\nExternalRefComment: orphan\n"), 1)
		doc := mustRead(t, "ext.spdx", data, "whose value tools-golang cannot read")
		if !strings.Contains(warningText(doc), "qualify a tag they do not follow") {
			t.Errorf("the orphan comment is not reported:\n%s", warningText(doc))
		}
		find(t, doc, "Saxon", "8.8")
	})
	t.Run("tag-value value the library rejects is skipped with its line", func(t *testing.T) {
		data := bytes.Replace(corpus(t, specTV), []byte("\nExternalDocumentRef:"), []byte("\nExternalDocumentRef: DocumentRef-broken https://example.com\nExternalDocumentRef:"), 1)
		doc := mustRead(t, "extdoc.spdx", data, "tools-golang rejected")
		for _, w := range doc.Warnings {
			if strings.Contains(w.Msg, "tools-golang rejected") && (w.Pos.Line != 9 || !strings.Contains(w.Msg, "DocumentRef-broken")) {
				t.Errorf("warning %v, want it at line 9, quoting the line", w)
			}
		}
		find(t, doc, "Saxon", "8.8")
	})
	t.Run("50 MB description", func(t *testing.T) {
		big := strings.Repeat("SOUP ", 10<<20)
		data := bytes.Replace(ex11, []byte(`"name": "hyper",`), []byte(`"name": "hyper", "description": "`+big+`",`), 1)
		doc := mustRead(t, "big.spdx.json", data, "")
		if len(doc.Components) != 3 {
			t.Errorf("%d components", len(doc.Components))
		}
	})
}

// spdxChain writes an SPDX JSON document whose root P0 is described and
// where every package depends on the next; extra relationships are added.
func spdxChain(n int, extra [][3]string) []byte {
	type rel struct {
		A    string `json:"spdxElementId"`
		Type string `json:"relationshipType"`
		B    string `json:"relatedSpdxElement"`
	}
	type pkg struct {
		ID       string `json:"SPDXID"`
		Name     string `json:"name"`
		Version  string `json:"versionInfo"`
		Download string `json:"downloadLocation"`
	}
	doc := struct {
		Version   string `json:"spdxVersion"`
		License   string `json:"dataLicense"`
		ID        string `json:"SPDXID"`
		Name      string `json:"name"`
		Namespace string `json:"documentNamespace"`
		Creation  any    `json:"creationInfo"`
		Packages  []pkg  `json:"packages"`
		Rels      []rel  `json:"relationships"`
	}{"SPDX-2.3", "CC0-1.0", "SPDXRef-DOCUMENT", "chain", "https://example.com/chain",
		map[string]any{"created": "2024-01-01T00:00:00Z", "creators": []string{"Tool: test"}}, nil, nil}
	for i := 0; i < n; i++ {
		doc.Packages = append(doc.Packages, pkg{fmt.Sprintf("SPDXRef-P%d", i), fmt.Sprintf("p%d", i), "1.0", "NOASSERTION"})
		if i+1 < n {
			doc.Rels = append(doc.Rels, rel{fmt.Sprintf("SPDXRef-P%d", i), "DEPENDS_ON", fmt.Sprintf("SPDXRef-P%d", i+1)})
		}
	}
	doc.Rels = append(doc.Rels, rel{"SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-P0"})
	for _, e := range extra {
		doc.Rels = append(doc.Rels, rel{e[0], e[1], e[2]})
	}
	data, _ := json.Marshal(doc)
	return data
}

func TestDependencyGraphs(t *testing.T) {
	t.Run("10,000-long chain", func(t *testing.T) {
		doc := mustRead(t, "chain.spdx.json", spdxChain(10000, nil), "")
		if doc.PackagesRead != 10000 || len(doc.Components) != 9999 {
			t.Fatalf("read %d, %d components", doc.PackagesRead, len(doc.Components))
		}
		for _, c := range doc.Components {
			want := model.DependencyTransitive
			if c.Name == "p1" {
				want = model.DependencyDirect
			}
			if c.Dependency != want {
				t.Fatalf("%s: %s, want %s", c.Name, c.Dependency, want)
			}
		}
	})
	t.Run("cycles and self-loops", func(t *testing.T) {
		// P0 → P1 → P2, P2 → P0 (a cycle through the root), P1 → P1,
		// P2 CONTAINS P1 (a cycle), P3 → P3 unreachable, P4 CONTAINED_BY P3.
		data := spdxChain(3, [][3]string{
			{"SPDXRef-P2", "DEPENDS_ON", "SPDXRef-P0"}, {"SPDXRef-P1", "DEPENDS_ON", "SPDXRef-P1"},
			{"SPDXRef-P2", "CONTAINS", "SPDXRef-P1"},
		})
		data = bytes.Replace(data, []byte(`"packages":[`), []byte(`"packages":[{"SPDXID":"SPDXRef-P3","name":"p3","downloadLocation":"NONE"},{"SPDXID":"SPDXRef-P4","name":"p4","downloadLocation":"NONE"},`), 1)
		data = bytes.Replace(data, []byte(`"relationships":[`), []byte(`"relationships":[{"spdxElementId":"SPDXRef-P3","relationshipType":"DEPENDS_ON","relatedSpdxElement":"SPDXRef-P3"},{"spdxElementId":"SPDXRef-P4","relationshipType":"CONTAINED_BY","relatedSpdxElement":"SPDXRef-P3"},`), 1)
		doc := mustRead(t, "cycle.spdx.json", data, "")
		want := map[string]model.Dependency{"p1": model.DependencyDirect, "p2": model.DependencyTransitive,
			"p3": model.DependencyUnknown, "p4": model.DependencyUnknown}
		for n, d := range want {
			if got := find(t, doc, n, "").Dependency; got != d {
				t.Errorf("%s: %s, want %s", n, got, d)
			}
		}
	})
	t.Run("relationships to elements that do not exist", func(t *testing.T) {
		data := spdxChain(3, [][3]string{
			{"SPDXRef-P0", "DEPENDS_ON", "SPDXRef-ghost"}, {"SPDXRef-ghost", "DEPENDS_ON", "SPDXRef-P2"},
			{"SPDXRef-P0", "DEPENDS_ON", "DocumentRef-other:SPDXRef-x"}, {"SPDXRef-P1", "DEPENDS_ON", "NOASSERTION"},
			{"SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-nowhere"},
		})
		doc := mustRead(t, "ghost.spdx.json", data, "")
		if doc.Root == nil || doc.Root.Name != "p0" {
			t.Fatalf("root %v", doc.Root)
		}
		// An ID the document does not define may be a package it does not
		// list: the path through it does not make p2 direct.
		if d := find(t, doc, "p2", "").Dependency; d != model.DependencyTransitive {
			t.Errorf("p2: %s", d)
		}
	})
	t.Run("a package inside a described file is direct", func(t *testing.T) {
		data := spdxChain(2, [][3]string{
			{"SPDXRef-P0", "CONTAINS", "SPDXRef-F"}, {"SPDXRef-F", "CONTAINS", "SPDXRef-X"}, {"SPDXRef-P1", "DEPENDS_ON", "SPDXRef-X"},
		})
		data = bytes.Replace(data, []byte(`"packages":[`), []byte(`"files":[{"SPDXID":"SPDXRef-F","fileName":"./lib.tar"}],"packages":[{"SPDXID":"SPDXRef-X","name":"x","downloadLocation":"NONE"},`), 1)
		doc := mustRead(t, "file.spdx.json", data, "")
		if d := find(t, doc, "x", "").Dependency; d != model.DependencyDirect {
			t.Errorf("x: %s", d)
		}
	})
	t.Run("CycloneDX cycle and chain", func(t *testing.T) {
		var comps, deps []string
		const n = 10000
		for i := 1; i < n; i++ {
			comps = append(comps, fmt.Sprintf(`{"type":"library","bom-ref":"c%d","name":"c%d","version":"1"}`, i, i))
			deps = append(deps, fmt.Sprintf(`{"ref":"c%d","dependsOn":["c%d","c%d"]}`, i, (i+1)%n, i))
		}
		data := `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{"component":{"type":"application","bom-ref":"c0","name":"app"}},` +
			`"components":[` + strings.Join(comps, ",") + `],"dependencies":[{"ref":"c0","dependsOn":["c1"]},` + strings.Join(deps, ",") + `]}`
		doc := mustRead(t, "chain.cdx.json", []byte(data), "")
		if d := find(t, doc, "c1", "").Dependency; d != model.DependencyDirect {
			t.Errorf("c1: %s", d)
		}
		if d := find(t, doc, fmt.Sprint("c", n-1), "").Dependency; d != model.DependencyTransitive {
			t.Errorf("last: %s", d)
		}
	})
	t.Run("10,000-level nested CycloneDX components", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[`)
		const depth = 10000
		for i := 0; i < depth; i++ {
			fmt.Fprintf(&b, `{"type":"library","name":"n%d","components":[`, i)
		}
		for i := 0; i < depth; i++ {
			b.WriteString(`]}`)
		}
		b.WriteString(`]}`)
		doc, err := withDeadlineErr(t, deadline, func() (*Document, error) { return ReadBytes("deep.cdx.json", []byte(b.String())) })
		if err != nil {
			checkError(t, "deep.cdx.json", err, "")
			return
		}
		if doc.PackagesRead != depth {
			t.Errorf("read %d of %d nested components", doc.PackagesRead, depth)
		}
	})
}

func TestContainsKey(t *testing.T) {
	for _, tc := range []struct {
		data string
		want bool
	}{
		{`"bomFormat": "CycloneDX"`, true},
		{`{"a": "xbomFormat", "b": 1}`, false}, // inside another string
		{`{"a": "omFormat"}`, false},
		{`bomFormat"`, false},
		{`{"spdxVersion": "SPDX-2.3", "n": {"bomFormat": 1}}`, true}, // nested: the full scan decides
		{`"bomFormat`, false},
		{``, false},
	} {
		if got := containsKey([]byte(tc.data), `"bomFormat"`); got != tc.want {
			t.Errorf("containsKey(%s) = %v", tc.data, got)
		}
	}
}

func TestPrefixElementID(t *testing.T) {
	for _, tc := range []struct {
		id, docRef, elem, fixed string
		isElem                  bool
	}{
		{"SPDXRef-app", "", "SPDXRef-app", "SPDXRef-app", true},
		{"app", "", "app", "SPDXRef-app", true},
		{"SPDXRef-", "", "SPDXRef-", "SPDXRef-empty-ID", true},
		{"DocumentRef-other:lib", "DocumentRef-other:", "lib", "SPDXRef-lib", true},
		{"DocumentRef-other:SPDXRef-lib", "DocumentRef-other:", "SPDXRef-lib", "SPDXRef-lib", true},
		{"DocumentRef-other", "", "DocumentRef-other", "DocumentRef-other", false},
		{"NONE", "", "NONE", "NONE", false},
		{"NOASSERTION", "", "NOASSERTION", "NOASSERTION", false},
	} {
		docRef, elem, fixed, isElem := prefixElementID(tc.id)
		if docRef != tc.docRef || elem != tc.elem || fixed != tc.fixed || isElem != tc.isElem {
			t.Errorf("prefixElementID(%q) = %q, %q, %q, %v; want %q, %q, %q, %v", tc.id, docRef, elem, fixed, isElem, tc.docRef, tc.elem, tc.fixed, tc.isElem)
		}
	}
}

// Tag-value with lone-CR line ends (old Mac tools) or line ends of several
// systems mixed (LF, CRLF, lone CR, and the CR CR LF a Windows text-mode
// write of "\r\n" makes) is read as the same document, with a warning: a
// lone CR used to turn the rest of the file into one garbled value, read
// without an error. Made from the corpus's real tag-value files, FreeRTOS's
// with its multi-line <text> values.
func TestTagValueLineEnds(t *testing.T) {
	for _, path := range []string{"spdx/tagvalue/spdx-examples__example6-lib.spdx", "spdx/tagvalue/FreeRTOS-Kernel__V11.2.0-sbom.spdx", specTV} {
		orig := corpus(t, path)
		want, err := ReadBytes("orig.spdx", orig)
		if err != nil {
			t.Fatal(err)
		}
		lines := bytes.Split(orig, []byte("\n"))
		for _, tc := range []struct {
			name string
			ends [][]byte
		}{
			{"lone CR", [][]byte{[]byte("\r")}},
			{"mixed", [][]byte{[]byte("\n"), []byte("\r\n"), []byte("\r"), []byte("\r\r\n")}},
		} {
			t.Run(path+"/"+tc.name, func(t *testing.T) {
				var b bytes.Buffer
				for i, l := range lines {
					b.Write(l)
					if i < len(lines)-1 {
						b.Write(tc.ends[i%len(tc.ends)])
					}
				}
				got, err := ReadBytes("x.spdx", b.Bytes())
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Components) != len(want.Components) || got.PackagesRead != want.PackagesRead {
					t.Fatalf("%d components (%d packages), want %d (%d)", len(got.Components), got.PackagesRead, len(want.Components), want.PackagesRead)
				}
				for i := range want.Components {
					g, w := got.Components[i], want.Components[i]
					if g.Name != w.Name || g.Version != w.Version || g.PURL != w.PURL || g.Supplier != w.Supplier || !equalLicenses(g.Licenses, w.Licenses) {
						t.Fatalf("component %d: %+v, want %+v", i, g, w)
					}
				}
				warned := false
				for _, w := range got.Warnings {
					warned = warned || strings.Contains(w.Msg, "ended by a lone carriage return")
				}
				if !warned {
					t.Errorf("no warning about the lone CRs: %v", got.Warnings)
				}
			})
		}
	}
}

func equalLicenses(a, b []model.License) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Expression != b[i].Expression {
			return false
		}
	}
	return true
}

// Microsoft's sbom-tool writes SPDX 3.0 whose elements refer to others by
// IRI string — external identifiers as elements of their own, suppliers,
// creation info — with SPDX 2's spellings (DEPENDS_ON, "Organization: …",
// purl): read, every package with its purl and supplier, the root and the
// direct dependencies found, each repair a warning.
func TestSPDX3SbomTool(t *testing.T) {
	data, err := os.ReadFile("../../../testdata/formats/sbom/sbom-tool__samples-spdx_3.0-manifest.spdx.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := ReadBytes("manifest.spdx.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if d.Format != SPDX3JSONLD || d.PackagesRead != 267 || len(d.Components) != 266 || d.Root == nil || d.Root.Name != "sbom-tool sample" {
		t.Fatalf("format %s, %d packages read, %d components, root %+v", d.Format, d.PackagesRead, len(d.Components), d.Root)
	}
	direct, withPURL, microsoft := 0, 0, 0
	for _, c := range d.Components {
		if c.Dependency == model.DependencyDirect {
			direct++
		}
		if strings.HasPrefix(c.PURL, "pkg:nuget/") {
			withPURL++
		}
		if c.Supplier == "Microsoft" {
			microsoft++
		}
	}
	if direct != 48 || withPURL != 266 || microsoft == 0 {
		t.Errorf("%d direct, %d with a NuGet purl, %d supplied by Microsoft", direct, withPURL, microsoft)
	}
	var msgs []string
	for _, w := range d.Warnings {
		msgs = append(msgs, w.Msg)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"relationship types written in SPDX 2's spelling", "of type purl as SPDX 3's packageUrl", `without the type (e.g. "Organization: Microsoft")`} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
}

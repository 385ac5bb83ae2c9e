package sbom

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/spdx/tools-golang/tagvalue/reader"

	"github.com/tracegate/tracegate/internal/input"
)

// Fuzz targets: one per decoder, called directly with the specification
// version of its seeds (so that mutations reach the decoder instead of
// stopping in the sniffer), and one for the sniffer followed by the whole
// read. Property: no panic (the top-level recover of ReadBytes is bypassed),
// and either an *input.Error naming the file or a well-formed Document.
// The seeds are the small corpus files of each format.

// rdfSeed is a small SPDX 2.3 RDF/XML document: the corpus RDF files are
// too large to fuzz quickly. It has gordf's quirk (space after '='), a
// described root, a dependency and a package only a relationship names.
const rdfSeed = `<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:spdx="http://spdx.org/rdf/terms#" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <spdx:SpdxDocument rdf:about="http://example.com/seed#SPDXRef-DOCUMENT">
    <spdx:specVersion>SPDX-2.3</spdx:specVersion>
    <spdx:name>seed</spdx:name>
    <spdx:dataLicense rdf:resource="http://spdx.org/licenses/CC0-1.0"/>
    <spdx:creationInfo>
      <spdx:CreationInfo>
        <spdx:created>2024-01-01T00:00:00Z</spdx:created>
        <spdx:creator>Tool: seed</spdx:creator>
      </spdx:CreationInfo>
    </spdx:creationInfo>
    <spdx:relationship>
      <spdx:Relationship>
        <spdx:relationshipType rdf:resource="http://spdx.org/rdf/terms#relationshipType_describes"/>
        <spdx:relatedSpdxElement>
          <spdx:Package rdf:about="http://example.com/seed#SPDXRef-app">
            <spdx:name>app</spdx:name>
            <spdx:versionInfo>1.0</spdx:versionInfo>
            <spdx:downloadLocation>https://example.com/app-1.0.tgz</spdx:downloadLocation>
            <spdx:filesAnalyzed rdf:datatype=
              "http://www.w3.org/2001/XMLSchema#boolean">false</spdx:filesAnalyzed>
            <spdx:relationship>
              <spdx:Relationship>
                <spdx:relationshipType rdf:resource="http://spdx.org/rdf/terms#relationshipType_dependsOn"/>
                <spdx:relatedSpdxElement rdf:resource="http://example.com/seed#SPDXRef-lib"/>
              </spdx:Relationship>
            </spdx:relationship>
          </spdx:Package>
        </spdx:relatedSpdxElement>
      </spdx:Relationship>
    </spdx:relationship>
  </spdx:SpdxDocument>
  <spdx:Package rdf:about="http://example.com/seed#SPDXRef-lib">
    <spdx:name>lib</spdx:name>
    <spdx:versionInfo>2.0</spdx:versionInfo>
    <spdx:supplier>Organization: Lib Makers</spdx:supplier>
    <spdx:downloadLocation>https://example.com/lib-2.0.tgz</spdx:downloadLocation>
    <spdx:filesAnalyzed rdf:datatype="http://www.w3.org/2001/XMLSchema#boolean">false</spdx:filesAnalyzed>
    <spdx:licenseConcluded rdf:resource="http://spdx.org/licenses/MIT"/>
    <spdx:externalRef>
      <spdx:ExternalRef>
        <spdx:referenceCategory rdf:resource="http://spdx.org/rdf/terms#referenceCategory_packageManager"/>
        <spdx:referenceType rdf:resource="http://spdx.org/rdf/references/purl"/>
        <spdx:referenceLocator>pkg:npm/lib@2.0</spdx:referenceLocator>
      </spdx:ExternalRef>
    </spdx:externalRef>
    <spdx:checksum>
      <spdx:Checksum>
        <spdx:algorithm rdf:resource="http://spdx.org/rdf/terms#checksumAlgorithm_sha1"/>
        <spdx:checksumValue>85ed0817af83a24ad8da68c2b5094de69833983c</spdx:checksumValue>
      </spdx:Checksum>
    </spdx:checksum>
  </spdx:Package>
  <spdx:Package rdf:about="http://example.com/seed#SPDXRef-orphan">
    <spdx:name>orphan</spdx:name>
    <spdx:versionInfo>3.0</spdx:versionInfo>
    <spdx:downloadLocation>NONE</spdx:downloadLocation>
  </spdx:Package>
</rdf:RDF>
`

// cdxXMLSeed is a small CycloneDX 1.6 XML document.
const cdxXMLSeed = `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">
  <metadata><component type="application" bom-ref="app"><name>app</name><version>1</version></component></metadata>
  <components>
    <component type="library" bom-ref="lib">
      <publisher>Lib Makers</publisher><group>org.example</group><name>lib</name><version>2.0</version>
      <hashes><hash alg="SHA-256">85ed0817af83a24ad8da68c2b5094de69833983c85ed0817af83a24ad8da6800</hash></hashes>
      <licenses><expression>MIT OR Apache-2.0</expression></licenses>
      <purl>pkg:maven/org.example/lib@2.0?type=jar</purl>
      <components><component type="library"><name>inner</name></component></components>
    </component>
  </components>
  <dependencies><dependency ref="app"><dependency ref="lib"/></dependency></dependencies>
</bom>
`

func TestFuzzSeedsRead(t *testing.T) {
	skipRDFUnderRace(t, "/rdf/")
	doc := mustRead(t, "seed.rdf", []byte(rdfSeed), "leaves out")
	if doc.Root == nil || doc.Root.Name != "app" || doc.PackagesRead != 3 {
		t.Fatalf("root %v, read %d", doc.Root, doc.PackagesRead)
	}
	lib := find(t, doc, "lib", "2.0")
	if lib.Dependency != "direct" || lib.PURL != "pkg:npm/lib@2.0" || lib.Supplier != "Lib Makers" || lib.Hashes["SHA-1"] == "" {
		t.Errorf("lib: %+v", lib)
	}
	orphan := find(t, doc, "orphan", "3.0")
	if orphan.Dependency != "unknown" {
		t.Errorf("orphan: %+v", orphan)
	}
	x := mustRead(t, "seed.cdx.xml", []byte(cdxXMLSeed), "")
	if c := find(t, x, "lib", "2.0"); c.Group != "org.example" || c.Dependency != "direct" || c.Supplier != "Lib Makers" {
		t.Errorf("lib: %+v", c)
	}
	if c := find(t, x, "inner", ""); c.Dependency != "transitive" {
		t.Errorf("inner: %+v", c)
	}
}

func addSeeds(f *testing.F, paths ...string) {
	for _, p := range paths {
		f.Add(corpus(f, p))
	}
}

func fuzzDecoder(f *testing.F, format Format, version string) {
	f.Fuzz(func(t *testing.T, data []byte) {
		src := &source{file: "fuzz", format: format, data: data, version: version, notes: newNotes("fuzz")}
		p, err := decoders[format].decode(src)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		doc := build(src, p)
		doc.Format = format
		checkWellFormed(t, doc)
	})
}

func checkFuzzError(t *testing.T, err error) {
	ie, ok := input.AsError(err)
	if !ok || ie.Pos.File != "fuzz" {
		t.Fatalf("error %T %v does not name the file", err, err)
	}
}

func FuzzSniff(f *testing.F) {
	addSeeds(f, ex11JSON, ex11SPDX3, specTV, zlibJSON, "spdx/tagvalue/spdx-examples__example6-lib.spdx",
		"spdx/json/tools-golang__spdx2_3_null_package.json")
	if !raceDetector {
		f.Add([]byte(rdfSeed))
	}
	f.Add([]byte(cdxXMLSeed))
	f.Add([]byte("---\nspdxVersion: SPDX-2.3\npackages: []\n"))
	f.Add([]byte(`{"sbom": {"spdxVersion": "SPDX-2.3"}}`))
	f.Add([]byte("\xEF\xBB\xBF{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		format, version, err := Sniff(data)
		if err == nil && (format == "" || version == "") {
			t.Fatalf("sniffed %q %q without an error", format, version)
		}
		if err != nil {
			if _, ok := input.AsError(err); !ok {
				t.Fatalf("error %T %v is not an *input.Error", err, err)
			}
		}
		if contentError("fuzz", data) != nil {
			return
		}
		doc, err := decode("fuzz", data)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		if doc.Format != format {
			t.Fatalf("read as %s, sniffed as %s", doc.Format, format)
		}
		checkWellFormed(t, doc)
	})
}

func FuzzSPDXJSON(f *testing.F) {
	addSeeds(f, ex11JSON, "spdx/json/spdx-examples__example14-examplemaven-0.0.1-enriched.spdx.json",
		"spdx/json/osv-scanner__only-unimportant.spdx.json", "spdx/json/tools-golang__spdx2_3_null_package.json")
	f.Add(spdxChain(5, [][3]string{{"SPDXRef-P4", "DEPENDS_ON", "SPDXRef-P0"}}))
	fuzzDecoder(f, SPDXJSON, "SPDX-2.3")
}

func FuzzSPDXJSON22(f *testing.F) {
	addSeeds(f, "spdx/json/tools-golang__SPDXJSONExample-v2.2.spdx.json")
	fuzzDecoder(f, SPDXJSON, "SPDX-2.2")
}

func FuzzSPDXTagValue(f *testing.F) {
	addSeeds(f, "spdx/tagvalue/spdx-examples__example6-lib.spdx", "spdx/tagvalue/bom-shelter__vast-v2.3.1-sbom.spdx")
	fuzzDecoder(f, SPDXTagValue, "SPDX-2.2")
}

func FuzzSPDXTagValue23(f *testing.F) {
	addSeeds(f, specTV)
	fuzzDecoder(f, SPDXTagValue, "SPDX-2.3")
}

func FuzzSPDXYAML(f *testing.F) {
	addSeeds(f, specYAML)
	fuzzDecoder(f, SPDXYAML, "SPDX-2.3")
}

func FuzzSPDXRDF(f *testing.F) {
	skipRDFUnderRace(f, "/rdf/")
	f.Add([]byte(rdfSeed))
	fuzzDecoder(f, SPDXRDF, "SPDX-2.3")
}

// spdx3IRISeed is sbom-tool's way of SPDX 3: elements referring to others
// by IRI string, SPDX 2 spellings (testdata/formats/sbom).
const spdx3IRISeed = `{"@context":["https://spdx.org/rdf/3.0.1/spdx-context.json"],"@graph":[
{"@id":"_:creationinfo","specVersion":"3.0","type":"CreationInfo"},
{"name":"Organization: Microsoft","spdxId":"o","type":"Organization"},
{"suppliedBy":"o","name":"A","software_packageVersion":"1","externalIdentifier":["x", null],"spdxId":"p","type":"software_Package"},
{"externalIdentifierType":"purl","identifier":"pkg:nuget/A@1","spdxId":"x","type":"ExternalIdentifier"},
{"from":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","to":["p"],"type":"Relationship"},
{"from":"p","relationshipType":"DEPENDS_ON","to":"q","type":"Relationship"}]}`

func FuzzSPDX3(f *testing.F) {
	f.Add([]byte(spdx3IRISeed))
	addSeeds(f, ex11SPDX3)
	fuzzDecoder(f, SPDX3JSONLD, "3.0.1")
}

func FuzzCycloneDXJSON(f *testing.F) {
	addSeeds(f, zlibJSON, "cyclonedx/json/bom-examples__HBOM-PCIe-SATA-adapter-board.json",
		"cyclonedx/json/bom-examples__CBOM-Protocol.json")
	fuzzDecoder(f, CycloneDXJSON, "1.6")
}

func FuzzCycloneDXXML(f *testing.F) {
	f.Add([]byte(cdxXMLSeed))
	addSeeds(f, alpineXML)
	fuzzDecoder(f, CycloneDXXML, "1.6")
}

// TestTagValueTokenizer pins the tokenizer to tools-golang's reader on the
// corpus: the same pairs, line by line.
func TestTagValueTokenizer(t *testing.T) {
	for _, p := range []string{specTV, "spdx/tagvalue/bom-shelter__usbutils.spdx", "spdx/tagvalue/FreeRTOS-Kernel__V11.2.0-sbom.spdx",
		"spdx/tagvalue/bom-shelter__k8s-release-v1.25.4-sbom.spdx"} {
		data := corpus(t, p)
		src := &source{file: p, data: data, notes: newNotes(p)}
		got, err := tvTokenize(src)
		if err != nil {
			t.Fatal(err)
		}
		want := libraryPairs(t, data)
		if len(got) != len(want) {
			t.Fatalf("%s: %d pairs, tools-golang reads %d", p, len(got), len(want))
		}
		for i := range got {
			if got[i].tag != want[i].Tag || got[i].value != want[i].Value {
				t.Fatalf("%s: pair %d (line %d) = %q: %q, tools-golang reads %q: %q", p, i, got[i].line,
					got[i].tag, got[i].value, want[i].Tag, want[i].Value)
			}
		}
		if !slices.IsSortedFunc(got, func(a, b tvPair) int { return a.line - b.line }) {
			t.Errorf("%s: lines out of order", p)
		}
		lines := strings.Split(string(data), "\n")
		for _, pr := range got {
			if l := strings.TrimLeft(lines[pr.line-1], " \t"); !strings.HasPrefix(l, pr.tag) {
				t.Fatalf("%s: pair %q said to be at line %d, which is %q", p, pr.tag, pr.line, l)
			}
		}
	}
}

func libraryPairs(t testing.TB, data []byte) []reader.TagValuePair {
	t.Helper()
	pairs, err := reader.ReadTagValues(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return pairs
}

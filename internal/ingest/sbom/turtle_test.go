package sbom

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	gordf "github.com/spdx/gordf/rdfloader/parser"

	"github.com/tracegate/tracegate/internal/model"
)

const formatsSBOM = "../../../testdata/formats/sbom/"

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(formatsSBOM + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The SPDX 2.2 example in Turtle, as spdx-spec held it, reads to the same
// components and root as the RDF/XML it was converted from; the SPDX 2.3
// and 2.2 examples converted to Turtle by rdflib read as their RDF/XML and
// JSON forms do (the same-document groups of the corpus).
func TestTurtleSameDocuments(t *testing.T) {
	ttl := mustRead(t, "example.spdx.ttl", fixture(t, "spdx-spec__SPDXRdfExample-v2.2.spdx.rdf.ttl"), "leaves out")
	if ttl.Format != SPDXTurtle || ttl.SpecVersion != "SPDX-2.2" || ttl.Root == nil || ttl.Root.Name != "glibc" {
		t.Fatalf("format %s version %s root %v", ttl.Format, ttl.SpecVersion, ttl.Root)
	}
	want := []identity{{"Apache Commons Lang", "", ""}, {"Jena", "", ""}, {"Saxon", "8.8", ""}}
	if got := identities(ttl); !slices.Equal(got, want) {
		t.Errorf("Turtle 2.2: got %v, want %v", got, want)
	}
	saxon := find(t, ttl, "Saxon", "8.8")
	if saxon.Dependency != "direct" || !slices.Equal(licenseExprs(saxon), []string{"MPL-1.0", "MPL-1.0"}) {
		t.Errorf("Saxon: %+v", saxon)
	}
	if !raceDetector { // gordf races (skipRDFUnderRace)
		xml := mustRead(t, "example.spdx.rdf.xml", fixture(t, "spdx-spec__SPDXRdfExample-v2.2.spdx.rdf.xml"), "leaves out")
		if got := identities(xml); !slices.Equal(got, want) {
			t.Errorf("RDF/XML 2.2: got %v, want %v", got, want)
		}
	}

	json := identities(mustRead(t, "ex.json", corpus(t, "spdx/json/spdx-spec__SPDXJSONExample-v2.3.spdx.json"), ""))
	ttl23 := mustRead(t, "ex23.ttl", fixture(t, "rdflib__spdx-spec-SPDXRdfExample-v2.3.spdx.ttl"), "leaves out")
	if got := identities(ttl23); !slices.Equal(got, json) || ttl23.SpecVersion != "SPDX-2.3" {
		t.Errorf("Turtle 2.3 (%s): got %v, want the JSON's %v", ttl23.SpecVersion, got, json)
	}
	if jena := find(t, ttl23, "Jena", "3.12.0"); jena.PURL != "pkg:maven/org.apache.jena/apache-jena@3.12.0" || jena.Group != "org.apache.jena" {
		t.Errorf("Jena: %+v", jena)
	}
	tg22 := mustRead(t, "tg22.ttl", fixture(t, "rdflib__tools-golang-SPDXRdfExample-v2.2.spdx.ttl"), "")
	if got := identities(tg22); !slices.Equal(got, []identity{{"Saxon", "8.8", ""}}) || tg22.Root == nil || tg22.Root.Name != "glibc" {
		t.Errorf("tools-golang 2.2 in Turtle: %v root %v", got, tg22.Root)
	}
}

func licenseExprs(c model.Component) []string {
	var out []string
	for _, l := range c.Licenses {
		out = append(out, l.Expression)
	}
	return out
}

// Every construct of the Turtle grammar, as the triples it makes.
func TestTurtleGrammar(t *testing.T) {
	src := `# a comment
PREFIX ex: <http://example.org/ns#>
@prefix : <http://example.org/default#> .
BASE <http://example.org/base/>
<rel> ex:p "plain", 'single', """long "quoted" ""text""", '''long
line''' ;
  ex:lang "hallo"@de-CH ; ex:typed "5"^^<http://www.w3.org/2001/XMLSchema#int> ;
  ex:num 12, -3.5, 1e10, +.5E-2 ; ex:bool true, false ;
  a :Thing ;
  ex:esc "tab\there \u00e9 \U0001F600 \"q\"" ;
  ex:local ex:a\.b%20c.d , :x:y ;
  ex:blank _:b1, [ ex:q _:b1 ], [] ;
  ex:list ( 1 ( ) "two" ) ;
  ex:empty () ;
  ;
.
[ ex:r ex:s ] .
_:b1 ex:t <http://abs.example/x> .
`
	triples, _, err := parseTurtle([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tr := range triples {
		got = append(got, fmt.Sprintf("%s %s %s:%s", tr.Subject.ID, strings.TrimPrefix(tr.Predicate.ID, "http://example.org/ns#"), tr.Object.NodeType, tr.Object.ID))
	}
	rel := "http://example.org/base/rel"
	want := []string{
		rel + " p LITERAL:plain",
		rel + " p LITERAL:single",
		rel + ` p LITERAL:long "quoted" ""text`,
		rel + " p LITERAL:long\nline",
		rel + " lang LITERAL:hallo",
		rel + " typed LITERAL:5",
		rel + " num LITERAL:12", rel + " num LITERAL:-3.5", rel + " num LITERAL:1e10", rel + " num LITERAL:+.5E-2",
		rel + " bool LITERAL:true", rel + " bool LITERAL:false",
		rel + " " + nsRDF + "type IRI:http://example.org/default#Thing",
		rel + " esc LITERAL:tab\there é 😀 \"q\"",
		rel + " local IRI:http://example.org/ns#a.b%20c.d", rel + " local IRI:http://example.org/default#x:y",
		rel + " blank BNODE:N1",
		"N2 q BNODE:N1",
		rel + " blank BNODE:N2", rel + " blank BNODE:N3",
		"N4 " + nsRDF + "first LITERAL:1",
		"N4 " + nsRDF + "rest BNODE:N5",
		"N5 " + nsRDF + "first IRI:" + nsRDF + "nil",
		"N5 " + nsRDF + "rest BNODE:N6",
		"N6 " + nsRDF + "first LITERAL:two",
		"N6 " + nsRDF + "rest IRI:" + nsRDF + "nil",
		rel + " list BNODE:N4",
		rel + " empty IRI:" + nsRDF + "nil",
		"N7 r IRI:http://example.org/ns#s",
		"N1 t IRI:http://abs.example/x",
	}
	if !slices.Equal(got, want) {
		t.Errorf("triples:\n got %q\nwant %q", got, want)
	}
}

// What is not Turtle, or not SPDX 2.2/2.3 in it, is an error at its line
// and column; nesting is bounded.
func TestTurtleErrors(t *testing.T) {
	doc := "@prefix spdx: <http://spdx.org/rdf/terms#> .\n<http://x/d#SPDXRef-DOCUMENT> a spdx:SpdxDocument ; spdx:specVersion \"%s\" .\n"
	for _, tc := range []struct{ name, data, want string }{
		{"undeclared prefix", "@prefix a: <http://a#> .\n<http://x/y> b:c \"d\" .\n", `t.ttl:2:14: invalid Turtle: prefix "b" is not declared`},
		{"string not closed", "@prefix a: <http://a#> .\n<http://x/y> a:c \"d .\n", "t.ttl:2:22: invalid Turtle: line break in a string"},
		{"long string not closed", "@prefix a: <http://a#> .\n<http://x/y> a:c \"\"\"d .\n", "t.ttl:2:18: invalid Turtle: string not closed"},
		{"bad escape", "@prefix a: <http://a#> .\n<http://x/y> a:c \"\\q\" .\n", `t.ttl:2:19: invalid Turtle: unknown escape \q`},
		{"missing dot", "@prefix a: <http://a#> .\n<http://x/y> a:c \"d\"\n<http://x/z> a:c \"e\" .\n", `t.ttl:3:1: invalid Turtle: expected '.'`},
		{"space in IRI", "@prefix a: <http://a#> .\n<http://x/y z> a:c \"d\" .\n", "t.ttl:2:12: invalid Turtle: character ' ' is not allowed in an IRI"},
		{"too deep", "@prefix a: <http://a#> .\n<http://x/y> a:c " + strings.Repeat("[ a:c ", 300) + "\"d\"" + strings.Repeat(" ]", 300) + " .\n", "nested more than 256 deep"},
		{"no specVersion", "@prefix a: <http://a#> .\n<http://x/y> a:c \"d\" .\n", "t.ttl: Turtle document without spdx:specVersion"},
		{"SPDX 2.1", fmt.Sprintf(doc, "SPDX-2.1"), "t.ttl:2:53: SPDX-2.1 RDF is not supported"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadBytes("t.ttl", []byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
	for _, s := range []string{"@prefix a: <http://a#> .", "PREFIX a: <http://a#>", "# c\n\n<http://x/y> <http://p> 1 .", "_:b <http://p> 1 ."} {
		if f, _, _ := Sniff([]byte(s)); f != SPDXTurtle {
			t.Errorf("%q sniffed as %q", s, f)
		}
	}
	for _, s := range []string{"SPDXVersion: SPDX-2.3\n", "# c\nSPDXVersion: SPDX-2.3\n", "<?xml version=\"1.0\"?><rdf:RDF/>", "prefixes: 1\n"} {
		if f, _, _ := Sniff([]byte(s)); f == SPDXTurtle {
			t.Errorf("%q sniffed as Turtle", s)
		}
	}
}

func FuzzSPDXTurtle(f *testing.F) {
	for _, name := range []string{"spdx-spec__SPDXRdfExample-v2.2.spdx.rdf.ttl", "rdflib__tools-golang-SPDXRdfExample-v2.2.spdx.ttl"} {
		f.Add(fixture(f, name))
	}
	for _, s := range []string{
		"@prefix spdx: <http://spdx.org/rdf/terms#> .\n<http://x/d#SPDXRef-DOCUMENT> a spdx:SpdxDocument ; spdx:specVersion \"SPDX-2.3\" ; spdx:name \"d\" .\n",
		"PREFIX : <http://a#>\n:a :b ( 1 [ :c '''x''' ] ) , -1.5e3 , true ; .",
		"<a> <b> \"\\U0010FFFF\\u00\" .",
		"_:x <http://p> _:x .",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		triples, _, err := parseTurtle(data)
		if err == nil {
			for _, tr := range triples {
				if tr.Subject == nil || tr.Predicate == nil || tr.Object == nil || tr.Predicate.NodeType != gordf.IRI {
					t.Fatalf("ill-formed triple %+v", tr)
				}
			}
		}
		src := &source{file: "fuzz", format: SPDXTurtle, data: data, notes: newNotes("fuzz")}
		p, err := decoders[SPDXTurtle].decode(src)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		doc := build(src, p)
		doc.Format = SPDXTurtle
		checkWellFormed(t, doc)
	})
}

// The Turtle example of docs/formats.md reads as it says.
func TestTurtleDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/formats.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```turtle\n")
	example, _, _ := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("docs/formats.md has no Turtle example")
	}
	d := mustRead(t, "pump.spdx.ttl", []byte(example), "")
	if got := identities(d); d.Format != SPDXTurtle || !slices.Equal(got, []identity{{"zlib", "1.3.1", ""}}) || d.Root == nil || d.Root.Name != "pump-firmware" {
		t.Errorf("example read as %s %v, root %v", d.Format, got, d.Root)
	}
	if z := find(t, d, "zlib", "1.3.1"); z.Dependency != "direct" {
		t.Errorf("zlib: %+v", z)
	}
}

// Each repair of a Turtle document is reported at the line where the first
// triple it repaired was written, as the RDF/XML repairs are.
func TestTurtleRepairLines(t *testing.T) {
	data := fixture(t, "rdflib__spdx-spec-SPDXRdfExample-v2.3.spdx.ttl")
	lines := strings.Split(string(data), "\n")
	doc := mustRead(t, "ex23.ttl", data, "leaves out")
	repairs := 0
	for _, w := range doc.Warnings {
		var term string
		switch {
		case strings.Contains(w.Msg, "properties: tools-golang"):
			_, term, _ = strings.Cut(strings.Fields(w.Msg)[2], "#")
		case strings.Contains(w.Msg, "as OTHER"), strings.Contains(w.Msg, "checksum"):
			term = "spdx:"
		default:
			continue
		}
		repairs++
		if w.Pos.Line < 1 || w.Pos.Line > len(lines) || !strings.Contains(lines[w.Pos.Line-1], term) {
			t.Errorf("%s at line %d, which does not hold %q", w.Msg, w.Pos.Line, term)
		}
	}
	if repairs == 0 {
		t.Fatalf("no repair reported:\n%s", warningText(doc))
	}
}

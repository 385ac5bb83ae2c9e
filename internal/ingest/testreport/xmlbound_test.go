package testreport

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/input"
)

// bounded runs s through xmlBound with a bound of max bytes.
func bounded(t testing.TB, s string, max int) string {
	t.Helper()
	out, err := io.ReadAll(newXMLBound(strings.NewReader(s), max))
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return string(out)
}

// TestXMLBoundKeepsReports: every report of the fixtures passes the filter
// byte for byte.
func TestXMLBoundKeepsReports(t *testing.T) {
	files, _ := fs.Glob(repo, "testdata/formats/junit/*.xml")
	more, _ := fs.Glob(repo, "testdata/sample-device/reports/*/*.xml")
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("only %d fixtures", len(files))
	}
	for _, f := range files {
		data, err := fs.ReadFile(repo, f)
		if err != nil {
			t.Fatal(err)
		}
		if got := bounded(t, string(data), input.MaxRun); got != string(data) {
			t.Errorf("%s changed by the filter", f)
		}
	}
}

func TestXMLBound(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"short runs pass", `<a x="12345678">12345678<!--12345678--><![CDATA[12345678]]><?pi 123456?></a>`, ""},
		{"text keeps head and tail", "<a>0123456789abcdefghij</a>", "<a>01234567 [... 4 bytes cut ...] cdefghij</a>"},
		{"CDATA keeps head and tail", "<a><![CDATA[0123456789abcdefghij]]></a>", "<a><![CDATA[01234567 [... 4 bytes cut ...] cdefghij]]></a>"},
		{"an attribute keeps its head", `<a m="0123456789abcdefghij" n='x'/>`, `<a m="01234567 [... 12 bytes cut ...] " n='x'/>`},
		{"a comment keeps its head", "<a><!--0123456789abcdefghij--></a>", "<a><!--01234567 [... 12 bytes cut ...] --></a>"},
		{"a processing instruction keeps its head", "<?pi 0123456789abcdefghij?><a/>", "<?pi 01234 [... 15 bytes cut ...] ?><a/>"},
		{"no entity is split", "<a>0123&amp;456789abcdefghij</a>", "<a>0123 [... 13 bytes cut ...] cdefghij</a>"},
		{"no rune is split", "<a>0123456é89abcdefghij</a>", "<a>0123456 [... 6 bytes cut ...] cdefghij</a>"},
		{"markup in quotes and CDATA is not markup", `<a m="x>y">` + "<![CDATA[<b>0123456789abcdefghij</b>]]></a>", `<a m="x>y"><![CDATA[<b>01234 [... 11 bytes cut ...] ghij</b>]]></a>`},
		{"a declaration is never cut", `<!DOCTYPE a [<!ENTITY e "0123456789abcdefghij"><!-- > --> <!ELEMENT a ANY>]><a>x</a>`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := c.want
			if want == "" {
				want = c.in
			}
			if got := bounded(t, c.in, 16); got != want {
				t.Errorf("\n got %q\nwant %q", got, want)
			}
		})
	}
}

// TestJUnitHugeOutput: a test case whose <system-out> is megabytes long is
// read with the end of its output as the message (ctest puts why a test
// failed there), and the cases after it keep their lines.
func TestJUnitHugeOutput(t *testing.T) {
	out := strings.Repeat("progress line\n", 200_000) + "FAILED: rate off by 3 %"
	src := `<testsuite name="s"><testcase name="big"><failure message=""/><system-out>` + out +
		"</system-out></testcase>\n<testcase name=\"next\"/></testsuite>"
	items, err := readJUnit(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(items.Tests) != 2 {
		t.Fatalf("%d cases", len(items.Tests))
	}
	if m := items.Tests[0].Message; !strings.HasSuffix(m, "FAILED: rate off by 3 %") || len(m) > input.MaxMessage+64 {
		t.Errorf("message %q", m)
	}
	if l := items.Tests[1].Source.Line; l != 200_002 {
		t.Errorf("the case after the output is at line %d, want 200002", l)
	}
}

// FuzzXMLBound: the filter never takes markup for a run. Whatever the
// input, a document that encoding/xml reads whole reads to the same
// elements after the filter, and one that fits the bound passes unchanged.
func FuzzXMLBound(f *testing.F) {
	for _, s := range []string{
		`<a x="1">t<!--c--><![CDATA[d]]><?p i?><b/></a>`,
		`<!DOCTYPE a [<!ENTITY e "v"><!-- > -->]><a m='&amp;&#x41;'>&lt;é</a>`,
		"<a>" + strings.Repeat("é&amp;", 9) + "</a>",
	} {
		f.Add(s)
	}
	files, _ := fs.Glob(repo, "testdata/formats/junit/*.xml")
	for _, p := range files {
		data, _ := fs.ReadFile(repo, p)
		f.Add(string(data))
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := io.ReadAll(newXMLBound(strings.NewReader(s), 16))
		if err != nil {
			return // a tag or declaration past its bound
		}
		if len(s) <= 16 && string(got) != s {
			t.Fatalf("%q changed to %q", s, got)
		}
		want, err := elements(s)
		if err != nil {
			return
		}
		have, err := elements(string(got))
		if err != nil {
			t.Fatalf("%q reads, but not after the filter (%q): %v", s, got, err)
		}
		if have != want {
			t.Fatalf("elements %q, after the filter %q (%q)", want, have, got)
		}
	})
}

// elements lists the start and end elements of an XML text.
func elements(s string) (string, error) {
	d := xml.NewDecoder(strings.NewReader(s))
	var b bytes.Buffer
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return b.String(), nil
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			b.WriteString("<" + t.Name.Local + ">")
		case xml.EndElement:
			b.WriteString("</" + t.Name.Local + ">")
		}
	}
}

func BenchmarkXMLBound(b *testing.B) {
	var s strings.Builder
	s.WriteString(`<?xml version="1.0"?><testsuites><testsuite name="s" tests="100000">`)
	for s.Len() < 8<<20 {
		s.WriteString(`<testcase classname="tests.system.test_module.TestSomething" name="test_behaviour_of_feature[a-b]" time="0.001"/>` + "\n")
		s.WriteString(`<testcase name="t"><failure message="x &amp; y">trace line 1` + "\n" + `trace line 2</failure><system-out>out</system-out></testcase>` + "\n")
	}
	s.WriteString("</testsuite></testsuites>")
	src := s.String()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := io.Copy(io.Discard, newXMLBound(strings.NewReader(src), input.MaxRun)); err != nil {
			b.Fatal(err)
		}
	}
}

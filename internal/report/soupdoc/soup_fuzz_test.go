package soupdoc

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/report/reporttest"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/osv"
	"github.com/tracegate/tracegate/internal/soup"
)

// fuzzSOUP builds a SOUP list of n components whose strings are taken in
// turn from the fields of text (split at '\x1f'), and whose shape (register
// entry, review version, lookup status, anomalies) follows from i and the
// fields, so that the fuzzer reaches every branch of the renderers.
func fuzzSOUP(n int, text string) *soup.List {
	fields := strings.Split(text, "\x1f")
	at := 0
	next := func() string {
		s := fields[at%len(fields)]
		at++
		return s
	}
	l := &soup.List{Schema: soup.ListSchema, Register: next(), Documents: []soup.Document{}, Components: []soup.ListEntry{}, Stale: []model.SOUPItem{}}
	if len(text)%2 == 0 {
		l.Anomalies = &soup.AnomalySource{Source: next(), At: generated}
	}
	for i := range 1 + n%3 {
		l.Documents = append(l.Documents, soup.Document{File: next(), Format: next(), SpecVersion: next(), PackagesRead: i, Root: next(),
			Warnings: []input.Warning{input.Warnf(input.Pos{File: next(), Line: i}, "%s", next())}})
	}
	for i := range n {
		e := soup.ListEntry{Name: next(), Group: next(), Version: next(), Supplier: next(), PURL: next(), CPEs: []string{next()},
			Licenses: []string{next(), next()}, Type: next(), NotSOUP: i%7 == 6, Documents: []string{next()}, MatchedBy: "name"}
		if i%4 != 3 {
			d := i%4 == 0
			e.Direct = &d
		}
		if i%3 != 2 {
			e.Register = &model.SOUPItem{Name: e.Name, Manufacturer: next(), Purpose: next(), Requirements: next(), Environment: next(),
				RiskLevel: next(), Verification: next(), Items: []string{next()}, Source: input.Pos{File: next(), Line: i}}
			if i%5 != 4 {
				v := e.Version
				if i%2 == 1 {
					v = next()
				}
				e.Register.AnomalyReview = &model.AnomalyReview{Version: v, Date: next(), Reviewer: next(),
					Anomalies: []model.ReviewedAnomaly{{ID: next(), Assessment: next()}}}
			}
		}
		if l.Anomalies != nil && i%6 != 5 {
			lk := &soup.AnomalyLookup{Status: osv.Checked, Anomalies: []osv.Match{}}
			if i%4 == 1 {
				lk.Status, lk.Reason = osv.NotChecked, next()
			}
			for j := range i % 4 {
				rec := &osv.Record{ID: next(), Summary: next(), Aliases: []string{next()}, Severity: []osv.Severity{{Type: "CVSS_V3", Score: next()}}}
				m := osv.Match{Record: rec, Evidence: next(), Indeterminate: j == 1}
				if j == 2 {
					lk.Withdrawn = append(lk.Withdrawn, m)
				} else {
					lk.Anomalies = append(lk.Anomalies, m)
				}
			}
			e.Anomalies = lk
		}
		l.Components = append(l.Components, e)
	}
	if n%2 == 1 {
		l.Stale = append(l.Stale, model.SOUPItem{Name: next(), PURL: next(), Version: next()})
	}
	l.Warnings = append(l.Warnings, input.Warning{Msg: next()})
	return l
}

// FuzzSOUPDocuments: for any strings, the Markdown, HTML and CSV SOUP
// lists render without error; the Markdown is valid UTF-8, has no HTML but
// its own line breaks and footer, no bidirectional controls, and every
// table row has its header's cells; the HTML is well formed, made only of
// tracegate's elements, and shows every component's name; the CSV parses
// back to a row per component.
func FuzzSOUPDocuments(f *testing.F) {
	f.Add(uint8(6), "requests\x1f\x1f2.31.0\x1fKenneth Reitz\x1fpkg:pypi/requests@2.31.0\x1fcpe:2.3:a:x\x1fApache-2.0\x1fMIT\x1flibrary")
	f.Add(uint8(12), hostileName+"\x1f"+hostileSupplier+"\x1f"+hostileVersion+"\x1f| a | b |\x1f`code`\x1f\\|\x1f-\x1f1.\x1f<!--\x1f]]>\x1f</td></tr>")
	f.Add(uint8(3), "\xff\xfe\x1f\x00\x1f\r\n\x1f\u2028\x1f\u202e\u2066\x1f&amp;\x1f&#x3c;script&#x3e;\x1f<\x1f>")
	f.Add(uint8(1), strings.Repeat("x", 1000)) // 10,000 characters: TestSOUPMarkdown, TestSOUPHTML
	f.Add(uint8(0), "")
	f.Add(uint8(40), "a\x1fb\x1fc\x1fd\x1fe\x1ff\x1fg\x1fh\x1fi\x1fj")
	f.Fuzz(func(t *testing.T, n uint8, text string) {
		// Size is not what this target explores: long inputs only slow
		// the fuzzer down (every field is reused in every component).
		if len(text) > 1024 {
			text = text[:1024]
		}
		l := fuzzSOUP(int(n%24), text)
		v := NewView(l, Options{Title: text[:min(len(text), 20)], ToolVersion: text[:min(len(text), 8)], Generated: generated})

		var md bytes.Buffer
		if err := soupMarkdown(&md, v); err != nil {
			t.Fatalf("markdown: %v", err)
		}
		checkSOUPMarkdown(t, md.String())

		var page bytes.Buffer
		if err := soupHTML(&page, v); err != nil {
			t.Fatalf("html: %v", err)
		}
		shape := reporttest.CheckHTML(t, page.String())
		for _, e := range l.Components {
			if name := report.VisibleText(e.Name); strings.TrimSpace(name) != "" && !strings.Contains(shape.Text, name) {
				t.Fatalf("the page does not show the component %.80q", name)
			}
		}

		var c bytes.Buffer
		if err := soupCSV(&c, v); err != nil {
			t.Fatalf("csv: %v", err)
		}
		rows, err := csv.NewReader(&c).ReadAll()
		if err != nil || len(rows) != 1+len(l.Components) {
			t.Fatalf("the CSV has %d rows (%v), want %d", len(rows), err, 1+len(l.Components))
		}
	})
}

// checkSOUPMarkdown checks the structure of a Markdown SOUP list.
func checkSOUPMarkdown(t *testing.T, md string) {
	t.Helper()
	if !utf8.ValidString(md) {
		t.Fatal("the Markdown is not valid UTF-8")
	}
	for _, r := range md {
		if report.IsBidi(r) {
			t.Fatalf("bidirectional control %U in the Markdown", r)
		}
	}
	rest := strings.NewReplacer("<br>", "", "<sub>", "", "</sub>", "").Replace(md)
	if i := strings.IndexByte(rest, '<'); i >= 0 {
		t.Fatalf("raw HTML in the Markdown: %.60q", rest[i:])
	}
	cells := -1
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			cells = -1
			continue
		}
		n := cellCount(line)
		if cells == -1 {
			cells = n
		} else if n != cells {
			t.Fatalf("a row has %d cells, its header %d: %.200q", n, cells, line)
		}
		if !endsWithPipe(line) {
			t.Fatalf("a row does not end its last cell: %.200q", line)
		}
	}
}

// endsWithPipe reports whether a row ends with a pipe no backslash escapes.
func endsWithPipe(row string) bool {
	last := -1
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '|':
			last = i
		}
	}
	return last == len(row)-1
}

// FuzzSOUPTables: for any strings, the SOUP sheet reopened with excelize
// holds exactly the CSV's rows and values (the CSV's with its quote
// against formulas). Only the SOUP sheet is written: a whole workbook
// costs the fuzzer five sheets it does not need (TestSOUPXLSXHoldsTheCSV
// covers it).
func FuzzSOUPTables(f *testing.F) {
	f.Add(uint8(3), hostileName+"\x1f_x0041_\x1f_x005F_x0041_\x1f \tleading\x1ftrailing \n\x1f"+hostileSupplier)
	f.Add(uint8(5), "\x00\x01\x1f\u202e\x1f\xff\x1f'quoted\x1f\"dq\"\x1f;\x1f,\x1f\r\n")
	f.Add(uint8(1), "")
	f.Fuzz(func(t *testing.T, n uint8, text string) {
		if len(text) > 1024 {
			text = text[:1024]
		}
		l := fuzzSOUP(int(n%6), text)
		v := NewView(l, Options{})
		var c, x bytes.Buffer
		if err := soupCSV(&c, v); err != nil {
			t.Fatalf("csv: %v", err)
		}
		b := report.NewXLSXBook()
		rows := make([]*Row, len(v.Rows))
		for i := range v.Rows {
			rows[i] = &v.Rows[i]
		}
		if err := report.WriteSheet(b, "SOUP", Columns, rows); err != nil {
			t.Fatalf("xlsx: %v", err)
		}
		if err := b.Write(&x); err != nil {
			t.Fatalf("xlsx: %v", err)
		}
		want, err := csv.NewReader(&c).ReadAll()
		if err != nil {
			t.Fatalf("the CSV does not parse: %v", err)
		}
		book := openXLSX(t, x.Bytes())
		got := sheetRows(t, book, "SOUP")
		if len(got) != len(want) {
			t.Fatalf("%d rows in the workbook, %d in the CSV", len(got), len(want))
		}
		for i := range want {
			for j := range want[i] {
				if report.Cell(got[i][j]) != want[i][j] {
					t.Fatalf("row %d column %s: workbook %q, CSV %q", i, want[0][j], got[i][j], want[i][j])
				}
			}
		}
	})
}

// FuzzSOUPCycloneDX: for any strings, the SOUP BOM conforms to the
// CycloneDX 1.6 schema and decodes with cyclonedx-go into one component
// per list entry with unique bom-refs.
func FuzzSOUPCycloneDX(f *testing.F) {
	f.Add(uint8(6), "requests\x1f\x1f2.31.0\x1fKenneth Reitz\x1fpkg:pypi/requests@2.31.0\x1fcpe:2.3:a:x\x1fApache-2.0\x1fMIT\x1flibrary")
	f.Add(uint8(9), hostileName+"\x1f\x1fpkg:\x1fnot a purl\x1f"+productRef+"\x1f(unnamed)\x1fdevice\x1fNot Applicable\x1fmitigated")
	f.Add(uint8(2), "\xff\x1f\x00\x1f\u202e\x1f%zz\x1f/\x1f?\x1f#")
	f.Add(uint8(2), "\xff\x1f0\x1f\xe2") // found: two names of invalid UTF-8, one bom-ref in JSON
	f.Fuzz(func(t *testing.T, n uint8, text string) {
		if len(text) > 1024 {
			text = text[:1024]
		}
		l := fuzzSOUP(int(n%12), text)
		var out bytes.Buffer
		if err := soupCycloneDX(&out, l, Options{Title: text[:min(len(text), 10)], Generated: generated}); err != nil {
			t.Fatalf("cyclonedx: %v", err)
		}
		if err := validateCycloneDX(out.Bytes()); err != nil {
			t.Fatal(err)
		}
		bom := decodeBOM(t, out.Bytes())
		n2 := 0
		if bom.Components != nil {
			n2 = len(*bom.Components)
			seen := map[string]bool{}
			for _, c := range *bom.Components {
				if seen[c.BOMRef] {
					t.Fatalf("bom-ref %q twice", c.BOMRef)
				}
				seen[c.BOMRef] = true
			}
		}
		if n2 != len(l.Components) {
			t.Fatalf("%d components for %d entries", n2, len(l.Components))
		}
	})
}

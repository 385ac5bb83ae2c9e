package soupdoc

import (
	"archive/zip"
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/tracegate/tracegate/internal/report"

	"github.com/xuri/excelize/v2"

	"github.com/tracegate/tracegate/internal/soup"
)

func openXLSX(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// sheetRows reads a sheet back, every row padded to the header's width
// (excelize leaves out trailing empty cells).
func sheetRows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatalf("sheet %s is empty", sheet)
	}
	for i := range rows {
		for len(rows[i]) < len(rows[0]) {
			rows[i] = append(rows[i], "")
		}
	}
	return rows
}

func TestSOUPXLSXHoldsTheCSV(t *testing.T) {
	l := sampleSOUP()
	f := openXLSX(t, renderSOUP(t, l, "xlsx", sampleOpts))
	if got, want := f.GetSheetList(), []string{"SOUP", "Documents", "Anomalies", "Stale", "Warnings", "About"}; !slices.Equal(got, want) {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	x, c := sheetRows(t, f, "SOUP"), csvRows(t, l)
	if len(x) != len(c) {
		t.Fatalf("the SOUP sheet has %d rows, the CSV %d", len(x), len(c))
	}
	// The same values, the CSV's with its quote against formulas; in the
	// workbook they are text cells, never formulas.
	for i := range c {
		if len(x[i]) != len(c[i]) {
			t.Fatalf("row %d: %d cells in the workbook, %d in the CSV", i, len(x[i]), len(c[i]))
		}
		for j := range c[i] {
			if report.Cell(x[i][j]) != c[i][j] {
				t.Errorf("row %d column %s: workbook %.60q, CSV %.60q", i, c[0][j], x[i][j], c[i][j])
			}
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if fm, _ := f.GetCellFormula("SOUP", ref); fm != "" {
				t.Errorf("%s is a formula: %q", ref, fm)
			}
		}
	}
	if x[1][0] != report.VisibleText(hostileName) || x[1][2] != hostileVersion {
		t.Errorf("hostile row = %.80q", x[1])
	}
	if ty, _ := f.GetCellType("SOUP", "A2"); ty != excelize.CellTypeSharedString {
		t.Errorf("A2 has type %v, want a string", ty)
	}

	// One row per component × anomaly, withdrawn records included.
	an := sheetRows(t, f, "Anomalies")
	pairs := 0
	for _, e := range l.Components {
		if e.Anomalies != nil {
			pairs += len(e.Anomalies.Anomalies) + len(e.Anomalies.Withdrawn)
		}
	}
	if len(an) != 1+pairs {
		t.Errorf("Anomalies sheet: %d rows, want %d", len(an), 1+pairs)
	}
	byID := map[string][]string{}
	for _, r := range an[1:] {
		byID[r[4]] = r
	}
	for id, want := range map[string][2]string{
		"PYSEC-2023-74":       {"affected", assessedCurrent},
		"GHSA-9wx4-h78v-vm56": {"affected", notAssessed},
		"GHSA-35jh-r3h4-6jhm": {"affected", assessedOtherVersion},
		"OSV-2099-1":          {"indeterminate", notAssessed},
		"GHSA-old-withdrawn":  {"withdrawn", notAssessed},
	} {
		r := byID[id]
		if r == nil || r[8] != want[0] || r[12] != want[1] {
			t.Errorf("anomaly %s: %q, want match %q, assessed %q", id, r, want[0], want[1])
		}
	}
	if r := byID["PYSEC-2023-74"]; r[5] != "CVE-2023-32681; GHSA-j8r2-6x86-q33q" || r[13] != "not applicable: no proxies are configured" {
		t.Errorf("PYSEC row = %q", r)
	}

	docs := sheetRows(t, f, "Documents")
	if len(docs) != 1+len(l.Documents) || docs[1][0] != "sbom/app.cdx.json" || docs[1][3] != "5" || docs[1][6] != "1" ||
		docs[1][7] != "sbom/app.cdx.json:40: component without a name: skipped" {
		t.Errorf("Documents sheet = %q", docs)
	}
	if ty, _ := f.GetCellType("Documents", "D2"); ty == excelize.CellTypeSharedString || ty == excelize.CellTypeInlineString {
		t.Errorf("packages_read is written as text")
	}
	if st := sheetRows(t, f, "Stale"); len(st) != 2 || st[1][0] != "left-pad" || st[1][6] != "soup.yml:40" {
		t.Errorf("Stale sheet = %q", st)
	}
	if w := sheetRows(t, f, "Warnings"); len(w) != 3 || w[2][1] != "osv: one query retried" {
		t.Errorf("Warnings sheet = %q", w)
	}
	about := map[string]string{}
	for _, r := range sheetRows(t, f, "About")[1:] {
		about[r[0]] = r[1]
	}
	if about["SOUP register"] != "soup.yml" || about["anomalies consulted"] != "2026-03-14 08:00:00Z" || about["tool"] != "tracegate 1.4.0 (0123456789ab)" ||
		about["anomalies not assessed"] != "3" {
		t.Errorf("About sheet = %v", about)
	}
}

func TestSOUPXLSXLayout(t *testing.T) {
	f := openXLSX(t, renderSOUP(t, sampleSOUP(), "xlsx", sampleOpts))
	names := f.GetDefinedName()
	for _, sheet := range f.GetSheetList() {
		p, err := f.GetPanes(sheet)
		if err != nil || !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
			t.Errorf("%s: panes %+v (%v), want the header row frozen", sheet, p, err)
		}
		filter, titles := false, false
		for _, n := range names {
			if n.Scope == sheet && n.Name == "_xlnm._FilterDatabase" {
				filter = true
			}
			if n.Scope == sheet && n.Name == "_xlnm.Print_Titles" && n.RefersTo == "'"+sheet+"'!$1:$1" {
				titles = true
			}
		}
		if !filter || !titles {
			t.Errorf("%s: autofilter %v, print titles %v", sheet, filter, titles)
		}
		lay, err := f.GetPageLayout(sheet)
		if err != nil || lay.Orientation == nil || *lay.Orientation != "landscape" || lay.Size == nil || *lay.Size != 9 {
			t.Errorf("%s: page layout %+v (%v), want A4 landscape", sheet, lay, err)
		}
		if w, _ := f.GetColWidth(sheet, "A"); w < 10 {
			t.Errorf("%s: column A is %v wide", sheet, w)
		}
	}
	style, _ := f.GetCellStyle("SOUP", "P2")
	if s, err := f.GetStyle(style); err != nil || s.Alignment == nil || !s.Alignment.WrapText {
		t.Errorf("body cells do not wrap: %+v %v", s, err)
	}
	props, err := f.GetDocProps()
	if err != nil || props.Created != "2026-03-14T09:26:53Z" || props.Modified != "2026-03-14T09:26:53Z" || props.Creator != "tracegate" ||
		!strings.Contains(props.Title, "Infusion pump app") {
		t.Errorf("document properties = %+v (%v)", props, err)
	}
}

// zipEntries maps a zip's entry names to their contents.
func zipEntries(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		if !f.Modified.IsZero() && f.Modified.Year() > 1980 {
			t.Errorf("%s carries a timestamp: %v", f.Name, f.Modified)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = string(data)
	}
	return out
}

// TestSOUPXLSXTimeComesFromTheOptions: two workbooks made at different
// times differ only in their core properties, so nothing else in the
// file depends on the clock.
func TestSOUPXLSXTimeComesFromTheOptions(t *testing.T) {
	later := sampleOpts
	later.Generated = generated.Add(36 * time.Hour)
	a, b := zipEntries(t, renderSOUP(t, sampleSOUP(), "xlsx", sampleOpts)), zipEntries(t, renderSOUP(t, sampleSOUP(), "xlsx", later))
	if len(a) != len(b) {
		t.Fatalf("%d entries against %d", len(a), len(b))
	}
	for name, content := range a {
		if name == "docProps/core.xml" {
			if content == b[name] || !strings.Contains(b[name], "2026-03-15T21:26:53Z") {
				t.Errorf("core properties do not follow Generated:\n%s\n%s", content, b[name])
			}
			continue
		}
		// The About sheet names the time, in the shared strings.
		if strings.ReplaceAll(content, report.Stamp(sampleOpts.Generated), "T") != strings.ReplaceAll(b[name], report.Stamp(later.Generated), "T") {
			t.Errorf("%s differs between two times", name)
		}
	}
	zero := zipEntries(t, renderSOUP(t, sampleSOUP(), "xlsx", Options{}))["docProps/core.xml"]
	if !strings.Contains(zero, "1970-01-01T00:00:00Z") {
		t.Errorf("without Generated the dates are not the epoch: %s", zero)
	}
}

func TestSOUPXLSXShortensWhatDoesNotFit(t *testing.T) {
	l := sampleSOUP()
	long := strings.Repeat("requirement 😀 ", 4000) // 56,000 characters, 60,000 UTF-16 units
	l.Components[4].Register.Requirements = long
	f := openXLSX(t, renderSOUP(t, l, "xlsx", sampleOpts))
	rows := sheetRows(t, f, "SOUP")
	got := rows[5][column(t, rows, "requirements")]
	if n := len(utf16.Encode([]rune(got))); n > excelize.TotalCellChars {
		t.Errorf("the cell holds %d UTF-16 units", n)
	}
	if !strings.HasPrefix(got, "requirement 😀 requirement") || !strings.HasSuffix(got, " … [shortened: 56000 characters in all; the JSON form has the full text]") {
		t.Errorf("the shortened cell is %.60q … %.100q", got, got[max(0, len(got)-100):])
	}
	if c := csvRows(t, l); c[5][column(t, c, "requirements")] != long {
		t.Error("the CSV does not carry the full value")
	}
}

// TestSOUPXLSXEscapes: OOXML decodes _xHHHH_ in cell text; values that
// look like such escapes, alone or together in one workbook, read back as
// written.
func TestSOUPXLSXEscapes(t *testing.T) {
	l := sampleSOUP()
	tricky := []string{"_x0041_", "_x005F_x0041_", "_x005f_x0041_", "_x005F_x005F_", "_x005F_", "_xD800_", "_x0041_x0042_",
		"__x0041__", "a_x0041_b_x0042_", "_X0041_", "_x004_", "_x00411_", "x_x005F"}
	for i, s := range tricky {
		l.Components = append(l.Components, soup.ListEntry{Name: s, Version: tricky[(i+1)%len(tricky)], Supplier: tricky[(i+2)%len(tricky)], Licenses: []string{}})
	}
	f := openXLSX(t, renderSOUP(t, l, "xlsx", sampleOpts))
	rows := sheetRows(t, f, "SOUP")
	for i, s := range tricky {
		r := rows[len(rows)-len(tricky)+i]
		if r[0] != s || r[2] != tricky[(i+1)%len(tricky)] || r[3] != tricky[(i+2)%len(tricky)] {
			t.Errorf("%q reads back as name %q, version %q, supplier %q", s, r[0], r[2], r[3])
		}
	}
}

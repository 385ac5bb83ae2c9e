package report

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// excelizeSheet writes a table the way WriteSheet did with excelize 2.11.0
// before XLSXBook wrote its parts itself: the reference
// TestXLSXMatchesExcelize compares with.
func excelizeSheet[T any](f *excelize.File, first bool, name string, cols []Column[T], rows []T) error {
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7EBEF"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "8C959F", Style: 1}},
	})
	if err != nil {
		return err
	}
	body, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	if first {
		err = f.SetSheetName(f.GetSheetName(0), name)
	} else {
		_, err = f.NewSheet(name)
	}
	if err != nil {
		return err
	}
	for j, c := range cols {
		ref, _ := excelize.CoordinatesToCellName(j+1, 1)
		f.SetCellStr(name, ref, c.Name)
		col, _ := excelize.ColumnNumberToName(j + 1)
		f.SetColWidth(name, col, col, c.Width)
	}
	for i, row := range rows {
		for j, c := range cols {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+2)
			val := c.Value(row)
			if c.Num {
				if n, err := strconv.Atoi(val); err == nil {
					f.SetCellInt(name, ref, int64(n))
					continue
				}
			}
			f.SetCellStr(name, ref, xlsxText(VisibleText(val)))
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), len(rows)+1)
	lastHead, _ := excelize.CoordinatesToCellName(len(cols), 1)
	f.SetCellStyle(name, "A1", lastHead, header)
	if len(rows) > 0 {
		f.SetCellStyle(name, "A2", last, body)
	}
	f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
	f.AutoFilter(name, "A1:"+last, nil)
	a4, landscape, one, auto, fit := 9, "landscape", 1, 0, true
	f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit})
	f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: &auto})
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + name + "'!$1:$1", Scope: name})
}

// xlsxRow is a row of the test's table.
type xlsxRow struct{ name, count, note string }

var xlsxTestColumns = []Column[xlsxRow]{
	{Name: "name", Width: 36, Value: func(r xlsxRow) string { return r.name }},
	{Name: "count", Width: 10.5, Num: true, Value: func(r xlsxRow) string { return r.count }},
	{Name: "note", Width: 100, Value: func(r xlsxRow) string { return r.note }},
}

// xlsxTestRows are values a hostile SBOM or pull request may carry.
func xlsxTestRows() []xlsxRow {
	rows := []xlsxRow{
		{"plain", "3", "a note"},
		{"", "", ""},
		{" leading and trailing ", "-12", "\ttab first"},
		{"line\nbreaks\r\nand CR\rend\n", "007", "ends with a tab\t"},
		{"=HYPERLINK(\"http://evil\",\"x\")", "1e3", "+SUM(A1:A2)"},
		{`<tag attr="v">&amp; 'q'</tag>`, "not a number", "]]> <![CDATA[ x"},
		{"_x0041_ _x005F_x0041_ _xD800_", "2147483648", "_X0041_x0042_"},
		{"\x00\x01\x1b[31m red \u202e bidi \ufeff bom \ufffe \uffff", "0", "\xff\xfe invalid UTF-8"},
		{"emoji 😀 and 漢字 and e\u0301", " 5", "5 "},
		{strings.Repeat("long 😀 ", 7000), "99999999999", strings.Repeat("x", 40000)},
	}
	for i := 0; i < 30; i++ { // repeats, for the shared strings
		rows = append(rows, xlsxRow{fmt.Sprintf("row %d", i%7), strconv.Itoa(i), rows[i%len(rows)].note})
	}
	return rows
}

// TestXLSXMatchesExcelize: a workbook XLSXBook writes reads back through
// excelize as the one excelize itself wrote reads: the same sheets, cell
// values and types, styles, column widths, frozen panes, autofilter and
// print titles, page layout and document properties.
func TestXLSXMatchesExcelize(t *testing.T) {
	rows := xlsxTestRows()
	about := []AboutField{{"tool", "tracegate"}, {"empty", ""}}
	when := time.Date(2026, 3, 14, 9, 26, 53, 0, time.FixedZone("CET", 3600))
	title, subject, desc := "SOUP list — <device> & \u202e", "subject _x0041_", "Made by tracegate\n1.0"

	ours := NewXLSXBook()
	if err := WriteSheet(ours, "Table", xlsxTestColumns, rows); err != nil {
		t.Fatal(err)
	}
	if err := WriteSheet(ours, "Empty", xlsxTestColumns, nil); err != nil {
		t.Fatal(err)
	}
	if err := WriteSheet(ours, "About", AboutColumns, about); err != nil {
		t.Fatal(err)
	}
	if err := ours.SetProps(title, subject, desc, when); err != nil {
		t.Fatal(err)
	}
	var ob bytes.Buffer
	if err := ours.Write(&ob); err != nil {
		t.Fatal(err)
	}

	ref := excelize.NewFile()
	defer ref.Close()
	for i, err := range []error{
		excelizeSheet(ref, true, "Table", xlsxTestColumns, rows),
		excelizeSheet(ref, false, "Empty", xlsxTestColumns, nil),
		excelizeSheet(ref, false, "About", AboutColumns, about),
	} {
		if err != nil {
			t.Fatalf("excelize, sheet %d: %v", i, err)
		}
	}
	ts := when.UTC().Format(time.RFC3339)
	if err := ref.SetDocProps(&excelize.DocProperties{Title: xlsxText(VisibleText(title)), Subject: xlsxText(VisibleText(subject)),
		Creator: "tracegate", LastModifiedBy: "tracegate", Description: xlsxText(VisibleText(desc)), Created: ts, Modified: ts, Language: "en"}); err != nil {
		t.Fatal(err)
	}
	ref.SetActiveSheet(0)
	var rb bytes.Buffer
	if err := ref.Write(&rb); err != nil {
		t.Fatal(err)
	}

	got, err := excelize.OpenReader(&ob)
	if err != nil {
		t.Fatalf("excelize does not open the workbook: %v", err)
	}
	defer got.Close()
	want, err := excelize.OpenReader(&rb)
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()

	same := func(what string, g, w any) {
		t.Helper()
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s:\n got %+v\nwant %+v", what, g, w)
		}
	}
	same("sheets", got.GetSheetList(), want.GetSheetList())
	if hs, _ := got.GetCellStyle("Table", "A1"); colours(got, hs) != "fill FFE7EBEF bottom FF8C959F" {
		t.Errorf("the header's colours are %q", colours(got, hs))
	}
	same("active sheet", got.GetActiveSheetIndex(), want.GetActiveSheetIndex())
	same("defined names", got.GetDefinedName(), want.GetDefinedName())
	gp, _ := got.GetDocProps()
	wp, _ := want.GetDocProps()
	same("document properties", gp, wp)
	for _, sheet := range want.GetSheetList() {
		gr, err := got.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		wr, _ := want.GetRows(sheet, excelize.Options{RawCellValue: true})
		same(sheet+" rows", gr, wr)
		for i := range wr {
			for j := range xlsxTestColumns {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				gt, _ := got.GetCellType(sheet, cell)
				wt, _ := want.GetCellType(sheet, cell)
				same(sheet+"!"+cell+" type", gt, wt)
				gv, _ := got.GetCellValue(sheet, cell)
				wv, _ := want.GetCellValue(sheet, cell)
				same(sheet+"!"+cell+" value", gv, wv)
				if fm, _ := got.GetCellFormula(sheet, cell); fm != "" {
					t.Errorf("%s!%s is a formula: %q", sheet, cell, fm)
				}
				gs, _ := got.GetCellStyle(sheet, cell)
				ws, _ := want.GetCellStyle(sheet, cell)
				gst, _ := got.GetStyle(gs)
				wst, _ := want.GetStyle(ws)
				same(sheet+"!"+cell+" style", styleOf(gst), styleOf(wst))
				same(sheet+"!"+cell+" colours", colours(got, gs), colours(want, ws))
			}
		}
		for j := range xlsxTestColumns {
			col, _ := excelize.ColumnNumberToName(j + 1)
			gw, _ := got.GetColWidth(sheet, col)
			ww, _ := want.GetColWidth(sheet, col)
			same(sheet+" width of "+col, gw, ww)
		}
		gpn, _ := got.GetPanes(sheet)
		wpn, _ := want.GetPanes(sheet)
		same(sheet+" panes", gpn, wpn)
		gl, _ := got.GetPageLayout(sheet)
		wl, _ := want.GetPageLayout(sheet)
		same(sheet+" page layout", gl, wl)
		gsp, _ := got.GetSheetProps(sheet)
		wsp, _ := want.GetSheetProps(sheet)
		same(sheet+" fit to page", gsp.FitToPage, wsp.FitToPage)
	}
}

// styleOf is what a cell's style shows: the font's weight, the fill, the
// borders and the alignment (excelize reads its own default font's name
// and size where the part leaves them to the application).
func styleOf(s *excelize.Style) string {
	if s == nil {
		return "none"
	}
	bold := s.Font != nil && s.Font.Bold
	s.Fill.Color = nil
	for i := range s.Border {
		s.Border[i].Color = ""
	}
	return fmt.Sprintf("bold %v fill %+v border %+v alignment %+v", bold, s.Fill, s.Border, s.Alignment)
}

// colours are the fill's and the bottom border's colours of a style as
// the styles part writes them: excelize's GetStyle reports colours only
// when the workbook has a theme part, which XLSXBook does not write (its
// colours are RGB values, not theme colours).
func colours(f *excelize.File, style int) string {
	xf := f.Styles.CellXfs.Xf[style]
	out := ""
	if fill := f.Styles.Fills.Fill[*xf.FillID].PatternFill; fill != nil && fill.FgColor != nil {
		out += "fill " + fill.FgColor.RGB
	}
	if b := f.Styles.Borders.Border[*xf.BorderID].Bottom; b != nil && b.Color != nil {
		out += " bottom " + b.Color.RGB
	}
	return out
}

func TestXLSXSheetNames(t *testing.T) {
	b := NewXLSXBook()
	if err := WriteSheet(b, "SOUP", xlsxTestColumns, nil); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"", "soup", "a/b", "[x]", "'quoted'", strings.Repeat("n", 32)} {
		if err := WriteSheet(b, name, xlsxTestColumns, nil); err == nil {
			t.Errorf("sheet name %q accepted", name)
		}
	}
	if err := NewXLSXBook().Write(&bytes.Buffer{}); err == nil {
		t.Error("a workbook without a sheet was written")
	}
}

package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/tracegate/tracegate/internal/input"
)

// XLSXBook is a workbook being written and its shared styles.
type XLSXBook struct {
	f            *excelize.File
	sheets       int
	header, body int
}

func NewXLSXBook(f *excelize.File) (*XLSXBook, error) {
	b := &XLSXBook{f: f}
	var err error
	if b.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7EBEF"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "8C959F", Style: 1}},
	}); err != nil {
		return nil, err
	}
	if b.body, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}); err != nil {
		return nil, err
	}
	return b, nil
}

// WriteSheet writes one table as a sheet: the header row, then a row per
// element.
func WriteSheet[T any](b *XLSXBook, name string, cols []Column[T], rows []T) error {
	f := b.f
	if b.sheets == 0 {
		if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
			return err
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return err
	}
	b.sheets++
	for j, c := range cols {
		ref, _ := excelize.CoordinatesToCellName(j+1, 1)
		if err := f.SetCellStr(name, ref, c.Name); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetColWidth(name, col, col, c.Width); err != nil {
			return err
		}
	}
	for i, row := range rows {
		for j, c := range cols {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+2)
			val := c.Value(row)
			if c.Num {
				if n, err := strconv.Atoi(val); err == nil {
					if err := f.SetCellInt(name, ref, int64(n)); err != nil {
						return err
					}
					continue
				}
			}
			if err := f.SetCellStr(name, ref, xlsxText(VisibleText(val))); err != nil {
				return err
			}
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), len(rows)+1)
	lastHead, _ := excelize.CoordinatesToCellName(len(cols), 1)
	if err := f.SetCellStyle(name, "A1", lastHead, b.header); err != nil {
		return err
	}
	if len(rows) > 0 {
		if err := f.SetCellStyle(name, "A2", last, b.body); err != nil {
			return err
		}
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	if err := f.AutoFilter(name, "A1:"+last, nil); err != nil {
		return err
	}
	a4, landscape, one, auto := 9, "landscape", 1, 0
	fit := true
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: &auto}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + name + "'!$1:$1", Scope: name})
}

// SetProps sets the workbook's core and app properties, dated when (the
// Unix epoch when zero) rather than left to the library's clock, and makes
// the first sheet active.
func (b *XLSXBook) SetProps(title, subject, description string, when time.Time) error {
	if when.IsZero() {
		when = time.Unix(0, 0)
	}
	ts := when.UTC().Format(time.RFC3339)
	if err := b.f.SetDocProps(&excelize.DocProperties{
		Title: xlsxText(VisibleText(title)), Subject: xlsxText(VisibleText(subject)), Creator: "tracegate", LastModifiedBy: "tracegate",
		Description: xlsxText(VisibleText(description)), Created: ts, Modified: ts, Language: "en",
	}); err != nil {
		return err
	}
	if err := b.f.SetAppProps(&excelize.AppProperties{Application: "tracegate"}); err != nil {
		return err
	}
	b.f.SetActiveSheet(0)
	return nil
}

// WarningColumns are the columns of the warnings sheet.
var WarningColumns = []Column[input.Warning]{
	{Name: "location", Width: 36, Value: func(w input.Warning) string { return PosText(w.Pos.String(), w.Pos.IsZero()) }},
	{Name: "message", Width: 100, Value: func(w input.Warning) string { return w.Msg }},
}

// AboutField is one line of the About sheet.
type AboutField struct{ Field, Value string }

var AboutColumns = []Column[AboutField]{
	{Name: "field", Width: 26, Value: func(a AboutField) string { return a.Field }},
	{Name: "value", Width: 100, Value: func(a AboutField) string { return a.Value }},
}

// xlsxCellMax is the most UTF-16 code units a cell holds; excelize cuts
// longer values without a word, so they are cut here, visibly.
const xlsxCellMax = excelize.TotalCellChars

// xlsxText makes a value a cell's text: escaped (xlsxEscape), and
// shortened, visibly, when it does not fit.
func xlsxText(s string) string {
	e := xlsxEscape(s)
	if utf16Len(e) <= xlsxCellMax {
		return e
	}
	marker := fmt.Sprintf(" … [shortened: %d characters in all; the JSON form has the full text]", utf8.RuneCountInString(s))
	room := xlsxCellMax - utf16Len(marker)
	for {
		e = xlsxEscape(clipUTF16(s, room)) + marker
		over := utf16Len(e) - xlsxCellMax
		if over <= 0 {
			return e
		}
		room -= over
	}
}

// xlsxEscape escapes the underscore of every "_xHHHH_" in s as "_x005f_".
// OOXML strings (ST_Xstring, ECMA-376 Part 1 22.9.2.19) write characters
// XML cannot hold as _xHHHH_, and Excel decodes every such sequence it
// reads; "Xstrings may only contain the escape sequence _x005f_ when
// escaping the lead underscore from a string in the form _xHHHH_"
// ([MS-OI29500] 2.1.1747). excelize 2.11.0 stores SetCellStr's value as
// given, so without this "_x0041_" in an SBOM would show as "A" and
// "_xD800_" as nothing. Sequences may overlap ("_x0041_x0042_"): each
// underscore that begins one is escaped.
//
// The hex is lower-case on purpose: excelize de-duplicates shared strings
// under a key it re-escapes with upper-case _x005F_, so an escaped value
// written in upper case could equal the key of another value and be
// stored as that one. Every _xHHHH_ a left-to-right scan finds in an
// escaped value is one of our lower-case _x005f_, while every key made
// from a value that needed escaping holds an upper-case one: no escaped
// value equals another's key (FuzzSOUPTables checks the round trip).
func xlsxEscape(s string) string {
	if !strings.Contains(s, "_x") && !strings.Contains(s, "_X") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && isXEscape(s[i:]) {
			b.WriteString("_x005f")
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// isXEscape reports whether s starts with _xHHHH_.
func isXEscape(s string) bool {
	if len(s) < 7 || s[0] != '_' || (s[1] != 'x' && s[1] != 'X') || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// clipUTF16 is the longest prefix of s of at most n UTF-16 code units.
func clipUTF16(s string, n int) string {
	used := 0
	for i, r := range s {
		used += utf16.RuneLen(r)
		if used > n {
			return s[:i]
		}
	}
	return s
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tracegate/tracegate/internal/input"
)

// XLSXBook is a workbook being written: its sheets, the strings they
// share and its properties. It writes the few parts of SpreadsheetML
// (ECMA-376 Part 1) that tracegate's tables use — text and number cells,
// two cell styles, column widths, a frozen and filterable header row, A4
// landscape printing with the header repeated, document properties —
// itself (xlsx_parts.go): the library it used before, excelize, built its
// tables and regular expressions at every start of the binary, whatever
// the command (README, "Performance"). Its tests read every workbook back
// with excelize, and TestXLSXMatchesExcelize compares it with excelize's.
type XLSXBook struct {
	sheets  []xlsxSheet
	shared  map[string]int // shared string → its index
	strings []string       // shared strings in order
	props   xlsxProps
}

// NewXLSXBook starts an empty workbook.
func NewXLSXBook() *XLSXBook {
	return &XLSXBook{shared: map[string]int{}}
}

// WriteSheet writes one table as a sheet: the header row, then a row per
// element.
func WriteSheet[T any](b *XLSXBook, name string, cols []Column[T], rows []T) error {
	if err := b.checkSheetName(name); err != nil {
		return err
	}
	s := xlsxSheet{name: name, cols: len(cols), rows: len(rows) + 1, widths: make([]float64, len(cols))}
	header := make([]xlsxCell, len(cols))
	for j, c := range cols {
		s.widths[j] = c.Width
		header[j] = xlsxCell{str: b.share(xlsxText(c.Name)), style: xlsxHeaderStyle}
	}
	var data bytes.Buffer
	s.appendRow(&data, 1, header)
	cells := make([]xlsxCell, len(cols))
	for i, row := range rows {
		for j, c := range cols {
			val := c.Value(row)
			cells[j] = xlsxCell{style: xlsxBodyStyle}
			if c.Num {
				if n, err := strconv.Atoi(val); err == nil {
					cells[j].num, cells[j].isNum = n, true
					continue
				}
			}
			cells[j].str = b.share(xlsxText(VisibleText(val)))
		}
		s.appendRow(&data, i+2, cells)
	}
	s.data = data.Bytes()
	b.sheets = append(b.sheets, s)
	return nil
}

// SetProps sets the workbook's core and app properties, dated when (the
// Unix epoch when zero) rather than left to the clock. The first sheet is
// the active one.
func (b *XLSXBook) SetProps(title, subject, description string, when time.Time) error {
	if when.IsZero() {
		when = time.Unix(0, 0)
	}
	b.props = xlsxProps{
		title: xlsxText(VisibleText(title)), subject: xlsxText(VisibleText(subject)), description: xlsxText(VisibleText(description)),
		when: when.UTC().Format(time.RFC3339), set: true,
	}
	return nil
}

// share returns the index of s among the shared strings, adding it.
func (b *XLSXBook) share(s string) int {
	if i, ok := b.shared[s]; ok {
		return i
	}
	b.shared[s] = len(b.strings)
	b.strings = append(b.strings, s)
	return len(b.strings) - 1
}

// checkSheetName refuses a name Excel refuses: empty, longer than 31
// characters, with one of : \ / ? * [ ], starting or ending with an
// apostrophe, or the name of another sheet (case-insensitively).
func (b *XLSXBook) checkSheetName(name string) error {
	switch {
	case name == "" || utf8.RuneCountInString(name) > 31:
		return fmt.Errorf("sheet name %q: a sheet name has 1 to 31 characters", name)
	case strings.ContainsAny(name, ":\\/?*[]"):
		return fmt.Errorf("sheet name %q: a sheet name cannot hold : \\ / ? * [ or ]", name)
	case strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'"):
		return fmt.Errorf("sheet name %q: a sheet name cannot start or end with an apostrophe", name)
	}
	for _, s := range b.sheets {
		if strings.EqualFold(s.name, name) {
			return fmt.Errorf("sheet name %q: the workbook has a sheet of that name", name)
		}
	}
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

// xlsxCellMax is the most UTF-16 code units a cell holds (Excel's
// specifications and limits: 32,767 characters); longer values are cut
// here, visibly.
const xlsxCellMax = 32767

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
// ([MS-OI29500] 2.1.1747). The shared strings are written as given, so
// without this "_x0041_" in an SBOM would show as "A" and "_xD800_" as
// nothing. Sequences may overlap ("_x0041_x0042_"): each underscore that
// begins one is escaped. The hex is lower-case, as Excel writes it
// (FuzzSOUPTables checks the round trip through excelize's reader).
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

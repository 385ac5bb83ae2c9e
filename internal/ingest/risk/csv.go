package risk

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// CSV reads a risk register exported from a spreadsheet (format "csv"): a
// header row naming the columns, then one row per hazard. Columns are
// recognised by name, ignoring case and punctuation, with the synonyms risk
// registers use ("Hazard ID", "Sequence of events", "Severity (before)",
// "Residual probability", "Mitigation(s)", "Benefit-risk"; see
// csvcolumns.go). An "Acceptability" column that does not say which estimate
// it judges belongs to the residual estimate when it comes after a residual
// severity or probability column, else to the initial one. A column that is
// not recognised is reported once in a warning (spreadsheets carry owner and
// comment columns); a header without an ID column is an error.
//
// The risk control column lists control IDs (comma, semicolon or line
// separated); text that is not an ID is an error, because a control that is
// only described cannot be traced to the requirements that implement it. A
// CSV register has one table, so it yields hazards only: the controls they
// name are defined elsewhere (a native risk file may hold only
// risk_controls). No stub is made for them, so that a control defined
// nowhere is reported as such instead of looking defined.
//
// Accepted as spreadsheets export it: a UTF-8 byte order mark; comma or
// semicolon delimiters (European Excel and LibreOffice use ';'), chosen by
// counting them in the header line, or a "sep=;" first line; quoted
// cells spanning lines (a row is reported at the line it starts on); CRLF
// line ends; blank rows; title rows above the header. A row with fewer
// cells than the header, or extra cells with content, is an error.
type CSV struct{}

const csvFormat = "csv"

func (CSV) Kind() ingest.Kind { return ingest.Risks }
func (CSV) Format() string    { return csvFormat }

// Detect accepts a .csv file whose header row has an ID column and a hazard
// or harm column.
func (CSV) Detect(_ fs.FS, name string, head []byte) bool {
	if !strings.EqualFold(path.Ext(name), ".csv") {
		return false
	}
	src := newCSVSource(head)
	h, err := findHeader(src.reader())
	return err == nil && h.cols.isHeader()
}

func (CSV) Read(fsys fs.FS, path string) (*ingest.Items, error) {
	data, err := input.ReadAll(fsys, path, 0)
	if e, ok := input.AsError(err); ok && errors.Is(err, input.ErrBinary) {
		e.Hint = notUTF8Hint // most likely Excel's plain "CSV", which is Windows-1252
	}
	if err != nil {
		return nil, err
	}
	return readCSV(path, data)
}

const notUTF8Hint = `export the sheet as "CSV UTF-8" (Excel) or with the character set "Unicode (UTF-8)" (LibreOffice)`

var utf8BOM = []byte("\xef\xbb\xbf")

// maxPreamble bounds the rows searched for the header: title rows above a
// table are common, a header further down is not.
const maxPreamble = 10

// csvSource is a register's text made ready for encoding/csv.
type csvSource struct {
	data  []byte
	comma rune
	// offset is the number of lines removed from the top (Excel's "sep="
	// line), added back to every reported line.
	offset int
}

func newCSVSource(data []byte) csvSource {
	data = bytes.TrimPrefix(data, utf8BOM)
	// Excel honours a first line "sep=;" naming the delimiter, and people
	// add it so that a register opens the same in every locale.
	if len(data) >= 5 && bytes.HasPrefix(data, []byte("sep=")) {
		end := bytes.IndexByte(data, '\n')
		if end < 0 {
			end = len(data)
		}
		line := bytes.TrimRight(data[4:end], "\r")
		if r, size := utf8.DecodeRune(line); size == len(line) && r != utf8.RuneError && validComma(r) {
			src := csvSource{data: data[min(end+1, len(data)):], comma: r, offset: 1}
			return src
		}
	}
	return csvSource{data: data, comma: detectComma(data)}
}

// validComma reports whether encoding/csv accepts r as a delimiter.
func validComma(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && r != utf8.RuneError && utf8.ValidRune(r)
}

// detectComma picks the delimiter of the first line that has any: the
// commonest of ',' and ';' (and tab) outside quotes, ',' on a tie. A title
// line without delimiters is passed over.
func detectComma(data []byte) rune {
	var comma, semi, tab int
	quoted := false
	for i, b := range data {
		if i >= 64<<10 {
			break
		}
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == ',':
			comma++
		case b == ';':
			semi++
		case b == '\t':
			tab++
		case b == '\n' && comma+semi+tab > 0:
			return pickComma(comma, semi, tab)
		}
	}
	return pickComma(comma, semi, tab)
}

func pickComma(comma, semi, tab int) rune {
	switch {
	case semi > comma && semi >= tab:
		return ';'
	case tab > comma && tab > semi:
		return '\t'
	}
	return ','
}

func (s csvSource) reader() *csv.Reader {
	r := csv.NewReader(bytes.NewReader(s.data))
	r.Comma = s.comma
	r.FieldsPerRecord = -1 // ragged rows are reported by readCSV, with their line
	return r
}

// header is a register's header row.
type header struct {
	cells []string
	cols  columns
	line  int
	// preamble lists the lines of non-blank rows above the header.
	preamble []int
	// first is the first non-blank row, for the error when no header is
	// found.
	first []string
	// firstLine is its line.
	firstLine int
}

var errNoHeader = errors.New("no header row")

// findHeader reads rows until one has an ID column. Blank rows and up to
// maxPreamble title rows above it are passed over.
func findHeader(r *csv.Reader) (header, error) {
	var h header
	for n := 0; n < maxPreamble; {
		rec, err := r.Read()
		if err == io.EOF {
			return h, errNoHeader
		}
		if err != nil {
			return h, err
		}
		line, _ := r.FieldPos(0)
		if blankRow(rec) {
			continue
		}
		n++
		if h.first == nil {
			h.first, h.firstLine = rec, line
		}
		cols := classifyHeader(rec)
		if _, ok := cols.index[fieldID]; ok {
			h.cells, h.cols, h.line = rec, cols, line
			return h, nil
		}
		h.preamble = append(h.preamble, line)
	}
	return h, errNoHeader
}

func blankRow(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func readCSV(file string, data []byte) (*ingest.Items, error) {
	if e := input.CheckText(file, data, false); e != nil {
		// Excel's default CSV is Windows-1252.
		return nil, e.WithHint(notUTF8Hint)
	}
	src := newCSVSource(data)
	at := func(line, col int) input.Pos { return input.Pos{File: file, Line: line + src.offset, Col: col} }
	r := src.reader()
	items := &ingest.Items{}

	h, err := findHeader(r)
	switch {
	case errors.Is(err, errNoHeader) && h.first == nil:
		items.Warnings = append(items.Warnings, input.Warnf(input.Pos{File: file}, "risk register is empty: no header row and no hazards"))
		return items, nil
	case errors.Is(err, errNoHeader):
		return nil, input.Errorf(at(h.firstLine, 0), "no ID column in the header row (%s)", quoteCells(h.first)).
			WithHint("name the column that holds each hazard's ID \"ID\" or \"Hazard ID\"")
	case err != nil:
		return nil, parseError(file, src.offset, err)
	}
	if h.cols.dup != "" {
		return nil, input.Errorf(at(h.line, 0), "ambiguous header: %s", h.cols.dup).
			WithHint("rename or remove one of the columns")
	}
	if len(h.preamble) > 0 {
		items.Warnings = append(items.Warnings, input.Warnf(at(h.preamble[0], 0),
			"%d row(s) above the header row (line %d) are not read", len(h.preamble), h.line+src.offset))
	}

	var errs input.Errors
	filled := map[int]bool{} // unnamed columns that hold data
	rows := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, parseError(file, src.offset, err))
			break // encoding/csv cannot resynchronise after a quoting error
		}
		line, _ := r.FieldPos(0)
		if blankRow(rec) {
			continue
		}
		rows++
		if len(rec) < len(h.cells) || (len(rec) > len(h.cells) && !blankRow(rec[len(h.cells):])) {
			errs = append(errs, input.Errorf(at(line, 0), "row has %d cells, the header row (line %d) has %d",
				len(rec), h.line+src.offset, len(h.cells)).
				WithHint("every row needs one cell per column; check for a missing or extra delimiter or an unclosed quote"))
			continue
		}
		for _, i := range h.cols.unknown {
			if strings.TrimSpace(h.cells[i]) == "" && strings.TrimSpace(rec[i]) != "" {
				filled[i] = true
			}
		}
		cell := func(i int) input.Pos { l, c := r.FieldPos(i); return at(l, c) }
		hz, rowErrs, warns := hazardRow(rec, h, cell, at(line, 0))
		items.Warnings = append(items.Warnings, warns...)
		if len(rowErrs) > 0 {
			errs = append(errs, rowErrs...)
			continue
		}
		items.Hazards = append(items.Hazards, hz)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if w, ok := unknownColumns(h, filled, at(h.line, 0)); ok {
		items.Warnings = append([]input.Warning{w}, items.Warnings...)
	}
	if rows == 0 {
		items.Warnings = append(items.Warnings, input.Warnf(at(h.line, 0), "risk register has a header row but no hazards"))
	}
	return items, nil
}

// hazardRow turns one row into a hazard.
func hazardRow(rec []string, h header, cell func(int) input.Pos, row input.Pos) (model.Hazard, input.Errors, []input.Warning) {
	var errs input.Errors
	var warns []input.Warning
	get := func(f field) string {
		if i, ok := h.cols.index[f]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	name := func(f field) string { return strings.TrimSpace(h.cells[h.cols.index[f]]) }
	hz := model.Hazard{
		ID:          get(fieldID),
		Title:       get(fieldTitle),
		Hazard:      get(fieldHazard),
		Cause:       get(fieldCause),
		Situation:   get(fieldSituation),
		Harm:        get(fieldHarm),
		Initial:     model.RiskEstimate{Severity: get(fieldSeverity), Probability: get(fieldProbability)},
		Residual:    model.RiskEstimate{Severity: get(fieldResidualSeverity), Probability: get(fieldResidualProbability)},
		BenefitRisk: get(fieldBenefitRisk),
		Source:      row,
		Format:      csvFormat,
	}
	switch {
	case hz.ID == "":
		errs = append(errs, input.Errorf(row, "row without an ID (column %q)", name(fieldID)).
			WithHint("every row of a risk register needs its hazard's ID; if the sheet merges cells across rows, repeat the content in each row"))
	case !isIDToken(hz.ID):
		errs = append(errs, input.Errorf(cell(h.cols.index[fieldID]), "%q is not an ID: it contains white space", hz.ID))
	}
	if i, ok := h.cols.index[fieldControls]; ok {
		var l idList
		for _, id := range splitIDs(rec[i]) {
			if !isIDToken(id) {
				errs = append(errs, input.Errorf(cell(i), "%q in column %q is not a risk control ID", id, name(fieldControls)).
					WithHint("list control IDs only (RC-001, RC-002), separated by commas, semicolons or line breaks; describe the controls in a risk_controls YAML file"))
				continue
			}
			l.add(id)
		}
		hz.Controls = l.ids
	}
	for _, a := range []struct {
		f   field
		dst *string
	}{{fieldAcceptability, &hz.Initial.Declared}, {fieldResidualAcceptability, &hz.Residual.Declared}} {
		i, ok := h.cols.index[a.f]
		if !ok {
			continue
		}
		level, known := parseDeclared(rec[i], true)
		if !known {
			warns = append(warns, input.Warnf(cell(i), "%q in column %q is not an acceptability level (acceptable, alarp, unacceptable); kept as written",
				strings.TrimSpace(rec[i]), name(a.f)))
		}
		*a.dst = level
	}
	return hz, errs, warns
}

// unknownColumns builds the one warning that names the columns not read.
func unknownColumns(h header, filled map[int]bool, at input.Pos) (input.Warning, bool) {
	var names []string
	p12 := false
	for _, i := range h.cols.unknown {
		name := strings.TrimSpace(h.cells[i])
		switch {
		case name != "":
			names = append(names, fmt.Sprintf("%q (column %d)", name, i+1))
			w := strings.Join(headerWords(name), "")
			p12 = p12 || w == "p1" || w == "p2"
		case filled[i]:
			names = append(names, fmt.Sprintf("column %d (no header)", i+1))
		}
	}
	if len(names) == 0 {
		return input.Warning{}, false
	}
	msg := "columns not read: " + strings.Join(names, ", ")
	if _, hasP := h.cols.index[fieldProbability]; p12 && !hasP {
		msg += "; P1 and P2 are not combined: add a Probability column with the level of P1×P2 from the risk management plan"
	}
	return input.Warnf(at, "%s", msg), true
}

func quoteCells(rec []string) string {
	var q []string
	for _, c := range rec {
		if c = strings.TrimSpace(c); c != "" {
			q = append(q, fmt.Sprintf("%q", c))
		}
	}
	return strings.Join(q, ", ")
}

// parseError reports an encoding/csv error at its line and column.
func parseError(file string, offset int, err error) *input.Error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return input.Errorf(input.Pos{File: file}, "%v", err)
	}
	msg := pe.Err.Error()
	if pe.StartLine != pe.Line {
		msg += fmt.Sprintf(" (in the row starting at line %d)", pe.StartLine+offset)
	}
	return &input.Error{Pos: input.Pos{File: file, Line: pe.Line + offset, Col: pe.Column}, Msg: msg, Err: err,
		Hint: `a quote inside a quoted cell is written twice (""); check that every quoted cell is closed`}
}

// Package mdtable reads the tables of a Markdown file, as teams keep
// registers in them (requirement lists, SOUP lists, risk tables: the
// openregulatory templates' form). Tables are found by goldmark with its
// GFM table extension, so that what counts as a table is what GitHub
// renders as one; this package adds what a register needs and GFM does not
// give: the line and column of every cell, the heading a table sits under,
// and rows that do not fit their header reported instead of padded or cut.
package mdtable

import (
	"bytes"
	"sort"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	goldmarkparser "github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/tracegate/tracegate/internal/gfm"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
)

// Cell is one cell: its Markdown as written (an escaped \| unescaped, a
// <br> made a line break), trimmed.
type Cell struct {
	Text string
	Pos  input.Pos
}

// Row is a body row of a table.
type Row struct {
	Pos   input.Pos
	Cells []Cell // one per header cell
}

// Blank reports whether every cell of the row is empty.
func (r Row) Blank() bool {
	for _, c := range r.Cells {
		if c.Text != "" {
			return false
		}
	}
	return true
}

// Table is one GFM table.
type Table struct {
	// Pos is the header row's line.
	Pos input.Pos
	// Heading is the text of the nearest heading above the table, "" when
	// none.
	Heading string
	Header  []Cell
	Rows    []Row
}

// Headers lists the header cells' text, for messages.
func (t Table) Headers() string {
	var q []string
	for _, c := range t.Header {
		q = append(q, `"`+c.Text+`"`)
	}
	return strings.Join(q, ", ")
}

// parser is goldmark's with GFM tables, made on first use.
var parser = sync.OnceValue(func() goldmarkparser.Parser { return goldmark.New(goldmark.WithExtensions(gfm.Table)).Parser() })

// Parse returns the tables of a Markdown file in document order. A body row
// with fewer cells than its header, or with more that hold text, is an
// error naming its line: GFM would pad or cut it, and a cell left out in the
// middle of a row shifts every value after it into the wrong column.
func Parse(file string, data []byte) ([]Table, error) {
	if e := input.CheckText(file, data, false); e != nil {
		return nil, e
	}
	tables, errs := parse(file, data)
	if len(errs) > 0 {
		return nil, errs
	}
	return tables, nil
}

// Scan returns the tables of the start of a Markdown file, for format
// detection: rows that do not fit their header are left out, not reported.
func Scan(head []byte) []Table {
	if input.CheckText("", head, true) != nil {
		return nil
	}
	tables, _ := parse("", head)
	return tables
}

func parse(file string, data []byte) ([]Table, input.Errors) {
	// A byte order mark would make the first line's table a paragraph; it
	// is blanked rather than cut so that offsets stay those of the file.
	if bytes.HasPrefix(data, utf8BOM) {
		data = append([]byte("   "), data[len(utf8BOM):]...)
	}
	doc := parser().Parse(text.NewReader(data))
	lines := lineStarts(data)
	at := func(off int) input.Pos {
		off = min(max(off, 0), len(data))
		i := sort.Search(len(lines), func(i int) bool { return lines[i] > off }) - 1
		return input.Pos{File: file, Line: i + 1, Col: off - lines[i] + 1}
	}
	var tables []Table
	var errs input.Errors
	heading := ""
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			heading = strings.TrimSpace(string(segmentsText(n.Lines(), data)))
			return ast.WalkSkipChildren, nil
		case *east.Table:
			t, es := table(n, data, at)
			t.Heading = heading
			tables = append(tables, t)
			errs = append(errs, es...)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if err != nil { // the walker above returns none
		errs = append(errs, input.Errorf(input.Pos{File: file}, "%v", err))
	}
	return tables, errs
}

var utf8BOM = []byte("\xef\xbb\xbf")

func table(n *east.Table, data []byte, at func(int) input.Pos) (Table, input.Errors) {
	var t Table
	var errs input.Errors
	for r := n.FirstChild(); r != nil; r = r.NextSibling() {
		var row ast.Node = r
		if h, ok := r.(*east.TableHeader); ok {
			row = h
		}
		cells, written := rowCells(row, data, at)
		pos := at(row.Pos())
		pos.Col = 0
		if _, ok := r.(*east.TableHeader); ok {
			t.Pos, t.Header = pos, cells
			continue
		}
		switch {
		case written < len(t.Header):
			errs = append(errs, input.Errorf(pos, "row has %d cells, the table's header (line %d) has %d", written, t.Pos.Line, len(t.Header)).
				WithHint("write every cell of the row, empty ones as | |: a cell left out shifts the values after it into the wrong columns"))
			continue
		case extraText(row, data):
			errs = append(errs, input.Errorf(pos, "row has more cells than the table's header (line %d, %d cells)", t.Pos.Line, len(t.Header)).
				WithHint(`add a header cell for the extra column, or write a | inside a cell as \|`))
			continue
		}
		t.Rows = append(t.Rows, Row{Pos: pos, Cells: cells})
	}
	return t, errs
}

// rowCells returns a row's cells and how many were written: goldmark pads
// a short row with cells that have no text segment.
func rowCells(row ast.Node, data []byte, at func(int) input.Pos) ([]Cell, int) {
	var cells []Cell
	written := 0
	for c := row.FirstChild(); c != nil; c = c.NextSibling() {
		ls := c.Lines()
		if ls.Len() == 0 {
			cells = append(cells, Cell{Pos: at(row.Pos())})
			continue
		}
		written++
		cells = append(cells, Cell{Text: cellText(segmentsText(ls, data)), Pos: at(ls.At(0).Start)})
	}
	return cells, written
}

// extraText reports whether the line of a body row holds text after the
// cells goldmark kept: GFM drops the excess cells of a row.
func extraText(row ast.Node, data []byte) bool {
	last := row.LastChild()
	if last == nil || last.Lines().Len() == 0 {
		return false
	}
	end := last.Lines().At(last.Lines().Len() - 1).Stop
	nl := bytes.IndexByte(data[end:], '\n')
	if nl < 0 {
		nl = len(data) - end
	}
	rest := bytes.TrimSpace(data[end:min(end+nl, len(data))])
	rest = bytes.TrimPrefix(rest, []byte("|"))
	return len(bytes.Trim(rest, "| \t\r")) > 0
}

func segmentsText(ls *text.Segments, data []byte) []byte {
	var b []byte
	for i := 0; i < ls.Len(); i++ {
		if i > 0 {
			b = append(b, '\n')
		}
		seg := ls.At(i)
		b = append(b, seg.Value(data)...)
	}
	return b
}

var lineBreak = lazyre.New(`(?i)\s*<br\s*/?>\s*`)

func cellText(b []byte) string {
	s := strings.ReplaceAll(string(b), `\|`, "|")
	s = lineBreak().ReplaceAllString(s, "\n")
	return strings.TrimSpace(s)
}

func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, b := range data {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

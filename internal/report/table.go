package report

import (
	"encoding/csv"
	"io"
)

// Column is one column of a table of T.
type Column[T any] struct {
	Name string
	// Width is the XLSX column width, in characters.
	Width float64
	// Num marks a count, written to the XLSX as a number.
	Num   bool
	Value func(T) string
}

const ListSep = "; "

func PosText(s string, zero bool) string {
	if zero {
		return ""
	}
	return s
}

func ColumnNames[T any](cols []Column[T]) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// WriteCSVTable writes a table as CSV: the header, then a row per item.
// Values are made visible (no control or bidirectional characters) and
// safe to open in a spreadsheet (cell).
func WriteCSVTable[T any](w io.Writer, cols []Column[T], rows []T) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ColumnNames(cols)); err != nil {
		return err
	}
	rec := make([]string, len(cols))
	for _, r := range rows {
		for j, c := range cols {
			rec[j] = Cell(VisibleText(c.Value(r)))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

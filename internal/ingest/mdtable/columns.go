package mdtable

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/tracegate/tracegate/internal/input"
)

// Norm is a header as it is compared: lower case, letters and digits only
// ("Risk Control ID(s)" → "riskcontrolids").
func Norm(h string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, h)
}

// Synonyms maps a field to the headers that name it by default, each as
// Norm makes it.
type Synonyms map[string][]string

// Columns is a table's header resolved to fields.
type Columns struct {
	// Index is the column of each field found.
	Index map[string]int
	// Unknown lists the columns no field claims.
	Unknown []int
}

// Has reports whether the table has a column for any of the fields.
func (c Columns) Has(fields ...string) bool {
	for _, f := range fields {
		if _, ok := c.Index[f]; ok {
			return true
		}
	}
	return false
}

// Resolve gives each header cell its field: the policy's mapping (field →
// header) first, then the defaults. A header the mapping names is never
// taken by a default, and a field the mapping names is not looked for under
// its default headers. A field that two columns give is an error, because
// which of them holds it is a guess; a mapped header missing from the
// table is reported by Missing, since only the caller knows whether the
// table is a register.
func Resolve(t Table, syn Synonyms, mapping map[string]string) (Columns, *input.Error) {
	c := Columns{Index: map[string]int{}}
	mapped := map[string]string{} // normalised header → field
	for f, h := range mapping {
		mapped[Norm(h)] = f
	}
	byName := map[string]string{}
	for f, names := range syn {
		if _, ok := mapping[f]; ok {
			continue
		}
		for _, n := range names {
			byName[n] = f
		}
	}
	for i, h := range t.Header {
		n := Norm(h.Text)
		f, ok := mapped[n]
		if !ok {
			f, ok = byName[n]
			if _, taken := mapped[n]; taken {
				ok = false
			}
		}
		if !ok {
			c.Unknown = append(c.Unknown, i)
			continue
		}
		if j, dup := c.Index[f]; dup {
			return c, input.Errorf(h.Pos, "columns %d (%q) and %d (%q) both give the %s", j+1, t.Header[j].Text, i+1, h.Text, f).
				WithHint(fmt.Sprintf("name the column that holds the %s in the policy's columns: (%s: HEADER), or rename one of them", f, f))
		}
		c.Index[f] = i
	}
	return c, nil
}

// Missing returns an error for each field the mapping names whose header
// the table lacks.
func (c Columns) Missing(t Table, mapping map[string]string) input.Errors {
	var errs input.Errors
	var fields []string
	for f := range mapping {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		if _, ok := c.Index[f]; !ok {
			errs = append(errs, input.Errorf(t.Pos, "no column %q, which the policy's columns: names for the %s (the table's headers: %s)", mapping[f], f, t.Headers()).
				WithHint("correct the header in the policy or in the table; headers are compared without regard to case, spaces and punctuation"))
		}
	}
	return errs
}

// UnknownWarning is the one warning that names the columns of a register
// table that are not read, or false when every column is read.
func (c Columns) UnknownWarning(t Table) (input.Warning, bool) {
	var names []string
	for _, i := range c.Unknown {
		if h := t.Header[i].Text; h != "" {
			names = append(names, fmt.Sprintf("%q (column %d)", h, i+1))
		}
	}
	if len(names) == 0 {
		return input.Warning{}, false
	}
	return input.Warnf(t.Pos, "columns not read: %s; map one to a field with the policy's columns: if it holds one", strings.Join(names, ", ")), true
}

// Get returns the text of field's cell in row, "" when the table has no
// such column.
func (c Columns) Get(r Row, field string) string {
	if i, ok := c.Index[field]; ok {
		return r.Cells[i].Text
	}
	return ""
}

// At is the position of field's cell in row, else of the row.
func (c Columns) At(r Row, field string) input.Pos {
	if i, ok := c.Index[field]; ok {
		return r.Cells[i].Pos
	}
	return r.Pos
}

// Header is the header of field's column, for messages.
func (c Columns) Header(t Table, field string) string {
	if i, ok := c.Index[field]; ok {
		return t.Header[i].Text
	}
	return field
}

// WithPrefix gives a number written as an ID the prefix that makes it the
// policy's ID (1 → SWR-1, with the policy's id_prefixes: {id: SWR-}); an ID
// written in full is kept as it is.
func WithPrefix(id, prefix string) string {
	if prefix == "" || id == "" || strings.IndexFunc(id, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return id
	}
	return prefix + id
}

// IDs splits a cell that lists IDs (separated by commas, semicolons, line
// breaks or <br>) and gives each number the prefix.
func IDs(cell, prefix string) []string {
	parts := strings.FieldsFunc(cell, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' })
	var out []string
	seen := map[string]bool{}
	for _, p := range parts {
		p = WithPrefix(strings.TrimSpace(p), prefix)
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// Skipped is the warning that names the tables of a file that are not
// registers of its kind: a Markdown document holds other tables too
// (mapping tables, definitions), and none is passed over unsaid.
func Skipped(file string, skipped []Table, what string) (input.Warning, bool) {
	if len(skipped) == 0 {
		return input.Warning{}, false
	}
	var at []string
	for _, t := range skipped {
		at = append(at, fmt.Sprintf("line %d (%s)", t.Pos.Line, t.Headers()))
	}
	return input.Warnf(skipped[0].Pos, "%d table(s) not read as %s: %s", len(skipped), what, strings.Join(at, "; ")), true
}

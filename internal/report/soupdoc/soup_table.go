package soupdoc

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/soup"
)

// The SOUP list as tables: the CSV is the "SOUP" table, and the XLSX
// workbook holds it and the others as sheets. Lists inside a cell are
// joined with "; ". Every value passes through visibleText, so that a
// spreadsheet shows what a reviewer must see (no bidirectional overrides,
// no control characters); the CSV adds cell() against formulas, the XLSX
// writes every value as a string.

// Columns are the columns of the SOUP table, one row per component.
var Columns = []report.Column[*Row]{
	{Name: "name", Width: 28, Value: func(r *Row) string { return r.E.Name }},
	{Name: "group", Width: 18, Value: func(r *Row) string { return r.E.Group }},
	{Name: "version", Width: 14, Value: func(r *Row) string { return r.E.Version }},
	{Name: "supplier", Width: 22, Value: func(r *Row) string { return r.Supplier }},
	{Name: "supplier_source", Width: 18, Value: func(r *Row) string { return r.SupplierFrom }},
	{Name: "purl", Width: 40, Value: func(r *Row) string { return r.E.PURL }},
	{Name: "cpe", Width: 30, Value: func(r *Row) string { return strings.Join(r.E.CPEs, report.ListSep) }},
	{Name: "licenses", Width: 22, Value: func(r *Row) string { return strings.Join(r.E.Licenses, report.ListSep) }},
	{Name: "dependency", Width: 12, Value: func(r *Row) string { return r.Dependency }},
	{Name: "type", Width: 12, Value: func(r *Row) string { return r.E.Type }},
	{Name: "register_status", Width: 16, Value: func(r *Row) string { return r.Status }},
	{Name: "matched_by", Width: 10, Value: func(r *Row) string { return r.E.MatchedBy }},
	{Name: "register_title", Width: 22, Value: reg(func(it *registerItem) string { return it.Title })},
	{Name: "register_version", Width: 14, Value: reg(func(it *registerItem) string { return it.Version })},
	{Name: "purpose", Width: 36, Value: reg(func(it *registerItem) string { return it.Purpose })},
	{Name: "requirements", Width: 44, Value: reg(func(it *registerItem) string { return it.Requirements })},
	{Name: "environment", Width: 36, Value: reg(func(it *registerItem) string { return it.Environment })},
	{Name: "risk_level", Width: 12, Value: reg(func(it *registerItem) string { return it.RiskLevel })},
	{Name: "verification", Width: 36, Value: reg(func(it *registerItem) string { return it.Verification })},
	{Name: "software_items", Width: 20, Value: reg(func(it *registerItem) string { return strings.Join(it.Items, report.ListSep) })},
	{Name: "register_source", Width: 22, Value: reg(func(it *registerItem) string { return report.PosText(it.Source.String(), it.Source.IsZero()) })},
	{Name: "review_version", Width: 14, Value: func(r *Row) string { return r.Review.Version }},
	{Name: "review_status", Width: 30, Value: func(r *Row) string { return r.Review.Text }},
	{Name: "review_date", Width: 12, Value: func(r *Row) string { return r.Review.Date }},
	{Name: "reviewer", Width: 18, Value: func(r *Row) string { return r.Review.Reviewer }},
	{Name: "anomaly_lookup", Width: 24, Value: func(r *Row) string { return r.Lookup.Text }},
	{Name: "anomalies", Width: 50, Value: func(r *Row) string {
		var s []string
		for _, a := range r.Anomalies {
			if !a.Withdrawn {
				s = append(s, a.Label())
			}
		}
		return strings.Join(s, report.ListSep)
	}},
	{Name: "anomalies_assessed", Width: 24, Value: func(r *Row) string { return strings.Join(r.anomalyIDs(true), report.ListSep) }},
	{Name: "anomalies_not_assessed", Width: 24, Value: func(r *Row) string { return strings.Join(r.anomalyIDs(false), report.ListSep) }},
	{Name: "withdrawn_records", Width: 18, Value: func(r *Row) string { return strings.Join(r.withdrawnIDs(), report.ListSep) }},
	{Name: "sboms", Width: 24, Value: func(r *Row) string { return strings.Join(r.E.Documents, report.ListSep) }},
}

// registerItem is a register entry; the alias keeps the column tables
// short.
type registerItem = model.SOUPItem

// reg reads a register field, "" for components without an entry.
func reg(f func(*registerItem) string) func(*Row) string {
	return func(r *Row) string {
		if r.E.Register == nil {
			return ""
		}
		return f(r.E.Register)
	}
}

// soupAnomalyRow is one component × anomaly.
type soupAnomalyRow struct {
	R *Row
	A *soupAnomaly
}

// soupAnomalyColumns are the columns of the anomalies table.
var soupAnomalyColumns = []report.Column[soupAnomalyRow]{
	{Name: "name", Width: 28, Value: func(x soupAnomalyRow) string { return x.R.E.Name }},
	{Name: "group", Width: 16, Value: func(x soupAnomalyRow) string { return x.R.E.Group }},
	{Name: "version", Width: 14, Value: func(x soupAnomalyRow) string { return x.R.E.Version }},
	{Name: "purl", Width: 36, Value: func(x soupAnomalyRow) string { return x.R.E.PURL }},
	{Name: "anomaly", Width: 22, Value: func(x soupAnomalyRow) string { return x.A.ID }},
	{Name: "aliases", Width: 22, Value: func(x soupAnomalyRow) string { return strings.Join(x.A.Aliases, report.ListSep) }},
	{Name: "severity", Width: 24, Value: func(x soupAnomalyRow) string { return x.A.Severity }},
	{Name: "summary", Width: 48, Value: func(x soupAnomalyRow) string { return x.A.Summary }},
	{Name: "match", Width: 14, Value: func(x soupAnomalyRow) string { return x.A.Status() }},
	{Name: "evidence", Width: 44, Value: func(x soupAnomalyRow) string { return x.A.Evidence }},
	{Name: "review_version", Width: 14, Value: func(x soupAnomalyRow) string { return x.R.Review.Version }},
	{Name: "review_status", Width: 30, Value: func(x soupAnomalyRow) string { return x.R.Review.Text }},
	{Name: "assessed", Width: 16, Value: func(x soupAnomalyRow) string { return x.A.Assessed }},
	{Name: "assessment", Width: 44, Value: func(x soupAnomalyRow) string { return x.A.Assessment }},
}

// anomalyRows are the list's component × anomaly pairs, withdrawn records
// included (marked so in the match column).
func (v *View) anomalyRows() []soupAnomalyRow {
	var out []soupAnomalyRow
	for i := range v.Rows {
		r := &v.Rows[i]
		for j := range r.Anomalies {
			out = append(out, soupAnomalyRow{R: r, A: &r.Anomalies[j]})
		}
	}
	return out
}

// soupDocumentColumns are the columns of the SBOMs-read table.
var soupDocumentColumns = []report.Column[*soup.Document]{
	{Name: "file", Width: 36, Value: func(d *soup.Document) string { return d.File }},
	{Name: "format", Width: 16, Value: func(d *soup.Document) string { return d.Format }},
	{Name: "spec_version", Width: 12, Value: func(d *soup.Document) string { return d.SpecVersion }},
	{Name: "packages_read", Width: 14, Num: true, Value: func(d *soup.Document) string { return strconv.Itoa(d.PackagesRead) }},
	{Name: "components", Width: 12, Num: true, Value: func(d *soup.Document) string { return strconv.Itoa(d.Components) }},
	{Name: "root", Width: 36, Value: func(d *soup.Document) string { return d.Root }},
	{Name: "warning_count", Width: 14, Num: true, Value: func(d *soup.Document) string { return strconv.Itoa(len(d.Warnings)) }},
	{Name: "warnings", Width: 60, Value: func(d *soup.Document) string {
		s := make([]string, len(d.Warnings))
		for i, w := range d.Warnings {
			s[i] = w.String()
		}
		return strings.Join(s, report.ListSep)
	}},
}

// soupStaleColumns are the columns of the stale register entries table.
var soupStaleColumns = []report.Column[*registerItem]{
	{Name: "name", Width: 28, Value: func(it *registerItem) string { return it.Name }},
	{Name: "purl", Width: 36, Value: func(it *registerItem) string { return it.PURL }},
	{Name: "title", Width: 24, Value: func(it *registerItem) string { return it.Title }},
	{Name: "manufacturer", Width: 22, Value: func(it *registerItem) string { return it.Manufacturer }},
	{Name: "version", Width: 14, Value: func(it *registerItem) string { return it.Version }},
	{Name: "purpose", Width: 36, Value: func(it *registerItem) string { return it.Purpose }},
	{Name: "source", Width: 24, Value: func(it *registerItem) string { return report.PosText(it.Source.String(), it.Source.IsZero()) }},
}

// soupCSV writes the SOUP table: a header row, then one row per component.
func soupCSV(w io.Writer, v *View) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(report.ColumnNames(Columns)); err != nil {
		return err
	}
	for i := range v.Rows {
		row := make([]string, len(Columns))
		for j, c := range Columns {
			row[j] = report.Cell(report.VisibleText(c.Value(&v.Rows[i])))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

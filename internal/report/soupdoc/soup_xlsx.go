package soupdoc

import (
	"fmt"
	"io"
	"strconv"

	"github.com/tracegate/tracegate/internal/report"

	"github.com/tracegate/tracegate/internal/soup"
)

// soupXLSX writes the SOUP list as a workbook: "SOUP" (the CSV's table),
// "Documents" (the SBOMs read), "Anomalies" (one row per component ×
// anomaly), "Stale" (register entries no component matched), "Warnings"
// and "About" (what the workbook was made from). Every sheet has a frozen,
// filterable header row and prints A4 landscape with the header repeated.
//
// Every value is written with SetCellStr, so that "=HYPERLINK(…)" in an
// SBOM is text, never a formula. The workbook is reproducible: its parts
// are written in a fixed order with zero zip timestamps, and the core
// properties' dates are set from SOUPOptions.Generated (the Unix epoch
// when it is zero), never from the clock.
func soupXLSX(w io.Writer, v *View) error {
	b := report.NewXLSXBook()
	rows := make([]*Row, len(v.Rows))
	for i := range v.Rows {
		rows[i] = &v.Rows[i]
	}
	docs := make([]*soup.Document, len(v.L.Documents))
	for i := range v.L.Documents {
		docs[i] = &v.L.Documents[i]
	}
	stale := make([]*registerItem, len(v.L.Stale))
	for i := range v.L.Stale {
		stale[i] = &v.L.Stale[i]
	}
	if err := report.WriteSheet(b, "SOUP", Columns, rows); err != nil {
		return err
	}
	if err := report.WriteSheet(b, "Documents", soupDocumentColumns, docs); err != nil {
		return err
	}
	if err := report.WriteSheet(b, "Anomalies", soupAnomalyColumns, v.anomalyRows()); err != nil {
		return err
	}
	if err := report.WriteSheet(b, "Stale", soupStaleColumns, stale); err != nil {
		return err
	}
	if err := report.WriteSheet(b, "Warnings", report.WarningColumns, v.L.Warnings); err != nil {
		return err
	}
	if err := report.WriteSheet(b, "About", report.AboutColumns, v.about()); err != nil {
		return err
	}
	if err := finishBook(b, v); err != nil {
		return err
	}
	if err := b.Write(w); err != nil {
		return fmt.Errorf("writing the workbook: %w", err)
	}
	return nil
}

// finishBook sets the workbook's properties: fixed, so that the same inputs
// give the same bytes.
func finishBook(b *report.XLSXBook, v *View) error {
	title := "SOUP list"
	if v.Product != "" {
		title += " — " + v.Product
	}
	return b.SetProps(title, "SOUP list (IEC 62304 8.1.2)", "Made by "+v.Opts.ToolName(), v.Opts.Generated)
}

func (v *View) about() []report.AboutField {
	c := v.Counts
	out := []report.AboutField{{Field: "product", Value: v.Product}}
	if d := v.Opts.Controlled(); d != "" {
		out = append(out, report.AboutField{Field: "document", Value: d})
	}
	for _, r := range v.Roots {
		out = append(out, report.AboutField{Field: "root component", Value: r})
	}
	out = append(out, report.AboutField{Field: "SOUP register", Value: v.L.Register})
	if a := v.L.Anomalies; a != nil {
		out = append(out, report.AboutField{Field: "anomaly source", Value: a.Source}, report.AboutField{Field: "anomalies consulted", Value: report.Stamp(a.At)})
	} else {
		out = append(out, report.AboutField{Field: "anomaly source", Value: "not consulted"})
	}
	out = append(out,
		report.AboutField{Field: "components", Value: strconv.Itoa(c.Components)},
		report.AboutField{Field: "registered", Value: strconv.Itoa(c.Registered)},
		report.AboutField{Field: "not registered", Value: strconv.Itoa(c.NotRegistered)},
		report.AboutField{Field: "not SOUP", Value: strconv.Itoa(c.NotSOUP)},
		report.AboutField{Field: "reviews not covering the version in use", Value: strconv.Itoa(c.ReviewGaps)},
		report.AboutField{Field: "known anomalies", Value: strconv.Itoa(c.Anomalies)},
		report.AboutField{Field: "anomalies not assessed", Value: strconv.Itoa(c.NotAssessed)},
		report.AboutField{Field: "components not checked", Value: strconv.Itoa(c.NotChecked)},
		report.AboutField{Field: "stale register entries", Value: strconv.Itoa(c.Stale)},
		report.AboutField{Field: "generated", Value: report.Stamp(v.Opts.Generated)},
		report.AboutField{Field: "tool", Value: v.Opts.ToolName()},
		report.AboutField{Field: "schema of the JSON form", Value: v.L.Schema},
	)
	return out
}

package releasedoc

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/report/soupdoc"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/model"
)

// ReleaseDocuments renders one release evaluation as the documents of the
// evidence bundle: the HTML report (WriteHTML), a CSV per table (WriteCSV)
// and one workbook holding every table as a sheet (WriteXLSX). The tables
// are built once, so that the documents cannot disagree.
type ReleaseDocuments struct {
	v *releaseView
}

// NewReleaseDocuments prepares the documents of a release evaluation. It
// fails when the evaluation could not complete (no facts to show).
func NewReleaseDocuments(e *ReleaseEvidence) (*ReleaseDocuments, error) {
	v, err := newReleaseView(e)
	if err != nil {
		return nil, err
	}
	return &ReleaseDocuments{v: v}, nil
}

// tableColumn is a column of a table of T, shared by the CSV and the
// workbook (see soupColumn).
type tableColumn[T any] = report.Column[T]

// releaseTable is one table of the release documents.
type releaseTable struct {
	// Name is the CSV's file name without ".csv"; Sheet the workbook's.
	Name, Sheet string
	csv         func(v *releaseView, w io.Writer) error
	sheet       func(v *releaseView, b *report.XLSXBook) error
}

func tableOf[T any](name, sheet string, cols func(*releaseView) []tableColumn[T], rows func(*releaseView) []T) releaseTable {
	return releaseTable{Name: name, Sheet: sheet,
		csv:   func(v *releaseView, w io.Writer) error { return report.WriteCSVTable(w, cols(v), rows(v)) },
		sheet: func(v *releaseView, b *report.XLSXBook) error { return report.WriteSheet(b, sheet, cols(v), rows(v)) },
	}
}

func fixed[T any](cols []tableColumn[T]) func(*releaseView) []tableColumn[T] {
	return func(*releaseView) []tableColumn[T] { return cols }
}

// releaseTables are the tables in the workbook's order.
var releaseTables = []releaseTable{
	tableOf("findings", "Findings", fixed(findingColumns), func(v *releaseView) []*findingRow { return ptrs(v.Findings) }),
	tableOf("rules", "Rules", fixed(ruleColumns), func(v *releaseView) []*gate.RuleOutcome { return ptrs(v.R.Rules) }),
	tableOf("traceability", "Traceability", fixed(traceColumns), func(v *releaseView) []*reqRow { return ptrs(v.Reqs) }),
	tableOf("tests", "Tests", fixed(testColumns), func(v *releaseView) []*testRow { return ptrs(v.Tests) }),
	tableOf("risk", "Risk", fixed(hazardColumns), func(v *releaseView) []*hazardRow { return ptrs(v.Hazards) }),
	tableOf("risk-controls", "Risk controls", fixed(controlColumns), func(v *releaseView) []*controlRow { return ptrs(v.Controls) }),
	tableOf("architecture", "Architecture", fixed(architectureColumns), func(v *releaseView) []*itemRow { return ptrs(v.Items) }),
	tableOf("soup", "SOUP", fixed(soupdoc.Columns), func(v *releaseView) []*soupdoc.Row {
		if v.SOUP == nil {
			return nil
		}
		return ptrs(v.SOUP.Rows)
	}),
	tableOf("residual-anomalies", "Residual anomalies", anomalyColumns, func(v *releaseView) []*anomalyRow { return ptrs(v.Anomalies) }),
	tableOf("changes", "Changes", fixed(changeColumns), func(v *releaseView) []*changeRow { return ptrs(v.Changes) }),
	tableOf("reviews", "Reviews", fixed(reviewColumns), func(v *releaseView) []*reviewRow { return ptrs(v.ReviewRows) }),
	tableOf("approvals", "Release approval", fixed(approvalColumns), (*releaseView).approvalRows),
	tableOf("signatures", "Signatures", fixed(signatureColumns), (*releaseView).signatureLines),
	tableOf("revisions", "Revision history", fixed(revisionColumns), func(v *releaseView) []*historyRow { return ptrs(v.Control.History) }),
	tableOf("documents", "Documents", fixed(documentColumns), func(v *releaseView) []*registerRow { return ptrs(v.Control.Register) }),
	tableOf("plans", "Plans", fixed(planColumns), func(v *releaseView) []*planRow { return ptrs(v.Plans) }),
	tableOf("inputs", "Inputs", fixed(inputColumns), func(v *releaseView) []*Input { return ptrs(v.Inputs) }),
}

// ReleaseTables are the names of the release tables, each written as
// NAME.csv and as a sheet of the workbook.
func ReleaseTables() []string {
	out := make([]string, len(releaseTables))
	for i, t := range releaseTables {
		out[i] = t.Name
	}
	return out
}

// ReleaseTableSheet is the workbook sheet that holds a table.
func ReleaseTableSheet(name string) string {
	for _, t := range releaseTables {
		if t.Name == name {
			return t.Sheet
		}
	}
	return ""
}

// WriteCSV writes one table (see ReleaseTables) as CSV: a header row, then
// a row per item.
func (d *ReleaseDocuments) WriteCSV(w io.Writer, table string) error {
	for _, t := range releaseTables {
		if t.Name == table {
			return t.csv(d.v, w)
		}
	}
	return fmt.Errorf("no release table %q (tables: %s)", table, strings.Join(ReleaseTables(), ", "))
}

// WriteXLSX writes the workbook: an "About" sheet naming the evaluation,
// then a sheet per table, each with a frozen, filterable header row,
// column widths for its content, and A4 landscape printing with the
// header repeated. Every value is text (never a formula); the workbook's
// properties are dated like the other documents, so that the same
// evaluation gives the same bytes.
func (d *ReleaseDocuments) WriteXLSX(w io.Writer) error {
	v := d.v
	b := report.NewXLSXBook()
	if err := report.WriteSheet(b, "About", report.AboutColumns, v.about()); err != nil {
		return err
	}
	for _, t := range releaseTables {
		if err := t.sheet(v, b); err != nil {
			return fmt.Errorf("sheet %s: %w", t.Sheet, err)
		}
	}
	if err := b.SetProps(v.Title, "Release evidence (IEC 62304 5.8)", "Made by "+v.Tool+"; inputs sha256:"+orNone(v.E.InputsDigest), v.E.Generated); err != nil {
		return err
	}
	if err := b.Write(w); err != nil {
		return fmt.Errorf("writing the workbook: %w", err)
	}
	return nil
}

// about is the workbook's first sheet: what it is the evidence of.
func (v *releaseView) about() []report.AboutField {
	out := []report.AboutField{
		{Field: "document", Value: v.Title},
		{Field: "document ID", Value: v.Cfg.Documents.ID(config.DocWorkbook, productName(v.Cfg, v.E.Product), "")},
		{Field: "revision", Value: v.Control.Revision},
		{Field: "report", Value: v.Control.ID + " rev " + v.Control.Revision},
		{Field: "verdict", Value: string(v.R.Verdict)},
		{Field: "evaluated", Value: v.R.Subject},
		{Field: "tag", Value: v.F.Tag},
		{Field: "commit", Value: v.F.Commit},
		{Field: "previous release", Value: v.S.PreviousTag},
		{Field: "previous release commit", Value: v.S.PreviousCommit},
		{Field: "software safety class", Value: string(v.R.SafetyClass)},
		{Field: "policy", Value: orDefault(v.R.Policy.File, "none: built-in defaults")},
		{Field: "inputs digest (sha256)", Value: v.E.InputsDigest},
		{Field: "input files", Value: strconv.Itoa(len(v.Inputs))},
		{Field: "dated", Value: report.Stamp(v.E.Generated)},
		{Field: "date taken from", Value: v.E.GeneratedFrom},
		{Field: "tool", Value: v.Tool},
	}
	for _, t := range releaseTables {
		out = append(out, report.AboutField{Field: "sheet " + t.Sheet, Value: "the table " + t.Name + ".csv"})
	}
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func ptrs[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func findingRefs(fs []*findingRow) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = f.Rule + " #" + itoa(f.N)
	}
	return strings.Join(s, report.ListSep)
}

var findingColumns = []tableColumn[*findingRow]{
	{Name: "n", Width: 6, Num: true, Value: func(f *findingRow) string { return itoa(f.N) }},
	{Name: "severity", Width: 10, Value: func(f *findingRow) string { return string(f.Severity) }},
	{Name: "rule", Width: 8, Value: func(f *findingRow) string { return f.Rule }},
	{Name: "rule_name", Width: 22, Value: func(f *findingRow) string { return f.Name }},
	{Name: "clauses", Width: 24, Value: func(f *findingRow) string { return strings.Join(f.Clauses, report.ListSep) }},
	{Name: "subject", Width: 24, Value: func(f *findingRow) string { return f.Subject }},
	{Name: "message", Width: 70, Value: func(f *findingRow) string { return f.Message }},
	{Name: "location", Width: 30, Value: func(f *findingRow) string {
		if f.Location == nil {
			return ""
		}
		return f.Location.String()
	}},
	{Name: "class", Width: 6, Value: func(f *findingRow) string { return string(f.Class) }},
	{Name: "remediation", Width: 50, Value: func(f *findingRow) string { return f.Remediation }},
}

var ruleColumns = []tableColumn[*gate.RuleOutcome]{
	{Name: "rule", Width: 8, Value: func(o *gate.RuleOutcome) string { return o.Rule }},
	{Name: "rule_name", Width: 22, Value: func(o *gate.RuleOutcome) string { return o.Name }},
	{Name: "title", Width: 50, Value: func(o *gate.RuleOutcome) string { return o.Title }},
	{Name: "clauses", Width: 24, Value: func(o *gate.RuleOutcome) string { return strings.Join(o.Clauses, report.ListSep) }},
	{Name: "min_class", Width: 10, Value: func(o *gate.RuleOutcome) string { return string(o.MinClass) }},
	{Name: "outcome", Width: 14, Value: func(o *gate.RuleOutcome) string { return string(o.Status) }},
	{Name: "findings", Width: 10, Num: true, Value: func(o *gate.RuleOutcome) string { return itoa(o.Findings) }},
	{Name: "checked", Width: 10, Num: true, Value: func(o *gate.RuleOutcome) string { return itoa(o.Checked) }},
	{Name: "not_applicable", Width: 14, Num: true, Value: func(o *gate.RuleOutcome) string { return itoa(o.Skipped) }},
	{Name: "reason", Width: 50, Value: func(o *gate.RuleOutcome) string { return o.Reason }},
}

var traceColumns = []tableColumn[*reqRow]{
	{Name: "requirement", Width: 14, Value: func(r *reqRow) string { return r.ID }},
	{Name: "title", Width: 40, Value: func(r *reqRow) string { return r.Title }},
	{Name: "text", Width: 70, Value: func(r *reqRow) string { return r.Text }},
	{Name: "type", Width: 12, Value: func(r *reqRow) string { return r.Type }},
	{Name: "class", Width: 6, Value: func(r *reqRow) string { return string(r.Class) }},
	{Name: "item", Width: 14, Value: func(r *reqRow) string { return r.Item }},
	{Name: "state", Width: 12, Value: func(r *reqRow) string { return r.State }},
	{Name: "active", Width: 8, Value: func(r *reqRow) string { return strconv.FormatBool(r.Active) }},
	{Name: "status", Width: 12, Value: func(r *reqRow) string { return string(r.Status) }},
	{Name: "gap", Width: 12, Value: func(r *reqRow) string { return r.Gap }},
	{Name: "verification", Width: 14, Value: func(r *reqRow) string { return r.Verification }},
	{Name: "parents", Width: 16, Value: func(r *reqRow) string { return strings.Join(r.Parents, report.ListSep) }},
	{Name: "children", Width: 16, Value: func(r *reqRow) string { return strings.Join(r.Children, report.ListSep) }},
	{Name: "risk_controls", Width: 16, Value: func(r *reqRow) string { return strings.Join(r.RiskControls, report.ListSep) }},
	{Name: "tests", Width: 8, Num: true, Value: func(r *reqRow) string { return itoa(len(r.Tests)) }},
	{Name: "passed", Width: 8, Num: true, Value: func(r *reqRow) string { return itoa(r.Passed) }},
	{Name: "failed", Width: 8, Num: true, Value: func(r *reqRow) string { return itoa(r.Bad) }},
	{Name: "skipped", Width: 8, Num: true, Value: func(r *reqRow) string { return itoa(r.Skipped) }},
	{Name: "test_results", Width: 70, Value: func(r *reqRow) string { return testSummary(r.Tests, report.ListSep) }},
	{Name: "evidence", Width: 30, Value: func(r *reqRow) string { return strings.Join(r.Evidence, report.ListSep) }},
	{Name: "source", Width: 30, Value: func(r *reqRow) string { return report.PosText(r.Source.String(), r.Source.IsZero()) }},
	{Name: "findings", Width: 16, Value: func(r *reqRow) string { return findingRefs(r.Findings) }},
}

func estimateColumns(which string, get func(*hazardRow) model.RiskEstimate) []tableColumn[*hazardRow] {
	return []tableColumn[*hazardRow]{
		{Name: which + "_severity", Width: 14, Value: func(h *hazardRow) string { return get(h).Severity }},
		{Name: which + "_probability", Width: 14, Value: func(h *hazardRow) string { return get(h).Probability }},
		{Name: which + "_acceptability", Width: 16, Value: func(h *hazardRow) string { return get(h).Acceptability }},
	}
}

var hazardColumns = concat(
	[]tableColumn[*hazardRow]{
		{Name: "hazard", Width: 12, Value: func(h *hazardRow) string { return h.ID }},
		{Name: "title", Width: 30, Value: func(h *hazardRow) string { return h.Title }},
		{Name: "hazard_description", Width: 30, Value: func(h *hazardRow) string { return h.Text }},
		{Name: "cause", Width: 30, Value: func(h *hazardRow) string { return h.Cause }},
		{Name: "hazardous_situation", Width: 30, Value: func(h *hazardRow) string { return h.Situation }},
		{Name: "harm", Width: 24, Value: func(h *hazardRow) string { return h.Harm }},
		{Name: "introduced_by", Width: 16, Value: func(h *hazardRow) string { return strings.Join(h.Introducers, report.ListSep) }},
	},
	estimateColumns("initial", func(h *hazardRow) model.RiskEstimate { return h.Initial }),
	estimateColumns("residual", func(h *hazardRow) model.RiskEstimate { return h.Residual }),
	[]tableColumn[*hazardRow]{
		{Name: "risk_controls", Width: 16, Value: func(h *hazardRow) string { return strings.Join(h.Controls, report.ListSep) }},
		{Name: "controls_not_verified", Width: 16, Value: func(h *hazardRow) string { return strings.Join(h.Unverified, report.ListSep) }},
		{Name: "benefit_risk", Width: 30, Value: func(h *hazardRow) string { return h.BenefitRisk }},
		{Name: "source", Width: 30, Value: func(h *hazardRow) string { return report.PosText(h.Source.String(), h.Source.IsZero()) }},
		{Name: "findings", Width: 16, Value: func(h *hazardRow) string { return findingRefs(h.Findings) }},
	},
)

func concat[T any](parts ...[]T) []T {
	var out []T
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

var controlColumns = []tableColumn[*controlRow]{
	{Name: "risk_control", Width: 12, Value: func(c *controlRow) string { return c.ID }},
	{Name: "title", Width: 36, Value: func(c *controlRow) string { return c.Title }},
	{Name: "kind", Width: 18, Value: func(c *controlRow) string { return c.Kind }},
	{Name: "hazards", Width: 16, Value: func(c *controlRow) string { return strings.Join(c.Hazards, report.ListSep) }},
	{Name: "requirements", Width: 20, Value: func(c *controlRow) string { return strings.Join(c.Requirements, report.ListSep) }},
	{Name: "requirements_not_verified", Width: 20, Value: func(c *controlRow) string { return strings.Join(c.Unverified, report.ListSep) }},
	{Name: "status", Width: 12, Value: func(c *controlRow) string { return string(c.Status) }},
	{Name: "tests", Width: 8, Num: true, Value: func(c *controlRow) string { return itoa(len(c.Tests)) }},
	{Name: "test_results", Width: 70, Value: func(c *controlRow) string { return testResults(c.Tests) }},
	{Name: "source", Width: 30, Value: func(c *controlRow) string { return report.PosText(c.Source.String(), c.Source.IsZero()) }},
	{Name: "findings", Width: 16, Value: func(c *controlRow) string { return findingRefs(c.Findings) }},
}

// anomalyColumns follow the policy's problem report fields.
func anomalyColumns(v *releaseView) []tableColumn[*anomalyRow] {
	cols := []tableColumn[*anomalyRow]{
		{Name: "problem_report", Width: 14, Value: func(a *anomalyRow) string { return a.ID }},
		{Name: "title", Width: 36, Value: func(a *anomalyRow) string { return a.Title }},
		{Name: "state", Width: 10, Value: func(a *anomalyRow) string { return a.State }},
	}
	for i, k := range recordFieldOrder(v.Cfg) {
		cols = append(cols, tableColumn[*anomalyRow]{Name: k, Width: 30, Value: func(a *anomalyRow) string {
			if i < len(a.Fields) {
				return a.Fields[i].Value
			}
			return ""
		}})
	}
	return append(cols,
		tableColumn[*anomalyRow]{Name: "url", Width: 36, Value: func(a *anomalyRow) string { return a.Link }},
		tableColumn[*anomalyRow]{Name: "source", Width: 30, Value: func(a *anomalyRow) string { return report.PosText(a.Source.String(), a.Source.IsZero()) }},
		tableColumn[*anomalyRow]{Name: "findings", Width: 16, Value: func(a *anomalyRow) string { return findingRefs(a.Findings) }},
	)
}

var changeColumns = []tableColumn[*changeRow]{
	{Name: "commit", Width: 42, Value: func(c *changeRow) string { return c.SHA }},
	{Name: "date", Width: 22, Value: func(c *changeRow) string { return report.Stamp(c.Date) }},
	{Name: "author", Width: 20, Value: func(c *changeRow) string { return c.Author }},
	{Name: "subject", Width: 50, Value: func(c *changeRow) string { return c.Subject }},
	{Name: "merge", Width: 8, Value: func(c *changeRow) string { return strconv.FormatBool(c.Merge) }},
	{Name: "traced", Width: 8, Value: func(c *changeRow) string { return strconv.FormatBool(c.Traced) }},
	{Name: "traces_to", Width: 20, Value: func(c *changeRow) string { return strings.Join(c.ChangeTrace.Links, report.ListSep) }},
	{Name: "through", Width: 24, Value: func(c *changeRow) string { return c.Via }},
	{Name: "links", Width: 50, Value: func(c *changeRow) string {
		var s []string
		for _, l := range c.Links {
			if l.Href != "" && !strings.HasPrefix(l.Href, "#") {
				s = append(s, l.Text+" "+l.Href)
			}
		}
		return strings.Join(s, report.ListSep)
	}},
	{Name: "url", Width: 50, Value: func(c *changeRow) string { return c.URL }},
	{Name: "findings", Width: 16, Value: func(c *changeRow) string { return findingRefs(c.Findings) }},
	{Name: "pull_requests", Width: 14, Value: func(c *changeRow) string {
		s := make([]string, len(c.PRs))
		for i, p := range c.PRs {
			s[i] = p.Text
		}
		return strings.Join(s, report.ListSep)
	}},
	{Name: "change_approvals", Width: 36, Value: func(c *changeRow) string { return strings.Join(c.Approvals, report.ListSep) }},
}

var planColumns = []tableColumn[*planRow]{
	{Name: "plan", Width: 36, Value: func(p *planRow) string { return p.Name }},
	{Name: "clause", Width: 18, Value: func(p *planRow) string { return p.Clause }},
	{Name: "path", Width: 40, Value: func(p *planRow) string { return p.Path }},
	{Name: "present", Width: 10, Value: func(p *planRow) string { return strconv.FormatBool(len(p.Files) > 0) }},
	{Name: "files", Width: 50, Value: func(p *planRow) string { return strings.Join(p.Files, report.ListSep) }},
}

var inputColumns = []tableColumn[*Input]{
	{Name: "path", Width: 50, Value: func(in *Input) string { return in.Path }},
	{Name: "origin", Width: 12, Value: func(in *Input) string { return in.Origin }},
	{Name: "kind", Width: 16, Value: func(in *Input) string { return in.Kind }},
	{Name: "format", Width: 14, Value: func(in *Input) string { return in.Format }},
	{Name: "items", Width: 8, Num: true, Value: func(in *Input) string { return itoa(in.Items) }},
	{Name: "bytes", Width: 12, Num: true, Value: func(in *Input) string { return strconv.FormatInt(in.Size, 10) }},
	{Name: "sha256", Width: 68, Value: func(in *Input) string { return in.SHA256 }},
}

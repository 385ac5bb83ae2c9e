package risk

import (
	"io/fs"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/ingest/mdtable"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
	"github.com/tracegate/tracegate/internal/model"
)

// MarkdownTable reads a risk file kept as Markdown tables (format
// markdown-table), as the openregulatory FMEA template keeps it: a hazard
// table, one row per hazard, and a risk control table, one row per
// control. A hazard table is known by its header as a CSV register is
// (an ID column and a hazard or harm column; the same synonyms, see
// csvcolumns.go); a risk control table has an ID column, no hazard or harm
// column, and a control type column (Type, Kind: ISO 14971 7.1's options)
// or a heading above it that speaks of controls, mitigations or measures.
// The policy's columns: names headers of its own (fields: config.RiskColumns);
// id_prefixes.id numbers the hazards and id_prefixes.risk_controls the
// controls, wherever their IDs are written (a template numbers each table
// from 1). Other tables (a preliminary hazard list, failure modes) are named
// in a warning, not read.
type MarkdownTable struct{}

func (MarkdownTable) Kind() ingest.Kind { return ingest.Risks }
func (MarkdownTable) Format() string    { return config.FormatMarkdownTable }

// Detect accepts a Markdown file that holds a hazard table.
func (MarkdownTable) Detect(_ fs.FS, name string, head []byte) bool {
	if !ingest.IsMarkdown(name) {
		return false
	}
	for _, t := range mdtable.Scan(head) {
		if h, err := hazardHeader(t, config.Table{}); err == nil && h.cols.isHeader() {
			return true
		}
	}
	return false
}

func (mt MarkdownTable) Read(fsys fs.FS, path string) (*ingest.Items, error) {
	return mt.ReadTable(fsys, path, config.Table{})
}

// riskFields maps the policy's field names to a hazard table's fields.
var riskFields = map[string]field{
	"id": fieldID, "title": fieldTitle, "hazard": fieldHazard, "cause": fieldCause, "hazardous_situation": fieldSituation,
	"harm": fieldHarm, "severity": fieldSeverity, "probability": fieldProbability, "acceptability": fieldAcceptability,
	"risk_controls": fieldControls, "residual_severity": fieldResidualSeverity, "residual_probability": fieldResidualProbability,
	"residual_acceptability": fieldResidualAcceptability, "benefit_risk": fieldBenefitRisk,
}

// controlColumns are the headers a risk control table's fields are known
// by, as mdtable.Norm makes them.
var controlColumns = mdtable.Synonyms{
	"id":           {"id", "controlid", "riskcontrolid", "measureid", "mitigationid", "ref", "reference", "no", "nr", "number"},
	"title":        {"title", "name", "summary", "shorttitle"},
	"description":  {"description", "riskcontrolmeasure", "riskcontrol", "controlmeasure", "control", "measure", "mitigation", "riskcontroldescription"},
	"kind":         {"type", "kind", "controltype", "riskcontroltype", "option", "riskcontroloption", "category"},
	"hazards":      {"hazards", "hazardid", "hazardids", "relatedhazards", "riskids", "relatedrisks"},
	"requirements": {"requirement", "requirements", "requirementid", "requirementids", "implementedby", "relatedrequirements", "softwarerequirements"},
}

// controlOnly are the fields only a control table has; hazardOnly those
// only a hazard table has.
var controlOnly = []string{"description", "kind", "hazards", "requirements"}

var controlHeading = lazyre.New(`(?i)control|mitigation|measure`)

func (mt MarkdownTable) ReadTable(fsys fs.FS, path string, m config.Table) (*ingest.Items, error) {
	data, err := input.ReadAll(fsys, path, 0)
	if err != nil {
		return nil, err
	}
	tables, err := mdtable.Parse(path, data)
	if err != nil {
		return nil, err
	}
	items := &ingest.Items{}
	var errs input.Errors
	var skipped []mdtable.Table
	hazardTables, controlTables := 0, 0
	for _, t := range tables {
		h, e := hazardHeader(t, m)
		if e != nil {
			errs = append(errs, e)
			continue
		}
		if h.cols.isHeader() {
			hazardTables++
			errs = append(errs, missing(t, m, func(f string) bool {
				_, ok := h.cols.index[riskFields[f]]
				return ok || slices.Contains(controlOnly, f)
			})...)
			es := mt.hazards(t, h, m, items)
			errs = append(errs, es...)
			continue
		}
		c, e := controlTable(t, m)
		if e != nil {
			errs = append(errs, e)
			continue
		}
		if c == nil {
			skipped = append(skipped, t)
			continue
		}
		controlTables++
		errs = append(errs, missing(t, m, func(f string) bool {
			return c.Has(f) || !slices.Contains(controlOnly, f)
		})...)
		errs = append(errs, controls(t, *c, m, items)...)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if hazardTables+controlTables == 0 {
		what := "the file holds no table"
		if len(tables) > 0 {
			what = "no table of the file has an ID column and a hazard or harm column, or is a risk control table (" + tables[0].Headers() + ")"
		}
		return nil, input.Errorf(input.Pos{File: path}, "no hazard or risk control table: %s", what).
			WithHint("a hazard table has an ID column and a Hazard or Harm column; a risk control table an ID column and a Type column, or a heading that names controls; name your headers in the policy's columns:")
	}
	if w, ok := mdtable.Skipped(path, skipped, "hazards or risk controls"); ok {
		items.Warnings = append(items.Warnings, w)
	}
	return items, nil
}

// missing reports the mapped fields a table lacks; has says whether the
// table has the field or the field belongs to the other kind of table.
func missing(t mdtable.Table, m config.Table, has func(string) bool) input.Errors {
	absent := map[string]string{}
	for f, hdr := range m.Columns {
		if !has(f) {
			absent[f] = hdr
		}
	}
	return mdtable.Columns{}.Missing(t, absent)
}

// hazardHeader classifies a table's header as a CSV register's, then lets
// the policy's columns: name the headers of their fields.
func hazardHeader(t mdtable.Table, m config.Table) (header, *input.Error) {
	cells := make([]string, len(t.Header))
	for i, c := range t.Header {
		cells[i] = c.Text
	}
	h := header{cells: cells, cols: classifyHeader(cells), line: t.Pos.Line}
	for name, hdr := range m.Columns {
		f, ok := riskFields[name]
		if !ok {
			continue
		}
		for i, c := range t.Header {
			if mdtable.Norm(c.Text) != mdtable.Norm(hdr) {
				continue
			}
			for g, j := range h.cols.index {
				if g == f || j == i {
					delete(h.cols.index, g)
				}
			}
			h.cols.index[f] = i
			h.cols.unknown = slices.DeleteFunc(h.cols.unknown, func(j int) bool { return j == i })
		}
	}
	if h.cols.dup != "" && h.cols.isHeader() {
		return h, input.Errorf(t.Pos, "ambiguous header: %s", h.cols.dup).
			WithHint("name the column that holds the field in the policy's columns:, or rename one of them")
	}
	return h, nil
}

func (MarkdownTable) hazards(t mdtable.Table, h header, m config.Table, items *ingest.Items) input.Errors {
	var errs input.Errors
	if w, ok := unknownColumns(h, nil, t.Pos); ok {
		items.Warnings = append(items.Warnings, w)
	}
	for _, row := range t.Rows {
		if row.Blank() {
			continue
		}
		rec := make([]string, len(row.Cells))
		for i, c := range row.Cells {
			rec[i] = c.Text
		}
		if i, ok := h.cols.index[fieldID]; ok {
			rec[i] = mdtable.WithPrefix(rec[i], m.IDPrefixes["id"])
		}
		if i, ok := h.cols.index[fieldControls]; ok {
			rec[i] = strings.Join(mdtable.IDs(rec[i], m.IDPrefixes["risk_controls"]), ", ")
		}
		cell := func(i int) input.Pos { return row.Cells[i].Pos }
		hz, rowErrs, warns := hazardRow(rec, h, cell, row.Pos)
		items.Warnings = append(items.Warnings, warns...)
		if len(rowErrs) > 0 {
			errs = append(errs, rowErrs...)
			continue
		}
		hz.Format = config.FormatMarkdownTable
		items.Hazards = append(items.Hazards, hz)
	}
	return errs
}

// controlTable resolves a table as a risk control table, nil when it is
// not one.
func controlTable(t mdtable.Table, m config.Table) (*mdtable.Columns, *input.Error) {
	// The mapping of a field both kinds of table have (id, title) applies
	// to this table when the table has its header: a file's hazard table
	// may name its ID column differently from its control table.
	mapped := map[string]string{}
	for f, hdr := range m.Columns {
		if _, ok := controlColumns[f]; ok && (slices.Contains(controlOnly, f) || hasHeader(t, hdr)) {
			mapped[f] = hdr
		}
	}
	c, err := mdtable.Resolve(t, controlColumns, mapped)
	if !c.Has("id") {
		return nil, nil
	}
	if !c.Has("kind") && !(controlHeading().MatchString(t.Heading) && c.Has("description", "title")) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func hasHeader(t mdtable.Table, hdr string) bool {
	for _, c := range t.Header {
		if mdtable.Norm(c.Text) == mdtable.Norm(hdr) {
			return true
		}
	}
	return false
}

func controls(t mdtable.Table, c mdtable.Columns, m config.Table, items *ingest.Items) input.Errors {
	var errs input.Errors
	if w, ok := c.UnknownWarning(t); ok {
		items.Warnings = append(items.Warnings, w)
	}
	for _, row := range t.Rows {
		if row.Blank() {
			continue
		}
		rc := model.RiskControl{
			ID:           mdtable.WithPrefix(c.Get(row, "id"), m.IDPrefixes["risk_controls"]),
			Title:        c.Get(row, "title"),
			Description:  c.Get(row, "description"),
			Hazards:      mdtable.IDs(c.Get(row, "hazards"), m.IDPrefixes["id"]),
			Requirements: mdtable.IDs(c.Get(row, "requirements"), m.IDPrefixes["requirements"]),
			Source:       row.Pos,
			Format:       config.FormatMarkdownTable,
		}
		bad := false
		switch {
		case rc.ID == "":
			errs = append(errs, input.Errorf(row.Pos, "row without an ID (column %q)", c.Header(t, "id")).
				WithHint("every risk control needs the ID that hazards and requirements refer to it by"))
			bad = true
		case !isIDToken(rc.ID):
			errs = append(errs, input.Errorf(c.At(row, "id"), "%q is not an ID: it contains white space", rc.ID))
			bad = true
		}
		for _, f := range []string{"hazards", "requirements"} {
			for _, id := range mdtable.IDs(c.Get(row, f), "") {
				if !isIDToken(id) {
					errs = append(errs, input.Errorf(c.At(row, f), "%q in column %q is not an ID", id, c.Header(t, f)).
						WithHint("list IDs only, separated by commas, semicolons or line breaks"))
					bad = true
				}
			}
		}
		if k := c.Get(row, "kind"); k != "" {
			kind, ok := parseKind(k)
			if !ok {
				errs = append(errs, input.Errorf(c.At(row, "kind"), "%q in column %q is not a risk control option", k, c.Header(t, "kind")).WithHint(kindHint))
				bad = true
			}
			rc.Kind = kind
		}
		if !bad {
			items.RiskControls = append(items.RiskControls, rc)
		}
	}
	return errs
}

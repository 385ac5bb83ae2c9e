package requirement

import (
	"io/fs"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/ingest/mdtable"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// MarkdownTable reads requirement lists kept as Markdown tables (format
// markdown-table), one row per requirement: the openregulatory templates'
// software requirements list (ID | Software System | Category |
// Description | ...) and the tables teams keep of their own. A table is a
// requirement table when it has an ID column and a text or title column,
// by the headers those fields are known by (tableColumns) or by the
// policy's columns:; a file may hold several, and its other tables
// (mapping tables, definitions) are named in a warning, not read. Cells
// are Markdown as written; ID lists are separated by commas, semicolons or
// line breaks (<br>).
type MarkdownTable struct{}

func (MarkdownTable) Kind() ingest.Kind { return ingest.Requirements }
func (MarkdownTable) Format() string    { return config.FormatMarkdownTable }

// tableColumns are the headers each field is known by, as mdtable.Norm
// makes them. A header that asks a question ("Risk Control Measure?") is a
// yes/no flag, never a list of IDs, so the defaults never match one (Norm
// drops the question mark; questionHeader checks for it).
var tableColumns = mdtable.Synonyms{
	"id":            {"id", "reqid", "requirementid", "requirementno", "requirementnumber", "ref", "reference", "no", "nr", "number", "key", "uid"},
	"title":         {"title", "name", "summary", "shorttitle", "requirementtitle", "requirementname"},
	"text":          {"text", "description", "requirement", "requirementtext", "requirementdescription", "statement", "specification", "details"},
	"type":          {"type", "category", "requirementtype", "requirementcategory", "kind"},
	"item":          {"item", "softwareitem", "softwaresystem", "system", "component", "module"},
	"class":         {"class", "safetyclass", "softwaresafetyclass"},
	"parents":       {"parent", "parents", "parentid", "parentids", "userneed", "userneeds", "userneedid", "userneedids", "systemrequirement", "systemrequirements", "tracesto", "derivedfrom", "refines", "fulfills", "fulfils"},
	"risk_controls": {"riskcontrol", "riskcontrols", "riskcontrolid", "riskcontrolids", "riskcontrolmeasure", "riskcontrolmeasures", "mitigation", "mitigations", "mitigationid", "mitigationids"},
	"verification":  {"verification", "verificationmethod", "method"},
	"evidence":      {"evidence"},
	"tests":         {"test", "tests", "testid", "testids", "testcase", "testcases"},
	"status":        {"status", "state"},
}

// contentFields make a table with an ID column a requirement table.
var contentFields = []string{"text", "title"}

// Detect accepts a Markdown file that holds a requirement table by the
// default headers. A file whose front matter holds an item's ID is the
// markdown or ketryx reader's.
func (MarkdownTable) Detect(fsys fs.FS, p string, head []byte) bool {
	if !isMarkdown(p) {
		return false
	}
	if keys, ok := ingest.FrontMatterKeys(fsys, p, head); ok && (keys["id"] || keys["itemId"]) {
		return false
	}
	tables := mdtable.Scan(head)
	for _, t := range tables {
		for _, h := range t.Header {
			if slices.Contains(riskHeaders, mdtable.Norm(h.Text)) {
				return false // a risk table's file (its preliminary hazard list has ID and Description)
			}
		}
	}
	for _, t := range tables {
		if c, err := resolveTable(t, config.Table{}); err == nil && isRequirementTable(c) {
			return true
		}
	}
	return false
}

// riskHeaders mark a file of risk tables, which format: auto must not read
// as requirements.
var riskHeaders = []string{"harm", "harms", "hazardoussituation", "hazardoussituations"}

func (mt MarkdownTable) Read(fsys fs.FS, p string) (*ingest.Items, error) {
	return mt.ReadTable(fsys, p, config.Table{})
}

func (mt MarkdownTable) ReadTable(fsys fs.FS, p string, m config.Table) (*ingest.Items, error) {
	data, err := input.ReadAll(fsys, p, 0)
	if err != nil {
		return nil, err
	}
	tables, err := mdtable.Parse(p, data)
	if err != nil {
		return nil, err
	}
	log := &report{}
	var reqs []model.Requirement
	var skipped []mdtable.Table
	read := 0
	for _, t := range tables {
		c, e := resolveTable(t, m)
		if e != nil {
			log.errs = append(log.errs, e)
			continue
		}
		if !isRequirementTable(c) {
			skipped = append(skipped, t)
			continue
		}
		read++
		log.errs = append(log.errs, c.Missing(t, m.Columns)...)
		if w, ok := c.UnknownWarning(t); ok {
			log.warns = append(log.warns, w)
		}
		for _, row := range t.Rows {
			if row.Blank() {
				continue
			}
			if r, ok := tableRequirement(t, c, row, m.IDPrefixes, log); ok {
				reqs = append(reqs, r)
			}
		}
	}
	if read == 0 {
		return nil, input.Errorf(input.Pos{File: p}, "no requirement table: %s", noTable(tables)).
			WithHint("a requirement table has an ID column and a Description, Text or Title column; name yours in the policy's columns: (id: Req. No., text: Requirement), or read a file with front matter as format: markdown")
	}
	if w, ok := mdtable.Skipped(p, skipped, "requirements (no ID column, or no text or title column)"); ok {
		log.warns = append(log.warns, w)
	}
	return log.items(reqs)
}

// noTable says what a Markdown file without a requirement table holds.
func noTable(tables []mdtable.Table) string {
	if len(tables) == 0 {
		return "the file holds no table"
	}
	return "no table of the file has an ID column and a text or title column (" + tables[0].Headers() + " at line " + itoa(tables[0].Pos.Line) + ")"
}

func resolveTable(t mdtable.Table, m config.Table) (mdtable.Columns, *input.Error) {
	c, err := mdtable.Resolve(t, tableColumns, m.Columns)
	if err != nil {
		return c, err
	}
	// A question is a yes/no flag: "Risk Control Measure?" says whether
	// the requirement is one, and its "Yes" is no control's ID.
	for f, i := range c.Index {
		if _, named := m.Columns[f]; !named && strings.HasSuffix(strings.TrimSpace(t.Header[i].Text), "?") {
			delete(c.Index, f)
			c.Unknown = append(c.Unknown, i)
			slices.Sort(c.Unknown)
		}
	}
	return c, nil
}

func isRequirementTable(c mdtable.Columns) bool {
	return c.Has("id") && c.Has(contentFields...)
}

// tableRequirement reads one row. Its ID, class and verification method
// are checked as the native format's are.
func tableRequirement(t mdtable.Table, c mdtable.Columns, row mdtable.Row, prefixes map[string]string, log *report) (model.Requirement, bool) {
	get := func(f string) string { return c.Get(row, f) }
	ids := func(f string) []string {
		l := mdtable.IDs(get(f), prefixes[f])
		for _, id := range l {
			if strings.ContainsFunc(id, isSpace) {
				log.errorf(c.At(row, f), "list IDs only, separated by commas, semicolons or line breaks", "%q in column %q is not an ID", id, c.Header(t, f))
			}
		}
		return l
	}
	r := model.Requirement{
		ID:           mdtable.WithPrefix(get("id"), prefixes["id"]),
		Title:        get("title"),
		Text:         get("text"),
		Type:         strings.ToLower(get("type")),
		Item:         get("item"),
		Parents:      ids("parents"),
		RiskControls: ids("risk_controls"),
		Evidence:     mdtable.IDs(get("evidence"), ""),
		Tests:        mdtable.IDs(get("tests"), ""),
		Status:       strings.ToLower(get("status")),
		Source:       row.Pos,
		Format:       config.FormatMarkdownTable,
	}
	ok := true
	switch {
	case r.ID == "":
		log.errorf(row.Pos, "every requirement needs an ID that tests, risk controls and pull requests can refer to", "row without an ID (column %q)", c.Header(t, "id"))
		ok = false
	case strings.ContainsFunc(r.ID, isSpace):
		log.errorf(c.At(row, "id"), "", "%q is not an ID: it contains white space", r.ID)
		ok = false
	}
	if s := get("class"); s != "" {
		cl, err := model.ParseClass(s)
		if err != nil {
			log.errorf(c.At(row, "class"), "", "column %q: %v", c.Header(t, "class"), err)
			ok = false
		}
		r.Class = cl
	}
	if s := strings.ToLower(get("verification")); s != "" {
		if !slices.Contains(model.VerificationMethods, s) {
			log.errorf(c.At(row, "verification"), "use one of "+strings.Join(model.VerificationMethods, ", "),
				"column %q: %q is not a verification method", c.Header(t, "verification"), s)
			ok = false
		}
		r.Verification = s
	}
	return r, ok
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

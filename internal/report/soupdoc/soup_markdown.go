package soupdoc

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/report"
)

// Limits of the Markdown SOUP list: a cell shows at most so many
// characters, a list in a cell at most so many items; "…" and "… and N
// more" say where something was shortened. The CSV and JSON carry every
// value in full.
const (
	mdSOUPName  = 200
	mdSOUPText  = 1000
	mdSOUPID    = 120
	mdSOUPItems = 10
)

// soupMarkdown writes the SOUP list as Markdown: a summary, then one table
// per concern (identification; requirements and environment; anomalies),
// the SBOMs read, stale register entries and warnings. Every input string
// is escaped; no row is ever broken.
func soupMarkdown(w io.Writer, v *View) error {
	var b strings.Builder
	title := "SOUP list"
	if p := report.MDInline(v.Product, 300); p != "" {
		title += " — " + p
	}
	b.WriteString("## " + title + "\n\n")
	if d := report.MDInline(v.Opts.Controlled(), 300); d != "" {
		b.WriteString("Document " + d + "\n\n")
	}
	b.WriteString(v.summaryMarkdown() + "\n\n")
	b.WriteString(v.factsMarkdown() + "\n\n")

	b.WriteString("### Identification (IEC 62304 8.1.2)\n\n")
	b.WriteString("| Component | Version | Supplier / manufacturer | purl / CPE | Licenses | Dependency | Register |\n|---|---|---|---|---|---|---|\n")
	for i := range v.Rows {
		r := &v.Rows[i]
		ids := []string{}
		if r.E.PURL != "" {
			ids = append(ids, report.MDCellText(r.E.PURL, mdSOUPText))
		}
		for _, c := range r.E.CPEs {
			ids = append(ids, report.MDCellText(c, mdSOUPText))
		}
		supplier := "not stated"
		if r.Supplier != "" {
			supplier = report.MDCellText(r.Supplier, mdSOUPName) + " (" + r.SupplierFrom + ")"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", mdComponent(r), mdOr(report.MDCellText(r.E.Version, mdSOUPID), "unknown"), supplier,
			mdOr(mdList(ids, 3), "none"), mdOr(mdList(mdCells(r.E.Licenses, mdSOUPName), mdSOUPItems), "not stated"), r.Dependency, mdRegister(r))
	}

	b.WriteString("\n### Requirements and environment (IEC 62304 5.3.3, 5.3.4, 7.1.2)\n\n")
	b.WriteString("| Component | Purpose | Requirements | Environment | Risk level | Verification | Software items |\n|---|---|---|---|---|---|---|\n")
	for i := range v.Rows {
		r := &v.Rows[i]
		it := r.E.Register
		if it == nil {
			fmt.Fprintf(&b, "| %s | %s | — | — | — | — | — |\n", mdComponent(r), mdStatus(r))
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", mdComponent(r), mdOrMissing(it.Purpose), mdOrMissing(it.Requirements),
			mdOrMissing(it.Environment), mdOrMissing(it.RiskLevel), mdOrMissing(it.Verification), mdOr(mdList(mdCells(it.Items, mdSOUPName), mdSOUPItems), "—"))
	}

	b.WriteString("\n### Known anomalies (IEC 62304 7.1.3)\n\n")
	b.WriteString("| Component | Version in use | Anomaly review | Lookup | Anomalies found | Assessed by the review | Not assessed |\n|---|---|---|---|---|---|---|\n")
	for i := range v.Rows {
		r := &v.Rows[i]
		var found, assessed, open []string
		for _, a := range r.Anomalies {
			found = append(found, report.MDCellText(a.Label(), mdSOUPText))
			switch {
			case a.Withdrawn:
			case a.Assessed == assessedCurrent:
				assessed = append(assessed, report.MDCellText(a.ID+": "+a.Assessment, mdSOUPText))
			case a.Assessed == assessedOtherVersion:
				open = append(open, report.MDCellText(a.ID+" ("+a.AssessedText(r.Review.Version)+")", mdSOUPText))
			default:
				open = append(open, report.MDCellText(a.ID, mdSOUPID))
			}
		}
		none := "—"
		if len(r.Anomalies) > 0 {
			none = "none"
		}
		notAssessed := none
		if len(open) > 0 {
			notAssessed = "⚠️ " + mdList(open, 2*mdSOUPItems)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", mdComponent(r), mdOr(report.MDCellText(r.E.Version, mdSOUPID), "unknown"), mdReview(r),
			mdLookup(r), mdOr(mdList(found, mdSOUPItems), mdNoneFound(r)), mdOr(mdList(assessed, mdSOUPItems), none), notAssessed)
	}

	b.WriteString("\n### SBOMs read\n\n")
	if len(v.L.Documents) == 0 {
		b.WriteString("No SBOM was read" + map[bool]string{true: ": the list is the register's entries, and nothing here shows that the register names everything the product contains.\n", false: ".\n"}[v.L.FromRegister])
	} else {
		b.WriteString("| File | Format | Spec version | Packages read | Components | Warnings |\n|---|---|---|---:|---:|---|\n")
		for _, d := range v.L.Documents {
			ws := make([]string, len(d.Warnings))
			for i, w := range d.Warnings {
				ws[i] = report.MDCellText(w.String(), mdSOUPText)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %d | %d | %s |\n", report.MDCellText(d.File, mdSOUPText), report.MDCellText(d.Format, mdSOUPID),
				report.MDCellText(d.SpecVersion, mdSOUPID), d.PackagesRead, d.Components, mdOr(mdList(ws, 3), "none"))
		}
	}

	b.WriteString("\n### Stale register entries\n\n")
	if len(v.L.Stale) == 0 {
		b.WriteString("None: every register entry matches a component of the SBOMs.\n")
	} else {
		b.WriteString("Register entries no SBOM component matched: SOUP the register describes but the product no longer contains.\n\n")
		b.WriteString("| Entry | purl | Version | Source |\n|---|---|---|---|\n")
		for _, it := range v.L.Stale {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdOr(report.MDCellText(it.Name, mdSOUPName), "(no name)"), report.MDCellText(it.PURL, mdSOUPText),
				report.MDCellText(it.Version, mdSOUPID), report.MDCellText(report.PosText(it.Source.String(), it.Source.IsZero()), mdSOUPText))
		}
	}

	if ws := v.L.Warnings; len(ws) > 0 {
		fmt.Fprintf(&b, "\n### %s while reading\n\n", report.Plural(len(ws), "warning", "warnings"))
		n := min(len(ws), 50)
		for _, w := range ws[:n] {
			b.WriteString("- " + report.MDInline(w.String(), mdSOUPText) + "\n")
		}
		if len(ws) > n {
			fmt.Fprintf(&b, "- … and %d more in the JSON form of the list.\n", len(ws)-n)
		}
	}

	fmt.Fprintf(&b, "\n<sub>%s", report.MDInline(v.Opts.ToolName(), 200))
	if !v.Opts.Generated.IsZero() {
		b.WriteString(" · generated " + report.Stamp(v.Opts.Generated))
	}
	if s := report.MDInline(v.L.Schema, 40); s != "" {
		b.WriteString(" · " + s)
	}
	fmt.Fprintf(&b, " · cells show at most %d characters and lists their first items; the CSV and JSON forms carry every value in full</sub>\n", mdSOUPText)
	_, err := io.WriteString(w, b.String())
	return err
}

// from says where the list's components come from.
func (v *View) from() string {
	if v.L.FromRegister {
		return "the SOUP register alone (no SBOM)"
	}
	return report.Plural(len(v.L.Documents), "SBOM", "SBOMs")
}

func (v *View) summaryMarkdown() string {
	c := v.Counts
	parts := []string{
		fmt.Sprintf("**%s** from %s: %d registered, %d not registered, %d not SOUP",
			report.Plural(c.Components, "component", "components"), v.from(), c.Registered, c.NotRegistered, c.NotSOUP),
	}
	if v.L.Anomalies == nil {
		parts = append(parts, "**anomalies not looked up**")
	} else {
		s := fmt.Sprintf("%s in %s", report.Plural(c.Anomalies, "known anomaly", "known anomalies"), report.Plural(c.WithAnomalies, "component", "components"))
		if c.NotAssessed > 0 {
			s += fmt.Sprintf(", **%d not assessed**", c.NotAssessed)
		}
		parts = append(parts, s)
		if c.NotChecked > 0 {
			parts = append(parts, fmt.Sprintf("**%s not checked**", report.Plural(c.NotChecked, "component", "components")))
		}
	}
	if c.ReviewGaps > 0 {
		parts = append(parts, fmt.Sprintf("**%s without a review of the version in use**", report.Plural(c.ReviewGaps, "registered component", "registered components")))
	}
	parts = append(parts, report.Plural(c.Stale, "stale register entry", "stale register entries"))
	return strings.Join(parts, " · ")
}

func (v *View) factsMarkdown() string {
	var parts []string
	if len(v.Roots) > 0 {
		parts = append(parts, "Product: "+mdList(mdCells(v.Roots, mdSOUPName), 5))
	}
	if r := report.MDInline(v.L.Register, mdSOUPText); r != "" {
		parts = append(parts, "Register: "+r)
	} else {
		parts = append(parts, "Register: **none given**")
	}
	if a := v.L.Anomalies; a != nil {
		s := "Anomaly source: " + mdOr(report.MDInline(a.Source, mdSOUPText), "unnamed")
		if !a.At.IsZero() {
			s += ", consulted " + report.Stamp(a.At)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " · ")
}

// mdComponent is the component cell: "name (group)".
func mdComponent(r *Row) string {
	s := mdOr(report.MDCellText(r.E.Name, mdSOUPName), "(no name)")
	if g := report.MDCellText(r.E.Group, mdSOUPName); g != "" {
		s += " (" + g + ")"
	}
	return s
}

func mdRegister(r *Row) string {
	switch r.Status {
	case statusRegistered:
		if by := report.MDCellText(r.E.MatchedBy, 20); by != "" {
			return "registered (by " + by + ")"
		}
		return "registered"
	case statusNotRegistered:
		return "**not registered**"
	}
	if t := report.MDCellText(r.E.Type, 40); t != "" {
		return "not SOUP (" + t + ")"
	}
	return "not SOUP"
}

func mdStatus(r *Row) string {
	if r.Status == statusNotRegistered {
		return "**not registered**"
	}
	return r.Status
}

func mdReview(r *Row) string {
	rv := r.Review
	if rv.State == reviewNotApplicable {
		return "— (" + r.Status + ")"
	}
	s := report.MDCellText(rv.Text, mdSOUPText)
	if rv.Gap() {
		s = "⚠️ " + s
	}
	var who []string
	if d := report.MDCellText(rv.Date, mdSOUPID); d != "" {
		who = append(who, d)
	}
	if p := report.MDCellText(rv.Reviewer, mdSOUPName); p != "" {
		who = append(who, p)
	}
	if len(who) > 0 {
		s += "<br>" + strings.Join(who, ", ")
	}
	return s
}

func mdLookup(r *Row) string {
	s := report.MDCellText(r.Lookup.Text, mdSOUPText)
	if !r.Lookup.Checked() {
		return "⚠️ " + s
	}
	return s
}

func mdNoneFound(r *Row) string {
	if r.Lookup.Checked() {
		return "none"
	}
	return "—"
}

// mdOrMissing is a register field's cell; an empty field says so.
func mdOrMissing(s string) string { return mdOr(report.MDCellText(s, mdSOUPText), "*not stated*") }

func mdOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

func mdCells(items []string, max int) []string {
	out := make([]string, 0, len(items))
	for _, s := range items {
		if e := report.MDCellText(s, max); e != "" {
			out = append(out, e)
		}
	}
	return out
}

// mdList joins escaped items in one cell, at most n of them, and says how
// many more there are.
func mdList(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, "<br>")
	}
	return strings.Join(items[:n], "<br>") + "<br>… and " + strconv.Itoa(len(items)-n) + " more"
}

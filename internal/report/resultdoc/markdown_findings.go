package resultdoc

import (
	"strings"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/report"
)

// mdGroup is the findings of one rule: a heading, a table of its first n
// findings, a line for the others and the remediation, once.
type mdGroup struct {
	id, name, remediation string
	label                 string // the rule ID as rendered
	findings              []gate.Finding
	rank                  int

	head  string // heading and table header
	fix   string // the remediation paragraph, or ""
	count string // the one line that stands for the group when no row fits
	rows  [][]string
	pre   [][]int // pre[level][n]: bytes of the first n rows
}

// mdLevels are the rune limits of a row's cells, tried in order: when the
// budget cannot hold one row of every failed rule, messages are shortened
// (at rune boundaries, before escaping) rather than rules dropped.
var mdLevels = []struct{ subject, message, location, clauses int }{
	{160, 400, 200, 200},
	{80, 160, 120, 120},
	{40, 60, 60, 60},
}

func (g *mdGroup) prepare(d *mdDoc) {
	title := ""
	if o, ok := d.outcomes[g.id]; ok {
		title = o.Title
	}
	g.label = ruleLabel(g.id)
	var h strings.Builder
	h.WriteString("#### " + severityIcon(g.rank) + " " + g.label)
	if n := report.MDInline(g.name, 64); n != "" {
		h.WriteString(" " + n)
	}
	if t := report.MDInline(title, 160); t != "" {
		h.WriteString(" — " + t)
	}
	h.WriteString(" · " + severityCounts(g.findings) + "\n\n")
	h.WriteString("| Severity | Subject | Message | Location | Clauses |\n|---|---|---|---|---|\n")
	g.head = h.String()
	if rem := report.MDInline(g.remediation, 600); rem != "" {
		g.fix = "**Fix:** " + rem + "\n\n"
	}
	g.count = "- " + severityIcon(g.rank) + " " + g.label
	if n := report.MDInline(g.name, 64); n != "" {
		g.count += " " + n
	}
	g.count += ": " + severityCounts(g.findings) + "\n"
	g.rows = make([][]string, len(mdLevels))
	g.pre = make([][]int, len(mdLevels))
}

// level renders the rows at one level of shortening, once.
func (g *mdGroup) level(d *mdDoc, lv int) {
	if g.rows[lv] != nil {
		return
	}
	rows := make([]string, len(g.findings))
	pre := make([]int, len(g.findings)+1)
	for i, f := range g.findings {
		rows[i] = d.row(f, lv)
		pre[i+1] = pre[i] + len(rows[i])
	}
	g.rows[lv], g.pre[lv] = rows, pre
}

// size is the bytes of the group's block with its first n rows (n ≥ 1).
func (g *mdGroup) size(d *mdDoc, lv, n int) int {
	s := len(g.head) + g.pre[lv][n] + 1 + len(g.fix)
	if k := len(g.findings) - n; k > 0 {
		s += len(d.more(k, "finding", "findings", g.label)) + 1
	}
	return s
}

func (g *mdGroup) block(d *mdDoc, lv, n int) string {
	var b strings.Builder
	b.WriteString(g.head)
	for _, r := range g.rows[lv][:n] {
		b.WriteString(r)
	}
	b.WriteString("\n")
	if k := len(g.findings) - n; k > 0 {
		b.WriteString(d.more(k, "finding", "findings", g.label) + "\n")
	}
	b.WriteString(g.fix)
	return b.String()
}

func (d *mdDoc) row(f gate.Finding, lv int) string {
	l := mdLevels[lv]
	loc := ""
	if f.Location != nil {
		loc = blobLink(d.base, f.Location.File, f.Location.Line, f.Location.Col, l.location)
	}
	return "| " + severityLabel(f.Severity) + " | " + report.MDCellText(f.Subject, l.subject) + " | " + report.MDCellText(f.Message, l.message) +
		" | " + loc + " | " + report.MDCellText(strings.Join(f.Clauses, ", "), l.clauses) + " |\n"
}

// mdPlan says how the findings are shown: the first k groups as tables of
// at most n rows each, at shortening level lv; then the count lines of the
// next m groups; the rest only in the failed-rules line of the head.
type mdPlan struct {
	ok       bool
	lv, k, n int
	m        int
}

func (d *mdDoc) findingsTitle() string {
	if d.r.Verdict == gate.Pass {
		return "### Findings\n\n"
	}
	return "### What to fix\n\n"
}

// countHead heads the count lines when some rules have tables above them.
func (d *mdDoc) countHead(k int) string {
	if k == 0 {
		return ""
	}
	return "#### Not listed here\n\n"
}

func (d *mdDoc) countIntro() string {
	if d.ref != "" {
		return "The findings of these rules are in " + d.ref + ":\n\n"
	}
	return "The findings of these rules are not listed here:\n\n"
}

// countSize is the bytes of the count lines of groups[k:k+m] and of the
// line standing for the groups after them.
func (d *mdDoc) countSize(k, m int) int {
	if k == len(d.groups) {
		return 0
	}
	s := len(d.countHead(k)) + len(d.countIntro()) + 1 + d.countPre[k+m] - d.countPre[k]
	if k+m < len(d.groups) {
		s += len(d.restLine(k + m))
	}
	return s
}

// restLine stands for the groups from i on, whose IDs the head lists.
func (d *mdDoc) restLine(i int) string {
	n := d.findingsPre[len(d.groups)] - d.findingsPre[i]
	return "- … and " + report.Plural(n, "more finding", "more findings") + " of " + report.Plural(len(d.groups)-i, "more rule", "more rules") + " (see Failed rules above).\n"
}

// findingsSection shows as many findings as fit in allow bytes: every rule
// at least as a table of one row if possible, the same number of rows for
// every rule (so that one noisy rule cannot hide the others), lower-severity
// rules reduced to a count line when not every rule can have a table.
func (d *mdDoc) findingsSection(allow int) string {
	if len(d.groups) == 0 {
		if d.r.Verdict == gate.Error || len(d.r.Rules) == 0 {
			return ""
		}
		if s := "No findings.\n\n"; len(s) <= allow {
			return s
		}
		return ""
	}
	var best mdPlan
	for lv := range mdLevels {
		p := d.plan(lv, allow)
		if p.ok && (!best.ok || p.k > best.k || (p.k == best.k && p.k == 0 && p.m > best.m)) {
			best = p
		}
		if best.ok && best.k == len(d.groups) {
			break
		}
	}
	if !best.ok {
		return ""
	}
	return d.renderFindings(best)
}

func (d *mdDoc) plan(lv, allow int) mdPlan {
	title := len(d.findingsTitle())
	for _, g := range d.groups {
		g.level(d, lv)
	}
	// Largest k whose tables of one row fit.
	fixed := title
	sizes := make([]int, len(d.groups)+1) // sizes[k]: tables of one row for groups[:k]
	sizes[0] = fixed
	for i, g := range d.groups {
		sizes[i+1] = sizes[i] + g.size(d, lv, 1)
	}
	for k := len(d.groups); k >= 1; k-- {
		// The other rules as count lines, else as one closing line.
		m := len(d.groups) - k
		rest := d.countSize(k, m)
		if sizes[k]+rest > allow {
			m, rest = 0, d.countSize(k, 0)
		}
		if sizes[k]+rest > allow {
			continue
		}
		// Largest n (rows per rule) that fits.
		lo, hi := 1, 1
		for _, g := range d.groups[:k] {
			hi = max(hi, len(g.findings))
		}
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if d.tablesSize(lv, k, mid)+rest <= allow {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		return mdPlan{ok: true, lv: lv, k: k, n: lo, m: m}
	}
	// No table fits: count lines only, as many as fit.
	for m := len(d.groups); m >= 0; m-- {
		if title+d.countSize(0, m) <= allow {
			return mdPlan{ok: true, lv: lv, k: 0, m: m}
		}
	}
	return mdPlan{}
}

func (d *mdDoc) tablesSize(lv, k, n int) int {
	s := len(d.findingsTitle())
	for _, g := range d.groups[:k] {
		s += g.size(d, lv, min(n, len(g.findings)))
	}
	return s
}

func (d *mdDoc) renderFindings(p mdPlan) string {
	var b strings.Builder
	b.WriteString(d.findingsTitle())
	for _, g := range d.groups[:p.k] {
		b.WriteString(g.block(d, p.lv, min(p.n, len(g.findings))))
	}
	if p.k < len(d.groups) {
		b.WriteString(d.countHead(p.k) + d.countIntro())
		for _, g := range d.groups[p.k : p.k+p.m] {
			b.WriteString(g.count)
		}
		if p.k+p.m < len(d.groups) {
			b.WriteString(d.restLine(p.k + p.m))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func severityIcon(rank int) string {
	switch rank {
	case 3:
		return "❌"
	case 2:
		return "⚠️"
	case 1:
		return "ℹ️"
	}
	return "❔"
}

func severityLabel(s gate.Severity) string {
	switch s {
	case gate.SevError, gate.SevWarning, gate.SevNote:
		return string(s)
	}
	if l := report.MDCellText(string(s), 16); l != "" {
		return l
	}
	return "unknown"
}

// severityCounts reads "3 errors, 1 note".
func severityCounts(fs []gate.Finding) string {
	var e, w, n, other int
	for _, f := range fs {
		switch f.Severity {
		case gate.SevError:
			e++
		case gate.SevWarning:
			w++
		case gate.SevNote:
			n++
		default:
			other++
		}
	}
	var parts []string
	if e > 0 {
		parts = append(parts, report.Plural(e, "error", "errors"))
	}
	if w > 0 {
		parts = append(parts, report.Plural(w, "warning", "warnings"))
	}
	if n > 0 {
		parts = append(parts, report.Plural(n, "note", "notes"))
	}
	if other > 0 {
		parts = append(parts, report.Plural(other, "finding of unknown severity", "findings of unknown severity"))
	}
	return strings.Join(parts, ", ")
}

package resultdoc

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/report"
)

// DefaultMarkdownBudget is GitHub's limit on a check run's output.summary
// (65,535 characters). The budget counts bytes, which are never fewer than
// characters, so the output fits whatever the text.
const DefaultMarkdownBudget = 65535

// MarkdownOptions tune the Markdown rendering of a gate result.
type MarkdownOptions struct {
	// Budget is the most bytes the output may take; 0 means
	// DefaultMarkdownBudget. A step summary takes up to 1 MiB.
	Budget int
	// LinkBase is a blob URL prefix such as
	// https://github.com/o/r/blob/SHA/; when set, locations link to the line.
	LinkBase string
	// FullReport names where every finding can be read: a URL, or text such
	// as "the artifact tracegate-report". The "… more" lines point to it.
	FullReport string
}

// WriteMarkdown renders a gate result as Markdown for a step summary
// or a check run's output, within o.Budget bytes. It stays under the budget
// by summarising, never by cutting: every table row is whole, and the
// verdict, the counts and every failed rule ID are always there. It fails
// only when not even those fit.
func WriteMarkdown(w io.Writer, r *gate.Result, o MarkdownOptions) error {
	s, err := resultMarkdown(r, o)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, s)
	return err
}

// resultMarkdown builds the document from sections whose sizes are known
// before they are joined: the mandatory head and foot first, then what is
// left is shared out in order of importance (evaluation errors, findings,
// what was judged, rule outcomes, warnings, policy defaults, inputs), each
// section choosing
// how much of itself to include.
func resultMarkdown(r *gate.Result, o MarkdownOptions) (string, error) {
	if r == nil {
		return "", errors.New("no result to render")
	}
	budget := o.Budget
	if budget <= 0 {
		budget = DefaultMarkdownBudget
	}
	d := newMDDoc(r, o)
	head, foot := d.head(), d.foot()
	left := budget - len(head) - len(foot)
	if left < 0 {
		return "", fmt.Errorf("a Markdown budget of %d bytes is too small for the verdict, the counts and the failed rule IDs (%d bytes)",
			budget, len(head)+len(foot))
	}
	errs := d.errorsSection(left)
	left -= len(errs)
	// Findings come first, but not at any price: the rule outcomes, the
	// warnings and the policy defaults keep a share of what is left, so that
	// 5,000 findings do not crowd out what an auditor needs to read them.
	reserve := min(len(d.contextSection(math.MaxInt)), left/8) +
		min(len(d.rulesSection(math.MaxInt)), left/4) +
		min(len(d.warningsSection(math.MaxInt)), left/8) +
		min(len(d.defaultsSection(math.MaxInt)), left/16)
	finds := d.findingsSection(left - reserve)
	left -= len(finds)
	ctx := d.contextSection(left)
	left -= len(ctx)
	rules := d.rulesSection(left)
	left -= len(rules)
	warns := d.warningsSection(left)
	left -= len(warns)
	defs := d.defaultsSection(left)
	left -= len(defs)
	inputs := d.inputsSection(left)
	out := head + errs + finds + ctx + rules + warns + defs + inputs + foot
	if len(out) > budget { // the sections above make this impossible; never exceed the budget silently
		return "", fmt.Errorf("internal error: Markdown of %d bytes exceeds the budget of %d", len(out), budget)
	}
	return out, nil
}

// mdDoc holds a result prepared for rendering.
type mdDoc struct {
	r        *gate.Result
	base     string // validated LinkBase, "" for no links
	ref      string // rendered FullReport, "" when none was given
	groups   []*mdGroup
	outcomes map[string]gate.RuleOutcome
	// countPre[i] and findingsPre[i]: bytes of the count lines and number
	// of findings of groups[:i].
	countPre, findingsPre []int
}

func newMDDoc(r *gate.Result, o MarkdownOptions) *mdDoc {
	d := &mdDoc{r: r, base: linkBase(o.LinkBase), ref: reportRef(o.FullReport), outcomes: map[string]gate.RuleOutcome{}}
	for _, oc := range r.Rules {
		if _, dup := d.outcomes[oc.Rule]; !dup {
			d.outcomes[oc.Rule] = oc
		}
	}
	byRule := map[string]*mdGroup{}
	for _, f := range r.Findings {
		g := byRule[f.Rule]
		if g == nil {
			g = &mdGroup{id: f.Rule, name: f.Name, remediation: f.Remediation}
			byRule[f.Rule] = g
			d.groups = append(d.groups, g)
		}
		g.findings = append(g.findings, f)
		g.rank = max(g.rank, f.Severity.Rank())
		if g.remediation == "" {
			g.remediation = f.Remediation
		}
	}
	// Most severe first; within a severity, by rule ID.
	sort.SliceStable(d.groups, func(i, j int) bool {
		a, b := d.groups[i], d.groups[j]
		if a.rank != b.rank {
			return a.rank > b.rank
		}
		return a.id < b.id
	})
	d.countPre, d.findingsPre = make([]int, len(d.groups)+1), make([]int, len(d.groups)+1)
	for i, g := range d.groups {
		g.prepare(d)
		d.countPre[i+1] = d.countPre[i] + len(g.count)
		d.findingsPre[i+1] = d.findingsPre[i] + len(g.findings)
	}
	return d
}

// more is the line that stands for findings, rules or messages left out.
func (d *mdDoc) more(k int, one, many, of string) string {
	s := "… and " + report.Plural(k, "more "+one, "more "+many)
	if of != "" {
		s += " of " + of
	}
	if d.ref != "" {
		return s + " — see " + d.ref + ".\n"
	}
	return s + " not shown here.\n"
}

func (d *mdDoc) head() string {
	r := d.r
	var b strings.Builder
	name := report.MDInline(r.Gate, 40)
	if name == "" {
		name = "gate"
	}
	subject := ""
	if s := report.MDInline(r.Subject, 200); s != "" {
		subject = " — " + s
	}
	switch r.Verdict {
	case gate.Pass:
		fmt.Fprintf(&b, "## ✅ tracegate %s passed%s\n\n", name, subject)
	case gate.Fail:
		fmt.Fprintf(&b, "## ❌ tracegate %s failed%s\n\n", name, subject)
	case gate.Error:
		fmt.Fprintf(&b, "## ⚠️ tracegate %s could not complete%s\n\n**This is not a pass:** the evaluation stopped, so nothing was judged.\n\n", name, subject)
	default:
		fmt.Fprintf(&b, "## ⚠️ tracegate %s: unknown verdict “%s”%s\n\n**Treat this as a failure.**\n\n", name, report.MDInline(string(r.Verdict), 40), subject)
	}
	s := r.Summary
	fmt.Fprintf(&b, "**%s, %s, %s** · %s, %d failed, %d not applicable",
		report.Plural(s.Errors, "error", "errors"), report.Plural(s.Warnings, "warning", "warnings"), report.Plural(s.Notes, "note", "notes"),
		report.Plural(s.RulesChecked, "rule checked", "rules checked"), s.RulesFailed, s.NotApplicable)
	if c := report.MDInline(string(r.SafetyClass), 8); c != "" {
		b.WriteString(" · software safety class " + c)
	}
	if f := report.MDInline(string(r.FailOn), 16); f != "" {
		b.WriteString(" · fails at " + f)
	}
	if len(r.Errors) > 0 {
		b.WriteString(" · **" + report.Plural(len(r.Errors), "evaluation error", "evaluation errors") + "**")
	}
	if len(r.Warnings) > 0 {
		b.WriteString(" · " + report.Plural(len(r.Warnings), "warning", "warnings") + " while reading")
		if r.Verdict == gate.Fail && r.FailOn.Rank() > 0 && r.FailOn.Rank() <= gate.SevWarning.Rank() {
			b.WriteString(", which fail the gate at " + report.MDInline(string(r.FailOn), 16))
		}
	}
	b.WriteString("\n\n")
	if failed := d.failedRules(); len(failed) > 0 {
		fmt.Fprintf(&b, "**Failed rules (%d):** %s\n\n", len(failed), strings.Join(failed, ", "))
	}
	return b.String()
}

// failedRules lists every rule with findings, most severe first, then any
// other rule the result marks failed: "TG101 (3)".
func (d *mdDoc) failedRules() []string {
	var out []string
	seen := map[string]bool{}
	for _, g := range d.groups {
		seen[g.id] = true
		out = append(out, ruleLabel(g.id)+" ("+fmt.Sprint(len(g.findings))+")")
	}
	for _, o := range d.r.Rules {
		if o.Status == gate.RuleFailed && !seen[o.Rule] {
			seen[o.Rule] = true
			out = append(out, ruleLabel(o.Rule)+" ("+fmt.Sprint(o.Findings)+")")
		}
	}
	return out
}

func ruleLabel(id string) string {
	if s := report.MDInline(id, 64); s != "" {
		return s
	}
	return "(no rule)"
}

func (d *mdDoc) foot() string {
	r := d.r
	var b strings.Builder
	if p := report.MDInline(r.Policy.File, 200); p != "" {
		b.WriteString("Policy: " + p)
	} else {
		b.WriteString("Policy: no policy file; built-in defaults throughout (`tracegate init` writes them, commented)")
	}
	if n := len(r.Policy.Defaulted); n > 0 {
		b.WriteString(" · " + report.Plural(n, "default", "defaults") + " used")
	}
	b.WriteString("\n\n")
	tool := report.MDInline(r.Tool.Name, 40)
	if tool == "" {
		tool = "tracegate"
	}
	fmt.Fprintf(&b, "<sub>%s %s", tool, report.MDInline(r.Tool.Version, 64))
	if c := report.MDInline(model.ShortSHA(r.Tool.Commit), 12); c != "" {
		b.WriteString(" (" + c + ")")
	}
	if sc := report.MDInline(r.Schema, 40); sc != "" {
		b.WriteString(" · " + sc)
	}
	b.WriteString("</sub>\n")
	return b.String()
}

func (d *mdDoc) errorsSection(allow int) string {
	if len(d.r.Errors) == 0 {
		return ""
	}
	items := make([]string, len(d.r.Errors))
	for i, e := range d.r.Errors {
		items[i] = "- " + report.MDInline(e, 1000) + "\n"
	}
	return fitList(allow, "### ⚠️ The evaluation could not complete\n\nFix these errors and run again:\n\n", items,
		func(k int) string { return "- " + d.more(k, "evaluation error", "evaluation errors", "") }, "\n")
}

func (d *mdDoc) rulesSection(allow int) string {
	if len(d.r.Rules) == 0 {
		return ""
	}
	rank := map[gate.RuleStatus]int{gate.RuleFailed: 0, gate.RuleNotApplicable: 1, gate.RulePassed: 2}
	rules := append([]gate.RuleOutcome(nil), d.r.Rules...)
	sort.SliceStable(rules, func(i, j int) bool {
		ri, ok := rank[rules[i].Status]
		if !ok {
			ri = 3
		}
		rj, ok := rank[rules[j].Status]
		if !ok {
			rj = 3
		}
		return ri < rj
	})
	items := make([]string, len(rules))
	for i, o := range rules {
		rule := ruleLabel(o.Rule)
		if n := report.MDCellText(o.Name, 64); n != "" {
			rule += " " + n
		}
		items[i] = fmt.Sprintf("| %s | %s | %s | %d | %d | %d | %s | %s |\n", rule, report.MDCellText(o.Title, 160), ruleStatusLabel(o.Status),
			o.Findings, o.Checked, o.Skipped, report.MDCellText(strings.Join(o.Clauses, ", "), 200), report.MDCellText(o.Reason, 300))
	}
	s := d.r.Summary
	head := fmt.Sprintf("<details><summary>Rule outcomes: %d checked, %d failed, %d not applicable</summary>\n\n"+
		"| Rule | Title | Status | Findings | Checked | Not applicable | Clauses | Note |\n|---|---|---|---:|---:|---:|---|---|\n",
		s.RulesChecked, s.RulesFailed, s.NotApplicable)
	return fitList(allow, head, items, func(k int) string { return "\n" + d.more(k, "rule", "rules", "") }, "\n</details>\n\n")
}

func ruleStatusLabel(s gate.RuleStatus) string {
	switch s {
	case gate.RuleFailed:
		return "❌ fail"
	case gate.RulePassed:
		return "✅ pass"
	case gate.RuleNotApplicable:
		return "➖ not applicable"
	}
	return report.MDCellText(string(s), 32)
}

func (d *mdDoc) warningsSection(allow int) string {
	ws := d.r.Warnings
	if len(ws) == 0 {
		return ""
	}
	items := make([]string, len(ws))
	for i, w := range ws {
		items[i] = "- " + report.MDInline(w.String(), 400) + "\n"
	}
	head := fmt.Sprintf("<details><summary>%s while reading: what tracegate repaired or skipped</summary>\n\n", report.Plural(len(ws), "warning", "warnings"))
	return fitList(allow, head, items, func(k int) string { return "- " + d.more(k, "warning", "warnings", "") }, "\n</details>\n\n")
}

func (d *mdDoc) defaultsSection(allow int) string {
	defs := d.r.Policy.Defaulted
	if len(defs) == 0 {
		return ""
	}
	items := make([]string, len(defs))
	for i, s := range defs {
		items[i] = "- " + report.MDInline(s, 300) + "\n"
	}
	head := fmt.Sprintf("<details><summary>Policy: %s used</summary>\n\n", report.Plural(len(defs), "default", "defaults"))
	return fitList(allow, head, items, func(k int) string { return "- " + d.more(k, "default", "defaults", "") }, "\n</details>\n\n")
}

func (d *mdDoc) inputsSection(allow int) string {
	if len(d.r.Inputs) == 0 {
		return ""
	}
	s := fmt.Sprintf("Read %s: %s.\n\n", report.Plural(len(d.r.Inputs), "file", "files"), report.MDInline(inputCounts(d.r.Inputs), 2000))
	if len(s) > allow {
		return ""
	}
	return s
}

// fitList renders head, the first n items, a line standing for the other
// len(items)-n, and tail, with the largest n ≥ 1 that fits in allow bytes;
// "" when not even one item does.
func fitList(allow int, head string, items []string, more func(k int) string, tail string) string {
	size := len(head) + len(tail)
	for _, it := range items {
		size += len(it)
	}
	for n := len(items); n >= 1; n-- {
		m := ""
		if k := len(items) - n; k > 0 {
			m = more(k)
		}
		if size+len(m) <= allow {
			var b strings.Builder
			b.Grow(size + len(m))
			b.WriteString(head)
			for _, it := range items[:n] {
				b.WriteString(it)
			}
			b.WriteString(m)
			b.WriteString(tail)
			return b.String()
		}
		size -= len(items[n-1])
	}
	return ""
}

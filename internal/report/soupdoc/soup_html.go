package soupdoc

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"github.com/tracegate/tracegate/internal/report"
)

// HTMLBody is the SOUP list's part of the page. Cells are written on
// one line each: the stylesheet keeps line breaks inside cells (white-space:
// pre-line), so that multi-line register text reads as written.
const HTMLBody = `{{template "summary" (summary .)}}

<h2 id="identification">Identification <span class="muted">IEC 62304 8.1.2</span></h2>
{{- if not .Rows}}
<p>The SBOMs list no components.</p>
{{- else}}
<table class="grid">
<colgroup><col class="w20"><col class="w8"><col class="w15"><col class="w22"><col class="w12"><col class="w8"><col class="w15"></colgroup>
<thead><tr><th>Component</th><th>Version</th><th>Supplier / manufacturer</th><th>purl / CPE</th><th>Licenses</th><th>Dependency</th><th>Register</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr><td>{{template "component" .}}</td><td>{{template "version" .}}</td><td>{{if .Supplier}}{{visible .Supplier}} <span class="muted">({{.SupplierFrom}})</span>{{else}}<span class="muted">not stated</span>{{end}}</td><td class="mono">{{if .E.PURL}}{{visible .E.PURL}}{{end}}{{range .E.CPEs}}
{{visible .}}{{end}}{{if not (or .E.PURL .E.CPEs)}}<span class="muted">none</span>{{end}}</td><td>{{range $i, $l := .E.Licenses}}{{if $i}}
{{end}}{{visible $l}}{{else}}<span class="muted">not stated</span>{{end}}</td><td>{{.Dependency}}</td><td>{{template "register" .}}</td></tr>
{{- end}}
</tbody>
</table>

<h2 id="requirements">Requirements and environment <span class="muted">IEC 62304 5.3.3, 5.3.4, 7.1.2</span></h2>
<table class="grid">
<colgroup><col class="w16"><col class="w16"><col class="w20"><col class="w16"><col class="w8"><col class="w14"><col class="w10"></colgroup>
<thead><tr><th>Component</th><th>Purpose</th><th>Requirements</th><th>Environment</th><th>Risk level</th><th>Verification</th><th>Software items</th></tr></thead>
<tbody>
{{- range $r := .Rows}}
{{- with $r.E.Register}}
<tr><td>{{template "component" $r}}</td><td>{{template "field" .Purpose}}</td><td>{{template "field" .Requirements}}</td><td>{{template "field" .Environment}}</td><td>{{template "field" .RiskLevel}}</td><td>{{template "field" .Verification}}</td><td>{{range $i, $it := .Items}}{{if $i}}
{{end}}{{visible $it}}{{else}}<span class="muted">—</span>{{end}}</td></tr>
{{- else}}
<tr><td>{{template "component" $r}}</td><td colspan="6">{{template "register" $r}}</td></tr>
{{- end}}
{{- end}}
</tbody>
</table>

<h2 id="anomalies">Known anomalies <span class="muted">IEC 62304 7.1.3</span></h2>
<table class="grid">
<colgroup><col class="w15"><col class="w8"><col class="w15"><col class="w16"><col class="w46"></colgroup>
<thead><tr><th>Component</th><th>Version in use</th><th>Anomaly review</th><th>Lookup</th><th>Anomalies found</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr><td>{{template "component" .}}</td><td>{{template "version" .}}</td><td>{{template "review" .}}</td><td>{{if .Lookup.Checked}}<span class="ok">{{visible .Lookup.Text}}</span>{{else}}<span class="tag warn">{{visible .Lookup.Text}}</span>{{end}}</td><td>{{template "anomalies" .}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}

<h2 id="sboms">SBOMs read</h2>
{{- if not .L.Documents}}
<p>No SBOM was read{{if .L.FromRegister}}: the list is the register's entries, and nothing here shows that the register names everything the product contains{{end}}.</p>
{{- else}}
<table class="grid">
<colgroup><col class="w22"><col class="w10"><col class="w8"><col class="w8"><col class="w8"><col class="w18"><col class="w26"></colgroup>
<thead><tr><th>File</th><th>Format</th><th>Spec version</th><th class="num">Packages read</th><th class="num">Components</th><th>Root component</th><th>Warnings</th></tr></thead>
<tbody>
{{- range .L.Documents}}
<tr><td class="mono">{{visible .File}}</td><td>{{visible .Format}}</td><td>{{visible .SpecVersion}}</td><td class="num">{{.PackagesRead}}</td><td class="num">{{.Components}}</td><td class="mono">{{visible .Root}}</td><td>{{range $i, $w := .Warnings}}{{if $i}}
{{end}}{{visible $w.String}}{{else}}<span class="muted">none</span>{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}

<h2 id="stale">Stale register entries</h2>
{{- if not .L.Stale}}
<p>None: every register entry matches a component of the SBOMs.</p>
{{- else}}
<p>Register entries no SBOM component matched: SOUP the register describes but the product no longer contains.</p>
<table class="grid">
<colgroup><col class="w20"><col class="w25"><col class="w10"><col class="w25"><col class="w20"></colgroup>
<thead><tr><th>Entry</th><th>purl</th><th>Version</th><th>Purpose</th><th>Source</th></tr></thead>
<tbody>
{{- range .L.Stale}}
<tr><td>{{visible .Name}}</td><td class="mono">{{visible .PURL}}</td><td>{{visible .Version}}</td><td>{{visible .Purpose}}</td><td class="mono">{{if not .Source.IsZero}}{{visible .Source.String}}{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- with .L.Warnings}}

<h2 id="warnings">{{plural (len .) "warning" "warnings"}} while reading</h2>
<ul>
{{- range .}}
<li>{{visible .String}}</li>
{{- end}}
</ul>
{{- end}}

{{- define "component"}}{{if .E.Name}}{{visible .E.Name}}{{else}}<span class="muted">(no name)</span>{{end}}{{if .E.Group}} <span class="muted">({{visible .E.Group}})</span>{{end}}{{end}}
{{- define "version"}}{{if .E.Version}}{{visible .E.Version}}{{else}}<span class="tag warn">unknown</span>{{end}}{{end}}
{{- define "field"}}{{if .}}{{visible .}}{{else}}<span class="tag warn">not stated</span>{{end}}{{end}}
{{- define "register"}}{{if eq .Status "registered"}}<span class="ok">registered</span>{{with .E.MatchedBy}} <span class="muted">(by {{visible .}})</span>{{end}}{{else if eq .Status "not registered"}}<span class="tag bad">not registered</span>{{else}}<span class="muted">not SOUP{{with .E.Type}} ({{visible .}}){{end}}</span>{{end}}{{end}}
{{- define "review"}}{{if eq .Review.State ""}}<span class="muted">— ({{.Status}})</span>{{else}}{{if .Review.Gap}}<span class="tag bad">{{visible .Review.Text}}</span>{{else}}<span class="ok">{{visible .Review.Text}}</span>{{end}}{{if or .Review.Date .Review.Reviewer}}
<span class="muted">{{visible .Review.Date}}{{if and .Review.Date .Review.Reviewer}}, {{end}}{{visible .Review.Reviewer}}</span>{{end}}{{end}}{{end}}
{{- define "anomalies"}}{{$rv := .Review.Version}}{{if .Anomalies}}<ul class="plain">{{range .Anomalies}}<li><strong>{{visible .ID}}</strong>{{with .Severity}} <span class="muted">({{visible .}})</span>{{end}}{{if .Indeterminate}} <span class="tag warn">indeterminate</span>{{end}}{{if .Withdrawn}} <span class="tag">withdrawn</span>{{end}}{{with .Summary}}: {{visible .}}{{end}}
{{if .Withdrawn}}<span class="muted">withdrawn by its database: not an anomaly</span>{{else if eq .Assessed "assessed"}}<span class="tag ok">{{visible (.AssessedText $rv)}}</span>{{else}}<span class="tag bad">{{visible (.AssessedText $rv)}}</span>{{end}}{{with .Evidence}}
<span class="muted">{{visible .}}</span>{{end}}</li>{{end}}</ul>{{else if .Lookup.Checked}}<span class="ok">none</span>{{else}}<span class="muted">—</span>{{end}}{{end}}`

// soupHTMLTemplate is parsed on first use, not when the binary starts.
var soupHTMLTemplate = sync.OnceValue(func() *template.Template {
	return report.NewHTMLTemplate("soup", HTMLBody, template.FuncMap{"summary": (*View).SummaryHTML})
})

func (v *View) SummaryHTML() []report.HTMLSummaryItem {
	c := v.Counts
	out := []report.HTMLSummaryItem{{Text: fmt.Sprintf("%s from %s: %d registered, %d not registered, %d not SOUP",
		report.Plural(c.Components, "component", "components"), v.from(), c.Registered, c.NotRegistered, c.NotSOUP)}}
	if c.NotRegistered > 0 {
		out[0].Flag = true
	}
	if v.L.Anomalies == nil {
		out = append(out, report.HTMLSummaryItem{Text: "anomalies not looked up", Flag: true})
	} else {
		out = append(out, report.HTMLSummaryItem{Text: fmt.Sprintf("%s in %s", report.Plural(c.Anomalies, "known anomaly", "known anomalies"), report.Plural(c.WithAnomalies, "component", "components"))})
		if c.NotAssessed > 0 {
			out = append(out, report.HTMLSummaryItem{Text: fmt.Sprintf("%d not assessed", c.NotAssessed), Flag: true})
		}
		if c.NotChecked > 0 {
			out = append(out, report.HTMLSummaryItem{Text: report.Plural(c.NotChecked, "component", "components") + " not checked", Flag: true})
		}
	}
	if c.ReviewGaps > 0 {
		out = append(out, report.HTMLSummaryItem{Text: report.Plural(c.ReviewGaps, "registered component", "registered components") + " without a review of the version in use", Flag: true})
	}
	out = append(out, report.HTMLSummaryItem{Text: report.Plural(c.Stale, "stale register entry", "stale register entries"), Flag: c.Stale > 0})
	return out
}

// soupHTML writes the SOUP list as one printable, self-contained page.
func soupHTML(w io.Writer, v *View) error {
	title := "SOUP list"
	if v.Product != "" {
		title += " — " + v.Product
	}
	facts := []report.HTMLFact{}
	if v.Opts.Title != "" && len(v.Roots) > 0 {
		facts = append(facts, report.HTMLFact{Label: "Root components", Value: strings.Join(v.Roots, "\n")})
	}
	if v.Opts.Title == "" && len(v.Roots) == 0 {
		facts = append(facts, report.HTMLFact{Label: "Product", Value: "not named: no title was given and the SBOMs name no root component", Flag: true})
	}
	if v.L.Register != "" {
		facts = append(facts, report.HTMLFact{Label: "SOUP register", Value: v.L.Register})
	} else {
		facts = append(facts, report.HTMLFact{Label: "SOUP register", Value: "none given", Flag: true})
	}
	if a := v.L.Anomalies; a != nil {
		facts = append(facts, report.HTMLFact{Label: "Anomaly source", Value: a.Source})
		at := "not stated"
		if !a.At.IsZero() {
			at = report.Stamp(a.At)
		}
		facts = append(facts, report.HTMLFact{Label: "Consulted", Value: at, Flag: a.At.IsZero()})
	} else {
		facts = append(facts, report.HTMLFact{Label: "Anomaly source", Value: "not consulted", Flag: true})
	}
	facts = append(facts, report.HTMLFact{Label: "Tool", Value: v.Opts.ToolName()})
	if d := v.Opts.Controlled(); d != "" {
		facts = append(facts, report.HTMLFact{Label: "Document", Value: d})
	}
	if !v.Opts.Generated.IsZero() {
		facts = append(facts, report.HTMLFact{Label: "Generated", Value: report.Stamp(v.Opts.Generated)})
	}
	return report.WriteHTML(w, soupHTMLTemplate(), report.HTMLPage{Title: title, Facts: facts, Generator: v.Opts.ToolName(), Generated: v.Opts.Generated, Body: v})
}

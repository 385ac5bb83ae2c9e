package releasedoc

import (
	"fmt"
	"html/template"
	"io"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/report/soupdoc"
	"github.com/tracegate/tracegate/internal/trace"
)

// The release evidence report: one self-contained, printable page for the
// design history file. It is built on the shared frame (html.go): inline
// CSS, no scripts, no external assets, a Content-Security-Policy that
// forbids both. Its sections have anchors and a table of contents; every
// finding names its clauses and links to the row it concerns; gaps are
// marked in words as well as in colour. Every printed page carries the
// tool, the release commit and the inputs digest in its footer (CSS paged
// media margin boxes, which Chromium prints since version 131).

// releaseHTMLHead is the report's own stylesheet, added to the frame's.
const releaseHTMLHead = `{{define "head"}}{{template "records-head"}}
<style>
col.w3{width:3%}col.w4{width:4%}col.w6{width:6%}col.w7{width:7%}col.w9{width:9%}col.w11{width:11%}col.w24{width:24%}col.w28{width:28%}col.w32{width:32%}col.w35{width:35%}
nav.toc{margin:.6em 0 1.2em;padding:.5em .9em;border:1px solid var(--line);border-radius:4px}
nav.toc ol{margin:.2em 0;padding-left:1.4em;columns:2;column-gap:2.5em}
nav.toc ol ol{columns:1;padding-left:1.2em}
nav.toc a{color:inherit}
.verdict{font-size:1.25em;font-weight:700;margin:.4em 0 .6em;padding:.45em .8em;border-radius:4px;border:1px solid currentColor}
.verdict.pass{color:var(--ok);background:var(--ok-bg)}
.verdict.fail,.verdict.error{color:var(--bad);background:var(--bad-bg)}
table.grid tr.gap>td{background:var(--bad-bg)}
table.grid tr.gap-warn>td{background:var(--warn-bg)}
table.grid tr.inactive>td{color:var(--muted)}
table.grid td.mono,table.grid td .mono{overflow-wrap:anywhere}
.figures{display:flex;flex-wrap:wrap;gap:.5em 1.4em;margin:.5em 0 1em;padding:0;list-style:none}
.figures li{padding:.3em .7em;border:1px solid var(--line);border-radius:4px}
.figures strong{font-size:1.15em}
.heat{display:flex;flex-wrap:wrap;gap:12px 24px;align-items:flex-start;margin:.5em 0 1em}
.heat figure{margin:0}
.heat figcaption{font-weight:600;margin:0 0 .3em}
.heat svg{display:block;max-width:100%;height:auto}
.heat svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:11px;fill:#1b1f24}
.heat svg text.count{font-size:17px;font-weight:700;text-anchor:middle}
.heat svg text.zero{font-weight:400;fill:#8c959f}
.heat svg text.acc{font-size:8px;fill:#3d444d}
.heat svg text.lab{text-anchor:end}
.heat svg text.col{text-anchor:middle}
.heat svg text.axis{font-size:10px;fill:#57606a;text-anchor:middle}
.legend span{display:inline-block;padding:0 .5em;margin-right:.6em;border:1px solid var(--line)}
section.soup h2{font-size:1.08em;border-bottom:0;margin-top:1.2em}
a.ref{white-space:nowrap}
@media print{
 h2.part{break-before:page;page-break-before:always}
 nav.toc{break-inside:avoid}
 table.grid tr.gap>td,table.grid tr.gap-warn>td,.verdict,.heat svg,.legend span{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .heat{break-inside:avoid}
 footer{display:none}
}
</style>
{{end}}`

const releaseHTMLBody = `<p class="verdict {{.R.Verdict}}">{{verdictText .R}}</p>
{{template "summary" (releaseSummary .)}}
{{template "control" .}}
<nav class="toc" aria-label="Contents"><strong>Contents</strong>
<ol>
<li><a href="#document-control">Document control</a> · <a href="#signatures">signatures</a> · <a href="#revisions">revision history</a> · <a href="#documents">documents</a></li>
<li><a href="#findings">Verdict and findings</a> · <a href="#rules">rules</a></li>
<li><a href="#traceability">Traceability matrix</a> · <a href="#tests">tests → requirements</a> · <a href="#verifies-nothing">tests that verify nothing</a></li>
<li><a href="#srs">Software requirements specification</a></li>
<li><a href="#architecture">Software architecture</a></li>
<li><a href="#risk">Risk summary</a> · <a href="#hazards">hazards</a> · <a href="#risk-controls">risk controls</a></li>
<li><a href="#soup">SOUP list</a>{{if and .SOUP .SOUP.Rows}} · <a href="#identification">identification</a> · <a href="#requirements">requirements</a> · <a href="#anomalies">anomalies</a>{{end}}</li>
<li><a href="#residual-anomalies">Known residual anomalies</a></li>
<li><a href="#changes">Changes since the previous release</a></li>
<li><a href="#reviews">Review records</a> · <a href="#approval">release approval</a></li>
<li><a href="#plans">Plans</a></li>
<li><a href="#inputs">Inputs</a></li>
{{- if .Warnings}}
<li><a href="#read-warnings">Warnings while reading</a></li>
{{- end}}
<li><a href="#about">About this document</a></li>
</ol>
</nav>

<h2 id="findings">Verdict and findings <span class="muted">IEC 62304 5.8</span></h2>
{{- with .R.Errors}}
<p class="bad"><strong>The evaluation could not complete; nothing was judged.</strong></p>
<ul>{{range .}}<li class="bad">{{visible .}}</li>{{end}}</ul>
{{- end}}
{{- if not .Findings}}
<p class="ok">No findings: every rule that applies passed.</p>
{{- else}}
<table class="grid">
<colgroup><col class="w3"><col class="w6"><col class="w12"><col class="w11"><col class="w12"><col class="w35"><col class="w20"></colgroup>
<thead><tr><th class="num">#</th><th>Severity</th><th>Rule</th><th>Clauses</th><th>Subject</th><th>Finding</th><th>Remediation</th></tr></thead>
<tbody>
{{- range .Findings}}
<tr id="{{.Anchor}}" class="{{sevRow .Severity}}"><td class="num">{{.N}}</td><td><span class="tag {{sevClass .Severity}}">{{.Severity}}</span></td><td><strong>{{visible .Rule}}</strong> {{visible .Name}}</td><td>{{range $i, $c := .Clauses}}{{if $i}}
{{end}}{{visible $c}}{{end}}</td><td>{{if .Target}}<a href="#{{.Target}}">{{visible .Subject}}</a>{{else}}{{visible .Subject}}{{end}}</td><td>{{visible .Message}}{{with .Location}}
<span class="muted mono">{{visible .String}}</span>{{end}}</td><td>{{visible .Remediation}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}

<h3 id="rules">Rules</h3>
<table class="grid">
<colgroup><col class="w8"><col class="w30"><col class="w16"><col class="w5"><col class="w10"><col class="w5"><col class="w5"><col class="w5"><col class="w16"></colgroup>
<thead><tr><th>Rule</th><th>Title</th><th>Clauses</th><th>From class</th><th>Outcome</th><th class="num">Findings</th><th class="num">Checked</th><th class="num">N/A</th><th>Why not applicable</th></tr></thead>
<tbody>
{{- range .R.Rules}}
<tr{{if eq .Status "fail"}} class="gap"{{end}}><td><strong>{{visible .Rule}}</strong><br><span class="muted">{{visible .Name}}</span></td><td>{{visible .Title}}</td><td>{{range $i, $c := .Clauses}}{{if $i}}
{{end}}{{visible $c}}{{end}}</td><td>{{.MinClass}}</td><td>{{ruleStatus .Status}}</td><td class="num">{{.Findings}}</td><td class="num">{{.Checked}}</td><td class="num">{{.Skipped}}</td><td>{{visible .Reason}}</td></tr>
{{- end}}
</tbody>
</table>

<h2 id="traceability" class="part">Traceability matrix <span class="muted">IEC 62304 5.1.1, 5.7.4, 7.3.3</span></h2>
{{- with .Matrix.Coverage}}
<ul class="figures">
<li><strong>{{.Percent}}%</strong> of active requirements verified</li>
<li><strong>{{.Active}}</strong> active: <span class="ok">{{.Verified}} verified</span>, {{if .Failed}}<strong class="bad">{{.Failed}} failed</strong>{{else}}0 failed{{end}}, {{if .Unverified}}<strong class="bad">{{.Unverified}} unverified</strong>{{else}}0 unverified{{end}}</li>
<li>{{.Inactive}} inactive</li>
{{- end}}
{{- with .Matrix.Tests}}
<li><strong>{{.Total}}</strong> tests: {{.Passed}} passed, {{if .Failed}}<strong class="bad">{{.Failed}} failed</strong>{{else}}0 failed{{end}}, {{if .Errored}}<strong class="bad">{{.Errored}} errors</strong>{{else}}0 errors{{end}}, {{.Skipped}} skipped</li>
{{- end}}
<li><strong>{{len .Controls}}</strong> risk controls{{if .Counts.ControlsUnverified}}: <strong class="bad">{{.Counts.ControlsUnverified}} not verified</strong>{{end}}</li>
</ul>
{{- if not .Reqs}}
<p class="bad">The design history file holds no requirement.</p>
{{- else}}
<table class="grid">
<colgroup><col class="w22"><col class="w4"><col class="w9"><col class="w11"><col class="w40"><col class="w14"></colgroup>
<thead><tr><th>Requirement</th><th>Class</th><th>Verification</th><th>Risk controls</th><th>Tests and results</th><th>Source</th></tr></thead>
<tbody>
{{- range .Reqs}}
<tr id="{{.Anchor}}"{{if .Gap}} class="gap"{{else if not .Active}} class="inactive"{{end}}><td><strong>{{visible .ID}}</strong> {{visible .Title}}{{if .Parents}}
<span class="muted">parents: {{range $i, $p := .Parents}}{{if $i}}, {{end}}{{visible $p}}{{end}}</span>{{end}}</td><td>{{.Class}}</td><td>{{reqStatus .}}{{if ne .Verification "test"}}
<span class="muted">by {{visible .Verification}}</span>{{end}}{{range .Findings}}
<a class="ref" href="#{{.Anchor}}">{{visible .Rule}} #{{.N}}</a>{{end}}</td><td>{{range $i, $c := .RiskControls}}{{if $i}}
{{end}}<a href="#{{rcAnchor $c}}">{{visible $c}}</a>{{else}}<span class="muted">—</span>{{end}}</td><td>{{if .Tests}}<span class="muted">{{.Passed}} passed{{if .Bad}}, </span><strong class="bad">{{.Bad}} failed</strong><span class="muted">{{end}}{{if .Skipped}}, {{.Skipped}} skipped{{end}}</span>{{range .Tests}}
<span class="mono">{{visible .Name}}</span> {{if .Manual}}<span class="muted">manual</span> {{end}}{{if .Result.Bad}}<span class="tag bad">{{.Result}}</span>{{with .Evaluation}} <span class="muted">evaluated: {{visible .}}</span>{{end}}{{else if eq .Result "passed"}}<span class="ok">passed</span>{{else}}<span class="tag warn">{{.Result}}</span>{{end}}{{end}}{{else if .Evidence}}{{range $i, $e := .Evidence}}{{if $i}}
{{end}}record: <span class="mono">{{visible $e}}</span>{{end}}{{else}}<span class="tag {{if .Active}}bad{{else}}warn{{end}}">no test</span>{{end}}</td><td class="mono">{{pos .Source}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- with .Matrix.External}}
<h3>Items kept outside the repository</h3>
<p>The design history file links to these items of the policy's external namespaces; they are kept in another tool, and their content and verification are not judged here.</p>
<table class="grid">
<thead><tr><th>ID</th><th>Namespace</th><th>Linked from</th></tr></thead>
<tbody>
{{- range .}}
<tr><td class="mono">{{if .URL}}<a href="{{.URL}}">{{visible .ID}}</a>{{else}}{{visible .ID}}{{end}}</td><td>{{visible .Namespace}}</td><td>{{range $i, $f := .From}}{{if $i}}<br>{{end}}{{visible $f}}{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{template "tests" .}}
{{template "srs" .}}
{{template "architecture" .}}

<h2 id="risk" class="part">Risk summary <span class="muted">ISO 14971 5.5, 7, 8; IEC 62304 7</span></h2>
<p>Hazards by estimated severity and probability of harm, before and after risk control, on the risk matrix of the policy; each cell is coloured by the acceptability the policy gives it.</p>
<div class="heat">
{{- range .Heat}}
<figure>
<figcaption>{{.Title}} <span class="muted">({{plural .Placed "hazard" "hazards"}})</span></figcaption>
<svg xmlns="http://www.w3.org/2000/svg" id="heat-{{.Which}}" role="img" aria-label="{{.Title}}: hazards per cell of the risk matrix" viewBox="0 0 {{.W}} {{.H}}" width="{{.W}}" height="{{.H}}">
<title>{{.Title}}</title>
{{- range .Rows}}
<text class="lab" x="{{.Label.X}}" y="{{.Label.Y}}"><title>{{visible .Label.Full}}</title>{{visible .Label.Text}}</text>
{{- range .Cells}}
<g><title>{{visible .Label}}: {{if .Count}}{{.IDs}}{{else}}no hazard{{end}}</title><rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Fill}}" stroke="#ffffff" stroke-width="2"></rect><text class="acc" x="{{.TX}}" y="{{.TY}}">{{.Label}}</text><text class="count{{if not .Count}} zero{{end}}" x="{{.CX}}" y="{{.CY}}">{{.Count}}</text></g>
{{- end}}
{{- end}}
{{- range .Cols}}
<text class="col" x="{{.X}}" y="{{.Y}}"><title>{{visible .Full}}</title>{{visible .Text}}</text>
{{- end}}
<text class="axis" x="{{.AxisX.X}}" y="{{.AxisX.Y}}">{{.AxisX.Text}}</text>
<text class="axis" transform="translate({{.AxisY.X}} {{.AxisY.Y}}) rotate(-90)">{{.AxisY.Text}}</text>
</svg>
{{- with .Unplaced}}
<p class="warn">Not placed: {{range $i, $u := .}}{{if $i}}; {{end}}{{visible $u}}{{end}}</p>
{{- end}}
</figure>
{{- end}}
</div>
<p class="legend"><span style="background:#cdebd3">acceptable</span><span style="background:#ffe2a0">ALARP — reduce as far as possible; needs a benefit-risk justification</span><span style="background:#f4b4ac">unacceptable</span></p>

<h3 id="hazards">Hazards</h3>
{{- if not .Hazards}}
<p class="muted">The risk analysis holds no hazard.</p>
{{- else}}
<table class="grid">
<colgroup><col class="w18"><col class="w24"><col class="w14"><col class="w14"><col class="w16"><col class="w14"></colgroup>
<thead><tr><th>Hazard</th><th>Hazardous situation and harm</th><th>Before control</th><th>After control</th><th>Risk controls</th><th>Source</th></tr></thead>
<tbody>
{{- range .Hazards}}{{$row := .}}
<tr id="{{.Anchor}}"{{if eq .Residual.Acceptability "unacceptable"}} class="gap"{{else if .Unverified}} class="gap-warn"{{end}}><td><strong>{{visible .ID}}</strong> {{visible .Title}}{{with .Text}}
<span class="muted">{{visible .}}</span>{{end}}</td><td>{{with .Situation}}{{visible .}}{{end}}{{with .Harm}}
<em>Harm:</em> {{visible .}}{{end}}{{with .Introducers}}
<em>Introduced by:</em> {{range $i, $r := .}}{{if $i}}, {{end}}<a href="#{{reqAnchor $r}}">{{visible $r}}</a>{{end}}{{end}}</td><td>{{template "r-estimate" .Initial}}</td><td>{{template "r-estimate" .Residual}}{{with .BenefitRisk}}
<span class="muted">benefit-risk: {{visible .}}</span>{{end}}</td><td>{{range $i, $c := .Controls}}{{if $i}}
{{end}}<a href="#{{rcAnchor $c}}">{{visible $c}}</a>{{if isIn $c $row.Unverified}} <span class="tag bad">not verified</span>{{end}}{{else}}<span class="muted">—</span>{{end}}{{range .Findings}}
<a class="ref" href="#{{.Anchor}}">{{visible .Rule}} #{{.N}}</a>{{end}}</td><td class="mono">{{pos .Source}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}

<h3 id="risk-controls">Risk controls <span class="muted">ISO 14971 7.1, 7.2; IEC 62304 7.2, 7.3</span></h3>
{{- if not .Controls}}
<p class="muted">The risk analysis holds no risk control.</p>
{{- else}}
<table class="grid">
<colgroup><col class="w22"><col class="w10"><col class="w10"><col class="w14"><col class="w24"><col class="w8"><col class="w12"></colgroup>
<thead><tr><th>Risk control</th><th>Kind</th><th>Hazards</th><th>Implemented by</th><th>Verifying tests and results</th><th>Verification</th><th>Source</th></tr></thead>
<tbody>
{{- range .Controls}}{{$row := .}}
<tr id="{{.Anchor}}"{{if ne .Status "verified"}} class="gap"{{end}}><td><strong>{{visible .ID}}</strong> {{visible .Title}}</td><td>{{visible .Kind}}</td><td>{{range $i, $h := .Hazards}}{{if $i}}
{{end}}<a href="#{{hazAnchor $h}}">{{visible $h}}</a>{{else}}<span class="muted">—</span>{{end}}</td><td>{{range $i, $r := .Requirements}}{{if $i}}
{{end}}<a href="#{{reqAnchor $r}}">{{visible $r}}</a>{{if isIn $r $row.Unverified}} <span class="tag bad">not verified</span>{{end}}{{else}}<span class="tag bad">no requirement</span>{{end}}</td><td>{{range $i, $t := .Tests}}{{if $i}}
{{end}}<span class="mono">{{visible $t.Name}}</span> {{resultTag $t.Result}} <span class="muted">via {{visible $t.Via}}</span>{{else}}<span class="muted">no test</span>{{end}}</td><td>{{statusTag .Status}}{{range .Findings}}
<a class="ref" href="#{{.Anchor}}">{{visible .Rule}} #{{.N}}</a>{{end}}</td><td class="mono">{{pos .Source}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}

<h2 id="soup" class="part">SOUP list <span class="muted">IEC 62304 8.1.2</span></h2>
{{- if .SOUP}}
<section class="soup">
{{template "soupbody" .SOUP}}
</section>
{{- else}}
<p class="muted">The policy names no SBOM and no SOUP register, and none was given: there is no SOUP list.</p>
{{- end}}

<h2 id="residual-anomalies" class="part">Known residual anomalies <span class="muted">IEC 62304 5.8.2, 5.8.3</span></h2>
{{- if not .Anomalies}}
<p class="ok">None: no problem report is open at the release.</p>
{{- else}}
<p>{{plural (len .Anomalies) "problem report is" "problem reports are"}} open at the release{{with .Cfg.ProblemReports.MaxOpenCriticality}}; the policy allows criticality up to <strong>{{visible .}}</strong>{{end}}.</p>
<table class="grid">
<colgroup><col class="w20">{{range (index .Anomalies 0).Fields}}<col>{{end}}</colgroup>
<thead><tr><th>Problem report</th>{{range (index .Anomalies 0).Fields}}<th>{{visible .Label}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Anomalies}}
<tr id="{{.Anchor}}"{{if .Findings}} class="gap"{{end}}><td><strong>{{if .Link}}<a href="{{.Link}}">{{visible .ID}}</a>{{else}}{{visible .ID}}{{end}}</strong> {{visible .Title}}{{with .Source}}{{if not .IsZero}}
<span class="muted mono">{{visible .String}}</span>{{end}}{{end}}{{range .Findings}}
<a class="ref" href="#{{.Anchor}}">{{visible .Rule}} #{{.N}}</a>{{end}}</td>{{range .Fields}}<td>{{if .Missing}}<span class="tag bad">not stated</span>{{else}}{{visible .Value}}{{end}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
{{- end}}

<h2 id="changes" class="part">Changes since the previous release <span class="muted">IEC 62304 8.2.4, 8.1.3</span></h2>
<p>{{changesIntro .}}</p>
{{- if .Changes}}
<table class="grid">
<colgroup><col class="w9"><col class="w9"><col class="w12"><col class="w30"><col class="w16"><col class="w12"><col class="w5"><col class="w7"></colgroup>
<thead><tr><th>Commit</th><th>Date</th><th>Author</th><th>Subject</th><th>Traces to</th><th>Through</th><th>Pull request</th><th>Traced</th></tr></thead>
<tbody>
{{- range .Changes}}
<tr id="chg-{{.Short}}"{{if not .Traced}} class="gap"{{end}}><td class="mono">{{if .URL}}<a href="{{.URL}}">{{.Short}}</a>{{else}}{{.Short}}{{end}}</td><td>{{day .Date}}</td><td>{{visible .Author}}</td><td>{{visible .Subject}}{{if .Merge}} <span class="muted">(merge)</span>{{end}}</td><td>{{range $i, $l := .Links}}{{if $i}}
{{end}}{{if $l.Href}}<a href="{{$l.Href}}">{{visible $l.Text}}</a>{{else}}{{visible $l.Text}}{{end}}{{else}}<span class="muted">—</span>{{end}}{{range .Approvals}}
<br><span class="muted">{{visible .}}</span>{{end}}</td><td>{{visible .Via}}</td><td>{{range $i, $p := .PRs}}{{if $i}}, {{end}}<a href="{{$p.Href}}">{{$p.Text}}</a>{{else}}<span class="muted">—</span>{{end}}</td><td>{{if .Traced}}<span class="ok">yes</span>{{else}}<span class="tag bad">not traced</span>{{end}}{{range .Findings}}
<a class="ref" href="#{{.Anchor}}">{{visible .Rule}} #{{.N}}</a>{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}

{{template "reviews" .}}

<h2 id="plans">Plans <span class="muted">IEC 62304 5.1, 6.1</span></h2>
{{- if not .Plans}}
<p class="muted">The policy requires no plan.</p>
{{- else}}
<table class="grid">
<colgroup><col class="w30"><col class="w16"><col class="w24"><col class="w30"></colgroup>
<thead><tr><th>Plan</th><th>Clause</th><th>Path in the policy</th><th>Files in the release</th></tr></thead>
<tbody>
{{- range .Plans}}
<tr{{if not .Files}} class="gap"{{end}}><td>{{visible .Name}}</td><td>{{visible .Clause}}</td><td class="mono">{{visible .Path}}</td><td class="mono">{{range $i, $l := .Links}}{{if $i}}
{{end}}{{if $l.Href}}<a href="{{$l.Href}}">{{visible $l.Text}}</a>{{else}}{{visible $l.Text}}{{end}}{{else}}<span class="tag bad">missing</span>{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}

<h2 id="inputs" class="part">Inputs</h2>
<p>Every file the evaluation read, or whose presence it judged, with its SHA-256. The inputs digest, <span class="mono">{{orNone .E.InputsDigest}}</span>, is the SHA-256 of one line per file, sorted by path and then origin: the file's SHA-256, two spaces, its origin, a colon and its path (<span class="mono">&lt;sha256&gt;␣␣&lt;origin&gt;:&lt;path&gt;</span>, a backslash or line break in the path written <span class="mono">\\</span> or <span class="mono">\n</span>). The same inputs give the same digest.</p>
{{- if not .Inputs}}
<p class="bad">No input file was recorded.</p>
{{- else}}
<table class="grid">
<colgroup><col class="w30"><col class="w7"><col class="w12"><col class="w8"><col class="w5"><col class="w6"><col class="w32"></colgroup>
<thead><tr><th>Path</th><th>Origin</th><th>Kind</th><th>Format</th><th class="num">Items</th><th class="num">Bytes</th><th>SHA-256</th></tr></thead>
<tbody>
{{- range .Inputs}}
<tr><td class="mono">{{visible .Path}}</td><td>{{.Origin}}</td><td>{{visible .Kind}}</td><td>{{visible .Format}}</td><td class="num">{{.Items}}</td><td class="num">{{.Size}}</td><td class="mono">{{.SHA256}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- with .Warnings}}

<h2 id="read-warnings">{{plural (len .) "warning" "warnings"}} while reading</h2>
<p>What the readers repaired or skipped: where tracegate read something differently from what a file says.</p>
<ul>
{{- range .}}
<li>{{visible .}}</li>
{{- end}}
</ul>
{{- end}}

<h2 id="about">About this document</h2>
<p>Made by {{.Tool}} from the inputs listed above{{if .R.Policy.File}}, under the policy <span class="mono">{{visible .R.Policy.File}}</span>{{else}}, with the built-in default policy{{end}}. {{dateText .E}} The document reads no clock and no network: the same inputs give the same bytes. It is part of the release evidence bundle, whose <span class="mono">MANIFEST.sha256</span> lists the SHA-256 of every file of the bundle.</p>
{{- with .R.Policy.Defaulted}}
<p>Policy defaults used:</p>
<ul>{{range .}}<li>{{visible .}}</li>{{end}}</ul>
{{- end}}

{{- define "r-estimate"}}{{if or .Severity .Probability}}{{visible .Severity}} × {{visible .Probability}}
{{accTag .Acceptability}}{{else}}<span class="tag warn">not estimated</span>{{end}}{{end}}`

// releaseHTMLTemplate is parsed on first use, not when the binary starts:
// most commands never write HTML.
var releaseHTMLTemplate = sync.OnceValue(func() *template.Template {
	funcs := template.FuncMap{}
	maps.Copy(funcs, releaseHTMLFuncs)
	maps.Copy(funcs, recordsHTMLFuncs)
	t := report.NewHTMLTemplate("release", releaseHTMLBody, funcs)
	template.Must(t.Parse(releaseHTMLHead))
	template.Must(t.New("soupbody").Parse(soupdoc.HTMLBody))
	for _, part := range []string{recordsHTMLHead, controlHTML, srsHTML, testsHTML, architectureHTML, reviewsHTML} {
		template.Must(t.New("").Parse(part))
	}
	return t
})

var releaseHTMLFuncs = template.FuncMap{
	"summary":        (*soupdoc.View).SummaryHTML,
	"releaseSummary": (*releaseView).summaryHTML,
	"verdictText":    verdictText,
	"sevClass":       sevClass,
	"sevRow": func(s gate.Severity) string {
		if s == gate.SevError {
			return "gap"
		}
		if s == gate.SevWarning {
			return "gap-warn"
		}
		return ""
	},
	"ruleStatus": func(s gate.RuleStatus) template.HTML {
		switch s {
		case gate.RuleFailed:
			return `<span class="tag bad">failed</span>`
		case gate.RulePassed:
			return `<span class="ok">passed</span>`
		case gate.RuleNotApplicable:
			return `<span class="muted">not applicable</span>`
		}
		return template.HTML(template.HTMLEscapeString(string(s)))
	},
	"reqStatus": func(r reqRow) template.HTML {
		switch {
		case !r.Active:
			return template.HTML(`<span class="muted">` + template.HTMLEscapeString(string(r.Status)) + ` (inactive)</span>`)
		case r.Status == trace.Verified:
			return `<span class="ok">verified</span>`
		}
		return template.HTML(`<span class="tag bad">` + template.HTMLEscapeString(string(r.Status)) + `</span>`)
	},
	"statusTag": func(s trace.Status) template.HTML {
		if s == trace.Verified {
			return `<span class="ok">verified</span>`
		}
		return template.HTML(`<span class="tag bad">` + template.HTMLEscapeString(string(s)) + `</span>`)
	},
	"accTag": func(acc string) template.HTML {
		switch acc {
		case model.Acceptable:
			return `<span class="tag ok">acceptable</span>`
		case model.ALARP:
			return `<span class="tag warn">ALARP</span>`
		case model.Unacceptable:
			return `<span class="tag bad">unacceptable</span>`
		case "":
			return `<span class="tag warn">not in the matrix</span>`
		}
		return template.HTML(`<span class="tag warn">` + template.HTMLEscapeString(report.VisibleText(acc)) + `</span>`)
	},
	"isIn": func(s string, in []string) bool {
		for _, x := range in {
			if x == s {
				return true
			}
		}
		return false
	},
	"reqAnchor": func(id string) string { return anchor("req", id) },
	"rcAnchor":  func(id string) string { return anchor("rc", id) },
	"hazAnchor": func(id string) string { return anchor("haz", id) },
	"day": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02")
	},
	"orNone": orNone,
	"pos": func(p input.Pos) string {
		if p.IsZero() {
			return ""
		}
		return report.VisibleText(p.String())
	},
	"changesIntro": (*releaseView).changesIntro,
	"dateText":     dateText,
}

// sevClass is the stylesheet's class of a severity.
func sevClass(s gate.Severity) string {
	switch s {
	case gate.SevError:
		return "bad"
	case gate.SevWarning:
		return "warn"
	}
	return ""
}

func verdictText(r *gate.Result) string {
	switch r.Verdict {
	case gate.Pass:
		return "PASS — the release gate passed"
	case gate.Fail:
		return "FAIL — the release gate failed: the release is blocked by the findings below"
	case gate.Error:
		return "ERROR — the evaluation could not complete; this is not a pass"
	}
	return "UNKNOWN VERDICT “" + report.VisibleText(string(r.Verdict)) + "” — treat this as a failure"
}

func (v *releaseView) summaryHTML() []report.HTMLSummaryItem {
	s := v.R.Summary
	out := []report.HTMLSummaryItem{
		{Text: fmt.Sprintf("%s, %s, %s", report.Plural(s.Errors, "error", "errors"), report.Plural(s.Warnings, "warning", "warnings"), report.Plural(s.Notes, "note", "notes")), Flag: s.Errors > 0},
		{Text: fmt.Sprintf("%s, %d failed, %d not applicable", report.Plural(s.RulesChecked, "rule checked", "rules checked"), s.RulesFailed, s.NotApplicable), Flag: s.RulesFailed > 0},
	}
	c := v.Matrix.Coverage
	out = append(out, report.HTMLSummaryItem{Text: fmt.Sprintf("%d of %d active requirements verified (%d%%)", c.Verified, c.Active, c.Percent), Flag: c.Verified < c.Active})
	if v.Counts.ControlsUnverified > 0 {
		out = append(out, report.HTMLSummaryItem{Text: report.Plural(v.Counts.ControlsUnverified, "risk control", "risk controls") + " not verified", Flag: true})
	}
	if v.Counts.HazardsUnacceptable > 0 {
		out = append(out, report.HTMLSummaryItem{Text: report.Plural(v.Counts.HazardsUnacceptable, "hazard", "hazards") + " with an unacceptable residual risk", Flag: true})
	}
	if v.SOUP != nil {
		sc := v.SOUP.Counts
		out = append(out, report.HTMLSummaryItem{Text: fmt.Sprintf("%s, %d not registered", report.Plural(sc.Components, "SOUP component", "SOUP components"), sc.NotRegistered), Flag: sc.NotRegistered > 0})
	}
	out = append(out, report.HTMLSummaryItem{Text: report.Plural(len(v.Anomalies), "known residual anomaly", "known residual anomalies"), Flag: v.Counts.AnomalyGaps > 0})
	out = append(out, report.HTMLSummaryItem{Text: fmt.Sprintf("%s since the previous release, %d not traced", report.Plural(len(v.Changes), "change", "changes"), v.Counts.Untraced), Flag: v.Counts.Untraced > 0})
	return out
}

func (v *releaseView) changesIntro() string {
	s := v.S
	switch {
	case v.F.NoHistory:
		return "The release candidate has no git history here: the changes since the previous release are judged by the gate on the release tag."
	case s.PreviousTag == "":
		return fmt.Sprintf("First release: no earlier tag matches the release tag pattern %q; %s listed for the record.", v.Cfg.Release.TagPattern, report.Plural(len(v.Changes), "commit is", "commits are"))
	}
	return fmt.Sprintf("Since %s (commit %s): %s, %d not traced. Merge commits trace the commits they bring in.", s.PreviousTag, model.ShortSHA(s.PreviousCommit), report.Plural(len(v.Changes), "commit", "commits"), v.Counts.Untraced)
}

// dateText says when the document is dated and why that date.
func dateText(e *ReleaseEvidence) string {
	if e.Generated.IsZero() {
		return "It states no date: there is no commit to take one from, and SOURCE_DATE_EPOCH was not set."
	}
	from := e.GeneratedFrom
	if from == "" {
		from = "the date given"
	}
	return "It is dated " + report.Stamp(e.Generated) + ", " + report.VisibleText(from) + ", not the time it was made, so that it can be made again identically."
}

// WriteHTML writes the release evidence report: one printable,
// self-contained page.
func (d *ReleaseDocuments) WriteHTML(w io.Writer) error {
	v := d.v
	facts := []report.HTMLFact{
		{Label: "Verdict", Value: strings.ToUpper(string(v.R.Verdict)), Flag: v.R.Verdict != gate.Pass},
		{Label: "Evaluated", Value: v.R.Subject},
	}
	if v.F.Commit != "" {
		facts = append(facts, report.HTMLFact{Label: "Commit", Value: v.F.Commit})
	}
	prev := "none (first release)"
	switch {
	case v.F.NoHistory:
		prev = "not judged here (no git history)"
	case v.S.PreviousTag != "":
		prev = v.S.PreviousTag + " (" + v.S.PreviousCommit + ")"
	}
	facts = append(facts,
		report.HTMLFact{Label: "Previous release", Value: prev},
		report.HTMLFact{Label: "Software safety class", Value: string(v.R.SafetyClass)},
	)
	if v.R.Policy.File != "" {
		facts = append(facts, report.HTMLFact{Label: "Policy", Value: v.R.Policy.File})
	} else {
		facts = append(facts, report.HTMLFact{Label: "Policy", Value: "none: built-in defaults", Flag: true})
	}
	facts = append(facts,
		report.HTMLFact{Label: "Inputs digest", Value: "sha256:" + orNone(v.E.InputsDigest) + " (" + report.Plural(len(v.Inputs), "file", "files") + ")"},
		report.HTMLFact{Label: "Tool", Value: v.Tool},
	)
	if v.E.Generated.IsZero() {
		facts = append(facts, report.HTMLFact{Label: "Dated", Value: "not dated (no commit date; SOURCE_DATE_EPOCH not set)", Flag: true})
	} else {
		facts = append(facts, report.HTMLFact{Label: "Dated", Value: report.Stamp(v.E.Generated) + " (" + orNone(v.E.GeneratedFrom) + ")"})
	}
	return report.WriteHTML(w, releaseHTMLTemplate(), report.HTMLPage{Title: v.Title, Facts: facts, Generator: v.Tool, Generated: v.E.Generated, PageFooter: v.Footer, PageLabel: v.Control.ID + " rev " + v.Control.Revision, Body: v})
}

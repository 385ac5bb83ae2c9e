package releasedoc

import (
	"html/template"

	"github.com/tracegate/tracegate/internal/model"
)

// The report's sections for the records an auditor asks for: document
// control and the signature block, the software requirements
// specification, the tests that verify the requirements (and those that
// verify nothing), the architecture view, the review records and the
// release approval. Each is a template of its own, placed by the body.

const recordsHTMLHead = `{{define "records-head"}}
<style>
table.kv th{background:var(--head);width:auto}
table.sig td{vertical-align:middle}
table.sig tr.signed td{height:2.6em}
.docid{margin:.2em 0 .8em}
article.req{margin:.5em 0 .9em;padding:.4em .8em;border-left:3px solid var(--line);break-inside:avoid;page-break-inside:avoid}
article.req.inactive{color:var(--muted)}
article.req h4{margin:0 0 .2em;font-size:1em}
article.req .meta{margin:0 0 .3em;color:var(--muted);font-size:.92em}
article.req .text p{margin:.25em 0}
article.req .text table{border-collapse:collapse;margin:.3em 0}
article.req .text th,article.req .text td{border:1px solid var(--line);padding:2px 5px}
article.req .text pre,pre.raw{white-space:pre-wrap;background:var(--head);padding:.3em .5em;margin:.3em 0}
ul.reviews{margin:0;padding-left:1em}
ul.reviews li{margin:.1em 0}
figure.arch{margin:.5em 0 1em}
figure.arch svg{display:block;max-width:100%;height:auto}
figure.arch svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:12px;fill:#1b1f24}
figure.arch svg text.sub{font-size:10.5px;fill:#3d444d}
figure.arch svg path.edge{fill:none;stroke:#57606a;stroke-width:1.4}
figure.arch svg path.dashed{stroke-dasharray:5 4}
@media print{
 section.control{break-after:page;page-break-after:always}
 section.sigblock{break-inside:avoid;page-break-inside:avoid}
 figure.arch svg,table.sig tr.gap>td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 figure.arch{break-inside:avoid}
 figure.arch svg{max-height:170mm;width:auto}
}
</style>
{{end}}`

const controlHTML = `{{define "control"}}
<section id="control" class="control">
<h2 id="document-control">Document control <span class="muted">ISO 13485 4.2.4, 4.2.5</span></h2>
<table class="grid kv">
<colgroup><col class="w14"><col class="w36"><col class="w14"><col class="w36"></colgroup>
<tbody>
<tr><th>Document ID</th><td class="mono"><strong>{{visible .Control.ID}}</strong></td><th>Revision</th><td class="mono"><strong>{{visible .Control.Revision}}</strong></td></tr>
<tr><th>Title</th><td>{{visible .Title}}</td><th>Supersedes</th><td>{{with .Control.Supersedes}}revision {{visible .}}{{else}}none: a first release{{end}}</td></tr>
<tr><th>Release commit</th><td class="mono">{{orNone .F.Commit}}</td><th>Dated</th><td>{{if .E.Generated.IsZero}}<span class="tag warn">not dated</span>{{else}}{{stamp .E.Generated}} <span class="muted">({{visible .E.GeneratedFrom}})</span>{{end}}</td></tr>
<tr><th>Contains</th><td>the software requirements specification <span class="mono">{{visible .Control.SRSID}}</span> rev <span class="mono">{{visible .Control.Revision}}</span> (<a href="#srs">section</a>)</td><th>Verdict</th><td>{{if eq .R.Verdict "pass"}}<span class="ok">pass</span>{{else}}<span class="tag bad">{{.R.Verdict}}</span>{{end}}</td></tr>
</tbody>
</table>

<section class="sigblock">
<h3 id="signatures">Signature block</h3>
<p>Each signature is read from a record GitHub keeps — the release pull request, its approving reviews on its final head, the release approvals (an approving review by a release approver, or the approval of a protected environment's deployment) — with the commit it concerns and when it was given. A row nobody signed says why.</p>
<table class="grid sig">
<colgroup><col class="w12"><col class="w12"><col class="w14"><col class="w10"><col class="w24"><col class="w28"></colgroup>
<thead><tr><th>Role</th><th>Name</th><th>Date (UTC)</th><th>Commit</th><th>Record</th><th>Meaning of the signature</th></tr></thead>
<tbody>
{{- range .Control.Signatures}}{{$row := .}}
{{- range $i, $s := .Signers}}
<tr class="signed"><td>{{if not $i}}<strong>{{visible $row.Role}}</strong>{{end}}</td><td><strong>{{visible $s.Name}}</strong></td><td>{{if $s.At.IsZero}}<span class="muted">time not recorded</span>{{else}}{{stamp $s.At}}{{end}}</td><td class="mono">{{short $s.Commit}}</td><td>{{if $s.URL}}<a href="{{$s.URL}}">{{visible $s.Record}}</a>{{else}}{{visible $s.Record}}{{end}}</td><td>{{visible $row.Meaning}}</td></tr>
{{- else}}
<tr class="gap"><td><strong>{{visible .Role}}</strong></td><td colspan="4"><span class="tag bad">{{visible .Missing}}</span></td><td>{{visible .Meaning}}</td></tr>
{{- end}}
{{- end}}
</tbody>
</table>
</section>

<h3 id="revisions">Revision history</h3>
<table class="grid">
<colgroup><col class="w12"><col class="w14"><col class="w12"><col class="w8"><col class="w26"><col class="w28"></colgroup>
<thead><tr><th>Revision</th><th>Date (UTC)</th><th>Commit</th><th class="num">Changes</th><th>Records the changes name</th><th>Description</th></tr></thead>
<tbody>
{{- range .Control.History}}
<tr{{if .Current}} class="current"{{end}}><td class="mono">{{if .Current}}<strong>{{visible .Revision}}</strong>{{else}}{{visible .Revision}}{{end}}</td><td>{{stamp .Date}}</td><td class="mono">{{short .Commit}}</td><td class="num">{{.Changes}}</td><td>{{range $i, $r := .Records}}{{if $i}}, {{end}}{{visible $r}}{{else}}<span class="muted">—</span>{{end}}</td><td>{{visible .Description}}</td></tr>
{{- end}}
</tbody>
</table>

<h3 id="documents">Documents of this bundle</h3>
<p>Every document carries the ID and revision below; the CSV tables, which have no room for a heading, are identified here and by the bundle's <span class="mono">MANIFEST.sha256</span>.</p>
<table class="grid">
<colgroup><col class="w22"><col class="w12"><col class="w30"><col class="w36"></colgroup>
<thead><tr><th>Document ID</th><th>Revision</th><th>File</th><th>Title</th></tr></thead>
<tbody>
{{- range .Control.Register}}
<tr><td class="mono">{{visible .ID}}</td><td class="mono">{{visible .Revision}}</td><td class="mono">{{visible .File}}</td><td>{{visible .Title}}</td></tr>
{{- end}}
</tbody>
</table>
</section>
{{end}}`

const srsHTML = `{{define "srs"}}
<h2 id="srs" class="part">Software requirements specification <span class="muted">IEC 62304 5.2</span></h2>
<p class="docid">Document <span class="mono"><strong>{{visible .Control.SRSID}}</strong></span>, revision <span class="mono"><strong>{{visible .Control.Revision}}</strong></span>. Every requirement of the design history file at the release commit with its full text, by software item; its verification is its row of the <a href="#traceability">traceability matrix</a>.</p>
{{- range .SRS}}
<h3 id="{{.Anchor}}">{{if .Item}}Software item {{visible .Item}} <span class="muted">class {{.Class}}{{if not .Known}}, not defined by the policy{{end}}</span>{{else}}Requirements of no software item <span class="muted">system class {{.Class}}</span>{{end}}</h3>
{{- with .Description}}
<p class="muted">{{visible .}}</p>
{{- end}}
{{- range .Reqs}}
<article class="req{{if not .Active}} inactive{{end}}" id="{{.Anchor}}">
<h4><span class="mono">{{visible .ID}}</span> {{visible .Title}}</h4>
<p class="meta">{{with .Type}}{{visible .}} · {{end}}class {{.Class}} · {{with .Requirement.Status}}{{visible .}}{{else}}no state{{end}}{{if not .Active}} (not in force){{end}}{{with .Parents}} · refines {{range $i, $p := .}}{{if $i}}, {{end}}<a href="#{{srsAnchor $p}}">{{visible $p}}</a>{{end}}{{end}}{{with .Children}} · refined by {{range $i, $c := .}}{{if $i}}, {{end}}<a href="#{{srsAnchor $c}}">{{visible $c}}</a>{{end}}{{end}}{{with .Controls}} · implements {{range $i, $c := .}}{{if $i}}, {{end}}<a href="#{{rcAnchor $c}}">{{visible $c}}</a>{{end}}{{end}} · verified by {{visible .Method}}: <a href="#{{.Row}}">{{.Outcome}}</a> · <span class="mono">{{pos .Source}}</span></p>
<div class="text">{{if .Text}}{{.Text}}{{else}}<p class="tag bad">no text</p>{{end}}</div>
</article>
{{- end}}
{{- end}}
{{end}}`

const testsHTML = `{{define "tests"}}
<h3 id="tests">Tests → requirements and risk controls</h3>
<p>The trace read the other way: each test case of the evidence with the requirements it verifies (and how it was linked to them) and the risk controls those requirements implement.</p>
{{- if not .Tests}}
<p class="muted">No test case was kept by name.</p>
{{- else}}
<table class="grid">
<colgroup><col class="w32"><col class="w8"><col class="w22"><col class="w14"><col class="w24"></colgroup>
<thead><tr><th>Test</th><th>Result</th><th>Verifies</th><th>Risk controls</th><th>Source</th></tr></thead>
<tbody>
{{- range .Tests}}
<tr id="{{.Anchor}}"{{if .Result.Bad}} class="gap"{{else if not .Verifies}} class="gap-warn"{{end}}><td class="mono">{{visible .Name}}{{with .Message}}
<span class="muted">{{visible .}}</span>{{end}}</td><td>{{resultTag .Result}}</td><td>{{range $i, $l := .Verifies}}{{if $i}}
{{end}}<a href="#{{reqAnchor $l.ID}}">{{visible $l.ID}}</a> <span class="muted">by {{visible $l.Via}}</span>{{else}}<span class="tag warn">nothing</span>{{end}}</td><td>{{range $i, $c := .Controls}}{{if $i}}, {{end}}<a href="#{{rcAnchor $c}}">{{visible $c}}</a>{{else}}<span class="muted">—</span>{{end}}</td><td class="mono">{{pos .Source}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
<h3 id="verifies-nothing">Tests that verify nothing</h3>
{{- if .Orphans}}
<p>{{plural (len .Orphans) "test case links" "test cases link"}} no requirement:</p>
<ul>
{{- range .Orphans}}
<li><a href="#{{.Anchor}}" class="mono">{{visible .Name}}</a> {{resultTag .Result}}</li>
{{- end}}
</ul>
{{- else}}
<p>Every test case kept by name verifies a requirement.</p>
{{- end}}
{{- with .Unkept}}{{if .Total}}
<p>{{plural .Total "further test case" "further test cases"}} ({{.Passed}} passed, {{.Skipped}} skipped) linked no requirement and were counted, not kept by name: tracegate keeps a test case when it can link a requirement or did not pass, so that memory follows the cases that matter (docs/evidence.md).</p>
{{- end}}{{end}}
{{end}}`

const architectureHTML = `{{define "architecture"}}
<h2 id="architecture" class="part">Software architecture <span class="muted">IEC 62304 5.3, 4.3</span></h2>
<p>The software items of the policy (and any item a requirement names that the policy does not define), each with its safety class, the requirements allocated to it and the SOUP it uses: the register's items, and the components of the SBOMs the policy gives the item, direct or transitive as the SBOM's dependency relations say.</p>
{{- if not .Items}}
<p class="muted">The policy defines no software item, and no requirement names one: the software system is one item of class {{.Cfg.SafetyClass}}.</p>
{{- else}}
{{- with .Arch}}
<figure class="arch">
<svg xmlns="http://www.w3.org/2000/svg" id="architecture-diagram" role="img" aria-label="Software items and the SOUP they use" viewBox="0 0 {{.W}} {{.H}}" width="{{.W}}" height="{{.H}}">
<title>Software items and the SOUP they use</title>
{{- range .Edges}}
<path class="edge{{if .Dashed}} dashed{{end}}" d="{{.Path}}"><title>{{visible .Title}}</title></path>
{{- end}}
{{- range .Items}}
<g><title>{{visible .Full}}</title><rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" rx="4" fill="{{.Fill}}" stroke="#57606a"></rect><text x="{{.TX}}" y="{{.TY}}" font-weight="600">{{visible .Text}}</text><text class="sub" x="{{.TX}}" y="{{.SubY}}">{{visible .Sub}}</text></g>
{{- end}}
{{- range .SOUP}}
<g><title>{{visible .Full}}</title><rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" rx="4" fill="{{.Fill}}" stroke="#57606a"></rect><text x="{{.TX}}" y="{{.TY}}">{{visible .Text}}</text></g>
{{- end}}
</svg>
<figcaption class="muted">Items coloured and labelled by class (C, B, A); a solid line is a direct dependency in the item's SBOM, a dashed line a transitive one, one the SBOM does not state, or one only the SOUP register records.</figcaption>
</figure>
{{- end}}
<table class="grid">
<colgroup><col class="w14"><col class="w5"><col class="w25"><col class="w22"><col class="w34"></colgroup>
<thead><tr><th>Item</th><th>Class</th><th>Description and files</th><th>Requirements allocated</th><th>SOUP used</th></tr></thead>
<tbody>
{{- range .Items}}
<tr id="{{.Anchor}}"><td><strong>{{visible .Name}}</strong>{{if not .Known}}
<span class="tag warn">not defined by the policy</span>{{end}}</td><td>{{.Class}}</td><td>{{visible .Description}}{{with .Paths}}
<span class="muted mono">{{range $i, $p := .}}{{if $i}}, {{end}}{{visible $p}}{{end}}</span>{{end}}</td><td>{{if .Requirements}}{{.Active}} in force of {{len .Requirements}}:
{{range $i, $r := .Requirements}}{{if $i}}, {{end}}<a href="#{{srsAnchor $r}}">{{visible $r}}</a>{{end}}{{else}}<span class="muted">none</span>{{end}}</td><td>{{range $i, $u := .SOUP}}{{if $i}}
{{end}}<strong>{{visible $u.Name}}</strong> {{visible $u.Version}} <span class="muted">{{soupHow $u}}</span>{{else}}<span class="muted">none recorded</span>{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{end}}`

const reviewsHTML = `{{define "reviews"}}
<h2 id="reviews" class="part">Review records <span class="muted">IEC 62304 5.5.5, 8.2.3</span></h2>
<p>{{reviewsIntro .}}</p>
{{- if .PRs}}
<table class="grid">
<colgroup><col class="w18"><col class="w18"><col class="w10"><col class="w36"><col class="w8"><col class="w10"></colgroup>
<thead><tr><th>Pull request</th><th>What it changes</th><th>Final head</th><th>Reviews: reviewer, decision, commit reviewed, when</th><th>Approvals on the final head</th><th>Outcome</th></tr></thead>
<tbody>
{{- range .PRs}}
<tr id="{{.Anchor}}"{{if .Findings}} class="gap"{{end}}><td><strong>{{if .Link}}<a href="{{.Link}}">#{{.Number}}</a>{{else}}#{{.Number}}{{end}}</strong> {{visible .Title}}
<span class="muted">by {{visible .Author}}{{if .Merged}}, merged {{stamp .MergedAt}} as <span class="mono">{{short .MergeCommit}}</span>{{end}}</span></td><td>{{if .Touches}}class {{.Class}}: {{range $i, $t := .Touches}}{{if $i}}; {{end}}{{visible $t}}{{end}}{{else}}<span class="muted">no file of a software item</span>{{end}}</td><td class="mono">{{short .Head}}</td><td>{{if .Reviews}}<ul class="reviews">{{range .Reviews}}<li><strong>{{visible .Reviewer}}</strong> {{reviewState .State}}{{with .Commit}} on <span class="mono">{{short .}}</span>{{end}}{{if not .Submitted.IsZero}} at {{stamp .Submitted}}{{end}} — {{if .Counts}}<span class="ok">counts</span>{{else}}<span class="{{if eq .State "approved"}}tag warn{{else}}muted{{end}}">{{visible .Note}}</span>{{end}}</li>{{end}}</ul>{{else}}<span class="tag {{if .Required}}bad{{else}}warn{{end}}">no review</span>{{end}}{{with .Requested}}
<span class="muted">still requested: {{range $i, $r := .}}{{if $i}}, {{end}}{{visible $r}}{{end}}</span>{{end}}</td><td class="num">{{.Approvals}}{{if .Needed}} of {{.Needed}}{{end}}</td><td>{{if .Findings}}<span class="tag bad">not accepted</span>{{range .Findings}}
<a class="ref" href="#{{.Anchor}}">{{visible .Rule}} #{{.N}}</a>{{end}}{{else if .Required}}<span class="ok">accepted</span>{{else if .Covered}}<span class="ok">approved</span> <span class="muted">(not required)</span>{{else}}<span class="muted">not required</span>{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- if .Unreviewed}}
<h3 id="no-pull-request">Changes that came in by no pull request</h3>
<table class="grid">
<colgroup><col class="w10"><col class="w40"><col class="w20"><col class="w30"></colgroup>
<thead><tr><th>Commit</th><th>Subject</th><th>Author</th><th>Software items it changes</th></tr></thead>
<tbody>
{{- range .Unreviewed}}
<tr{{if .Findings}} class="gap"{{end}}><td class="mono">{{if .URL}}<a href="{{.URL}}">{{.Short}}</a>{{else}}{{.Short}}{{end}}</td><td>{{visible .Subject}}</td><td>{{visible .Author}}</td><td>{{range $i, $t := .Touches}}{{if $i}}, {{end}}{{visible $t}}{{else}}<span class="muted">none</span>{{end}}{{range .Findings}}
<a class="ref" href="#{{.Anchor}}">{{visible .Rule}} #{{.N}}</a>{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}

<h2 id="approval">Release approval <span class="muted">IEC 62304 5.8.6; ISO 13485 8.2.6</span></h2>
{{- with .Approval}}
<p>The policy requires {{plural .Needed "approval" "approvals"}} of the release commit <span class="mono">{{short .Commit}}</span> by {{range $i, $a := .Approvers}}{{if $i}}, {{end}}<strong>{{visible $a}}</strong>{{end}}. An approval means: <em>{{visible .Meaning}}</em></p>
{{- if .Unavailable}}
<p class="bad"><strong>The approval records could not be read:</strong> {{visible .Unavailable}}.</p>
{{- else}}
<p>{{if lt .Count .Needed}}<strong class="bad">{{.Count}} of {{.Needed}} approvals recorded: the release is not approved.</strong>{{else}}<span class="ok">{{.Count}} of {{.Needed}} approvals recorded.</span>{{end}}{{range .Findings}} <a class="ref" href="#{{.Anchor}}">{{visible .Rule}} #{{.N}}</a>{{end}}</p>
{{- if .Approvals}}
<table class="grid">
<colgroup><col class="w12"><col class="w26"><col class="w14"><col class="w10"><col class="w18"><col class="w20"></colgroup>
<thead><tr><th>Approver</th><th>How</th><th>When (UTC)</th><th>Commit approved</th><th>Counts</th><th>Comment</th></tr></thead>
<tbody>
{{- range .Approvals}}
<tr{{if not .Counts}} class="gap-warn"{{end}}><td><strong>{{visible .Approver}}</strong></td><td>{{if .URL}}<a href="{{safe .URL}}">{{visible .Via}}</a>{{else}}{{visible .Via}}{{end}}{{if ne .State "approved"}} <span class="tag bad">{{visible .State}}</span>{{end}}</td><td>{{if .At.IsZero}}<span class="muted">not recorded</span>{{else}}{{stamp .At}}{{end}}</td><td class="mono">{{short .Commit}}</td><td>{{if .Counts}}<span class="ok">yes</span>{{else}}<span class="tag warn">no</span> {{visible .Note}}{{end}}</td><td>{{visible .Comment}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- end}}
{{- else}}
<p class="muted">The policy requires no release approval (release.approval): none was read.</p>
{{- end}}
{{end}}`

// recordsHTMLFuncs are the helpers the records' templates use.
var recordsHTMLFuncs = template.FuncMap{
	"short":     model.ShortSHA,
	"srsAnchor": func(id string) string { return anchor("srs", id) },
	"resultTag": func(o model.Outcome) template.HTML {
		switch {
		case o.Bad():
			return template.HTML(`<span class="tag bad">` + template.HTMLEscapeString(string(o)) + `</span>`)
		case o == model.Passed:
			return `<span class="ok">passed</span>`
		}
		return template.HTML(`<span class="tag warn">` + template.HTMLEscapeString(string(o)) + `</span>`)
	},
	"soupHow":      func(u soupUse) string { return u.how() },
	"reviewState":  reviewState,
	"reviewsIntro": (*releaseView).reviewsIntro,
	"safe":         safeURL,
}

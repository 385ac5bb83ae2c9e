package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
	"unicode"
)

// HTML documents (the SOUP list now; the traceability and risk matrices
// later) share one frame: a self-contained page with its stylesheet inline,
// no scripts, no external assets and a Content-Security-Policy that forbids
// both, so that a page attached to a design history file renders the same
// offline in ten years and cannot run anything it was fed. Each document
// adds a "body" template to the frame (newHTMLTemplate) and renders an
// htmlPage whose Body is its own data.

// HTMLPage is what the frame shows around a document's body.
type HTMLPage struct {
	// Title is the <title> and the page's heading.
	Title string
	// Facts are the label/value pairs under the heading: what the document
	// is about and what it was made from.
	Facts []HTMLFact
	// Generator names the tool in the footer ("tracegate 1.4.0 (abc123)").
	Generator string
	// Generated is when the document was made; zero: not stated.
	Generated time.Time
	// PageFooter, when set, is printed at the foot of every page (CSS
	// paged media margin boxes, with the page number) and closes the
	// page on screen: what identifies a document on each sheet of its
	// printout.
	PageFooter string
	// PageLabel, when set, is printed at the top right of every page: the
	// document's ID and revision.
	PageLabel string
	Body      any
}

// HTMLFact is one line of a document's header. Flag marks a value a reader
// must not miss (a missing input, a lookup not made).
type HTMLFact struct {
	Label, Value string
	Flag         bool
}

// htmlStylesheet is screen and print CSS shared by every HTML document.
// Tables have a fixed layout: each table gives its columns widths with
// <col class="wNN"> (NN percent), so that one 10,000-character value
// wraps inside its column instead of crushing the others. Print: A4
// landscape, table headers repeated on every page, rows never
// split across pages, links printed as text. Flags are shown in words as
// well as in colour, so that a black-and-white print loses nothing.
const htmlStylesheet = `
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--head:#f3f5f7;--bad:#b3261e;--bad-bg:#fdecea;--warn:#8a5a00;--warn-bg:#fff4d6;--ok:#1a7f37;--ok-bg:#e6f4ea}
*{box-sizing:border-box}
html{font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:#fff}
body{margin:0 auto;padding:24px;max-width:1800px}
h1{font-size:1.6em;margin:0 0 .4em}
h2{font-size:1.25em;margin:1.6em 0 .5em;padding-bottom:.2em;border-bottom:1px solid var(--line)}
h3{font-size:1.05em;margin:1.2em 0 .4em}
p{margin:.4em 0}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1.2em;margin:.6em 0 1em}
dl.facts dt{font-weight:600;color:var(--muted)}
dl.facts dd{margin:0}
table.grid{border-collapse:collapse;width:100%;margin:.4em 0 1em;table-layout:fixed}
table.grid th,table.grid td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top;white-space:pre-line;overflow-wrap:anywhere}
table.grid th{overflow-wrap:normal;hyphens:auto}
col.w5{width:5%}col.w8{width:8%}col.w10{width:10%}col.w12{width:12%}col.w14{width:14%}col.w15{width:15%}col.w16{width:16%}col.w18{width:18%}
col.w20{width:20%}col.w22{width:22%}col.w25{width:25%}col.w26{width:26%}col.w30{width:30%}col.w40{width:40%}col.w46{width:46%}
table.grid thead th{background:var(--head);font-weight:600}
table.grid td.num,table.grid th.num{text-align:right;white-space:nowrap}
table.grid caption{caption-side:top;text-align:left;color:var(--muted);padding:0 0 .3em}
ul.plain{margin:0;padding-left:1.1em}
.muted{color:var(--muted)}
.tag{padding:0 .35em;border-radius:3px;font-size:.88em;font-weight:600;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.ok{color:var(--ok)}.tag.ok{background:var(--ok-bg)}
.warn{color:var(--warn)}.tag.warn{background:var(--warn-bg)}
.bad{color:var(--bad)}.tag.bad{background:var(--bad-bg)}
.summary{margin:.6em 0 1em;padding:.6em .8em;border:1px solid var(--line);border-radius:4px;background:var(--head)}
footer{margin-top:2em;padding-top:.6em;border-top:1px solid var(--line);color:var(--muted);font-size:.9em}
@page{size:A4 landscape;margin:12mm 10mm}
@media print{
 html{font-size:9pt}
 body{padding:0;max-width:none}
 thead{display:table-header-group}
 tfoot{display:table-footer-group}
 tr,td,th{break-inside:avoid;page-break-inside:avoid}
 h1,h2,h3{break-after:avoid;page-break-after:avoid}
 table.grid thead th{background:#eee !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .tag{border:1px solid currentColor}
 a{color:inherit;text-decoration:none}
}
`

// HTMLSummaryItem is one part of a document's summary line (the "summary"
// template joins them with " · "); Flag makes it stand out.
type HTMLSummaryItem struct {
	Text string
	Flag bool
}

// htmlFrame is the page every HTML document shares, and the templates any
// body may use: "summary" renders []htmlSummaryItem. Its stylesheet is
// part of the template text, not data: html/template would reject CSS
// passed as a string, and no input ever reaches the <style> element.
const htmlFrame = `{{define "page"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{visible .Generator}}">
<title>{{visible .Title}}</title>
<style>` + htmlStylesheet + `</style>
{{- block "head" .}}{{end}}
{{- if .PageFooter}}
<style>{{pageFooterCSS .PageFooter .PageLabel}}</style>
{{- end}}
</head>
<body>
<header>
<h1>{{visible .Title}}</h1>
{{- if .Facts}}
<dl class="facts">
{{- range .Facts}}
<dt>{{visible .Label}}</dt><dd{{if .Flag}} class="bad"{{end}}>{{visible .Value}}</dd>
{{- end}}
</dl>
{{- end}}
</header>
<main>
{{template "body" .Body}}
</main>
<footer>Generated by {{visible .Generator}}{{if not .Generated.IsZero}} on {{stamp .Generated}}{{end}}.{{with .PageFooter}}<br><span class="mono">{{.}}</span>{{end}}</footer>
</body>
</html>
{{end}}
{{- define "summary"}}<p class="summary">
{{- range $i, $s := .}}{{if $i}} · {{end}}{{if $s.Flag}}<strong class="bad">{{visible $s.Text}}</strong>{{else}}{{visible $s.Text}}{{end}}{{end -}}
</p>{{end}}`

// htmlFuncs are the helpers every HTML document's templates may use.
var htmlFuncs = template.FuncMap{
	"visible":       VisibleText,
	"stamp":         Stamp,
	"plural":        Plural,
	"pageFooterCSS": PageFooterWithLabelCSS,
}

// PageFooterCSS is the paged-media rule that prints footer and the page
// number at the foot of every page. The footer is data in a CSS string,
// which html/template would treat as a URL and refuse ("#ZgotmplZ") once
// it holds a colon, so the rule is built here: every character other than
// an ASCII letter, digit or space is written as a CSS hex escape ("\b7 "),
// so the value can neither end the string nor the style element.
func PageFooterCSS(footer string) template.CSS { return PageFooterWithLabelCSS(footer, "") }

// PageFooterWithLabelCSS is PageFooterCSS with label (a document's ID and
// revision) printed at the top right of every page, escaped alike.
func PageFooterWithLabelCSS(footer, label string) template.CSS {
	var b strings.Builder
	b.WriteString(`@page{@bottom-left{content:"`)
	cssString(&b, footer)
	b.WriteString(`";` + pageMarginFont + `}@bottom-right{content:"page " counter(page) " of " counter(pages);` + pageMarginFont + `white-space:nowrap}`)
	if label != "" {
		b.WriteString(`@top-right{content:"`)
		cssString(&b, label)
		b.WriteString(`";` + pageMarginFont + `white-space:nowrap;vertical-align:bottom;padding:0 0 2mm}`)
	}
	b.WriteString(`}`)
	return template.CSS(b.String())
}

// cssString writes s into a CSS string: every character other than an
// ASCII letter, digit or space as a hex escape.
func cssString(b *strings.Builder, s string) {
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == ' ':
			b.WriteRune(r)
		case r == 0: // CSS has no escape for NUL
			b.WriteString("\\fffd ")
		default:
			fmt.Fprintf(b, "\\%x ", r)
		}
	}
}

const pageMarginFont = "font:7pt system-ui,sans-serif;color:#57606a;vertical-align:top;padding-top:2mm;"

// NewHTMLTemplate returns the frame with body as its "body" template and
// funcs added to htmlFuncs. The frame is parsed once per document type;
// body templates are package constants, so a parse error is a programming
// error and panics at init.
func NewHTMLTemplate(name, body string, funcs template.FuncMap) *template.Template {
	t := template.Must(template.New(name).Funcs(htmlFuncs).Funcs(funcs).Parse(htmlFrame))
	return template.Must(t.New("body").Parse(body))
}

// WriteHTML renders page into a buffer first, so that an error never
// leaves half a document behind.
func WriteHTML(w io.Writer, t *template.Template, page HTMLPage) error {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "page", page); err != nil {
		return fmt.Errorf("rendering HTML: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// VisibleText makes input text safe to show to a reviewer; html/template
// escapes markup afterwards. It does for HTML what mdEscape does for
// Markdown: invalid UTF-8 and control characters become U+FFFD, line
// breaks become "\n" (the stylesheet keeps them), and bidirectional
// controls are shown as ⟨U+202E⟩ so that text cannot reorder what a
// reviewer reads ("Trojan Source", CVE-2021-42574).
func VisibleText(s string) string {
	if isPlainText(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch {
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			b.WriteByte('\n')
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\u2028' || r == '\u2029':
			b.WriteByte('\n')
		case IsBidi(r):
			fmt.Fprintf(&b, "⟨U+%04X⟩", r)
		case unicode.IsControl(r) || r == '\uFEFF':
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlainText reports whether s is printable ASCII, tabs and newlines: the
// common case, which needs no rewriting.
func isPlainText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}

// Stamp renders a document time: UTC, to the second, unambiguous.
func Stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

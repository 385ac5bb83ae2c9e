package releasedoc

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"

	"github.com/tracegate/tracegate/internal/gfm"

	"github.com/tracegate/tracegate/internal/report"
)

// A requirement's text is Markdown (the readers keep it as written), and
// the SRS shows it rendered: paragraphs, lists, emphasis, code and GFM
// tables as the author wrote them. It is input, so it is rendered safely:
// raw HTML is shown as text (never passed through), images as their
// description and address (a document that loads nothing), link targets
// that could run something (javascript:, vbscript:, file:, most data:)
// dropped by goldmark, and control and bidirectional characters made
// visible first, as everywhere in the report.

// markdown is the converter, made on first use.
var markdown = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(gfm.Table, gfm.Strikethrough),
		goldmark.WithRendererOptions(
			html.WithHardWraps(),
			renderer.WithNodeRenderers(util.Prioritized(asText{}, 100)),
		),
	)
})

// renderMarkdown renders input Markdown as HTML that is safe to place in
// the report.
func renderMarkdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := markdown().Convert([]byte(report.VisibleText(src)), &buf); err != nil {
		// goldmark fails only when the writer does; show the text as it is.
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>")
	}
	return template.HTML(buf.String())
}

// asText renders what could load or run something as text: raw HTML
// inline and in blocks, and images.
type asText struct{}

func (asText) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			segs := n.(*ast.RawHTML).Segments
			for i := 0; i < segs.Len(); i++ {
				seg := segs.At(i)
				_, _ = w.Write(util.EscapeHTML(seg.Value(src)))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		b := n.(*ast.HTMLBlock)
		_, _ = w.WriteString(`<pre class="raw">`)
		for i := 0; i < b.Lines().Len(); i++ {
			line := b.Lines().At(i)
			_, _ = w.Write(util.EscapeHTML(line.Value(src)))
		}
		if b.HasClosure() {
			_, _ = w.Write(util.EscapeHTML(b.ClosureLine.Value(src)))
		}
		_, _ = w.WriteString("</pre>\n")
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindImage, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		img := n.(*ast.Image)
		_, _ = w.WriteString(`<span class="muted">[image: `)
		var alt bytes.Buffer
		for c := img.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				alt.Write(t.Segment.Value(src))
			}
		}
		_, _ = w.Write(util.EscapeHTML(alt.Bytes()))
		_, _ = w.WriteString(" — ")
		_, _ = w.Write(util.EscapeHTML(img.Destination))
		_, _ = w.WriteString("]</span>")
		return ast.WalkSkipChildren, nil
	})
}

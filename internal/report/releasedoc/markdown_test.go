package releasedoc

import (
	"strings"
	"testing"
)

// A requirement's Markdown renders as HTML, and nothing in it can run,
// load or hide anything.
func TestRenderMarkdown(t *testing.T) {
	cases := []struct{ in, want, not string }{
		{"The pump **shall** stop.\n\n- a\n- b", "<p>The pump <strong>shall</strong> stop.</p>\n<ul>\n<li>a</li>", ""},
		{"| a | b |\n|---|---|\n| 1 | 2 |", "<table>", ""},
		{"x <script>alert(1)</script> y", "x &lt;script&gt;alert(1)&lt;/script&gt; y", "<script"},
		{"<div onclick=\"x()\">hi</div>", `<pre class="raw">&lt;div onclick=&quot;x()&quot;&gt;hi&lt;/div&gt;`, "<div"},
		{"![pump](https://example.com/p.png)", "[image: pump — https://example.com/p.png]", "<img"},
		{"[click](javascript:alert(1))", `<a href="">click</a>`, "javascript:"},
		{"[spec](https://example.com/spec)", `<a href="https://example.com/spec">spec</a>`, ""},
		{"evil \u202e text", "⟨U+202E⟩", "\u202e"},
		{"line one\nline two", "line one<br>\nline two", ""},
	}
	for _, c := range cases {
		got := string(renderMarkdown(c.in))
		if !strings.Contains(got, c.want) || (c.not != "" && strings.Contains(got, c.not)) {
			t.Errorf("%q:\n%s\nwant %q and not %q", c.in, got, c.want, c.not)
		}
	}
}

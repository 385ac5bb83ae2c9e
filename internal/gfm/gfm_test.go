package gfm

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// samples are Markdown of the shapes the table and strikethrough
// extensions read, and of the shapes near them.
var samples = []string{
	"| a | b |\n|---|---|\n| 1 | 2 |\n",
	"a | b\n--|--\n1 | 2\n3\n",
	"| left | center | right | none |\n|:-----|:------:|------:|------|\n| 1 | 2 | 3 | 4 |\n",
	"| a | b |\n|---|---|\n| `x \\| y` | \\| z |\n| c \\\\| d |\n",
	"| a |\n|---|\n| 1 | 2 | 3 |\n| |\n",
	"| a | b |\n|---|\n| 1 | 2 |\n",
	"| a | b |\n| --- | :-: |\n\n| c |\n|---|\n",
	"text\n| a | b |\n|---|---|\n| 1 | 2 |\n",
	"> | a | b |\n> |---|---|\n> | 1 | 2 |\n",
	"- | a |\n  |---|\n  | 1 |\n",
	"| **bold** | [link](http://x) | ~~gone~~ | ~one~ | ~~~three~~~ |\n|---|---|---|---|---|\n| <b>raw</b> | ![img](x.png) | a~~b~~c | ~~ | x |\n",
	"~~strike~~ and ~single~ and ~~~not~~~ and ~~ unclosed\n",
	"| a | b |\n|---|---|\n```\n| code | block |\n```\n",
	"|a|b|\n|-|-|\n|1|2|\n\n## SOUP\n\n| Name | Version |\n|------|---------|\n| zlib | 1.3.1 |\n",
	"| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\n",
	"|---|---|\n| 1 | 2 |\n",
	"| a | b |\n|---|---x|\n| 1 | 2 |\n",
	"\t| a | b |\n\t|---|---|\n",
	"| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4\n5 | 6 |\n",
	"",
}

// TestSameAsGoldmark: the copy parses and renders every sample, and every
// Markdown file of the repository's test data, exactly as goldmark's own
// extensions do.
func TestSameAsGoldmark(t *testing.T) {
	inputs := map[string][]byte{}
	for i, s := range samples {
		inputs[fmt.Sprintf("sample %d", i)] = []byte(s)
	}
	err := filepath.WalkDir("../../testdata", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			inputs[p] = data
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tables := 0
	for name, src := range inputs {
		want, got := convert(t, src, false), convert(t, src, true)
		if want != got {
			t.Errorf("%s:\ngoldmark: %s\ncopy:     %s", name, want, got)
		}
		tables += strings.Count(got, "Table(")
	}
	if len(inputs) < 30 || tables < 20 {
		t.Fatalf("%d inputs, %d tables: the comparison saw too little", len(inputs), tables)
	}
}

func FuzzSameAsGoldmark(f *testing.F) {
	for _, s := range samples {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if want, got := convert(t, src, false), convert(t, src, true); want != got {
			t.Errorf("goldmark: %s\ncopy:     %s", want, got)
		}
	})
}

// convert parses and renders src with goldmark's extensions or the copy,
// and returns the tree (kinds, alignments, segments) and the HTML.
func convert(t testing.TB, src []byte, copied bool) string {
	t.Helper()
	exts := []goldmark.Extender{extension.Table, extension.Strikethrough}
	if copied {
		exts = []goldmark.Extender{Table, Strikethrough}
	}
	md := goldmark.New(goldmark.WithExtensions(exts...))
	doc := md.Parser().Parse(text.NewReader(src))
	var tree strings.Builder
	_ = gast.Walk(doc, func(n gast.Node, entering bool) (gast.WalkStatus, error) {
		if !entering {
			tree.WriteString(")")
			return gast.WalkContinue, nil
		}
		tree.WriteString(n.Kind().String() + "(")
		if c, ok := n.(*east.TableCell); ok {
			fmt.Fprintf(&tree, "%v ", c.Alignment)
		}
		if n.Type() == gast.TypeBlock {
			for i := 0; i < n.Lines().Len(); i++ {
				s := n.Lines().At(i)
				fmt.Fprintf(&tree, "%d-%d ", s.Start, s.Stop)
			}
		}
		return gast.WalkContinue, nil
	})
	var html bytes.Buffer
	if err := md.Renderer().Render(&html, src, doc); err != nil {
		t.Fatal(err)
	}
	return tree.String() + "\n" + html.String()
}

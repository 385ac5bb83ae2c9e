// Package reporttest holds what the document packages' tests share: a
// checker of the HTML pages they write, and text a hostile input can hold.
package reporttest

import (
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// Shape is what CheckHTML learnt about a page.
type Shape struct {
	Tags map[string]int // start tags by name
	Text string         // the text a reader sees, entities decoded
}

// htmlAllowed are the elements tracegate's pages are made of, and the
// attributes they may carry. Anything else in a page came from its input.
var (
	htmlAllowedTags = map[string]bool{"html": true, "head": true, "meta": true, "title": true, "style": true, "body": true, "header": true,
		"main": true, "footer": true, "h1": true, "h2": true, "h3": true, "p": true, "dl": true, "dt": true, "dd": true, "table": true,
		"colgroup": true, "col": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true, "ul": true, "li": true, "span": true, "strong": true}
	htmlAllowedAttrs = map[string]bool{"lang": true, "charset": true, "http-equiv": true, "content": true, "name": true, "class": true, "id": true, "colspan": true}
	htmlVoid         = map[string]bool{"meta": true, "col": true}
)

// CheckHTML tokenizes a page and fails unless it is well formed: one
// doctype, only the elements and attributes tracegate writes, every
// element closed in order, no comments.
func CheckHTML(t testing.TB, page string) Shape {
	t.Helper()
	if !strings.HasPrefix(page, "<!DOCTYPE html>\n") {
		t.Fatalf("the page does not start with a doctype: %.40q", page)
	}
	shape := Shape{Tags: map[string]int{}}
	var text strings.Builder
	var stack []string
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if !errors.Is(z.Err(), io.EOF) {
				t.Fatalf("tokenizer: %v", z.Err())
			}
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			if !htmlAllowedTags[tok.Data] {
				t.Fatalf("element <%s> is not one tracegate writes", tok.Data)
			}
			for _, a := range tok.Attr {
				if !htmlAllowedAttrs[a.Key] {
					t.Fatalf("<%s> has attribute %q", tok.Data, a.Key)
				}
			}
			shape.Tags[tok.Data]++
			if tt == html.StartTagToken && !htmlVoid[tok.Data] {
				stack = append(stack, tok.Data)
			}
		case html.EndTagToken:
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				t.Fatalf("</%s> closes %v", tok.Data, stack)
			}
			stack = stack[:len(stack)-1]
		case html.TextToken:
			if len(stack) == 0 || stack[len(stack)-1] != "style" {
				text.WriteString(tok.Data)
			}
		case html.CommentToken:
			t.Fatalf("comment in the page: %q", tok.Data)
		}
	}
	if len(stack) != 0 {
		t.Fatalf("elements left open: %v", stack)
	}
	shape.Text = text.String()
	return shape
}

// Hostile is text a design history file can hold that must reach a reader
// as text: markup, an attribute break-out, a formula, a bidirectional
// override, a NUL.
const Hostile = "<script>alert(1)</script>\"' onmouseover=x =HYPERLINK(\"http://evil\") \u202Egnp.exe\x00"

// HostileLine is text that must stay one field of one line whatever the
// medium: a line break that starts a workflow command on the next line, a
// carriage return (a line break to a CI runner), the legacy command form,
// a terminal escape, a bidirectional override, a Markdown image and link,
// HTML, and a spreadsheet formula.
const HostileLine = "=cmd|' /C calc'!A0 x\n::error file=a::pwned\r::warning::cr ##[error]legacy \x1b[2J\u202Eevil ![p](https://evil.example/p.png) [l](javascript:alert(1)) <img src=x onerror=alert(1)> `tick`"

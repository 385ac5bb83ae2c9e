package testtag

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/tracegate/tracegate/internal/input"
)

// goFile reads the tags of a Go file with go/parser. A tag belongs to the
// function whose doc comment or body holds it, and inside a body to the
// subtest whose t.Run literal holds it, or whose t.Run call the comment sits
// directly above, when the subtest's name is a string literal. Where the
// name is computed (table tests) the tag stays with the enclosing test,
// which links every one of its subtests anyway.
func (s *scan) goFile(src []byte) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, s.file, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	var funcs []*ast.FuncDecl
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			funcs = append(funcs, fd)
		}
	}
	for _, cg := range f.Comments {
		lines := commentLines(fset, cg)
		var fn string
		resolved := false
		for i, l := range lines {
			for _, h := range findTags(l.text) {
				text := h.rest
				for j := i; !h.ketryx && continued(text) && j+1 < len(lines) && j < i+maxContinued; j++ {
					text += " " + lines[j+1].text
				}
				pos := input.Pos{File: s.file, Line: l.line, Col: l.col + h.col}
				if !resolved {
					fn, resolved = goFunction(fset, funcs, cg), true
				}
				if fn == "" {
					s.warn(pos, "Verifies tag is not in or on a function; it links nothing (put it in the doc comment or the body of the test function)")
					continue
				}
				s.add(fn, h, text, pos)
			}
		}
	}
	return nil
}

// cline is one line of comment text with its position.
type cline struct {
	line, col int // of the text's first byte; col is 1-based
	text      string
}

// commentLines splits a comment group into lines of text, keeping the
// comment markers so that columns stay those of the file.
func commentLines(fset *token.FileSet, cg *ast.CommentGroup) []cline {
	var out []cline
	for _, c := range cg.List {
		p := fset.Position(c.Slash)
		for k, t := range strings.Split(c.Text, "\n") {
			col := 1
			if k == 0 {
				col = p.Column
			}
			out = append(out, cline{line: p.Line + k, col: col, text: t})
		}
	}
	return out
}

// goFunction returns the name a tag in cg belongs to, or "".
func goFunction(fset *token.FileSet, funcs []*ast.FuncDecl, cg *ast.CommentGroup) string {
	for _, fd := range funcs {
		if fd.Doc == cg {
			return fd.Name.Name
		}
		if cg.Pos() < fd.Pos() || cg.End() > fd.End() {
			continue
		}
		name := fd.Name.Name
		if fd.Body == nil || cg.Pos() < fd.Body.Lbrace {
			return name // between func and {
		}
		return name + subtestPath(fset, fd.Body, cg)
	}
	return ""
}

// run is one t.Run(name, func(…) {…}) call.
type run struct {
	name   string
	static bool
	call   *ast.CallExpr
	lit    *ast.FuncLit
}

// subtestPath returns "/sub/subsub" for a comment inside (or directly above)
// t.Run literals with static names, Go's way: spaces become underscores.
func subtestPath(fset *token.FileSet, body *ast.BlockStmt, cg *ast.CommentGroup) string {
	var runs []run
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 2 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Run" {
			return true
		}
		lit, ok := call.Args[1].(*ast.FuncLit)
		if !ok {
			return true
		}
		r := run{call: call, lit: lit}
		if bl, ok := call.Args[0].(*ast.BasicLit); ok && bl.Kind == token.STRING {
			if v, err := strconv.Unquote(bl.Value); err == nil {
				r.name, r.static = v, true
			}
		}
		runs = append(runs, r)
		return true
	})
	var chain []run
	for _, r := range runs {
		if r.lit.Body.Lbrace < cg.Pos() && cg.End() <= r.lit.Body.Rbrace {
			chain = append(chain, r)
		}
	}
	sort.Slice(chain, func(i, j int) bool { return chain[i].lit.Pos() < chain[j].lit.Pos() })
	path := ""
	lo, hi := body.Lbrace, body.Rbrace
	for _, r := range chain {
		if !r.static {
			return path
		}
		path += "/" + rewrite(r.name)
		lo, hi = r.lit.Body.Lbrace, r.lit.Body.Rbrace
	}
	// A comment right above a t.Run call documents that subtest.
	next := fset.Position(cg.End()).Line + 1
	for _, r := range runs {
		if r.call.Pos() > cg.End() && r.call.Pos() > lo && r.call.End() <= hi && fset.Position(r.call.Pos()).Line == next {
			if r.static {
				path += "/" + rewrite(r.name)
			}
			break
		}
	}
	return path
}

// rewrite is testing's rewrite of a subtest name: spaces become
// underscores, unprintable runes their Go escapes.
func rewrite(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			b.WriteByte('_')
		case !strconv.IsPrint(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// parseError returns the position and message of the first error of a Go
// parse.
func parseError(file string, err error) (input.Pos, string) {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return input.Pos{File: file, Line: list[0].Pos.Line, Col: list[0].Pos.Column}, list[0].Msg
	}
	return input.Pos{File: file}, err.Error()
}

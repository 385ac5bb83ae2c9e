package testtag

import (
	"path"
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
)

// The line scanner, for languages other than Go.
//
// It lexes the file (comments, strings, brackets), finds definitions with
// one regular expression per language on code lines, and gives each a
// scope: its brackets (a function's { } body; an it('…', …) call's
// parentheses) or, in Python, its indented block. A tag then belongs to
//
//  1. the definition around it, when the tag is in a comment that documents
//     its surroundings: a Rust inner doc comment (//!, /*!) or a Python
//     docstring that opens a def's or class's body;
//  2. else the definition its comment documents: the next definition, in
//     the same scope, with only blank lines, comments and annotations
//     (@Test, @pytest.mark.…, #[test]) between — in Python also at the
//     tag's own indentation;
//  3. else the test or group on whose line a trailing comment sits
//     (test('x', () => {}); // Verifies: …);
//  4. else the innermost test whose scope holds the tag.
//
// A test class, describe block or module gives its tag to every test inside
// it. A tag in a class or describe body that is on none of its tests, in a
// function that is not a test, or outside any definition is reported and
// links nothing: giving it to a whole class would claim more than the
// author wrote.
//
// Limits: definitions are recognised line by line, so a signature split
// over lines before the test's name is not seen (annotations on lines of
// their own are fine); JavaScript regular expression literals holding
// quotes, C preprocessor tricks and test-generating macros other than
// GoogleTest's and Catch2's are not understood; a Rust file's module path is
// taken from its file path (src/a/b.rs → a::b), not from #[path]; jest
// titles with ${…} or printf placeholders (it.each) are kept as written and
// will not match the report; JUnit 5 @DisplayName is not applied.

// def is one definition with its extent.
type def struct {
	name       string
	kind       int
	start, end int // byte offsets; the scope is [start, end]
	line       int // 0-based line of start
	indent     int // Python: the def line's indentation
	parent     *def
	index      int // position in file.defs
}

// file is a lexed source with its definitions, indexed so that attaching a
// tag costs a binary search, not a pass over the file: a generated test file
// can hold tens of thousands of tests.
type file struct {
	x      *lexed
	l      *lang
	defs   []*def // by start
	starts []int
	// nextBad[n] is the first line at or after n that holds code other
	// than annotations: a comment documents a definition only when no such
	// line stands between them.
	nextBad []int
	tests   map[*def][]*def // testsIn, memoised
	names   map[*def]string // qualified, memoised
}

func (s *scan) generic(src []byte, l *lang) *file {
	x := lex(string(src), l)
	f := &file{x: x, l: l, defs: findDefs(x, l), tests: map[*def][]*def{}, names: map[*def]string{}}
	for i, d := range f.defs {
		d.index = i
		f.starts = append(f.starts, d.start)
	}
	f.nextBad = badLines(x)
	prefix := ""
	if l.name == "rust" {
		prefix = rustModulePath(s.file)
	}
	for n := range x.lines {
		start, end := x.lines[n], x.lineEnd(n)
		for k := start; k < end; {
			c := x.class[k]
			if c != comment && !(c == docstr && l.docStrings) {
				k++
				continue
			}
			// A run of comment text on this line.
			e := k
			for e < end && x.class[e] == c {
				e++
			}
			for _, h := range findTags(x.src[k:e]) {
				text := h.rest
				for m := n + 1; !h.ketryx && continued(text) && m < len(x.lines) && m <= n+maxContinued; m++ {
					more := commentText(x, m, l)
					if strings.TrimSpace(more) == "" {
						break // a continuation is a comment line
					}
					text += " " + more
				}
				pos := input.Pos{File: s.file, Line: n + 1, Col: k - start + h.col + 1}
				s.attach(f, k+h.col, n, h, text, pos, prefix)
			}
			k = e
		}
	}
	return f
}

// commentText returns the comment text of line m, for a continued tag.
func commentText(x *lexed, m int, l *lang) string {
	var b strings.Builder
	for k := x.lines[m]; k < x.lineEnd(m); k++ {
		if c := x.class[k]; c == comment || c == docstr && l.docStrings {
			b.WriteByte(x.src[k])
		}
	}
	return b.String()
}

// maxTags bounds the tags of one file: a tag on a class gives one tag per
// test in it, and a hostile file must not turn that into millions.
const maxTags = 100000

// attach gives the tag at offset off (line n) to its definition.
func (s *scan) attach(f *file, off, n int, h tagHit, text string, pos input.Pos, prefix string) {
	encl := f.enclosing(off)
	var target *def
	switch {
	case f.innerDoc(encl, off):
		// //! in Rust, a docstring opening a Python body: the enclosing
		// definition itself.
		if encl == nil {
			s.warn(pos, "%s", f.notOnTest())
			return
		}
		target = encl
	default:
		if d := f.documented(encl, off, n); d != nil {
			target = d
		} else if d := f.sameLine(encl, off, n); d != nil {
			target = d // test('x', () => {}); // Verifies: SRS-1
		} else {
			for d := encl; d != nil; d = d.parent {
				if d.kind == kTest {
					target = d
					break
				}
			}
		}
		switch {
		case target != nil:
		case encl == nil:
			s.warn(pos, "%s", f.notOnTest())
			return
		case encl.kind == kGroup:
			// In a class or describe body but on none of its tests: giving
			// it to every test would claim more than the author wrote.
			s.warn(pos, "Verifies tag is inside %s but not on one of its tests; it links nothing (put it right above a test, or above %s for all of its tests)", encl.name, encl.name)
			return
		default:
			s.warn(pos, "Verifies tag is in %s, which is not a test; it links nothing", encl.name)
			return
		}
	}
	var tests []*def
	switch {
	case target.kind == kOther:
		s.warn(pos, "Verifies tag documents %s, which is not a test; it links nothing", target.name)
		return
	case target.kind == kGroup:
		tests = f.testsIn(target)
		if len(tests) == 0 {
			s.warn(pos, "Verifies tag is on %s, which holds no test; it links nothing", target.name)
			return
		}
	default:
		tests = []*def{target}
	}
	for _, t := range tests {
		name := f.qualified(t, prefix)
		if strings.TrimSpace(t.name) == "" {
			s.warn(pos, "Verifies tag is on a test without a name; it links nothing")
			continue
		}
		if len(s.tags) >= maxTags {
			s.warn(pos, "more than %d tags in the file; this one and the rest are not read", maxTags)
			return
		}
		s.add(name, h, text, pos)
	}
}

// notOnTest is the warning for a tag outside any definition.
func (f *file) notOnTest() string {
	if f.l == unknownLang {
		return "Verifies tag in a file whose language tracegate does not know; it links nothing (tags are read in Go, Python, Java, Kotlin, JavaScript/TypeScript, C/C++ and Rust test sources)"
	}
	return "Verifies tag is not on or in a " + f.l.name + " test; it links nothing (put it in the comment right above the test, or in its body)"
}

// innerDoc reports whether the tag at off is in a comment that documents
// the definition around it rather than the next one: a Rust inner doc
// comment (//!, /*!), or a Python docstring that opens its def's or class's
// body.
func (f *file) innerDoc(encl *def, off int) bool {
	sp, ok := f.x.spanAt(off)
	if !ok {
		return false
	}
	text := f.x.src[sp.start:sp.end]
	if f.l.name == "rust" {
		return strings.HasPrefix(text, "//!") || strings.HasPrefix(text, "/*!")
	}
	if f.x.class[sp.start] != docstr {
		return false
	}
	if encl == nil {
		return true // a module docstring
	}
	return sp.start > encl.start && f.nextBad[encl.line+1] >= f.x.lineOf(sp.start)
}

// enclosing returns the innermost definition whose scope holds off. Scopes
// nest, so it is the last definition starting at or before off, or one of
// its ancestors.
func (f *file) enclosing(off int) *def {
	i := sort.SearchInts(f.starts, off+1) - 1
	if i < 0 {
		return nil
	}
	for d := f.defs[i]; d != nil; d = d.parent {
		if d.end >= off {
			return d
		}
	}
	return nil
}

// documented returns the definition that the comment holding the tag
// documents: the first definition after it, if it is in the same scope and
// only blanks, comments and annotations stand between them.
func (f *file) documented(encl *def, off, n int) *def {
	i := sort.SearchInts(f.starts, off+1)
	if i >= len(f.defs) {
		return nil
	}
	d := f.defs[i]
	if d.parent != encl {
		return nil
	}
	if f.l.indent && d.indent != indentOf(f.x, n) {
		return nil
	}
	if n+1 < len(f.nextBad) && f.nextBad[n+1] < d.line {
		return nil
	}
	return d
}

// sameLine returns the last test or group that starts on line n before
// off, in the tag's scope: a trailing comment documents its line.
func (f *file) sameLine(encl *def, off, n int) *def {
	for i := sort.SearchInts(f.starts, off) - 1; i >= 0 && f.defs[i].line == n; i-- {
		if d := f.defs[i]; d.parent == encl && d.kind != kOther {
			return d
		}
	}
	return nil
}

// badLines computes nextBad: lines that hold code other than annotations
// (@Name, @Name(…), #[…]) and blanks.
func badLines(x *lexed) []int {
	bad := make([]bool, len(x.lines))
	for k := 0; k < len(x.src); k++ {
		if x.class[k] != code {
			continue
		}
		switch c := x.src[k]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		case c == '@':
			k++
			for k < len(x.src) && (isWord(x.src[k]) || x.src[k] == '.') {
				k++
			}
			if k < len(x.src) && x.src[k] == '(' {
				k = x.closing(k)
			} else {
				k--
			}
		case c == '#' && k+1 < len(x.src) && (x.src[k+1] == '[' || x.src[k+1] == '!'):
			if o := x.next(k, x.lineEnd(x.lineOf(k)), "["); o >= 0 {
				k = x.closing(o)
			}
		default:
			n := x.lineOf(k)
			bad[n] = true
			k = x.lineEnd(n)
		}
	}
	next := make([]int, len(x.lines)+1)
	next[len(x.lines)] = len(x.lines)
	for n := len(x.lines) - 1; n >= 0; n-- {
		if bad[n] {
			next[n] = n
		} else {
			next[n] = next[n+1]
		}
	}
	return next
}

func isWord(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// indentOf returns the indentation of line n.
func indentOf(x *lexed, n int) int {
	i := 0
	for k := x.lines[n]; k < x.lineEnd(n) && (x.src[k] == ' ' || x.src[k] == '\t'); k++ {
		i++
	}
	return i
}

// testsIn returns the tests inside a group, in order: scopes nest, so
// they are the definitions that start within the group's scope.
func (f *file) testsIn(g *def) []*def {
	if ts, ok := f.tests[g]; ok {
		return ts
	}
	var out []*def
	for _, d := range f.defs[g.index+1:] {
		if d.start > g.end {
			break
		}
		if d.kind == kTest {
			out = append(out, d)
		}
	}
	f.tests[g] = out
	return out
}

// qualified returns the name a test report shows for d: pytest and JUnit
// name a method Class.method (the class name as the report's classname
// ends in it; nested Java classes Outer$Inner), jest joins describe titles
// and the test title with spaces, nextest names a Rust test by its module
// path. Names are memoised: a group's tag asks for every test in it.
func (f *file) qualified(d *def, prefix string) string {
	if q, ok := f.names[d]; ok {
		return q
	}
	var groups []string // innermost first
	for p := d.parent; p != nil; p = p.parent {
		if p.kind == kGroup {
			groups = append(groups, p.name)
		}
	}
	rev := func(ss []string) []string {
		out := make([]string, 0, len(ss)+1)
		for i := len(ss) - 1; i >= 0; i-- {
			out = append(out, ss[i])
		}
		return out
	}
	name := d.name
	switch f.l.name {
	case "javascript":
		name = strings.Join(append(rev(groups), d.name), " ")
	case "rust":
		parts := rev(groups)
		if prefix != "" {
			parts = append([]string{prefix}, parts...)
		}
		name = strings.Join(append(parts, d.name), "::")
	case "java", "kotlin":
		if len(groups) > 0 {
			name = strings.Join(rev(groups), "$") + "." + d.name
		}
	case "python":
		if len(groups) > 0 {
			name = groups[0] + "." + d.name
		}
	}
	f.names[d] = name
	return name
}

// findDefs finds the definitions of a file and their scopes.
func findDefs(x *lexed, l *lang) []*def {
	var defs []*def
	for n := range x.lines {
		if x.classAt(x.lines[n]) == str || x.classAt(x.lines[n]) == docstr {
			continue
		}
		line := x.codeLine(n)
		if strings.TrimSpace(line) == "" {
			continue
		}
		for _, m := range l.defs(line, preamble(x, n)) {
			// A definition starts where its line does (modifiers and
			// annotations included), a call where its name is.
			start := x.lines[n] + indentOf(x, n)
			if m.call {
				start = x.lines[n] + m.col
			}
			if start >= len(x.src) || x.classAt(start) != code {
				continue
			}
			d := &def{name: m.name, kind: m.kind, start: start, line: n, indent: indentOf(x, n)}
			switch {
			case l.indent:
				// set by pyBlocks below
			case m.call:
				open := x.next(start, x.lineEnd(n), "(")
				if open < 0 {
					continue
				}
				d.end = x.closing(open)
			default:
				d.end = bodyEnd(x, start)
			}
			defs = append(defs, d)
		}
	}
	sort.SliceStable(defs, func(i, j int) bool { return defs[i].start < defs[j].start })
	if l.indent {
		pyBlocks(x, defs)
	}
	var stack []*def
	kept := defs[:0]
	for _, d := range defs {
		for len(stack) > 0 && stack[len(stack)-1].end < d.start {
			stack = stack[:len(stack)-1]
		}
		if len(stack) >= maxDepth {
			continue // see maxDepth
		}
		if len(stack) > 0 {
			d.parent = stack[len(stack)-1]
		}
		stack = append(stack, d)
		kept = append(kept, d)
	}
	return kept
}

// maxDepth bounds how deep definitions nest. Real tests nest a few levels
// (describe in describe, a class in a class); an unclosed bracket can make
// every later definition nest in the one before, and the bound keeps such a
// file from costing time in the square of its size. Deeper definitions are
// not seen, and a tag on one is reported as on no test.
const maxDepth = 100

// bodyEnd returns the end of a brace definition's body: the partner of the
// first { after its signature, or the definition's own line when a ; comes
// first (a declaration without a body).
func bodyEnd(x *lexed, start int) int {
	k := start
	if p := x.next(start, x.lineEnd(x.lineOf(start)), "("); p >= 0 {
		k = x.closing(p)
	}
	b := x.next(k, x.lineEnd(x.lineOf(k)+1), "{;")
	// No body: a declaration (;), or an expression body (Kotlin's
	// fun x() = …) whose next { belongs to something further down.
	if b < 0 || x.src[b] == ';' {
		return x.lineEnd(x.lineOf(start))
	}
	return x.closing(b)
}

// pyBlocks sets the end of each Python def and class: the last line, after
// it, that holds code indented deeper, a comment indented deeper, or the
// inside of a string, before the first code line indented as deep or less.
// One pass over the lines with a stack of open blocks: a line that belongs
// to a block belongs to every block around it, so a block's last line is
// handed to its parent when it closes.
func pyBlocks(x *lexed, defs []*def) {
	type open struct {
		d    *def
		last int
	}
	var stack []open
	closeTo := func(indent int) {
		for len(stack) > 0 && stack[len(stack)-1].d.indent >= indent {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			top.d.end = x.lineEnd(top.last)
			if len(stack) > 0 && top.last > stack[len(stack)-1].last {
				stack[len(stack)-1].last = top.last
			}
		}
	}
	di := 0
	for m := range x.lines {
		if x.classAt(x.lines[m]) == str || x.classAt(x.lines[m]) == docstr {
			if len(stack) > 0 {
				stack[len(stack)-1].last = m
			}
			continue
		}
		if strings.TrimSpace(x.src[x.lines[m]:x.lineEnd(m)]) == "" {
			continue
		}
		ind := indentOf(x, m)
		if strings.TrimSpace(x.codeLine(m)) == "" {
			// A comment: part of the deepest block it is indented under.
			i := sort.Search(len(stack), func(i int) bool { return stack[i].d.indent >= ind }) - 1
			if i >= 0 {
				stack[i].last = m
			}
			continue
		}
		closeTo(ind)
		if len(stack) > 0 {
			stack[len(stack)-1].last = m
		}
		for di < len(defs) && defs[di].line == m {
			stack = append(stack, open{d: defs[di], last: m})
			di++
		}
	}
	closeTo(-1)
}

// preamble returns the annotation lines right above line n (for @Test,
// #[test]).
func preamble(x *lexed, n int) string {
	var b []string
	for m := n - 1; m >= 0 && n-m <= 20; m-- {
		t := strings.TrimSpace(x.codeLine(m))
		switch {
		case t == "":
		case strings.HasPrefix(t, "@") || strings.HasPrefix(t, "#[") || strings.HasPrefix(t, ")") || strings.HasPrefix(t, "]"):
			b = append(b, t)
		default:
			return strings.Join(b, "\n")
		}
	}
	return strings.Join(b, "\n")
}

// rustModulePath is the module path of a Rust file within its crate, from
// the file's path: src/lib.rs and src/main.rs, tests/x.rs, benches/x.rs and
// examples/x.rs are crate roots; src/a/mod.rs and src/a.rs are a; src/a/b.rs
// is a::b.
func rustModulePath(file string) string {
	segs := strings.Split(file, "/")
	for i := len(segs) - 2; i >= 0; i-- {
		switch segs[i] {
		case "tests", "benches", "examples":
			if i == len(segs)-2 {
				return ""
			}
		case "src":
			rest := segs[i+1:]
			last := strings.TrimSuffix(rest[len(rest)-1], path.Ext(rest[len(rest)-1]))
			rest = append(append([]string{}, rest[:len(rest)-1]...), last)
			if len(rest) == 1 && (last == "lib" || last == "main") {
				return ""
			}
			if last == "mod" {
				rest = rest[:len(rest)-1]
			}
			if len(rest) > 0 && rest[0] == "bin" {
				return ""
			}
			return strings.Join(rest, "::")
		}
	}
	return ""
}

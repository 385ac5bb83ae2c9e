package soupreg

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// edit says where Sync puts the new entries. It removes at most one token
// (the [] of an empty flow list, or an explicit null) and inserts one block
// of lines; every other byte of the file stays as it was.
type edit struct {
	cut   [2]int // bytes removed; cut[0] == cut[1] when none
	at    int    // where the block goes, at a line start (or the end); at >= cut[1]
	style style
	// wrap puts "soup:" above the entries: the file holds no register yet.
	wrap bool
	// replace says the cut is a whole line, which the entries replace.
	replace bool
}

// nodeError is a reason Sync cannot edit the register, at the node it is
// about.
type nodeError struct {
	line, col int
	msg       string
}

func (e *nodeError) Error() string { return e.msg }

func errAt(n *yaml.Node, format string, args ...any) error {
	return &nodeError{line: n.Line, col: n.Column, msg: fmt.Sprintf(format, args...)}
}

// errFlow is returned for lists that Sync cannot append to without
// rewriting them.
func errFlow(n *yaml.Node, what string) error {
	return errAt(n, "%s is written in flow style ([a, b]); sync appends entries only to a block list, one \"- \" entry per line, and will not rewrite yours: convert it and run sync again", what)
}

// plan finds where entries go in the register r read from t.
func plan(t *text, r *register) (edit, error) {
	root := r.root
	if root == nil {
		return edit{at: len(t.data), style: defaultStyle, wrap: true}, nil
	}
	switch root.Kind {
	case yaml.ScalarNode:
		if root.Tag != "!!null" {
			return edit{}, errAt(root, "the file holds a single value, not a register")
		}
		e := edit{at: len(t.data), style: defaultStyle, wrap: true}
		if root.Value != "" { // an explicit ~ or null: it goes, the register takes its place
			return cutToken(t, e, root, len(root.Value), true)
		}
		return e, nil
	case yaml.SequenceNode:
		return planList(t, root, "the register's list", 0, t.lines(), true)
	case yaml.MappingNode:
		if root.Style&yaml.FlowStyle != 0 {
			return edit{}, errFlow(root, "the register")
		}
		for i := 0; i+1 < len(root.Content); i += 2 {
			k, v := root.Content[i], root.Content[i+1]
			if k.Value != "soup" {
				continue
			}
			end := t.lines()
			if i+2 < len(root.Content) {
				end = root.Content[i+2].Line - 1
			}
			return planValue(t, k, v, end)
		}
	}
	return edit{}, fmt.Errorf("the register has no soup list")
}

// planValue plans the entries of the soup: key k with value v; the next
// top-level key starts on 0-based line end.
func planValue(t *text, k, v *yaml.Node, end int) (edit, error) {
	st := style{dash: k.Column - 1 + 2, key: 2, nest: 2}
	switch {
	case v.Kind == yaml.AliasNode:
		return edit{}, errAt(v, "soup: is an alias (*%s); sync cannot append to it", v.Value)
	case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
		e := edit{at: t.lineStart(k.Line), style: st}
		if v.Value != "" {
			return cutToken(t, e, v, len(v.Value), false)
		}
		if v.Line != k.Line {
			return edit{}, errAt(v, "soup: is written in a form sync does not know")
		}
		return e, nil
	case v.Kind == yaml.SequenceNode:
		return planList(t, v, "soup:", st.dash, end, false)
	}
	return edit{}, errAt(v, "soup: holds no list")
}

// planList plans entries for a sequence: appended to a block list, or in
// place of an empty flow list. dash is the column for a list that has no
// entries yet; bare says the list is the whole document.
func planList(t *text, seq *yaml.Node, what string, dash, end int, bare bool) (edit, error) {
	if seq.Style&yaml.FlowStyle != 0 {
		if len(seq.Content) > 0 {
			return edit{}, errFlow(seq, what)
		}
		// "[]", possibly with white space inside, on one line.
		start := t.offset(seq.Line, seq.Column)
		if start < 0 || start >= len(t.data) || t.data[start] != '[' {
			return edit{}, errFlow(seq, what)
		}
		closing := strings.IndexByte(string(t.data[start:t.lineEnd(seq.Line-1)]), ']')
		if closing < 0 || strings.TrimSpace(string(t.data[start+1:start+closing])) != "" {
			return edit{}, errFlow(seq, what)
		}
		e := edit{at: t.lineStart(seq.Line), style: style{dash: dash, key: 2, nest: 2}}
		return cutToken(t, e, seq, closing+1, bare)
	}
	if len(seq.Content) == 0 {
		return edit{}, errAt(seq, "%s is empty in a form sync does not know", what)
	}
	st := style{dash: seq.Column - 1, key: 2, nest: 2}
	first, last := seq.Content[0], seq.Content[len(seq.Content)-1]
	if first.Line == seq.Line && first.Column-1-st.dash >= 2 {
		st.key = first.Column - 1 - st.dash
	}
	if n := nestOf(seq); n > 0 {
		st.nest = n
	}
	st.blank = len(seq.Content) > 1 && blankBefore(t, last.Line-1)

	// The last entry ends at the last line before the next top-level key
	// (or the end of the document) that is neither blank nor a comment at
	// or left of the list's "-": comments there head what follows. A
	// comment indented further is the entry's own, or text of a block
	// scalar; the new entries go after it either way.
	for i := last.Line; i < end; i++ {
		if s := t.line(i); s == "..." || strings.HasPrefix(s, "... ") || strings.HasPrefix(s, "---") {
			end = i
			break
		}
	}
	e := last.Line - 1
	for i := end - 1; i > e; i-- {
		s := t.line(i)
		if blank(s) || (comment(s) && indent(s) <= st.dash) {
			continue
		}
		e = i
		break
	}
	// A quoted scalar may go on over lines that look like comments.
	ls := lastScalar(last)
	e = max(e, quotedEnd(t, ls))
	// Blank lines after a block scalar kept with "|+" are part of its
	// text: the new entries go after them.
	if keeps(t, ls) {
		for e+1 < end && blank(t.line(e+1)) {
			e++
		}
	}
	return edit{at: t.lineStart(e + 1), style: st}, nil
}

// cutToken removes the token of n (length bytes long) and the white space
// before it. When the line is left blank and whole is set, the whole line
// goes and the entries take its place.
func cutToken(t *text, e edit, n *yaml.Node, length int, whole bool) (edit, error) {
	start := t.offset(n.Line, n.Column)
	if start < 0 || start+length > t.lineEnd(n.Line-1) || (n.Kind == yaml.ScalarNode && string(t.data[start:start+length]) != n.Value) {
		return edit{}, errAt(n, "cannot locate the value")
	}
	from := start
	for from > t.lineStart(n.Line-1) && (t.data[from-1] == ' ' || t.data[from-1] == '\t') {
		from--
	}
	e.cut = [2]int{from, start + length}
	if whole && blank(string(t.data[t.lineStart(n.Line-1):from])) && blank(string(t.data[start+length:t.lineEnd(n.Line-1)])) {
		e.cut = [2]int{t.lineStart(n.Line - 1), t.lineStart(n.Line)}
		e.at, e.replace = e.cut[1], true
	}
	return e, nil
}

// nestOf is the indentation of nested mappings in the list's entries, 0
// when none has one.
func nestOf(seq *yaml.Node) int {
	for _, it := range seq.Content {
		if it.Kind != yaml.MappingNode || it.Style&yaml.FlowStyle != 0 {
			continue
		}
		for i := 0; i+1 < len(it.Content); i += 2 {
			k, v := it.Content[i], it.Content[i+1]
			if v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 && v.Line > k.Line && v.Column > k.Column {
				return v.Column - k.Column
			}
		}
	}
	return 0
}

// blankBefore reports whether a blank line separates the 0-based line i
// from the entry before it, looking past the comments that head the entry.
func blankBefore(t *text, i int) bool {
	for j := i - 1; j >= 0; j-- {
		s := t.line(j)
		if blank(s) {
			return true
		}
		if !comment(s) {
			return false
		}
	}
	return false
}

// lastScalar is the scalar of n that comes last in the file.
func lastScalar(n *yaml.Node) *yaml.Node {
	var last *yaml.Node
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode && (last == nil || n.Line > last.Line || (n.Line == last.Line && n.Column > last.Column)) {
			last = n
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return last
}

// keeps reports whether n is a block scalar with the keep indicator (|+,
// >+, |2+ …).
func keeps(t *text, n *yaml.Node) bool {
	if n == nil || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		return false
	}
	off := t.offset(n.Line, n.Column)
	if off < 0 {
		return false
	}
	header := string(t.data[off:t.lineEnd(n.Line-1)])
	if i := strings.IndexAny(header, " \t"); i >= 0 {
		header = header[:i]
	}
	return strings.Contains(header, "+")
}

// quotedEnd is the 0-based line on which the quoted scalar n closes; -1
// when n is not quoted or its end cannot be found.
func quotedEnd(t *text, n *yaml.Node) int {
	if n == nil || n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
		return -1
	}
	start := t.offset(n.Line, n.Column)
	if start < 0 || start >= len(t.data) {
		return -1
	}
	q := t.data[start]
	if q != '"' && q != '\'' {
		return -1
	}
	line := n.Line - 1
	for i := start + 1; i < len(t.data); i++ {
		switch c := t.data[i]; {
		case c == '\n':
			line++
		case q == '"' && c == '\\':
			if i+1 < len(t.data) && t.data[i+1] == '\n' {
				line++
			}
			i++
		case c == q && q == '\'' && i+1 < len(t.data) && t.data[i+1] == '\'':
			i++ // '' is a quote inside single quotes
		case c == q:
			return line
		}
	}
	return -1
}

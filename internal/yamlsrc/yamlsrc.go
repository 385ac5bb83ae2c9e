// Package yamlsrc parses YAML while keeping where every value came from, so
// that readers and the policy loader can report file:line:column.
package yamlsrc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"

	goccy "github.com/goccy/go-yaml"
	goccyparser "github.com/goccy/go-yaml/parser"
	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
)

// Documents parses every document of a YAML stream. Parse errors become
// *input.Error with the line the parser reported.
func Documents(path string, data []byte) (docs []*yaml.Node, err error) {
	defer func() {
		// The parser is mature but not ours; input must never crash tracegate.
		if r := recover(); r != nil {
			docs, err = nil, input.Errorf(input.Pos{File: path}, "YAML parser failed: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				return docs, nil
			}
			return nil, parseError(path, data, err)
		}
		docs = append(docs, &n)
	}
}

var lineRE = lazyre.New(`^yaml: (?:line (\d+): )?(.*)$`)

// parseError turns a yaml.v3 syntax error into an input error. yaml.v3
// reports scanner errors at the right line, but parser errors ("did not
// find expected …") at the 0-based line of the enclosing construct, and
// some errors at no line at all. For those, goccy/go-yaml's parser, which
// locates faults by token, is asked where the fault is; its answer is used
// only when it also rejects the document.
func parseError(path string, data []byte, err error) *input.Error {
	pos := input.Pos{File: path}
	msg := err.Error()
	if m := lineRE().FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if pos.Line == 0 || strings.HasPrefix(msg, "did not find expected") {
		if p, m, ok := locate(data); ok {
			pos.Line, pos.Col, msg = p.Line, p.Col, m
		}
	}
	return &input.Error{Pos: pos, Msg: "invalid YAML: " + msg, Err: err}
}

func locate(data []byte) (p input.Pos, msg string, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	_, err := goccyparser.ParseBytes(data, 0)
	var se *goccy.SyntaxError
	if err == nil || !errors.As(err, &se) || se.Token == nil || se.Token.Position == nil {
		return p, "", false
	}
	return input.Pos{Line: se.Token.Position.Line, Col: se.Token.Position.Column}, se.Message, true
}

// Pos returns the position of n in file.
func Pos(file string, n *yaml.Node) input.Pos {
	return input.Pos{File: file, Line: n.Line, Col: n.Column}
}

// Value converts a YAML node into the values encoding/json produces
// (map[string]any, []any, string, float64, bool, nil) and records the
// position of every value and key under its JSON pointer ("" for the root,
// "/ids/requirement" for a value, "/ids/requirement#key" for its key).
// Mapping keys must be strings: YAML allows others, JSON Schema does not.
func Value(file string, n *yaml.Node) (any, map[string]input.Pos, error) {
	if err := checkAliases(file, n); err != nil {
		return nil, nil, err
	}
	c := converter{file: file, pos: map[string]input.Pos{}}
	v, err := c.value(n, "", 0)
	return v, c.pos, err
}

type converter struct {
	file string
	pos  map[string]input.Pos
}

func (c *converter) value(n *yaml.Node, ptr string, depth int) (any, error) {
	if depth > input.MaxYAMLDepth {
		return nil, input.Errorf(Pos(c.file, n), "YAML nested deeper than %d levels", input.MaxYAMLDepth)
	}
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], ptr, depth+1)
	}
	c.pos[ptr] = Pos(c.file, n)
	switch n.Kind {
	case yaml.AliasNode:
		return c.value(n.Alias, ptr, depth+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.AliasNode {
				k = k.Alias
			}
			if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
				if k.Tag == "!!merge" {
					return nil, input.Errorf(Pos(c.file, k), "YAML merge keys (<<) are not supported").
						WithHint("write the keys out in full")
				}
				return nil, input.Errorf(Pos(c.file, k), "mapping key must be a plain string")
			}
			if _, dup := m[k.Value]; dup {
				return nil, input.Errorf(Pos(c.file, k), "duplicate key %q", k.Value).
					WithHint("a key may appear once per mapping; remove or merge the duplicate")
			}
			child := ptr + "/" + escape(k.Value)
			c.pos[child+"#key"] = Pos(c.file, k)
			val, err := c.value(v, child, depth+1)
			if err != nil {
				return nil, err
			}
			m[k.Value] = val
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for i, e := range n.Content {
			val, err := c.value(e, ptr+"/"+strconv.Itoa(i), depth+1)
			if err != nil {
				return nil, err
			}
			s = append(s, val)
		}
		return s, nil
	case yaml.ScalarNode:
		return c.scalar(n)
	}
	return nil, input.Errorf(Pos(c.file, n), "unsupported YAML node")
}

func (c *converter) scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, input.Errorf(Pos(c.file, n), "invalid boolean %q", n.Value)
		}
		return b, nil
	case "!!int", "!!float":
		var f float64
		if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, input.Errorf(Pos(c.file, n), "invalid number %q", n.Value)
		}
		return f, nil
	case "!!str", "!!timestamp", "!!binary":
		return n.Value, nil
	}
	return nil, input.Errorf(Pos(c.file, n), "unsupported YAML tag %s", n.Tag)
}

// escape encodes a key as a JSON pointer token (RFC 6901).
func escape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// Pointer joins tokens into a JSON pointer, escaping each.
func Pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escape(t))
	}
	return b.String()
}

// Lookup finds the position for a JSON pointer, walking up to the nearest
// recorded ancestor.
func Lookup(pos map[string]input.Pos, ptr string) input.Pos {
	for {
		if p, ok := pos[ptr]; ok {
			return p
		}
		i := strings.LastIndexByte(ptr, '/')
		if i < 0 {
			return pos[""]
		}
		ptr = ptr[:i]
	}
}

// DottedKey turns a JSON pointer into the dotted form used in messages
// ("/items/0/class" → "items[0].class").
func DottedKey(ptr string) string {
	if ptr == "" {
		return "(top level)"
	}
	var b strings.Builder
	for i, t := range strings.Split(ptr[1:], "/") {
		t = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
		if _, err := strconv.Atoi(t); err == nil {
			fmt.Fprintf(&b, "[%s]", t)
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(t)
	}
	return b.String()
}

// Describe names a value produced by Value for messages: "null", "the
// boolean true", "the number 3.1", "a list", "a mapping", `text "x"`.
func Describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("the boolean %t", x)
	case float64:
		return fmt.Sprintf("the number %s", strconv.FormatFloat(x, 'g', -1, 64))
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	case string:
		return fmt.Sprintf("text %q", x)
	}
	return fmt.Sprintf("%T", v)
}

// Head is the head of a YAML file for format detection: the HeadLen bytes
// after its leading comments, however long they are (input.AfterProlog).
func Head(fsys fs.FS, path string, head []byte) []byte {
	return input.AfterProlog(fsys, path, head, CommentProlog)
}

// CommentProlog is the input.Prolog of YAML text: a BOM, blank lines,
// comments and directives, up to the first line of content (which keeps its
// indentation).
func CommentProlog(br *bufio.Reader) error {
	input.SkipBOM(br)
	return input.SkipLines(br, func(c byte) bool { return c == '\n' || c == '#' || c == '%' })
}

package requirement

import (
	"bufio"
	"bytes"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// frontMatter is a Markdown file split into its YAML front matter and body.
type frontMatter struct {
	// yaml is the front matter preceded by an empty line in place of the
	// opening "---", so that the parser's line numbers are the file's.
	yaml     []byte
	body     string
	bodyLine int // the file line on which the body starts
}

// splitFrontMatter splits data at the "---" lines that open and close its
// front matter (Jekyll's convention, which Doorstop, Ketryx and most static
// site tools follow; "..." also closes it, as in Pandoc). It returns false
// when the file does not open with "---" after its prolog (a byte order
// mark, blank lines, HTML comments such as a licence header).
func splitFrontMatter(file string, data []byte) (*frontMatter, bool, error) {
	n, ok := input.PrologLen(data, markdownProlog)
	if !ok {
		return nil, false, nil
	}
	before := bytes.Count(data[:n], []byte("\n")) // lines of the prolog
	data = data[n:]
	line, rest := cutLine(data)
	if string(bytes.TrimRight(line, " \t")) != "---" {
		return nil, false, nil
	}
	start := len(data) - len(rest)
	for n := 2; len(rest) > 0; n++ {
		off := len(data) - len(rest)
		line, rest = cutLine(rest)
		if t := string(bytes.TrimRight(line, " \t")); t == "---" || t == "..." {
			fm := &frontMatter{
				yaml:     append(bytes.Repeat([]byte("\n"), before+1), data[start:off]...),
				body:     string(rest),
				bodyLine: before + n + 1,
			}
			return fm, true, nil
		}
	}
	return nil, true, input.Errorf(input.Pos{File: file, Line: before + 1}, "front matter opened on line %d is never closed", before+1).
		WithHint("end the front matter with a line holding only ---")
}

// markdownProlog reads past what may precede a Markdown file's front
// matter: a byte order mark, blank lines and HTML comments (a licence
// header), to the first other content.
func markdownProlog(br *bufio.Reader) error {
	input.SkipBOM(br)
	for {
		if err := input.SkipLines(br, func(c byte) bool { return c == '\n' }); err != nil {
			return err
		}
		if c, _ := input.PeekLine(br); c != '<' {
			return nil
		}
		if err := input.SkipSpace(br); err != nil {
			return err
		}
		if b, _ := br.Peek(4); string(b) != "<!--" {
			return nil
		}
		br.Discard(4)
		if err := input.SkipUntil(br, "-->"); err != nil {
			return err
		}
	}
}

// cutLine returns the first line of data without its line end, and the rest.
func cutLine(data []byte) (line, rest []byte) {
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		return bytes.TrimRight(data, "\r"), nil
	}
	return bytes.TrimRight(data[:i], "\r"), data[i+1:]
}

// value parses the front matter into the values yamlsrc.Value produces. An
// empty front matter gives nil.
func (fm *frontMatter) value(file string) (any, map[string]input.Pos, error) {
	docs, err := yamlsrc.Documents(file, fm.yaml)
	if err != nil {
		return nil, nil, err
	}
	if len(docs) == 0 {
		return nil, map[string]input.Pos{"": {File: file, Line: 1}}, nil
	}
	return yamlsrc.Value(file, docs[0])
}

// mappingOf returns v as a mapping, reporting anything else as an error at
// the start of the value.
func mappingOf(file string, v any, pos map[string]input.Pos, what string) (map[string]any, error) {
	switch m := v.(type) {
	case map[string]any:
		return m, nil
	case nil:
		return map[string]any{}, nil
	}
	p := pos[""]
	if p.File == "" {
		p = input.Pos{File: file, Line: 1}
	}
	return nil, input.Errorf(p, "%s must be a mapping of keys to values, got %s", what, yamlsrc.Describe(v))
}

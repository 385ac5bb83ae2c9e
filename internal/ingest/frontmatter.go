package ingest

import (
	"bufio"
	"bytes"
	"io/fs"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// FrontMatter is a Markdown file split into its YAML front matter and body.
type FrontMatter struct {
	// YAML is the front matter preceded by an empty line in place of the
	// opening "---", so that the parser's line numbers are the file's.
	YAML     []byte
	Body     string
	BodyLine int // the file line on which the body starts
}

// SplitFrontMatter splits data at the "---" lines that open and close its
// front matter (Jekyll's convention, which Doorstop, Ketryx and most static
// site tools follow; "..." also closes it, as in Pandoc). It returns false
// when the file does not open with "---" after its prolog (a byte order
// mark, blank lines, HTML comments such as a licence header).
func SplitFrontMatter(file string, data []byte) (*FrontMatter, bool, error) {
	n, ok := input.PrologLen(data, MarkdownProlog)
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
			fm := &FrontMatter{
				YAML:     append(bytes.Repeat([]byte("\n"), before+1), data[start:off]...),
				Body:     string(rest),
				BodyLine: before + n + 1,
			}
			return fm, true, nil
		}
	}
	return nil, true, input.Errorf(input.Pos{File: file, Line: before + 1}, "front matter opened on line %d is never closed", before+1).
		WithHint("end the front matter with a line holding only ---")
}

// MarkdownProlog reads past what may precede a Markdown file's front
// matter: a byte order mark, blank lines and HTML comments (a licence
// header), to the first other content.
func MarkdownProlog(br *bufio.Reader) error {
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

// Value parses the front matter into the values yamlsrc.Value produces. An
// empty front matter gives nil.
func (fm *FrontMatter) Value(file string) (any, map[string]input.Pos, error) {
	docs, err := yamlsrc.Documents(file, fm.YAML)
	if err != nil {
		return nil, nil, err
	}
	if len(docs) == 0 {
		return nil, map[string]input.Pos{"": {File: file, Line: 1}}, nil
	}
	return yamlsrc.Value(file, docs[0])
}

const bom = "\xef\xbb\xbf"

// HeadLines splits a file's head into lines without their line ends or a
// byte order mark. The last line may be cut short where the head ends.
// Detection reads these, never the parsed file: a heuristic for choosing a
// reader, which then parses the file properly.
func HeadLines(head []byte) []string {
	head = bytes.TrimPrefix(head, []byte(bom))
	lines := strings.Split(string(head), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, "\r")
	}
	return lines
}

// keyRE matches a mapping key at the start of s: plain (letters, digits,
// spaces, _ . -, as Ketryx's custom field names have them) or quoted,
// followed by a colon and white space or the end of the line.
var keyRE = lazyre.New(`^(?:"([^"]*)"|'([^']*)'|([A-Za-z_][A-Za-z0-9_. -]*?))\s*:(?:\s|$)`)

// YAMLKey returns the mapping key at the start of s, if any.
func YAMLKey(s string) (string, bool) {
	m := keyRE().FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return m[1] + m[2] + m[3], true
}

// FrontMatterKeys returns the top-level keys of the YAML front matter that
// the file opens with ("---" on the first line after its prolog: a BOM,
// blank lines, HTML comments), or false when it has none.
func FrontMatterKeys(fsys fs.FS, p string, head []byte) (map[string]bool, bool) {
	lines := HeadLines(input.AfterProlog(fsys, p, head, MarkdownProlog))
	if len(lines) == 0 || strings.TrimRight(lines[0], " \t") != "---" {
		return nil, false
	}
	keys := map[string]bool{}
	for _, l := range lines[1:] {
		if t := strings.TrimRight(l, " \t"); t == "---" || t == "..." {
			break
		}
		if k, ok := YAMLKey(l); ok {
			keys[k] = true
		}
	}
	return keys, true
}

// ReadFrontMatter reads a Markdown item file (one item per file, its fields
// in the front matter): the split file and its front matter parsed, with
// positions. A file without front matter is an error at its first line,
// with hint saying what the format expects.
func ReadFrontMatter(fsys fs.FS, p, hint string) (*FrontMatter, any, map[string]input.Pos, error) {
	data, err := input.ReadAll(fsys, p, 0)
	if err != nil {
		return nil, nil, nil, err
	}
	fm, ok, err := SplitFrontMatter(p, data)
	if err != nil {
		return nil, nil, nil, err
	}
	if !ok {
		return nil, nil, nil, input.Errorf(input.Pos{File: p, Line: 1}, "no YAML front matter").WithHint(hint)
	}
	v, pos, err := fm.Value(p)
	if err != nil {
		return nil, nil, nil, err
	}
	return fm, v, pos, nil
}

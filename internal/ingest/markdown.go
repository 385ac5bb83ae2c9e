package ingest

import (
	"path"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
)

// IsMarkdown reports whether the file's name says it is Markdown.
func IsMarkdown(p string) bool {
	e := strings.ToLower(path.Ext(p))
	return e == ".md" || e == ".markdown"
}

// MarkdownNotYAML is the error of a YAML format given a Markdown file:
// the file is in the wrong format, which a YAML parser's message about its
// first table or heading would not say.
func MarkdownNotYAML(p, format, kind string) error {
	if !IsMarkdown(p) {
		return nil
	}
	hint := "read registers kept as Markdown tables with format: markdown-table"
	if kind == string(Requirements) {
		hint += ", and one requirement per file with YAML front matter with format: markdown"
	}
	return input.Errorf(input.Pos{File: p}, "a Markdown file, and format %s reads YAML", format).WithHint(hint)
}

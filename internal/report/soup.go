package report

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/soup"
)

// SOUPFormats are the formats `tracegate soup list` writes.
var SOUPFormats = []string{"md", "markdown", "csv", "json", "html", "xlsx", "cyclonedx"}

// SOUPOptions say what a SOUP document says about itself. Renderers never
// read the clock: the same list and options give the same bytes in every
// format, so that a document in the design history file can be
// reproduced and compared.
type SOUPOptions struct {
	// Title names the product in headings; "" uses the SBOMs' root
	// components.
	Title string
	// ToolVersion and Commit identify the tracegate that made the document.
	ToolVersion, Commit string
	// Generated is when the document was made; zero: not stated.
	Generated time.Time
}

// WriteSOUP renders the SOUP list (IEC 62304 8.1.2, 5.3.3, 5.3.4, 7.1.3)
// in format: a document for the design history file (md, html, xlsx), a
// table (csv), the list itself (json) or a CycloneDX 1.6 BOM carrying the
// register's fields and the known anomalies (cyclonedx).
func WriteSOUP(w io.Writer, l *soup.List, format string, opts SOUPOptions) error {
	if l == nil {
		return errors.New("no SOUP list to render")
	}
	switch format {
	case "json":
		return writeJSONLines(w, l)
	case "csv":
		return soupCSV(w, newSOUPView(l, opts))
	case "md", "markdown":
		return soupMarkdown(w, newSOUPView(l, opts))
	case "html":
		return soupHTML(w, newSOUPView(l, opts))
	case "xlsx":
		return soupXLSX(w, newSOUPView(l, opts))
	case "cyclonedx":
		return soupCycloneDX(w, l, opts)
	}
	return fmt.Errorf("unknown format %q for the SOUP list (use %s)", format, strings.Join(SOUPFormats, ", "))
}

// toolName is how documents name the tool that made them.
func (o SOUPOptions) toolName() string {
	s := "tracegate"
	if v := strings.TrimSpace(o.ToolVersion); v != "" {
		s += " " + v
	}
	if c := strings.TrimSpace(o.Commit); c != "" {
		s += " (" + model.ShortSHA(c) + ")"
	}
	return s
}

package soupdoc

import (
	"errors"
	"io"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/soup"
)

// Options say what a SOUP document says about itself. Renderers never
// read the clock: the same list and options give the same bytes in every
// format, so that a document in the design history file can be
// reproduced and compared.
type Options struct {
	// Title names the product in headings; "" uses the SBOMs' root
	// components.
	Title string
	// ToolVersion and Commit identify the tracegate that made the document.
	ToolVersion, Commit string
	// Generated is when the document was made; zero: not stated.
	Generated time.Time
	// DocumentID and Revision are the document control of the release
	// evidence (the policy's documents.ids.soup and the release): the
	// documents that have room for them say them; "" outside a bundle.
	DocumentID, Revision string
}

// Input is what a SOUP document is made of: the list, and what the
// document says about itself.
type Input struct {
	List    *soup.List
	Options Options
}

// Formats are the encoders of the SOUP list (IEC 62304 8.1.2, 5.3.3,
// 5.3.4, 7.1.3): documents for the design history file (markdown, html,
// xlsx), a table (csv), the list itself (json) and a CycloneDX 1.6 BOM
// carrying the register's fields and the known anomalies (cyclonedx).
var Formats = &report.Registry[Input]{What: "the SOUP list", Encoders: []report.Encoder[Input]{
	{Name: "markdown", Aliases: []string{"md"}, MediaType: report.MediaMarkdown, Ext: "md", Write: viewed(soupMarkdown)},
	{Name: "csv", MediaType: report.MediaCSV, Ext: "csv", Write: viewed(soupCSV)},
	{Name: "json", MediaType: report.MediaJSON, Ext: "json", Write: listed(func(w io.Writer, in Input) error { return report.WriteJSONLines(w, in.List) })},
	{Name: "html", MediaType: report.MediaHTML, Ext: "html", Write: viewed(soupHTML)},
	{Name: "xlsx", MediaType: report.MediaXLSX, Ext: "xlsx", Write: viewed(soupXLSX)},
	{Name: "cyclonedx", MediaType: report.MediaCycloneDX, Ext: "cdx.json", Write: listed(func(w io.Writer, in Input) error {
		return soupCycloneDX(w, in.List, in.Options)
	})},
}}

// Write renders the SOUP list in a format of Formats.
func Write(w io.Writer, l *soup.List, format string, opts Options) error {
	return Formats.Write(w, format, Input{List: l, Options: opts})
}

// listed refuses an input without a list.
func listed(write func(io.Writer, Input) error) func(io.Writer, Input) error {
	return func(w io.Writer, in Input) error {
		if in.List == nil {
			return errors.New("no SOUP list to render")
		}
		return write(w, in)
	}
}

// viewed renders through the view every document shares.
func viewed(write func(io.Writer, *View) error) func(io.Writer, Input) error {
	return listed(func(w io.Writer, in Input) error { return write(w, NewView(in.List, in.Options)) })
}

// Controlled is "ID rev REVISION" when the list is a controlled document
// of the release evidence, else "".
func (o Options) Controlled() string {
	id := strings.TrimSpace(o.DocumentID)
	if id == "" {
		return ""
	}
	if r := strings.TrimSpace(o.Revision); r != "" {
		return id + " rev " + r
	}
	return id
}

// ToolName is how documents name the tool that made them.
func (o Options) ToolName() string {
	s := "tracegate"
	if v := strings.TrimSpace(o.ToolVersion); v != "" {
		s += " " + v
	}
	if c := strings.TrimSpace(o.Commit); c != "" {
		s += " (" + model.ShortSHA(c) + ")"
	}
	return s
}

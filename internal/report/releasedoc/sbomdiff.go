package releasedoc

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/soup"
)

// Diff is a comparison of two SBOMs: what each is, and the changes from
// the base to the head (soup.Diff).
type Diff struct {
	Base, Head DiffSide
	Changes    []soup.Change
}

// DiffSide is one SBOM of a comparison.
type DiffSide struct {
	File        string `json:"file"`
	Format      string `json:"format"`
	SpecVersion string `json:"spec_version"`
	Components  int    `json:"components"`
}

// sbomDiff is the JSON form of an SBOM comparison.
type sbomDiff struct {
	Schema  string         `json:"schema"`
	Base    DiffSide       `json:"base"`
	Head    DiffSide       `json:"head"`
	Counts  map[string]int `json:"counts"`
	Changes []soup.Change  `json:"changes"`
}

// DiffFormats are the encoders of an SBOM comparison (tracegate soup
// diff).
var DiffFormats = &report.Registry[*Diff]{What: "an SBOM diff", Encoders: []report.Encoder[*Diff]{
	{Name: "text", MediaType: report.MediaText, Ext: "txt", Write: diffText},
	{Name: "json", MediaType: report.MediaJSON, Ext: "json", Write: diffJSON},
	{Name: "markdown", Aliases: []string{"md"}, MediaType: report.MediaMarkdown, Ext: "md", Write: diffMarkdown},
}}

func diffJSON(w io.Writer, d *Diff) error {
	changes := d.Changes
	if changes == nil {
		changes = []soup.Change{}
	}
	return report.WriteJSON(w, sbomDiff{Schema: "tracegate.sbom-diff/v1", Base: d.Base, Head: d.Head, Counts: d.counts(), Changes: changes})
}

func diffMarkdown(w io.Writer, d *Diff) error {
	// File names as escaped text, not code spans: a backtick in a name
	// would close the span, and backslashes do not escape inside one.
	fmt.Fprintf(w, "## SBOM changes\n\n%s → %s: %s.\n\n", report.MDInline(d.Base.File, mdCellMax), report.MDInline(d.Head.File, mdCellMax), diffCounts(d.counts()))
	if len(d.Changes) == 0 {
		return nil
	}
	fmt.Fprintln(w, "| Change | Component | Base | Head | Note |\n|---|---|---|---|---|")
	for _, c := range d.Changes {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", c.Kind, mdCell(c.Name()), mdCell(sideOf(c.Base)), mdCell(sideOf(c.Head)), mdCell(c.Note))
	}
	return nil
}

func diffText(w io.Writer, d *Diff) error {
	fmt.Fprintf(w, "%s → %s: %s\n", report.Text(d.Base.File), report.Text(d.Head.File), diffCounts(d.counts()))
	if len(d.Changes) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nCHANGE\tCOMPONENT\tBASE\tHEAD")
	for _, c := range d.Changes {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Kind, report.Text(report.OneLine(c.Name())), report.Text(report.OneLine(sideOf(c.Base))), report.Text(report.OneLine(sideOf(c.Head))))
	}
	return tw.Flush()
}

func (d *Diff) counts() map[string]int {
	counts := map[string]int{}
	for _, c := range d.Changes {
		counts[string(c.Kind)]++
	}
	return counts
}

// sideOf describes one side of a change: version and licenses.
func sideOf(c *model.Component) string {
	if c == nil {
		return "—"
	}
	var ls []string
	for _, l := range c.Licenses {
		ls = append(ls, l.Expression)
	}
	s := c.Version
	if len(ls) > 0 {
		s += " (" + strings.Join(ls, ", ") + ")"
	}
	return s
}

func diffCounts(counts map[string]int) string {
	var parts []string
	for _, k := range []soup.ChangeKind{soup.Added, soup.Removed, soup.Upgraded, soup.Downgraded, soup.Changed, soup.LicenseChanged} {
		if n := counts[string(k)]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	if len(parts) == 0 {
		return "no changes"
	}
	return strings.Join(parts, ", ")
}

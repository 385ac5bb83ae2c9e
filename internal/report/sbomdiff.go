package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/tracegate/tracegate/internal/ingest/sbom"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/soup"
)

// DiffFormats are the formats of `tracegate soup diff`.
var DiffFormats = []string{"text", "json", "markdown"}

// sbomDiff is the JSON form of an SBOM comparison.
type sbomDiff struct {
	Schema  string         `json:"schema"`
	Base    diffDoc        `json:"base"`
	Head    diffDoc        `json:"head"`
	Counts  map[string]int `json:"counts"`
	Changes []soup.Change  `json:"changes"`
}

type diffDoc struct {
	File        string `json:"file"`
	Format      string `json:"format"`
	SpecVersion string `json:"spec_version"`
	Components  int    `json:"components"`
}

// WriteSBOMDiff renders the changes between two SBOMs.
func WriteSBOMDiff(w io.Writer, base, head *sbom.Document, changes []soup.Change, format string) error {
	counts := map[string]int{}
	for _, c := range changes {
		counts[string(c.Kind)]++
	}
	switch format {
	case "json":
		if changes == nil {
			changes = []soup.Change{}
		}
		return writeJSON(w, sbomDiff{Schema: "tracegate.sbom-diff/v1", Base: docOf(base), Head: docOf(head), Counts: counts, Changes: changes})
	case "markdown", "md":
		fmt.Fprintf(w, "## SBOM changes\n\n`%s` → `%s`: %s.\n\n", mdCell(base.File), mdCell(head.File), diffCounts(counts))
		if len(changes) == 0 {
			return nil
		}
		fmt.Fprintln(w, "| Change | Component | Base | Head | Note |\n|---|---|---|---|---|")
		for _, c := range changes {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", c.Kind, mdCell(c.Name()), mdCell(sideOf(c.Base)), mdCell(sideOf(c.Head)), mdCell(c.Note))
		}
		return nil
	case "text", "":
		fmt.Fprintf(w, "%s → %s: %s\n", base.File, head.File, diffCounts(counts))
		if len(changes) == 0 {
			return nil
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "\nCHANGE\tCOMPONENT\tBASE\tHEAD")
		for _, c := range changes {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Kind, oneLine(c.Name()), oneLine(sideOf(c.Base)), oneLine(sideOf(c.Head)))
		}
		return tw.Flush()
	}
	return fmt.Errorf("unknown format %q for an SBOM diff (use %s)", format, strings.Join(DiffFormats, ", "))
}

func docOf(d *sbom.Document) diffDoc {
	return diffDoc{File: d.File, Format: string(d.Format), SpecVersion: d.SpecVersion, Components: len(d.Components)}
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

package releasedoc

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/trace"
)

// MatrixFormats are the encoders of the traceability matrix (tracegate
// trace).
var MatrixFormats = &report.Registry[*Matrix]{What: "the traceability matrix", Encoders: []report.Encoder[*Matrix]{
	{Name: "text", MediaType: report.MediaText, Ext: "txt", Write: matrixText},
	{Name: "json", MediaType: report.MediaJSON, Ext: "json", Write: func(w io.Writer, m *Matrix) error { return report.WriteJSON(w, m) }},
	{Name: "csv", MediaType: report.MediaCSV, Ext: "csv", Write: matrixCSV},
	{Name: "markdown", Aliases: []string{"md"}, MediaType: report.MediaMarkdown, Ext: "md", Write: matrixMarkdown},
}}

// testSummary renders a requirement's tests as "name (result)" joined.
func testSummary(ts []MatrixTest, sep string) string {
	var parts []string
	for _, t := range ts {
		parts = append(parts, t.Name+" ("+t.label()+")")
	}
	return strings.Join(parts, sep)
}

func statusLabel(r MatrixReq) string {
	switch {
	case !r.Active:
		return string(r.Status) + " (inactive)"
	case r.RolledUp:
		return string(r.Status) + " (through its children)"
	}
	return string(r.Status)
}

func matrixText(w io.Writer, m *Matrix) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCLASS\tSTATUS\tRISK CONTROLS\tTESTS\tTITLE")
	for _, r := range m.Requirements {
		tests := fmt.Sprintf("%d", len(r.Tests))
		if bad := countBad(r.Tests); bad > 0 {
			tests += fmt.Sprintf(" (%d failing)", bad)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", report.Text(r.ID), r.Class, report.Text(statusLabel(r)), report.Text(strings.Join(r.RiskControls, ",")), tests,
			report.Text(report.Clip(report.OneLine(r.Title), 60)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	c := m.Coverage
	fmt.Fprintf(w, "\n%d active requirements: %d verified, %d failed, %d unverified (%d%% verified); %d inactive\n",
		c.Active, c.Verified, c.Failed, c.Unverified, c.Percent, c.Inactive)
	t := m.Tests
	fmt.Fprintf(w, "%d tests: %d passed, %d failed, %d errors, %d skipped\n", t.Total, t.Passed, t.Failed, t.Errored, t.Skipped)
	if len(m.RiskControls) > 0 {
		unv := 0
		for _, rc := range m.RiskControls {
			if rc.Status != trace.Verified {
				unv++
			}
		}
		fmt.Fprintf(w, "%d risk controls for %d hazards: %d not verified\n", len(m.RiskControls), len(m.Hazards), unv)
	}
	if introduced := introducedHazards(m); len(introduced) > 0 {
		fmt.Fprintf(w, "\nHazards introduced by the design (IEC 62304 7.1.2):\n")
		for _, h := range introduced {
			fmt.Fprintf(w, "  %s  introduced by %s; risk controls: %s\n", report.Text(h.ID), report.Text(strings.Join(h.IntroducedBy, ", ")),
				report.Text(orNone(strings.Join(h.RiskControls, ", "))))
		}
	}
	if len(m.External) > 0 {
		fmt.Fprintf(w, "\n%d linked items kept outside the repository:\n", len(m.External))
		for _, e := range m.External {
			fmt.Fprintf(w, "  %s  %s, linked from %s\n", report.Text(e.ID), report.Text(e.Namespace), report.Text(strings.Join(e.From, ", ")))
		}
	}
	return report.WriteWarnings(w, m.Warnings)
}

// introducedHazards are the hazards the design introduces: those with an
// item that introduces them.
func introducedHazards(m *Matrix) []MatrixHazard {
	var out []MatrixHazard
	for _, h := range m.Hazards {
		if len(h.IntroducedBy) > 0 {
			out = append(out, h)
		}
	}
	return out
}

func countBad(ts []MatrixTest) int {
	n := 0
	for _, t := range ts {
		if t.Result.Bad() {
			n++
		}
	}
	return n
}

func matrixCSV(w io.Writer, m *Matrix) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "title", "type", "class", "item", "state", "active", "status", "verification", "parents", "risk_controls", "tests", "evidence", "external", "source"})
	for _, r := range m.Requirements {
		cw.Write([]string{
			csvCell(r.ID), csvCell(r.Title), csvCell(r.Type), string(r.Class), csvCell(r.Item), csvCell(r.State), fmt.Sprint(r.Active), string(r.Status),
			csvCell(r.Verification), csvCell(strings.Join(r.Parents, " ")), csvCell(strings.Join(r.RiskControls, " ")), csvCell(testSummary(r.Tests, "; ")),
			csvCell(strings.Join(r.Evidence, " ")), csvCell(strings.Join(r.External, " ")), csvCell(r.Source.String()),
		})
	}
	cw.Flush()
	return cw.Error()
}

func matrixMarkdown(w io.Writer, m *Matrix) error {
	c := m.Coverage
	fmt.Fprintf(w, "## Traceability matrix\n\n%d of %d active requirements verified (%d%%), %d failed, %d unverified. Tests: %d passed, %d failed, %d errors, %d skipped.\n\n",
		c.Verified, c.Active, c.Percent, c.Failed, c.Unverified, m.Tests.Passed, m.Tests.Failed, m.Tests.Errored, m.Tests.Skipped)
	fmt.Fprintln(w, "| Requirement | Class | Status | Risk controls | Tests | Source |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, r := range m.Requirements {
		title := r.ID
		if r.Title != "" {
			title += " " + r.Title
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", mdCell(title), r.Class, mdCell(statusLabel(r)),
			mdCell(strings.Join(r.RiskControls, ", ")), mdCell(testSummary(r.Tests, "\n")), mdCell(r.Source.String()))
	}
	if introduced := introducedHazards(m); len(introduced) > 0 {
		fmt.Fprint(w, "\n### Hazards introduced by the design (IEC 62304 7.1.2)\n\n| Hazard | Introduced by | Risk controls |\n|---|---|---|\n")
		for _, h := range introduced {
			title := h.ID
			if h.Title != "" {
				title += " " + h.Title
			}
			fmt.Fprintf(w, "| %s | %s | %s |\n", mdCell(title), mdCell(strings.Join(h.IntroducedBy, ", ")), mdCell(orNone(strings.Join(h.RiskControls, ", "))))
		}
	}
	if len(m.External) > 0 {
		fmt.Fprint(w, "\n### Items kept outside the repository\n\n| ID | Namespace | Linked from |\n|---|---|---|\n")
		for _, e := range m.External {
			fmt.Fprintf(w, "| %s | %s | %s |\n", mdCell(e.ID), mdCell(e.Namespace), mdCell(strings.Join(e.From, "\n")))
		}
	}
	return nil
}

// csvCell is a value of a CSV cell: visible (no control or bidirectional
// character) and never a formula, as report.WriteCSVTable makes them.
func csvCell(s string) string { return report.Cell(report.VisibleText(s)) }

// mdCell is a value of a Markdown table cell: its text inert (no link,
// image, emphasis or HTML), its line breaks kept as <br>.
func mdCell(s string) string { return report.MDCellText(s, mdCellMax) }

// mdCellMax bounds one cell of a Markdown table.
const mdCellMax = 4000

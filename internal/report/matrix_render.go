package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/trace"
)

// MatrixFormats are the formats `tracegate trace` writes.
var MatrixFormats = []string{"text", "json", "csv", "markdown"}

// WriteMatrix renders m in format.
func WriteMatrix(w io.Writer, m *Matrix, format string) error {
	switch format {
	case "json":
		return writeJSON(w, m)
	case "csv":
		return matrixCSV(w, m)
	case "markdown", "md":
		return matrixMarkdown(w, m)
	case "text", "":
		return matrixText(w, m)
	}
	return fmt.Errorf("unknown format %q for the traceability matrix (use %s)", format, strings.Join(MatrixFormats, ", "))
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// testSummary renders a requirement's tests as "name (result)" joined.
func testSummary(ts []MatrixTest, sep string) string {
	var parts []string
	for _, t := range ts {
		parts = append(parts, t.Name+" ("+string(t.Result)+")")
	}
	return strings.Join(parts, sep)
}

func statusLabel(r MatrixReq) string {
	if !r.Active {
		return string(r.Status) + " (inactive)"
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Class, statusLabel(r), strings.Join(r.RiskControls, ","), tests, clip(oneLine(r.Title), 60))
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
	return writeWarnings(w, m.Warnings)
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
	cw.Write([]string{"id", "title", "type", "class", "item", "state", "active", "status", "verification", "parents", "risk_controls", "tests", "evidence", "source"})
	for _, r := range m.Requirements {
		cw.Write([]string{
			cell(r.ID), cell(r.Title), cell(r.Type), string(r.Class), cell(r.Item), cell(r.State), fmt.Sprint(r.Active), string(r.Status),
			r.Verification, cell(strings.Join(r.Parents, " ")), cell(strings.Join(r.RiskControls, " ")), cell(testSummary(r.Tests, "; ")),
			cell(strings.Join(r.Evidence, " ")), cell(r.Source.String()),
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
	return nil
}

// writeWarnings lists what readers repaired or skipped: an auditor must see
// where tracegate read something differently from what a file said.
func writeWarnings(w io.Writer, ws []input.Warning) error {
	if len(ws) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\n%d warning(s) while reading:\n", len(ws))
	for _, x := range ws {
		if _, err := fmt.Fprintf(w, "  %s\n", x); err != nil {
			return err
		}
	}
	return nil
}

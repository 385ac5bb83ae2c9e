package releasedoc

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/report/reporttest"
	"github.com/tracegate/tracegate/internal/soup"
	"github.com/tracegate/tracegate/internal/trace"
)

// hostileMatrix is a matrix whose requirement, test and file names are
// reporttest.HostileLine.
func hostileMatrix(t *testing.T) *Matrix {
	t.Helper()
	c := config.Defaults()
	ids, err := trace.NewIDs(&c)
	if err != nil {
		t.Fatal(err)
	}
	h := reporttest.HostileLine
	dhf := &model.DHF{
		Requirements: []model.Requirement{{ID: "SRS-1", Title: h, Type: h, Item: h, Status: "approved", Evidence: []string{h}, Source: input.Pos{File: h, Line: 2}}},
		Tests:        []model.TestCase{{Name: h, ClassName: h, Outcome: model.Failed, Requirements: []string{"SRS-1"}}},
	}
	return NewMatrix(trace.Build(dhf, &c, ids), model.ClassC, []input.Warning{input.Warnf(input.Pos{File: h}, "%s", h)})
}

// noControls fails when s holds a control or bidirectional character
// other than the line feeds (and, for CSV, the ones inside quoted cells).
func noControls(t *testing.T, what, s string) {
	t.Helper()
	for _, r := range s {
		if r != '\n' && (unicode.IsControl(r) || report.IsBidi(r)) {
			t.Errorf("%s: control character %q in:\n%s", what, r, s)
			return
		}
	}
}

// inertMarkdown fails when s holds Markdown or HTML that the hostile text
// brought: an image, a link, a tag, a code span it opened.
func inertMarkdown(t *testing.T, what, s string) {
	t.Helper()
	live := backslashEscape.ReplaceAllString(s, "") // what Markdown reads as syntax
	for _, bad := range []string{"![p]", "](https", "](javascript", "<img", "`tick`", "\n::error"} {
		if strings.Contains(live, bad) {
			t.Errorf("%s: %q is live in:\n%s", what, bad, s)
		}
	}
}

func render[T any](t *testing.T, r *report.Registry[T], format string, v T) string {
	t.Helper()
	var b bytes.Buffer
	if err := r.Write(&b, format, v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// backslashEscape is a Markdown backslash escape.
var backslashEscape = regexp.MustCompile(`\\.`)

// Every format of the traceability matrix neutralises untrusted text for
// its medium.
func TestMatrixNeutralisesInput(t *testing.T) {
	m := hostileMatrix(t)

	text := render(t, MatrixFormats, "text", m)
	noControls(t, "text", text)
	if !strings.Contains(text, `\n::error file=a::pwned`) {
		t.Errorf("text: the title is not shown escaped:\n%s", text)
	}

	md := render(t, MatrixFormats, "markdown", m)
	noControls(t, "markdown", md)
	inertMarkdown(t, "markdown", md)

	rows, err := csv.NewReader(strings.NewReader(render(t, MatrixFormats, "csv", m))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("csv: cell %q is a formula to a spreadsheet", cell)
			}
			noControls(t, "csv cell", cell)
		}
	}
}

// The SBOM diff shows component and file names as text: a backtick in a
// file name cannot close a code span and let Markdown through.
func TestSBOMDiffNeutralisesInput(t *testing.T) {
	h := reporttest.HostileLine
	d := &Diff{Base: DiffSide{File: "a` " + h + " `", Format: "cyclonedx"}, Head: DiffSide{File: h, Format: "spdx"},
		Changes: []soup.Change{{Kind: soup.Added, Head: &model.Component{Name: h, Version: h}, Note: h}}}
	md := render(t, DiffFormats, "markdown", d)
	noControls(t, "markdown", md)
	inertMarkdown(t, "markdown", md)
	text := render(t, DiffFormats, "text", d)
	noControls(t, "text", text)
	if strings.Count(text, "\n") != strings.Count(render(t, DiffFormats, "text", &Diff{Base: DiffSide{File: "a"}, Head: DiffSide{File: "b"},
		Changes: []soup.Change{{Kind: soup.Added, Head: &model.Component{Name: "x", Version: "1"}}}}), "\n") {
		t.Errorf("text: the hostile names added lines:\n%s", text)
	}
}

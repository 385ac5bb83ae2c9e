package releasedoc

import (
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/trace"
)

// heatMap is the ISO 14971 risk matrix of the policy with the number of
// hazards in each cell, for one estimate (before or after control), laid
// out for an inline SVG: severity left to right, probability bottom to
// top, each cell filled by the acceptability the policy gives it. The
// geometry is computed here so that the template only places numbers.
type heatMap struct {
	Title string
	// Which is "initial" or "residual", for the element IDs.
	Which string
	W, H  int
	Rows  []heatRow
	Cols  []heatLabel
	// Placed counts the hazards in the cells; Unplaced lists the others
	// with why ("HAZ-009: not estimated").
	Placed   int
	Unplaced []string
	// AxisX and AxisY are the positions of the axis titles.
	AxisX, AxisY heatLabel
}

type heatRow struct {
	Label heatLabel
	Cells []heatCell
}

type heatLabel struct {
	X, Y       int
	Text, Full string
}

type heatCell struct {
	X, Y, W, H int
	// CX, CY are the centre, where the count is written; TX, TY the
	// acceptability's label in the corner.
	CX, CY, TX, TY int
	Count          int
	// IDs are the hazards in the cell, for the cell's tooltip and for a
	// reader of the SVG source.
	IDs string
	// Acceptability is the policy's word for the cell; Fill its colour,
	// chosen here from the three ISO 14971 levels, never taken from input.
	Acceptability, Label, Fill string
}

// Geometry of the heat map, in SVG user units (CSS pixels at 100%).
const (
	heatLabelW = 88
	heatCellW  = 72
	heatCellH  = 40
	heatTop    = 6
	heatBottom = 44
)

// heatFill and heatWord are the colours and words of the acceptability
// levels: the colours of a traffic light, pale enough for black text, and
// the word in each cell so that a black-and-white print loses nothing.
var heatFill = map[string]string{model.Acceptable: "#cdebd3", model.ALARP: "#ffe2a0", model.Unacceptable: "#f4b4ac"}

const heatUnknownFill = "#eceff2"

func heatWord(acc string) string {
	switch acc {
	case model.Acceptable:
		return "acceptable"
	case model.ALARP:
		return "ALARP"
	case model.Unacceptable:
		return "unacceptable"
	case "":
		return "not in policy"
	}
	return report.Clip(acc, 14)
}

func newHeatMap(m config.RiskMatrix, hazards []*trace.Hazard, est func(*trace.Hazard) model.RiskEstimate, title, which string) heatMap {
	nSev, nProb := len(m.Severity), len(m.Probability)
	hm := heatMap{Title: title, Which: which,
		W: heatLabelW + max(nSev, 1)*heatCellW + 8,
		H: heatTop + max(nProb, 1)*heatCellH + heatBottom}
	ids := make([][][]string, nProb)
	for i := range ids {
		ids[i] = make([][]string, nSev)
	}
	for _, h := range hazards {
		e := est(h)
		si, pi := indexFold(m.Severity, e.Severity), indexFold(m.Probability, e.Probability)
		switch {
		case e.Severity == "" && e.Probability == "":
			hm.Unplaced = append(hm.Unplaced, h.ID+": not estimated")
		case si < 0 || pi < 0:
			hm.Unplaced = append(hm.Unplaced, h.ID+": "+estimateText(e)+" is not a cell of the policy's matrix")
		default:
			ids[pi][si] = append(ids[pi][si], h.ID)
			hm.Placed++
		}
	}
	// Most probable at the top, as risk matrices are drawn.
	for r := 0; r < nProb; r++ {
		pi := nProb - 1 - r
		y := heatTop + r*heatCellH
		p := m.Probability[pi]
		row := heatRow{Label: heatLabel{X: heatLabelW - 6, Y: y + heatCellH/2 + 4, Text: report.Clip(p, 16), Full: p}}
		accRow := m.Acceptability[p]
		for si := 0; si < nSev; si++ {
			acc := ""
			if si < len(accRow) {
				acc = accRow[si]
			}
			fill, ok := heatFill[acc]
			if !ok {
				fill = heatUnknownFill
			}
			x := heatLabelW + si*heatCellW
			c := heatCell{X: x, Y: y, W: heatCellW, H: heatCellH, CX: x + heatCellW/2, CY: y + heatCellH/2 + 7, TX: x + 4, TY: y + 10,
				Count: len(ids[pi][si]), IDs: strings.Join(ids[pi][si], ", "), Acceptability: acc, Label: heatWord(acc), Fill: fill}
			row.Cells = append(row.Cells, c)
		}
		hm.Rows = append(hm.Rows, row)
	}
	base := heatTop + nProb*heatCellH
	for si, s := range m.Severity {
		hm.Cols = append(hm.Cols, heatLabel{X: heatLabelW + si*heatCellW + heatCellW/2, Y: base + 15, Text: report.Clip(s, 14), Full: s})
	}
	hm.AxisX = heatLabel{X: heatLabelW + nSev*heatCellW/2, Y: base + 34, Text: "severity →"}
	hm.AxisY = heatLabel{X: 12, Y: heatTop + nProb*heatCellH/2, Text: "probability →"}
	return hm
}

func estimateText(e model.RiskEstimate) string {
	s, p := e.Severity, e.Probability
	if s == "" {
		s = "(none)"
	}
	if p == "" {
		p = "(none)"
	}
	return "severity " + s + ", probability " + p
}

// indexFold finds v among the levels as trace does (names in any case);
// trace has already normalised the levels it recognised.
func indexFold(levels []string, v string) int {
	for i, l := range levels {
		if strings.EqualFold(l, strings.TrimSpace(v)) {
			return i
		}
	}
	return -1
}

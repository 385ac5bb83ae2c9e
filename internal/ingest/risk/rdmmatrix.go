package risk

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// rdm defines its risk matrix in risk.yml, and its risk management plan
// template (rdm/init_files/documents/risk_management_plan.md) renders it so:
// a row per risk_severity_levels entry, a column per risk_probability_levels
// entry, each cell a label of risk_levels, whose description says what the
// level means ("Acceptable", "Investigate further risk reduction ...",
// "Unacceptable ..."). tracegate reads it into the policy's orientation (a
// row per probability level) so that a team keeps one matrix, rdm's, instead
// of retyping it into the policy.

// rdmLevel is one entry of a level list: {label, description}.
type rdmLevel struct{ label, description string }

// levels reads one of rdm's level lists; nil when the key is absent.
func (d *rdmDecoder) levels(top map[string]any, key string) []rdmLevel {
	v, ok := top[key]
	if !ok || v == nil {
		return nil
	}
	ptr := "/" + key
	list, ok := v.([]any)
	if !ok {
		d.fail(ptr, "%s: expected a list of levels ({label, description}), found a %s", key, shape(v))
		return nil
	}
	var out []rdmLevel
	for i, e := range list {
		p := ptr + "/" + strconv.Itoa(i)
		var l rdmLevel
		switch x := e.(type) {
		case map[string]any:
			l = rdmLevel{label: d.text(p, x, "label"), description: d.text(p, x, "description")}
		default:
			s, ok := scalarText(x)
			if !ok {
				d.fail(p, "%s: expected a level ({label, description}), found a %s", yamlsrc.DottedKey(p), shape(e))
				continue
			}
			l.label = s
		}
		if l.label == "" {
			d.fail(p, "%s: a level without a label", yamlsrc.DottedKey(p)).
				WithHint("rdm's levels are {label: Low, description: ...}; the matrix names them by label")
			continue
		}
		out = append(out, l)
	}
	return out
}

// levelAcceptability reads what a risk level means for acceptability: from
// its words when they say it, else from its place in the list (the first
// level is acceptable, the last unacceptable, those between call for
// reduction as far as possible), as rdm's template orders them.
func levelAcceptability(l rdmLevel, i, n int) (acc, how string) {
	words := strings.ToLower(l.label + " " + l.description)
	switch {
	case strings.Contains(words, "unacceptable") || strings.Contains(words, "not acceptable") || strings.Contains(words, "intolerable"):
		return model.Unacceptable, "its description"
	case strings.Contains(words, "alarp") || strings.Contains(words, "as low as") || strings.Contains(words, "reduc") ||
		strings.Contains(words, "investigate") || strings.Contains(words, "tolerable"):
		return model.ALARP, "its description"
	case strings.Contains(words, "acceptable"):
		return model.Acceptable, "its description"
	}
	switch {
	case i == 0:
		return model.Acceptable, "its place (first)"
	case i == n-1:
		return model.Unacceptable, "its place (last)"
	}
	return model.ALARP, "its place (between first and last)"
}

// matrix reads rdm's risk matrix, or returns nil when the file declares
// none. Problems in its fit go into the matrix, for validate to report;
// what is not a level list or a matrix at all is an error.
func (d *rdmDecoder) matrix(top map[string]any) *model.RiskMatrix {
	present := 0
	for _, k := range rdmMatrixKeys {
		if v, ok := top[k]; ok && v != nil {
			present++
		}
	}
	if present == 0 {
		return nil
	}
	n := len(d.errs)
	risk := d.levels(top, "risk_levels")
	prob := d.levels(top, "risk_probability_levels")
	sev := d.levels(top, "risk_severity_levels")
	var rows []any
	if v, ok := top["risk_acceptability_matrix"]; ok && v != nil {
		if rows, ok = v.([]any); !ok {
			d.fail("/risk_acceptability_matrix", "risk_acceptability_matrix: expected a list of rows, one per severity level, found a %s", shape(v))
		}
	}
	if len(d.errs) > n {
		return nil
	}
	at := ""
	for _, k := range rdmMatrixKeys {
		if _, ok := top[k]; ok {
			at = "/" + k + "#key"
			break
		}
	}
	m := &model.RiskMatrix{Acceptability: map[string][]string{}, Levels: map[string]string{}, Source: d.at(at)}
	problem := func(format string, args ...any) { m.Problems = append(m.Problems, fmt.Sprintf(format, args...)) }
	for _, k := range rdmMatrixKeys {
		if v, ok := top[k]; !ok || v == nil {
			problem("%s is missing: rdm's matrix needs risk_levels, risk_probability_levels, risk_severity_levels and risk_acceptability_matrix", k)
		}
	}
	accOf := map[string]string{}
	for i, l := range risk {
		acc, how := levelAcceptability(l, i, len(risk))
		if prev, dup := accOf[strings.ToLower(l.label)]; dup && prev != acc {
			problem("risk level %q is defined twice, with different meanings", l.label)
		}
		accOf[strings.ToLower(l.label)] = acc
		m.Levels[l.label] = acc + " (from " + how + ")"
	}
	for _, list := range []struct {
		what   string
		levels []rdmLevel
		dst    *[]string
	}{{"severity", sev, &m.Severity}, {"probability", prob, &m.Probability}} {
		seen := map[string]bool{}
		for _, l := range list.levels {
			if seen[strings.ToLower(l.label)] {
				problem("%s level %q is defined twice", list.what, l.label)
			}
			seen[strings.ToLower(l.label)] = true
			*list.dst = append(*list.dst, l.label)
		}
	}
	if len(rows) > 0 && len(rows) != len(sev) {
		problem("risk_acceptability_matrix has %d rows, but there are %d severity levels (rdm writes a row per severity level)", len(rows), len(sev))
	}
	cells := make([][]string, len(sev)) // [severity][probability]
	var short []string                  // rows whose length is not the number of probability levels
	widths := map[int]bool{}
	for i, r := range rows {
		p := "/risk_acceptability_matrix/" + strconv.Itoa(i)
		row, ok := r.([]any)
		if !ok {
			d.fail(p, "%s: expected a row (a list of risk levels, one per probability level), found a %s", yamlsrc.DottedKey(p), shape(r))
			continue
		}
		if i >= len(sev) {
			continue
		}
		if len(row) != len(prob) {
			short = append(short, fmt.Sprintf("row %d (severity %s) has %d cells", i+1, sev[i].label, len(row)))
			widths[len(row)] = true
		}
		cells[i] = make([]string, len(prob))
		for j, c := range row {
			if j >= len(prob) {
				break
			}
			s, ok := scalarText(c)
			acc, known := accOf[strings.ToLower(s)]
			switch {
			case !ok:
				d.fail(p+"/"+strconv.Itoa(j), "%s: expected a risk level, found a %s", yamlsrc.DottedKey(p+"/"+strconv.Itoa(j)), shape(c))
			case !known:
				problem("cell (severity %s, probability %s) of risk_acceptability_matrix is %q, which is not a label of risk_levels", sev[i].label, prob[j].label, s)
			default:
				cells[i][j] = acc
			}
		}
	}
	if len(d.errs) > n {
		return nil
	}
	switch {
	case len(short) > 1 && len(short) == len(rows) && len(widths) == 1:
		for w := range widths {
			problem("every row of risk_acceptability_matrix has %d cells, but there are %d probability levels (rdm writes a cell per probability level)", w, len(prob))
		}
	case len(short) > 0:
		problem("risk_acceptability_matrix must have a cell per probability level (%d): %s", len(prob), strings.Join(short, "; "))
	}
	// The policy's orientation: a row per probability level, a cell per
	// severity level. A missing cell stays empty: trace reports the risks
	// that fall in it, never guesses.
	for j, p := range m.Probability {
		row := make([]string, len(m.Severity))
		for i := range m.Severity {
			if cells[i] != nil {
				row[i] = cells[i][j]
			}
		}
		m.Acceptability[p] = row
	}
	return m
}

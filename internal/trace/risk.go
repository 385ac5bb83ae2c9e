package trace

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/model"
)

// matrix evaluates risk estimates against the policy's risk matrix.
type matrix struct {
	sev, prob []string
	cell      map[string][]string
}

func newMatrix(m config.RiskMatrix) *matrix {
	return &matrix{sev: m.Severity, prob: m.Probability, cell: m.Acceptability}
}

// level resolves a written level (a name in any case, or its 1-based
// number) to the matrix's name and index.
func level(levels []string, v string) (string, int, bool) {
	v = strings.TrimSpace(v)
	for i, l := range levels {
		if strings.EqualFold(l, v) {
			return l, i, true
		}
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= len(levels) {
		return levels[n-1], n - 1, true
	}
	return "", -1, false
}

// estimate normalises e and fills Acceptability from the matrix; problems
// are appended to bad as messages for the lint.
func (m *matrix) estimate(e model.RiskEstimate, which string, bad []string) (model.RiskEstimate, []string) {
	out := model.RiskEstimate{Declared: e.Declared}
	if e.Severity == "" && e.Probability == "" {
		return out, bad
	}
	s, si, sok := level(m.sev, e.Severity)
	p, pi, pok := level(m.prob, e.Probability)
	if !sok {
		bad = append(bad, notALevel(which+" severity", e.Severity, m.sev))
		s = e.Severity
	}
	if !pok {
		bad = append(bad, notALevel(which+" probability", e.Probability, m.prob))
		p = e.Probability
	}
	if e.HarmProbability != "" {
		// P1 and P2 estimated apart: the probability of harm is P1 × P2,
		// at most the less likely of the two, whose level is taken (the
		// matrix's levels run from the least likely up).
		p2, p2i, ok := level(m.prob, e.HarmProbability)
		switch {
		case !ok:
			bad = append(bad, notALevel(which+" probability of harm (P2)", e.HarmProbability, m.prob))
			pok = false
		case pok && p2i < pi:
			p = p2
		}
	}
	out.Severity, out.Probability = s, p
	if sok && pok {
		if row := m.cell[p]; si < len(row) && row[si] != "" {
			out.Acceptability = row[si]
		} else {
			// A matrix a risk file declares may lack the cell (TG120):
			// the risk then has no acceptability, said, never guessed.
			bad = append(bad, fmt.Sprintf("the risk matrix gives no acceptability for %s severity %s and probability %s", which, s, p))
		}
	}
	return out, bad
}

// notALevel says that v, written as what, names no level. A number (YAML's
// 7, a spreadsheet's cell) is said as a number, with the places it may
// name; anything else is quoted as the text it is.
func notALevel(what, v string, levels []string) string {
	t := strings.TrimSpace(v)
	if _, err := strconv.ParseFloat(t, 64); err == nil && strings.IndexAny(t[:1], "+-.0123456789") == 0 {
		return fmt.Sprintf("%s %s is not a level of the risk matrix: a number names a level by its place, 1 to %d (%s)",
			what, t, len(levels), strings.Join(levels, ", "))
	}
	return fmt.Sprintf("%s %q is not a level of the risk matrix (%s)", what, v, strings.Join(levels, ", "))
}

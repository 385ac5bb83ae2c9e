package risk

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// field is what a column of a risk register holds.
type field int

const (
	fieldUnknown field = iota
	fieldID
	fieldTitle
	fieldHazard
	fieldCause
	fieldSituation
	fieldHarm
	fieldSeverity
	fieldProbability
	fieldAcceptability
	fieldControls
	fieldResidualSeverity
	fieldResidualProbability
	fieldResidualAcceptability
	fieldBenefitRisk
	// fieldPlainAcceptability is an "Acceptability" column that does not say
	// which estimate it judges; its place in the sheet decides (see columns).
	fieldPlainAcceptability
)

var fieldNames = map[field]string{
	fieldID:                    "ID",
	fieldTitle:                 "title",
	fieldHazard:                "hazard",
	fieldCause:                 "cause",
	fieldSituation:             "hazardous situation",
	fieldHarm:                  "harm",
	fieldSeverity:              "initial severity",
	fieldProbability:           "initial probability",
	fieldAcceptability:         "initial acceptability",
	fieldControls:              "risk controls",
	fieldResidualSeverity:      "residual severity",
	fieldResidualProbability:   "residual probability",
	fieldResidualAcceptability: "residual acceptability",
	fieldBenefitRisk:           "benefit-risk",
}

// headerSynonyms maps a header, lower-cased with everything but letters and
// digits removed ("Risk control(s)" → "riskcontrols"), to its field.
var headerSynonyms = map[string]field{}

func init() {
	for f, names := range map[field][]string{
		fieldID: {"id", "hazardid", "hazid", "hazardref", "hazardreference", "ref", "reference", "riskid",
			"hazardno", "hazardnumber", "hazardnr", "no", "nr", "number"},
		fieldTitle:  {"title", "name", "hazardtitle", "hazardname", "summary", "shorttitle"},
		fieldHazard: {"hazard", "hazards", "hazarddescription", "hazardsource", "sourceofharm"},
		fieldCause: {"cause", "causes", "sequenceofevents", "foreseeablesequenceofevents", "eventsequence", "events",
			"initiatingevent", "initiatingevents", "causeofhazard", "causesequenceofevents", "causesequenceofevent", "softwarecause", "rootcause"},
		fieldSituation: {"hazardoussituation", "hazardoussituations", "situation"},
		fieldHarm:      {"harm", "harms", "potentialharm", "resultingharm"},
		fieldControls: {"riskcontrol", "riskcontrols", "riskcontrolmeasure", "riskcontrolmeasures", "riskcontrolid",
			"riskcontrolids", "control", "controls", "controlmeasure", "controlmeasures", "controlid", "controlids",
			"mitigation", "mitigations", "mitigationid", "mitigationids", "riskmitigation", "riskmitigations"},
		fieldBenefitRisk: {"benefitrisk", "benefitriskanalysis", "benefitriskjustification", "benefitriskassessment",
			"benefitriskevaluation", "riskbenefit", "riskbenefitanalysis", "riskbenefitassessment"},
	} {
		for _, n := range names {
			headerSynonyms[n] = f
		}
	}
}

// Words that qualify a severity, probability or acceptability column as
// judging the risk before or after the controls.
var (
	residualWords = []string{"residual", "after", "final", "post", "postmitigation", "postcontrol", "postcontrols"}
	initialWords  = []string{"initial", "before", "pre", "inherent", "original", "premitigation", "precontrol", "precontrols"}
)

// headerWords splits a header into lower-case words of letters and digits.
func headerWords(h string) []string {
	return strings.FieldsFunc(strings.ToLower(h), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// classify names the field of one header cell.
func classify(header string) field {
	h := strings.TrimSpace(header)
	if h == "#" {
		return fieldID
	}
	words := headerWords(h)
	if f, ok := headerSynonyms[strings.Join(words, "")]; ok {
		return f
	}
	residual, initial := false, false
	var core []string
	for _, w := range words {
		switch {
		case slices.Contains(residualWords, w):
			residual = true
		case slices.Contains(initialWords, w):
			initial = true
		default:
			core = append(core, w)
		}
	}
	if residual && initial {
		return fieldUnknown // "before/after": not one estimate
	}
	var sev, prob, acc bool
	for _, w := range core {
		switch w {
		case "severity", "sev":
			sev = true
		case "probability", "prob", "likelihood", "occurrence", "frequency":
			prob = true
		case "acceptability", "acceptable", "acceptance", "accepted":
			acc = true
		}
	}
	if len(core) == 1 { // S and P as risk registers abbreviate them
		sev = sev || core[0] == "s"
		prob = prob || core[0] == "p"
	}
	switch {
	case sev && !prob && !acc:
		return pick(residual, fieldResidualSeverity, fieldSeverity)
	case prob && !sev && !acc:
		return pick(residual, fieldResidualProbability, fieldProbability)
	case acc && !sev && !prob:
		switch {
		case residual:
			return fieldResidualAcceptability
		case initial:
			return fieldAcceptability
		}
		return fieldPlainAcceptability
	}
	return fieldUnknown
}

func pick(cond bool, a, b field) field {
	if cond {
		return a
	}
	return b
}

// columns is a classified header row.
type columns struct {
	index   map[field]int // the column of each field found
	unknown []int         // columns not read
	// dup names a field given by two columns, which is ambiguous.
	dup string
}

// classifyHeader classifies every header cell. An "Acceptability" column that
// does not say which estimate it judges belongs to the estimate beside it:
// the residual one when a residual severity or probability column comes
// before it, else the initial one. A severity or probability column that
// repeats one before a risk control column is the residual estimate (the
// openregulatory FMEA table: P | S | Acceptable? | Risk Control ID(s) | P |
// S | Acceptable?).
func classifyHeader(header []string) columns {
	c := columns{index: map[field]int{}}
	fields := make([]field, len(header))
	sawResidual, sawControls := false, false
	seen := map[field]bool{}
	for i, h := range header {
		f := classify(h)
		if sawControls && seen[f] {
			// P | S | Risk control ID(s) | P | S: the estimate written
			// again after the controls is the residual one.
			switch f {
			case fieldSeverity:
				f = fieldResidualSeverity
			case fieldProbability:
				f = fieldResidualProbability
			}
		}
		switch f {
		case fieldResidualSeverity, fieldResidualProbability:
			sawResidual = true
		case fieldPlainAcceptability:
			f = pick(sawResidual, fieldResidualAcceptability, fieldAcceptability)
		case fieldControls:
			sawControls = true
		}
		seen[f] = true
		fields[i] = f
	}
	for i, f := range fields {
		if f == fieldUnknown {
			c.unknown = append(c.unknown, i)
			continue
		}
		if j, ok := c.index[f]; ok {
			if c.dup == "" {
				c.dup = fmt.Sprintf("columns %d (%q) and %d (%q) both give the %s", j+1, strings.TrimSpace(header[j]),
					i+1, strings.TrimSpace(header[i]), fieldNames[f])
			}
			continue
		}
		c.index[f] = i
	}
	return c
}

// isHeader reports whether the classified row can head a risk register: it
// names an ID column and a hazard or harm column.
func (c columns) isHeader() bool {
	_, id := c.index[fieldID]
	_, hazard := c.index[fieldHazard]
	_, harm := c.index[fieldHarm]
	return id && (hazard || harm)
}

package model

import "github.com/tracegate/tracegate/internal/input"

// Hazard is one ISO 14971 risk-analysis entry: a hazard, the sequence of
// events to a hazardous situation, the harm, and the risk estimated before
// and after the controls.
type Hazard struct {
	ID        string `json:"id"`
	Title     string `json:"title,omitempty"`
	Hazard    string `json:"hazard,omitempty"` // the potential source of harm
	Cause     string `json:"cause,omitempty"`  // sequence of events / software cause (IEC 62304 7.1)
	Situation string `json:"hazardous_situation,omitempty"`
	Harm      string `json:"harm,omitempty"`
	// Initial and Residual are the risk estimates before and after the risk
	// controls; levels are the names of the policy's risk matrix.
	Initial  RiskEstimate `json:"initial"`
	Residual RiskEstimate `json:"residual"`
	// Controls are the IDs of the risk control measures for this hazard.
	Controls []string `json:"risk_controls,omitempty"`
	// IntroducedBy are the IDs of the requirements or specifications whose
	// design introduces the hazard (IEC 62304 7.1.2, Ketryx's "introduces
	// risk" relation read from the risk's side); requirements may also name
	// it (Requirement.Introduces).
	IntroducedBy []string `json:"introduced_by,omitempty"`
	// BenefitRisk is the written benefit-risk justification required when the
	// residual risk is not acceptable outright (ISO 14971 7.4).
	BenefitRisk string    `json:"benefit_risk,omitempty"`
	Source      input.Pos `json:"source"`
	Format      string    `json:"format"`
}

// RiskEstimate is a severity and a probability of occurrence of harm, named
// by the levels of the configured risk matrix. Acceptability is filled from
// the matrix when the DHF is loaded, not written by hand: a hand-written
// acceptability that contradicts the matrix is a finding.
type RiskEstimate struct {
	Severity    string `json:"severity,omitempty"`
	Probability string `json:"probability,omitempty"`
	// HarmProbability is P2, the probability that the hazardous situation
	// leads to harm, when a file estimates it apart (Ketryx's "likelihood
	// of harm (P2)"); Probability is then P1, that of the hazardous
	// situation. The matrix has one probability: the trace takes the less
	// likely of the two levels, an upper bound of P1 × P2.
	HarmProbability string `json:"harm_probability,omitempty"`
	Acceptability   string `json:"acceptability,omitempty"` // acceptable | alarp | unacceptable, from the matrix
	Declared        string `json:"declared_acceptability,omitempty"`
}

// Acceptability levels of a risk matrix cell.
const (
	Acceptable   = "acceptable"
	ALARP        = "alarp" // reduce as far as possible; needs a benefit-risk justification
	Unacceptable = "unacceptable"
)

// RiskControl is a risk control measure (ISO 14971 7.1). In software it is
// implemented by requirements (IEC 62304 5.2.3) and verified through them.
type RiskControl struct {
	ID          string `json:"id"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	// Kind is the ISO 14971 7.1 option: inherent-safety, protective-measure or
	// information-for-safety.
	Kind string `json:"kind,omitempty"`
	// Hazards are the hazards this control reduces (filled from both
	// directions when the DHF is loaded).
	Hazards []string `json:"hazards,omitempty"`
	// Requirements are the requirements that implement the control, as the
	// risk file declares them; requirements may also point at the control.
	Requirements []string `json:"requirements,omitempty"`
	// Implicit marks a control that no file writes as an item: a reader
	// made it from a relation (Ketryx's "is risk controlled by": one
	// control per hazard and controlling item, ID "RSK-1/SRS-1"). Its ID
	// is the reader's, so the policy's ID pattern does not apply to it.
	Implicit bool      `json:"implicit,omitempty"`
	Source   input.Pos `json:"source"`
	Format   string    `json:"format"`
}

package model

import "github.com/tracegate/tracegate/internal/input"

// Requirement is one software (or system) requirement, whatever format it was
// read from.
type Requirement struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	Text  string `json:"text,omitempty"`
	Type  string `json:"type,omitempty"` // e.g. software, system, user-need, safety; free-form
	// Item names the software item (policy "items") the requirement belongs
	// to; it inherits the item's safety class.
	Item string `json:"item,omitempty"`
	// Class overrides the safety class of the item the requirement belongs to;
	// empty means "inherit".
	Class   Class    `json:"class,omitempty"`
	Parents []string `json:"parents,omitempty"` // IDs this requirement refines or fulfils
	// Derived marks a requirement that deliberately has no parent: it was
	// derived from the architecture, the risk analysis or a standard rather
	// than from a higher-level requirement (Doorstop's derived: true).
	Derived bool `json:"derived,omitempty"`
	// RiskControls lists the risk control measures (ISO 14971) this
	// requirement implements (IEC 62304 5.2.3).
	RiskControls []string `json:"risk_controls,omitempty"`
	// Introduces lists the hazards whose causes lie in this item's design
	// (Ketryx's itemIntroducesRisk on a requirement or specification; IEC
	// 62304 7.1.2 software items contributing to hazardous situations).
	Introduces []string `json:"introduces_risks,omitempty"`
	// Verification is the method: test (the default), inspection, analysis
	// or demonstration.
	Verification string `json:"verification,omitempty"`
	// Evidence names repository files that verify the requirement when the
	// method is not test (an inspection record, an analysis report).
	Evidence []string `json:"evidence,omitempty"`
	// Status is the lifecycle state as written in the file, lower-cased;
	// the policy decides which states are active.
	Status string `json:"status,omitempty"`
	// Tests lists test names that the requirement itself declares as its
	// verification (rdm and some front-matter formats link this way round).
	Tests  []string  `json:"tests,omitempty"`
	Source input.Pos `json:"source"`
	Format string    `json:"format"` // the reader that produced it
}

// Verification methods.
const (
	VerifyTest          = "test"
	VerifyInspection    = "inspection"
	VerifyAnalysis      = "analysis"
	VerifyDemonstration = "demonstration"
)

// VerificationMethods lists the accepted values of Requirement.Verification.
var VerificationMethods = []string{VerifyTest, VerifyInspection, VerifyAnalysis, VerifyDemonstration}

// Method returns the verification method, defaulting to test: a requirement
// that does not say how it is verified must be tested (fail closed).
func (r *Requirement) Method() string {
	if r.Verification == "" {
		return VerifyTest
	}
	return r.Verification
}

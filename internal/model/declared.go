package model

import "github.com/tracegate/tracegate/internal/input"

// DeclaredClass is a software safety class a design-history file states for
// the whole system, as rdm keeps it in device.yml (older rdm: system.yml).
// The policy's safety_class, when written, wins; a class the file states
// takes the place of the policy's default.
type DeclaredClass struct {
	Class  Class     `json:"class"`
	Source input.Pos `json:"source"`
}

// RiskMatrix is a risk matrix a risk file declares (rdm's risk.yml), in the
// policy's orientation: a row per probability level, an acceptability per
// severity level. The policy's risk_matrix, when written, wins; a matrix a
// file declares takes the place of the policy's default.
type RiskMatrix struct {
	Severity      []string            `json:"severity"`
	Probability   []string            `json:"probability"`
	Acceptability map[string][]string `json:"acceptability"`
	// Levels says how each of the file's own level names (rdm's "Low",
	// "Medium", "High") was read as an acceptability, for the reader of
	// the result.
	Levels map[string]string `json:"levels,omitempty"`
	// Problems say where the declared matrix does not fit its levels: a
	// row or column missing or in excess, a cell that names no level. A
	// cell that is missing is never guessed: the risks that fall in it get
	// no acceptability, and validate reports both.
	Problems []string  `json:"problems,omitempty"`
	Source   input.Pos `json:"source"`
}

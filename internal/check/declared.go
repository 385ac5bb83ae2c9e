package check

import (
	"fmt"
	"maps"
	"slices"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// declared returns the policy a tree's design history file is judged
// under: cfg, with the settings the files declare for themselves (rdm keeps
// the device's safety class in device.yml and its risk matrix in risk.yml)
// in place of the ones the policy left at their defaults. A setting the
// policy writes wins; where a file says otherwise, a warning names both, so
// that the disagreement is seen and settled in one place. Files that
// declare different values for one setting are an error: tracegate cannot
// choose between them.
func declared(cfg *config.Config, dhf *model.DHF) (*config.Config, []input.Warning, error) {
	if len(dhf.Classes) == 0 && len(dhf.RiskMatrices) == 0 {
		return cfg, nil, nil
	}
	c := *cfg
	var warns []input.Warning
	var errs input.Errors
	if len(dhf.Classes) > 0 {
		first := dhf.Classes[0]
		for _, d := range dhf.Classes[1:] {
			if d.Class != first.Class {
				errs = append(errs, input.Errorf(d.Source, "declares software safety class %s, but %s declares %s", d.Class, first.Source, first.Class).
					WithHint("state one class for the system: write safety_class in the policy, or make the files agree"))
			}
		}
		switch {
		case c.IsDefault("safety_class"):
			c.SafetyClass = first.Class
			c.Declare("safety_class", first.Source)
		case c.SafetyClass != first.Class:
			warns = append(warns, input.Warnf(first.Source, "declares software safety class %s; the policy's safety_class %s is used (%s)",
				first.Class, c.SafetyClass, c.Pos("safety_class")))
		}
	}
	if len(dhf.RiskMatrices) > 0 {
		first := dhf.RiskMatrices[0]
		for _, m := range dhf.RiskMatrices[1:] {
			if !sameMatrix(m, first) {
				errs = append(errs, input.Errorf(m.Source, "declares a risk matrix that differs from the one %s declares", first.Source).
					WithHint("keep one risk matrix: write risk_matrix in the policy, or make the files agree"))
			}
		}
		switch {
		case c.IsDefault("risk_matrix"):
			c.RiskMatrix = config.RiskMatrix{Severity: first.Severity, Probability: first.Probability, Acceptability: first.Acceptability}
			c.Declare("risk_matrix", first.Source)
		case !sameMatrix(first, model.RiskMatrix{Severity: c.RiskMatrix.Severity, Probability: c.RiskMatrix.Probability, Acceptability: c.RiskMatrix.Acceptability}):
			warns = append(warns, input.Warnf(first.Source, "declares a risk matrix (%s) that differs from the policy's risk_matrix, which is used (%s)",
				describeMatrix(first), c.Pos("risk_matrix")))
		}
	}
	if len(errs) > 0 {
		return cfg, warns, errs
	}
	return &c, warns, nil
}

func sameMatrix(a, b model.RiskMatrix) bool {
	return slices.Equal(a.Severity, b.Severity) && slices.Equal(a.Probability, b.Probability) &&
		maps.EqualFunc(a.Acceptability, b.Acceptability, slices.Equal)
}

func describeMatrix(m model.RiskMatrix) string {
	return fmt.Sprintf("%d severity × %d probability levels", len(m.Severity), len(m.Probability))
}

package dose

import "fmt"

// Verdict is the outcome of a limit check.
type Verdict int

const (
	Allowed           Verdict = iota
	NeedsConfirmation         // above the soft limit: the user must confirm
	Rejected                  // above the hard limit: cannot be programmed
)

func (v Verdict) String() string {
	switch v {
	case Allowed:
		return "allowed"
	case NeedsConfirmation:
		return "needs-confirmation"
	case Rejected:
		return "rejected"
	}
	return fmt.Sprintf("verdict(%d)", int(v))
}

// Decision is a verdict with the reason shown to the user.
type Decision struct {
	Verdict Verdict
	Reason  string
}

// CheckDose applies the drug library limits of entry to a dose in the
// entry's unit. Limits are inclusive: a dose equal to the hard limit is
// still allowed, as the pharmacy committee defines them.
func CheckDose(e DrugEntry, dose float64) Decision {
	switch {
	case e.HardMax > 0 && dose > e.HardMax:
		return Decision{Rejected, fmt.Sprintf("%g %s exceeds the hard limit of %g %s for %s", dose, e.Unit, e.HardMax, e.Unit, e.Name)}
	case e.SoftMax > 0 && dose > e.SoftMax:
		return Decision{NeedsConfirmation, fmt.Sprintf("%g %s exceeds the soft limit of %g %s for %s", dose, e.Unit, e.SoftMax, e.Unit, e.Name)}
	}
	return Decision{Verdict: Allowed}
}

// CheckBolus rejects a bolus larger than the entry allows.
func CheckBolus(e DrugEntry, ml float64) error {
	if e.MaxBolusML <= 0 {
		return fmt.Errorf("bolus is disabled for %s", e.Name)
	}
	if ml <= 0 || ml > e.MaxBolusML {
		return fmt.Errorf("bolus of %g mL is outside 0 to %g mL for %s", ml, e.MaxBolusML, e.Name)
	}
	return nil
}

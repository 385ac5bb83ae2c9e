package ui

import (
	"errors"
	"hash/fnv"
	"strings"
)

// Programme is what the user programmed, as the confirmation screen shows it.
type Programme struct {
	Drug          string
	Amount        float64
	AmountUnit    string
	VolumeML      float64
	Dose          float64
	DoseUnit      string
	WeightKg      float64 // 0 when the dose is not weight-based
	RateMLh       float64
	VTBIML        float64 // 0 when not set
	SoftLimitNote string  // the soft limit the user overrides, if any
}

// Screen returns the lines of the confirmation screen and a token that
// identifies exactly what was shown.
func Screen(p Programme) (lines []string, token uint32) {
	lines = []string{"Drug: " + DrugName(p.Drug)}
	if p.VolumeML > 0 { // basic mL/h mode has no drug concentration
		lines = append(lines, "Concentration: "+Concentration(p.Amount, p.AmountUnit, p.VolumeML))
	}
	lines = append(lines, "Dose: "+Dose(p.Dose, p.DoseUnit))
	if p.WeightKg > 0 {
		lines = append(lines, "Weight: "+Number(p.WeightKg, 1)+" kg")
	}
	lines = append(lines, "Rate: "+Rate(p.RateMLh))
	if p.VTBIML > 0 {
		lines = append(lines, "Volume to infuse: "+Number(p.VTBIML, 1)+" mL")
	}
	if p.SoftLimitNote != "" {
		lines = append(lines, "ABOVE SOFT LIMIT: "+p.SoftLimitNote)
	}
	h := fnv.New32a()
	h.Write([]byte(strings.Join(lines, "\n")))
	return lines, h.Sum32()
}

// ErrStaleConfirmation is returned when the programme changed after the
// confirmation screen was shown.
var ErrStaleConfirmation = errors.New("the programme changed after it was confirmed: review it again")

// Confirm checks that the user confirmed the programme that will run: the
// token of the screen the user saw must be the token of p now.
func Confirm(p Programme, token uint32) error {
	if _, now := Screen(p); now != token {
		return ErrStaleConfirmation
	}
	return nil
}

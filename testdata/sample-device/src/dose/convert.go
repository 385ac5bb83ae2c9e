package dose

import (
	"fmt"
	"math"
)

// DoseUnit is the unit a drug library entry is programmed in.
type DoseUnit string

const (
	MLPerH         DoseUnit = "mL/h"
	MgPerH         DoseUnit = "mg/h"
	MgPerKgPerH    DoseUnit = "mg/kg/h"
	McgPerKgPerMin DoseUnit = "mcg/kg/min"
	UnitsPerH      DoseUnit = "units/h"
)

// Concentration is the drug amount in a syringe volume, as the drug library
// gives it ("50 mg in 50 mL").
type Concentration struct {
	Amount   float64
	Unit     string // mg, mcg or units
	VolumeML float64
}

// PerML is the amount per millilitre.
func (c Concentration) PerML() float64 { return c.Amount / c.VolumeML }

// Patient weight range accepted for weight-based dosing: a 500 g neonate to
// a 350 kg bariatric patient. Anything else is a typing error (kg vs g).
const (
	MinWeightKg = 0.5
	MaxWeightKg = 350.0
)

// weightBased reports whether the unit scales with patient weight.
func (u DoseUnit) weightBased() bool { return u == MgPerKgPerH || u == McgPerKgPerMin }

// amountUnit is the drug amount the dose unit counts.
func (u DoseUnit) amountUnit() string {
	switch u {
	case MgPerH, MgPerKgPerH:
		return "mg"
	case McgPerKgPerMin:
		return "mcg"
	case UnitsPerH:
		return "units"
	}
	return ""
}

// massFactor converts an amount in unit from into unit to (mg and mcg only).
func massFactor(from, to string) (float64, bool) {
	scale := map[string]float64{"mg": 1000, "mcg": 1}
	f, ok1 := scale[from]
	t, ok2 := scale[to]
	if ok1 && ok2 {
		return f / t, true
	}
	return 1, from == to
}

// RateFor converts a dose in unit into a volumetric rate in mL/h for a drug
// at concentration conc and a patient of weightKg (ignored for units that do
// not scale with weight). The result is not rounded; RoundRate does that
// where a rate is shown or programmed.
func RateFor(dose float64, unit DoseUnit, weightKg float64, conc Concentration) (float64, error) {
	if math.IsNaN(dose) || dose < 0 {
		return 0, fmt.Errorf("dose %g is not a positive number", dose)
	}
	if unit == MLPerH {
		return dose, nil
	}
	if conc.VolumeML <= 0 || conc.Amount <= 0 {
		return 0, fmt.Errorf("drug library entry has no concentration")
	}
	perHour := dose
	if unit.weightBased() {
		if weightKg < MinWeightKg || weightKg > MaxWeightKg {
			return 0, fmt.Errorf("patient weight %g kg is outside %g to %g kg", weightKg, MinWeightKg, MaxWeightKg)
		}
		perHour *= weightKg
	}
	if unit == McgPerKgPerMin {
		perHour *= 60
	}
	f, ok := massFactor(unit.amountUnit(), conc.Unit)
	if !ok {
		return 0, fmt.Errorf("dose unit %s cannot be given from a concentration in %s", unit, conc.Unit)
	}
	return perHour * f / conc.PerML(), nil
}

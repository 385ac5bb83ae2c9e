package dose

import (
	"fmt"
	"math"
)

// Delivered-volume cross-check tolerances. Below 4 mL the plunger's
// mechanical slack dominates, hence the absolute floor.
const (
	MonitorToleranceFraction = 0.05
	MonitorToleranceMinML    = 0.2
)

// CheckDelivered compares the volume the engine commanded with the volume
// measured independently from the plunger position encoder. A deviation
// beyond tolerance means the drive does not do what the engine asked: the
// caller stops the infusion and raises a high-priority alarm.
func CheckDelivered(commandedML, measuredML float64) error {
	tol := math.Max(commandedML*MonitorToleranceFraction, MonitorToleranceMinML)
	if d := measuredML - commandedML; math.Abs(d) > tol || math.IsNaN(d) {
		return fmt.Errorf("plunger moved %.2f mL, engine commanded %.2f mL (tolerance %.2f mL)", measuredML, commandedML, tol)
	}
	return nil
}

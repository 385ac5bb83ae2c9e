package dose

import (
	"fmt"
	"math"
)

// Mechanism limits of the SP-1 drive (lead screw pitch 1 mm, 200-step motor
// at 16 microsteps).
const (
	MinRateMLh       = 0.1
	MaxRateMLh       = 1200.0
	MicrostepsPerMM  = 3200.0
	RateResolutionML = 0.1 // display and programming resolution in mL/h
)

// ValidateRate rejects a rate the mechanism cannot deliver accurately. A
// rate outside the range is rejected, never clamped: a clamped rate is a
// rate nobody programmed.
func ValidateRate(mlh float64) error {
	if math.IsNaN(mlh) || math.IsInf(mlh, 0) {
		return fmt.Errorf("rate is not a number")
	}
	if mlh < MinRateMLh || mlh > MaxRateMLh {
		return fmt.Errorf("rate %g mL/h is outside the pump's range %g to %g mL/h", mlh, MinRateMLh, MaxRateMLh)
	}
	return nil
}

// MLPerMM is the volume one millimetre of plunger travel displaces.
func (s Syringe) MLPerMM() float64 {
	r := s.InnerDiameterMM / 2
	return math.Pi * r * r / 1000 // mm³ to mL
}

// StepRate returns the motor microstep frequency (steps per second) that
// delivers mlh through syringe s.
func StepRate(mlh float64, s Syringe) (float64, error) {
	if err := ValidateRate(mlh); err != nil {
		return 0, err
	}
	if s.InnerDiameterMM <= 0 {
		return 0, fmt.Errorf("syringe %q has no inner diameter", s.Code)
	}
	mmPerSecond := mlh / 3600 / s.MLPerMM()
	return mmPerSecond * MicrostepsPerMM, nil
}

// VolumeForSteps converts counted motor microsteps back to delivered volume.
func VolumeForSteps(steps int64, s Syringe) float64 {
	return float64(steps) / MicrostepsPerMM * s.MLPerMM()
}

// RoundRate rounds a computed rate to the programming resolution of
// 0.1 mL/h, halves rounding up.
func RoundRate(mlh float64) float64 {
	return math.Round(mlh*10) / 10
}

package dose

import (
	"fmt"
	"math"
)

// Syringe is one entry of the syringe library. Diameters come from the
// manufacturers' data sheets and are released with the library (CR-014).
type Syringe struct {
	Code            string  // short code shown on the syringe selection screen
	Brand           string  // manufacturer and product line
	SizeML          int     // nominal capacity
	InnerDiameterMM float64 // barrel bore: sets the volume per millimetre of plunger travel
	OuterDiameterMM float64 // barrel outside: what the clamp sensor measures
}

// Syringes is the syringe library of software version 2.3.
var Syringes = []Syringe{
	{Code: "BD-P10", Brand: "BD Plastipak", SizeML: 10, InnerDiameterMM: 14.50, OuterDiameterMM: 16.40},
	{Code: "BD-P20", Brand: "BD Plastipak", SizeML: 20, InnerDiameterMM: 19.13, OuterDiameterMM: 21.30},
	{Code: "BD-P50", Brand: "BD Plastipak", SizeML: 50, InnerDiameterMM: 26.59, OuterDiameterMM: 29.10},
	{Code: "BR-O20", Brand: "B. Braun Omnifix", SizeML: 20, InnerDiameterMM: 20.05, OuterDiameterMM: 23.00},
	{Code: "BR-O50", Brand: "B. Braun Omnifix", SizeML: 50, InnerDiameterMM: 28.90, OuterDiameterMM: 31.00},
	{Code: "TE-50", Brand: "Terumo", SizeML: 50, InnerDiameterMM: 29.10, OuterDiameterMM: 32.80},
}

// LookupSyringe returns the library entry with the given code.
func LookupSyringe(code string) (Syringe, error) {
	for _, s := range Syringes {
		if s.Code == code {
			return s, nil
		}
	}
	return Syringe{}, fmt.Errorf("syringe %q is not in the syringe library", code)
}

// ClampToleranceMM is how far the measured barrel diameter may be from the
// selected syringe's. Library syringes differ by at least 1.6 mm, more
// than this tolerance plus the sensor's ±0.5 mm error, so the wrong syringe
// is never accepted; a new library entry must keep that distance.
const ClampToleranceMM = 0.75

// VerifySyringe checks the syringe the user selected against the barrel
// diameter the clamp sensor measured. Selecting a 50 mL syringe of one brand
// while another is loaded changes the delivered volume by up to 20 %.
func VerifySyringe(selected Syringe, measuredMM float64) error {
	if math.IsNaN(measuredMM) || measuredMM <= 0 {
		return fmt.Errorf("barrel clamp reports no syringe (%.2f mm)", measuredMM)
	}
	if d := math.Abs(measuredMM - selected.OuterDiameterMM); d > ClampToleranceMM {
		return fmt.Errorf("loaded syringe measures %.2f mm, %s %d mL is %.2f mm: check the syringe selection",
			measuredMM, selected.Brand, selected.SizeML, selected.OuterDiameterMM)
	}
	return nil
}

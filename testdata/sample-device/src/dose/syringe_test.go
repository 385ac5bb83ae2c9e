package dose

import "testing"

// Verifies: SRS-012
func TestVerifySyringe(t *testing.T) {
	bd50, _ := LookupSyringe("BD-P50")
	tests := []struct {
		name     string
		measured float64
		ok       bool
	}{
		{"BD 50 mL loaded", 29.1, true},
		{"BD 50 mL, sensor at tolerance", 29.1 + ClampToleranceMM, true},
		{"Omnifix 50 mL loaded instead", 31.0, false},
		{"20 mL syringe loaded instead", 21.3, false},
		{"clamp open", 0, false},
	}
	for _, tc := range tests {
		if err := VerifySyringe(bd50, tc.measured); (err == nil) != tc.ok {
			t.Errorf("%s: VerifySyringe(BD-P50, %g mm) = %v, want ok=%v", tc.name, tc.measured, err, tc.ok)
		}
	}
	// No two library syringes may be confused, even with the clamp
	// sensor's ±0.5 mm error.
	const sensorErrorMM = 0.5
	for _, a := range Syringes {
		for _, b := range Syringes {
			if a.Code == b.Code {
				continue
			}
			for _, e := range []float64{-sensorErrorMM, 0, sensorErrorMM} {
				if VerifySyringe(a, b.OuterDiameterMM+e) == nil {
					t.Errorf("%s measured at %.2f mm would be accepted as %s", b.Code, b.OuterDiameterMM+e, a.Code)
				}
			}
		}
	}
}

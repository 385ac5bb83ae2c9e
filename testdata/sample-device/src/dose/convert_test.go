package dose

import (
	"math"
	"testing"
)

// Verifies: SRS-007
func TestRateFor(t *testing.T) {
	tests := []struct {
		name     string
		entry    DrugEntry
		dose     float64
		weightKg float64
		want     float64 // mL/h, worked out by hand
		wantErr  bool
	}{
		{"mg/h", morphineAdult, 4, 0, 4, false},              // 4 mg/h at 1 mg/mL
		{"mg/kg/h", morphinePaed, 0.02, 12, 0.24, false},     // 0.24 mg/h at 1 mg/mL
		{"mcg/kg/min", noradrenaline, 0.1, 80, 6, false},     // 8 mcg/min = 480 mcg/h at 80 mcg/mL
		{"units/h", heparin, 1000, 0, 2, false},              // at 500 units/mL
		{"mL/h passes through", basic, 12.5, 0, 12.5, false}, //
		{"weight in grams typed as kg", morphinePaed, 0.02, 3500, 0, true},
		{"weight missing", noradrenaline, 0.1, 0, 0, true},
		{"negative dose", morphineAdult, -1, 0, 0, true},
		{"no concentration", DrugEntry{Unit: MgPerH}, 1, 0, 0, true},
		{"units dose from a mg concentration", DrugEntry{Unit: UnitsPerH, Concentration: Concentration{50, "mg", 50}}, 1, 0, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := RateFor(tc.dose, tc.entry.Unit, tc.weightKg, tc.entry.Concentration)
			if (err != nil) != tc.wantErr {
				t.Fatalf("RateFor() error = %v, want error %v", err, tc.wantErr)
			}
			if !tc.wantErr && math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("RateFor(%g %s, %g kg) = %g mL/h, want %g", tc.dose, tc.entry.Unit, tc.weightKg, got, tc.want)
			}
		})
	}
}

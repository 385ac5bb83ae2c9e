package ui

import "testing"

// Verifies: SRS-040, SRS-044
func TestRateAndDoseShowUnits(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{Rate(5), "5 mL/h"},
		{Rate(0.5), "0.5 mL/h"},
		{Dose(0.1, "mcg/kg/min"), "0.1 mcg/kg/min"},
		{Dose(0.1, "ug/kg/min"), "0.1 mcg/kg/min"},
		{Dose(0.1, "µg/kg/min"), "0.1 mcg/kg/min"},
		{Dose(1000, "U/h"), "1000 units/h"},
		{Dose(2, "mg/h"), "2 mg/h"},
		{Dose(2, "mg/KG/H"), "2 mg/kg/h"},
		{Dose(2, "gr/h"), "2 ?gr/h?"}, // unknown units are flagged, never dropped
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// Verifies: SRS-044
func TestUnitSymbols(t *testing.T) {
	for in, want := range map[string]string{
		"µg": "mcg", "μg": "mcg", "ug": "mcg", "MCG": "mcg",
		"U": "units", "IU": "units", "cc": "mL", "ml": "mL",
	} {
		if got, ok := Unit(in); !ok || got != want {
			t.Errorf("Unit(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := Unit("drops"); ok {
		t.Error("an unknown unit was accepted")
	}
}

// Verifies: SRS-047
func TestConcentration(t *testing.T) {
	tests := []struct {
		amount   float64
		unit     string
		volumeML float64
		want     string
	}{
		{50, "mg", 50, "50 mg in 50 mL (1 mg/mL)"},
		{4, "mg", 50, "4 mg in 50 mL (0.08 mg/mL)"},
		{25000, "U", 50, "25000 units in 50 mL (500 units/mL)"},
		{400, "ug", 20, "400 mcg in 20 mL (20 mcg/mL)"},
		{10, "mg", 0, "10 mg in 0 mL (--- mg/mL)"},
	}
	for _, tc := range tests {
		if got := Concentration(tc.amount, tc.unit, tc.volumeML); got != tc.want {
			t.Errorf("Concentration(%g, %s, %g) = %q, want %q", tc.amount, tc.unit, tc.volumeML, got, tc.want)
		}
	}
}

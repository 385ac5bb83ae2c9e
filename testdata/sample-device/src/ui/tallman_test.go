package ui

import "testing"

// Verifies: SRS-042
func TestDrugName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Dopamine", "DOPamine"},
		{"dobutamine", "DOBUTamine"},
		{"Hydromorphone 10 mg", "HYDROmorphone 10 mg"},
		{"Morphine", "Morphine"}, // not on the list: shown as the library has it
		{"Heparin", "Heparin"},
	}
	for _, tc := range tests {
		if got := DrugName(tc.in); got != tc.want {
			t.Errorf("DrugName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Look-alike pairs must look different on screen.
	pairs := [][2]string{{"dopamine", "dobutamine"}, {"hydralazine", "hydroxyzine"}, {"nicardipine", "nifedipine"}, {"vinblastine", "vincristine"}}
	for _, p := range pairs {
		if DrugName(p[0]) == p[0] || DrugName(p[1]) == p[1] {
			t.Errorf("%s / %s: not both in tall-man lettering", p[0], p[1])
		}
	}
}

package dose

import (
	"math"
	"testing"
)

// Verifies: SRS-010
func TestCheckDelivered(t *testing.T) {
	tests := []struct {
		commanded, measured float64
		ok                  bool
	}{
		{10, 10, true},
		{10, 10.49, true}, // within 5 %
		{10, 10.6, false}, // over-infusion beyond 5 %
		{10, 9.4, false},  // under-infusion beyond 5 %
		{1, 1.19, true},   // small volumes: 0.2 mL floor
		{1, 1.25, false},  //
		{0, 0.25, false},  // plunger moves while nothing was commanded
		{10, math.NaN(), false},
	}
	for _, tc := range tests {
		if err := CheckDelivered(tc.commanded, tc.measured); (err == nil) != tc.ok {
			t.Errorf("CheckDelivered(%g, %g) = %v, want ok=%v", tc.commanded, tc.measured, err, tc.ok)
		}
	}
}

package ui

import (
	"math"
	"testing"
)

// Verifies: SRS-041
func TestNumber(t *testing.T) {
	tests := []struct {
		v        float64
		decimals int
		want     string
	}{
		{0.5, 1, "0.5"},
		{5, 1, "5"},
		{5.0, 3, "5"},
		{12.25, 2, "12.25"},
		{0.05, 1, "0.1"}, // display resolution; the engine rounds what runs
		{0.04, 1, "0"},
		{1200, 1, "1200"},
		{0.125, 3, "0.125"},
		{-0.01, 1, "0"},
		{math.NaN(), 1, "---"},
	}
	for _, tc := range tests {
		if got := Number(tc.v, tc.decimals); got != tc.want {
			t.Errorf("Number(%g, %d) = %q, want %q", tc.v, tc.decimals, got, tc.want)
		}
	}
}

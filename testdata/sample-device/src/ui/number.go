package ui

import (
	"math"
	"strconv"
	"strings"
)

// Number formats v with at most decimals digits after the point, always
// with a leading zero ("0.5", never ".5") and never with a trailing zero
// ("5", never "5.0"): a lost decimal point must not turn 0.5 into 5 or 5.0
// into 50.
func Number(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "---"
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

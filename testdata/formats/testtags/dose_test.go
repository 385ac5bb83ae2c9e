// Package dose tests the dose engine.
//
// Verifies: SRS-900 (a file-level tag: not attached to any test, reported)
package dose

import "testing"

// Verifies: SRS-901 — on a declaration that is not a function: reported.
var limits = []float64{1, 10}

// TestBolusLimit checks the maximum bolus.
//
// Verifies: SRS-001, SRS-002
func TestBolusLimit(t *testing.T) {
	// Verifies: SRS-003 (in the body)
	if Accept(11) {
		t.Fatal("limit not enforced")
	}
	_ = "Verifies: SRS-999 in a string is not a tag"
}

func TestBolusTable(t *testing.T) {
	t.Run("under limit", func(t *testing.T) {
		// Verifies: SRS-004
		if !Accept(9.5) {
			t.Fatal("rejected")
		}
	})
	// Verifies: SRS-005
	t.Run("over limit", func(t *testing.T) {
		t.Run("by one", func(t *testing.T) {
			/* Verifies: SRS-006 */
		})
	})
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {
			// Verifies: SRS-007 (computed subtest name: the parent test)
		})
	}
}

type pumpSuite struct{}

// Verifies: SRS-008
func (s *pumpSuite) TestPrime(t *testing.T) {}

// ExampleAccept shows the limit.
//
// Verifies: SRS-009,
// SRS-010
func ExampleAccept() {}

func FuzzAccept(f *testing.F) {
	f.Fuzz(func(t *testing.T, v float64) {
		// @verifies SRS-011
		Accept(v)
	})
}

// Verifies: nothing that matches the pattern
func TestNoID(t *testing.T) {}

func Accept(v float64) bool { return v > 0 && v <= 10 }

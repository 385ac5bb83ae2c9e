package ui

import (
	"reflect"
	"testing"
)

var noradProgramme = Programme{
	Drug: "Noradrenaline", Amount: 4, AmountUnit: "mg", VolumeML: 50,
	Dose: 0.1, DoseUnit: "mcg/kg/min", WeightKg: 80, RateMLh: 6, VTBIML: 48,
}

func TestConfirmation(t *testing.T) {
	t.Run("screen shows the whole programme", func(t *testing.T) {
		// Verifies: SRS-043
		lines, _ := Screen(noradProgramme)
		want := []string{
			"Drug: Noradrenaline",
			"Concentration: 4 mg in 50 mL (0.08 mg/mL)",
			"Dose: 0.1 mcg/kg/min",
			"Weight: 80 kg",
			"Rate: 6 mL/h",
			"Volume to infuse: 48 mL",
		}
		if !reflect.DeepEqual(lines, want) {
			t.Errorf("screen\n%q\nwant\n%q", lines, want)
		}
	})
	t.Run("confirmation of the programme shown", func(t *testing.T) {
		// Verifies: SRS-043
		_, token := Screen(noradProgramme)
		if err := Confirm(noradProgramme, token); err != nil {
			t.Error(err)
		}
		changed := noradProgramme
		changed.RateMLh = 60 // a tenfold edit after the screen was shown
		if err := Confirm(changed, token); err != ErrStaleConfirmation {
			t.Errorf("Confirm(changed programme) = %v, want ErrStaleConfirmation", err)
		}
	})
	t.Run("soft limit override is on the screen", func(t *testing.T) {
		// Verifies: SRS-004, SRS-043
		p := noradProgramme
		p.SoftLimitNote = "0.6 mcg/kg/min exceeds the soft limit of 0.5 mcg/kg/min"
		lines, _ := Screen(p)
		if last := lines[len(lines)-1]; last != "ABOVE SOFT LIMIT: "+p.SoftLimitNote {
			t.Errorf("last line %q does not show the override", last)
		}
	})
}

// Verifies: SRS-045
func TestPurgeGate(t *testing.T) {
	var g PurgeGate
	if err := g.CanStart(); err != nil {
		t.Fatalf("before any syringe: %v", err)
	}
	g.SyringeLoaded()
	if err := g.CanStart(); err != ErrPurgeFirst {
		t.Errorf("new syringe, not purged: %v, want ErrPurgeFirst", err)
	}
	g.Purged()
	if err := g.CanStart(); err != nil {
		t.Errorf("after purge: %v", err)
	}
	g.SyringeLoaded()
	g.ConfirmPrimed()
	if err := g.CanStart(); err != nil {
		t.Errorf("after confirming a primed line: %v", err)
	}
}

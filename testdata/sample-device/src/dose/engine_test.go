package dose

import (
	"math"
	"testing"
	"time"
)

func loadedEngine(t *testing.T, entry DrugEntry, weightKg float64) (*Engine, *fakeMotor) {
	t.Helper()
	m := &fakeMotor{}
	e := NewEngine(m)
	bd50, _ := LookupSyringe("BD-P50")
	if err := e.LoadSyringe(bd50, 29.1); err != nil {
		t.Fatal(err)
	}
	e.SelectDrug(entry, weightKg)
	return e, m
}

func TestEngine(t *testing.T) {
	t.Run("hard limit blocks the programme", func(t *testing.T) {
		// Verifies: SRS-003
		e, m := loadedEngine(t, morphineAdult, 0)
		if _, err := e.Program(25, 0); err == nil {
			t.Fatal("25 mg/h accepted above the 20 mg/h hard limit")
		}
		if err := e.Start(); err == nil {
			t.Error("started without a valid programme")
		}
		if m.last() != 0 {
			t.Errorf("motor commanded to %g steps/s", m.last())
		}
	})
	t.Run("soft limit needs confirmation before start", func(t *testing.T) {
		// Verifies: SRS-004
		e, m := loadedEngine(t, morphineAdult, 0)
		d, err := e.Program(12, 0)
		if err != nil || d.Verdict != NeedsConfirmation {
			t.Fatalf("Program(12 mg/h) = %v, %v; want a soft-limit decision", d, err)
		}
		if err := e.Start(); err == nil {
			t.Fatal("started above the soft limit without confirmation")
		}
		e.ConfirmSoftLimit()
		if err := e.Start(); err != nil {
			t.Fatal(err)
		}
		if want, _ := StepRate(12, e.Syringe()); m.last() != want {
			t.Errorf("motor at %g steps/s, want %g", m.last(), want)
		}
	})
	t.Run("bolus refused when the hour's volume is used up", func(t *testing.T) {
		// Verifies: SRS-005, SRS-006
		e, _ := loadedEngine(t, morphineAdult, 0)
		if _, err := e.Program(10, 0); err != nil { // 10 mL/h at 1 mg/mL
			t.Fatal(err)
		}
		if err := e.Start(); err != nil {
			t.Fatal(err)
		}
		for range 50 * 60 {
			e.Tick(time.Second)
		}
		if err := e.Bolus(2); err != nil {
			t.Fatalf("first bolus after 50 min: %v", err)
		}
		for range 60 {
			e.Tick(time.Second)
		}
		if e.CurrentMLh() != 10 {
			t.Fatalf("after the bolus the pump runs at %g mL/h, want the basal 10", e.CurrentMLh())
		}
		// 8.33 basal + 2 bolus + 0.17 basal = 10.5 mL so far; 25 - 10.5 leaves room for one more 2 mL
		// bolus but by 59 minutes the basal has added 1.3 mL more: the sum stays below 25 mL.
		if err := e.Bolus(2); err != nil {
			t.Fatalf("second bolus: %v", err)
		}
		for range 120 {
			e.Tick(time.Second)
		}
		if err := e.Bolus(2.1); err == nil {
			t.Error("bolus above the 2 mL maximum accepted")
		}
		got := e.DeliveredML()
		want := 10*(float64(50*60+60+120)/3600) + 2*2*(1-10.0/BolusRateMLh)
		if math.Abs(got-want) > 1e-6 {
			t.Errorf("delivered %.4f mL, want %.4f", got, want)
		}
	})
	t.Run("alarm inhibit cannot be overridden by start", func(t *testing.T) {
		// Verifies: SRS-020
		e, m := loadedEngine(t, basic, 0)
		if _, err := e.Program(5, 0); err != nil {
			t.Fatal(err)
		}
		if err := e.Start(); err != nil {
			t.Fatal(err)
		}
		e.Inhibit("occlusion")
		if err := e.Start(); err == nil {
			t.Error("restarted while an occlusion inhibits the motor")
		}
		if m.last() != 0 {
			t.Errorf("motor at %g steps/s while inhibited", m.last())
		}
		e.Release()
		if err := e.Start(); err != nil {
			t.Errorf("after release: %v", err)
		}
	})
	t.Run("stops when the volume to be infused is delivered", func(t *testing.T) {
		// Verifies: SRS-027
		e, m := loadedEngine(t, basic, 0)
		if _, err := e.Program(60, 5); err != nil { // 5 mL at 60 mL/h: 5 minutes
			t.Fatal(err)
		}
		if err := e.Start(); err != nil {
			t.Fatal(err)
		}
		var done bool
		var ticks int
		for !done && ticks < 600 {
			_, done = e.Tick(time.Second)
			ticks++
		}
		if !done || ticks != 300 {
			t.Errorf("done=%v after %d s, want done after 300 s", done, ticks)
		}
		if e.DeliveredML() != 5 || e.Running() || m.last() != 0 {
			t.Errorf("delivered %g mL, running %v, motor %g: want 5 mL and stopped", e.DeliveredML(), e.Running(), m.last())
		}
	})
}

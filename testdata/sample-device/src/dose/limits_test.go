package dose

import (
	"testing"
	"time"
)

// Verifies: SRS-003, SRS-004
func TestCheckDose(t *testing.T) {
	tests := []struct {
		name  string
		entry DrugEntry
		dose  float64
		want  Verdict
	}{
		{"morphine within limits", morphineAdult, 4, Allowed},
		{"morphine at the soft limit", morphineAdult, 10, Allowed},
		{"morphine above the soft limit", morphineAdult, 10.5, NeedsConfirmation},
		{"morphine at the hard limit", morphineAdult, 20, NeedsConfirmation},
		{"morphine above the hard limit", morphineAdult, 20.1, Rejected},
		{"noradrenaline tenfold error", noradrenaline, 1.5, Rejected},
		{"heparin above soft limit", heparin, 2500, NeedsConfirmation},
		{"basic mode has no library limits", basic, 999, Allowed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := CheckDose(tc.entry, tc.dose)
			if d.Verdict != tc.want {
				t.Errorf("CheckDose(%s, %g) = %v (%s), want %v", tc.entry.Name, tc.dose, d.Verdict, d.Reason, tc.want)
			}
			if d.Verdict != Allowed && d.Reason == "" {
				t.Error("a limit decision must tell the user which limit applies")
			}
		})
	}
}

// Verifies: SRS-005
func TestCheckBolus(t *testing.T) {
	tests := []struct {
		entry DrugEntry
		ml    float64
		ok    bool
	}{
		{morphineAdult, 2, true},
		{morphineAdult, 0.5, true},
		{morphineAdult, 2.1, false},
		{morphineAdult, 0, false},
		{morphineAdult, -1, false},
		{noradrenaline, 0.5, false}, // bolus disabled for vasopressors
	}
	for _, tc := range tests {
		if err := CheckBolus(tc.entry, tc.ml); (err == nil) != tc.ok {
			t.Errorf("CheckBolus(%s, %g mL) = %v, want ok=%v", tc.entry.Name, tc.ml, err, tc.ok)
		}
	}
}

func TestHourlyLimiter(t *testing.T) {
	t.Run("basal and bolus share the hourly limit", func(t *testing.T) {
		// Verifies: SRS-006
		h := HourlyLimiter{LimitML: 25}
		for m := 0; m < 60; m++ {
			h.Record(time.Duration(m)*time.Minute, 20.0/60) // 20 mL/h basal
		}
		now := 59 * time.Minute
		if err := h.Allow(now, 4.9); err != nil {
			t.Errorf("4.9 mL on top of 20 mL in the hour: %v", err)
		}
		if err := h.Allow(now, 5.1); err == nil {
			t.Error("5.1 mL on top of 20 mL in the hour exceeds 25 mL but was allowed")
		}
	})
	t.Run("volume older than an hour no longer counts", func(t *testing.T) {
		// Verifies: SRS-006
		h := HourlyLimiter{LimitML: 5}
		h.Record(0, 5)
		if err := h.Allow(30*time.Minute, 0.1); err == nil {
			t.Error("limit reached 30 minutes ago but more volume was allowed")
		}
		if err := h.Allow(62*time.Minute, 5); err != nil {
			t.Errorf("62 minutes later: %v", err)
		}
	})
	t.Run("no limit configured", func(t *testing.T) {
		h := HourlyLimiter{}
		h.Record(0, 500)
		if err := h.Allow(time.Minute, 500); err != nil {
			t.Error(err)
		}
	})
}

package alarm

import "testing"

// Verifies: SRS-026
func TestBattery(t *testing.T) {
	tests := []struct {
		minutes float64
		mains   bool
		want    BatteryState
	}{
		{240, false, BatteryOK},
		{30.5, false, BatteryOK},
		{30, false, BatteryLowState},
		{5, false, BatteryDepletedState},
		{1, false, BatteryCutoff},
		{0.5, true, BatteryOK},
	}
	for _, tc := range tests {
		if got := Battery(tc.minutes, tc.mains); got != tc.want {
			t.Errorf("Battery(%g min, mains=%v) = %v, want %v", tc.minutes, tc.mains, got, tc.want)
		}
	}
}

// Verifies: SRS-027
func TestProgress(t *testing.T) {
	tests := []struct {
		remaining, rate float64
		want            Condition
	}{
		{20, 60, ""},         // 20 minutes left
		{5, 60, NearEnd},     // 5 minutes left
		{0.05, 0.5, ""},      // 6 minutes left at a slow rate
		{0.04, 0.5, NearEnd}, // 4.8 minutes
		{0, 10, EndOfInfusion},
		{-1, 10, ""}, // no volume to be infused was set
	}
	for _, tc := range tests {
		got, _ := Progress(tc.remaining, tc.rate)
		if got != tc.want {
			t.Errorf("Progress(%g mL, %g mL/h) = %q, want %q", tc.remaining, tc.rate, got, tc.want)
		}
	}
}

// Verifies: SRS-028
func TestDisengagement(t *testing.T) {
	tests := []struct {
		name    string
		clamp   []bool
		plunger []bool
		want    bool
	}{
		{"engaged", []bool{true, true, true}, []bool{true, true, true}, false},
		{"clamp opened", []bool{false, false, false}, []bool{true, true, true}, true},
		{"plunger released", []bool{true, true, true}, []bool{false, false, false}, true},
		{"knock against the pump", []bool{false, false, true, false}, []bool{true, true, true, true}, false},
	}
	for _, tc := range tests {
		var d Disengagement
		var got bool
		for i := range tc.clamp {
			got = d.Sample(tc.clamp[i], tc.plunger[i])
		}
		if got != tc.want {
			t.Errorf("%s: disengaged=%v, want %v", tc.name, got, tc.want)
		}
	}
	if DisengageSamples*SamplePeriod.Milliseconds() > 1000 {
		t.Errorf("debounce of %d samples exceeds the 1 s the requirement allows", DisengageSamples)
	}
}

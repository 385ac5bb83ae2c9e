package alarm

import (
	"math"
	"testing"
	"time"
)

// feed runs the detector over samples taken every SamplePeriod and returns
// the verdict of each.
func feed(d *Detector, start time.Duration, mmHg []float64, running bool) []Verdict {
	out := make([]Verdict, len(mmHg))
	for i, p := range mmHg {
		out[i] = d.Sample(start+time.Duration(i)*SamplePeriod, p, running)
	}
	return out
}

func TestDetectorOcclusion(t *testing.T) {
	t.Run("two consecutive samples above the threshold", func(t *testing.T) {
		// Verifies: SRS-020
		d := &Detector{Threshold: ThresholdMedium}
		got := feed(d, 0, []float64{120, 310, 480, 505, 640}, true)
		want := []Verdict{Normal, Normal, Normal, Normal, Occluded}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("sample %d: %v, want %v", i, got[i], want[i])
			}
		}
	})
	t.Run("a single spike is not an occlusion", func(t *testing.T) {
		// Verifies: SRS-020
		d := &Detector{Threshold: ThresholdLow}
		for i, v := range feed(d, 0, []float64{90, 450, 95, 460, 101}, true) {
			if v != Normal {
				t.Errorf("sample %d: %v, want Normal", i, v)
			}
		}
	})
	t.Run("each selectable threshold", func(t *testing.T) {
		// Verifies: SRS-020
		for _, th := range []float64{ThresholdLow, ThresholdMedium, ThresholdHigh} {
			d := &Detector{Threshold: th}
			if v := feed(d, 0, []float64{th, th}, true); v[1] != Normal {
				t.Errorf("threshold %g: pressure at the threshold is an occlusion", th)
			}
			if v := feed(d, time.Second, []float64{th + 1, th + 2}, true); v[1] != Occluded {
				t.Errorf("threshold %g: two samples above it are not an occlusion", th)
			}
		}
	})
	t.Run("pressure relief after the occlusion", func(t *testing.T) {
		// Verifies: SRS-029
		// Line compliance of a 50 mL syringe with a 150 cm extension set:
		// about 2000 mmHg per mL.
		const mmHgPerML = 2000.0
		p := 650.0
		var r Relief
		for steps := 0; ; steps++ {
			ml, done := r.Step(p)
			if done {
				break
			}
			if steps > 100 {
				t.Fatal("relief does not end")
			}
			p -= ml * mmHgPerML
		}
		if p > ReliefTargetMMHg || r.ReversedML() > MaxBackOffML {
			t.Errorf("relief ended at %.0f mmHg after %.2f mL", p, r.ReversedML())
		}
		// A stiff line never reaches the target: the back-off stops at the maximum.
		var stiff Relief
		for i := 0; i < 100; i++ {
			if _, done := stiff.Step(900); done {
				break
			}
		}
		if math.Abs(stiff.ReversedML()-MaxBackOffML) > 1e-9 {
			t.Errorf("stiff line: reversed %.3f mL, want the maximum %.3f mL", stiff.ReversedML(), MaxBackOffML)
		}
	})
}

// Verifies: SRS-022
func TestDetectorSensorFault(t *testing.T) {
	tests := []struct {
		name    string
		samples []float64
		running bool
		want    Verdict // of the last sample
	}{
		{"reading below the sensor range", []float64{80, -60}, true, SensorFault},
		{"reading above the sensor range", []float64{80, 1600}, true, SensorFault},
		{"not a number", []float64{math.NaN()}, true, SensorFault},
		{"stuck while the plunger moves", repeat(112, 51), true, SensorFault},
		{"constant for less than the window", repeat(112, 50), true, Normal},
		{"constant while stopped is fine", repeat(112, 80), false, Normal},
	}
	for _, tc := range tests {
		d := &Detector{Threshold: ThresholdMedium}
		v := feed(d, 0, tc.samples, tc.running)
		if got := v[len(v)-1]; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

package alarm

import (
	"math"
	"time"
)

// Occlusion pressure thresholds the user can select, in mmHg.
const (
	ThresholdLow    = 300.0
	ThresholdMedium = 500.0
	ThresholdHigh   = 800.0
)

// Detection parameters. The pressure sensor is sampled every SamplePeriod;
// two consecutive samples above the threshold make an occlusion, so a
// single spike (a patient coughing) does not stop a vasopressor.
const (
	SamplePeriod       = 100 * time.Millisecond
	ConsecutiveSamples = 2
	SensorMinMMHg      = -50.0
	SensorMaxMMHg      = 1500.0
	StuckWindow        = 5 * time.Second
)

// Verdict is the detector's reading of one sample.
type Verdict int

const (
	Normal Verdict = iota
	Occluded
	SensorFault
)

// Detector watches the downstream pressure. Sample does constant work and
// allocates nothing: its worst-case time is part of the alarm cycle budget
// (docs/verification/timing-analysis-SRS-030.md).
type Detector struct {
	Threshold float64
	over      int
	last      float64
	sameSince time.Duration
	seen      bool
}

// Sample takes one pressure reading at time now. motorRunning tells whether
// the plunger moved since the last sample: a sensor whose reading does not
// change at all while the plunger moves is stuck.
func (d *Detector) Sample(now time.Duration, mmHg float64, motorRunning bool) Verdict {
	if math.IsNaN(mmHg) || mmHg < SensorMinMMHg || mmHg > SensorMaxMMHg {
		return SensorFault
	}
	if !d.seen || mmHg != d.last || !motorRunning {
		d.sameSince, d.last, d.seen = now, mmHg, true
	} else if now-d.sameSince >= StuckWindow {
		return SensorFault
	}
	if mmHg > d.Threshold {
		d.over++
	} else {
		d.over = 0
	}
	if d.over >= ConsecutiveSamples {
		return Occluded
	}
	return Normal
}

// Pressure relief after an occlusion: the plunger backs off until the line
// pressure is down to ReliefTargetMMHg, so that clearing the occlusion does
// not push the stored volume into the patient as a bolus. MaxBackOffML bounds
// the reversal so that blood is never drawn back.
const (
	ReliefTargetMMHg = 100.0
	MaxBackOffML     = 0.3
	BackOffStepML    = 0.01
)

// Relief tracks one back-off.
type Relief struct {
	reversedML float64
}

// Step returns the volume to reverse for the current pressure, or done when
// the target pressure or the maximum back-off is reached.
func (r *Relief) Step(mmHg float64) (reverseML float64, done bool) {
	if mmHg <= ReliefTargetMMHg || r.reversedML >= MaxBackOffML-1e-9 {
		return 0, true
	}
	step := math.Min(BackOffStepML, MaxBackOffML-r.reversedML)
	r.reversedML += step
	return step, false
}

// ReversedML is the volume reversed so far.
func (r *Relief) ReversedML() float64 { return r.reversedML }

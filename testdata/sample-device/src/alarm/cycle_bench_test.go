package alarm

import (
	"testing"
	"time"
)

// BenchmarkAlarmCycle measures the work of one 100 ms alarm cycle: the
// input of the worst-case execution time analysis of SRS-030
// (docs/verification/timing-analysis-SRS-030.md). Run with -benchmem: the
// cycle must not allocate, so that no garbage collection is ever owed to it.
func BenchmarkAlarmCycle(b *testing.B) {
	d := &Detector{Threshold: ThresholdMedium}
	var dis Disengagement
	var r Relief
	m := &Manager{}
	m.Raise(0, BatteryLow) // map already holds an alarm, as in the worst case
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		now := time.Duration(i) * SamplePeriod
		p := 420 + float64(i%7)
		if d.Sample(now, p, true) == Occluded {
			m.Raise(now, Occlusion)
		} else {
			m.Clear(now, Occlusion)
		}
		r.Step(p)
		if dis.Sample(true, true) {
			m.Raise(now, SyringeDisengaged)
		}
		_ = Battery(25, false)
		_, _ = Progress(3, 5)
	}
}

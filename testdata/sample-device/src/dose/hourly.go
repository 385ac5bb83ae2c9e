package dose

import (
	"fmt"
	"time"
)

// hourBuckets is one more than 60 so that the window always covers at
// least the full preceding hour: a one-minute granularity may count a
// little too much, never too little.
const hourBuckets = 61

// HourlyLimiter keeps the volume delivered per minute over the last hour,
// basal and bolus together, in constant memory.
type HourlyLimiter struct {
	LimitML float64
	buckets [hourBuckets]float64
	minute  int64
	started bool
}

func (h *HourlyLimiter) advance(now time.Duration) {
	m := int64(now / time.Minute)
	if !h.started || m-h.minute >= hourBuckets {
		h.buckets = [hourBuckets]float64{}
		h.minute, h.started = m, true
		return
	}
	for h.minute < m {
		h.minute++
		h.buckets[h.minute%hourBuckets] = 0
	}
}

// Record adds volume delivered at time now (time since power-on).
func (h *HourlyLimiter) Record(now time.Duration, ml float64) {
	h.advance(now)
	h.buckets[h.minute%hourBuckets] += ml
}

// Delivered is the volume delivered in the last hour.
func (h *HourlyLimiter) Delivered(now time.Duration) float64 {
	h.advance(now)
	var sum float64
	for _, v := range h.buckets {
		sum += v
	}
	return sum
}

// Allow reports whether ml more may be delivered now without exceeding the
// hourly limit. A limit of zero means the entry sets none.
func (h *HourlyLimiter) Allow(now time.Duration, ml float64) error {
	if h.LimitML <= 0 {
		return nil
	}
	if d := h.Delivered(now); d+ml > h.LimitML {
		return fmt.Errorf("%.1f mL delivered in the last hour; %.1f mL more would exceed the hourly limit of %g mL", d, ml, h.LimitML)
	}
	return nil
}

// Package backoff holds the retry timing the HTTP clients share: how long
// a server asks to wait, exponential backoff with jitter, and the wait itself.
package backoff

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter saturates an absurd delay — delay-seconds that would
// overflow, a date decades ahead — so that one answer cannot stall a
// client for years.
const maxRetryAfter = 24 * time.Hour

// RetryAfter reads a Retry-After header: delay-seconds or an HTTP date
// (RFC 9110, 10.2.3), the date against now. ok is false when the header is
// absent or unreadable.
func RetryAfter(h string, now time.Time) (time.Duration, bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(h, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		if s > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(h); err == nil {
		return min(max(t.Sub(now), 0), maxRetryAfter), true
	}
	return 0, false
}

// Exponential is 1 s, 2 s, 4 s … up to 30 s for attempt 1, 2, 3 …, plus up
// to 25 % jitter so that concurrent clients do not retry in step.
func Exponential(attempt int) time.Duration {
	return Between(attempt, time.Second, 30*time.Second)
}

// Between is base, 2×base, 4×base … up to limit for attempt 1, 2, 3 …, plus
// up to 25 % jitter. A non-positive base or a limit below base is treated as
// base.
func Between(attempt int, base, limit time.Duration) time.Duration {
	base = max(base, time.Nanosecond)
	limit = max(limit, base)
	d := base
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2 // stops at the first value ≥ limit: base ≤ limit, so no overflow
	}
	d = min(d, limit)
	return d + time.Duration(rand.Int64N(int64(d/4)+1))
}

// Sleep waits d, or until ctx ends, and returns ctx's error then: the wait
// of a retry's back-off.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

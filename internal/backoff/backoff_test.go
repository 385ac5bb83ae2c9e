package backoff

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		h    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false}, {"  7 ", 7 * time.Second, true}, {"-1", 0, false}, {"soon", 0, false}, {"1.5", 0, false},
		{"99999999999999999999", 0, false},                      // not an int64: unreadable
		{"Saturday, 21-Nov-26 12:01:00 GMT", time.Minute, true}, // RFC 850, which HTTP dates allow
		{"99999999999999", maxRetryAfter, true},
		{"Sat, 21 Nov 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Sat, 21 Nov 2026 11:00:00 GMT", 0, true}, // in the past: retry now
	}
	for _, c := range cases {
		got, ok := RetryAfter(c.h, now)
		if got != c.want || ok != c.ok {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", c.h, got, ok, c.want, c.ok)
		}
	}
}

func TestExponential(t *testing.T) {
	for a, base := range map[int]time.Duration{0: time.Second, 1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 6: 30 * time.Second, 60: 30 * time.Second} {
		for i := 0; i < 50; i++ {
			if d := Exponential(a); d < base || d > base+base/4 {
				t.Fatalf("Exponential(%d) = %v, want in [%v, %v]", a, d, base, base+base/4)
			}
		}
	}
}

func TestBetween(t *testing.T) {
	const m = time.Minute
	cases := []struct {
		attempt     int
		base, limit time.Duration
		want        time.Duration
	}{
		{1, 10 * time.Second, 10 * m, 10 * time.Second},
		{2, 10 * time.Second, 10 * m, 20 * time.Second},
		{7, 10 * time.Second, 10 * m, 10 * m}, // 640 s capped at 600 s
		{1 << 30, 10 * time.Second, 10 * m, 10 * m},
		{3, time.Duration(1) << 61, time.Duration(1) << 62, time.Duration(1) << 62}, // no overflow past the limit
		{3, 0, 0, time.Nanosecond},
		{3, time.Second, time.Millisecond, time.Second}, // a limit below base is base
	}
	for _, c := range cases {
		for i := 0; i < 50; i++ {
			if d := Between(c.attempt, c.base, c.limit); d < c.want || d > c.want+c.want/4 {
				t.Fatalf("Between(%d, %v, %v) = %v, want in [%v, %v]", c.attempt, c.base, c.limit, d, c.want, c.want+c.want/4)
			}
		}
	}
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"", "1", "120", "-5", "Sat, 21 Nov 2026 12:00:30 GMT", "9999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, h string) {
		d, ok := RetryAfter(h, now)
		if d < 0 || d > maxRetryAfter || (!ok && d != 0) {
			t.Fatalf("RetryAfter(%q) = %v, %v", h, d, ok)
		}
	})
}

func TestSleep(t *testing.T) {
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Errorf("a wait that ends: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("a wait whose context ended: %v", err)
	}
}

package gcpolicy

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// settings reads the collector's settings without changing them.
func settings() (percent int, limit int64) {
	percent = debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

// collected runs collections until the settings are want's, or fails.
func collected(t *testing.T, percent int, limit int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		if p, l := settings(); p == percent && l == limit {
			return
		} else if time.Now().After(deadline) {
			t.Fatalf("after collections GOGC is %d and the limit %d, want %d and %d", p, l, percent, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// defaults are the settings without this package: the runtime's, or
// what GOGC and GOMEMLIMIT set (then init left them alone).
func defaults() (int, int64) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return settings()
	}
	return 100, math.MaxInt64
}

func TestFirstCollectionRestoresTheDefaults(t *testing.T) {
	// The test binary's own start is past its first collection, or gets
	// there now: the defaults hold.
	percent, limit := defaults()
	collected(t, percent, limit)

	deferFirst(48 << 20)
	if p, l := settings(); p != -1 || l != 48<<20 {
		t.Fatalf("deferred: GOGC %d, limit %d; want off until 48 MiB", p, l)
	}
	// Allocating less than the budget runs no collection.
	before := gcCount()
	keep := make([][]byte, 0, 64)
	for range 64 {
		keep = append(keep, make([]byte, 64<<10))
	}
	if n := gcCount() - before; n != 0 {
		t.Errorf("%d collections within the budget", n)
	}
	runtime.KeepAlive(keep)
	collected(t, percent, limit)
}

func TestTheEnvironmentWins(t *testing.T) {
	percent, limit := defaults()
	collected(t, percent, limit)
	for _, env := range []map[string]string{{"GOGC": "50"}, {"GOMEMLIMIT": "1GiB"}} {
		if apply(func(k string) string { return env[k] }) {
			t.Errorf("applied with %v set", env)
		}
		if p, l := settings(); p != percent || l != limit {
			t.Errorf("with %v: GOGC %d, limit %d", env, p, l)
		}
	}
	if !apply(func(string) string { return "" }) {
		t.Fatal("not applied without GOGC and GOMEMLIMIT")
	}
	if p, l := settings(); p != -1 || l != Budget {
		t.Errorf("applied: GOGC %d, limit %d", p, l)
	}
	collected(t, percent, limit)
}

func gcCount() uint32 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.NumGC
}

package app

import (
	"runtime"
	"testing"
)

// Serve gives the scheduler a processor per worker beyond the ones it has,
// unless GOMAXPROCS says otherwise.
func TestSpareProcessors(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(before) })
	t.Setenv("GOMAXPROCS", "")
	if n := spareProcessors(4); n != before+4 || runtime.GOMAXPROCS(0) != before+4 {
		t.Errorf("GOMAXPROCS %d (returned %d), want %d + 4 workers", runtime.GOMAXPROCS(0), n, before)
	}
	runtime.GOMAXPROCS(before)
	t.Setenv("GOMAXPROCS", "1")
	if n := spareProcessors(4); n != before || runtime.GOMAXPROCS(0) != before {
		t.Errorf("with GOMAXPROCS set: %d (returned %d), want it left at %d", runtime.GOMAXPROCS(0), n, before)
	}
}

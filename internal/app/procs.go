package app

import (
	"os"
	"runtime"
)

// spareProcessors gives the Go scheduler one processor (P) per worker on
// top of those it has (one per core, or the container's CPU quota), unless
// GOMAXPROCS is set, and returns the count. Evaluations are CPU-bound, and
// the workers run up to `workers` of them at once: with no more Ps than
// that, they take every P, and the webhook's path to its 202 — a request
// arriving, the writer coming back from its fsync, the answer — waits for
// one of them to be preempted (up to 10 ms each time; the network is
// polled that late too). With a P to spare those run at once, and the
// kernel, which favours a thread that was sleeping, shares the cores.
// BenchmarkAcceptUnderWork/…/cpu in internal/store measures it (-cpu 2,6).
func spareProcessors(workers int) int {
	if os.Getenv("GOMAXPROCS") != "" {
		return runtime.GOMAXPROCS(0)
	}
	n := runtime.GOMAXPROCS(0) + max(workers, 0)
	runtime.GOMAXPROCS(n)
	return n
}

// Package gcpolicy holds the binary's garbage-collection setting for the
// start of a run. cmd/tracegate imports it for its effect, and it has no
// dependency outside the standard library: it is initialised before the
// packages that allocate at initialisation (the libraries' tables and
// expressions), so the setting holds from there on.
//
// A tracegate command is a short process: it reads its inputs, judges and
// writes, and most of what it allocates is live until it writes. With the
// runtime's defaults (GOGC=100, a 4 MB minimum heap) the collector first
// runs during the package initialisations, then each time the heap
// doubles, tracing the same live data again each time: on a 2 MB SBOM
// that cost a third of `soup list`'s CPU (bench/soup.sh). So the
// collector waits until the process's Go memory reaches Budget, once;
// from its first collection on, the runtime's defaults hold again. A run
// holds at most Budget more than with the defaults, and a run whose live
// data grows past Budget is collected as before (docs/security.md,
// "Limits").
//
// GOGC or GOMEMLIMIT in the environment leave the runtime as they set it.
package gcpolicy

import (
	"os"
	"runtime"
	"runtime/debug"
)

// Budget is the Go memory (heap, stacks, the runtime's own) a run may
// reach before its first collection: soup list on Airflow's 1,749
// components and Istio's 3,461 packages needs no collection before it
// (Istio's collection comes as it writes), and it is small against the
// per-run bounds on reads.
const Budget = 32 << 20

func init() { apply(os.Getenv) }

// apply defers the first collection unless the environment sets GOGC or
// GOMEMLIMIT; it reports whether it did.
func apply(getenv func(string) string) bool {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return false
	}
	deferFirst(Budget)
	return true
}

// sentinel is garbage from the start: the cleanup attached to it runs
// after the first collection, whatever started that collection.
type sentinel struct {
	_ *int
	_ [16]byte
}

// deferFirst turns the collector off until the Go memory reaches budget,
// and back to what it was after the first collection.
func deferFirst(budget int64) {
	prevLimit := debug.SetMemoryLimit(budget)
	prevPercent := debug.SetGCPercent(-1)
	runtime.AddCleanup(&sentinel{}, func(struct{}) {
		debug.SetGCPercent(prevPercent)
		debug.SetMemoryLimit(prevLimit)
	}, struct{}{})
}

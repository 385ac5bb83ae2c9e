package ui

import "errors"

// PurgeGate keeps the start key from starting an infusion on a newly
// loaded syringe until the line has been purged of air, or the user has
// confirmed that it was primed by other means.
type PurgeGate struct {
	pending bool
}

// SyringeLoaded arms the prompt.
func (g *PurgeGate) SyringeLoaded() { g.pending = true }

// Purged records a purge with the purge key.
func (g *PurgeGate) Purged() { g.pending = false }

// ConfirmPrimed records the user's confirmation that the line is primed.
func (g *PurgeGate) ConfirmPrimed() { g.pending = false }

// ErrPurgeFirst asks for the purge.
var ErrPurgeFirst = errors.New("purge the line before starting: press PURGE, or confirm that the line is primed")

// CanStart returns ErrPurgeFirst while the prompt is open.
func (g *PurgeGate) CanStart() error {
	if g.pending {
		return ErrPurgeFirst
	}
	return nil
}

// Package model holds the design-history-file types that every reader
// produces and every rule consumes. It does no I/O.
package model

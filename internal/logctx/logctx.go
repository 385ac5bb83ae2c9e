// Package logctx carries a *slog.Logger in a context.Context, so that the
// engine can say what it gathers (what was read, from where, how long,
// cache hits) into whatever logger the face set up, and nothing when the
// face set up none: quiet by default.
package logctx

import (
	"context"
	"log/slog"
)

type key struct{}

var discard = slog.New(slog.DiscardHandler)

// With returns ctx carrying l.
func With(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, key{}, l)
}

// From returns the logger ctx carries, or one that discards everything.
func From(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(key{}).(*slog.Logger); ok && l != nil {
		return l
	}
	return discard
}

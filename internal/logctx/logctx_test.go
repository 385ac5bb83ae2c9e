package logctx

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestFrom(t *testing.T) {
	ctx := context.Background()
	if From(ctx).Enabled(ctx, slog.LevelError) {
		t.Error("a context without a logger logs")
	}
	var buf bytes.Buffer
	ctx = With(ctx, slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	From(ctx).Debug("fetched", "what", "tarball")
	if !strings.Contains(buf.String(), "msg=fetched what=tarball") {
		t.Errorf("logged %q", buf.String())
	}
}

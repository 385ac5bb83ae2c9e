package action

import (
	"context"
	"log/slog"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/tracegate/tracegate/internal/logctx"
)

// withDebugLog gives the engine a logger when the run has debug logging on
// (RUNNER_DEBUG=1, set by "Enable debug logging" on a re-run or the
// ACTIONS_STEP_DEBUG secret): what was read, from where, how long, as
// ::debug:: lines, which GitHub shows only then. Otherwise the engine
// stays quiet.
func withDebugLog(ctx context.Context, gha *githubactions.Action, getenv func(string) string) context.Context {
	if getenv("RUNNER_DEBUG") != "1" {
		return ctx
	}
	h := slog.NewTextHandler(debugWriter{gha}, &slog.HandlerOptions{Level: slog.LevelDebug})
	return logctx.With(ctx, slog.New(h))
}

// debugWriter writes each log line as a debug message; the library escapes
// the text, so that a file name from the repository cannot act as a
// workflow command.
type debugWriter struct{ gha *githubactions.Action }

func (w debugWriter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		w.gha.Debugf("%s", line)
	}
	return len(p), nil
}

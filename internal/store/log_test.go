package store

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/logctx"
)

// syncBuffer is a log destination for goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// The store and the runner log through the context's logger; a job's
// context names the job; payloads never reach the log.
func TestLogsThroughContext(t *testing.T) {
	var out syncBuffer
	ctx := logctx.With(context.Background(), slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug})))
	s := open(t, backends[0].fresh(t), Options{MaxAttempts: 1})
	d := delivery("d-logged")
	d.Payload = []byte(`{"secret":"PAYLOAD-CONTENT"}`)
	if _, err := s.Accept(ctx, d, prJob(42, "abc123")); err != nil {
		t.Fatal(err)
	}
	r := &Runner{Queue: s, Workers: 1, Poll: 5 * time.Millisecond, Handle: func(ctx context.Context, j Job) error {
		logctx.From(ctx).InfoContext(ctx, "evaluating")
		if j.DeadLetter {
			return nil
		}
		return errors.New("cannot evaluate")
	}}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.Run(runCtx) }()
	waitFor(t, "the queue to drain", func() bool { return s.count("jobs", "state IN ('queued', 'running')") == 0 })
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	log := out.String()
	for _, want := range []string{`"msg":"evaluating","job":1,"kind":"pr","delivery":"d-logged","installation":7,"repository":"Acme/Device","number":42,"sha":"abc123","attempt":1`,
		`"msg":"job failed"`, `"msg":"job dead-lettered"`} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %s:\n%s", want, log)
		}
	}
	if strings.Contains(log, "PAYLOAD-CONTENT") {
		t.Errorf("the log shows the payload:\n%s", log)
	}
}

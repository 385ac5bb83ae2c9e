package store

import (
	"context"
	"strings"
	"syscall"
	"testing"
)

// TestKill9KeepsAcknowledgedDeliveries kills a process that accepts
// deliveries in a loop with SIGKILL, reopens the store, and finds every
// delivery the process acknowledged (printed after Accept returned), each
// with its job. On SQLite the process is the database: its death must not
// lose a commit, with synchronous=FULL (the default) or NORMAL, which differ
// only when the machine loses power. On PostgreSQL the client dies, the
// server stays.
func TestKill9KeepsAcknowledgedDeliveries(t *testing.T) {
	for _, c := range []struct {
		name string
		b    backend
		sync string
	}{
		{"sqlite-full", backends[0], "FULL"},
		{"sqlite-normal", backends[0], "NORMAL"},
		{"postgres", backends[1], ""},
	} {
		t.Run(c.name, func(t *testing.T) { kill9(t, c.b.fresh(t), c.sync) })
	}
}

func kill9(t *testing.T, dsn, sync string) {
	const before = 300 // acknowledgements to wait for before the kill
	cmd, out, _ := helper(t, "accept", dsn, helperSyncEnv+"="+sync)
	acked := map[string]bool{}
	for len(acked) < before && out.Scan() {
		acked[strings.TrimPrefix(out.Text(), "ack ")] = true
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for out.Scan() { // acknowledgements already in the pipe
		acked[strings.TrimPrefix(out.Text(), "ack ")] = true
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("the helper was not killed: %v", err)
	}
	if len(acked) < before {
		t.Fatalf("only %d acknowledgements before the helper ended", len(acked))
	}

	s := open(t, dsn, Options{})
	stored := s.count("deliveries", "1 = 1")
	missing := 0
	for id := range acked {
		if s.count("deliveries", "id = $1", id) != 1 || s.count("jobs", "delivery_id = $1 AND state = 'queued'", id) != 1 {
			missing++
		}
	}
	t.Logf("%d deliveries acknowledged before kill -9, %d stored after reopening, %d acknowledged but missing", len(acked), stored, missing)
	if missing > 0 {
		t.Fatalf("%d acknowledged deliveries lost", missing)
	}
	// At most the one in flight when the kill came was stored without
	// being acknowledged.
	if stored < len(acked) || stored > len(acked)+1 {
		t.Errorf("%d stored for %d acknowledged", stored, len(acked))
	}
	if _, err := s.Accept(context.Background(), delivery("after-restart")); err != nil {
		t.Fatal(err)
	}
}

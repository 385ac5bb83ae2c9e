package store

import (
	"context"
	"strings"
	"syscall"
	"testing"
)

// TestKill9KeepsAcknowledgedDeliveries kills a process that accepts
// deliveries from several goroutines at once while its workers evaluate
// and complete their jobs, with SIGKILL; reopens the store, and finds every
// delivery the process acknowledged (printed after Accept returned), each
// with its job, and every job it said was complete, complete with its
// decision recorded. On SQLite the process is the database: its death must
// not lose a commit, with synchronous=FULL (the default) or NORMAL, which
// differ only when the machine loses power; the deliveries and the
// workers' writes share group commits. On PostgreSQL the client dies, the
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
	const before = 600 // acknowledgements to wait for before the kill
	cmd, out, _ := helper(t, "accept", dsn, helperSyncEnv+"="+sync)
	acked, done := map[string]bool{}, map[string]bool{}
	read := func() {
		if id, ok := strings.CutPrefix(out.Text(), "ack "); ok {
			acked[id] = true
		} else if id, ok := strings.CutPrefix(out.Text(), "done "); ok {
			done[id] = true
		}
	}
	// Wait for a completion too (the kill must find the workers' writes
	// in flight as well), but not forever: on PostgreSQL eight acceptors
	// can acknowledge 600 deliveries before the first job completes.
	for (len(acked) < before || len(done) == 0 && len(acked) < 50*before) && out.Scan() {
		read()
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for out.Scan() { // what was already in the pipe
		read()
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("the helper was not killed: %v", err)
	}
	if len(acked) < before || len(done) == 0 {
		t.Fatalf("only %d acknowledgements and %d completions before the helper ended", len(acked), len(done))
	}

	s := open(t, dsn, Options{})
	stored := s.count("deliveries", "1 = 1")
	missing, undone := 0, 0
	for id := range acked {
		if s.count("deliveries", "id = $1", id) != 1 || s.count("jobs", "delivery_id = $1 AND state IN ('queued', 'running', 'done')", id) != 1 {
			missing++
		}
	}
	for id := range done {
		if s.count("jobs", "id = $1 AND state = 'done'", id) != 1 || s.count("audit", "job_id = $1", id) != 1 {
			undone++
		}
	}
	t.Logf("%d deliveries acknowledged and %d jobs completed before kill -9; after reopening %d stored, %d acknowledged but missing, %d completed but not done",
		len(acked), len(done), stored, missing, undone)
	if missing > 0 || undone > 0 {
		t.Fatalf("%d acknowledged deliveries lost, %d completions lost", missing, undone)
	}
	// At most the deliveries in flight when the kill came, one per
	// acceptor, were stored without being acknowledged.
	if stored < len(acked) || stored > len(acked)+8 {
		t.Errorf("%d stored for %d acknowledged", stored, len(acked))
	}
	if _, err := s.Accept(context.Background(), delivery("after-restart")); err != nil {
		t.Fatal(err)
	}
}

package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestPrune(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := newClock()
		s := open(t, dsn, Options{Now: clk.Now, MaxAttempts: 1})
		// Old: a delivery whose job completed, one whose job failed
		// (dead), one whose job still waits.
		for i, id := range []string{"old-1", "old-2", "old-3"} {
			if _, err := s.Accept(ctx, delivery(id), prJob(i+1, "aa")); err != nil {
				t.Fatal(err)
			}
		}
		jobs, err := s.Claim(ctx, "w", 2, time.Hour)
		if err != nil || len(jobs) != 2 {
			t.Fatal(jobs, err)
		}
		if err := s.Complete(ctx, jobs[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Fail(ctx, jobs[1], errPermanentForTest); err != nil {
			t.Fatal(err)
		}
		// More than a batch, so that Prune goes round.
		for i := range 2*pruneBatch + 5 {
			if _, err := s.Accept(ctx, delivery(fmt.Sprintf("bulk-%d", i))); err != nil {
				t.Fatal(err)
			}
		}
		clk.Advance(10 * 24 * time.Hour)
		if _, err := s.Accept(ctx, delivery("new-1"), prJob(9, "bb")); err != nil {
			t.Fatal(err)
		}
		j := claimOne(t, s, "w")
		if err := s.Complete(ctx, j); err != nil {
			t.Fatal(err)
		}
		p, err := s.Prune(ctx, 7*24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if p != (Pruned{Deliveries: 3 + 2*pruneBatch + 5, Jobs: 2}) {
			t.Errorf("pruned %+v, want 3 deliveries and the done and dead jobs", p)
		}
		if n := s.count("deliveries", "id = 'new-1'"); n != 1 || s.count("deliveries", "1 = 1") != 1 {
			t.Error("the recent delivery was pruned, or an old one kept")
		}
		// Kept: the recent done job, and the waiting ones however old
		// (job 3 and the dead job's notice).
		if n := s.count("jobs", "state = 'queued'"); n != 2 || s.count("jobs", "state = 'done'") != 1 {
			t.Errorf("after pruning: %v", s.states())
		}
		if _, err := s.Prune(ctx, 0); err == nil {
			t.Error("Prune(0) accepted")
		}
	})
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"
)

func TestAcceptDeduplicates(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn, Options{})
		first, err := s.Accept(ctx, delivery("d-1"), prJob(1, "abc123"))
		if err != nil {
			t.Fatal(err)
		}
		if !first.New || len(first.Jobs) != 1 || first.Jobs[0].Merged {
			t.Fatalf("first Accept = %+v, want new with one new job", first)
		}
		again, err := s.Accept(ctx, delivery("d-1"), prJob(1, "abc123"))
		if err != nil {
			t.Fatal(err)
		}
		if again.New || len(again.Jobs) != 0 {
			t.Fatalf("second Accept = %+v, want a duplicate with no job", again)
		}
		if n := s.count("deliveries", "id = $1", "d-1"); n != 1 {
			t.Errorf("%d delivery rows, want 1", n)
		}
		if n := s.count("jobs", "1 = 1"); n != 1 {
			t.Errorf("%d job rows, want 1", n)
		}
		jobs, err := s.Claim(ctx, "w1", 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) != 1 || jobs[0].DeliveryID != "d-1" || jobs[0].InstallationID != 7 || string(jobs[0].Args) != `{"pr":1}` {
			t.Fatalf("claimed %+v", jobs)
		}
	})
}

// statements counts the statements run through a querier.
type statements struct {
	querier
	n int
}

func (s *statements) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s.n++
	return s.querier.ExecContext(ctx, query, args...)
}

func (s *statements) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s.n++
	return s.querier.QueryRowContext(ctx, query, args...)
}

// On PostgreSQL a delivery with at most one job is accepted in one
// statement, outside a transaction, with the outcomes of the transaction:
// new with its job, a duplicate that enqueues nothing, a new delivery
// whose job merges into the waiting one of its key, a delivery without a
// job.
func TestAcceptOneStatementPostgreSQL(t *testing.T) {
	ctx := context.Background()
	s := open(t, postgresURL(t), Options{})
	now := s.now()
	accept := func(d Delivery, jobs ...JobSpec) Accepted {
		t.Helper()
		d.ReceivedAt = now
		for i := range jobs {
			jobs[i].DeliveryID, jobs[i].InstallationID = d.ID, d.InstallationID
		}
		q := &statements{querier: s.w}
		got, err := acceptOne(ctx, q, d, now, specRows(jobs, now))
		if err != nil {
			t.Fatal(err)
		}
		if q.n != 1 {
			t.Errorf("delivery %s: %d statements, want 1", d.ID, q.n)
		}
		return got
	}
	first := accept(delivery("d-1"), prJob(1, "abc123"))
	if !first.New || len(first.Jobs) != 1 || first.Jobs[0].Merged {
		t.Fatalf("a new delivery: %+v, want new with one new job", first)
	}
	if again := accept(delivery("d-1"), prJob(1, "abc123")); again.New || len(again.Jobs) != 0 {
		t.Fatalf("the same delivery again: %+v, want a duplicate with no job", again)
	}
	merged := accept(delivery("d-2"), prJob(1, "abc123"))
	if !merged.New || len(merged.Jobs) != 1 || !merged.Jobs[0].Merged || merged.Jobs[0].ID != first.Jobs[0].ID {
		t.Fatalf("another delivery for the waiting job's key: %+v, want new, merged into job %d", merged, first.Jobs[0].ID)
	}
	if n := s.count("jobs", "merged = 1"); n != 1 {
		t.Errorf("%d job rows with one merge, want 1 (the duplicate merged nothing)", n)
	}
	if none := accept(delivery("d-3")); !none.New || len(none.Jobs) != 0 {
		t.Fatalf("a delivery without a job: %+v", none)
	}
	if dup := accept(delivery("d-3")); dup.New {
		t.Fatalf("it again: %+v, want a duplicate", dup)
	}
	if n := s.count("deliveries", "1 = 1"); n != 3 {
		t.Errorf("%d delivery rows, want 3", n)
	}
	jobs, err := s.Claim(ctx, "w1", 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || jobs[0].DeliveryID != "d-2" || jobs[0].InstallationID != 7 || string(jobs[0].Args) != `{"pr":1}` {
		t.Fatalf("claimed %+v, want the one job, of the newest delivery", jobs)
	}
}

// SQLite's hottest writes run as statements prepared once on its write
// connection, across transactions and group commits; PostgreSQL's as they
// are (its driver caches them per connection).
func TestPreparedWrites(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn, Options{})
		want := 0
		if s.writer != nil { // SQLite
			want = 4
		}
		if len(s.stmts.m) != want {
			t.Fatalf("%d statements prepared, want %d", len(s.stmts.m), want)
		}
		for i := range 3 {
			if a, err := s.Accept(ctx, delivery(fmt.Sprintf("p-%d", i)), prJob(i+1, "abc123")); err != nil || !a.New {
				t.Fatalf("delivery %d: %+v, %v", i, a, err)
			}
		}
		jobs, err := s.Claim(ctx, "w1", 10, time.Minute)
		if err != nil || len(jobs) != 3 {
			t.Fatalf("claimed %d jobs, %v", len(jobs), err)
		}
	})
}

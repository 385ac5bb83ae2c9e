package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// Concurrent Accepts of distinct deliveries all commit; concurrent Accepts
// of one delivery make one new row and duplicates.
func TestConcurrentAccepts(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn, Options{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		news := 0
		for i := range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := fmt.Sprintf("c-%d", i)
				if i%10 == 0 {
					id = "same"
				}
				a, err := s.Accept(ctx, delivery(id), prJob(i, "abc"))
				if err != nil {
					t.Error(err)
					return
				}
				if a.New && id == "same" {
					mu.Lock()
					news++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if news != 1 {
			t.Errorf("the delivery accepted 10 times at once was new %d times, want 1", news)
		}
		if n, j := s.count("deliveries", "1 = 1"), s.count("jobs", "1 = 1"); n != 91 || j != 91 {
			t.Errorf("%d deliveries and %d jobs, want 91 each", n, j)
		}
	})
}

// A delivery that fails inside a group commit fails alone.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	ctx := context.Background()
	s := open(t, backends[0].fresh(t), Options{})
	if _, err := s.w.ExecContext(ctx, `CREATE TRIGGER refuse_bad BEFORE INSERT ON deliveries WHEN NEW.id = 'bad'
BEGIN SELECT RAISE(ABORT, 'injected failure'); END`); err != nil {
		t.Fatal(err)
	}
	// Hold the one writer connection so that the deliveries queue up.
	conn, err := s.w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	results := map[string]error{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	submit := func(id string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Accept(ctx, delivery(id))
			mu.Lock()
			results[id] = err
			mu.Unlock()
		}()
	}
	waitQueue := func(n int) {
		deadline := time.Now().Add(30 * time.Second)
		for len(s.writer.intake) != n {
			if time.Now().After(deadline) {
				t.Fatalf("%d queued, want %d", len(s.writer.intake), n)
			}
			time.Sleep(time.Millisecond)
		}
	}
	submit("first") // taken by the committer, which then waits for the connection
	waitQueue(0)
	time.Sleep(10 * time.Millisecond)
	for i := range 5 {
		submit(fmt.Sprintf("good-%d", i))
		waitQueue(i + 1)
	}
	submit("bad")
	waitQueue(6)
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for id, err := range results {
		switch {
		case id == "bad" && (err == nil || !strings.Contains(err.Error(), "injected failure")):
			t.Errorf("bad: %v, want the injected failure", err)
		case id != "bad" && err != nil:
			t.Errorf("%s: %v", id, err)
		}
	}
	if n := s.count("deliveries", "1 = 1"); n != 6 {
		t.Errorf("%d deliveries stored, want the 6 good ones", n)
	}
	// A closed store refuses.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Accept(ctx, delivery("late")); err == nil {
		t.Error("Accept after Close succeeded")
	}
}

// SQLite's writer puts the deliveries waiting for it first in its next
// transaction, before the workers' writes that waited longer, and commits
// them all at once: a webhook never waits behind a queue of bookkeeping.
func TestWriterPutsDeliveriesFirst(t *testing.T) {
	ctx := context.Background()
	s := open(t, backends[0].fresh(t), Options{})
	// Hold the one writer connection while the writes queue up.
	conn, err := s.w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	enqueued := make([]Enqueued, 3)
	accepted := make([]Accepted, 3)
	errs := make(chan error, 7)
	wg.Add(1)
	go func() { // taken by the writer at once, which then waits for the connection
		defer wg.Done()
		_, err := s.Enqueue(ctx, prJob(100, "f00d"))
		errs <- err
	}()
	waitFor(t, "the writer to take the first", func() bool { return len(s.writer.other) == 0 })
	time.Sleep(10 * time.Millisecond)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, err := s.Enqueue(ctx, prJob(200+i, "beef"))
			enqueued[i] = e[0]
			errs <- err
		}()
		waitFor(t, "a worker's write to queue", func() bool { return len(s.writer.other) == i+1 })
	}
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := s.Accept(ctx, delivery(fmt.Sprintf("late-%d", i)), prJob(300+i, "cafe"))
			accepted[i] = a
			errs <- err
		}()
		waitFor(t, "a delivery to queue", func() bool { return len(s.writer.intake) == i+1 })
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range accepted {
		for _, e := range enqueued {
			if a.Jobs[0].ID > e.ID {
				t.Errorf("a delivery queued last got job %d after a worker's job %d: deliveries come first", a.Jobs[0].ID, e.ID)
			}
		}
	}
}

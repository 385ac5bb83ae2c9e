package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// fixedBackoff makes retry times predictable: attempt × 10 s.
func fixedBackoff(attempt int) time.Duration { return time.Duration(attempt) * 10 * time.Second }

func claimOne(t *testing.T, s Queue, owner string) Job {
	t.Helper()
	jobs, err := s.Claim(context.Background(), owner, 1, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 {
		t.Fatalf("claimed %d jobs, want 1", len(jobs))
	}
	return jobs[0]
}

func claimNone(t *testing.T, s Queue, owner string) {
	t.Helper()
	jobs, err := s.Claim(context.Background(), owner, 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 0 {
		t.Fatalf("claimed %d jobs (%+v), want none", len(jobs), jobs)
	}
}

func TestRetryBackoffDeadLetter(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := newClock()
		s := open(t, dsn, Options{Now: clk.Now, MaxAttempts: 3, Backoff: fixedBackoff})
		if _, err := s.Enqueue(ctx, prJob(4, "feedbeef")); err != nil {
			t.Fatal(err)
		}
		var last Job
		for attempt := 1; attempt <= 3; attempt++ {
			j := claimOne(t, s, "w")
			if j.Attempt != attempt || j.DeadLetter {
				t.Fatalf("attempt %d: claimed %+v", attempt, j)
			}
			if attempt > 1 && (j.Previous != last.ID || !strings.Contains(j.Reason, fmt.Sprintf("attempt %d: boom %d", attempt-1, attempt-1))) {
				t.Fatalf("attempt %d: previous %d, reason %q; want %d and the last error", attempt, j.Previous, j.Reason, last.ID)
			}
			f, err := s.Fail(ctx, j, fmt.Errorf("boom %d", attempt))
			if err != nil {
				t.Fatal(err)
			}
			if attempt < 3 {
				if f.Dead || !f.RetryAt.Equal(clk.Now().Add(fixedBackoff(attempt))) {
					t.Fatalf("attempt %d: failure %+v, want a retry at +%v", attempt, f, fixedBackoff(attempt))
				}
				claimNone(t, s, "w") // backing off
				clk.Advance(fixedBackoff(attempt))
			} else if !f.Dead {
				t.Fatalf("attempt 3 of 3: failure %+v, want dead", f)
			}
			last = j
		}
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Dead != 1 || st.Waiting != 1 {
			t.Fatalf("stats %+v, want one dead letter and its notice waiting", st)
		}
		// The notice: same kind and key, the reason kept, for the App to
		// report as a failed check run.
		n := claimOne(t, s, "w")
		if !n.DeadLetter || n.Kind != "pr" || n.Key != prJob(4, "feedbeef").Key || n.Previous != last.ID || n.Attempt != 1 ||
			!strings.Contains(n.Reason, "attempt 3: boom 3") || string(n.Args) != `{"pr":4}` {
			t.Fatalf("notice %+v", n)
		}
		// A notice that cannot be delivered dies without another notice.
		for attempt := 1; attempt <= 3; attempt++ {
			if attempt > 1 {
				clk.Advance(time.Hour)
				n = claimOne(t, s, "w")
			}
			if _, err := s.Fail(ctx, n, errors.New("GitHub is down")); err != nil {
				t.Fatal(err)
			}
		}
		claimNone(t, s, "w")
		if got := s.count("jobs", "state = 'dead'"); got != 2 {
			t.Errorf("%d dead jobs, want the job and its notice", got)
		}

		// A permanent error dead-letters at once.
		if _, err := s.Enqueue(ctx, prJob(5, "feedbeef")); err != nil {
			t.Fatal(err)
		}
		j := claimOne(t, s, "w")
		f, err := s.Fail(ctx, j, Permanent(errors.New("the policy cannot be read")))
		if err != nil || !f.Dead {
			t.Fatalf("permanent failure: %+v, %v; want dead", f, err)
		}
		if n := claimOne(t, s, "w"); !n.DeadLetter || !strings.Contains(n.Reason, "the policy cannot be read") {
			t.Fatalf("notice of a permanent failure: %+v", n)
		}
	})
}

func TestDefaultBackoffHasJitterWithinBounds(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := newClock()
		s := open(t, dsn, Options{Now: clk.Now})
		if _, err := s.Enqueue(ctx, prJob(1, "aa")); err != nil {
			t.Fatal(err)
		}
		f, err := s.Fail(ctx, claimOne(t, s, "w"), errors.New("x"))
		if err != nil {
			t.Fatal(err)
		}
		if d := f.RetryAt.Sub(clk.Now()); d < 10*time.Second || d > 12500*time.Millisecond {
			t.Fatalf("first retry after %v, want 10 s plus up to 25 %%", d)
		}
	})
}

func TestLeaseExpiryReclaims(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := newClock()
		s := open(t, dsn, Options{Now: clk.Now, MaxAttempts: 2})
		for i := 1; i <= 3; i++ {
			if _, err := s.Enqueue(ctx, prJob(i, "cafe")); err != nil {
				t.Fatal(err)
			}
		}
		stalled, err := s.Claim(ctx, "stalled", 3, time.Minute)
		if err != nil || len(stalled) != 3 {
			t.Fatalf("claim: %d jobs, %v", len(stalled), err)
		}
		clk.Advance(59 * time.Second)
		claimNone(t, s, "w2") // leases still held
		if _, err := s.Extend(ctx, stalled[0], time.Minute); err != nil {
			t.Fatal(err) // job 0 stays with its worker
		}
		clk.Advance(2 * time.Second)
		got, err := s.Claim(ctx, "w2", 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("reclaimed %d jobs, want the 2 whose lease expired", len(got))
		}
		for i, j := range got {
			if j.Attempt != 2 || j.Previous != stalled[i+1].ID || !strings.Contains(j.Reason, "lease of worker stalled expired") {
				t.Errorf("reclaimed %+v", j)
			}
		}
		// The stalled worker can no longer finish what was taken from it.
		for _, err := range []error{s.Complete(ctx, stalled[1]), s.Release(ctx, stalled[1])} {
			if !errors.Is(err, ErrLeaseLost) {
				t.Errorf("finishing a reclaimed job: %v, want ErrLeaseLost", err)
			}
		}
		if _, err := s.Fail(ctx, stalled[2], errors.New("late")); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("failing a reclaimed job: %v, want ErrLeaseLost", err)
		}
		if _, err := s.Extend(ctx, stalled[2], time.Minute); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("extending a reclaimed job: %v, want ErrLeaseLost", err)
		}
		if err := s.Complete(ctx, stalled[0]); err != nil {
			t.Errorf("completing the extended job: %v", err)
		}
		// A job whose workers keep dying is dead-lettered in bound.
		clk.Advance(2 * time.Minute)
		if _, err := s.Claim(ctx, "w3", 10, time.Minute); err != nil {
			t.Fatal(err)
		}
		if n := s.count("jobs", "state = 'dead'"); n != 2 {
			t.Errorf("%d dead jobs after the second expiry of 2 attempts, want 2", n)
		}
	})
}

func TestCoalescing(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := newClock()
		s := open(t, dsn, Options{Now: clk.Now})
		spec := func(sha, args string) JobSpec {
			return JobSpec{Kind: "pr", Key: Key{Repository: "Acme/Device", Number: 9, SHA: sha}, Args: []byte(args)}
		}
		// Waiting duplicates merge into one job with the newest facts;
		// the key ignores the case of repository and SHA.
		var first Enqueued
		for i, args := range []string{"a", "b", "c"} {
			sp := spec("ABCDEF", args)
			if i == 2 {
				sp.Key.Repository, sp.Key.SHA = "acme/device", "abcdef"
			}
			e, err := s.Enqueue(ctx, sp)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first = e[0]
			} else if !e[0].Merged || e[0].ID != first.ID {
				t.Fatalf("enqueue %d: %+v, want merged into %d", i, e[0], first.ID)
			}
			clk.Advance(time.Second)
		}
		// Another head SHA is another evaluation.
		if e, err := s.Enqueue(ctx, spec("fedcba", "other")); err != nil || e[0].Merged {
			t.Fatalf("another SHA: %+v, %v", e, err)
		}
		jobs, err := s.Claim(ctx, "w", 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) != 2 || string(jobs[0].Args) != "c" || jobs[0].Merged != 2 || string(jobs[1].Args) != "other" {
			t.Fatalf("claimed %+v", jobs)
		}
		running := jobs[0]
		// A job enqueued while its key runs does not merge into the
		// running one, and does not start until it is done.
		e, err := s.Enqueue(ctx, spec("abcdef", "d"))
		if err != nil || e[0].Merged {
			t.Fatalf("enqueue while running: %+v, %v", e, err)
		}
		claimNone(t, s, "w2")
		if e2, err := s.Enqueue(ctx, spec("abcdef", "e")); err != nil || !e2[0].Merged || e2[0].ID != e[0].ID {
			t.Fatalf("second enqueue while running: %+v, %v; want merged into %d", e2, err, e[0].ID)
		}
		if err := s.Complete(ctx, running); err != nil {
			t.Fatal(err)
		}
		next := claimOne(t, s, "w2")
		if next.ID != e[0].ID || string(next.Args) != "e" {
			t.Fatalf("after the running job: %+v", next)
		}
		// A retry merged into a newer waiting job keeps the newer facts
		// and the attempt count.
		if _, err := s.Enqueue(ctx, spec("abcdef", "f")); err != nil {
			t.Fatal(err)
		}
		f, err := s.Fail(ctx, next, errors.New("flaky"))
		if err != nil || f.Dead {
			t.Fatal(f, err)
		}
		merged := claimOne(t, s, "w2")
		if string(merged.Args) != "f" || merged.Attempt != 2 {
			t.Fatalf("retry merged into a newer job: args %q attempt %d; want f, 2", merged.Args, merged.Attempt)
		}
		// Distinct kinds and escaped fields do not collide.
		keys := map[string]bool{}
		for _, k := range []struct {
			kind string
			key  Key
		}{
			{"pr", Key{Repository: "a/b", Ref: "x|y"}}, {"pr", Key{Repository: "a/b|x", Ref: "y"}},
			{"pr", Key{Repository: "a/b", Ref: "x%7Cy"}}, {"release", Key{Repository: "a/b", Ref: "x|y"}},
		} {
			c := k.key.canonical(k.kind)
			if keys[c] {
				t.Errorf("key %q collides", c)
			}
			keys[c] = true
		}
	})
}

func TestStats(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := newClock()
		s := open(t, dsn, Options{Now: clk.Now, MaxAttempts: 1})
		st, err := s.Stats(ctx)
		if err != nil || st != (QueueStats{}) {
			t.Fatalf("empty queue: %+v, %v", st, err)
		}
		later := prJob(3, "cc")
		later.Delay = time.Hour
		if _, err := s.Enqueue(ctx, prJob(1, "aa"), prJob(2, "bb"), later); err != nil {
			t.Fatal(err)
		}
		clk.Advance(90 * time.Second)
		if _, err := s.Enqueue(ctx, prJob(4, "dd")); err != nil {
			t.Fatal(err)
		}
		st, err = s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := (QueueStats{Waiting: 4, Ready: 3, OldestReady: 90 * time.Second}); st != want {
			t.Fatalf("stats %+v, want %+v", st, want)
		}
		j := claimOne(t, s, "w")
		if _, err := s.Claim(ctx, "w", 1, time.Minute); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Fail(ctx, j, errors.New("x")); err != nil {
			t.Fatal(err)
		}
		st, err = s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The dead job's notice waits; job 2 runs; job 3 is held back.
		if want := (QueueStats{Waiting: 3, Ready: 2, Running: 1, Dead: 1, OldestReady: 0}); st != want {
			t.Fatalf("stats %+v, want %+v", st, want)
		}
	})
}

func TestQueueRefusesBadInput(t *testing.T) {
	s := open(t, backends[0].fresh(t), Options{})
	ctx := context.Background()
	for _, sp := range []JobSpec{{Kind: ""}, {Kind: "PR"}, {Kind: "pr\n"}, {Kind: "pr", Key: Key{Number: -1}}, {Kind: "pr", Args: make([]byte, maxArgs+1)}} {
		if _, err := s.Enqueue(ctx, sp); err == nil {
			t.Errorf("Enqueue(%q) accepted", sp.Kind)
		}
	}
	for _, c := range []struct {
		owner string
		n     int
		lease time.Duration
	}{{"", 1, time.Minute}, {"a b", 1, time.Minute}, {"w", 0, time.Minute}, {"w", 1001, time.Minute}, {"w", 1, 0}} {
		if _, err := s.Claim(ctx, c.owner, c.n, c.lease); err == nil {
			t.Errorf("Claim(%q, %d, %v) accepted", c.owner, c.n, c.lease)
		}
	}
	for _, d := range []Delivery{{ID: "", Event: "push", Payload: []byte("{}")}, {ID: "x\ny", Event: "push", Payload: []byte("{}")},
		{ID: "d", Event: "", Payload: []byte("{}")}, {ID: "d", Event: "push"}, {ID: strings.Repeat("a", 65), Event: "push", Payload: []byte("{}")}, {ID: "big", Event: "push", Payload: make([]byte, MaxPayload+1)}} {
		if _, err := s.Accept(ctx, d); err == nil {
			t.Errorf("Accept(%q, %q) accepted", d.ID, d.Event)
		}
	}
	if n := s.count("deliveries", "1 = 1") + s.count("jobs", "1 = 1"); n != 0 {
		t.Errorf("%d rows written by refused calls", n)
	}
}

var errPermanentForTest = Permanent(errors.New("cannot succeed"))

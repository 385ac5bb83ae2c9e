package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestKilledWorkerJobsReclaimed kills a worker process holding four jobs;
// once their leases expire another worker gets them, as second attempts.
func TestKilledWorkerJobsReclaimed(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn, Options{})
		cmd, out, _ := helper(t, "hang", dsn)
		for i := 1; i <= 4; i++ {
			if _, err := s.Enqueue(ctx, prJob(i, "abc")); err != nil {
				t.Fatal(err)
			}
		}
		started := map[string]bool{}
		for len(started) < 4 && out.Scan() {
			started[strings.TrimPrefix(out.Text(), "started ")] = true
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		claimNone(t, s, "survivor") // leases held by the dead worker
		// A minute later (the helper's lease) by the survivor's clock:
		later := open(t, dsn, Options{Now: func() time.Time { return time.Now().Add(61 * time.Second) }})
		jobs, err := later.Claim(ctx, "survivor", 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) != 4 {
			t.Fatalf("reclaimed %d jobs, want 4", len(jobs))
		}
		for _, j := range jobs {
			if j.Attempt != 2 || !started[itoa(j.Previous)] || !strings.Contains(j.Reason, "worker hanging expired") {
				t.Errorf("reclaimed %+v", j)
			}
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// runFor runs r until stop is called; wait returns Run's error.
func runFor(r *Runner) (stop func(), wait func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	return cancel, func() error { return <-done }
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRunnerGracefulShutdown(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn, Options{})
		release := make(chan struct{})
		var mu sync.Mutex
		started := 0
		r := &Runner{Queue: s, Workers: 2, Poll: 5 * time.Millisecond, Handle: func(ctx context.Context, j Job) error {
			mu.Lock()
			started++
			mu.Unlock()
			<-release
			return nil
		}}
		for i := 1; i <= 3; i++ {
			if _, err := s.Enqueue(ctx, prJob(i, "abc")); err != nil {
				t.Fatal(err)
			}
		}
		stop, wait := runFor(r)
		waitFor(t, "two jobs to start", func() bool { mu.Lock(); defer mu.Unlock(); return started == 2 })
		stop()
		if n := s.count("jobs", "state = 'running'"); n != 2 {
			t.Fatalf("%d running after stop, want the 2 in flight", n)
		}
		close(release)
		if err := wait(); err != nil {
			t.Fatal(err)
		}
		if done, queued := s.count("jobs", "state = 'done'"), s.count("jobs", "state = 'queued'"); done != 2 || queued != 1 || started != 2 {
			t.Fatalf("after shutdown: %d done, %d queued, %d started; want 2, 1, 2", done, queued, started)
		}
	})
}

func TestRunnerDrainTimeoutReleases(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn, Options{})
		started := make(chan struct{}, 1)
		r := &Runner{Queue: s, Workers: 1, Poll: 5 * time.Millisecond, Drain: 50 * time.Millisecond, Handle: func(ctx context.Context, j Job) error {
			started <- struct{}{}
			<-ctx.Done()
			return ctx.Err()
		}}
		if _, err := s.Enqueue(ctx, prJob(1, "abc")); err != nil {
			t.Fatal(err)
		}
		stop, wait := runFor(r)
		<-started
		stop()
		if err := wait(); err != nil {
			t.Fatal(err)
		}
		j := claimOne(t, s, "next")
		if j.Attempt != 1 || j.Previous == 0 {
			t.Fatalf("released job came back as %+v, want attempt 1 again", j)
		}
		if n := s.count("jobs", "state = 'released'"); n != 1 {
			t.Fatalf("%d released rows, want 1", n)
		}
	})
}

func TestRunnerFailuresAndPanics(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn, Options{MaxAttempts: 2, Backoff: func(int) time.Duration { return 0 }})
		var mu sync.Mutex
		attempts := map[int][]int{}
		r := &Runner{Queue: s, Workers: 2, Poll: 5 * time.Millisecond, Handle: func(ctx context.Context, j Job) error {
			mu.Lock()
			attempts[j.Key.Number] = append(attempts[j.Key.Number], j.Attempt)
			mu.Unlock()
			switch {
			case j.DeadLetter:
				return nil
			case j.Key.Number == 1:
				return errors.New("flaky")
			case j.Key.Number == 2:
				panic("bug")
			}
			return nil
		}}
		if _, err := s.Enqueue(ctx, prJob(1, "abc"), prJob(2, "abc"), prJob(3, "abc")); err != nil {
			t.Fatal(err)
		}
		stop, wait := runFor(r)
		waitFor(t, "the queue to drain", func() bool { return s.count("jobs", "state IN ('queued', 'running')") == 0 })
		stop()
		if err := wait(); err != nil {
			t.Fatal(err)
		}
		// 1 and 2: two attempts, then their notices (attempt 1 again).
		for n, want := range map[int][]int{1: {1, 2, 1}, 2: {1, 2, 1}, 3: {1}} {
			if got := attempts[n]; len(got) != len(want) || got[0] != want[0] || got[len(got)-1] != want[len(want)-1] {
				t.Errorf("job %d attempts %v, want %v", n, got, want)
			}
		}
		if n := s.count("jobs", "state = 'dead' AND reason LIKE '%panic: bug%'"); n != 1 {
			t.Errorf("%d dead jobs with the panic as reason, want 1", n)
		}
	})
}

func TestRunnerStopsAJobWhoseLeaseIsLost(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn, Options{})
		started := make(chan Job, 1)
		cause := make(chan error, 1)
		r := &Runner{Queue: s, Workers: 1, Lease: 300 * time.Millisecond, Poll: 5 * time.Millisecond,
			Handle: func(ctx context.Context, j Job) error {
				started <- j
				<-ctx.Done()
				cause <- context.Cause(ctx)
				return ctx.Err()
			}}
		if _, err := s.Enqueue(ctx, prJob(1, "abc")); err != nil {
			t.Fatal(err)
		}
		stop, wait := runFor(r)
		j := <-started
		// Another replica, its clock past the lease, reclaims the job.
		other := open(t, dsn, Options{Now: func() time.Time { return time.Now().Add(time.Hour) }})
		if _, err := other.Claim(ctx, "other", 1, time.Hour); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-cause:
			if !errors.Is(err, errLeaseLost) {
				t.Fatalf("the job's context ended with %v, want errLeaseLost", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the job kept running without its lease")
		}
		stop()
		if err := wait(); err != nil {
			t.Fatal(err)
		}
		if st := s.states()[j.ID]; st != stateExpired {
			t.Errorf("the reclaimed job is %s, want expired (not completed by the worker that lost it)", st)
		}
	})
}

package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestReplicasCompleteEachJobOnce runs two replica processes against one
// database, each with four workers, and enqueues 1,000 jobs: every job is
// done, each by exactly one replica, and on PostgreSQL both replicas take
// part. (Two processes on one SQLite file are correct too, but not fair:
// SQLite's busy handler sleeps while the other process keeps taking the
// write lock, so one may do everything. SQLite is for one replica.)
func TestReplicasCompleteEachJobOnce(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		const jobs = 1000
		ctx := context.Background()
		s := open(t, dsn, Options{})
		type replica struct {
			ran  map[int]int // key number → times run
			done chan error
		}
		var replicas []*replica
		var stdins []func() error
		for range 2 {
			cmd, out, stdin := helper(t, "work", dsn)
			r := &replica{ran: map[int]int{}, done: make(chan error, 1)}
			go func() {
				for out.Scan() {
					f := strings.Fields(out.Text())
					n, err := strconv.Atoi(f[len(f)-1])
					if len(f) != 3 || f[0] != "ran" || err != nil {
						r.done <- fmt.Errorf("replica printed %q", out.Text())
						return
					}
					r.ran[n]++
				}
				r.done <- cmd.Wait()
			}()
			replicas = append(replicas, r)
			stdins = append(stdins, stdin.Close)
		}
		specs := make([]JobSpec, jobs)
		for i := range specs {
			specs[i] = prJob(i+1, "abc")
		}
		for i := 0; i < jobs; i += 100 {
			if _, err := s.Enqueue(ctx, specs[i:i+100]...); err != nil {
				t.Fatal(err)
			}
		}
		deadline := time.Now().Add(2 * time.Minute)
		for s.count("jobs", "state = 'done'") < jobs {
			if time.Now().After(deadline) {
				t.Fatalf("after 2 minutes: %v", s.states())
			}
			time.Sleep(20 * time.Millisecond)
		}
		for _, close := range stdins {
			if err := close(); err != nil {
				t.Fatal(err)
			}
		}
		total := map[int]int{}
		for i, r := range replicas {
			if err := <-r.done; err != nil {
				t.Fatalf("replica %d: %v", i, err)
			}
			t.Logf("replica %d ran %d jobs", i, len(r.ran))
			if len(r.ran) == 0 && IsPostgres(dsn) {
				t.Errorf("replica %d ran no job: the replicas did not share the queue", i)
			}
			for n, c := range r.ran {
				total[n] += c
			}
		}
		for n := 1; n <= jobs; n++ {
			if total[n] != 1 {
				t.Errorf("job %d ran %d times", n, total[n])
			}
		}
		if n := s.count("jobs", "1 = 1"); n != jobs {
			t.Errorf("%d job rows, want %d (no retries, no reclaims)", n, jobs)
		}
	})
}

// TestCoalescingUnderConcurrency has producers enqueue many jobs for a few
// keys through two store handles while two runners (one per handle) work
// the queue. Every enqueue is covered by exactly one run — of the job it
// created or of the waiting job it merged into, which starts only after the
// merge — and two jobs of one key never run at once.
func TestCoalescingUnderConcurrency(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		const producers, perProducer, keys = 6, 40, 4
		a, b := open(t, dsn, Options{}), open(t, dsn, Options{})
		stores := []*dbStore{a, b}

		var mu sync.Mutex
		runningKey := map[int]bool{}
		ran := map[int64]int{}
		var overlap []string
		handle := func(ctx context.Context, j Job) error {
			mu.Lock()
			if runningKey[j.Key.Number] {
				overlap = append(overlap, fmt.Sprintf("key %d: job %d started while another ran", j.Key.Number, j.ID))
			}
			runningKey[j.Key.Number] = true
			mu.Unlock()
			time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond)
			mu.Lock()
			runningKey[j.Key.Number] = false
			ran[j.ID]++
			mu.Unlock()
			return nil
		}
		ctx, stop := context.WithCancel(context.Background())
		var runners sync.WaitGroup
		for i, s := range stores {
			runners.Add(1)
			r := &Runner{Queue: s, Handle: handle, Owner: fmt.Sprintf("r%d", i), Workers: 3, Poll: 2 * time.Millisecond}
			go func() { defer runners.Done(); _ = r.Run(ctx) }()
		}

		ids := make([][]Enqueued, producers)
		var wg sync.WaitGroup
		for p := range producers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perProducer {
					sp := prJob(1+(p+i)%keys, "abc")
					sp.Args = []byte(fmt.Sprintf(`{"p":%d,"i":%d}`, p, i))
					e, err := stores[i%2].Enqueue(context.Background(), sp)
					if err != nil {
						t.Error(err)
						return
					}
					ids[p] = append(ids[p], e...)
				}
			}()
		}
		wg.Wait()
		deadline := time.Now().Add(time.Minute)
		for a.count("jobs", "state IN ('queued', 'running')") > 0 {
			if time.Now().After(deadline) {
				t.Fatalf("queue not drained: %v", a.states())
			}
			time.Sleep(5 * time.Millisecond)
		}
		stop()
		runners.Wait()

		for _, o := range overlap {
			t.Error(o)
		}
		merged, created := 0, map[int64]bool{}
		for _, es := range ids {
			for _, e := range es {
				if ran[e.ID] != 1 {
					t.Errorf("job %d (merged %v) ran %d times", e.ID, e.Merged, ran[e.ID])
				}
				if e.Merged {
					merged++
				} else {
					created[e.ID] = true
				}
			}
		}
		if len(ran) != len(created) {
			t.Errorf("%d jobs ran, %d were created", len(ran), len(created))
		}
		t.Logf("%d enqueues: %d jobs created, %d merged into waiting ones", producers*perProducer, len(created), merged)
		if merged == 0 {
			t.Error("no enqueue merged: coalescing was not exercised")
		}
	})
}

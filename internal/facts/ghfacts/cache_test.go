package ghfacts

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/cpuslot"
)

// Two jobs on one CPU slot ask the cache for one key: the first fetches
// it, waiting for GitHub without the slot; the second, which took the
// slot meanwhile, waits for the first's fetch without it, so that the
// first can take it back to finish. (Holding it while waiting deadlocked
// them.)
func TestCacheWaitsForAnotherFetchWithoutTheSlot(t *testing.T) {
	slots := cpuslot.New(1)
	c := NewCache(0)
	answered := make(chan struct{})
	asking := make(chan struct{})
	type got struct {
		v        int
		fetched  bool
		computed bool // the fetch computed with a slot
		err      error
	}
	results := make(chan got, 2)
	job := func(fetches bool) {
		ctx, h, err := slots.Hold(context.Background())
		if err != nil {
			results <- got{err: err}
			return
		}
		var computed bool
		v, _, err := cached(ctx, c, "k", func(ctx context.Context) (int, int64, error) {
			if !fetches {
				t.Error("the second job fetched too")
			}
			err := cpuslot.Off(ctx, func() error { close(asking); <-answered; return nil }) // GitHub
			computed = slots.InUse() == 1
			return 42, 8, err
		})
		h.Release()
		results <- got{v, fetches, computed, err}
	}
	go job(true)
	<-asking // the first waits for GitHub, without its slot
	go job(false)
	for slots.InUse() != 0 || c.misses.Load() != 2 { // the second took the slot, then waits without it
		runtime.Gosched()
	}
	close(answered)
	for range 2 {
		select {
		case r := <-results:
			if r.err != nil || r.v != 42 {
				t.Fatalf("a job got %d, %v", r.v, r.err)
			}
			if r.fetched && !r.computed {
				t.Error("the fetch computed without a slot after GitHub answered")
			}
		case <-time.After(time.Minute):
			t.Fatal("the jobs deadlocked")
		}
	}
	if slots.InUse() != 0 {
		t.Errorf("%d slots in use after both jobs", slots.InUse())
	}
}

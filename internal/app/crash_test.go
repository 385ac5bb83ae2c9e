package app_test

import (
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// kill -9 in the middle of 1,000 deliveries: the deliveries acknowledged
// before are in the store and evaluated after the restart (a job the
// killed server was running is taken over when its lease expires); those
// the dead server could not take are failed hook deliveries, which the
// restarted server's recovery asks GitHub to redeliver. Every pull
// request is evaluated; none is lost.
func TestCrashRecovery(t *testing.T) {
	const deliveries, shas = 1000, 50
	f := newFixture(t)
	var heads []string
	for i := range shas {
		heads = append(heads, f.commit("docs/step.md", fmt.Sprintf("step %d\n", i), fmt.Sprintf("Step %d", i)))
	}
	extra := []string{"TRACEGATE_LEASE=2s"}
	s := f.start(extra...)
	var acked, failed atomic.Int64
	for i := 1; i <= deliveries; i++ {
		if i == deliveries/3 {
			s.kill()
		}
		body := f.prPayload("opened", pr{number: i, head: heads[i%shas], title: "Greet (SRS-001) " + strconv.Itoa(i)})
		if code := f.gh.Deliver("pull_request", f.guid(), body); code == http.StatusAccepted {
			acked.Add(1)
		} else {
			failed.Add(1)
		}
	}
	t.Logf("%d acknowledged before the kill, %d failed", acked.Load(), failed.Load())
	if acked.Load() < deliveries/3-1 || failed.Load() == 0 {
		t.Fatalf("acknowledged %d, failed %d", acked.Load(), failed.Load())
	}
	s2 := f.start(extra...)
	evaluated := func() map[string]int {
		refs := map[string]int{}
		for _, d := range f.audit(f.db, "--limit", "100000") {
			refs[d.Ref]++
		}
		return refs
	}
	start := time.Now()
	waitFor(t, "every pull request evaluated", 4*time.Minute, func() bool {
		time.Sleep(time.Second)
		return len(evaluated()) == deliveries
	})
	t.Logf("all %d evaluated %s after the restart", deliveries, time.Since(start).Round(time.Millisecond))
	refs := evaluated()
	for i := 1; i <= deliveries; i++ {
		if refs["pull/"+strconv.Itoa(i)] == 0 {
			t.Errorf("pull request %d was never evaluated", i)
		}
	}
	for _, h := range heads {
		if c, ok := f.checkRun("tracegate/pr", h); !ok || c.Status != "completed" || c.Conclusion != "success" {
			t.Errorf("check run on %s: %+v", h, c)
		}
	}
	if n := s2.metric(t, `tracegate_redeliveries_total{outcome="requested"}`); n < float64(failed.Load()) {
		t.Errorf("%v redeliveries requested, want at least the %d failed deliveries", n, failed.Load())
	}
	s2.stop()
	noSecrets(t, s2.log(), f)
}

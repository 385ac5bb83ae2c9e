package app_test

import (
	"testing"
	"time"
)

// When an installation's rate limit is nearly spent, its jobs wait for the
// reset instead of spending the rest: the evaluation that comes while the
// answers say so is deferred, and runs once the window has reset.
func TestRateLimitBackOff(t *testing.T) {
	f := newFixture(t)
	first := f.commit("docs/a.md", "a\n", "a")
	second := f.commit("docs/b.md", "b\n", "b")
	s := f.start()
	reset := time.Now().Add(4 * time.Second)
	f.gh.SetRateLimit(10, reset) // of 5,000: under the 2 % kept in reserve
	f.deliver("pull_request", f.prPayload("opened", pr{number: 51, head: first, title: "Greet (SRS-001)"}))
	f.completed("tracegate/pr", first)
	f.deliver("pull_request", f.prPayload("opened", pr{number: 52, head: second, title: "Greet (SRS-001)"}))
	waitFor(t, "the second job deferred", time.Minute, func() bool {
		return s.metric(t, `tracegate_jobs_total{kind="pr",outcome="deferred"}`) >= 1
	})
	if _, ok := f.checkRun("tracegate/pr", second); ok {
		t.Fatal("the deferred evaluation posted before the reset")
	}
	f.gh.SetRateLimit(4999, time.Now().Add(time.Hour))
	c := f.completed("tracegate/pr", second)
	if c.Conclusion != "success" {
		t.Errorf("after the reset: %s", c.Conclusion)
	}
	if ds := f.audit(f.db, "--sha", second); len(ds) != 1 || ds[0].At.Before(reset.Add(-time.Second)) {
		t.Errorf("the second decision %+v came before the reset %s", ds, reset)
	}
	if n := s.metric(t, `tracegate_github_rate_limit_remaining{installation="77"}`); n != 4999 && n != 10 {
		t.Errorf("rate limit gauge %v", n)
	}
	s.stop()
}

package app_test

import (
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// With one CPU slot and two evaluations in flight, an evaluation that
// waits for GitHub does not hold the slot: another pull request is judged
// and published meanwhile, and while the first waits no slot is in use.
func TestCPUSlotGivenUpWhileWaitingForGitHub(t *testing.T) {
	f := newFixture(t)
	slow := f.commit("docs/slow.md", "slow\n", "Slow (SRS-001)")
	quick := f.commit("docs/quick.md", "quick\n", "Quick (SRS-001)")
	// GitHub takes its time with the slow head's files: long enough for
	// the quick one to be judged under a loaded machine.
	f.gh.Inject(fakegithub.Fault{Path: "/api/v3/repos/acme/mini/tarball/" + slow, Delay: 20 * time.Second, Count: 1})
	s := f.start("TRACEGATE_WORKERS=2", "TRACEGATE_CPU_SLOTS=1")
	if n := s.metric(t, "tracegate_cpu_slots"); n != 1 {
		t.Fatalf("tracegate_cpu_slots %v, want TRACEGATE_CPU_SLOTS's 1", n)
	}
	f.deliver("pull_request", f.prPayload("opened", pr{number: 51, head: slow, title: "Slow (SRS-001)"}))
	waitFor(t, "the slow evaluation to start", 30*time.Second, func() bool {
		return s.metric(t, `tracegate_queue_jobs{state="running"}`) == 1
	})
	f.deliver("pull_request", f.prPayload("opened", pr{number: 52, head: quick, title: "Quick (SRS-001)"}))
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(s.log())
		}
	})
	if c := f.completed("tracegate/pr", quick); c.Conclusion != "success" {
		t.Fatalf("the quick pull request: %+v", c)
	}
	if c, ok := f.checkRun("tracegate/pr", slow); ok && c.Status == "completed" {
		t.Fatalf("the slow pull request completed before the quick one: GitHub's delay did not hold it (%+v)", c)
	}
	waitFor(t, "the slow evaluation alone in flight, without a slot", 15*time.Second, func() bool {
		return s.metric(t, `tracegate_queue_jobs{state="running"}`) == 1 && s.metric(t, "tracegate_cpu_slots_in_use") == 0
	})
	if c := f.completed("tracegate/pr", slow); c.Conclusion != "success" {
		t.Fatalf("the slow pull request: %+v", c)
	}
	waitFor(t, "the queue to drain", 30*time.Second, func() bool {
		return s.metric(t, `tracegate_queue_jobs{state="running"}`) == 0
	})
	if n := s.metric(t, "tracegate_cpu_slots_in_use"); n != 0 {
		t.Errorf("%v CPU slots in use with no job running", n)
	}
}

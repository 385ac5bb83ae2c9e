package app_test

import (
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// Deliveries for one pull request and head that wait at once make one
// evaluation, with the newest facts; SIGTERM lets the evaluation in flight
// finish and publish (the drain) and leaves the waiting one queued for the
// next start, which evaluates it.
func TestCoalesceAndDrain(t *testing.T) {
	f := newFixture(t)
	head := f.commit("docs/drain.md", "drain\n", "Drain (SRS-001)")
	// The first evaluation reads the head's files slowly, long enough for
	// the other deliveries to queue behind it and for the SIGTERM.
	f.gh.Inject(fakegithub.Fault{Path: "/api/v3/repos/acme/mini/tarball/*", Delay: 3 * time.Second, Count: 1})
	s := f.start("TRACEGATE_WORKERS=1")
	p := pr{number: 41, head: head, title: "Greet (SRS-001)"}
	first := f.deliver("pull_request", f.prPayload("opened", p))
	var last string
	waitFor(t, "the first evaluation to start", 30*time.Second, func() bool {
		return s.metric(t, `tracegate_queue_jobs{state="running"}`) == 1
	})
	for _, change := range []struct {
		action string
		edit   func(*pr)
	}{
		{"edited", func(p *pr) { p.title = "Greet louder (SRS-001)" }},
		{"labeled", func(p *pr) { p.labels = []string{"docs"} }},
		{"edited", func(p *pr) { p.body = "Implements SRS-001." }},
		{"reopened", func(p *pr) {}},
	} {
		change.edit(&p)
		last = f.deliver("pull_request", f.prPayload(change.action, p))
	}
	if n := s.metric(t, `tracegate_queue_jobs{state="waiting"}`); n != 1 {
		t.Errorf("%v jobs waiting behind the running evaluation, want the 4 deliveries merged into 1", n)
	}
	if c, ok := f.checkRun("tracegate/pr", head); ok {
		t.Fatalf("a check run before the first evaluation ended: %+v", c)
	}
	s.stop() // SIGTERM while the first evaluation waits for the tarball
	if s.err != nil {
		t.Errorf("tracegate serve did not exit cleanly on SIGTERM: %v\n%s", s.err, s.log())
	}
	if c, ok := f.checkRun("tracegate/pr", head); !ok || c.Status != "completed" || c.Conclusion != "success" {
		t.Fatalf("the evaluation in flight at SIGTERM did not publish before the exit: %+v", c)
	}
	if ds := f.audit(f.db); len(ds) != 1 || ds[0].DeliveryID != first {
		t.Fatalf("decisions after the drain: %+v, want the one in flight, of delivery %s", ds, first)
	}

	s = f.start()
	waitFor(t, "the merged evaluation", time.Minute, func() bool { return len(f.audit(f.db)) >= 2 })
	s.stop()
	ds := f.audit(f.db)
	if len(ds) != 2 {
		t.Fatalf("%d decisions for 5 deliveries of one pull request and head, want 2 (the first, and the 4 that waited together)", len(ds))
	}
	if ds[1].DeliveryID != last || ds[0].InputsDigest == ds[1].InputsDigest {
		t.Errorf("the merged evaluation is of delivery %s (inputs %s, the first's %s), want the newest, %s, and its facts",
			ds[1].DeliveryID, ds[1].InputsDigest, ds[0].InputsDigest, last)
	}
	if c := newest(f, head); c.Status != "completed" || c.Conclusion != "success" {
		t.Errorf("newest check run %+v", c)
	}
}

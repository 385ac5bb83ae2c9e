package app_test

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
	"github.com/tracegate/tracegate/internal/store/pgtest"
)

// Two replicas of tracegate serve on one PostgreSQL database (a throwaway
// cluster on loopback; the test fails, not skips, without PostgreSQL under
// TRACEGATE_REQUIRE_TOOLS=1): every delivery is posted to both at once,
// each is stored once, and each job is evaluated exactly once, by one
// replica or the other — both take part.
func TestReplicasPostgreSQL(t *testing.T) {
	const prs = 200
	c := pgtest.New(t, pgtest.Options{})
	db, err := c.CreateDatabase(context.Background(), "tracegate_app")
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	f.db = db
	var heads []string
	for i := range 20 {
		heads = append(heads, f.commit("docs/r.md", strconv.Itoa(i)+"\n", "r"+strconv.Itoa(i)))
	}
	a, b := f.start(), f.start()
	var wg sync.WaitGroup
	codes := make(chan int, 2*prs)
	for i := 1; i <= prs; i++ {
		body := f.prPayload("opened", pr{number: i, head: heads[i%len(heads)], title: "Greet (SRS-001)"})
		id, sig := f.guid(), fakegithub.Sign([]byte(secret), body)
		for _, s := range []*server{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes <- post(t, s.url, "pull_request", id, sig, body)
			}()
		}
		if i%20 == 0 {
			wg.Wait()
		}
	}
	wg.Wait()
	close(codes)
	for code := range codes {
		if code != http.StatusAccepted {
			t.Fatalf("a replica answered %d", code)
		}
	}
	waitFor(t, "every pull request evaluated", 3*time.Minute, func() bool {
		time.Sleep(500 * time.Millisecond)
		return len(f.audit(db, "--limit", "100000")) >= prs
	})
	time.Sleep(time.Second) // a second evaluation of any would show now
	seen := map[string]int{}
	for _, d := range f.audit(db, "--limit", "100000") {
		seen[d.Ref]++
	}
	for i := 1; i <= prs; i++ {
		if n := seen["pull/"+strconv.Itoa(i)]; n != 1 {
			t.Errorf("pull request %d evaluated %d times", i, n)
		}
	}
	if n := f.gh.Count("POST", "/api/v3/repos/acme/mini/check-runs"); n != prs {
		t.Errorf("%d check runs created, want %d", n, prs)
	}
	done := func(s *server) float64 { return s.metric(t, `tracegate_jobs_total{kind="pr",outcome="done"}`) }
	da, dbn := done(a), done(b)
	t.Logf("replica A evaluated %v, B %v", da, dbn)
	if da+dbn != prs || da == 0 || dbn == 0 {
		t.Errorf("replicas evaluated %v and %v, want %d between both, each some", da, dbn, prs)
	}
	dup := a.metric(t, `tracegate_webhook_deliveries_total{event="pull_request",outcome="duplicate"}`) +
		b.metric(t, `tracegate_webhook_deliveries_total{event="pull_request",outcome="duplicate"}`)
	if dup != prs {
		t.Errorf("%v duplicates, want %d (each delivery came twice)", dup, prs)
	}
	a.stop()
	b.stop()
}

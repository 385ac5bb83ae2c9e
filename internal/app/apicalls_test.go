package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// apiCalls are the API requests the fake logged since its last reset (the
// download host is not the API), as "METHOD /path → status".
func apiCalls(gh *fakegithub.Server) []string {
	var out []string
	for _, r := range gh.Requests() {
		if r.Host != "api" {
			continue
		}
		out = append(out, fmt.Sprintf("%s %s → %d", r.Method, strings.TrimPrefix(r.Path, "/api/v3"), r.Status))
	}
	return out
}

// recovered waits for the recovery's first look at the App's hook
// deliveries, which a server makes as it starts, so that it is not counted
// among an evaluation's calls.
func (f *fixture) recovered() {
	f.t.Helper()
	waitFor(f.t, "the recovery's first look", 30*time.Second, func() bool {
		for _, r := range f.gh.Requests() {
			if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/app/hook/deliveries") {
				return true
			}
		}
		return false
	})
}

// A cold evaluation of a pull request reads what it must once; a warm
// re-evaluation (the title edited, nothing else changed) asks only what
// can have changed — the linked issue and the CI runs of the head — with
// entity tags (answered 304, free of rate limit), and posts its check run:
// at most four API calls.
func TestAPICallsColdAndWarm(t *testing.T) {
	f := newFixture(t)
	f.evidenceFromCI()
	head := f.commit("docs/notes.md", "Notes.\n", "Notes")
	run := f.gh.AddWorkflowRun(repoName, fakegithub.WorkflowRun{Name: "CI", Path: ".github/workflows/ci.yml", HeadSHA: head})
	f.gh.AddArtifact(run, fakegithub.Artifact{Name: "test-reports", Files: map[string]string{
		"junit.xml": `<testsuites><testsuite name="s" tests="1"><testcase name="TestGreet SRS-001" classname="x"/></testsuite></testsuites>`}})
	f.gh.AddIssue(repoName, fakegithub.Issue{Number: 9, Title: "Greeting too quiet", Labels: []string{"bug"}})
	s := f.start()
	f.recovered()
	p := pr{number: 4, head: head, title: "Greet louder (SRS-001), fixes #9"}
	f.gh.ResetLog()
	f.deliver("pull_request", f.prPayload("opened", p))
	c := f.completed("tracegate/pr", head)
	cold := apiCalls(f.gh)
	t.Logf("cold: %d API calls (%s):\n  %s", len(cold), c.Conclusion, strings.Join(cold, "\n  "))

	f.gh.ResetLog()
	p.title = "Greet much louder (SRS-001), fixes #9"
	f.deliver("pull_request", f.prPayload("edited", p))
	waitFor(t, "the second evaluation", 90e9, func() bool { return len(f.audit(f.db)) == 2 })
	warm := apiCalls(f.gh)
	t.Logf("warm: %d API calls:\n  %s", len(warm), strings.Join(warm, "\n  "))
	if len(warm) > 4 {
		t.Errorf("a warm re-evaluation made %d API calls, want at most 4", len(warm))
	}
	reads := 0
	for _, r := range f.gh.Requests() {
		if r.Host == "api" && r.Method == http.MethodGet {
			reads++
			if r.Status != http.StatusNotModified && !strings.HasSuffix(r.Path, "/check-runs") {
				t.Errorf("warm read %s answered %d, want 304", r.Path, r.Status)
			}
		}
	}
	if len(cold) <= len(warm) || reads == 0 {
		t.Errorf("cold %d, warm %d calls", len(cold), len(warm))
	}
	ds := f.audit(f.db)
	if ds[0].Verdict != ds[1].Verdict || ds[0].PolicyDigest != ds[1].PolicyDigest || ds[0].InputsDigest == ds[1].InputsDigest {
		t.Errorf("cold and warm decisions: %+v", ds)
	}
	// The metric counts each evaluation's calls, as the fake saw them.
	if n := s.metric(t, `tracegate_evaluation_github_api_calls_sum{gate="pr"}`); int(n) != len(cold)+len(warm) {
		t.Errorf("metric: %v API calls in the two evaluations, the fake saw %d", n, len(cold)+len(warm))
	}
	s.stop()
}

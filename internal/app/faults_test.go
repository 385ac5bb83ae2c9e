package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// Under injected faults — server errors, a 429 and a secondary rate limit
// with Retry-After, a slow answer, a token that cannot be had at first —
// every check run completes, and none posts success after an error: a
// pull request that passes passes (retried through the faults), one that
// fails fails, one whose input GitHub refuses is an evaluation error, one
// whose input never comes back is dead-lettered after its attempts; the
// last three complete as failures saying why.
func TestFaults(t *testing.T) {
	f := newFixture(t)
	heads := map[string]string{}
	for _, name := range []string{"pass", "fail", "refused", "dead"} {
		heads[name] = f.commit("docs/"+name+".md", name+"\n", "Change "+name)
	}
	f.gh.AddIssue(repoName, fakegithub.Issue{Number: 21, Title: "Never answers", Labels: []string{"change-request", "approved"}})
	f.gh.AddIssue(repoName, fakegithub.Issue{Number: 22, Title: "Refused", Labels: []string{"change-request", "approved"}})
	ra0 := http.Header{"Retry-After": {"0"}}
	ra1 := http.Header{"Retry-After": {"1"}}
	f.gh.Inject(fakegithub.Fault{Method: "POST", Path: "/api/v3/app/installations/*/access_tokens", Status: 502, Count: 1})
	f.gh.Inject(fakegithub.Fault{Path: "/api/v3/repos/acme/mini/compare/*", Status: 502, Header: ra0, Count: 3})
	f.gh.Inject(fakegithub.Fault{Method: "POST", Path: "/api/v3/repos/acme/mini/check-runs", Status: 429, Header: ra1, Count: 1})
	f.gh.Inject(fakegithub.Fault{Path: "/api/v3/repos/acme/mini/commits/*", Status: 403, Header: ra1, Count: 2})
	f.gh.Inject(fakegithub.Fault{Path: "/api/v3/repos/acme/mini/tarball/*", Delay: 700 * time.Millisecond, Count: 2})
	f.gh.Inject(fakegithub.Fault{Path: "/api/v3/repos/acme/mini/git/trees/*", Status: 500, Header: ra0, Count: 2})
	f.gh.Inject(fakegithub.Fault{Path: "/api/v3/repos/acme/mini/issues/21", Status: 502, Header: ra0, Count: 1 << 20})
	f.gh.Inject(fakegithub.Fault{Path: "/api/v3/repos/acme/mini/issues/22", Status: 403, Count: 1 << 20})
	s := f.start()
	prs := map[string]pr{
		"pass":    {number: 31, head: heads["pass"], title: "Greet (SRS-001)"},
		"fail":    {number: 32, head: heads["fail"], title: "Unlinked change"},
		"refused": {number: 33, head: heads["refused"], title: "Greet (SRS-001) for #22"},
		"dead":    {number: 34, head: heads["dead"], title: "Greet (SRS-001) for #21"},
	}
	for _, p := range prs {
		f.deliver("pull_request", f.prPayload("opened", p))
	}
	want := map[string]string{"pass": "success", "fail": "failure", "refused": "failure", "dead": "failure"}
	for name, p := range prs {
		c := f.completed("tracegate/pr", p.head)
		if c.Conclusion != want[name] {
			t.Errorf("%s: conclusion %s, want %s\n%s", name, c.Conclusion, want[name], c.Summary)
		}
		switch name {
		case "refused":
			if !strings.Contains(c.Summary, "could not") && !strings.Contains(c.Title, "Could not be evaluated") {
				t.Errorf("refused: the summary does not say the evaluation failed:\n%s", c.Summary)
			}
		case "dead":
			if !strings.Contains(c.Summary, "gave up evaluating this commit, retrying did not help (attempt 3:") {
				t.Errorf("dead letter: the summary does not say why:\n%s", c.Summary)
			}
		}
	}
	// Every check run completed; only the passing one's history holds a
	// success.
	for _, c := range f.gh.CheckRuns(repoName) {
		if c.Status != "completed" && c.ID == newest(f, c.HeadSHA).ID {
			t.Errorf("check run %d on %s left %s", c.ID, c.HeadSHA[:7], c.Status)
		}
		if c.Conclusion == "success" && c.HeadSHA != heads["pass"] {
			t.Errorf("success posted on %s", c.HeadSHA[:7])
		}
	}
	s.stop()
	ds := f.audit(f.db)
	verdicts := map[string]string{}
	for _, d := range ds {
		verdicts[d.Ref] = d.Verdict
	}
	if verdicts["pull/31"] != "pass" || verdicts["pull/32"] != "fail" || verdicts["pull/33"] != "error" || verdicts["pull/34"] != "error" {
		t.Errorf("audit verdicts %v", verdicts)
	}
	noSecrets(t, s.log(), f)
}

func newest(f *fixture, sha string) fakegithub.CheckRun {
	c, _ := f.checkRun("tracegate/pr", sha)
	return c
}

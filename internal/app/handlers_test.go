package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// A pull request cannot weaken its own gate: one that adds an exempt
// label to the policy at its head, and carries that label with a
// justification, is judged by the base's policy, which has no exemption,
// and fails for want of a link.
func TestPolicyFromBase(t *testing.T) {
	f := newFixture(t)
	head := f.commit(".github/tracegate.yml", miniPolicy+"pr:\n  exempt_labels: [trivial]\n", "Loosen the gate")
	s := f.start()
	f.deliver("pull_request", f.prPayload("opened", pr{number: 2, head: head, title: "Tidy up", body: "## Justification\n\nTrivial.\n", labels: []string{"trivial"}}))
	c := f.completed("tracegate/pr", head)
	if c.Conclusion != "failure" || !strings.Contains(c.Summary, "TG") {
		t.Fatalf("check run %s %s: %s", c.Status, c.Conclusion, c.Summary)
	}
	// Judged by the head's policy it would pass: the exemption is what
	// the base does not grant.
	if strings.Contains(c.Summary, "exempt") && strings.Contains(c.Summary, "trivial") && c.Conclusion == "success" {
		t.Error("the head's exemption was applied")
	}
	s.stop()
	ds := f.audit(f.db, "--sha", head[:8])
	if len(ds) != 1 || ds[0].Verdict != "fail" {
		t.Fatalf("audit %+v", ds)
	}
	noSecrets(t, s.log(), f)
}

// evidencePolicy names the CI workflow whose artifact holds the test
// reports.
const evidencePolicy = `app:
  evidence:
    workflow: CI
    artifacts:
      - name: test-reports
        path: reports
`

// A pull request whose CI artifacts are not there yet shows an
// in-progress check run saying what it waits for; the workflow_run event
// of the run that made them completes it with the verdict.
func TestArtifactsArriveLater(t *testing.T) {
	f := newFixture(t)
	f.evidenceFromCI()
	head := f.commit("docs/notes.md", "Notes.\n", "Notes (SRS-001)")
	s := f.start()
	f.gh.AddPullRequest(repoName, fakegithub.PullRequest{Number: 3, Title: "Greet (SRS-001)", HeadRef: "feature", HeadSHA: head, BaseRef: "main", BaseSHA: f.base})
	f.deliver("pull_request", f.prPayload("opened", pr{number: 3, head: head, title: "Greet (SRS-001)"}))
	waitFor(t, "an in-progress check run", time.Minute, func() bool {
		c, ok := f.checkRun("tracegate/pr", head)
		return ok && c.Status == "in_progress"
	})
	c, _ := f.checkRun("tracegate/pr", head)
	if !strings.Contains(c.Summary, "CI") || !strings.Contains(c.Summary, "No run of the workflow") || c.Conclusion != "" {
		t.Fatalf("waiting check run: %+v", c)
	}
	// CI runs and uploads the reports.
	run := f.gh.AddWorkflowRun(repoName, fakegithub.WorkflowRun{Name: "CI", Path: ".github/workflows/ci.yml", HeadSHA: head})
	f.gh.AddArtifact(run, fakegithub.Artifact{Name: "test-reports", Files: map[string]string{
		"junit.xml": `<testsuites><testsuite name="s" tests="1"><testcase name="TestGreet SRS-001" classname="x"/></testsuite></testsuites>`}})
	ev := example(t, "workflow_run", "completed")
	f.pointAt(ev)
	ev["workflow_run"].(map[string]any)["head_sha"] = head
	f.deliver("workflow_run", marshal(t, ev))
	c = f.completed("tracegate/pr", head)
	if c.Conclusion != "success" {
		t.Fatalf("after the artifacts: %s %s\n%s", c.Status, c.Conclusion, c.Summary)
	}
	// One check run went from in progress to its verdict.
	if runs := f.gh.CheckRuns(repoName); len(runs) != 1 || runs[0].Writes < 2 {
		t.Errorf("check runs %+v", runs)
	}
	s.stop()
	noSecrets(t, s.log(), f)
}

// An edited issue re-evaluates the open pull requests that link it, by
// number or by the ID its title carries, and no other; the check run's
// Re-run button and a re-request evaluate again.
func TestIssueAndRerun(t *testing.T) {
	f := newFixture(t)
	head := f.commit("docs/notes.md", "Notes.\n", "Notes")
	s := f.start()
	prs := []fakegithub.PullRequest{
		{Number: 10, Title: "Greet (SRS-001), see #5", HeadRef: "feature", HeadSHA: head, BaseRef: "main", BaseSHA: f.base},
		{Number: 11, Title: "Greet (SRS-001), for CR-7", HeadRef: "feature", HeadSHA: head, BaseRef: "main", BaseSHA: f.base},
		{Number: 12, Title: "Unrelated (SRS-001)", HeadRef: "feature", HeadSHA: head, BaseRef: "main", BaseSHA: f.base},
	}
	for _, p := range prs {
		f.gh.AddPullRequest(repoName, p)
	}
	f.gh.AddIssue(repoName, fakegithub.Issue{Number: 5, Title: "CR-7: greet louder", Labels: []string{"change-request", "approved"}})
	ev := example(t, "issues", "edited")
	f.pointAt(ev)
	is := ev["issue"].(map[string]any)
	is["number"], is["title"] = 5, "CR-7: greet louder"
	delete(is, "pull_request")
	f.deliver("issues", marshal(t, ev))
	f.completed("tracegate/pr", head)
	waitFor(t, "two evaluations", time.Minute, func() bool { return len(f.audit(f.db)) == 2 })
	refs := map[string]bool{}
	for _, d := range f.audit(f.db) {
		refs[d.Ref] = true
	}
	if !refs["pull/10"] || !refs["pull/11"] || refs["pull/12"] {
		t.Errorf("evaluated %v, want pull/10 and pull/11", refs)
	}

	// The Re-run button of the check run.
	rr := example(t, "check_run", "requested_action")
	f.pointAt(rr)
	cr := rr["check_run"].(map[string]any)
	cr["name"], cr["head_sha"], cr["external_id"] = "tracegate/pr", head, "pr:12"
	rr["requested_action"] = map[string]any{"identifier": "rerun"}
	f.deliver("check_run", marshal(t, rr))
	waitFor(t, "the re-run", time.Minute, func() bool { return len(f.audit(f.db)) == 3 })
	// GitHub's own re-request, from the check suite.
	cs := example(t, "check_suite", "rerequested")
	f.pointAt(cs)
	suite := cs["check_suite"].(map[string]any)
	suite["head_sha"], suite["head_branch"] = head, "feature"
	suite["pull_requests"] = []any{map[string]any{"number": 10, "head": map[string]any{"sha": head, "ref": "feature"}, "base": map[string]any{"sha": f.base, "ref": "main"}}}
	f.deliver("check_suite", marshal(t, cs))
	waitFor(t, "the re-request", time.Minute, func() bool { return len(f.audit(f.db)) == 4 })
	ds := f.audit(f.db)
	if ds[2].Ref != "pull/12" || ds[3].Ref != "pull/10" {
		t.Errorf("re-runs evaluated %s and %s", ds[2].Ref, ds[3].Ref)
	}
	s.stop()
	noSecrets(t, s.log(), f)
}

// Installation events are recorded in the store.
func TestInstallationRecorded(t *testing.T) {
	f := newFixture(t)
	s := f.start()
	ev := example(t, "installation", "created")
	ev["installation"].(map[string]any)["id"] = 99
	ev["repositories"] = []any{map[string]any{"id": 1, "name": "mini", "full_name": repoName, "private": false}}
	f.deliver("installation", marshal(t, ev))
	add := example(t, "installation_repositories", "added")
	add["installation"].(map[string]any)["id"] = 99
	add["repositories_added"] = []any{map[string]any{"id": 2, "name": "second", "full_name": "acme/second", "private": false}}
	f.deliver("installation_repositories", marshal(t, add))
	waitFor(t, "the installation's repositories", time.Minute, func() bool {
		return len(installationRepos(t, f.db, 99)) == 2
	})
	if got := installationRepos(t, f.db, 99); got[0] != "acme/mini" || got[1] != "acme/second" {
		t.Errorf("repositories %v", got)
	}
	s.stop()
}

package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// releasePolicy asks the App to draft a failing release and attach the
// evidence to a passing one.
const releasePolicy = `app:
  release:
    draft_on_failure: true
    attach_evidence: true
`

// A push to the default branch gets the tracegate/release readiness check
// on its commit.
func TestReadinessOnPush(t *testing.T) {
	f := newFixture(t)
	s := f.start()
	ev := example(t, "push", "")
	f.pointAt(ev)
	ev["ref"], ev["after"], ev["deleted"] = "refs/heads/main", f.base, false
	f.deliver("push", marshal(t, ev))
	c := f.completed("tracegate/release", f.base)
	if c.ExternalID != "release:branch:main" || !strings.Contains(c.Summary, "tracegate release") {
		t.Errorf("readiness check run %+v", c)
	}
	// A push to another branch is not a release candidate.
	ev["ref"], ev["after"] = "refs/heads/feature", f.commit("docs/x.md", "x\n", "x")
	f.deliver("push", marshal(t, ev))
	s.stop()
	ds := f.audit(f.db)
	if len(ds) != 1 || ds[0].Gate != "release" || ds[0].Ref != "branch:main" || ds[0].SHA != f.base {
		t.Errorf("audit %+v", ds)
	}
}

// A published release whose gate passes gets the evidence bundle
// attached; one whose gate fails is turned back into a draft, with a
// comment on its commit that says why.
func TestReleasePublished(t *testing.T) {
	f := newFixture(t)
	f.git.Checkout("main")
	f.git.Write(".github/tracegate.yml", miniPolicy+releasePolicy)
	good := f.git.Commit("Release policy")
	f.git.Tag("v1.0.0", true, "v1.0.0")
	f.git.Remove("reports/junit.xml")
	bad := f.git.Commit("Lose the test report")
	f.git.Tag("v1.1.0", true, "v1.1.0")
	goodID := f.gh.AddRelease(repoName, fakegithub.Release{Tag: "v1.0.0"})
	badID := f.gh.AddRelease(repoName, fakegithub.Release{Tag: "v1.1.0"})
	s := f.start()
	for tag, id := range map[string]int64{"v1.0.0": goodID, "v1.1.0": badID} {
		ev := example(t, "release", "published")
		f.pointAt(ev)
		rel := ev["release"].(map[string]any)
		rel["tag_name"], rel["id"], rel["draft"] = tag, id, false
		f.deliver("release", marshal(t, ev))
	}
	if c := f.completed("tracegate/release", good); c.Conclusion != "success" {
		t.Fatalf("v1.0.0: %s\n%s", c.Conclusion, c.Summary)
	}
	if c := f.completed("tracegate/release", bad); c.Conclusion != "failure" {
		t.Fatalf("v1.1.0: %s\n%s", c.Conclusion, c.Summary)
	}
	waitFor(t, "the bundle and the draft", time.Minute, func() bool {
		r, _ := f.gh.Release(repoName, "v1.1.0")
		return len(f.gh.ReleaseAssets(repoName, "v1.0.0")) > 0 && r.Draft && len(f.gh.CommitComments(repoName)) > 0
	})
	var names []string
	for _, a := range f.gh.ReleaseAssets(repoName, "v1.0.0") {
		names = append(names, a.Name)
	}
	if !strings.Contains(strings.Join(names, " "), "tracegate-evidence-v1.0.0.zip") {
		t.Errorf("assets %v", names)
	}
	if r, _ := f.gh.Release(repoName, "v1.0.0"); r.Draft {
		t.Error("the passing release was drafted")
	}
	if len(f.gh.ReleaseAssets(repoName, "v1.1.0")) != 0 {
		t.Error("the failing release got the evidence")
	}
	cs := f.gh.CommitComments(repoName)
	if len(cs) != 1 || cs[0].SHA != bad || !strings.Contains(cs[0].Body, "back into a draft") || !strings.Contains(cs[0].Body, "TG") {
		t.Errorf("comments %+v", cs)
	}
	s.stop()
	noSecrets(t, s.log(), f)
}

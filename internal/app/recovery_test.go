package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
	"github.com/tracegate/tracegate/internal/store"
)

// On start, the recovery asks GitHub to redeliver a failed delivery the
// store does not have, and nothing else: not one that failed but reached
// the store (its answer was lost), not one that succeeded on a later
// attempt, not one older than GitHub's three days.
func TestRecovery(t *testing.T) {
	f := newFixture(t)
	head := f.commit("docs/r.md", "r\n", "r")
	body := f.prPayload("opened", pr{number: 41, head: head, title: "Greet (SRS-001)"})
	failed := func(guid string, age time.Duration) {
		f.gh.AddHookDelivery(fakegithub.HookDelivery{GUID: guid, DeliveredAt: time.Now().Add(-age), Event: "pull_request", Action: "opened",
			Status: "Invalid HTTP Response: 503", StatusCode: 503, Installation: instID}, body)
	}
	failed("lost-1", time.Hour)
	failed("stored-1", time.Hour)
	failed("retried-1", 2*time.Hour)
	f.gh.AddHookDelivery(fakegithub.HookDelivery{GUID: "retried-1", DeliveredAt: time.Now().Add(-time.Hour), Event: "pull_request",
		Status: "OK", StatusCode: 202, Installation: instID}, body)
	failed("ancient-1", 80*time.Hour)
	// stored-1 reached the store although GitHub saw it fail (the answer
	// was lost on the way).
	st, err := store.Open(context.Background(), f.db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Accept(context.Background(), store.Delivery{ID: "stored-1", Event: "pull_request", Payload: body}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	s := f.start()
	waitFor(t, "the redelivery", time.Minute, func() bool {
		for _, h := range f.gh.HookDeliveries() {
			if h.Redelivery {
				return true
			}
		}
		return false
	})
	time.Sleep(500 * time.Millisecond)
	var redelivered []string
	for _, h := range f.gh.HookDeliveries() {
		if h.Redelivery {
			redelivered = append(redelivered, h.GUID)
			if h.StatusCode != http.StatusAccepted {
				t.Errorf("redelivery of %s answered %d", h.GUID, h.StatusCode)
			}
		}
	}
	if strings.Join(redelivered, ",") != "lost-1" {
		t.Errorf("redelivered %v, want lost-1 only", redelivered)
	}
	s.stop()
	if known := storeKnown(t, f.db, "lost-1", "ancient-1"); !known["lost-1"] || known["ancient-1"] {
		t.Errorf("stored %v", known)
	}
}

// A delivery that names a repository its installation does not hold gets
// nothing from GitHub: the token is asked for that repository and GitHub
// refuses it, so the App never reads another installation's repository,
// and posts nothing there.
func TestTokenScope(t *testing.T) {
	f := newFixture(t)
	f.gh.AddGitRepo("other/secret", f.git.Dir())
	head := f.commit("docs/s.md", "s\n", "s")
	s := f.start()
	ev := example(t, "pull_request", "opened")
	ev["installation"] = map[string]any{"id": instID}
	r := ev["repository"].(map[string]any)
	r["full_name"], r["name"] = "other/secret", "secret"
	pl := ev["pull_request"].(map[string]any)
	pl["number"], pl["title"] = 5, "Greet (SRS-001)"
	pl["head"].(map[string]any)["sha"], pl["base"].(map[string]any)["sha"] = head, f.base
	f.deliver("pull_request", marshal(t, ev))
	waitFor(t, "the token request to be refused", time.Minute, func() bool {
		for _, r := range f.gh.Requests() {
			if strings.HasSuffix(r.Path, "/access_tokens") && r.Status == http.StatusUnprocessableEntity {
				return true
			}
		}
		return false
	})
	waitFor(t, "the job to die", time.Minute, func() bool { return strings.Contains(s.log(), "job dead-lettered") })
	for _, r := range f.gh.Requests() {
		if strings.Contains(r.Path, "/other/secret") && r.Status < 400 {
			t.Errorf("%s %s answered %d to installation %d", r.Method, r.Path, r.Status, instID)
		}
	}
	if runs := f.gh.CheckRuns("other/secret"); len(runs) != 0 {
		t.Errorf("check runs posted on another installation's repository: %+v", runs)
	}
	s.stop()
	if !strings.Contains(s.log(), "refused installation 77 a token for other/secret") {
		t.Errorf("the log does not say why:\n%s", s.log())
	}
	if ds := f.audit(f.db); len(ds) != 0 {
		t.Errorf("decisions recorded on a repository the installation does not hold: %+v", ds)
	}
	noSecrets(t, s.log(), f)
}

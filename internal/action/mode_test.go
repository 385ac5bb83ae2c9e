package action

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/gate"
)

func TestPlan(t *testing.T) {
	tests := []struct {
		name      string
		mode      Mode
		event     string // GITHUB_EVENT_NAME
		file      string // payload in testdata/webhooks
		ref       string // GITHUB_REF
		gate, tag string
		prNumber  int
		err       string // the error holds this; "" for none
	}{
		{"pull_request", ModeAuto, "pull_request", "pull_request.opened.json", "refs/pull/2/merge", gate.GatePR, "", 2, ""},
		{"pull_request_target", ModeAuto, "pull_request_target", "pull_request.synchronize.json", "refs/heads/main", gate.GatePR, "", 0, ""},
		{"GHES pull request", ModeAuto, "pull_request", "ghes-35.pull_request.opened.json", "", gate.GatePR, "", 0, ""},
		{"tag push", ModeAuto, "push", "push.tag-created.json", "refs/tags/simple-tag", gate.GateRelease, "simple-tag", 0, ""},
		{"tag deleted", ModeAuto, "push", "push.tag-deleted.json", "refs/tags/simple-tag", gate.GateRelease, "", 0, "deleted the tag simple-tag"},
		{"branch push", ModeAuto, "push", "push.branch-created.json", "refs/heads/simple-branch", gate.GateValidate, "", 0, ""},
		{"release published", ModeAuto, "release", "release.published.json", "refs/tags/0.0.1", gate.GateRelease, "0.0.1", 0, ""},
		{"manual run on a tag", ModeAuto, "workflow_dispatch", "", "refs/tags/v2.4.0", gate.GateRelease, "v2.4.0", 0, ""},
		{"schedule", ModeAuto, "schedule", "", "refs/heads/main", gate.GateValidate, "", 0, ""},
		{"no event at all", ModeAuto, "", "", "", gate.GateValidate, "", 0, ""},
		{"mode validate on a pull request", ModeValidate, "pull_request", "pull_request.opened.json", "", gate.GateValidate, "", 0, ""},
		{"mode release on a branch: candidate", ModeRelease, "push", "push.branch-created.json", "refs/heads/simple-branch", gate.GateRelease, "", 0, ""},
		{"mode release on a tag", ModeRelease, "push", "push.tag-created.json", "refs/tags/simple-tag", gate.GateRelease, "simple-tag", 0, ""},
		{"mode pr on a push", ModePR, "push", "push.branch-created.json", "", gate.GatePR, "", 0, "mode pr needs a pull_request or pull_request_target event, and this run is a push event"},
		{"pull request without its payload", ModeAuto, "pull_request", "", "", gate.GatePR, "", 0, "GITHUB_EVENT_PATH is not set"},
		{"push payload of a pull request event", ModeAuto, "pull_request", "push.tag-created.json", "", gate.GatePR, "", 0, "pull_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Context{EventName: tc.event, Ref: tc.ref}
			if tc.file != "" {
				c.EventPath = filepath.Join(webhooks, tc.file)
			}
			p, err := plan(tc.mode, c)
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("error: %v", err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("error %v, want one saying %q", err, tc.err)
			case tc.err != "" && !check.IsUsage(err):
				t.Errorf("error %v is not the step's configuration's fault", err)
			}
			if p.Gate != tc.gate || p.Tag != tc.tag {
				t.Errorf("plan %+v, want gate %s tag %q", p, tc.gate, tc.tag)
			}
			if err == nil && p.Why == "" {
				t.Error("the plan does not say why")
			}
			if p.Gate == gate.GatePR && err == nil {
				if p.PR == nil || len(p.Base) != 40 || len(p.Head) != 40 || p.Base != p.PR.BaseSHA || p.Head != p.PR.HeadSHA {
					t.Errorf("pull request plan %+v", p)
				}
				if tc.prNumber != 0 && p.PR.Number != tc.prNumber {
					t.Errorf("pull request #%d, want #%d", p.PR.Number, tc.prNumber)
				}
			}
		})
	}
}

// The base and head judged are the event's, not GITHUB_SHA (the merge
// commit actions/checkout makes for a pull request).
func TestPlanPRCommitsFromTheEvent(t *testing.T) {
	var ev struct {
		PullRequest struct {
			Base, Head struct{ SHA string }
		} `json:"pull_request"`
	}
	data, err := os.ReadFile(filepath.Join(webhooks, "pull_request.opened.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatal(err)
	}
	p, err := plan(ModeAuto, Context{EventName: "pull_request", EventPath: filepath.Join(webhooks, "pull_request.opened.json"), SHA: strings.Repeat("f", 40)})
	if err != nil {
		t.Fatal(err)
	}
	if p.Base != ev.PullRequest.Base.SHA || p.Head != ev.PullRequest.Head.SHA {
		t.Errorf("base %s head %s, want %s %s", p.Base, p.Head, ev.PullRequest.Base.SHA, ev.PullRequest.Head.SHA)
	}
}

package facts

import (
	"testing"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/model"
)

func TestRecordFromIssue(t *testing.T) {
	cfg := config.Defaults()
	iss := &Issue{Ref: IssueRef{Number: 12}, Title: "Rate rounds down", State: "OPEN",
		Labels: []string{"bug", "Criticality: High", "scope/all SP-1 units"},
		Body:   "### Type\n\nCorrective\n\n### Scope\n\n_No response_\n\n### Investigation\n\nfloat rounding\n"}
	kinds := RecordKinds(iss, &cfg)
	if len(kinds) != 1 || kinds[0] != model.KindProblemReport {
		t.Fatalf("kinds = %v", kinds)
	}
	r := RecordFromIssue(iss, model.KindProblemReport, &cfg)
	want := map[string]string{"type": "Corrective", "scope": "all SP-1 units", "criticality": "High", "investigation": "float rounding"}
	if r.ID != "#12" || r.State != "open" || len(r.Fields) != len(want) {
		t.Fatalf("record = %+v", r)
	}
	for k, v := range want {
		if r.Fields[k] != v {
			t.Errorf("%s = %q, want %q", k, r.Fields[k], v)
		}
	}
	cr := &Issue{Ref: IssueRef{Repo: "acme/other", Number: 3}, Labels: []string{"change-request", "Approved"}}
	if got := RecordFromIssue(cr, model.KindChangeRequest, &cfg); !got.Approved || got.ID != "acme/other#3" {
		t.Errorf("change request = %+v", got)
	}
	if k := RecordKinds(&Issue{Labels: []string{"bug"}, IsPullRequest: true}, &cfg); k != nil {
		t.Errorf("a pull request is a record: %v", k)
	}
}

// A change request issue lists the commits it traces in its Commits
// section, abbreviated or whole, in any prose around them.
func TestRecordFromIssueCommits(t *testing.T) {
	cfg := config.Defaults()
	cr := &Issue{Ref: IssueRef{Number: 9}, Labels: []string{"change-request", "approved"},
		Body: "### Description\n\nTrace the tidy-ups, see 1234567.\n\n### Commits\n\n- 3f2a9c1 (tidy)\n- 0123456789ABCDEF0123456789abcdef01234567\n- 3f2a9c1 again\n\n### Risk impact\n\nNone.\n"}
	r := RecordFromIssue(cr, model.KindChangeRequest, &cfg)
	if len(r.Commits) != 2 || r.Commits[0] != "3f2a9c1" || r.Commits[1] != "0123456789abcdef0123456789abcdef01234567" {
		t.Errorf("commits %q: want the two SHAs of the Commits section, once each, lower case", r.Commits)
	}
	if pr := RecordFromIssue(cr, model.KindProblemReport, &cfg); len(pr.Commits) != 0 {
		t.Errorf("a problem report lists commits: %q", pr.Commits)
	}
}

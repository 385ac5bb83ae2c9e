package resultdoc

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

func TestMarkdownContext(t *testing.T) {
	rel := &gate.Result{Gate: gate.GateRelease, Verdict: gate.Pass, Release: &gate.ReleaseSummary{
		Tag: "v2.4.0", Commit: "0123456789abcdef", PreviousTag: "v2.3.0", PreviousCommit: "fedcba9876543210",
		Changes: []gate.ChangeTrace{{SHA: "a", Traced: true}, {SHA: "b"}},
		KnownAnomalies: []model.Record{
			{ID: "PRB-7", Title: "Rounds | down", Fields: map[string]string{"criticality": "minor", "evaluation": "no hazard"}},
			{ID: "#12", Title: "Unknown"},
		},
		Plans: []gate.PlanStatus{{Name: "SDP", Files: []string{"sdp.md"}}, {Name: "SMP"}},
	}}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, rel, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"### Release `v2.4.0`", "previous release `v2.3.0` (`fedcba987654`); 2 changes, 1 not traced",
		"Plans: 2 required, 1 missing", "**PRB-7** Rounds \\| down — minor; evaluation: no hazard",
		"**\\#12** Unknown — criticality not stated; evaluation: not evaluated",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	pr := &gate.Result{Gate: gate.GatePR, Verdict: gate.Pass, PullRequest: &gate.PRSummary{Commits: 2, Changes: 3,
		Links: []trace.Link{{ID: "SRS-1", Where: []string{"title", "branch"}}}, Exemption: "no-trace"}}
	b.Reset()
	if err := WriteMarkdown(&b, pr, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2 commits, 3 changed files", "- SRS-1 (title, branch)", "label `no-trace`", "No verification evidence"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q in:\n%s", want, b.String())
		}
	}
}

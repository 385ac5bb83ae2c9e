package resultdoc

import (
	"bytes"
	"strings"
	"testing"
	"unicode"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/report/reporttest"
	"github.com/tracegate/tracegate/internal/trace"
)

// TestResultTextCountsReadingWarnings: the headline counts the warnings
// raised while reading, and a verdict that fails on them says why.
func TestResultTextCountsReadingWarnings(t *testing.T) {
	r := &gate.Result{Gate: gate.GateRelease, Verdict: gate.Fail, FailOn: gate.SevWarning, SafetyClass: "C",
		Summary:  gate.Summary{Warnings: 2, ReadingWarnings: 2},
		Warnings: []input.Warning{input.Warnf(input.Pos{File: "a.xml"}, "one"), input.Warnf(input.Pos{File: "b.xml"}, "two")}}
	var b bytes.Buffer
	if err := Write(&b, r, "text"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"tracegate release: FAIL (0 errors, 2 warnings (2 while reading), 0 notes; software safety class C)",
		"2 warnings while reading count at --fail-on warning",
		"2 warning(s) while reading:\n  a.xml: one\n  b.xml: two\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestResultMarkdownSaysReadingWarningsFail(t *testing.T) {
	r := &gate.Result{Gate: gate.GateRelease, Verdict: gate.Fail, FailOn: gate.SevWarning, SafetyClass: "C",
		Summary:  gate.Summary{Warnings: 1, ReadingWarnings: 1},
		Warnings: []input.Warning{input.Warnf(input.Pos{File: "a.xml"}, "one")}}
	var b bytes.Buffer
	if err := Write(&b, r, "markdown"); err != nil {
		t.Fatal(err)
	}
	if want := "**0 errors, 1 warning, 0 notes**"; !strings.Contains(b.String(), want) {
		t.Errorf("markdown lacks %q:\n%s", want, b.String())
	}
	if want := "1 warning while reading, which fail the gate at warning"; !strings.Contains(b.String(), want) {
		t.Errorf("markdown lacks %q:\n%s", want, b.String())
	}
}

// The text report shows untrusted text — a file name, a message, an issue
// title, a label — escaped: it cannot add a line (nor so a workflow
// command), drive a terminal, or reorder what is read. The lines are the
// same as with harmless text.
func TestResultTextNeutralisesInput(t *testing.T) {
	build := func(s string) *gate.Result {
		return &gate.Result{Gate: gate.GateRelease, Verdict: gate.Fail, FailOn: gate.SevError, SafetyClass: "C", Subject: "release " + s,
			Errors:      []string{"reading " + s},
			Findings:    []gate.Finding{{Rule: "TG302", Name: "requirements-verified", Severity: gate.SevError, Subject: s, Message: s + " has no passing test", Location: &input.Pos{File: s, Line: 3}, Remediation: "fix " + s}},
			Rules:       []gate.RuleOutcome{{Rule: "TG306", Name: "anomalies-evaluated", Status: gate.RuleNotApplicable, Reason: s}},
			Policy:      gate.Policy{File: s, Defaulted: []string{"risks: " + s}},
			Release:     &gate.ReleaseSummary{Tag: "v1", KnownAnomalies: []model.Record{{ID: "PRB-1", Title: s, Fields: map[string]string{"criticality": s}}}},
			PullRequest: &gate.PRSummary{Links: []trace.Link{{ID: "SRS-1", Where: []string{s}}}, Exemption: s},
			Warnings:    []input.Warning{input.Warnf(input.Pos{File: s}, "%s", s)}}
	}
	render := func(r *gate.Result) string {
		var b bytes.Buffer
		if err := Write(&b, r, "text"); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	out, plain := render(build(reporttest.HostileLine)), render(build("harmless"))
	if got, want := strings.Count(out, "\n"), strings.Count(plain, "\n"); got != want {
		t.Errorf("%d lines, %d with harmless text:\n%s", got, want, out)
	}
	for _, r := range out {
		if r != '\n' && (unicode.IsControl(r) || report.IsBidi(r)) {
			t.Fatalf("control character %q in:\n%s", r, out)
		}
	}
	if n := strings.Count(out, `x\n::error file=a::pwned\r::warning::cr ##[error]legacy \x1b[2J⟨U+202E⟩evil`); n < 10 {
		t.Errorf("the hostile text is shown escaped %d times, want every time:\n%s", n, out)
	}
}

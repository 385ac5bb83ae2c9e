package resultdoc

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/input"
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

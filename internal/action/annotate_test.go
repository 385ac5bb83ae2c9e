package action

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sethvargo/go-githubactions"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/input"
)

// manyFindings is a failed result with n findings of mixed severity,
// notes first, each with a long message.
func manyFindings(n int) *gate.Result {
	res := &gate.Result{Schema: gate.SchemaVersion, Gate: gate.GateRelease, Verdict: gate.Fail, FailOn: gate.SevError}
	sevs := []gate.Severity{gate.SevNote, gate.SevWarning, gate.SevError}
	for i := range n {
		sev := sevs[i%3]
		res.Findings = append(res.Findings, gate.Finding{
			Rule: fmt.Sprintf("TG%03d", 300+i%9), Name: "rule-name", Clauses: []string{"IEC 62304 5.7.4"}, Severity: sev,
			Subject: fmt.Sprintf("SRS-%04d", i), Message: strings.Repeat("a requirement without a passing test; ", 8),
			Location: &input.Pos{File: fmt.Sprintf("docs/requirements/srs-%d.yml", i), Line: i + 1, Col: 3}, Remediation: "add a test",
		})
		switch sev {
		case gate.SevError:
			res.Summary.Errors++
		case gate.SevWarning:
			res.Summary.Warnings++
		default:
			res.Summary.Notes++
		}
	}
	return res
}

func TestAnnotationsTenMostSevere(t *testing.T) {
	res := manyFindings(5000)
	res.Errors = nil
	as, total := annotations(res)
	if len(as) != MaxAnnotations || total != 5000 {
		t.Fatalf("%d annotations of %d", len(as), total)
	}
	for _, a := range as {
		if a.level != gate.SevError {
			t.Errorf("a %s annotation among the ten, while errors were left out", a.level)
		}
	}
	// The result's order is kept within a severity: the first error
	// findings, SRS-0002, SRS-0005, …
	if !strings.HasPrefix(as[0].text, "SRS-0002: ") || as[0].props["file"] != "docs/requirements/srs-2.yml" || as[0].props["line"] != "3" || as[0].props["col"] != "3" {
		t.Errorf("first annotation %+v", as[0])
	}

	// Fewer findings than the limit: all, errors first, then warnings.
	as, total = annotations(manyFindings(4))
	if len(as) != 4 || total != 4 || as[0].level != gate.SevError || as[1].level != gate.SevWarning || as[3].level != gate.SevNote {
		t.Errorf("annotations %+v", as)
	}
}

func TestAnnotationsEvaluationErrorsFirst(t *testing.T) {
	res := gate.Errored(gate.GatePR, []string{"head 1234: git ref not found; fetch-depth: 0"})
	as, total := annotations(res)
	if total != 1 || as[0].level != gate.SevError || as[0].text != res.Errors[0] || as[0].props["file"] != "" {
		t.Errorf("%+v", as)
	}
}

// Annotation commands carry text from the repository and the pull
// request: line breaks, percent signs, colons and commas in paths must
// come out as the runner decodes them, and not as more commands.
func TestAnnotationsEscaped(t *testing.T) {
	res := &gate.Result{Verdict: gate.Fail, Findings: []gate.Finding{
		{Rule: "TG201", Name: "pr-linked", Severity: gate.SevError, Subject: "pull request “50% done”",
			Message: "no link\n::add-mask::x\r\n::error::spoofed", Location: nil},
		{Rule: "TG101", Name: "id-unique", Severity: gate.SevWarning, Subject: "SRS-1",
			Message: "duplicate", Location: &input.Pos{File: "docs/a,b:c.yml", Line: 4}},
		{Rule: "TG102", Name: "x", Severity: gate.SevNote, Subject: "SRS-2", Message: "note"},
	}}
	var out bytes.Buffer
	as, _ := annotations(res)
	annotate(githubactions.New(githubactions.WithWriter(&out)), as)
	want := "::error title=TG201 pr-linked::pull request “50%25 done”: no link%0A::add-mask::x%0D%0A::error::spoofed\n" +
		"::warning file=docs/a%2Cb%3Ac.yml,line=4,title=TG101 id-unique::SRS-1: duplicate\n" +
		"::notice title=TG102 x::SRS-2: note\n"
	if out.String() != want {
		t.Errorf("commands:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestShorten(t *testing.T) {
	s := strings.Repeat("é", 3000) // 6000 bytes
	got := shorten(s, maxAnnotationMessage)
	if len(got) > maxAnnotationMessage || !strings.HasSuffix(got, "the summary has the whole text)") || !strings.HasPrefix(got, "éé") {
		t.Errorf("%d bytes: …%s", len(got), got[len(got)-60:])
	}
	for i := range len(got) {
		if got[i] == 0xC3 && i+1 < len(got) && got[i+1] == ' ' {
			t.Fatal("a rune was cut")
		}
	}
	if shorten("short", 10) != "short" {
		t.Error("a short text was changed")
	}
}

// 5,000 findings: the step summary stays under GitHub's 1 MiB, says how
// many findings are not annotations and where every finding is, and the
// log gets ten annotations.
func TestSummaryOf5000Findings(t *testing.T) {
	dir := t.TempDir()
	summary := filepath.Join(dir, "summary")
	if err := os.WriteFile(summary, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r := &run{gha: githubactions.New(githubactions.WithWriter(&out)), out: &out,
		gh: Context{Summary: summary, Repository: ghRepo, SHA: strings.Repeat("a", 40), ServerURL: "https://github.com"}}
	res := manyFindings(5000)
	as, total := annotations(res)
	annotate(r.gha, as)
	files := Files{JSON: filepath.Join(dir, "tracegate-release.json"), Markdown: filepath.Join(dir, "tracegate-release.md")}
	if err := r.summary(res, files, len(as), total); err != nil {
		t.Fatal(err)
	}
	md := readFile(t, summary)
	if len(md) >= SummaryLimit || len(md) < SummaryLimit/2 {
		t.Errorf("summary of %d bytes: it should use, and stay under, the %d bytes GitHub takes", len(md), SummaryLimit)
	}
	for _, want := range []string{"**10 of 5000** findings", "`tracegate-release.json` (step output `findings-json`)", "https://github.com/acme/syringeflow/blob/aaaa"} {
		if !strings.Contains(md, want) {
			t.Errorf("the summary does not say %q", want)
		}
	}
	if got := readFile(t, files.Markdown); got != md {
		t.Error("the Markdown kept beside the result differs from the step summary")
	}
	if n := strings.Count(out.String(), "\n::error "); n != MaxAnnotations-1 || !strings.HasPrefix(out.String(), "::error ") {
		t.Errorf("%d error annotations in the log", n+1)
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		verdict gate.Verdict
		failOn  string
		err     error
		want    int
	}{
		{gate.Pass, "error", nil, check.ExitPass},
		{gate.Pass, "never", nil, check.ExitPass},
		{gate.Fail, "error", nil, check.ExitFail},
		{gate.Fail, "warning", nil, check.ExitFail},
		{gate.Fail, "never", nil, check.ExitPass},
		{gate.Error, "error", errors.New("x"), check.ExitError},
		{gate.Error, "never", errors.New("x"), check.ExitError},
		{gate.Error, "never", usagef("x"), check.ExitUsage},
		{gate.Error, "warning", usagef("x"), check.ExitUsage},
		{"", "never", nil, check.ExitError}, // an unknown verdict is no pass
		// A verdict whose evidence bundle could not be written is no pass.
		{gate.Pass, "error", errors.New("writing the bundle"), check.ExitError},
	}
	for _, tc := range tests {
		if got := exitCode(tc.verdict, tc.failOn, tc.err); got != tc.want {
			t.Errorf("verdict %q, fail-on %s, error %v: exit %d, want %d", tc.verdict, tc.failOn, tc.err, got, tc.want)
		}
	}
}

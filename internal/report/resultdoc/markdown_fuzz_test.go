package resultdoc

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/input"
)

// fuzzResult builds a result of n findings whose texts are taken in turn
// from the fields of text (split at '\x1f'), so that the fuzzer controls
// rule IDs, names, subjects, messages, files and severities.
func fuzzResult(n int, text string) *gate.Result {
	fields := strings.Split(text, "\x1f")
	at := 0
	next := func() string {
		s := fields[at%len(fields)]
		at++
		return s
	}
	sevs := []gate.Severity{gate.SevError, gate.SevWarning, gate.SevNote, ""}
	verdicts := []gate.Verdict{gate.Fail, gate.Pass, gate.Error, "odd"}
	r := baseResult(verdicts[len(text)%len(verdicts)])
	r.Subject = next()
	for i := 0; i < n; i++ {
		f := gate.Finding{Rule: next(), Name: next(), Severity: sevs[(i+len(fields))%len(sevs)], Subject: next(), Message: next(),
			Clauses: []string{next()}, Remediation: next()}
		if i%3 != 0 {
			f.Location = &input.Pos{File: next(), Line: i, Col: i % 7}
		}
		r.Findings = append(r.Findings, f)
		if i%5 == 0 {
			r.Rules = append(r.Rules, gate.RuleOutcome{Rule: f.Rule, Name: next(), Title: next(), Status: gate.RuleFailed, Reason: next()})
		}
		if i%7 == 0 {
			r.Warnings = append(r.Warnings, input.Warnf(input.Pos{File: next(), Line: i}, "%s", next()))
			r.Policy.Defaulted = append(r.Policy.Defaulted, next())
		}
		if i%11 == 0 && r.Verdict == gate.Error {
			r.Errors = append(r.Errors, next())
		}
	}
	return summarise(r)
}

// FuzzMarkdownBudget: for any findings and any budget, the Markdown is
// within the budget, valid UTF-8, made of whole rows and of lines the
// renderer opened, and names every failed rule; or, when not even that
// fits, an error says the budget is too small.
func FuzzMarkdownBudget(f *testing.F) {
	f.Add(uint16(4000), uint8(40), "TG101\x1funique-id\x1fSRS-1\x1fdefined twice\x1fr.yml")
	f.Add(uint16(0), uint8(200), "TG101\x1fTG103\x1fTG117\x1fa long message "+strings.Repeat("é", 500))
	f.Add(uint16(900), uint8(12), "<script>alert(1)</script>\x1f[x](javascript:alert(1))\x1f# h\n> q\x1f\u202Eevil\x1f`tick`\x1f| pipe |\x1f\xff\xfe")
	f.Add(uint16(65535), uint8(255), "a\x1fb\x1fc\x1fd\x1fe\x1ff\x1fg")
	f.Add(uint16(300), uint8(3), "\\\x1f\\|\x1f-\x1f1.\x1f+\x1f=\x1f\r\n")
	f.Fuzz(func(t *testing.T, budget uint16, n uint8, text string) {
		r := fuzzResult(int(n)*4, text)
		limit := int(budget)
		if limit == 0 {
			limit = DefaultMarkdownBudget
		}
		md, err := resultMarkdown(r, MarkdownOptions{Budget: int(budget), LinkBase: "https://github.com/o/r/blob/abc/", FullReport: text[:min(len(text), 30)]})
		if err != nil {
			if !strings.Contains(err.Error(), "too small") {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		checkStructure(t, md, limit)
		for _, id := range newMDDoc(r, MarkdownOptions{}).failedRules() {
			if !strings.Contains(md, id) {
				t.Fatalf("failed rule %q is missing", id)
			}
		}
	})
}

// BenchmarkMarkdownBudget renders 5,000 findings spread over 1,000 rules,
// the shape that makes the budget planner work hardest.
func BenchmarkMarkdownBudget(b *testing.B) {
	r := bigResult(5000)
	for i := range r.Findings {
		r.Findings[i].Rule = fmt.Sprintf("TG%04d", i%1000)
	}
	for b.Loop() {
		if _, err := resultMarkdown(r, MarkdownOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

package resultdoc

import (
	"fmt"
	"io"
	"strings"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/report"
)

// Formats are the encoders of a gate result: terminal text, JSON (the
// result itself), Markdown (a step summary, a check run's output) and
// SARIF 2.1.0 (code scanning), each with its default options.
var Formats = &report.Registry[*gate.Result]{What: "a gate result", Encoders: []report.Encoder[*gate.Result]{
	{Name: "text", MediaType: report.MediaText, Ext: "txt", Write: writeText},
	{Name: "json", MediaType: report.MediaJSON, Ext: "json", Write: func(w io.Writer, r *gate.Result) error { return report.WriteJSON(w, r) }},
	{Name: "markdown", Aliases: []string{"md"}, MediaType: report.MediaMarkdown, Ext: "md", Write: func(w io.Writer, r *gate.Result) error {
		return WriteMarkdown(w, r, MarkdownOptions{})
	}},
	{Name: "sarif", MediaType: report.MediaSARIF, Ext: "sarif", Write: func(w io.Writer, r *gate.Result) error {
		return WriteSARIF(w, r, gate.Catalog(), SARIFOptions{})
	}},
}}

// Write renders a gate result in a format of Formats ("" is text).
func Write(w io.Writer, r *gate.Result, format string) error {
	if format == "" {
		format = "text"
	}
	return Formats.Write(w, format, r)
}

func writeText(w io.Writer, r *gate.Result) error {
	s := r.Summary
	head := strings.ToUpper(string(r.Verdict))
	fmt.Fprintf(w, "tracegate %s: %s", r.Gate, head)
	if r.Subject != "" {
		fmt.Fprintf(w, " — %s", report.Text(r.Subject))
	}
	reading := ""
	if s.ReadingWarnings > 0 {
		reading = fmt.Sprintf(" (%d while reading)", s.ReadingWarnings)
	}
	fmt.Fprintf(w, " (%d errors, %d warnings%s, %d notes; software safety class %s)\n", s.Errors, s.Warnings, reading, s.Notes, r.SafetyClass)
	if r.Verdict == gate.Fail && s.ReadingWarnings > 0 && r.FailOn.Rank() > 0 && r.FailOn.Rank() <= gate.SevWarning.Rank() {
		fmt.Fprintf(w, "\n%s while reading count at --fail-on %s: each is listed at the end.\n",
			report.Plural(s.ReadingWarnings, "warning", "warnings"), r.FailOn)
	}
	for _, e := range r.Errors {
		fmt.Fprintf(w, "\nEVALUATION ERROR  %s\n", report.Text(e))
	}
	if len(r.Errors) > 0 {
		fmt.Fprintln(w, "\nThe evaluation could not complete, so nothing was judged: fix the errors above and run again.")
	}
	for _, f := range r.Findings {
		loc := ""
		if f.Location != nil {
			loc = report.Text(f.Location.String()) + ": "
		}
		fmt.Fprintf(w, "\n%-7s %s %s  %s%s\n", strings.ToUpper(string(f.Severity)), f.Rule, f.Name, loc, report.Text(f.Message))
		fmt.Fprintf(w, "        %s", strings.Join(f.Clauses, ", "))
		if f.Remediation != "" {
			fmt.Fprintf(w, " — fix: %s", report.Text(f.Remediation))
		}
		fmt.Fprintln(w)
	}
	writePRSummary(w, r.PullRequest)
	writeReleaseSummary(w, r.Release)
	if len(r.Rules) > 0 {
		fmt.Fprintf(w, "\nRules: %d checked, %d failed, %d not applicable\n", s.RulesChecked, s.RulesFailed, s.NotApplicable)
		for _, o := range r.Rules {
			if o.Status == gate.RuleNotApplicable {
				fmt.Fprintf(w, "  %s %s: not applicable — %s\n", o.Rule, o.Name, report.Text(o.Reason))
			}
		}
	}
	if r.Policy.File == "" {
		// Every key is a default: the JSON result lists them; here they
		// would bury the findings on every run.
		fmt.Fprintln(w, "\nPolicy: no policy file; the built-in defaults were used throughout ('tracegate init' writes them to .github/tracegate.yml, each choice commented, to review and commit)")
	} else {
		fmt.Fprintf(w, "\nPolicy: %s\n", report.Text(r.Policy.File))
	}
	if len(r.Policy.Defaulted) > 0 && r.Policy.File != "" {
		fmt.Fprintln(w, "Defaults used:")
		for _, d := range r.Policy.Defaulted {
			fmt.Fprintf(w, "  %s\n", report.Text(d))
		}
	}
	if len(r.Inputs) > 0 {
		fmt.Fprintf(w, "Read %d files: %s\n", len(r.Inputs), inputCounts(r.Inputs))
	}
	return report.WriteWarnings(w, r.Warnings)
}

// inputCounts summarises the items read per kind of input, in a fixed
// order, kinds tracegate does not list first included after them.
func inputCounts(files []model.InputFile) string {
	counts := map[string]int{}
	var order []string
	for _, in := range files {
		if _, ok := counts[in.Kind]; !ok {
			order = append(order, in.Kind)
		}
		counts[in.Kind] += in.Items
	}
	known := []struct{ kind, label string }{
		{"requirements", "requirements"}, {"risks", "risk items"}, {"tests", "tests"}, {"test-sources", "test tags"},
		{model.KindProblemReport, "problem reports"}, {model.KindChangeRequest, "change requests"},
	}
	var parts []string
	for _, k := range known {
		if n, ok := counts[k.kind]; ok {
			parts = append(parts, fmt.Sprintf("%s %d", k.label, n))
			delete(counts, k.kind)
		}
	}
	for _, k := range order {
		if n, ok := counts[k]; ok {
			parts = append(parts, fmt.Sprintf("%s %d", k, n))
		}
	}
	return strings.Join(parts, ", ")
}

func writePRSummary(w io.Writer, s *gate.PRSummary) {
	if s == nil {
		return
	}
	fmt.Fprintf(w, "\nPull request: %d commit(s), %d changed file(s); base %s, head %s\n", s.Commits, s.Changes, model.ShortSHA(s.Base), model.ShortSHA(s.Head))
	if len(s.Links) == 0 {
		fmt.Fprintln(w, "Links: none")
	} else {
		var ls []string
		for _, l := range s.Links {
			ls = append(ls, fmt.Sprintf("%s (%s)", report.Text(l.ID), report.Text(strings.Join(l.Where, ", "))))
		}
		fmt.Fprintf(w, "Links: %s\n", strings.Join(ls, "; "))
	}
	if s.Exemption != "" {
		fmt.Fprintf(w, "Exempted from the link rule by label %q\n", report.Text(s.Exemption))
	}
	if !s.Evidence {
		fmt.Fprintln(w, "Evidence: no test reports were given")
	}
}

func writeReleaseSummary(w io.Writer, s *gate.ReleaseSummary) {
	if s == nil {
		return
	}
	prev := "none (first release)"
	if s.PreviousTag != "" {
		prev = fmt.Sprintf("%s (%s)", report.Text(s.PreviousTag), model.ShortSHA(s.PreviousCommit))
	}
	untraced := 0
	for _, c := range s.Changes {
		if !c.Traced {
			untraced++
		}
	}
	switch {
	case s.Tag != "":
		fmt.Fprintf(w, "\nRelease %s at %s; previous release %s; %d change(s), %d not traced\n", report.Text(s.Tag), model.ShortSHA(s.Commit), prev, len(s.Changes), untraced)
	case s.Commit != "":
		fmt.Fprintf(w, "\nRelease candidate at %s; previous release %s; %d change(s), %d not traced\n", model.ShortSHA(s.Commit), prev, len(s.Changes), untraced)
	default:
		fmt.Fprintln(w, "\nRelease candidate without git history: changes since the previous release are judged by the gate on the release tag")
	}
	if len(s.KnownAnomalies) == 0 {
		fmt.Fprintln(w, "Known residual anomalies: none")
	} else {
		fmt.Fprintf(w, "Known residual anomalies (%d open problem report(s)):\n", len(s.KnownAnomalies))
		for _, a := range s.KnownAnomalies {
			crit := a.Fields["criticality"]
			if crit == "" {
				crit = "criticality not stated"
			}
			fmt.Fprintf(w, "  %s %s [%s]\n", report.Text(a.ID), report.Text(a.Title), report.Text(crit))
		}
	}
	var missing []string
	for _, p := range s.Plans {
		if len(p.Files) == 0 {
			missing = append(missing, p.Name)
		}
	}
	if len(s.Plans) > 0 {
		fmt.Fprintf(w, "Plans: %d required, %d missing\n", len(s.Plans), len(missing))
	}
}

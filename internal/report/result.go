package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/tracegate/tracegate/internal/gate"
)

// ResultFormats are the formats a gate result is written in.
var ResultFormats = []string{"text", "json"}

// WriteResult renders a gate result in format.
func WriteResult(w io.Writer, r *gate.Result, format string) error {
	switch format {
	case "json":
		return writeJSON(w, r)
	case "text", "":
		return resultText(w, r)
	}
	return fmt.Errorf("unknown format %q for a result (use %s)", format, strings.Join(ResultFormats, ", "))
}

func resultText(w io.Writer, r *gate.Result) error {
	s := r.Summary
	head := strings.ToUpper(string(r.Verdict))
	fmt.Fprintf(w, "tracegate %s: %s", r.Gate, head)
	if r.Subject != "" {
		fmt.Fprintf(w, " — %s", r.Subject)
	}
	fmt.Fprintf(w, " (%d errors, %d warnings, %d notes; software safety class %s)\n", s.Errors, s.Warnings, s.Notes, r.SafetyClass)
	for _, e := range r.Errors {
		fmt.Fprintf(w, "\nEVALUATION ERROR  %s\n", e)
	}
	if len(r.Errors) > 0 {
		fmt.Fprintln(w, "\nThe evaluation could not complete, so nothing was judged: fix the errors above and run again.")
	}
	for _, f := range r.Findings {
		loc := ""
		if f.Location != nil {
			loc = f.Location.String() + ": "
		}
		fmt.Fprintf(w, "\n%-7s %s %s  %s%s\n", strings.ToUpper(string(f.Severity)), f.Rule, f.Name, loc, f.Message)
		fmt.Fprintf(w, "        %s", strings.Join(f.Clauses, ", "))
		if f.Remediation != "" {
			fmt.Fprintf(w, " — fix: %s", f.Remediation)
		}
		fmt.Fprintln(w)
	}
	if len(r.Rules) > 0 {
		fmt.Fprintf(w, "\nRules: %d checked, %d failed, %d not applicable\n", s.RulesChecked, s.RulesFailed, s.NotApplicable)
		for _, o := range r.Rules {
			if o.Status == gate.RuleNotApplicable {
				fmt.Fprintf(w, "  %s %s: not applicable — %s\n", o.Rule, o.Name, o.Reason)
			}
		}
	}
	if r.Policy.File == "" {
		fmt.Fprintln(w, "\nPolicy: no policy file; built-in defaults used throughout")
	} else {
		fmt.Fprintf(w, "\nPolicy: %s\n", r.Policy.File)
	}
	if len(r.Policy.Defaulted) > 0 {
		fmt.Fprintln(w, "Defaults used:")
		for _, d := range r.Policy.Defaulted {
			fmt.Fprintf(w, "  %s\n", d)
		}
	}
	if len(r.Inputs) > 0 {
		counts := map[string]int{}
		for _, in := range r.Inputs {
			counts[in.Kind] += in.Items
		}
		var parts []string
		for _, k := range []string{"requirements", "risks", "tests", "test-sources"} {
			if n, ok := counts[k]; ok {
				parts = append(parts, fmt.Sprintf("%s %d", k, n))
			}
		}
		fmt.Fprintf(w, "Read %d files: %s\n", len(r.Inputs), strings.Join(parts, ", "))
	}
	return writeWarnings(w, r.Warnings)
}

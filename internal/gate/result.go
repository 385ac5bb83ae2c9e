// Package gate holds the rule catalog and the evaluations: facts in,
// findings out. It does no I/O, so every rule is tested as a table.
package gate

import (
	"sort"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

// SchemaVersion identifies the JSON form of Result. It changes only with
// incompatible changes; fields are only ever added within a version.
const SchemaVersion = "tracegate.result/v1"

// Verdict is the outcome of an evaluation.
type Verdict string

const (
	Pass Verdict = "pass"
	Fail Verdict = "fail"
	// Error: the evaluation could not complete. Never a pass.
	Error Verdict = "error"
)

// Severity of a rule's findings.
type Severity string

const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
	SevNote    Severity = "note"
)

// Rank orders severities: note < warning < error.
func (s Severity) Rank() int {
	switch s {
	case SevError:
		return 3
	case SevWarning:
		return 2
	case SevNote:
		return 1
	}
	return 0
}

// ParseSeverity reads a --fail-on value; "never" gives the zero severity,
// which nothing reaches.
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "error":
		return SevError, true
	case "warning":
		return SevWarning, true
	case "note":
		return SevNote, true
	case "never":
		return "never", true
	}
	return "", false
}

// Finding is one violation of a rule by one subject.
type Finding struct {
	Rule        string      `json:"rule"`
	Name        string      `json:"rule_name"`
	Clauses     []string    `json:"clauses"`
	Severity    Severity    `json:"severity"`
	Subject     string      `json:"subject"`
	Message     string      `json:"message"`
	Location    *input.Pos  `json:"location,omitempty"`
	Class       model.Class `json:"class,omitempty"`
	Remediation string      `json:"remediation,omitempty"`
}

// RuleStatus says how a rule fared in an evaluation.
type RuleStatus string

const (
	RulePassed RuleStatus = "pass"
	RuleFailed RuleStatus = "fail"
	// RuleNotApplicable: no subject of the evaluation is of a class the
	// rule applies to. Reported, never silently dropped.
	RuleNotApplicable RuleStatus = "not_applicable"
)

// RuleOutcome is one rule's result.
type RuleOutcome struct {
	Rule     string      `json:"rule"`
	Name     string      `json:"rule_name"`
	Title    string      `json:"title"`
	Clauses  []string    `json:"clauses"`
	MinClass model.Class `json:"min_class"`
	Status   RuleStatus  `json:"status"`
	Findings int         `json:"findings"`
	// Checked and Skipped count the subjects the rule looked at and those
	// it did not apply to because of their class.
	Checked int    `json:"checked"`
	Skipped int    `json:"not_applicable"`
	Reason  string `json:"reason,omitempty"`
}

// Result is the outcome of one evaluation (validate, pr or release).
type Result struct {
	Schema      string        `json:"schema"`
	Gate        string        `json:"gate"`
	Verdict     Verdict       `json:"verdict"`
	FailOn      Severity      `json:"fail_on"`
	SafetyClass model.Class   `json:"safety_class"`
	Subject     string        `json:"subject,omitempty"` // the PR, tag or repository evaluated
	Summary     Summary       `json:"summary"`
	Findings    []Finding     `json:"findings"`
	Rules       []RuleOutcome `json:"rules"`
	// Errors are why the evaluation could not complete (Verdict error).
	Errors   []string          `json:"errors,omitempty"`
	Warnings []input.Warning   `json:"warnings,omitempty"`
	Inputs   []model.InputFile `json:"inputs,omitempty"`
	Policy   Policy            `json:"policy"`
	Tool     Tool              `json:"tool"`

	// PullRequest and Release describe what the PR and release gates
	// looked at, for the documents and summaries.
	PullRequest *PRSummary      `json:"pull_request,omitempty"`
	Release     *ReleaseSummary `json:"release,omitempty"`
}

// PRSummary is what the pull request gate judged.
type PRSummary struct {
	Number  int          `json:"number,omitempty"`
	Title   string       `json:"title,omitempty"`
	URL     string       `json:"url,omitempty"`
	Base    string       `json:"base"`
	Head    string       `json:"head"`
	Commits int          `json:"commits"`
	Changes int          `json:"changed_files"`
	Links   []trace.Link `json:"links"`
	// Exemption is the exempt label that waived the link rule, if any.
	Exemption string `json:"exemption,omitempty"`
	Evidence  bool   `json:"evidence"`
	// Review is the pull request's reviews as judged; nil when they were
	// not read.
	Review *ReviewRecord `json:"review,omitempty"`
}

// Summary counts findings by severity. Warnings counts the warnings
// raised while reading the inputs too (ReadingWarnings of them): a file
// repaired or a line skipped is a warning of the evaluation, and a consumer
// that fails on summary.warnings must see it.
type Summary struct {
	Errors          int `json:"errors"`
	Warnings        int `json:"warnings"`
	Notes           int `json:"notes"`
	ReadingWarnings int `json:"reading_warnings"`
	RulesChecked    int `json:"rules_checked"`
	RulesFailed     int `json:"rules_failed"`
	NotApplicable   int `json:"rules_not_applicable"`
}

// Policy records which policy judged.
type Policy struct {
	File      string   `json:"file,omitempty"` // empty: built-in defaults
	Defaulted []string `json:"defaulted,omitempty"`
}

// Tool identifies the tracegate build that judged.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
}

// decide sorts the findings, fills the summary and sets the verdict: error
// when the evaluation could not complete, fail when any finding reaches
// failOn, else pass.
func (r *Result) decide(failOn Severity) {
	r.Schema = SchemaVersion
	r.FailOn = failOn
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() > b.Severity.Rank()
		}
		return a.Rule < b.Rule
	})
	r.Summary = Summary{ReadingWarnings: len(r.Warnings), Warnings: len(r.Warnings)}
	for _, f := range r.Findings {
		switch f.Severity {
		case SevError:
			r.Summary.Errors++
		case SevWarning:
			r.Summary.Warnings++
		case SevNote:
			r.Summary.Notes++
		}
	}
	for _, o := range r.Rules {
		switch o.Status {
		case RuleFailed:
			r.Summary.RulesFailed++
			r.Summary.RulesChecked++
		case RulePassed:
			r.Summary.RulesChecked++
		case RuleNotApplicable:
			r.Summary.NotApplicable++
		}
	}
	// Empty lists are [] in JSON, never null: consumers iterate them.
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.Rules == nil {
		r.Rules = []RuleOutcome{}
	}
	switch {
	case len(r.Errors) > 0:
		r.Verdict = Error
	case r.fails(failOn):
		r.Verdict = Fail
	default:
		r.Verdict = Pass
	}
}

func (r *Result) fails(failOn Severity) bool {
	if failOn.Rank() == 0 {
		return false
	}
	if len(r.Warnings) > 0 && SevWarning.Rank() >= failOn.Rank() {
		return true
	}
	for _, f := range r.Findings {
		if f.Severity.Rank() >= failOn.Rank() {
			return true
		}
	}
	return false
}

// Errored builds the result of an evaluation that could not complete.
func Errored(gate string, errs []string) *Result {
	r := &Result{Gate: gate, Errors: errs}
	r.decide(SevError)
	return r
}

package gate

import (
	"fmt"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// Rule is one check of the catalog. ID and Name are stable: they appear in
// findings, SARIF and suppressions, and never change meaning.
type Rule struct {
	ID    string // TG101
	Name  string // unique-id
	Gate  string // validate | pr | release
	Title string
	// Clauses are the clauses the rule evidences, prefixed with the
	// standard: "IEC 62304 5.2.6", "ISO 14971 7.4".
	Clauses []string
	// MinClass is the lowest software safety class the rule applies to,
	// after IEC 62304:2006+A1:2015 Table A.1.
	MinClass    model.Class
	Severity    Severity
	Description string // why the rule exists, for docs/rules.md
	Remediation string
}

// Gates.
const (
	GateValidate = "validate"
	GatePR       = "pr"
	GateRelease  = "release"
	// GateSOUP marks the SOUP rules, which both gates run — on the whole
	// list at a release, on what a pull request adds or upgrades — and
	// validate runs on the whole list.
	GateSOUP = "soup"
)

// check runs one rule: it knows the rule and collects what it finds.
type check struct {
	rule     *Rule
	findings []Finding
	checked  int
	skipped  int
	classes  map[model.Class]bool // classes skipped, for the reason text
	reason   string               // overrides the outcome's reason
}

// noPos is the location of findings about the pull request or release
// itself rather than about a file.
var noPos = input.Pos{}

// applies records a subject of class c and reports whether the rule
// applies to it.
func (c *check) applies(class model.Class) bool {
	if class.AtLeast(c.rule.MinClass) {
		c.checked++
		return true
	}
	c.skipped++
	if c.classes == nil {
		c.classes = map[model.Class]bool{}
	}
	c.classes[class] = true
	return false
}

// notApplicable records that the rule does not apply to this evaluation
// at all, and why (the policy asks nothing of it, a first release…).
func (c *check) notApplicable(reason string) {
	c.skipped++
	c.classes = map[model.Class]bool{}
	c.reason = reason
}

// report records a finding about subject.
func (c *check) report(class model.Class, subject string, pos input.Pos, format string, args ...any) {
	f := Finding{
		Rule:        c.rule.ID,
		Name:        c.rule.Name,
		Clauses:     c.rule.Clauses,
		Severity:    c.rule.Severity,
		Subject:     subject,
		Message:     fmt.Sprintf(format, args...),
		Class:       class,
		Remediation: c.rule.Remediation,
	}
	if !pos.IsZero() {
		p := pos
		f.Location = &p
	}
	c.findings = append(c.findings, f)
}

// reportFix is report with a remediation of the finding's own, for a case
// where the rule's general one would send its reader the wrong way.
func (c *check) reportFix(fix string, class model.Class, subject string, pos input.Pos, format string, args ...any) {
	c.report(class, subject, pos, format, args...)
	c.findings[len(c.findings)-1].Remediation = fix
}

func (c *check) outcome() RuleOutcome {
	o := RuleOutcome{
		Rule: c.rule.ID, Name: c.rule.Name, Title: c.rule.Title, Clauses: c.rule.Clauses,
		MinClass: c.rule.MinClass, Findings: len(c.findings), Checked: c.checked, Skipped: c.skipped,
	}
	switch {
	case len(c.findings) > 0:
		o.Status = RuleFailed
	case c.checked == 0 && c.skipped > 0:
		o.Status = RuleNotApplicable
		var cls []string
		for _, k := range []model.Class{model.ClassA, model.ClassB, model.ClassC} {
			if c.classes[k] {
				cls = append(cls, string(k))
			}
		}
		o.Reason = fmt.Sprintf("applies from class %s; the subjects are class %s", c.rule.MinClass, strings.Join(cls, ", "))
		if c.reason != "" {
			o.Reason = c.reason
		}
	default:
		o.Status = RulePassed
		if c.reason != "" {
			o.Reason = c.reason
		} else if c.checked == 0 {
			o.Reason = "nothing to check"
		} else if c.skipped > 0 {
			o.Reason = fmt.Sprintf("%d subject(s) below class %s not checked", c.skipped, c.rule.MinClass)
		}
	}
	return o
}

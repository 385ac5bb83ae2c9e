package config

import (
	"slices"
	"strings"
)

// The fields an issue source reads, each from the issue-form section whose
// heading the policy's fields: names, else the heading of the Forschungsgruppe
// Digital Health risk-management template's forms (.github/ISSUE_TEMPLATE/
// requirement.yml and harm-risk.yml), the form's field labels as GitHub
// writes them into the issue body (### Label).
var (
	RequirementIssueFields = map[string]string{
		"text":          "Requirement",
		"acceptance":    "Acceptance criteria",
		"verification":  "Planned verification method",
		"type":          "Requirement type",
		"item":          "Software item",
		"class":         "Safety class",
		"parents":       "Parent requirements",
		"risk_controls": "Risk controls",
		"status":        "Status",
	}
	HazardIssueFields = map[string]string{
		"hazard":              "Hazard",
		"cause":               "Foreseeable sequence of events",
		"hazardous_situation": "Hazardous situation",
		"harm":                "Harm",
		"severity":            "Severity of harm (S)",
		"probability":         "Probability of harm (P)",
		"risk_controls":       "Risk control measure(s) — state the hierarchy tier per measure",
		"control_links":       "Design element / ADR / requirement the control lives in",
		"residual":            "Residual risk evaluation",
		"benefit_risk":        "Benefit–risk note (only if residual risk stays above acceptability)",
	}
)

// Heading is the heading of field's section: the policy's, else the
// template's.
func (s IssueSource) Heading(field string, defaults map[string]string) string {
	if h, ok := s.Fields[field]; ok {
		return h
	}
	return defaults[field]
}

// checkIssues checks an issue source of a kind.
func checkIssues(key string, s Source, defaults map[string]string, bad func(key, format string, args ...any)) {
	if s.Issues == nil {
		return
	}
	if defaults == nil {
		bad(key+".issues", "%s.issues: only requirements and risks are read from issues", dotted(key))
		return
	}
	if s.Format != "auto" || len(s.Exclude) > 0 || !s.Table.IsZero() {
		bad(key+".issues", "%s: format, exclude, columns and id_prefixes apply to files, not to issues", dotted(key))
	}
	fields := make([]string, 0, len(defaults))
	for f := range defaults {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	for _, f := range sortedKeys(s.Issues.Fields) {
		if _, ok := defaults[f]; !ok {
			bad(key+".issues.fields."+f+"#key", "%s.issues.fields: %q is not a field read from an issue (fields: %s)", dotted(key), f, strings.Join(fields, ", "))
		}
	}
}

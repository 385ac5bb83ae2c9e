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
	// SOUPIssueFields are the sections of tracegate's SOUP issue form
	// (tracegate init --soup-issues writes it, its labels rendered from
	// this map): the template has no SOUP form, so these are the fields
	// the register's entries have (8.1.2, 5.3.3, 5.3.4, 7.1.2, 7.1.3).
	// The entry's title is the issue title.
	SOUPIssueFields = map[string]string{
		"name":           "Package name",
		"purl":           "Package URL",
		"manufacturer":   "Manufacturer",
		"version":        "Version",
		"identifier":     "Unique identifier",
		"purpose":        "Purpose",
		"license":        "License",
		"requirements":   "Functional and performance requirements",
		"environment":    "Hardware and software requirements",
		"class":          "Software safety class",
		"risk_level":     "Risk level",
		"verification":   "Verification",
		"items":          "Software items",
		"review_version": "Version reviewed for anomalies",
		"review_date":    "Anomaly review date",
		"reviewer":       "Anomaly reviewer",
		"review_sources": "Anomaly lists consulted",
		"anomalies":      "Known anomalies and their assessment",
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
		bad(key+".issues", "%s.issues: only requirements and risks are read from issues here (SOUP entries: soup.issues)", dotted(key))
		return
	}
	if s.Format != "auto" || len(s.Exclude) > 0 || !s.Table.IsZero() {
		bad(key+".issues", "%s: format, exclude, columns and id_prefixes apply to files, not to issues", dotted(key))
	}
	checkIssueFields(key+".issues", dotted(key)+".issues", s.Issues.Fields, defaults, bad)
}

// checkSOUPIssues checks a SOUP register kept as issues: one register,
// in a file or as issues, and fields the SOUP form has.
func checkSOUPIssues(c *Config, bad func(key, format string, args ...any)) {
	if c.SOUP.Register != "" { // written: applyDefaults leaves it out beside issues
		bad("soup.issues", "soup: the register is kept in a file (soup.register) or as GitHub issues (soup.issues), not both: choose one")
	}
	if len(c.SOUP.Columns) > 0 {
		bad("soup.columns", "soup.columns maps the columns of a register file kept as a Markdown table; a register kept as issues reads the form's sections (soup.issues.fields)")
	}
	checkIssueFields("soup.issues", "soup.issues", c.SOUP.Issues.Fields, SOUPIssueFields, bad)
}

// checkIssueFields refuses a fields: key that is not a field of the kind.
func checkIssueFields(key, name string, fields, defaults map[string]string, bad func(key, format string, args ...any)) {
	known := make([]string, 0, len(defaults))
	for f := range defaults {
		known = append(known, f)
	}
	slices.Sort(known)
	for _, f := range sortedKeys(fields) {
		if _, ok := defaults[f]; !ok {
			bad(key+".fields."+f+"#key", "%s.fields: %q is not a field read from an issue (fields: %s)", name, f, strings.Join(known, ", "))
		}
	}
}

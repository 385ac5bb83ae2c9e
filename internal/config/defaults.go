package config

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tracegate/tracegate/internal/model"
)

// Defaults returns the policy used when a repository has no policy file, and
// the values that fill keys a policy file leaves out. They follow the layout
// `tracegate init` would scaffold and err on the strict side: the highest
// class a team is likely to pick for an unclassified system is not assumed,
// but everything active must be verified.
func Defaults() Config {
	return Config{
		Version:     1,
		SafetyClass: model.ClassB,
		IDs: IDPatterns{
			Requirement:   `(?:SRS|SYS|REQ|URS|SWR)-\d+`,
			ProblemReport: `PRB-\d+`,
			ChangeRequest: `CR-\d+`,
			Hazard:        `HAZ-\d+`,
			RiskControl:   `RC-\d+`,
		},
		Requirements:  []Source{{Path: "docs/requirements/**/*.{yml,yaml,md}", Format: "auto"}},
		Risks:         []Source{{Path: "docs/risk/**/*.{yml,yaml,csv}", Format: "auto"}},
		Tests:         []Source{{Path: "reports/**/*.{xml,json,jsonl}", Format: "auto"}},
		TestSources:   []string{"**/*_test.go", "**/test_*.py", "**/*_test.py", "**/*.test.{js,ts}", "**/*Test.java"},
		SoftwareTypes: []string{"software", "srs", "swr", "software requirement", "software-requirement"},
		RequirementStatus: StatusPolicy{
			Active:   []string{"approved", "active", "implemented", "verified", "released"},
			Inactive: []string{"draft", "proposed", "obsolete", "deprecated", "deleted", "rejected", "retired"},
		},
		// A parent is verified as any requirement is, by its own tests or
		// records: as strict as a release gets (every active child is
		// held to its own anyway), and what tracegate did before the
		// choice existed; children or both is the plan's to choose.
		Verification: Verification{Parents: ParentsOwn},
		ProblemReports: ProblemReports{
			Records: Records{
				Labels: []string{"bug", "problem-report"},
				Files:  []string{"docs/problem-reports/**/*.{yml,yaml}"},
				Fields: map[string]string{
					FieldType: "Type", FieldScope: "Scope", FieldCriticality: "Criticality",
					FieldInvestigation: "Investigation", FieldEvaluation: "Evaluation",
				},
			},
			Criticality:        []string{"low", "medium", "high", "critical"},
			MaxOpenCriticality: "medium",
		},
		ChangeRequests: ChangeRequests{
			Records:        Records{Labels: []string{"change-request"}, Files: []string{"docs/change-requests/**/*.{yml,yaml}"}},
			ApprovedLabels: []string{"approved"},
		},
		PR: PRPolicy{JustificationHeading: "Justification", RiskImpactHeading: "Risk impact"},
		SOUP: SOUPPolicy{
			Register: "docs/soup/soup.yml",
			SBOMs:    []string{"sbom/**/*.{json,xml,spdx,yaml,yml,rdf,ttl}"},
			// Nothing is looked up online unless the policy asks: a gate
			// that reaches a network is the plan's choice.
			Anomalies:  AnomaliesNone,
			OSVTimeout: DefaultOSVTimeout.String(),
		},
		Release: ReleasePolicy{
			TagPattern: "v*",
			Plans: []Plan{
				{Name: "Software development plan", Clause: "IEC 62304 5.1", Path: "**/*development*plan*"},
				{Name: "Software maintenance plan", Clause: "IEC 62304 6.1", Path: "**/*maintenance*plan*"},
			},
		},
		RiskMatrix: RiskMatrix{
			// A 5x5 matrix after the examples of ISO/TR 24971 annex C.
			Severity:    []string{"negligible", "minor", "serious", "critical", "catastrophic"},
			Probability: []string{"improbable", "remote", "occasional", "probable", "frequent"},
			Acceptability: map[string][]string{
				"improbable": {"acceptable", "acceptable", "acceptable", "alarp", "alarp"},
				"remote":     {"acceptable", "acceptable", "alarp", "alarp", "unacceptable"},
				"occasional": {"acceptable", "alarp", "alarp", "unacceptable", "unacceptable"},
				"probable":   {"alarp", "alarp", "unacceptable", "unacceptable", "unacceptable"},
				"frequent":   {"alarp", "unacceptable", "unacceptable", "unacceptable", "unacceptable"},
			},
		},
	}
}

// DefaultedValues describes each defaulted key with the value it took, for
// `validate` to say what the gate actually used.
func (c *Config) DefaultedValues() []string {
	var out []string
	var tree any // the policy as its JSON form, made once: the gates ask at every evaluation
	for _, k := range c.Defaulted {
		line := k + ": " + c.describe(k, &tree)
		if p, ok := c.declared[k]; ok {
			line += " (declared in " + p.String() + ")"
		}
		out = append(out, line)
	}
	return out
}

// describe is the value key took; tree holds the policy's JSON form once
// made.
func (c *Config) describe(key string, tree *any) string {
	if key == "risk_matrix" {
		return fmt.Sprintf("%d×%d (severity: %s; probability: %s)", len(c.RiskMatrix.Severity), len(c.RiskMatrix.Probability),
			strings.Join(c.RiskMatrix.Severity, ", "), strings.Join(c.RiskMatrix.Probability, ", "))
	}
	// Walk the policy as its JSON form, so that every key — top-level or
	// dotted into a section — reads the value the struct tags give it.
	if *tree == nil {
		raw, err := json.Marshal(c)
		if err != nil {
			return "?"
		}
		if err := json.Unmarshal(raw, tree); err != nil {
			return "?"
		}
	}
	v := *tree
	for _, part := range strings.Split(key, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return "?"
		}
		v = m[part]
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	return string(b)
}

// IsDefault reports whether key (dotted, "soup.register") took its default:
// the key itself, or its whole section, was not in the policy.
func (c *Config) IsDefault(key string) bool {
	for _, k := range c.Defaulted {
		if k == key || strings.HasPrefix(key, k+".") {
			return true
		}
	}
	return false
}

package check

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// What rdm's files declare stands in for the policy's defaults, never for
// what the policy writes; files that disagree are an error.
func TestDeclared(t *testing.T) {
	device := input.Pos{File: "data/device.yml", Line: 16, Col: 15}
	riskAt := input.Pos{File: "data/risk.yml", Line: 1, Col: 1}
	rdmMatrix := model.RiskMatrix{Severity: []string{"Minor", "Major"}, Probability: []string{"Low", "High"},
		Acceptability: map[string][]string{"Low": {"acceptable", "alarp"}, "High": {"alarp", "unacceptable"}}, Source: riskAt}
	policy := func(t *testing.T, src string) *config.Config {
		t.Helper()
		c, err := config.Parse(".github/tracegate.yml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		name, policy string
		dhf          model.DHF
		class        model.Class
		severity     string // first severity level of the matrix used
		warn, err    string
		note         string // in validate's list of defaults
	}{
		{name: "nothing declared", policy: "version: 1\n", class: model.ClassB, severity: "negligible"},
		{name: "class and matrix declared, policy silent", policy: "version: 1\n",
			dhf:   model.DHF{Classes: []model.DeclaredClass{{Class: model.ClassC, Source: device}}, RiskMatrices: []model.RiskMatrix{rdmMatrix}},
			class: model.ClassC, severity: "Minor", note: `safety_class: "C" (declared in data/device.yml:16:15)`},
		{name: "the policy's class wins, with a warning", policy: "version: 1\nsafety_class: A\n",
			dhf:   model.DHF{Classes: []model.DeclaredClass{{Class: model.ClassC, Source: device}}},
			class: model.ClassA, severity: "negligible", warn: "data/device.yml:16:15: declares software safety class C; the policy's safety_class A is used (.github/tracegate.yml:2:15)"},
		{name: "the policy's matrix wins, with a warning", policy: "version: 1\nrisk_matrix: {severity: [s, t], probability: [p, q], acceptability: {p: [acceptable, alarp], q: [alarp, alarp]}}\n",
			dhf:   model.DHF{RiskMatrices: []model.RiskMatrix{rdmMatrix}},
			class: model.ClassB, severity: "s", warn: "data/risk.yml:1:1: declares a risk matrix (2 severity × 2 probability levels) that differs from the policy's risk_matrix"},
		{name: "files disagree", policy: "version: 1\n",
			dhf: model.DHF{Classes: []model.DeclaredClass{{Class: model.ClassC, Source: device}, {Class: model.ClassB, Source: input.Pos{File: "b/system.yml", Line: 3}}}},
			err: "b/system.yml:3: declares software safety class B, but data/device.yml:16:15 declares C"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := policy(t, tc.policy)
			before := cfg.SafetyClass
			got, warns, err := declared(cfg, &tc.dhf)
			if cfg.SafetyClass != before {
				t.Error("the caller's policy was changed")
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.SafetyClass != tc.class || got.RiskMatrix.Severity[0] != tc.severity {
				t.Errorf("class %s, matrix %v; want %s, %s", got.SafetyClass, got.RiskMatrix.Severity, tc.class, tc.severity)
			}
			if (tc.warn == "") != (len(warns) == 0) || (tc.warn != "" && !strings.HasPrefix(warns[0].String(), tc.warn)) {
				t.Errorf("warnings %v, want %q", warns, tc.warn)
			}
			if tc.note != "" && !strings.Contains(strings.Join(got.DefaultedValues(), "\n"), tc.note) {
				t.Errorf("defaults %q lack %q", got.DefaultedValues(), tc.note)
			}
		})
	}
}

package config

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: any bytes give a policy or an error naming the file; never a
// panic, and a policy that loads has every default filled.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"version: 1\n",
		"version: 1\nsafety_class: C\nids: { requirement: 'SRS-\\d+' }\n",
		"version: 1\nrisk_matrix: {severity: [a, b], probability: [x, y], acceptability: {x: [acceptable, alarp], y: [alarp, unacceptable]}}\n",
		"version: 1\nproblem_reports: {labels: [bug], max_open_criticality: high}\nrelease: {plans: [{name: x, path: 'docs/*.md'}]}\n",
		"version: 2\n", "[", "version: 1\nitems: [{name: a, class: B, paths: ['**']}]\n", "a: &a [*a]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("p.yml", data)
		if err != nil {
			if msg := err.Error(); !strings.Contains(msg, "p.yml") || !utf8.ValidString(msg) && utf8.Valid(data) {
				t.Fatalf("error does not name the file: %q", msg)
			}
			return
		}
		if c.SafetyClass == "" || c.IDs.Requirement == "" || len(c.RiskMatrix.Severity) == 0 || c.Release.TagPattern == "" {
			t.Fatalf("a loaded policy lacks defaults: %+v", c)
		}
		if _, err := c.Patterns(); err != nil {
			t.Fatalf("a loaded policy's patterns do not compile: %v", err)
		}
	})
}

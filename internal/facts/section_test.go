package facts

import (
	"strings"
	"testing"
)

func TestSection(t *testing.T) {
	form := "### Type\n\nCorrective\n\n### Scope\n\n_No response_\n\n### Criticality\n\nHigh\n\n### Investigation\n\nRoot cause: float rounding.\nSee #12.\n"
	cases := []struct{ body, heading, want string }{
		{form, "Type", "Corrective"},
		{form, "type:", "Corrective"},
		{form, "Scope", ""},
		{form, "Investigation", "Root cause: float rounding.\nSee #12."},
		{form, "Missing", ""},
		{"## Risk impact\n<!-- describe the effect on hazards -->\n\n## Notes\nx", "Risk impact", ""},
		{"## Risk impact\nNone: display only.\n### Detail\nmore\n## Notes\nx", "risk impact", "None: display only.\n### Detail\nmore"},
		{"Summary text\n\nRisk impact: none, the change only renames a variable.\n", "Risk Impact", "none, the change only renames a variable."},
		{"**Justification:** docs-only change\n", "Justification", "docs-only change"},
		{"```\n## Risk impact\nnot real\n```\n", "Risk impact", ""},
		{"## Justification\r\nCRLF body\r\n", "Justification", "CRLF body"},
	}
	for _, tc := range cases {
		if got := Section(tc.body, tc.heading); got != tc.want {
			t.Errorf("Section(%q, %q) = %q, want %q", tc.body, tc.heading, got, tc.want)
		}
	}
}

// FuzzSection: any body and heading give a trimmed section (or none) that
// is a part of the body, without panicking.
func FuzzSection(f *testing.F) {
	f.Add("### Type\n\nCorrective\n", "Type")
	f.Add("## Risk impact\n<!-- x -->\n```\n## a\n```\nnone", "risk impact")
	f.Add("Justification: because\n", "justification")
	f.Fuzz(func(t *testing.T, body, heading string) {
		s := Section(body, heading)
		if s != strings.TrimSpace(s) {
			t.Fatalf("section not trimmed: %q", s)
		}
	})
}

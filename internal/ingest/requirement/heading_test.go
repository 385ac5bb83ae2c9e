package requirement

import "testing"

func TestFirstLine(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "",
		"\n\n  ### Heading 3\nx": "Heading 3",
		"One line. Two.\nNext":   "One line. Two.",
	} {
		if got := firstLine(in); got != want {
			t.Errorf("firstLine(%q) = %q, want %q", in, got, want)
		}
	}
}

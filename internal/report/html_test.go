package report

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/report/reporttest"
)

func TestVisibleText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text\nwith\ttab", "plain text\nwith\ttab"},
		{"a\r\nb\rc", "a\nb\nc"},
		{"x\u202Ey\u2066z", "x⟨U+202E⟩y⟨U+2066⟩z"},
		{"nul\x00bell\x07del\x7f", "nul\uFFFDbell\uFFFDdel\uFFFD"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"para\u2029graph", "para\ngraph"},
		{"é ü 日本", "é ü 日本"},
	} {
		if got := VisibleText(tc.in); got != tc.want {
			t.Errorf("visibleText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// cssUnescape decodes the hex escapes pageFooterCSS writes.
func cssUnescape(s string) string {
	re := regexp.MustCompile(`\\([0-9a-f]{1,6}) `)
	return re.ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.ParseUint(m[1:len(m)-1], 16, 32)
		return string(rune(n))
	})
}

func TestPageFooterCSS(t *testing.T) {
	for _, footer := range []string{"plain text 123", reporttest.Hostile, `a\"b`, "</style><style>*{display:none}", "é · ✓", "\n\r\t", "x\x00y"} {
		css := string(PageFooterCSS(footer))
		start := `@page{@bottom-left{content:"`
		if !strings.HasPrefix(css, start) {
			t.Fatalf("%q: %s", footer, css)
		}
		value, rest, ok := strings.Cut(css[len(start):], `"`)
		if !ok || !strings.HasPrefix(rest, ";font:") {
			t.Errorf("%q: the string ends early: %s", footer, css)
		}
		if strings.ContainsAny(value, "<>&'\"\n\r") {
			t.Errorf("%q: unescaped character in %s", footer, value)
		}
		want := strings.ReplaceAll(strings.ToValidUTF8(footer, "\uFFFD"), "\x00", "\uFFFD")
		if got := cssUnescape(value); got != want {
			t.Errorf("%q: decodes to %q", footer, got)
		}
	}
}

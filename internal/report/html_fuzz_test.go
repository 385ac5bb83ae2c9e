package report

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/report/reporttest"
)

// FuzzPageFooterCSS: whatever the footer (it carries a tag name, which a
// repository chooses), the rule keeps it inside its CSS string — no quote,
// angle bracket, ampersand or line break unescaped — and it decodes back
// to the footer, invalid UTF-8 and NUL as U+FFFD.
func FuzzPageFooterCSS(f *testing.F) {
	for _, s := range []string{"tracegate 1.0 · v2.4.0 at abc · inputs sha256:00", reporttest.Hostile, `"}</style><script>`, "\\", "\xff\xfe", "a\x00b", "\U0010FFFF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, footer string) {
		css := string(PageFooterCSS(footer))
		const start = `@page{@bottom-left{content:"`
		if !strings.HasPrefix(css, start) {
			t.Fatalf("rule: %s", css)
		}
		value, rest, ok := strings.Cut(css[len(start):], `"`)
		if !ok || !strings.HasPrefix(rest, ";font:") || strings.Count(rest, `"`) != 4 {
			t.Fatalf("the footer leaves its string: %s", css)
		}
		if strings.ContainsAny(value, "<>&'\n\r\f") {
			t.Fatalf("unescaped character: %q", value)
		}
		want := strings.ReplaceAll(strings.ToValidUTF8(footer, "\uFFFD"), "\x00", "\uFFFD")
		if got := cssUnescape(value); got != want {
			t.Fatalf("decodes to %q, want %q", got, want)
		}
	})
}

package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"plain ASCII, as it is":      "plain ASCII, as it is",
		"héllo wörld ✓":              "héllo wörld ✓",
		"x\n::error::pwned":          `x\n::error::pwned`,
		"a\r\nb\tc":                  `a\r\nb\tc`,
		"\x1b[31mred\x1b[0m":         `\x1b[31mred\x1b[0m`,
		"nul\x00 del\x7f":            `nul\x00 del\x7f`,
		"c1 \u0085 \u009b":           `c1 \u0085 \u009b`,
		"line\u2028sep":              `line\u2028sep`,
		"\u202Egnp.exe":              "⟨U+202E⟩gnp.exe",
		"bad \xff\xfe utf-8":         `bad \xff\xfe utf-8`,
		"already escaped: \\n stays": `already escaped: \n stays`,
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

// TextGuard passes what a runner would take for a workflow command only
// disarmed, keeps the lines' look, and escapes control characters.
func TestTextGuard(t *testing.T) {
	const zw = "\u200b"
	for _, tt := range []struct {
		name, in string
		disarm   bool
		want     string
	}{
		{"plain text", "a line\nanother\n", true, "a line\nanother\n"},
		{"a v2 command at a line start", "ok\n::error file=x::pwned\n", true, "ok\n:" + zw + ":error file=x::pwned\n"},
		{"after white space the runner trims", "  \t::warning::x\n", true, "  \t:" + zw + ":warning::x\n"},
		{"after a non-breaking space", "\u00a0::notice::x\n", true, "\u00a0:" + zw + ":notice::x\n"},
		{"a legacy command anywhere", "see ##[error]x and ##[stop-commands]t\n", true, "see #" + zw + "#[error]x and #" + zw + "#[stop-commands]t\n"},
		{"not at a line start", "a ::error:: b\n", true, "a ::error:: b\n"},
		{"a CR is a line break to the runner: escaped", "a\r::error::x\n", true, `a\r::error::x` + "\n"},
		{"CRLF line ends stay", "a\r\n::error::x\r\n", true, "a\r\n:" + zw + ":error::x\r\n"},
		{"outside Actions only controls are escaped", "::error::x \x1b[2J\n", false, "::error::x \\x1b[2J\n"},
		{"the last line without a line feed", "tail ::x\n::y", true, "tail ::x\n:" + zw + ":y"},
		{"a zip passes untouched", "PK\x03\x04\n::error::\x00", true, "PK\x03\x04\n::error::\x00"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// Written a byte at a time, as a stream may split it.
			var b bytes.Buffer
			g := NewTextGuard(&b, tt.disarm)
			for i := 0; i < len(tt.in); i++ {
				if n, err := g.Write([]byte{tt.in[i]}); n != 1 || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if err := g.Flush(); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got  %q\nwant %q", b.String(), tt.want)
			}
			if tt.disarm && !strings.HasPrefix(tt.in, "PK") {
				for _, line := range strings.Split(b.String(), "\n") {
					if strings.HasPrefix(strings.TrimLeft(line, " \t\u00a0"), "::") || strings.Contains(line, "##[") {
						t.Errorf("a command passed: %q", line)
					}
				}
			}
		})
	}
}

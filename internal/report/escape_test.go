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
		{"more than a batch of lines", strings.Repeat("{\"k\": \"v\"}\n\x1b\n::e\n", 20000), true,
			strings.Repeat("{\"k\": \"v\"}\n\\x1b\n:"+zw+":e\n", 20000)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// Written a byte at a time, as a stream may split it, in
			// chunks, and at once.
			var b bytes.Buffer
			for _, chunk := range []int{1, 7, len(tt.in)} {
				b.Reset()
				g := NewTextGuard(&b, tt.disarm)
				for i := 0; i < len(tt.in); i += chunk {
					part := tt.in[i:min(i+chunk, len(tt.in))]
					if n, err := g.Write([]byte(part)); n != len(part) || err != nil {
						t.Fatalf("Write = %d, %v", n, err)
					}
				}
				if err := g.Flush(); err != nil {
					t.Fatal(err)
				}
				if b.String() != tt.want {
					t.Fatalf("written in chunks of %d:\ngot  %.200q\nwant %.200q", chunk, b.String(), tt.want)
				}
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

// countingWriter counts the writes it takes.
type countingWriter struct {
	bytes.Buffer
	writes int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.writes++
	return c.Buffer.Write(p)
}

// TestTextGuardBatches: the lines of one write reach the stream in one
// write (a system call each on a terminal or a file), a batch at a time
// when there are many.
func TestTextGuardBatches(t *testing.T) {
	var c countingWriter
	g := NewTextGuard(&c, true)
	lines := strings.Repeat("a line of JSON\n", 1000)
	if _, err := g.Write([]byte(lines)); err != nil {
		t.Fatal(err)
	}
	if c.writes != 1 || c.String() != lines {
		t.Errorf("1,000 lines in %d writes", c.writes)
	}
	c.writes = 0
	big := strings.Repeat("x", 1000) + "\n"
	if _, err := g.Write([]byte(strings.Repeat(big, 200))); err != nil {
		t.Fatal(err)
	}
	if want := 200*len(big)/guardBatch + 1; c.writes != want {
		t.Errorf("200 KB of lines in %d writes, want %d", c.writes, want)
	}
}

package input

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf16"
)

func utf16le(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func utf16be(s string) []byte {
	b := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

// TestOpenSaysUTF16: a file written as UTF-16 (PowerShell's redirection
// writes it) is refused as what it is, with what to do, not as binary
// content at some byte.
func TestOpenSaysUTF16(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"little-endian with BOM", utf16le("<testsuite/>", true), "a.xml: the file is UTF-16 text (little-endian, with a byte order mark); tracegate reads UTF-8"},
		{"big-endian with BOM", utf16be("id: SRS-1\n"), "a.xml: the file is UTF-16 text (big-endian, with a byte order mark); tracegate reads UTF-8"},
		{"little-endian without BOM", utf16le("id: SRS-1\ntitle: x\n", false), "a.xml: the file looks like UTF-16 text (little-endian, without a byte order mark); tracegate reads UTF-8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Open(fstest.MapFS{"a.xml": {Data: c.data}}, "a.xml", 0)
			e, ok := AsError(err)
			if !ok || !errors.Is(err, ErrBinary) || !strings.HasPrefix(e.Error(), c.want) || !strings.Contains(e.Hint, "iconv -f UTF-16 -t UTF-8") {
				t.Errorf("err = %v", err)
			}
		})
	}
}

// TestReadAllLinesInvalidUTF8: text that stops being UTF-8 beyond the head
// Open checks is refused at its line and column.
func TestReadAllLinesInvalidUTF8(t *testing.T) {
	data := strings.Repeat("title: fine text\n", 1000) + "title: caf\xe9\n"
	_, err := ReadAll(fstest.MapFS{"r.yml": {Data: []byte(data)}}, "r.yml", 0)
	e, ok := AsError(err)
	if !ok || !errors.Is(err, ErrBinary) || e.Pos.Line != 1001 || e.Pos.Col != 11 || !strings.HasPrefix(e.Error(), "r.yml:1001:11: invalid UTF-8 (byte 0xE9") {
		t.Errorf("err = %v", err)
	}
}

func TestLooksBinary(t *testing.T) {
	euro := "\u20ac" // three bytes
	for _, tc := range []struct {
		name   string
		head   string
		prefix bool
		at     int
		binary bool
	}{
		{"ASCII", "spdxVersion: SPDX-2.3\n", false, 0, false},
		{"multi-byte text", "name: caf\u00e9 " + euro, false, 0, false},
		{"NUL", "abc\x00def", false, 3, true},
		{"NUL after invalid byte", "a\xffb\x00", false, 3, true},
		{"invalid byte", "abcd\xffef", false, 4, true},
		{"lone continuation byte", euro[1:] + "abc", false, 0, true},
		{"rune cut at the end of a prefix", "abc" + euro[:2], true, 0, false},
		{"rune cut at the end of a whole file", "abc" + euro[:2], false, 3, true},
		{"invalid byte before a cut rune in a prefix", "a\xffb" + euro[:1], true, 1, true},
	} {
		at, binary := LooksBinary([]byte(tc.head), tc.prefix)
		if at != tc.at || binary != tc.binary {
			t.Errorf("%s: LooksBinary = %d, %v; want %d, %v", tc.name, at, binary, tc.at, tc.binary)
		}
	}
}

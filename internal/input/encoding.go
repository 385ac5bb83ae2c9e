package input

import (
	"bytes"
	"fmt"
)

// CheckText returns an error saying what data is when it is not UTF-8
// text, nil when it is. data is the start of a file when prefix is true (a
// rune cut at its end is not held against it), the whole file otherwise.
// Each refusal says what the file is and what to do: UTF-16 and UTF-32
// text (PowerShell's redirection writes UTF-16), compressed files and
// archives, PDF; text in another encoding (Latin-1, Windows-1252) is
// refused at the line and column of its first byte that is not UTF-8, and
// binary data at its first NUL byte.
func CheckText(file string, data []byte, prefix bool) *Error {
	if e := NotText(file, data); e != nil {
		return e
	}
	off, bin := LooksBinary(data, prefix)
	if !bin {
		return nil
	}
	pos := PosAt(file, data, int64(off))
	if data[off] == 0 {
		return &Error{Pos: pos, Err: ErrBinary,
			Msg:  fmt.Sprintf("binary content (a NUL byte at byte %d), expected text", off),
			Hint: "tracegate reads text formats only; check that the glob does not match build outputs or archives"}
	}
	return &Error{Pos: pos, Err: ErrBinary,
		Msg:  fmt.Sprintf("invalid UTF-8 (byte 0x%02X: a Latin-1 or Windows-1252 character?)", data[off]),
		Hint: "tracegate reads UTF-8: convert the file, e.g. iconv -f WINDOWS-1252 -t UTF-8, or save it as UTF-8"}
}

// NotText recognises, from its first bytes, a file that is not UTF-8 text
// but something a person may well have given for text.
func NotText(file string, data []byte) *Error {
	pos := Pos{File: file}
	utf16 := func(msg string) *Error {
		return &Error{Pos: pos, Err: ErrBinary, Msg: msg + "; tracegate reads UTF-8",
			Hint: "convert it, e.g. iconv -f UTF-16 -t UTF-8; in PowerShell write it with Out-File -Encoding utf8 or Set-Content -Encoding utf8"}
	}
	compressed := func(what, tool string) *Error {
		return &Error{Pos: pos, Err: ErrBinary, Msg: "the file is " + what + ", not text",
			Hint: "decompress it first (" + tool + ") and give tracegate the file inside"}
	}
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		return &Error{Pos: pos, Err: ErrBinary, Msg: "the file is UTF-32 text; tracegate reads UTF-8",
			Hint: "convert it, e.g. iconv -f UTF-32 -t UTF-8"}
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return utf16("the file is UTF-16 text (little-endian, with a byte order mark)")
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return utf16("the file is UTF-16 text (big-endian, with a byte order mark)")
	case len(data) >= 4 && data[0] == 0 && data[1] != 0 && data[2] == 0 && data[3] != 0:
		return utf16("the file looks like UTF-16 text (big-endian, without a byte order mark)")
	case len(data) >= 4 && data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0:
		return utf16("the file looks like UTF-16 text (little-endian, without a byte order mark)")
	case bytes.HasPrefix(data, []byte{0x1F, 0x8B}):
		return compressed("gzip-compressed", "gunzip")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return compressed("a zip archive", "unzip")
	case bytes.HasPrefix(data, []byte("BZh")) && len(data) > 3 && data[3] >= '1' && data[3] <= '9':
		return compressed("bzip2-compressed", "bunzip2")
	case bytes.HasPrefix(data, []byte{0xFD, '7', 'z', 'X', 'Z', 0}):
		return compressed("xz-compressed", "unxz")
	case bytes.HasPrefix(data, []byte{0x28, 0xB5, 0x2F, 0xFD}):
		return compressed("zstd-compressed", "unzstd")
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return &Error{Pos: pos, Err: ErrBinary, Msg: "the file is a PDF document, not text",
			Hint: "give tracegate the text file the document was made from"}
	}
	return nil
}

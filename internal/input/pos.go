package input

import (
	"bytes"
	"strconv"
)

// Pos is a place in a file of the repository. File is slash-separated and
// relative to the repository root; Line and Col are 1-based, 0 when unknown.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"column,omitempty"`
}

// String renders the position the way compilers do (file:line:col), so that
// editors and CI log viewers turn it into a link.
func (p Pos) String() string {
	s := p.File
	if s == "" {
		s = "<input>"
	}
	if p.Line > 0 {
		s += ":" + strconv.Itoa(p.Line)
		if p.Col > 0 {
			s += ":" + strconv.Itoa(p.Col)
		}
	}
	return s
}

// IsZero reports whether the position names nothing.
func (p Pos) IsZero() bool { return p.File == "" && p.Line == 0 }

// WithoutLine is the position's file alone, for comparing items that may
// have moved within it.
func (p Pos) WithoutLine() Pos { return Pos{File: p.File} }

// PosAt is the position of a byte offset in data (1-based line, column in
// bytes), for decoders that report offsets (encoding/json, encoding/xml).
// An offset outside data is clamped to it.
func PosAt(file string, data []byte, off int64) Pos {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return Pos{File: file, Line: line, Col: col}
}

// Before orders positions within one file: by line, then column.
func (p Pos) Before(q Pos) bool {
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

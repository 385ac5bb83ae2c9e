package testreport

import (
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
)

// xmlStream is an XML test report read as a stream of tokens, its text
// nodes bounded (xmlBound), with positions in the file: what the JUnit and
// QtTest readers share.
type xmlStream struct {
	file  string
	f     *input.File
	dec   *xml.Decoder
	bound *xmlBound
}

// openXML opens a report of at most input.MaxReport bytes for streaming.
func openXML(fsys fs.FS, p string) (*xmlStream, error) {
	f, err := input.Open(fsys, p, input.MaxReport)
	if err != nil {
		return nil, err
	}
	bound := newXMLBound(f, input.MaxRun)
	x := &xmlStream{file: p, f: f, dec: xml.NewDecoder(bound), bound: bound}
	x.dec.CharsetReader = charsetReader
	return x, nil
}

func (x *xmlStream) close() { x.f.Close() }

func (x *xmlStream) pos() input.Pos {
	line, col := x.dec.InputPos()
	return input.Pos{File: x.file, Line: line + x.bound.linesCut(x.dec.InputOffset()), Col: col}
}

// token returns the next token, and where it starts.
func (x *xmlStream) token() (xml.Token, input.Pos, error) {
	pos := x.pos()
	tok, err := x.dec.Token()
	if err != nil && err != io.EOF {
		return nil, pos, x.syntaxError(err)
	}
	return tok, pos, err
}

// syntaxError turns a decoder error into an input error at the decoder's
// position (encoding/xml's SyntaxError knows the line only).
func (x *xmlStream) syntaxError(err error) error {
	if e, ok := input.AsError(err); ok { // the file grew past the limit
		return e
	}
	msg := err.Error()
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg = se.Msg
	}
	msg = strings.TrimPrefix(msg, "xml: ")
	e := input.Errorf(x.pos(), "malformed XML: %s", msg)
	if strings.Contains(msg, "entity") {
		e.Hint = "test reports use only XML's predefined entities; tracegate does not expand DTD entities"
	} else if strings.Contains(msg, "CharsetReader") || strings.Contains(msg, "encoding") {
		e.Hint = "write the report as UTF-8"
	} else {
		e.Hint = "the report may be truncated (did the test run finish?) or not XML"
	}
	e.Err = err
	return e
}

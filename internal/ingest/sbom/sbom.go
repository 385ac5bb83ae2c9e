package sbom

import (
	"bytes"
	"fmt"
	"io/fs"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// MaxSize is the largest SBOM read (input.MaxSBOM).
const MaxSize = input.MaxSBOM

// Format names an SBOM serialisation (model.SBOMFormat).
type Format = model.SBOMFormat

const (
	SPDXJSON      Format = "spdx-json"
	SPDXTagValue  Format = "spdx-tag-value"
	SPDXYAML      Format = "spdx-yaml"
	SPDXRDF       Format = "spdx-rdf"
	SPDXTurtle    Format = "spdx-turtle"
	SPDX3JSONLD   Format = "spdx3-jsonld"
	CycloneDXJSON Format = "cyclonedx-json"
	CycloneDXXML  Format = "cyclonedx-xml"
	// GitHubDependencyGraph is the response of GitHub's REST API
	// GET /repos/{owner}/{repo}/dependency-graph/sbom: an SPDX JSON
	// document wrapped as {"sbom": {…}}.
	GitHubDependencyGraph Format = "github-dependency-graph"
)

// Document is what one SBOM file yielded (model.SBOM: the reader's output
// is a value of the model, so that what judges and renders SBOMs needs no
// reader).
type Document = model.SBOM

// Read reads the SBOM at path in fsys. Format and specification version are
// taken from the content, never from the file name. A file that cannot be
// read is an *input.Error naming the file and, where known, line and column.
func Read(fsys fs.FS, path string) (*Document, error) {
	f, err := input.Open(fsys, path, MaxSize)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// One allocation of the file's size: io.ReadAll would grow (and copy)
	// its buffer a dozen times for a large SBOM.
	buf := bytes.NewBuffer(make([]byte, 0, f.Size+bytes.MinRead))
	if _, err := buf.ReadFrom(f); err != nil {
		if _, ok := input.AsError(err); ok {
			return nil, err
		}
		return nil, &input.Error{Pos: input.Pos{File: path}, Msg: "cannot read: " + err.Error(), Err: err}
	}
	// The buffer is this function's alone and never written again: a
	// decoder may take its text as it is, without a copy.
	return readBytes(path, buf.Bytes(), true)
}

// ReadBytes reads an SBOM held in memory; name is the file name used in
// errors and warnings. data is not modified and not retained.
func ReadBytes(name string, data []byte) (doc *Document, err error) {
	return readBytes(name, data, false)
}

// readBytes is ReadBytes; owned says data is the reader's own, so that the
// decoders may keep strings that share its memory.
func readBytes(name string, data []byte, owned bool) (doc *Document, err error) {
	pos := input.Pos{File: name}
	if len(data) > MaxSize {
		return nil, &input.Error{Pos: pos, Err: input.ErrTooLarge,
			Msg: fmt.Sprintf("SBOM is %d bytes, larger than the %d MiB limit", len(data), MaxSize>>20)}
	}
	if e := contentError(name, data); e != nil {
		return nil, e
	}
	defer func() {
		// Library panics are caught where the libraries are called, so that
		// a repair can take over; this catches tracegate's own bugs, which
		// must fail the evaluation rather than crash the App.
		if p := recover(); p != nil {
			doc, err = nil, input.Errorf(pos, "SBOM reader failed: %v", p).
				WithHint("this is a bug in tracegate; please report it with the file")
		}
	}()
	return decodeData(name, data, owned)
}

// decode reads a document whose size and encoding were checked. It does
// not recover from its own panics, so that fuzzing finds them.
func decode(name string, data []byte) (*Document, error) { return decodeData(name, data, false) }

func decodeData(name string, data []byte, owned bool) (*Document, error) {
	ns := newNotes(name)
	det, err := detect(name, data, ns)
	if err != nil {
		return nil, err
	}
	src := &source{file: name, format: det.format, data: det.body, owned: owned, version: det.version, notes: ns}
	p, err := decoders[det.decoder].decode(src)
	if err != nil {
		return nil, err
	}
	doc := build(src, p)
	doc.Format = det.format
	if p.version != "" {
		doc.SpecVersion = p.version
	} else {
		doc.SpecVersion = det.version
	}
	doc.Warnings = ns.warnings()
	return doc, nil
}

// source is one SBOM as a decoder receives it: detect has checked the
// encoding, stripped a byte order mark, cut trailing garbage and unwrapped
// GitHub's envelope, and found the specification version.
type source struct {
	file   string
	format Format
	data   []byte
	// owned says nothing else holds data or writes it again: a string may
	// share its memory (unsafe.String) instead of copying it.
	owned   bool
	version string
	notes   *notes
}

func (s *source) pos() input.Pos { return input.Pos{File: s.file} }

// posAt is the position of a byte offset of s.data.
func (s *source) posAt(off int) input.Pos {
	l, c := lineCol(s.data, off)
	return input.Pos{File: s.file, Line: l, Col: c}
}

// A decoder reads one SBOM format into the format-neutral parsed form;
// detect chooses it from the content, so it only ever sees its own format.
// Decoders call the reference libraries first and repair known producer
// quirks only when a library fails, so that a conformant document is read
// exactly as the library reads it.
type decoder interface {
	decode(src *source) (*parsed, error)
}

var decoders = map[Format]decoder{
	SPDXJSON:      spdxJSON{},
	SPDXYAML:      spdxYAML{},
	SPDXTagValue:  spdxTagValue{},
	SPDXRDF:       spdxRDF{},
	SPDXTurtle:    spdxTurtle{},
	SPDX3JSONLD:   spdx3{},
	CycloneDXJSON: cdxJSON{},
	CycloneDXXML:  cdxXML{},
}

// protect runs a library call and turns its panic into an error, so that a
// repair can be tried and, failing that, the user gets an error naming the
// file instead of a crash.
func protect(lib string, f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &libraryPanic{lib: lib, value: p}
		}
	}()
	return f()
}

type libraryPanic struct {
	lib   string
	value any
}

func (p *libraryPanic) Error() string { return fmt.Sprintf("%s panicked: %v", p.lib, p.value) }

// contentError refuses data that is not UTF-8 text, throughout: a
// Latin-1 name beyond the first bytes would be read as U+FFFD by the JSON
// decoders, a silent change of the name.
func contentError(name string, data []byte) error {
	if e := input.CheckText(name, data, false); e != nil {
		return e
	}
	return nil
}

package sbom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdx/v2/v2_1"
	"github.com/spdx/tools-golang/spdx/v2/v2_2"
	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// spdxJSON reads SPDX 2.1–2.3 JSON (and, through detect, the SPDX document
// inside GitHub's dependency-graph response) with tools-golang's model and
// JSON unmarshalling. It decodes into the model of the version detect read
// from the document instead of calling json.Read, which decodes every
// document twice (into interface{} to find spdxVersion, then into the
// model) and reports the 2.3 model's version for every input.
//
// When tools-golang rejects the document (or panics on it), the known
// producer quirks are repaired on a generic decoding (see spdxRepairer) and
// the repaired document is read again; a document that still fails is an
// error naming the file and tools-golang's reason.
type spdxJSON struct{}

func (spdxJSON) decode(src *source) (*parsed, error) {
	doc, err := readSPDX2JSON(src.version, src.data)
	if cut, cerr := cutTrailing(src, err); cerr != nil {
		return nil, cerr
	} else if cut {
		doc, err = readSPDX2JSON(src.version, src.data)
	}
	if err == nil {
		return fromSPDX2(src, doc, nil), nil
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return nil, jsonError(src, err)
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(src.data))
	dec.UseNumber() // keep numbers as written if they must become text
	if dec.Decode(&v) != nil {
		return nil, jsonError(src, err)
	}
	r := &spdxRepairer{ns: src.notes}
	v = r.walk(v, nil)
	if !r.change {
		return nil, jsonError(src, err)
	}
	fixed, merr := marshalJSON(v)
	if merr != nil {
		return nil, jsonError(src, err)
	}
	v = nil // let the generic tree go before the model is built
	doc, err2 := readSPDX2JSON(src.version, fixed)
	if err2 != nil {
		return nil, libraryError(src, err2, err)
	}
	return fromSPDX2(src, doc, nil), nil
}

// marshalJSON writes v as JSON without escaping <, > and &: tools-golang
// reads suppliers, originators and IDs from the raw JSON text without
// unescaping it, so json.Marshal's "\u003c" would end up in the name.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// readSPDX2JSON decodes an SPDX 2.x JSON document into tools-golang's model
// of its version and converts it to the 2.3 model.
func readSPDX2JSON(version string, data []byte) (*spdx.Document, error) {
	var out spdx.Document
	err := protect("tools-golang", func() error {
		switch version {
		case "SPDX-2.1":
			var d v2_1.Document
			if err := json.Unmarshal(data, &d); err != nil {
				return err
			}
			return convertSPDX2(&d, &out)
		case "SPDX-2.2":
			var d v2_2.Document
			if err := json.Unmarshal(data, &d); err != nil {
				return err
			}
			return convertSPDX2(&d, &out)
		case "SPDX-2.3":
			return json.Unmarshal(data, &out)
		}
		return fmt.Errorf("unsupported SPDX version %q", version)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// jsonError turns a decoding error into an input.Error with the line and
// column encoding/json knows.
func jsonError(src *source, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off := int(syn.Offset) - 1
		return &input.Error{Pos: src.posAt(max(off, 0)), Msg: "invalid JSON: " + syn.Error(), Err: err,
			Hint: truncationHint(src.data, max(off, 0))}
	case errors.As(err, &typ):
		msg := fmt.Sprintf("%s must be %s, found a JSON %s", typ.Field, typ.Type, typ.Value)
		if typ.Field == "" {
			msg = fmt.Sprintf("expected %s, found a JSON %s", typ.Type, typ.Value)
		}
		return &input.Error{Pos: src.posAt(int(typ.Offset)), Msg: msg, Err: err}
	}
	return libraryError(src, err, nil)
}

// libraryError reports a document a library could not read. first is the
// error before repairs, when repairs were tried.
func libraryError(src *source, err, first error) error {
	lib := "tools-golang"
	if src.format == CycloneDXJSON || src.format == CycloneDXXML {
		lib = "cyclonedx-go"
	}
	var lp *libraryPanic
	msg := fmt.Sprintf("%s cannot read the document: %v", lib, err)
	if errors.As(err, &lp) {
		msg = fmt.Sprintf("%s failed on the document: %v", lib, err)
	}
	if first != nil && first.Error() != err.Error() {
		msg += fmt.Sprintf(" (after repairing: %v)", first)
	}
	var ie *input.Error
	if errors.As(err, &ie) {
		return err
	}
	return &input.Error{Pos: src.pos(), Msg: msg, Err: err,
		Hint: "the document does not follow the " + string(src.format) + " specification in a way tracegate cannot repair; fix the tool that wrote it or the file"}
}

// spdxYAML reads SPDX 2.x YAML: the YAML is parsed with positions
// (yamlsrc), turned into the JSON the document stands for and read like
// SPDX JSON, repairs included, with repairs reported at their YAML line.
type spdxYAML struct{}

func (spdxYAML) decode(src *source) (*parsed, error) {
	docs, err := yamlsrc.Documents(src.file, src.data)
	if err != nil {
		return nil, err
	}
	switch {
	case len(docs) == 0:
		return nil, input.Errorf(src.pos(), "YAML file without a document")
	case len(docs) > 1:
		return nil, input.Errorf(yamlsrc.Pos(src.file, docs[1]), "the file holds %d YAML documents; one file must hold one SBOM", len(docs)).
			WithHint("split the documents (separated by ---) into files")
	}
	textScalars(src.notes, src.file, docs[0], nil)
	v, positions, err := yamlsrc.Value(src.file, docs[0])
	if err != nil {
		return nil, err
	}
	if m, ok := v.(map[string]any); ok {
		if s, ok := m["spdxVersion"].(string); ok {
			if _, err := checkSPDX2Version(yamlsrc.Lookup(positions, "/spdxVersion"), s, src.notes); err != nil {
				return nil, err
			}
		}
	}
	js, err := marshalJSON(v)
	if err != nil {
		return nil, input.Errorf(src.pos(), "cannot read the YAML as SPDX: %v", err)
	}
	doc, err := readSPDX2JSON(src.version, js)
	if err == nil {
		return fromSPDX2(src, doc, nil), nil
	}
	r := &spdxRepairer{ns: src.notes, pos: func(path []string) input.Pos {
		return yamlsrc.Lookup(positions, pointer(path))
	}}
	v = r.walk(v, nil)
	if !r.change {
		return nil, libraryError(src, err, nil)
	}
	js, merr := marshalJSON(v)
	if merr != nil {
		return nil, libraryError(src, err, nil)
	}
	doc, err2 := readSPDX2JSON(src.version, js)
	if err2 != nil {
		return nil, libraryError(src, err2, err)
	}
	return fromSPDX2(src, doc, nil), nil
}

// pointer turns a repair path (keys and "[i]") into a JSON pointer.
func pointer(path []string) string {
	tokens := make([]string, len(path))
	for i, p := range path {
		if len(p) > 1 && p[0] == '[' {
			p = p[1 : len(p)-1]
		}
		tokens[i] = p
	}
	return yamlsrc.Pointer(tokens)
}

// textScalars makes unquoted numbers and booleans under members SPDX
// defines as text (versionInfo: 1.10) read as the text written: YAML would
// turn 1.10 into the number 1.1, a different version.
func textScalars(ns *notes, file string, n *yaml.Node, path []string) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			textScalars(ns, file, c, path)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.ScalarNode && (spdxTextKeys[k.Value] || spdxIDKeys[k.Value]) {
				switch v.ShortTag() {
				case "!!int", "!!float", "!!bool":
					ns.add("scalar-type", yamlsrc.Pos(file, v), quote(v.Value)+" at "+k.Value)
					v.Tag = "!!str"
				}
				continue
			}
			textScalars(ns, file, v, path)
		}
	}
}

package report

import (
	"bufio"
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
)

func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// WriteJSONLines writes a struct as JSON with one line per top-level field
// and one line per element of its slice fields: readable and diffable like
// indented JSON, but without indenting — which, for a list of 20,000
// components, costs more than everything else the command does.
func WriteJSONLines(w io.Writer, v any) error {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() != reflect.Struct {
		return WriteJSON(w, v)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	// enc returns x's JSON, valid until the next call.
	enc := func(x any) ([]byte, error) {
		buf.Reset()
		if err := e.Encode(x); err != nil {
			return nil, err
		}
		return bytes.TrimRight(buf.Bytes(), "\n"), nil
	}
	bw.WriteString("{")
	first := true
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		name, omitempty, skip := jsonName(f)
		if skip {
			continue
		}
		fv := rv.Field(i)
		if omitempty && fv.IsZero() {
			continue
		}
		if fv.Kind() == reflect.Slice && fv.IsNil() && omitempty {
			continue
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		key, _ := json.Marshal(name)
		fmt.Fprintf(bw, "\n%s: ", key)
		if fv.Kind() == reflect.Slice && !fv.IsNil() && fv.Len() > 0 {
			bw.WriteString("[")
			byAddr := fv.Index(0).CanAddr() && sameByPointer(fv.Type().Elem())
			_, appends := fv.Index(0).Addr().Interface().(JSONAppender)
			var line []byte
			for j := 0; j < fv.Len(); j++ {
				// An element's address, where encoding/json encodes it
				// as the value: boxing the value would copy it.
				x := fv.Index(j)
				if byAddr || appends {
					x = x.Addr()
				}
				var b []byte
				var err error
				if appends {
					line, err = x.Interface().(JSONAppender).AppendJSON(line[:0])
					b = line
				} else {
					b, err = enc(x.Interface())
				}
				if err != nil {
					return err
				}
				if j > 0 {
					bw.WriteString(",")
				}
				bw.WriteString("\n  ")
				bw.Write(b)
			}
			bw.WriteString("\n]")
			continue
		}
		b, err := enc(fv.Interface())
		if err != nil {
			return err
		}
		bw.Write(b)
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// JSONAppender is an element type that writes its own JSON: exactly what
// encoding/json writes for it (without HTML escaping), faster.
type JSONAppender interface {
	AppendJSON(b []byte) ([]byte, error)
}

// sameByPointer reports whether encoding/json encodes a *T as it encodes
// a T: unless the pointer has a marshalling method the value lacks.
func sameByPointer(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	for _, m := range []reflect.Type{reflect.TypeFor[json.Marshaler](), reflect.TypeFor[encoding.TextMarshaler]()} {
		if p.Implements(m) && !t.Implements(m) {
			return false
		}
	}
	return true
}

// jsonName reads a field's json tag.
func jsonName(f reflect.StructField) (name string, omitempty, skip bool) {
	if !f.IsExported() {
		return "", false, true
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false, true
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, strings.Contains(","+opts+",", ",omitempty,"), false
}

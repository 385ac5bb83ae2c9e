package yamlsrc

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/tracegate/tracegate/internal/input"
)

var printer = message.NewPrinter(language.English)

// Compiler holds an embedded JSON Schema published under url, ready to
// compile it or one of its definitions (url + "#/$defs/name").
func Compiler(url string, data []byte) (*jsonschema.Compiler, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", url, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("schema %s: %w", url, err)
	}
	return c, nil
}

// Compile compiles an embedded JSON Schema published under url.
func Compile(url string, data []byte) (*jsonschema.Schema, error) {
	c, err := Compiler(url, data)
	if err != nil {
		return nil, err
	}
	return c.Compile(url)
}

// CompileOnce returns a function that compiles the schema on its first
// call and returns that result ever after: the binary validates with
// exactly the schema embedded from schema/, compiled once per process.
func CompileOnce(url string, data []byte) func() (*jsonschema.Schema, error) {
	return sync.OnceValues(func() (*jsonschema.Schema, error) { return Compile(url, data) })
}

// Validate checks a value produced by Value against sch and returns one
// error per violated leaf of the schema, each at the position of the
// offending value (or of the key, for unknown keys), sorted by position.
// hint is attached to unknown-key errors.
func Validate(sch *jsonschema.Schema, value any, pos map[string]input.Pos, unknownKeyHint string) input.Errors {
	err := sch.Validate(value)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return input.Errors{input.Errorf(pos[""], "%v", err)}
	}
	var errs input.Errors
	seen := map[string]bool{}
	add := func(p input.Pos, msg, hint string) {
		if k := p.String() + msg; !seen[k] {
			seen[k] = true
			errs = append(errs, &input.Error{Pos: p, Msg: msg, Hint: hint})
		}
	}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		ptr := Pointer(e.InstanceLocation)
		key := DottedKey(ptr)
		if ap, ok := e.ErrorKind.(*kind.AdditionalProperties); ok {
			for _, p := range ap.Properties {
				msg := fmt.Sprintf("unknown key %q in %s", p, key)
				if ptr == "" {
					msg = fmt.Sprintf("unknown key %q", p)
				}
				add(Lookup(pos, ptr+"/"+escape(p)+"#key"), msg, unknownKeyHint)
			}
			return
		}
		if _, ok := e.ErrorKind.(*kind.FalseSchema); ok && len(e.InstanceLocation) > 0 {
			// unevaluatedProperties: false (or a property schema of false)
			// rejects a key the schema does not know.
			if keyPos, isKey := pos[ptr+"#key"]; isKey {
				name := e.InstanceLocation[len(e.InstanceLocation)-1]
				parent := DottedKey(Pointer(e.InstanceLocation[:len(e.InstanceLocation)-1]))
				add(keyPos, fmt.Sprintf("unknown key %q in %s", name, parent), unknownKeyHint)
				return
			}
		}
		add(Lookup(pos, ptr), key+": "+e.ErrorKind.LocalizedString(printer), "")
	}
	walk(ve)
	SortErrors(errs)
	return errs
}

// SortErrors orders errors by file, line and column.
func SortErrors(errs input.Errors) {
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i].Pos, errs[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Keys renders a list of keys for messages.
func Keys(keys []string) string { return strings.Join(keys, ", ") }

package yamlsrc

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/tracegate/tracegate/internal/input"
)

var printer = message.NewPrinter(language.English)

// Compiler holds an embedded JSON Schema published under url, ready to
// compile it or one of its definitions (url + "#/$defs/name").
func Compiler(url string, data []byte) (*SchemaCompiler, error) { return newCompiler(url, data) }

// Compile compiles an embedded JSON Schema published under url.
func Compile(url string, data []byte) (*Schema, error) {
	c, err := newCompiler(url, data)
	if err != nil {
		return nil, err
	}
	return c.Compile(url)
}

// CompileOnce returns a function that compiles the schema on its first
// call and returns that result ever after: the binary validates with
// exactly the schema embedded from schema/, compiled once per process.
func CompileOnce(url string, data []byte) func() (*Schema, error) {
	return sync.OnceValues(func() (*Schema, error) { return Compile(url, data) })
}

// Validate checks a value produced by Value against sch and returns one
// error per violated leaf of the schema, each at the position of the
// offending value (or of the key, for unknown keys), sorted by position.
// hint is attached to unknown-key errors.
func Validate(sch *Schema, value any, pos map[string]input.Pos, unknownKeyHint string) input.Errors {
	verr := sch.validate(value, make([]string, 0, 8))
	if verr == nil {
		return nil
	}
	var errs input.Errors
	seen := map[string]bool{}
	add := func(p input.Pos, msg, hint string) {
		if k := p.String() + msg; !seen[k] {
			seen[k] = true
			errs = append(errs, &input.Error{Pos: p, Msg: msg, Hint: hint})
		}
	}
	verr.eachLeaf(func(e *schemaError) {
		ptr := Pointer(e.instanceLocation)
		key := DottedKey(ptr)
		if ap, ok := e.kind.(*kind.AdditionalProperties); ok {
			for _, p := range ap.Properties {
				msg := fmt.Sprintf("unknown key %q in %s", p, key)
				if ptr == "" {
					msg = fmt.Sprintf("unknown key %q", p)
				}
				add(Lookup(pos, ptr+"/"+escape(p)+"#key"), msg, unknownKeyHint)
			}
			return
		}
		if _, ok := e.kind.(*kind.FalseSchema); ok && len(e.instanceLocation) > 0 {
			// A property schema of false rejects a key the schema does
			// not know.
			if keyPos, isKey := pos[ptr+"#key"]; isKey {
				name := e.instanceLocation[len(e.instanceLocation)-1]
				parent := DottedKey(Pointer(e.instanceLocation[:len(e.instanceLocation)-1]))
				add(keyPos, fmt.Sprintf("unknown key %q in %s", name, parent), unknownKeyHint)
				return
			}
		}
		add(Lookup(pos, ptr), key+": "+e.kind.LocalizedString(printer), "")
	})
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

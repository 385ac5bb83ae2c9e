package yamlsrc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Schema is a compiled JSON Schema (draft 2020-12) of the keywords
// tracegate's own schemas (schema/*.schema.json) use. tracegate validated
// with github.com/santhosh-tekuri/jsonschema/v6 until its package
// initialisation — it compiles the metaschemas of five drafts at every
// start, 1.7 MB in 21,000 allocations and about 3 ms, whatever the command —
// was measured as a tenth of `soup list`'s CPU as a process. The errors are
// that library's: the same error kinds (its kind package, which
// initialises nothing), at the same instance locations, so the messages are
// the same word for word; TestSchemaMatchesJSONSchemaV6 and
// FuzzSchemaMatchesJSONSchemaV6 compare the two on every schema.
//
// A keyword this compiler does not implement is a compile error, never
// skipped: a schema that grows one fails its tests until it is implemented.
type Schema struct {
	location string

	boolean *bool // a schema written as true or false

	ref *Schema

	types       jsonTypes
	constVal    *any
	enum        []any
	enumTypes   jsonTypes
	minProps    *int
	maxProps    *int
	required    []string
	properties  map[string]*Schema
	patternKeys []patternSchema
	additional  any // nil, bool or *Schema
	minItems    *int
	maxItems    *int
	uniqueItems bool
	items       *Schema
	minLength   *int
	maxLength   *int
	pattern     *regexp.Regexp
	minimum     *big.Rat
	maximum     *big.Rat
	exclMin     *big.Rat
	exclMax     *big.Rat
	multipleOf  *big.Rat
	not         *Schema
	allOf       []*Schema
	anyOf       []*Schema
	oneOf       []*Schema
	ifS         *Schema
	thenS       *Schema
	elseS       *Schema
}

type patternSchema struct {
	re  *regexp.Regexp
	sch *Schema
}

// SchemaCompiler compiles one embedded JSON Schema document and the
// subschemas it names (url + "#/$defs/name").
type SchemaCompiler struct {
	url      string
	doc      any
	compiled map[string]*Schema // by JSON pointer
}

// draft2020 is the only dialect the compiler reads.
const draft2020 = "https://json-schema.org/draft/2020-12/schema"

// newCompiler reads an embedded JSON Schema published under url.
func newCompiler(url string, data []byte) (*SchemaCompiler, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var doc any
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("schema %s: %w", url, err)
	}
	if d.More() {
		return nil, fmt.Errorf("schema %s: text after the document", url)
	}
	root, ok := doc.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema %s: not an object", url)
	}
	if s, _ := root["$schema"].(string); s != draft2020 {
		return nil, fmt.Errorf("schema %s: $schema must be %s", url, draft2020)
	}
	if id, ok := root["$id"].(string); ok && id != url {
		return nil, fmt.Errorf("schema %s: $id is %s", url, id)
	}
	return &SchemaCompiler{url: url, doc: doc, compiled: map[string]*Schema{}}, nil
}

// Compile compiles the schema at url: the document's own URL, or it
// followed by a JSON pointer fragment.
func (c *SchemaCompiler) Compile(url string) (*Schema, error) {
	ptr, ok := strings.CutPrefix(url, c.url)
	if !ok {
		return nil, fmt.Errorf("schema %s: %s is not in it", c.url, url)
	}
	ptr = strings.TrimPrefix(ptr, "#")
	return c.at(ptr)
}

// at compiles the schema at a JSON pointer of the document, once: a
// schema reached again (a $ref, a recursive one) is the same *Schema.
func (c *SchemaCompiler) at(ptr string) (*Schema, error) {
	if s, ok := c.compiled[ptr]; ok {
		return s, nil
	}
	v, err := resolvePointer(c.doc, ptr)
	if err != nil {
		return nil, fmt.Errorf("schema %s#%s: %w", c.url, ptr, err)
	}
	s := &Schema{location: c.url + "#" + ptr}
	c.compiled[ptr] = s
	if err := c.fill(s, v, ptr); err != nil {
		return nil, fmt.Errorf("schema %s#%s: %w", c.url, ptr, err)
	}
	return s, nil
}

func resolvePointer(doc any, ptr string) (any, error) {
	if ptr == "" {
		return doc, nil
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, fmt.Errorf("%q is not a JSON pointer", ptr)
	}
	v := doc
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[tok]
			if !ok {
				return nil, fmt.Errorf("no %q", tok)
			}
			v = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, fmt.Errorf("no item %q", tok)
			}
			v = x[i]
		default:
			return nil, fmt.Errorf("no %q", tok)
		}
	}
	return v, nil
}

// annotations are keywords that assert nothing in draft 2020-12 (format
// asserts only under the format-assertion vocabulary, which tracegate's
// schemas do not declare).
var annotations = map[string]bool{
	"$schema": true, "$id": true, "$comment": true, "$defs": true, "title": true, "description": true,
	"default": true, "examples": true, "deprecated": true, "readOnly": true, "writeOnly": true, "format": true,
}

func (c *SchemaCompiler) fill(s *Schema, v any, ptr string) error {
	if b, ok := v.(bool); ok {
		s.boolean = &b
		return nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("a schema is an object or a boolean")
	}
	if ptr != "" {
		if _, ok := obj["$id"]; ok {
			return fmt.Errorf("$id below the root is not supported")
		}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	sub := func(k string) (*Schema, error) { return c.at(ptr + "/" + escape(k)) }
	subs := func(k string) ([]*Schema, error) {
		arr, ok := obj[k].([]any)
		if !ok || len(arr) == 0 {
			return nil, fmt.Errorf("%s must be a non-empty array", k)
		}
		out := make([]*Schema, len(arr))
		for i := range arr {
			var err error
			if out[i], err = c.at(ptr + "/" + k + "/" + strconv.Itoa(i)); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	var err error
	for _, k := range keys {
		val := obj[k]
		switch k {
		case "$ref":
			ref, _ := val.(string)
			target, ok := strings.CutPrefix(ref, "#")
			if !ok {
				if target, ok = strings.CutPrefix(ref, c.url+"#"); !ok {
					return fmt.Errorf("$ref %q: only references within the document are supported", ref)
				}
			}
			s.ref, err = c.at(target)
		case "type":
			s.types, err = typesOf(val)
		case "const":
			cv := val
			s.constVal = &cv
		case "enum":
			arr, ok := val.([]any)
			if !ok {
				return fmt.Errorf("enum must be an array")
			}
			s.enum = arr
			for _, item := range arr {
				s.enumTypes |= typeOf(item)
			}
		case "minProperties":
			s.minProps, err = nonNegative(k, val)
		case "maxProperties":
			s.maxProps, err = nonNegative(k, val)
		case "required":
			arr, ok := val.([]any)
			if !ok {
				return fmt.Errorf("required must be an array")
			}
			for _, r := range arr {
				name, ok := r.(string)
				if !ok {
					return fmt.Errorf("required must list strings")
				}
				s.required = append(s.required, name)
			}
		case "properties":
			props, ok := val.(map[string]any)
			if !ok {
				return fmt.Errorf("properties must be an object")
			}
			s.properties = make(map[string]*Schema, len(props))
			for name := range props {
				if s.properties[name], err = c.at(ptr + "/properties/" + escape(name)); err != nil {
					return err
				}
			}
		case "patternProperties":
			props, ok := val.(map[string]any)
			if !ok {
				return fmt.Errorf("patternProperties must be an object")
			}
			for _, pat := range sortedKeys(props) {
				re, err := regexp.Compile(pat)
				if err != nil {
					return fmt.Errorf("patternProperties %q: %w", pat, err)
				}
				sch, err := c.at(ptr + "/patternProperties/" + escape(pat))
				if err != nil {
					return err
				}
				s.patternKeys = append(s.patternKeys, patternSchema{re, sch})
			}
		case "additionalProperties":
			if b, ok := val.(bool); ok {
				s.additional = b
			} else {
				s.additional, err = sub(k)
			}
		case "minItems":
			s.minItems, err = nonNegative(k, val)
		case "maxItems":
			s.maxItems, err = nonNegative(k, val)
		case "uniqueItems":
			b, ok := val.(bool)
			if !ok {
				return fmt.Errorf("uniqueItems must be a boolean")
			}
			s.uniqueItems = b
		case "items":
			if _, isArr := val.([]any); isArr {
				return fmt.Errorf("items as an array is draft 2019 (prefixItems in 2020-12): not supported")
			}
			s.items, err = sub(k)
		case "minLength":
			s.minLength, err = nonNegative(k, val)
		case "maxLength":
			s.maxLength, err = nonNegative(k, val)
		case "pattern":
			pat, ok := val.(string)
			if !ok {
				return fmt.Errorf("pattern must be a string")
			}
			s.pattern, err = regexp.Compile(pat)
		case "minimum":
			s.minimum, err = number(k, val)
		case "maximum":
			s.maximum, err = number(k, val)
		case "exclusiveMinimum":
			s.exclMin, err = number(k, val)
		case "exclusiveMaximum":
			s.exclMax, err = number(k, val)
		case "multipleOf":
			s.multipleOf, err = number(k, val)
		case "not":
			s.not, err = sub(k)
		case "allOf":
			s.allOf, err = subs(k)
		case "anyOf":
			s.anyOf, err = subs(k)
		case "oneOf":
			s.oneOf, err = subs(k)
		case "if":
			s.ifS, err = sub(k)
		case "then":
			s.thenS, err = sub(k)
		case "else":
			s.elseS, err = sub(k)
		default:
			if !annotations[k] {
				return fmt.Errorf("keyword %q is not supported by tracegate's schema compiler", k)
			}
		}
		if err != nil {
			return err
		}
	}
	if s.ifS == nil {
		// Without if, then and else are ignored, as the specification says.
		s.thenS, s.elseS = nil, nil
	}
	return nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func typesOf(v any) (jsonTypes, error) {
	var t jsonTypes
	add := func(x any) error {
		name, _ := x.(string)
		jt := typeFromString(name)
		if jt == invalidType {
			return fmt.Errorf("unknown type %v", x)
		}
		t |= jt
		return nil
	}
	switch v := v.(type) {
	case string:
		return t, add(v)
	case []any:
		for _, x := range v {
			if err := add(x); err != nil {
				return 0, err
			}
		}
		return t, nil
	}
	return 0, fmt.Errorf("type must be a string or an array")
}

func number(k string, v any) (*big.Rat, error) {
	if n, ok := v.(json.Number); ok {
		if r, ok := new(big.Rat).SetString(n.String()); ok {
			return r, nil
		}
	}
	return nil, fmt.Errorf("%s must be a number", k)
}

func nonNegative(k string, v any) (*int, error) {
	if n, ok := v.(json.Number); ok {
		if i, err := strconv.Atoi(n.String()); err == nil && i >= 0 {
			return &i, nil
		}
	}
	return nil, fmt.Errorf("%s must be a non-negative integer", k)
}

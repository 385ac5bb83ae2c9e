package yamlsrc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/tracegate/tracegate/schema"
)

// The validator is compared with github.com/santhosh-tekuri/jsonschema/v6,
// which tracegate validated with before (and which the published schemas
// are written for): on every schema, the same values are valid, and an
// invalid one gets the same violations — the same error kinds with the
// same messages at the same instance locations.

type schemaUnderTest struct {
	name, url string
	data      []byte
	ptr       string // a definition compiled on its own, "" for the root
}

var schemasUnderTest = []schemaUnderTest{
	{"policy", "https://github.com/tracegate/tracegate/schema/tracegate.schema.json", schema.Policy, ""},
	{"requirements", "https://github.com/tracegate/tracegate/schema/requirements.schema.json", schema.Requirements, ""},
	{"requirement", "https://github.com/tracegate/tracegate/schema/requirements.schema.json", schema.Requirements, "/$defs/requirement"},
	{"risk", "https://github.com/tracegate/tracegate/schema/risk.schema.json", schema.Risk, ""},
	{"soup", "https://github.com/tracegate/tracegate/schema/soup.schema.json", schema.SOUP, ""},
	{"record", "https://github.com/tracegate/tracegate/schema/record.schema.json", schema.Record, ""},
	{"result", "https://github.com/tracegate/tracegate/schema/result.schema.json", schema.Result, ""},
}

type pairOfSchemas struct {
	under schemaUnderTest
	ours  *Schema
	v6    *jsonschema.Schema
	raw   any // the schema document, for generating values
}

func compileBoth(t testing.TB) []pairOfSchemas {
	t.Helper()
	var out []pairOfSchemas
	for _, s := range schemasUnderTest {
		url := s.url
		if s.ptr != "" {
			url += "#" + s.ptr
		}
		c, err := Compiler(s.url, s.data)
		if err != nil {
			t.Fatal(err)
		}
		ours, err := c.Compile(url)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(s.data))
		if err != nil {
			t.Fatal(err)
		}
		jc := jsonschema.NewCompiler()
		if err := jc.AddResource(s.url, doc); err != nil {
			t.Fatal(err)
		}
		v6, err := jc.Compile(url)
		if err != nil {
			t.Fatalf("%s: jsonschema/v6: %v", s.name, err)
		}
		raw := decodeNumbers(t, s.data)
		out = append(out, pairOfSchemas{s, ours, v6, raw})
	}
	return out
}

func decodeNumbers(t testing.TB, data []byte) any {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// violations are the leaves of an error tree as sorted "location: message"
// lines (the unknown keys of one object sorted: jsonschema/v6 lists them
// in map order).
func oursViolations(e *schemaError) []string {
	var out []string
	if e != nil {
		e.eachLeaf(func(e *schemaError) { out = append(out, violation(e.instanceLocation, e.kind)) })
	}
	sort.Strings(out)
	return out
}

func v6Violations(err error) []string {
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []string{"not a validation error: " + err.Error()}
	}
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		out = append(out, violation(e.InstanceLocation, e.ErrorKind))
	}
	walk(ve)
	sort.Strings(out)
	return out
}

func violation(loc []string, k errorKind) string {
	if ap, ok := k.(*kind.AdditionalProperties); ok {
		props := append([]string(nil), ap.Properties...)
		sort.Strings(props)
		k = &kind.AdditionalProperties{Properties: props}
	}
	return fmt.Sprintf("%s %T: %s", Pointer(loc), k, k.LocalizedString(printer))
}

func compareOn(t *testing.T, p pairOfSchemas, v any) {
	t.Helper()
	ours := oursViolations(p.ours.validate(v, make([]string, 0, 8)))
	theirs := v6Violations(p.v6.Validate(v))
	if !reflect.DeepEqual(ours, theirs) {
		js, _ := json.Marshal(v)
		t.Fatalf("%s: %s\nours:\n  %s\njsonschema/v6:\n  %s", p.under.name, js, strings.Join(ours, "\n  "), strings.Join(theirs, "\n  "))
	}
}

// repoValues are the YAML documents of the repository's test data, the
// scaffold's templates and the sample, as Value makes them.
func repoValues(t testing.TB) []any {
	t.Helper()
	repo := os.DirFS("../..")
	var out []any
	for _, pattern := range []string{"testdata/policies/*.yml", "testdata/formats/*/*.yml", "testdata/formats/*/*/*.yml",
		"testdata/formats/*/*/*.yaml", "testdata/formats/*/*/*/*/*/*.yml", "internal/scaffold/templates/*.yml", "testdata/*/*/.github/*.yml"} {
		files, _ := fs.Glob(repo, pattern)
		for _, p := range files {
			data, err := fs.ReadFile(repo, p)
			if err != nil {
				t.Fatal(err)
			}
			docs, err := Documents(p, data)
			if err != nil {
				continue
			}
			for _, d := range docs {
				if v, _, err := Value(p, d); err == nil && v != nil {
					out = append(out, v)
				}
			}
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d documents found", len(out))
	}
	return out
}

func TestSchemaMatchesJSONSchemaV6(t *testing.T) {
	pairs := compileBoth(t)
	values := repoValues(t)
	rng := rand.New(rand.NewPCG(1, 2))
	valid := map[string]int{}
	for _, p := range pairs {
		for _, v := range values {
			compareOn(t, p, v)
			for range 20 {
				compareOn(t, p, mutate(rng, v, 3))
			}
		}
		for range 300 {
			v := generate(rng, p.raw, p.raw, 0)
			if p.ours.validate(v, nil) == nil {
				valid[p.under.name]++
			}
			compareOn(t, p, v)
			for range 5 {
				compareOn(t, p, mutate(rng, v, 2))
			}
		}
	}
	// The generated values reach the valid side of each schema the
	// readers use, not only its errors (a result document has too many
	// patterned fields for a random one to be valid).
	for _, p := range pairs {
		if valid[p.under.name] == 0 && p.under.name != "result" {
			t.Errorf("%s: no generated value is valid", p.under.name)
		}
	}
}

// FuzzSchemaMatchesJSONSchemaV6 compares the two on values generated from
// the schemas and mutated, as the fuzzer's input seeds them.
func FuzzSchemaMatchesJSONSchemaV6(f *testing.F) {
	pairs := compileBoth(f)
	for i := range 20 {
		f.Add(uint64(i), uint8(i%len(schemasUnderTest)), uint8(i%4))
	}
	f.Fuzz(func(t *testing.T, seed uint64, which, mutations uint8) {
		p := pairs[int(which)%len(pairs)]
		rng := rand.New(rand.NewPCG(seed, uint64(which)))
		v := generate(rng, p.raw, p.raw, 0)
		compareOn(t, p, mutate(rng, v, int(mutations%8)))
	})
}

// generate makes a value for a schema node, mostly as the schema asks
// (required keys, an enum's values, the types it allows), sometimes not.
func generate(rng *rand.Rand, root, node any, depth int) any {
	if depth > 12 {
		return "deep"
	}
	obj, ok := node.(map[string]any)
	if !ok {
		return randomScalar(rng)
	}
	if ref, ok := obj["$ref"].(string); ok && rng.IntN(10) > 0 {
		ptr := ref[strings.Index(ref, "#")+1:]
		target, err := resolvePointer(root, ptr)
		if err == nil {
			return generate(rng, root, target, depth+1)
		}
	}
	if c, ok := obj["const"]; ok && rng.IntN(8) > 0 {
		return fromJSON(c)
	}
	if e, ok := obj["enum"].([]any); ok && len(e) > 0 && rng.IntN(8) > 0 {
		return fromJSON(e[rng.IntN(len(e))])
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		if alts, ok := obj[k].([]any); ok && len(alts) > 0 && rng.IntN(6) > 0 {
			return generate(rng, root, alts[rng.IntN(len(alts))], depth+1)
		}
	}
	if _, ok := obj["if"]; ok && obj["type"] == nil && rng.IntN(6) > 0 {
		branch := obj["then"]
		if rng.IntN(2) == 0 && obj["else"] != nil {
			branch = obj["else"]
		}
		if branch != nil {
			return generate(rng, root, branch, depth+1)
		}
	}
	typ := ""
	switch t := obj["type"].(type) {
	case string:
		typ = t
	case []any:
		typ, _ = t[rng.IntN(len(t))].(string)
	}
	if typ == "" {
		switch {
		case obj["properties"] != nil || obj["patternProperties"] != nil || obj["additionalProperties"] != nil:
			typ = "object"
		case obj["items"] != nil:
			typ = "array"
		}
	}
	switch typ {
	case "object":
		m := map[string]any{}
		required := map[string]bool{}
		if r, ok := obj["required"].([]any); ok {
			for _, x := range r {
				if s, ok := x.(string); ok {
					required[s] = true
				}
			}
		}
		if props, ok := obj["properties"].(map[string]any); ok {
			for _, name := range sortedKeys(props) {
				if required[name] || rng.IntN(3) == 0 {
					m[name] = generate(rng, root, props[name], depth+1)
				}
			}
		}
		if pp, ok := obj["patternProperties"].(map[string]any); ok && rng.IntN(2) == 0 {
			for _, pat := range sortedKeys(pp) {
				m[patternKey(rng, pat)] = generate(rng, root, pp[pat], depth+1)
			}
		}
		if ap, ok := obj["additionalProperties"].(map[string]any); ok && rng.IntN(2) == 0 {
			m[fmt.Sprintf("key%d", rng.IntN(3))] = generate(rng, root, ap, depth+1)
		}
		return m
	case "array":
		n := rng.IntN(4)
		arr := make([]any, 0, n)
		for range n {
			arr = append(arr, generate(rng, root, obj["items"], depth+1))
		}
		return arr
	case "string":
		return randomString(rng)
	case "integer":
		return float64(rng.IntN(7) - 2)
	case "number":
		return []float64{-1, 0, 0.5, 1, 3, 100.25}[rng.IntN(6)]
	case "boolean":
		return rng.IntN(2) == 0
	case "null":
		return nil
	}
	return randomScalar(rng)
}

func patternKey(rng *rand.Rand, pat string) string {
	for _, k := range []string{"a", "x1", "pypi", "npm", "go", "github.com/a/b", "A", "1", "pkg:npm/a", "_"} {
		if ok, _ := regexp.MatchString(pat, k); ok && rng.IntN(3) > 0 {
			return k
		}
	}
	return randomString(rng)
}

func fromJSON(v any) any {
	switch v := v.(type) {
	case json.Number:
		f, _ := v.Float64()
		return f
	case []any:
		out := make([]any, len(v))
		for i := range v {
			out[i] = fromJSON(v[i])
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = fromJSON(x)
		}
		return out
	}
	return v
}

var sampleStrings = []string{"", "a", "abc", "REQ-1", "HAZ-1", "SRS-001", "1.2.3", "v1.0.0", "**/*.yml", "docs/x.md",
	"https://example.com", "MIT", "pypi", "npm", "golang", "high", "low", "pass", "fail", "x y", "é", "a/b", "2026-01-01", "*"}

func randomString(rng *rand.Rand) string { return sampleStrings[rng.IntN(len(sampleStrings))] }

func randomScalar(rng *rand.Rand) any {
	switch rng.IntN(7) {
	case 0:
		return nil
	case 1:
		return rng.IntN(2) == 0
	case 2:
		return float64(rng.IntN(5) - 1)
	case 3:
		return 2.5
	case 4:
		return []any{randomString(rng)}
	case 5:
		return map[string]any{randomString(rng): randomString(rng)}
	}
	return randomString(rng)
}

// mutate returns a copy of v with n random changes: a node replaced, a key
// removed or added, an item duplicated.
func mutate(rng *rand.Rand, v any, n int) any {
	v = deepCopy(v)
	for range n {
		v = mutateOnce(rng, v)
	}
	return v
}

func mutateOnce(rng *rand.Rand, v any) any {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		switch r := rng.IntN(6); {
		case r == 0 || len(keys) == 0:
			x[randomString(rng)+"_x"] = randomScalar(rng)
		case r == 1:
			delete(x, keys[rng.IntN(len(keys))])
		case r == 2:
			return randomScalar(rng)
		default:
			k := keys[rng.IntN(len(keys))]
			x[k] = mutateOnce(rng, x[k])
		}
		return x
	case []any:
		switch r := rng.IntN(5); {
		case r == 0 && len(x) > 0:
			return append(x, deepCopy(x[rng.IntN(len(x))]))
		case r == 1:
			return randomScalar(rng)
		case r == 2:
			return append(x, randomScalar(rng))
		case len(x) > 0:
			i := rng.IntN(len(x))
			x[i] = mutateOnce(rng, x[i])
		}
		return x
	}
	return randomScalar(rng)
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = deepCopy(x[i])
		}
		return out
	}
	return v
}

// The compiler refuses what it does not implement, so that no keyword of
// a schema is skipped in silence.
func TestSchemaCompilerRefusesUnknownKeywords(t *testing.T) {
	for _, doc := range []string{
		`{"$schema": "https://json-schema.org/draft/2020-12/schema", "unevaluatedProperties": false}`,
		`{"$schema": "https://json-schema.org/draft/2020-12/schema", "properties": {"a": {"prefixItems": [true]}}}`,
		`{"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "https://example.com/other.json"}`,
		`{"$schema": "https://json-schema.org/draft/2019-09/schema"}`,
		`{"$schema": "https://json-schema.org/draft/2020-12/schema", "items": [true]}`,
		`{"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": {"a": {"dependentRequired": {}}}, "$ref": "#/$defs/a"}`,
	} {
		if _, err := Compile("https://example.com/s.json", []byte(doc)); err == nil {
			t.Errorf("compiled %s", doc)
		}
	}
	// A keyword tracegate's schemas use is compiled.
	if _, err := Compile("https://example.com/s.json", []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["a"]}`)); err != nil {
		t.Error(err)
	}
}

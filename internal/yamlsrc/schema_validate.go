package yamlsrc

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/message"
)

// schemaError is one violation: the error kind of jsonschema/v6 (whose
// LocalizedString is the message), where in the value it is, and the
// violations it stands for (a $ref, oneOf, allOf, anyOf or a group of
// several keywords). Only the leaves are reported.
type schemaError struct {
	instanceLocation []string
	kind             errorKind
	causes           []*schemaError
}

// eachLeaf calls visit with every error of the tree that has no causes:
// the violations themselves, in the tree's order.
func (e *schemaError) eachLeaf(visit func(*schemaError)) {
	if len(e.causes) == 0 {
		visit(e)
		return
	}
	for _, c := range e.causes {
		c.eachLeaf(visit)
	}
}

type errorKind interface {
	LocalizedString(*message.Printer) string
}

// validate checks v against s as jsonschema/v6 does (validator.go of
// v6.0.3): the keywords in its order, the same early returns after type,
// const and enum, the same error kinds at the same instance locations.
// nil means valid.
func (s *Schema) validate(v any, vloc []string) *schemaError {
	if s.boolean != nil {
		if *s.boolean {
			return nil
		}
		return newSchemaError(vloc, &kind.FalseSchema{})
	}
	t := typeOf(v)
	if t == invalidType {
		return newSchemaError(vloc, &kind.InvalidJsonValue{Value: v})
	}
	if s.types != 0 {
		if !(s.types&t != 0 || (s.types&integerType != 0 && t == numberType && isInteger(v))) {
			return newSchemaError(vloc, &kind.Type{Got: t.String(), Want: s.types.strings()})
		}
	}
	if s.constVal != nil {
		ok, k := equals(v, *s.constVal)
		if k != nil {
			return newSchemaError(vloc, k)
		} else if !ok {
			return newSchemaError(vloc, &kind.Const{Got: v, Want: *s.constVal})
		}
	}
	if s.enum != nil {
		matched := false
		if s.enumTypes&t != 0 {
			for _, item := range s.enum {
				ok, k := equals(v, item)
				if k != nil {
					return newSchemaError(vloc, k)
				} else if ok {
					matched = true
					break
				}
			}
		}
		if !matched {
			return newSchemaError(vloc, &kind.Enum{Got: v, Want: s.enum})
		}
	}
	var errs []*schemaError
	add := func(e *schemaError) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	if s.ref != nil {
		if e := s.ref.validate(v, vloc); e != nil {
			refErr := newSchemaError(vloc, &kind.Reference{Keyword: "$ref", URL: s.ref.location})
			if _, group := e.kind.(*kind.Group); group {
				refErr.causes = e.causes
			} else {
				refErr.causes = []*schemaError{e}
			}
			add(refErr)
		}
	}
	switch v := v.(type) {
	case map[string]any:
		s.validateObject(v, vloc, add)
	case []any:
		s.validateArray(v, vloc, add)
	case string:
		s.validateString(v, vloc, add)
	case float64:
		s.validateNumber(v, vloc, add)
	}
	s.validateConditions(v, vloc, add)
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return &schemaError{instanceLocation: clone(vloc), kind: &kind.Group{}, causes: errs}
}

func newSchemaError(vloc []string, k errorKind) *schemaError {
	return &schemaError{instanceLocation: clone(vloc), kind: k}
}

func clone(vloc []string) []string { return append([]string(nil), vloc...) }

// child is the instance location of a member or item.
func child(vloc []string, tok string) []string {
	return append(vloc[:len(vloc):len(vloc)], tok)
}

func (s *Schema) validateObject(obj map[string]any, vloc []string, add func(*schemaError)) {
	if s.minProps != nil && len(obj) < *s.minProps {
		add(newSchemaError(vloc, &kind.MinProperties{Got: len(obj), Want: *s.minProps}))
	}
	if s.maxProps != nil && len(obj) > *s.maxProps {
		add(newSchemaError(vloc, &kind.MaxProperties{Got: len(obj), Want: *s.maxProps}))
	}
	if len(s.required) > 0 {
		var missing []string
		for _, name := range s.required {
			if _, ok := obj[name]; !ok {
				missing = append(missing, name)
			}
		}
		if missing != nil {
			add(newSchemaError(vloc, &kind.Required{Missing: missing}))
		}
	}
	// jsonschema/v6 visits the members in the map's (random) order; in
	// name order the errors are the same, in a repeatable order.
	names := make([]string, 0, len(obj))
	for name := range obj {
		names = append(names, name)
	}
	sort.Strings(names)
	var unknown []string
	for _, name := range names {
		val := obj[name]
		evaluated := false
		if sch, ok := s.properties[name]; ok {
			evaluated = true
			add(sch.validate(val, child(vloc, name)))
		}
		for _, p := range s.patternKeys {
			if p.re.MatchString(name) {
				evaluated = true
				add(p.sch.validate(val, child(vloc, name)))
			}
		}
		if !evaluated && s.additional != nil {
			switch a := s.additional.(type) {
			case bool:
				if !a {
					unknown = append(unknown, name)
				}
			case *Schema:
				add(a.validate(val, child(vloc, name)))
			}
		}
	}
	if len(unknown) > 0 {
		add(newSchemaError(vloc, &kind.AdditionalProperties{Properties: unknown}))
	}
}

func (s *Schema) validateArray(arr []any, vloc []string, add func(*schemaError)) {
	if s.minItems != nil && len(arr) < *s.minItems {
		add(newSchemaError(vloc, &kind.MinItems{Got: len(arr), Want: *s.minItems}))
	}
	if s.maxItems != nil && len(arr) > *s.maxItems {
		add(newSchemaError(vloc, &kind.MaxItems{Got: len(arr), Want: *s.maxItems}))
	}
	if s.uniqueItems && len(arr) > 1 {
		i, j, k := duplicates(arr)
		if k != nil {
			add(newSchemaError(vloc, k))
		} else if i != -1 {
			add(newSchemaError(vloc, &kind.UniqueItems{Duplicates: [2]int{i, j}}))
		}
	}
	if s.items != nil {
		for i, item := range arr {
			add(s.items.validate(item, child(vloc, strconv.Itoa(i))))
		}
	}
}

func (s *Schema) validateString(str string, vloc []string, add func(*schemaError)) {
	n := -1
	if s.minLength != nil || s.maxLength != nil {
		n = utf8.RuneCountInString(str)
	}
	if s.minLength != nil && n < *s.minLength {
		add(newSchemaError(vloc, &kind.MinLength{Got: n, Want: *s.minLength}))
	}
	if s.maxLength != nil && n > *s.maxLength {
		add(newSchemaError(vloc, &kind.MaxLength{Got: n, Want: *s.maxLength}))
	}
	if s.pattern != nil && !s.pattern.MatchString(str) {
		add(newSchemaError(vloc, &kind.Pattern{Got: str, Want: s.pattern.String()}))
	}
}

func (s *Schema) validateNumber(f float64, vloc []string, add func(*schemaError)) {
	var r *big.Rat
	num := func() *big.Rat {
		if r == nil {
			r, _ = new(big.Rat).SetString(fmt.Sprintf("%v", f))
		}
		return r
	}
	if s.minimum != nil && num().Cmp(s.minimum) < 0 {
		add(newSchemaError(vloc, &kind.Minimum{Got: num(), Want: s.minimum}))
	}
	if s.maximum != nil && num().Cmp(s.maximum) > 0 {
		add(newSchemaError(vloc, &kind.Maximum{Got: num(), Want: s.maximum}))
	}
	if s.exclMin != nil && num().Cmp(s.exclMin) <= 0 {
		add(newSchemaError(vloc, &kind.ExclusiveMinimum{Got: num(), Want: s.exclMin}))
	}
	if s.exclMax != nil && num().Cmp(s.exclMax) >= 0 {
		add(newSchemaError(vloc, &kind.ExclusiveMaximum{Got: num(), Want: s.exclMax}))
	}
	if s.multipleOf != nil {
		if q := new(big.Rat).Quo(num(), s.multipleOf); !q.IsInt() {
			add(newSchemaError(vloc, &kind.MultipleOf{Got: num(), Want: s.multipleOf}))
		}
	}
}

func (s *Schema) validateConditions(v any, vloc []string, add func(*schemaError)) {
	if s.not != nil && s.not.validate(v, vloc) == nil {
		add(newSchemaError(vloc, &kind.Not{}))
	}
	if len(s.allOf) > 0 {
		var errs []*schemaError
		for _, sch := range s.allOf {
			if e := sch.validate(v, vloc); e != nil {
				errs = append(errs, e)
			}
		}
		if len(errs) > 0 {
			add(&schemaError{instanceLocation: clone(vloc), kind: &kind.AllOf{}, causes: errs})
		}
	}
	if len(s.anyOf) > 0 {
		var errs []*schemaError
		matched := false
		for _, sch := range s.anyOf {
			if e := sch.validate(v, vloc); e != nil {
				errs = append(errs, e)
			} else {
				matched = true
				break
			}
		}
		if !matched {
			add(&schemaError{instanceLocation: clone(vloc), kind: &kind.AnyOf{}, causes: errs})
		}
	}
	if len(s.oneOf) > 0 {
		matched := -1
		var errs []*schemaError
		for i, sch := range s.oneOf {
			if e := sch.validate(v, vloc); e != nil {
				if matched == -1 {
					errs = append(errs, e)
				}
			} else if matched == -1 {
				matched = i
			} else {
				add(newSchemaError(vloc, &kind.OneOf{Subschemas: []int{matched, i}}))
				break
			}
		}
		if matched == -1 {
			add(&schemaError{instanceLocation: clone(vloc), kind: &kind.OneOf{}, causes: errs})
		}
	}
	if s.ifS != nil {
		if s.ifS.validate(v, vloc) == nil {
			if s.thenS != nil {
				add(s.thenS.validate(v, vloc))
			}
		} else if s.elseS != nil {
			add(s.elseS.validate(v, vloc))
		}
	}
}

// JSON value types, as jsonschema/v6 orders them in messages.
type jsonTypes int

const (
	invalidType jsonTypes = 0
	nullType    jsonTypes = 1 << iota
	booleanType
	numberType
	integerType
	stringType
	arrayType
	objectType
)

var typeNames = []struct {
	t    jsonTypes
	name string
}{
	{nullType, "null"}, {booleanType, "boolean"}, {numberType, "number"}, {integerType, "integer"},
	{stringType, "string"}, {arrayType, "array"}, {objectType, "object"},
}

func typeFromString(s string) jsonTypes {
	for _, tn := range typeNames {
		if tn.name == s {
			return tn.t
		}
	}
	return invalidType
}

func (t jsonTypes) String() string {
	for _, tn := range typeNames {
		if tn.t == t {
			return tn.name
		}
	}
	return ""
}

func (t jsonTypes) strings() []string {
	var out []string
	for _, tn := range typeNames {
		if t&tn.t != 0 {
			out = append(out, tn.name)
		}
	}
	return out
}

// typeOf is the JSON type of a value made by Value (float64 for numbers)
// or read from a schema (json.Number).
func typeOf(v any) jsonTypes {
	switch v := v.(type) {
	case nil:
		return nullType
	case bool:
		return booleanType
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return invalidType
		}
		return numberType
	case json.Number:
		return numberType
	case string:
		return stringType
	case []any:
		return arrayType
	case map[string]any:
		return objectType
	}
	return invalidType
}

func isInteger(num any) bool {
	r, ok := new(big.Rat).SetString(fmt.Sprint(num))
	return ok && r.IsInt()
}

func equals(v1, v2 any) (bool, errorKind) {
	switch v1 := v1.(type) {
	case map[string]any:
		v2, ok := v2.(map[string]any)
		if !ok || len(v1) != len(v2) {
			return false, nil
		}
		for k, val1 := range v1 {
			val2, ok := v2[k]
			if !ok {
				return false, nil
			}
			if ok, k := equals(val1, val2); !ok || k != nil {
				return ok, k
			}
		}
		return true, nil
	case []any:
		v2, ok := v2.([]any)
		if !ok || len(v1) != len(v2) {
			return false, nil
		}
		for i := range v1 {
			if ok, k := equals(v1[i], v2[i]); !ok || k != nil {
				return ok, k
			}
		}
		return true, nil
	case nil:
		return v2 == nil, nil
	case bool:
		v2, ok := v2.(bool)
		return ok && v1 == v2, nil
	case string:
		v2, ok := v2.(string)
		return ok && v1 == v2, nil
	case float64, json.Number:
		if typeOf(v2) != numberType {
			return false, nil
		}
		n1, ok1 := new(big.Rat).SetString(fmt.Sprint(v1))
		n2, ok2 := new(big.Rat).SetString(fmt.Sprint(v2))
		return ok1 && ok2 && n1.Cmp(n2) == 0, nil
	}
	return false, &kind.InvalidJsonValue{Value: v1}
}

// duplicates finds the first item equal to an earlier one: the pair
// (earlier, later) with the smallest later index, as jsonschema/v6 reports
// it. Items are grouped by a key that equal values share, so that a long
// list costs one pass.
func duplicates(arr []any) (int, int, errorKind) {
	first := map[string][]int{}
	for i, item := range arr {
		key, k := equalityKey(item)
		if k != nil {
			return 0, i, k
		}
		for _, j := range first[key] {
			if ok, k := equals(item, arr[j]); ok || k != nil {
				return j, i, k
			}
		}
		first[key] = append(first[key], i)
	}
	return -1, -1, nil
}

// equalityKey is the same for values that equals holds equal.
func equalityKey(v any) (string, errorKind) {
	var b strings.Builder
	var write func(v any) errorKind
	write = func(v any) errorKind {
		switch v := v.(type) {
		case map[string]any:
			b.WriteString("{")
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				b.WriteString(strconv.Quote(k))
				if e := write(v[k]); e != nil {
					return e
				}
			}
			b.WriteString("}")
		case []any:
			b.WriteString("[")
			for _, x := range v {
				if e := write(x); e != nil {
					return e
				}
			}
			b.WriteString("]")
		case nil:
			b.WriteString("n")
		case bool:
			b.WriteString(strconv.FormatBool(v))
		case string:
			b.WriteString(strconv.Quote(v))
		case float64, json.Number:
			r, ok := new(big.Rat).SetString(fmt.Sprint(v))
			if !ok {
				b.WriteString("#?")
			} else {
				b.WriteString("#" + r.String())
			}
		default:
			return &kind.InvalidJsonValue{Value: v}
		}
		return nil
	}
	k := write(v)
	return b.String(), k
}

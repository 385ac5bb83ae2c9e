package report

import (
	"bytes"
	"reflect"
	"testing"
)

// ptrMarshaler marshals itself only through a pointer: encoding/json
// encodes a value of it field by field.
type ptrMarshaler struct{ N int }

func (p *ptrMarshaler) MarshalJSON() ([]byte, error) { return []byte(`"by pointer"`), nil }

type valueMarshaler struct{ N int }

func (v valueMarshaler) MarshalJSON() ([]byte, error) { return []byte(`"by value"`), nil }

// TestWriteJSONLinesEncodesAsJSON: every element of a slice is encoded as
// encoding/json encodes the element's value on its own, whether its type
// marshals itself through a value, only through a pointer (not called:
// a value on its own is not addressable), or not at all; it is passed by
// address only where that encodes the same.
func TestWriteJSONLinesEncodesAsJSON(t *testing.T) {
	type doc struct {
		Ptr   []ptrMarshaler   `json:"ptr"`
		Value []valueMarshaler `json:"value"`
		Plain []struct{ A, B string }
		Refs  []*ptrMarshaler `json:"refs"`
		Empty []int           `json:"empty,omitempty"`
	}
	d := &doc{Ptr: []ptrMarshaler{{1}, {2}}, Value: []valueMarshaler{{3}}, Plain: []struct{ A, B string }{{"a", "<b>"}},
		Refs: []*ptrMarshaler{{4}, nil}}
	var b bytes.Buffer
	if err := WriteJSONLines(&b, d); err != nil {
		t.Fatal(err)
	}
	want := "{\n" + `"ptr": [` + "\n  " + `{"N":1},` + "\n  " + `{"N":2}` + "\n]," +
		"\n" + `"value": [` + "\n  " + `"by value"` + "\n]," +
		"\n" + `"Plain": [` + "\n  " + `{"A":"a","B":"<b>"}` + "\n]," +
		"\n" + `"refs": [` + "\n  " + `"by pointer",` + "\n  null\n]\n}\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if !sameByPointer(reflect.TypeFor[valueMarshaler]()) || sameByPointer(reflect.TypeFor[ptrMarshaler]()) || !sameByPointer(reflect.TypeFor[struct{ A string }]()) {
		t.Error("sameByPointer does not tell which types encode the same by pointer")
	}
}

package requirement

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/tracegate/tracegate/schema"
)

// TestSchemaFieldsAreRead guards the promise of the native formats that a
// key the schema accepts is never dropped: each requirement property of
// schema/requirements.schema.json, and each file-level default, must change
// what is read.
func TestSchemaFieldsAreRead(t *testing.T) {
	var doc struct {
		Defs map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(schema.Requirements, &doc); err != nil {
		t.Fatal(err)
	}
	// Values the reader accepts for the keys that take only some; any
	// other key takes text.
	valid := map[string]string{"class": "B", "verification": "analysis", "derived": "true", "requirements": "[{id: SRS-1}]"}
	value := func(k string) string {
		if v, ok := valid[k]; ok {
			return v
		}
		return "x"
	}
	read := func(t *testing.T, content string) any {
		t.Helper()
		items, err := Tracegate{}.Read(mapFS("r.yml", content), "r.yml")
		if err != nil {
			t.Fatalf("%q: %v", content, err)
		}
		return items.Requirements
	}

	props := doc.Defs["requirement"].Properties
	if len(props) < 12 {
		t.Fatalf("requirement has %d properties in the schema", len(props))
	}
	base := read(t, "id: SRS-1\n")
	for k := range props {
		if k == "id" {
			continue
		}
		if got := read(t, "id: SRS-1\n"+k+": "+value(k)+"\n"); reflect.DeepEqual(got, base) {
			t.Errorf("requirement key %q is accepted but not read", k)
		}
	}

	file := doc.Defs["file"].Properties
	base = read(t, "requirements: [{id: SRS-1}]\n")
	for k := range file {
		if k == "requirements" {
			continue
		}
		if got := read(t, "requirements: [{id: SRS-1}]\n"+k+": "+value(k)+"\n"); reflect.DeepEqual(got, base) {
			t.Errorf("file-level key %q is accepted but not read", k)
		}
	}
}

package main

import (
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tracegate/tracegate/internal/yamlsrc/schematest"
	"github.com/tracegate/tracegate/schema"
)

var (
	resultSchema     *jsonschema.Schema
	resultSchemaErr  error
	resultSchemaOnce sync.Once
)

// conforms checks a --format json result against schema/result.schema.json,
// the contract published to machine consumers.
func conforms(t *testing.T, out string) {
	t.Helper()
	resultSchemaOnce.Do(func() {
		resultSchema, resultSchemaErr = schematest.Compile("https://github.com/tracegate/tracegate/schema/result.schema.json", schema.Result)
	})
	if resultSchemaErr != nil {
		t.Fatal(resultSchemaErr)
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("result is not JSON: %v", err)
	}
	if err := resultSchema.Validate(v); err != nil {
		t.Fatalf("result does not conform to schema/result.schema.json: %v", err)
	}
}

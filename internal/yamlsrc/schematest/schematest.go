// Package schematest compiles JSON Schemas with jsonschema/v6, the
// reference validator, for tests that check documents against a schema
// other than tracegate's own (the result schema, OSV's). Only tests import
// it: the binary validates with yamlsrc's own validator and does not link
// jsonschema/v6's package initialisation.
package schematest

import (
	"bytes"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Compile compiles the schema data, known by url.
func Compile(url string, data []byte) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
}

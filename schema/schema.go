// Package schema embeds the JSON Schemas that tracegate publishes for its
// files, so that the binary validates with exactly the schema in the
// repository.
package schema

import _ "embed"

// Policy is the JSON Schema of .github/tracegate.yml.
//
//go:embed tracegate.schema.json
var Policy []byte

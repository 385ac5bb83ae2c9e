package schema

import _ "embed"

// Result is the JSON Schema of the gate result (--format json).
//
//go:embed result.schema.json
var Result []byte

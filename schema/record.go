package schema

import _ "embed"

// Record is the JSON Schema of problem report and change request files.
//
//go:embed record.schema.json
var Record []byte

package schema

import _ "embed"

// Risk is the JSON Schema of tracegate's native risk-analysis YAML.
//
//go:embed risk.schema.json
var Risk []byte

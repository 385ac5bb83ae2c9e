package schema

import _ "embed"

// SOUP is the JSON Schema of tracegate's native SOUP register (soup.yml).
//
//go:embed soup.schema.json
var SOUP []byte

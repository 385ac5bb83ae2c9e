package schema

import _ "embed"

// Requirements is the JSON Schema of native requirement files and of the
// front matter of Markdown requirements.
//
//go:embed requirements.schema.json
var Requirements []byte

package requirement

import (
	"sync"

	"github.com/tracegate/tracegate/internal/yamlsrc"
	"github.com/tracegate/tracegate/schema"
)

// schemaURL is where schema/requirements.schema.json is published.
const schemaURL = "https://github.com/tracegate/tracegate/schema/requirements.schema.json"

// unknownKeyHint is attached to unknown-key errors of the native formats.
const unknownKeyHint = "check the spelling against schema/requirements.schema.json: an unknown key is an error so that a typo never drops a link"

var (
	schemaOnce sync.Once
	// fileSchema validates a whole native document; itemSchema one
	// requirement (the front matter of a Markdown requirement).
	fileSchema, itemSchema *yamlsrc.Schema
	schemaErr              error
)

// schemas compiles the embedded schema once: the binary validates with
// exactly the schema published in the repository.
func schemas() (file, item *yamlsrc.Schema, err error) {
	schemaOnce.Do(func() {
		c, err := yamlsrc.Compiler(schemaURL, schema.Requirements)
		if err != nil {
			schemaErr = err
			return
		}
		if fileSchema, schemaErr = c.Compile(schemaURL); schemaErr != nil {
			return
		}
		itemSchema, schemaErr = c.Compile(schemaURL + "#/$defs/requirement")
	})
	return fileSchema, itemSchema, schemaErr
}

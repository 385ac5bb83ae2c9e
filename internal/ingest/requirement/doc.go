// Package requirement reads software and system requirements. Each file
// format is one ingest.Reader:
//
//   - tracegate: the native YAML of docs/formats.md (schema/requirements.schema.json)
//   - markdown: one requirement per Markdown file, fields in YAML front matter
//   - doorstop: the item files of a Doorstop document tree
//   - rdm: the data/requirements.yml of innolitics/rdm
//   - ketryx: Ketryx's Git-based configuration items (Markdown with itemId, itemType ...)
//   - markdown-table: requirement lists kept as Markdown tables, one row per requirement
//
// Every reader returns requirements with their IDs as written (trimmed),
// trimmed text, de-duplicated lists in file order, lower-cased status and
// type, the file and line of the item, and the reader's name. Duplicate IDs
// are not a reader's business: validation reports them across the whole
// design history file, where they matter.
package requirement

import "github.com/tracegate/tracegate/internal/ingest"

// Readers returns the requirement readers in the order format: auto tries
// them, most specific first: Doorstop is known by its directory, rdm by its
// file name, Ketryx by its front matter keys; the native formats come last
// so that they never claim another tool's file.
func Readers() []ingest.Reader {
	return []ingest.Reader{Doorstop{}, RDM{}, Ketryx{}, Markdown{}, MarkdownTable{}, Tracegate{}}
}

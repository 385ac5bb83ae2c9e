// Package risk reads ISO 14971 risk analyses: hazards with their sequence of
// events, hazardous situation, harm and risk estimates, and the risk control
// measures that reduce them. Each file format is one ingest.Reader:
//
//   - tracegate: the native YAML of docs/formats.md (schema/risk.schema.json)
//   - rdm: the data/risk.yml of innolitics/rdm
//   - csv: a risk register exported from a spreadsheet, one row per hazard
//   - markdown-table: hazard and risk control tables in a Markdown file
//   - ketryx: Ketryx's Risk items kept in Git, one Markdown file each
//
// The readers keep severity and probability as written: only the policy's
// risk matrix gives them meaning, and acceptability is computed from it later
// (package trace), never taken from the file.
package risk

import "github.com/tracegate/tracegate/internal/ingest"

// Readers returns the risk readers in the order format: auto tries them. rdm
// and csv recognise their files by shape (a top-level risks list, a header
// row); Ketryx items by their front matter, before a Markdown file is tried
// as a table; the native format comes last so that it never claims an rdm
// file.
func Readers() []ingest.Reader {
	return []ingest.Reader{RDM{}, CSV{}, Ketryx{}, MarkdownTable{}, Native{}}
}

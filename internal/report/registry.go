// Package report holds what tracegate's documents share: the registry of
// encoders each kind of document keeps, and the neutralisation of untrusted
// text for each medium (Markdown, CSV, HTML, XLSX). The documents are in
// the subpackages, one per kind of value written: resultdoc (a gate result,
// the rule catalog), soupdoc (the SOUP list) and releasedoc (the release
// documents, the traceability matrix, the SBOM diff).
package report

import (
	"fmt"
	"io"
	"strings"
)

// Encoder writes a value of T in one format.
type Encoder[T any] struct {
	// Name is what --format takes; Aliases are other names for it ("md"
	// for "markdown").
	Name    string
	Aliases []string
	// MediaType is the IANA media type of what Write writes, and Ext the
	// file extension without the dot.
	MediaType, Ext string
	Write          func(w io.Writer, v T) error
}

// Registry is the list of encoders of one kind of document: the one place
// that says which formats exist, what --format accepts, and what its help
// and error messages list.
type Registry[T any] struct {
	// What names the document in messages: "a gate result".
	What     string
	Encoders []Encoder[T]
}

// Lookup returns the encoder a format name or alias names.
func (r *Registry[T]) Lookup(name string) (Encoder[T], bool) {
	for _, e := range r.Encoders {
		if e.Name == name {
			return e, true
		}
		for _, a := range e.Aliases {
			if a == name {
				return e, true
			}
		}
	}
	return Encoder[T]{}, false
}

// Get is Lookup with an error that lists the formats.
func (r *Registry[T]) Get(name string) (Encoder[T], error) {
	if e, ok := r.Lookup(name); ok {
		return e, nil
	}
	return Encoder[T]{}, fmt.Errorf("unknown format %q for %s (use %s)", name, r.What, r.Help())
}

// Write writes v in the format name names.
func (r *Registry[T]) Write(w io.Writer, name string, v T) error {
	e, err := r.Get(name)
	if err != nil {
		return err
	}
	return e.Write(w, v)
}

// Names are the formats' names, in the registry's order.
func (r *Registry[T]) Names() []string {
	out := make([]string, len(r.Encoders))
	for i, e := range r.Encoders {
		out[i] = e.Name
	}
	return out
}

// Help lists the formats for help text and messages: "text, json,
// markdown (md), sarif".
func (r *Registry[T]) Help() string {
	parts := make([]string, len(r.Encoders))
	for i, e := range r.Encoders {
		parts[i] = e.Name
		if len(e.Aliases) > 0 {
			parts[i] += " (" + strings.Join(e.Aliases, ", ") + ")"
		}
	}
	return strings.Join(parts, ", ")
}

// Media types of the documents.
const (
	MediaText      = "text/plain; charset=utf-8"
	MediaJSON      = "application/json"
	MediaMarkdown  = "text/markdown; charset=utf-8"
	MediaCSV       = "text/csv; charset=utf-8"
	MediaHTML      = "text/html; charset=utf-8"
	MediaXLSX      = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	MediaSARIF     = "application/sarif+json"
	MediaCycloneDX = "application/vnd.cyclonedx+json"
)

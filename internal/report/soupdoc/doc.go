// Package soupdoc writes the SOUP list (IEC 62304 8.1.2) as the documents
// of the design history file: Markdown, CSV, JSON, HTML, XLSX and a
// CycloneDX BOM carrying the register's fields. Formats is the registry
// that says which formats exist; every document is made from one View, so
// that they cannot disagree.
package soupdoc

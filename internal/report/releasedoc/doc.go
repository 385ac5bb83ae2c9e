// Package releasedoc writes the documents of a release: the evidence
// bundle's HTML report, CSV tables and workbook (ReleaseDocuments), the
// traceability matrix (MatrixFormats) and the comparison of two SBOMs
// (DiffFormats). Each kind has one registry of encoders.
package releasedoc

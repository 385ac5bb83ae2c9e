package model

import "github.com/tracegate/tracegate/internal/input"

// SBOMFormat names an SBOM serialisation: "spdx-json", "cyclonedx-xml"…
// (the constants are internal/ingest/sbom's, which reads them).
type SBOMFormat string

// SBOM is what one SBOM file yielded.
type SBOM struct {
	File   string
	Format SBOMFormat
	// SpecVersion is the specification version the document declares, as
	// the specification writes it: "SPDX-2.2", "1.5" (CycloneDX), "3.0.1".
	SpecVersion string
	// PackagesRead counts every package (SPDX) or component (CycloneDX)
	// element of the document, nested ones included, before the described
	// root is set aside and duplicates are merged. SPDX files and snippets,
	// CycloneDX services and metadata.component are not counted.
	PackagesRead int
	// Roots are the components the document describes (SPDX DESCRIBES,
	// documentDescribes, rootElement; CycloneDX metadata.component): the
	// product itself, set aside from Components. Root is the only one when
	// there is exactly one; documents that describe several (a release of
	// many container images) have Root nil.
	Root  *Component
	Roots []Component
	// Components are the other components, deduplicated (see
	// model.Component.Key) and sorted by name, group, version and purl.
	Components []Component
	// Warnings say what was repaired or skipped, each naming the file.
	Warnings []input.Warning
}

// Package sbom reads software bills of materials into normalised
// components: the raw material of the SOUP list (IEC 62304 8.1.2).
//
// Read takes the format and the specification version from the content
// (Sniff), never from the file name, and hands the document to one decoder
// per format, in the manner of anchore/syft's format decoders:
//
//   - SPDX 2.1–2.3 JSON, tag-value, YAML and RDF/XML through
//     github.com/spdx/tools-golang, and the SPDX JSON inside GitHub's
//     dependency-graph export ({"sbom": {…}});
//   - CycloneDX 1.0–1.7 JSON and XML through
//     github.com/CycloneDX/cyclonedx-go;
//   - SPDX 3.0 JSON-LD through a small reader of the elements the SOUP list
//     needs (see spdx3).
//
// Real SBOMs break the reference libraries: of 42 real files in
// testdata/sbom, tools-golang v0.5.7 panics on one and rejects six. Every
// decoder therefore calls its library first, inside recover, and only when
// the library fails repairs the producer quirks known to cause it and
// tries again; every repair is counted into an input.Warning naming the
// file (and line where the format has lines). What cannot be repaired is an
// *input.Error naming the file and, where known, line and column. Nothing
// is dropped silently.
//
// The rules every format shares are in build: NOASSERTION and NONE mean
// unknown; purls are canonicalised; hash algorithm names normalised; the
// described root (SPDX DESCRIBES, CycloneDX metadata.component) is set
// aside; each component is direct, transitive or unknown by the shortest
// dependency path from the root (unknown when the document has no path to
// it, never guessed); components naming the same package are merged.
package sbom

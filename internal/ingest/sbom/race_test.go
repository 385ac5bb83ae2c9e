//go:build race

package sbom

// raceDetector is set under -race: gordf, the RDF parser under
// tools-golang, writes one error variable from many goroutines without
// synchronisation (rdfloader/parser/parser.go), so the race detector fails
// any test that parses RDF. RDF is tested without -race; fromRDF guards
// against the consequence (see rdfPackageIDs).
const raceDetector = true

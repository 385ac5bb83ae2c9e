// Package osv finds the published anomalies of SOUP items (IEC 62304
// 7.1.3: evaluate the anomaly lists the SOUP's supplier or the community
// publishes) in the OSV database: vulnerabilities, malicious-package
// reports and other advisories that affect the exact version in use.
//
// A Package (from an SBOM component or the SOUP register) is resolved to
// OSV coordinates (ecosystem, name, version) by its PURL or its explicit
// ecosystem; a Source (the osv.dev API Client, or an offline DB of OSV's
// all.zip exports) returns one Result per package. Versions are compared in
// each ecosystem's own ordering (osv-scalibr's semantic package, kept in
// internal/osv/semantic), never as strings or hand-written rules.
//
// Fail closed: a package that cannot be named in OSV terms, whose
// ecosystem or release the database does not cover, or whose lookup did
// not complete, is never reported as free of anomalies. It is NotChecked
// with a reason, or the whole query is an error.
package osv

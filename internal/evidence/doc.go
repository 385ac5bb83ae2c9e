// Package evidence assembles the release evidence bundle of the design
// history file: it runs the release gate through internal/check (keeping
// the facts it judged), renders every document with internal/report,
// copies the evidence the release was judged on (the SBOMs and test
// reports), writes a SHA-256 manifest of every file, zips the whole, and
// attaches it to the GitHub release.
//
// The bundle is reproducible: no document reads the clock. Documents are
// dated by the release commit (or SOURCE_DATE_EPOCH), the zip's entries are
// sorted with fixed times and permissions, the workbook's properties are
// fixed; the same inputs give byte-identical files.
//
// Layout, under the output directory OUT (NAME is tracegate-evidence-TAG):
//
//	OUT/NAME/report.html              the HTML report (printable)
//	OUT/NAME/evidence.xlsx            every table as a sheet
//	OUT/NAME/tables/*.csv             every table as CSV
//	OUT/NAME/result.json              the gate result (tracegate.result/v1)
//	OUT/NAME/soup/soup-list.{md,csv,cdx.json}
//	OUT/NAME/inputs/ORIGIN/PATH       the SBOMs and test reports read
//	OUT/NAME/MANIFEST.sha256          sha256sum -c format, every file above
//	OUT/NAME.zip                      the directory NAME, zipped
//	OUT/NAME.zip.sha256               the zip's SHA-256, sha256sum -c format
//
// See docs/evidence.md.
package evidence

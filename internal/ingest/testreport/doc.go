// Package testreport reads verification evidence: test reports as CI writes
// them. Each format is one ingest.Reader of kind ingest.Tests:
//
//   - junit: JUnit XML as pytest, Maven Surefire, go-junit-report,
//     gotestsum, jest-junit, ctest, GoogleTest and cargo-nextest write it;
//   - gotest-json: the event stream of go test -json (test2json);
//   - qttest: the XML of Qt's test library (-o file.xml,xml);
//   - rdm: rdm's test records (unit_test_record.yml,
//     integration_test_record.yml) and manual tests (manual_tests.yml).
//
// A reader turns every test case it finds into a model.TestCase with the
// outcome the producer meant, never a more favourable one: a case whose
// verdict the report does not establish is an error, not a pass. Requirement
// links are taken only from what the report declares (JUnit properties);
// finding IDs in test names is the trace package's job.
package testreport

import "github.com/tracegate/tracegate/internal/ingest"

// Readers returns the test report readers in the order in which format: auto
// tries them. go test -json comes first: its detection (a JSON event line) is
// the narrower one.
func Readers() []ingest.Reader {
	return []ingest.Reader{GoTestJSON{}, JUnit{}, QtTest{}, RDM{}}
}

package model

import (
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/input"
)

// Outcome is the result of one test case.
type Outcome string

const (
	Passed  Outcome = "passed"
	Failed  Outcome = "failed" // an assertion failed
	Errored Outcome = "error"  // the test could not run to a verdict
	Skipped Outcome = "skipped"
)

// Bad reports whether the outcome counts against verification.
func (o Outcome) Bad() bool { return o == Failed || o == Errored }

// TestCase is one executed test from a test report.
type TestCase struct {
	// Suite and ClassName are as the report gives them (JUnit testsuite name
	// and testcase classname; the Go package for go test -json).
	Suite     string `json:"suite,omitempty"`
	ClassName string `json:"classname,omitempty"`
	Name      string `json:"name"`
	// File is the test's source file when the report names it.
	File     string        `json:"file,omitempty"`
	Outcome  Outcome       `json:"result"`
	Message  string        `json:"message,omitempty"` // failure / error / skip message, first line
	Duration time.Duration `json:"duration_ns,omitempty"`
	// Requirements are the IDs linked by the report itself (JUnit properties
	// requirement, requirements, tested-item-id, verifies; suite-level
	// properties apply to every case of the suite).
	Requirements []string `json:"requirements,omitempty"`
	// Evaluation is what a failed test's record says in accepting the
	// failure (rdm's note, Ketryx's "fail (accepted)"). It is shown with
	// the failure and never changes the outcome: an evaluated failure is a
	// failure, judged by the person who reads the evaluation.
	Evaluation string `json:"evaluation,omitempty"`
	// Manual marks a test executed by a person (a manual test step, a
	// manual test execution), not by a test runner.
	Manual bool      `json:"manual,omitempty"`
	Source input.Pos `json:"source"` // the report file and line of the test case
	Format string    `json:"format"`
}

// OutcomeLabel is the outcome as documents show it: a failure that its
// record accepts says so and quotes the evaluation ("failed, evaluated: ...")
// without ceasing to be a failure; a manual test says it was manual.
func (t *TestCase) OutcomeLabel() string {
	s := string(t.Outcome)
	if t.Manual {
		s = "manual, " + s
	}
	if t.Outcome.Bad() && t.Evaluation != "" {
		s += ", evaluated: " + t.Evaluation
	}
	return s
}

// FullName identifies the test in reports: classname and name, as JUnit
// tools show them.
func (t *TestCase) FullName() string {
	if t.ClassName == "" {
		return t.Name
	}
	return t.ClassName + "." + t.Name
}

// TestTag is a "Verifies: SRS-001" tag found in a comment of a test source
// file, tying a test function to requirements. Ketryx's tags (@tests:ID in
// a Gherkin scenario or a doc comment) and pytest's record_property calls
// are tags too; their IDs are taken as written, not by the requirement
// pattern, and may name a test case rather than a requirement.
type TestTag struct {
	Function string   `json:"function"` // the test function or test name the tag belongs to
	IDs      []string `json:"ids"`
	// Case is the ID the tagged test has as a test case of its own
	// (Ketryx's @id: on a Gherkin scenario): a test or an execution that
	// names it verifies what the tag's IDs name.
	Case   string    `json:"case,omitempty"`
	Source input.Pos `json:"source"`
}

// TestDefinition is a test case kept as an item of its own, apart from any
// run of it: a Ketryx Test Case item (itemTests), or a Gherkin scenario
// with an @id: tag. It verifies nothing by itself; a test or a manual
// execution that names its ID verifies what it tests (test → test case →
// requirement).
type TestDefinition struct {
	ID     string    `json:"id"`
	Title  string    `json:"title,omitempty"`
	Tests  []string  `json:"tests"` // the IDs of the items it tests
	Source input.Pos `json:"source"`
	Format string    `json:"format"`
}

// NameCandidates lists the function names the test case may have been
// written as, for matching Verifies: tags: its name without a pytest
// parametrisation, the Go test functions of a subtest (TestX/a/b belongs to
// TestX/a and TestX), and each qualified by its class.
func (t *TestCase) NameCandidates() []string {
	var out []string
	add := func(s string) {
		if s != "" {
			out = append(out, s)
		}
	}
	name := t.Name
	if i := strings.IndexByte(name, '['); i > 0 && strings.HasSuffix(name, "]") {
		name = name[:i] // pytest parametrisation
	}
	add(name)
	for i := strings.LastIndexByte(name, '/'); i > 0; i = strings.LastIndexByte(name[:i], '/') {
		add(name[:i])
	}
	if t.ClassName != "" {
		add(t.ClassName + "." + name)
		if i := strings.LastIndexAny(t.ClassName, "./"); i >= 0 {
			add(t.ClassName[i+1:] + "." + name)
		}
	}
	return out
}

// TestTotals counts test cases by outcome.
type TestTotals struct {
	Total   int `json:"total"`
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Errored int `json:"errors"`
	Skipped int `json:"skipped"`
}

// Add counts one test case of outcome o.
func (t *TestTotals) Add(o Outcome) {
	t.Total++
	switch o {
	case Passed:
		t.Passed++
	case Failed:
		t.Failed++
	case Errored:
		t.Errored++
	case Skipped:
		t.Skipped++
	}
}

// Merge adds u's counts to t.
func (t *TestTotals) Merge(u TestTotals) {
	t.Total += u.Total
	t.Passed += u.Passed
	t.Failed += u.Failed
	t.Errored += u.Errored
	t.Skipped += u.Skipped
}

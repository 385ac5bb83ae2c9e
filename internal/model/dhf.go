package model

import "github.com/tracegate/tracegate/internal/input"

// DHF is everything read from a repository's design history file: the
// inputs of the trace graph and of the gates.
type DHF struct {
	Requirements []Requirement
	Hazards      []Hazard
	RiskControls []RiskControl
	Tests        []TestCase
	// Unkept counts the test cases that were read and not kept in Tests:
	// they passed or were skipped and could link no requirement (see
	// ingest.Keeper), so they matter only as numbers. Memory then grows
	// with the cases that matter, not with the size of the reports.
	Unkept TestTotals
	Tags   []TestTag
	// TestDefinitions are test cases kept as items of their own (Ketryx
	// Test Case items), which tests and executions name by ID.
	TestDefinitions []TestDefinition
	// Records are the problem reports and change requests kept as files.
	Records []Record
	// Files lists every input file read, with its format, for the evidence
	// trail ("what did tracegate look at").
	Files []InputFile
	// Evidence records, for every evidence path a requirement names, whether
	// the file exists in the repository. Gathered at load time so that the
	// trace graph stays free of I/O.
	Evidence map[string]bool
	// Classes and RiskMatrices are settings the files declare for
	// themselves (rdm's device.yml and risk.yml): they stand in for the
	// policy's defaults, never for what the policy writes.
	Classes      []DeclaredClass
	RiskMatrices []RiskMatrix
	Warnings     []input.Warning
}

// InputFile is one file read into the DHF.
type InputFile struct {
	Path   string `json:"path"`
	Kind   string `json:"kind"`   // requirements | risks | tests | test-sources
	Format string `json:"format"` // the reader that read it
	Items  int    `json:"items"`  // how many items it yielded
}

// Package ingest reads a repository's design history file. Every file
// format is one Reader; Load walks the sources the policy names, picks a
// reader per file, and gathers what they read into a model.DHF.
package ingest

import (
	"io/fs"
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// Kind is a kind of design-history input, as the policy file names its
// sections.
type Kind string

const (
	Requirements Kind = "requirements"
	Risks        Kind = "risks"
	Tests        Kind = "tests"
)

// Reader reads one file format of one kind. Implementations hold no state
// between calls and are safe for concurrent use.
type Reader interface {
	// Kind is the section of the policy the reader serves.
	Kind() Kind
	// Format is the name the policy uses for it (format: doorstop).
	Format() string
	// Detect reports whether the file at path is in this format, judging
	// from its name, its first bytes and, where a format is defined by its
	// surroundings (Doorstop's .doorstop.yml), its neighbours in fsys. It
	// is asked only when the policy says format: auto.
	Detect(fsys fs.FS, path string, head []byte) bool
	// Read reads one file. A file that cannot be read is an error naming
	// the file and line (an *input.Error or input.Errors); what the reader
	// repaired or skipped goes into Items.Warnings, never silently.
	Read(fsys fs.FS, path string) (*Items, error)
}

// A Streamer is a Reader of test reports that streams its file instead of
// holding it parsed, and keeps only the test cases that matter, so that its
// memory grows with those, not with the file: the loader reserves
// input.StreamFactor times the file's size for it instead of
// input.TreeFactor (input.Reserve).
type Streamer interface {
	Reader
	// ReadCases reads like Read, keeping in Items.Tests only the cases
	// keep accepts (every case when keep is nil) and counting the others
	// in Items.Unkept.
	ReadCases(fsys fs.FS, path string, keep Keep) (*Items, error)
}

// A TableReader reads registers kept as Markdown tables, with the column
// mapping the policy gives for the source (config.Table). Read is
// ReadTable with no mapping.
type TableReader interface {
	Reader
	ReadTable(fsys fs.FS, path string, t config.Table) (*Items, error)
}

// Keep decides whether the loader keeps a test case it read (see Keeper).
type Keep func(*model.TestCase) bool

// memoryFactor is how many times a file's size reading it with r may take.
func memoryFactor(r any) int64 {
	if _, ok := r.(Streamer); ok {
		return input.StreamFactor
	}
	return input.TreeFactor
}

// Items is what one file yielded.
type Items struct {
	Requirements []model.Requirement
	Hazards      []model.Hazard
	RiskControls []model.RiskControl
	Tests        []model.TestCase
	// TestDefinitions are test cases defined as items (Ketryx Test Case
	// items): a test or an execution naming one verifies what it tests.
	TestDefinitions []model.TestDefinition
	// Unkept counts the test cases read and not kept (Streamer).
	Unkept model.TestTotals
	// Classes and RiskMatrices are what the file declares of the policy's
	// settings (rdm's device.yml beside requirements.yml, rdm's risk.yml).
	Classes      []model.DeclaredClass
	RiskMatrices []model.RiskMatrix
	// Elsewhere are items of another kind that the file holds and this
	// reader leaves to that kind's reader (a Ketryx Risk item matched by a
	// requirements glob, a Ketryx Requirement matched by a risks glob).
	Elsewhere []Elsewhere
	Warnings  []input.Warning
}

// Elsewhere is an item of another kind in a file: the loader drops the
// note when a source of that kind matched the file too (its reader reads
// the item), and otherwise reports it, as an error when the item is
// evidence the gate judges (Required), else as a warning. So one directory
// of Ketryx items may be matched by a requirements and a risks glob alike,
// and an item no source reads as what it is is never dropped in silence.
type Elsewhere struct {
	Kind     Kind      // the kind whose source would read it
	Format   string    // the format that reads it, for the hint
	What     string    // "Ketryx Risk item RSK-1", for the message
	Pos      input.Pos // where the item starts
	Required bool
}

// Count is the number of items read, for the input-file record.
func (it *Items) Count() int {
	return len(it.Requirements) + len(it.Hazards) + len(it.RiskControls) + len(it.Tests) + len(it.TestDefinitions) + it.Unkept.Total
}

// TagScanner finds "Verifies: ID" tags in test source files.
type TagScanner interface {
	// Scan reads one source file and returns the tags in it. ids finds
	// requirement IDs in a comment.
	Scan(fsys fs.FS, path string, ids IDFinder) ([]model.TestTag, []input.Warning, error)
}

// RecordReader reads problem reports or change requests kept as files.
type RecordReader interface {
	Read(fsys fs.FS, path, kind string) ([]model.Record, []input.Warning, error)
}

// IDFinder returns the IDs of one kind found in a text, in order, without
// duplicates.
type IDFinder func(text string) []string

// JoinText keeps every part of a text that a format splits in several
// fields (rdm's description and specifications), as paragraphs.
func JoinText(parts ...string) string {
	var kept []string
	for _, s := range parts {
		if s != "" {
			kept = append(kept, s)
		}
	}
	return strings.Join(kept, "\n\n")
}

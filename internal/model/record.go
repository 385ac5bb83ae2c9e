package model

import (
	"strings"

	"github.com/tracegate/tracegate/internal/input"
)

// Record is a problem report (IEC 62304 9) or a change request (8.2), held
// as a GitHub issue or as a file in the repository.
type Record struct {
	Kind string `json:"kind"` // problem_report | change_request
	// ID is how the record is referenced: PRB-007 or CR-012 for file
	// records and issues whose title carries such an ID; #12 or
	// owner/repo#12 for GitHub issues.
	ID    string `json:"id"`
	Title string `json:"title"`
	State string `json:"state"` // open | closed
	// Fields holds the stated fields by the policy's field keys (type,
	// scope, criticality, investigation, evaluation, …), trimmed; a field
	// that is absent or left empty ("_No response_") is not in the map.
	Fields map[string]string `json:"fields,omitempty"`
	Labels []string          `json:"labels,omitempty"`
	// Approved: a change request carries an approved label, or its file
	// says approved: true (8.2.1). ApprovedBy names who, when known.
	Approved   bool      `json:"approved,omitempty"`
	ApprovedBy string    `json:"approved_by,omitempty"`
	URL        string    `json:"url,omitempty"`
	Source     input.Pos `json:"source,omitempty"` // for file records
	// Commits are the commits a change request names as its own (its
	// file's commits list, or its issue's "Commits" section), abbreviated
	// SHAs included: an approved one traces them after the fact, for
	// history whose messages name nothing (8.2.4).
	Commits []string `json:"commits,omitempty"`
}

// ListsCommit reports whether the record names the commit sha among its
// Commits, by the full SHA or an abbreviation of seven characters or more.
func (r *Record) ListsCommit(sha string) bool {
	sha = strings.ToLower(sha)
	for _, c := range r.Commits {
		c = strings.ToLower(strings.TrimSpace(c))
		if len(c) >= 7 && strings.HasPrefix(sha, c) {
			return true
		}
	}
	return false
}

// Record kinds, as the policy's ids section names them.
const (
	KindProblemReport = "problem_report"
	KindChangeRequest = "change_request"
)

// Open reports whether the record is not closed. A record without a state
// counts as open (fail closed: an unknown state must not hide a problem).
func (r *Record) Open() bool { return r.State != "closed" }

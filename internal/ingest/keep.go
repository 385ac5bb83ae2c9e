package ingest

import "github.com/tracegate/tracegate/internal/model"

// Keeper is the Keep of a design history file. A test case is kept when it
// failed or errored (the gate reports it), or when it could link a
// requirement: a link of its own (a JUnit property), a requirement ID in
// its class or test name (ids, or Ketryx's @tests:ID), a Verifies: tag on one of the functions it
// may have been written as, or a requirement that lists it under tests:.
// Every other case passed or was skipped and links nothing: the trace and
// the gates use it only as a number, so the loader counts it and lets it
// go. reqs and tags are those of every model the reports are judged with (a
// pull request's base and head share the work tree's reports).
//
// A JUnit suite's link properties reach the cases read before them too;
// the JUnit reader keeps every case of a suite that has, or may still get,
// links (see junitReader.keep).
func Keeper(ids IDFinder, reqs []model.Requirement, tags []model.TestTag) Keep {
	listed := map[string]bool{}
	for _, r := range reqs {
		for _, n := range r.Tests {
			listed[n] = true
		}
	}
	tagged := map[string]bool{}
	for _, t := range tags {
		tagged[t.Function] = true
	}
	return func(tc *model.TestCase) bool {
		if tc.Outcome.Bad() || len(tc.Requirements) > 0 {
			return true
		}
		if listed[tc.Name] || listed[tc.FullName()] {
			return true
		}
		for _, n := range tc.NameCandidates() {
			if tagged[n] {
				return true
			}
		}
		if len(model.KetryxNameTags(tc.ClassName+" "+tc.Name)) > 0 {
			return true
		}
		return ids != nil && len(ids(tc.ClassName+" "+tc.Name)) > 0
	}
}

// Package ghfacts gathers facts from GitHub's REST API through go-github:
// the issue tracker (a facts.Tracker over a repository's issues) and the
// pull request under evaluation with its commits.
//
// Everything is read whole or not at all: every page of a list is
// fetched, a list GitHub cuts short is an error, and an issue that cannot
// be read says why (not found, deleted, transferred and followed).
package ghfacts

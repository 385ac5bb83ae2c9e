// Package check runs the gates end to end: it gathers the facts a gate
// needs through the facts interfaces, evaluates them with internal/gate and
// returns the result. The CLI, the Action and the App all call it, so that
// the three faces judge alike.
package check

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/osv"
)

// Sources are where a check gathers its facts. A check only reads them:
// one Sources may serve evaluations running at the same time (the App
// judges several pull requests at once), as long as its parts may
// (gitrepo, ghfacts and the readers may).
type Sources struct {
	Repo facts.Repository
	// Tracker and PRs reach GitHub; nil when there is no GitHub access, in
	// which case NoTracker says why (for messages: "no GitHub token was
	// given").
	Tracker   facts.Tracker
	PRs       facts.PullRequests
	NoTracker string
	// Reviews reads review and approval records from GitHub; nil without
	// GitHub access (NoTracker says why), when the rules that need them
	// fail closed.
	Reviews facts.Reviews
	// Evidence is where CI left the test reports and SBOMs it made of the
	// evaluated commit, the policy's globs and the options' resolved in
	// it: a workflow run's artifacts on GitHub. nil: locally, the work
	// tree is the evidence (where CI leaves them), and without a work tree
	// the reports are read from the evaluated commit only.
	Evidence facts.Evidence
	// WorkTree is the checkout: a release candidate's files, what validate
	// and the SOUP list read, and the evidence when Evidence is nil.
	WorkTree fs.FS
	// WorkHead is the commit the work tree is at, to warn when its
	// evidence is not the evaluated commit's. WorkBranch is the branch it
	// has checked out ("" when detached): a pull request gate run on the
	// checkout (check pr --head HEAD) searches its name for links, as
	// GitHub's pull request would show it.
	WorkHead   string
	WorkBranch string
	Readers    ingest.Set
	// Register reads the SOUP register; Anomalies looks SOUP anomalies up
	// (nil: not looked up, unless the policy names an offline database,
	// which is read through the work tree).
	Register  RegisterFunc
	Anomalies osv.Source
	// OSV is the online OSV service a policy with soup.anomalies: osv has
	// the gates ask (osv.dev, or a mirror); nil when the face reaches
	// none, and then such a policy cannot be evaluated (exit 3).
	OSV osv.Source
	// RepoName is owner/name; Hosts are the web hosts whose issue URLs
	// count (github.com or a GHES host).
	RepoName string
	Hosts    []string
}

// Options are a check's settings.
type Options struct {
	// ConfigPath is the policy's path inside the repository; empty means
	// .github/tracegate.yml, and built-in defaults when it does not exist.
	ConfigPath string
	// PolicyFile, when set, is the policy instead, read as a file named
	// outside the repository (validate, trace and the SOUP list take one
	// on the command line). The gates read their policy from the commit
	// they judge, never from here.
	PolicyFile *File
	// Tests are more globs of test reports in the evidence.
	Tests  []string
	FailOn gate.Severity
	SOUP   SOUPOptions
	// ReviewRecords reads the review records of the changes whenever
	// GitHub access allows, even when the policy requires no review: the
	// evidence bundle records them. The gates read them only when the
	// policy requires them, since they cost requests.
	ReviewRecords bool
}

// UsageError is a problem with what was asked (an unknown ref, a policy
// that does not load): exit code 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usage(format string, args ...any) error { return &UsageError{fmt.Errorf(format, args...)} }

// IsUsage reports whether err is a UsageError.
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}

// IncompleteError is a gathering that could not complete, with what was
// known by then, so that the errored result can say it: the policy, and
// for validate the warnings and inputs read so far.
type IncompleteError struct {
	Err      error
	Config   *config.Config
	Warnings []input.Warning
	Inputs   []model.InputFile
}

func (e *IncompleteError) Error() string { return e.Err.Error() }
func (e *IncompleteError) Unwrap() error { return e.Err }

// incomplete wraps err with the policy it was gathered under.
func incomplete(cfg *config.Config, err error) error {
	if err == nil || IsUsage(err) {
		return err
	}
	return &IncompleteError{Err: err, Config: cfg}
}

// Exit codes, the same for every command and face.
const (
	ExitPass  = 0 // the gate passed, or the command succeeded
	ExitFail  = 1 // the gate failed: findings at or above fail-on
	ExitUsage = 2 // bad flags or inputs, a policy that does not load: nothing was evaluated
	ExitError = 3 // the evaluation could not complete (never a pass)
)

// ExitCode maps an evaluation to its exit code: a usage error 2, any other
// error 3, else the verdict — pass 0, fail 1, and 3 for an errored result.
// An evaluation that could not complete is never a pass.
func ExitCode(v gate.Verdict, err error) int {
	switch {
	case IsUsage(err):
		return ExitUsage
	case err != nil:
		return ExitError
	case v == gate.Pass:
		return ExitPass
	case v == gate.Fail:
		return ExitFail
	}
	return ExitError
}

// Errored is the result of a gate that could not be evaluated: verdict
// error, one line per problem, and what was known (see IncompleteError).
func Errored(gateName string, err error) *gate.Result {
	res := gate.Errored(gateName, ErrorLines(err))
	var inc *IncompleteError
	if errors.As(err, &inc) {
		if cfg := inc.Config; cfg != nil {
			res.SafetyClass = cfg.SafetyClass
			res.Policy = gate.Policy{File: cfg.File, Defaulted: cfg.DefaultedValues()}
		}
		res.Warnings, res.Inputs = inc.Warnings, inc.Inputs
	}
	return res
}

// ErrorLines splits an error into one line per input problem.
func ErrorLines(err error) []string {
	var es input.Errors
	if errors.As(err, &es) {
		out := make([]string, len(es))
		for i, e := range es {
			out[i] = e.Error()
		}
		return out
	}
	return []string{err.Error()}
}

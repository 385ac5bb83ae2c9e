// Package check runs the gates end to end: it gathers the facts a gate
// needs through the facts interfaces, evaluates them with internal/gate and
// returns the result. The CLI, the Action and the App all call it, so that
// the three faces judge alike.
package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/osv"
	"github.com/tracegate/tracegate/internal/soup"
	"github.com/tracegate/tracegate/internal/trace"
)

// Sources are where a check gathers its facts.
type Sources struct {
	Repo facts.Repository
	// Tracker and PRs reach GitHub; nil when there is no GitHub access, in
	// which case NoTracker says why (for messages: "no GitHub token was
	// given").
	Tracker   facts.Tracker
	PRs       facts.PullRequests
	NoTracker string
	// WorkTree is the checkout, where CI leaves the test reports of the
	// commit it built; nil reads reports from the evaluated commit only.
	WorkTree fs.FS
	// WorkHead is the commit the work tree is at, to warn when it is not
	// the one evaluated.
	WorkHead string
	Readers  ingest.Set
	// Register reads the SOUP register; Anomalies looks SOUP anomalies up
	// (nil: not looked up, unless the policy names an offline database).
	Register  RegisterFunc
	Anomalies osv.Source
	// RepoDir is the repository's directory on disk, for files the policy
	// names that are opened directly (the offline OSV database).
	RepoDir string
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
	// Tests are more globs of test reports in the work tree.
	Tests  []string
	FailOn gate.Severity
	SOUP   SOUPOptions
	// SOUPList, when set, is given the SOUP list the gate judged (when the
	// policy or SOUP.SBOMs name any SBOM or register), so that a face can
	// write it beside the result without reading the SBOMs twice.
	SOUPList func(*soup.List)

	// keep, when set, is handed the release gate's facts and the tree they
	// were read from (ReleaseWithDocs).
	keep func(*gate.ReleaseFacts, fs.FS)
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

// treeAt returns the files of a commit with their links followed by the
// rule the work tree follows too (input.FollowLinks): a link inside the
// repository is followed, one that leaves it is an error naming it.
func treeAt(ctx context.Context, repo facts.Repository, sha string) (fs.FS, error) {
	t, err := repo.Tree(ctx, sha)
	if err != nil {
		return nil, err
	}
	return input.FollowLinks(t), nil
}

// policy reads the policy from a tree. The path that was asked for must
// exist; the default path may be absent (defaults apply). The globs given
// besides the policy are checked first, so that their mistakes are blamed
// on them.
func policy(tree fs.FS, opts Options, where string) (*config.Config, error) {
	if err := flagGlobs(opts); err != nil {
		return nil, err
	}
	path, optional := opts.ConfigPath, false
	if path == "" {
		path, optional = config.DefaultPath, true
	}
	c, err := config.Load(tree, path, optional)
	if err != nil {
		return nil, &UsageError{fmt.Errorf("policy at %s: %w", where, err)}
	}
	return c, nil
}

// evidence is the test reports of the work tree, read once and shared by
// every model a check loads (a pull request's base and head).
type evidence struct {
	dhf *model.DHF
	err error
}

// loadEvidence reads the test reports the policy and --tests name from the
// work tree; nil when there is no work tree (reports then come from each
// evaluated tree).
func loadEvidence(src *Sources, cfg *config.Config, ids *trace.IDs, opts Options) *evidence {
	if src.WorkTree == nil {
		return nil
	}
	ev := config.Config{IDs: cfg.IDs, Tests: testSources(cfg, opts)}
	ev.File = cfg.File
	d, err := ingest.Load(src.WorkTree, &ev, ingest.Set{Readers: src.Readers.Readers}, ids.Finder(config.KindRequirement))
	return &evidence{dhf: d, err: err}
}

func testSources(cfg *config.Config, opts Options) []config.Source {
	out := append([]config.Source{}, cfg.Tests...)
	for _, g := range opts.Tests {
		out = append(out, config.Source{Path: g, Format: "auto"})
	}
	return out
}

// loadModel reads the design history file from tree and takes the test
// reports from ev (or from tree when ev is nil), then resolves the graph.
func loadModel(tree fs.FS, src *Sources, cfg *config.Config, ids *trace.IDs, opts Options, ev *evidence) (*gate.Model, error) {
	finder := ids.Finder(config.KindRequirement)
	c := *cfg
	if ev == nil {
		c.Tests = testSources(cfg, opts)
	} else {
		c.Tests = nil
	}
	dhf, err := ingest.Load(tree, &c, src.Readers, finder)
	if err != nil {
		return &gate.Model{Config: cfg, DHF: dhf, IDs: ids}, err
	}
	if ev != nil {
		if ev.dhf != nil {
			dhf.Tests = append(dhf.Tests, ev.dhf.Tests...)
			dhf.Files = append(dhf.Files, ev.dhf.Files...)
			dhf.Warnings = append(dhf.Warnings, ev.dhf.Warnings...)
		}
		if ev.err != nil {
			return &gate.Model{Config: cfg, DHF: dhf, IDs: ids}, ev.err
		}
	}
	return &gate.Model{Config: cfg, DHF: dhf, Graph: trace.Build(dhf, cfg, ids), IDs: ids}, nil
}

// evidenceWarning says when the test reports come from a checkout of
// another commit than the one evaluated.
func evidenceWarning(src *Sources, sha string) []input.Warning {
	if src.WorkTree == nil || src.WorkHead == "" || src.WorkHead == sha {
		return nil
	}
	return []input.Warning{input.Warnf(input.Pos{},
		"test reports were read from the working tree, which is at commit %s, not at the evaluated commit %s: they may not be this commit's evidence",
		model.ShortSHA(src.WorkHead), model.ShortSHA(sha))}
}

// errored builds the result of a check that could not complete, with what
// it knew.
func errored(gateName string, cfg *config.Config, err error) *gate.Result {
	var lines []string
	var es input.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			lines = append(lines, e.Error())
		}
	} else {
		lines = []string{err.Error()}
	}
	res := gate.Errored(gateName, lines)
	if cfg != nil {
		res.SafetyClass = cfg.SafetyClass
		res.Policy = gate.Policy{File: cfg.File, Defaulted: cfg.DefaultedValues()}
	}
	return res
}

// recordsOf returns the DHF's file records of a kind.
func recordsOf(dhf *model.DHF, kind string) []model.Record {
	var out []model.Record
	for _, r := range dhf.Records {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}

func kindName(kind string) string { return strings.ReplaceAll(kind, "_", " ") }

// flagGlobs checks the globs given besides the policy (--tests, --sbom, and
// the Action's tests and sbom inputs): each must parse and name files in
// the repository, or the run is a usage error that names the glob as given.
func flagGlobs(opts Options) error {
	var errs []error
	for _, f := range []struct {
		flag  string
		globs []string
	}{{"--tests", opts.Tests}, {"--sbom", opts.SOUP.SBOMs}, {"--sbom (base)", opts.SOUP.BaseSBOMs}} {
		for _, g := range f.globs {
			switch {
			case !config.InsideRepo(g):
				errs = append(errs, fmt.Errorf("%s %q leaves the repository: give a glob relative to the repository root (--dir) that stays inside it", f.flag, g))
			case !doublestar.ValidatePattern(g):
				errs = append(errs, fmt.Errorf("%s %q is not a valid glob", f.flag, g))
			}
		}
	}
	if len(errs) > 0 {
		return &UsageError{errors.Join(errs...)}
	}
	return nil
}

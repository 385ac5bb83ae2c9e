// Package cli implements tracegate's commands: cmd/tracegate maps flags to
// an Options value and makes one call here. Each command returns the
// process exit code.
package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/ingest/readers"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/trace"
	"github.com/tracegate/tracegate/internal/version"
)

// Exit codes, the same for every command and face.
const (
	ExitPass  = 0 // the gate passed, or the command succeeded
	ExitFail  = 1 // the gate failed: findings at or above --fail-on
	ExitUsage = 2 // bad flags, bad or missing policy file
	ExitError = 3 // the evaluation could not complete (never a pass)
)

// Options are the global flags.
type Options struct {
	Dir    string // repository root
	Config string // policy path; "" means DIR/.github/tracegate.yml if it exists
	Format string
	Output string // file to write the report to; "" means stdout

	Stdout, Stderr io.Writer
}

// usageError is a problem with the command line or the policy: exit 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// exitCode maps an error from a command's preparation to its exit code.
func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) {
		return ExitUsage
	}
	return ExitError
}

// repo opens the repository directory.
func (o *Options) repo() (fs.FS, error) {
	dir := o.Dir
	if dir == "" {
		dir = "."
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, usageError{fmt.Errorf("--dir %s: %w", dir, unwrapPath(err))}
	}
	if !st.IsDir() {
		return nil, usageError{fmt.Errorf("--dir %s: not a directory", dir)}
	}
	// Links inside the repository are followed, links that leave it are
	// errors, as in a commit's tree. The directory stays open for the
	// command's life; the os.Root's finalizer closes it after.
	fsys, _, err := input.OpenDir(dir)
	if err != nil {
		return nil, usageError{fmt.Errorf("--dir %s: %w", dir, unwrapPath(err))}
	}
	return fsys, nil
}

// policy loads the policy: --config as given (relative to the working
// directory), else the repository's .github/tracegate.yml, else defaults.
func (o *Options) policy(repo fs.FS) (*config.Config, error) {
	var c *config.Config
	var err error
	if o.Config == "" {
		c, err = config.Load(repo, config.DefaultPath, true)
	} else {
		// Read as given on the command line, so that every position in an
		// error names the path the user typed.
		abs, aerr := filepath.Abs(o.Config)
		if aerr != nil {
			return nil, usageError{aerr}
		}
		data, rerr := input.ReadAll(os.DirFS(filepath.Dir(abs)), filepath.Base(abs), 1<<20)
		if e, ok := input.AsError(rerr); ok {
			e.Pos.File = o.Config
		}
		if rerr != nil {
			return nil, usageError{rerr}
		}
		c, err = config.Parse(o.Config, data)
	}
	if err != nil {
		return nil, usageError{err}
	}
	return c, nil
}

// loadModel reads the policy and the design history file and resolves the
// trace graph. A policy problem is a usage error; an unreadable input file
// is an evaluation error, returned with the model as far as it was read (its
// Config set) so that the errored result can say what it knew.
func (o *Options) loadModel() (*gate.Model, error) {
	repo, err := o.repo()
	if err != nil {
		return nil, err
	}
	cfg, err := o.policy(repo)
	if err != nil {
		return nil, err
	}
	ids, err := trace.NewIDs(cfg)
	if err != nil {
		return nil, usageError{err}
	}
	dhf, err := ingest.Load(repo, cfg, readers.All(), ids.Finder(config.KindRequirement))
	if err != nil {
		return &gate.Model{Config: cfg, DHF: dhf, IDs: ids}, err
	}
	return &gate.Model{Config: cfg, DHF: dhf, Graph: trace.Build(dhf, cfg, ids), IDs: ids}, nil
}

// output opens the report destination.
func (o *Options) output() (io.Writer, func() error, error) {
	if o.Output == "" || o.Output == "-" {
		return o.Stdout, func() error { return nil }, nil
	}
	f, err := os.Create(o.Output)
	if err != nil {
		return nil, nil, usageError{fmt.Errorf("--output: %w", err)}
	}
	return f, f.Close, nil
}

// fail prints err the way every command does and returns its exit code.
func (o *Options) fail(err error) int {
	return o.failed(err, true)
}

// failed is fail, optionally without repeating the error list when the
// report on standard output already holds it.
func (o *Options) failed(err error, list bool) int {
	var es input.Errors
	switch {
	case !list:
	case errors.As(err, &es):
		for _, e := range es {
			fmt.Fprintf(o.Stderr, "tracegate: %s\n", e)
		}
	default:
		fmt.Fprintf(o.Stderr, "tracegate: %s\n", err)
	}
	code := exitCode(err)
	if code == ExitError {
		fmt.Fprintln(o.Stderr, "tracegate: the evaluation could not complete; this is a failure, not a pass (exit 3)")
	}
	return code
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func tool() gate.Tool {
	v, c := version.Get()
	return gate.Tool{Name: "tracegate", Version: v, Commit: c}
}

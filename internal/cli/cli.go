// Package cli implements tracegate's commands: cmd/tracegate maps flags to
// an Options value and makes one call here. Each command turns its flags
// into check's sources and options, gathers and judges through
// internal/check, writes through the document registries, and returns the
// process exit code (check.ExitCode).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/logctx"
	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/version"
)

// Options are the global flags.
type Options struct {
	Dir    string // repository root
	Config string // policy path; "" means DIR/.github/tracegate.yml if it exists
	Format string
	Output string // file to write the report to; "" means stdout

	// LogLevel is the lowest level of the engine's log (debug, info, warn,
	// error); "" logs nothing. LogFormat is text or json. The log goes to
	// Stderr: Stdout is the document.
	LogLevel, LogFormat string

	// Token and Repo give the commands that read the work tree (validate,
	// trace, the SOUP list) GitHub access for the items the policy keeps
	// as issues: --github-token and --repo, else GITHUB_TOKEN and
	// GITHUB_REPOSITORY (the API: GITHUB_API_URL).
	Token, Repo string

	Stdout, Stderr io.Writer
}

// usagef is a problem with the command line: exit 2.
func usagef(format string, args ...any) error {
	return &check.UsageError{Err: fmt.Errorf(format, args...)}
}

// context is the engine's context: it carries the logger the flags ask
// for, and none by default, so that the CLI is quiet.
func (o *Options) context() (context.Context, error) {
	ctx := context.Background()
	if o.LogLevel == "" && o.LogFormat == "" {
		return ctx, nil
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(orDefault(o.LogLevel, "info"))); err != nil {
		return nil, usagef("--log-level %q: use debug, info, warn or error", o.LogLevel)
	}
	ho := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch orDefault(o.LogFormat, "text") {
	case "text":
		h = slog.NewTextHandler(o.Stderr, ho)
	case "json":
		h = slog.NewJSONHandler(o.Stderr, ho)
	default:
		return nil, usagef("--log-format %q: use text or json", o.LogFormat)
	}
	return logctx.With(ctx, slog.New(h)), nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// dir checks the repository directory.
func (o *Options) dir() (string, error) {
	dir := orDefault(o.Dir, ".")
	st, err := os.Stat(dir)
	if err != nil {
		return "", usagef("--dir %s: %w", dir, unwrapPath(err))
	}
	if !st.IsDir() {
		return "", usagef("--dir %s: not a directory", dir)
	}
	return dir, nil
}

// workTree is what the commands that read the directory as it is —
// validate, trace, the SOUP list — evaluate: its sources, and the options
// with the policy file --config names (a path as given, which may be
// outside the directory).
func (o *Options) workTree() (*check.Sources, check.Options, error) {
	dir, err := o.dir()
	if err != nil {
		return nil, check.Options{}, err
	}
	var opts check.Options
	if o.Config != "" {
		if opts.PolicyFile, err = check.OSFile(o.Config); err != nil {
			return nil, opts, usagef("--config %s: %w", o.Config, err)
		}
	}
	// Links inside the repository are followed, links that leave it are
	// errors, as in a commit's tree. The directory stays open for the
	// command's life; the os.Root's finalizer closes it after.
	src, _, err := check.WorkTree(dir)
	if err != nil {
		return nil, opts, usagef("--dir %s: %w", dir, unwrapPath(errors.Unwrap(err)))
	}
	err = check.ConnectWorkTree(src, check.Local{Token: orDefault(o.Token, Getenv("GITHUB_TOKEN")), APIURL: Getenv("GITHUB_API_URL"),
		Repo: orDefault(o.Repo, Getenv("GITHUB_REPOSITORY")), NoToken: "no GitHub token was given (--github-token or GITHUB_TOKEN)"})
	return src, opts, err
}

// fail prints err the way every command does and returns its exit code.
func (o *Options) fail(err error) int {
	return o.failed(err, true)
}

// failed is fail, optionally without repeating the error list when the
// report on standard output already holds it.
func (o *Options) failed(err error, list bool) int {
	if list {
		for _, line := range check.ErrorLines(err) {
			fmt.Fprintf(o.Stderr, "tracegate: %s\n", report.Text(line))
		}
	}
	code := check.ExitCode("", err)
	if code == check.ExitError {
		fmt.Fprintln(o.Stderr, "tracegate: the evaluation could not complete; this is a failure, not a pass (exit 3)")
	}
	return code
}

// finish writes a gate's result and maps it to the exit code. An
// evaluation error is reported in the result (so JSON and SARIF consumers
// see the verdict) and exits 3; a usage error exits 2 and writes nothing.
func (o *Options) finish(res *gate.Result, err error) int {
	if check.IsUsage(err) {
		return o.fail(err)
	}
	res.Tool = tool()
	if werr := o.write(func(w writer) error { return writeResult(w, res, o.Format) }); werr != nil {
		return o.fail(werr)
	}
	if err != nil {
		return o.failed(err, o.Output != "" && o.Output != "-")
	}
	return check.ExitCode(res.Verdict, nil)
}

// failOn parses --fail-on.
func failOn(s string) (gate.Severity, error) {
	sev, ok := gate.ParseSeverity(s)
	if !ok {
		return "", usagef("--fail-on %q: use error, warning, note or never", s)
	}
	return sev, nil
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

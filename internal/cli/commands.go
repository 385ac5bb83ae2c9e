package cli

import (
	"errors"
	"fmt"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/report/releasedoc"
	"github.com/tracegate/tracegate/internal/report/resultdoc"
	"github.com/tracegate/tracegate/internal/version"
)

// Version prints the build's version, and says how to stamp a build
// that carries none.
func Version(o Options) int {
	v, c := version.Get()
	if c != "" {
		fmt.Fprintf(o.Stdout, "tracegate %s (%s)\n", v, c)
	} else {
		fmt.Fprintf(o.Stdout, "tracegate %s\n", v)
	}
	if !version.Stamped() {
		fmt.Fprintln(o.Stderr, "tracegate: this build does not say what it was built from; build it in a git clone with 'go build -buildvcs=true ./cmd/tracegate' (or scripts/build.sh) so that its records name the commit")
	}
	return check.ExitPass
}

// Validate lints the design history file (tracegate validate).
func Validate(o Options, failOnFlag string) int {
	ctx, err := o.context()
	if err != nil {
		return o.fail(err)
	}
	sev, err := failOn(failOnFlag)
	if err != nil {
		return o.fail(err)
	}
	if err := checkFormat(o.Format, "validate", resultdoc.Formats); err != nil {
		return o.fail(err)
	}
	src, opts, err := o.workTree()
	if err != nil {
		return o.fail(err)
	}
	opts.FailOn = sev
	// An unreadable input is reported as an errored result too, so that
	// machine consumers (JSON) see the verdict.
	return o.finish(check.Validate(ctx, src, opts))
}

// Trace writes the traceability matrix (tracegate trace). tests are more
// test report globs in the working tree, read besides the policy's, as the
// gates' --tests. An evaluation that cannot complete (exit 3) writes, in
// JSON, an error document that says so, so that a machine reading the
// output never mistakes an empty output for an empty matrix.
func Trace(o Options, tests []string) int {
	ctx, err := o.context()
	if err != nil {
		return o.fail(err)
	}
	enc, err := encoder(o.Format, "trace", releasedoc.MatrixFormats)
	if err != nil {
		return o.fail(err)
	}
	src, opts, err := o.workTree()
	if err != nil {
		return o.fail(err)
	}
	opts.Tests = tests
	m, err := check.GatherModel(ctx, src, opts)
	if err != nil {
		if check.IsUsage(err) || enc.MediaType != report.MediaJSON {
			return o.fail(err)
		}
		doc := releasedoc.ErroredMatrix(check.ErrorLines(err), incompleteWarnings(err))
		if werr := o.write(func(w writer) error { return enc.Write(w, doc) }); werr != nil {
			return o.fail(werr)
		}
		return o.failed(err, true)
	}
	mx := releasedoc.NewMatrix(m.Graph, m.Config.SafetyClass, m.DHF.Warnings)
	if err := o.write(func(w writer) error { return enc.Write(w, mx) }); err != nil {
		return o.fail(err)
	}
	return check.ExitPass
}

// incompleteWarnings are the warnings read before an evaluation stopped.
func incompleteWarnings(err error) []input.Warning {
	var inc *check.IncompleteError
	if errors.As(err, &inc) {
		return inc.Warnings
	}
	return nil
}

// Rules lists the rule catalog (tracegate rules); --format markdown writes
// docs/rules.md.
func Rules(o Options) int {
	enc, err := encoder(o.Format, "rules", resultdoc.RuleFormats)
	if err != nil {
		return o.fail(err)
	}
	if err := o.write(func(w writer) error { return enc.Write(w, gate.Catalog()) }); err != nil {
		return o.fail(err)
	}
	return check.ExitPass
}

// encoder is the encoder --format names in the command's registry; an
// empty --format is the registry's first. A format the registry does not
// hold is a usage error listing those it does.
func encoder[T any](format, command string, reg *report.Registry[T]) (report.Encoder[T], error) {
	if format == "" {
		return reg.Encoders[0], nil
	}
	e, ok := reg.Lookup(format)
	if !ok {
		return e, usagef("--format %q: %s writes %s", format, command, reg.Help())
	}
	return e, nil
}

// checkFormat is encoder for a command that writes through another path.
func checkFormat[T any](format, command string, reg *report.Registry[T]) error {
	_, err := encoder(format, command, reg)
	return err
}

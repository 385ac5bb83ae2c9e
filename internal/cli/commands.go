package cli

import (
	"fmt"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/report/releasedoc"
	"github.com/tracegate/tracegate/internal/report/resultdoc"
	"github.com/tracegate/tracegate/internal/version"
)

// Version prints the build's version.
func Version(o Options) int {
	v, c := version.Get()
	if c != "" {
		fmt.Fprintf(o.Stdout, "tracegate %s (%s)\n", v, c)
	} else {
		fmt.Fprintf(o.Stdout, "tracegate %s\n", v)
	}
	return ExitPass
}

// Validate lints the design history file (tracegate validate).
func Validate(o Options, failOn string) int {
	sev, ok := gate.ParseSeverity(failOn)
	if !ok {
		return o.fail(usageError{fmt.Errorf("--fail-on %q: use error, warning, note or never", failOn)})
	}
	if err := checkFormat(o.Format, "validate", resultdoc.Formats); err != nil {
		return o.fail(err)
	}
	m, err := o.loadModel()
	if err != nil {
		if exitCode(err) == ExitUsage {
			return o.fail(err)
		}
		// An unreadable input is reported as an errored result too, so
		// that machine consumers (JSON) see the verdict.
		res := gate.Errored(gate.GateValidate, errorLines(err))
		res.Tool = tool()
		res.SafetyClass = m.Config.SafetyClass
		res.Policy = gate.Policy{File: m.Config.File, Defaulted: m.Config.DefaultedValues()}
		if m.DHF != nil {
			res.Warnings, res.Inputs = m.DHF.Warnings, m.DHF.Files
		}
		if werr := o.write(func(w writer) error { return resultdoc.Write(w, res, o.Format) }); werr != nil {
			return o.fail(werr)
		}
		return o.failed(err, o.Output != "" && o.Output != "-")
	}
	res := gate.Validate(m, sev)
	res.Tool = tool()
	if err := o.write(func(w writer) error { return resultdoc.Write(w, res, o.Format) }); err != nil {
		return o.fail(err)
	}
	return verdictCode(res.Verdict)
}

// Trace writes the traceability matrix (tracegate trace).
func Trace(o Options) int {
	if err := checkFormat(o.Format, "trace", releasedoc.MatrixFormats); err != nil {
		return o.fail(err)
	}
	m, err := o.loadModel()
	if err != nil {
		return o.fail(err)
	}
	mx := releasedoc.NewMatrix(m.Graph, m.Config.SafetyClass, m.DHF.Warnings)
	if err := o.write(func(w writer) error { return releasedoc.MatrixFormats.Write(w, o.Format, mx) }); err != nil {
		return o.fail(err)
	}
	return ExitPass
}

// Rules lists the rule catalog (tracegate rules); --format markdown writes
// docs/rules.md.
func Rules(o Options) int {
	if err := checkFormat(o.Format, "rules", resultdoc.RuleFormats); err != nil {
		return o.fail(err)
	}
	if err := o.write(func(w writer) error { return resultdoc.RuleFormats.Write(w, o.Format, gate.Catalog()) }); err != nil {
		return o.fail(err)
	}
	return ExitPass
}

func verdictCode(v gate.Verdict) int {
	switch v {
	case gate.Pass:
		return ExitPass
	case gate.Fail:
		return ExitFail
	}
	return ExitError
}

// checkFormat refuses a --format that the command's registry of encoders
// does not hold, listing those it does.
func checkFormat[T any](format, command string, reg *report.Registry[T]) error {
	if _, ok := reg.Lookup(format); !ok {
		return usageError{fmt.Errorf("--format %q: %s writes %s", format, command, reg.Help())}
	}
	return nil
}

package cli

import (
	"fmt"
	"strings"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/report"
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
	if !oneOf(o.Format, report.ResultFormats) {
		return o.fail(usageError{fmt.Errorf("--format %q: validate writes %s", o.Format, strings.Join(report.ResultFormats, ", "))})
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
		if werr := o.write(func(w writer) error { return report.WriteResult(w, res, o.Format) }); werr != nil {
			return o.fail(werr)
		}
		return o.failed(err, o.Output != "" && o.Output != "-")
	}
	res := gate.Validate(m, sev)
	res.Tool = tool()
	if err := o.write(func(w writer) error { return report.WriteResult(w, res, o.Format) }); err != nil {
		return o.fail(err)
	}
	return verdictCode(res.Verdict)
}

// Trace writes the traceability matrix (tracegate trace).
func Trace(o Options) int {
	if !oneOf(o.Format, report.MatrixFormats) {
		return o.fail(usageError{fmt.Errorf("--format %q: trace writes %s", o.Format, strings.Join(report.MatrixFormats, ", "))})
	}
	m, err := o.loadModel()
	if err != nil {
		return o.fail(err)
	}
	mx := report.NewMatrix(m.Graph, m.Config.SafetyClass, m.DHF.Warnings)
	if err := o.write(func(w writer) error { return report.WriteMatrix(w, mx, o.Format) }); err != nil {
		return o.fail(err)
	}
	return ExitPass
}

// Rules lists the rule catalog (tracegate rules); --format markdown writes
// docs/rules.md.
func Rules(o Options) int {
	if !oneOf(o.Format, report.RulesFormats) {
		return o.fail(usageError{fmt.Errorf("--format %q: rules writes %s", o.Format, strings.Join(report.RulesFormats, ", "))})
	}
	if err := o.write(func(w writer) error { return report.WriteRules(w, gate.Catalog(), o.Format) }); err != nil {
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

func oneOf(s string, list []string) bool {
	if s == "" {
		return true
	}
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

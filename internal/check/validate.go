package check

import (
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/trace"
)

// Validate lints the design history file of the work tree (tracegate
// validate), reading the policy at opts.ConfigPath inside it. The result is
// never nil: a design history file that cannot be read gives an errored
// result with the warnings and inputs read so far, together with the error.
func Validate(src *Sources, opts Options) (*gate.Result, error) {
	if src.WorkTree == nil {
		err := usage("validate reads the work tree, and none was given")
		return errored(gate.GateValidate, nil, err), err
	}
	cfg, err := policy(src.WorkTree, opts, "the work tree")
	if err != nil {
		return errored(gate.GateValidate, nil, err), err
	}
	ids, err := trace.NewIDs(cfg)
	if err != nil {
		err = &UsageError{err}
		return errored(gate.GateValidate, cfg, err), err
	}
	m, err := loadModel(src.WorkTree, src, cfg, ids, opts, nil)
	if err != nil {
		res := errored(gate.GateValidate, cfg, err)
		if m.DHF != nil {
			res.Warnings, res.Inputs = m.DHF.Warnings, m.DHF.Files
		}
		return res, err
	}
	return gate.Validate(m, opts.FailOn), nil
}

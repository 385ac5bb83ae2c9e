package check

import (
	"context"
	"io/fs"

	"github.com/tracegate/tracegate/internal/config"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/trace"
)

// Validate lints the design history file of the work tree (tracegate
// validate): GatherModel, then gate.Validate. The result is never nil: a
// design history file that cannot be read gives an errored result with the
// warnings and inputs read so far, together with the error.
func Validate(ctx context.Context, src *Sources, opts Options) (*gate.Result, error) {
	m, err := GatherModel(ctx, src, opts)
	if err != nil {
		return Errored(gate.GateValidate, err), err
	}
	// The register is part of the design history file: validate judges
	// it, and the SBOMs it describes, as the release gate does.
	var sf *gate.SOUPFacts
	if soupDescribed(src.WorkTree, m.Config) {
		sf, err = soupFacts(ctx, src, m.Config, src.WorkTree, nil, src.WorkTree, opts)
	}
	if err != nil {
		err = &IncompleteError{Err: err, Config: m.Config, Warnings: m.DHF.Warnings, Inputs: m.DHF.Files}
		return Errored(gate.GateValidate, err), err
	}
	return gate.Validate(m, sf, opts.FailOn), nil
}

// GatherModel reads the policy and the design history file of the work
// tree and resolves the trace graph (tracegate validate and trace). An
// error is a *UsageError, or an *IncompleteError with the policy and the
// warnings and inputs read so far.
func GatherModel(ctx context.Context, src *Sources, opts Options) (*gate.Model, error) {
	if src.WorkTree == nil {
		return nil, usage("the design history file is read from the work tree, and none was given")
	}
	const where = "the work tree"
	cfg, err := policy(ctx, src.WorkTree, opts, where)
	if err != nil {
		return nil, err
	}
	ids, err := trace.NewIDs(cfg)
	if err != nil {
		return nil, &UsageError{err}
	}
	// The work tree is the tree judged: its reports are read with it.
	l := loadModels(ctx, nil, src, cfg, ids, opts, modelTree{src.WorkTree, where})[0]
	m, err := l.m, l.err
	if err != nil {
		inc := &IncompleteError{Err: err, Config: cfg}
		if m.DHF != nil {
			inc.Warnings, inc.Inputs = m.DHF.Warnings, m.DHF.Files
		}
		return nil, inc
	}
	return m, nil
}

// soupDescribed says whether the work tree describes its SOUP for validate
// to judge: the policy names SBOMs or a register (a file, or issues)
// itself, or the register is at its default path. A repository that keeps neither is not failed by
// validate for it; the release gate still requires the SBOM (TG401).
func soupDescribed(tree fs.FS, cfg *config.Config) bool {
	if !cfg.IsDefault("soup.sboms") || !cfg.IsDefault("soup.register") || cfg.SOUP.Issues != nil {
		return true
	}
	if cfg.SOUP.Register == "" {
		return false
	}
	_, err := fs.Stat(tree, cfg.SOUP.Register)
	return err == nil
}

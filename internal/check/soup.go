package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/ingest/sbom"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/osv"
	"github.com/tracegate/tracegate/internal/soup"
)

// RegisterFunc reads a SOUP register file.
type RegisterFunc func(fsys fs.FS, path string) ([]model.SOUPItem, []input.Warning, error)

// SOUPOptions say which SBOMs besides the policy's to read and whether to
// look anomalies up.
type SOUPOptions struct {
	// SBOMs and BaseSBOMs are globs of SBOM files in the work tree, made by
	// CI for the evaluated commit and, for a pull request, for its base.
	SBOMs, BaseSBOMs []string
}

// readSBOMs reads the policy's SBOMs from tree and the extra ones from the
// work tree. An SBOM that cannot be read is an error: the SOUP list would
// silently lack its components.
func readSBOMs(tree, work fs.FS, cfg *config.Config, extra []string) ([]*sbom.Document, error) {
	var docs []*sbom.Document
	var errs input.Errors
	read := func(fsys fs.FS, globs []string, where string) {
		seen := map[string]bool{}
		for _, g := range globs {
			files, err := ingest.Glob(fsys, g, nil)
			if err != nil {
				errs = append(errs, input.Errorf(input.Pos{File: g}, "SBOM glob %s (%s): %v", g, where, err))
				continue
			}
			for _, f := range files {
				if seen[f] {
					continue
				}
				seen[f] = true
				d, err := sbom.Read(fsys, f)
				if err != nil {
					if e, ok := input.AsError(err); ok {
						errs = append(errs, e)
					} else {
						errs = append(errs, input.Errorf(input.Pos{File: f}, "%v", err))
					}
					continue
				}
				docs = append(docs, d)
			}
		}
	}
	read(tree, cfg.SOUP.SBOMs, "policy soup.sboms")
	if len(extra) > 0 {
		if work == nil {
			return nil, usage("--sbom needs a working tree")
		}
		read(work, extra, "--sbom")
	}
	return docs, errs.Err()
}

// readRegister reads the policy's register from tree. A register the policy
// names explicitly must exist; the default path may be absent (then every
// SOUP item is unregistered, which the rules report).
func readRegister(tree fs.FS, cfg *config.Config, read RegisterFunc) ([]model.SOUPItem, []input.Warning, error) {
	path := cfg.SOUP.Register
	if path == "" || read == nil {
		return nil, nil, nil
	}
	items, warns, err := read(tree, path)
	if errors.Is(err, fs.ErrNotExist) && cfg.IsDefault("soup.register") {
		return nil, []input.Warning{input.Warnf(input.Pos{File: path}, "no SOUP register at the default path; every SOUP item counts as unregistered")}, nil
	}
	return items, warns, err
}

// soupFacts gathers the SOUP list at tree (and, for a pull request, the
// SBOM changes from baseTree). It returns nil when the policy names no SBOM
// and no register and none was given.
func soupFacts(ctx context.Context, src *Sources, cfg *config.Config, tree, baseTree fs.FS, opts Options) (*gate.SOUPFacts, error) {
	so := opts.SOUP
	if len(cfg.SOUP.SBOMs) == 0 && cfg.SOUP.Register == "" && len(so.SBOMs) == 0 {
		return nil, nil
	}
	docs, err := readSBOMs(tree, src.WorkTree, cfg, so.SBOMs)
	if err != nil {
		return nil, err
	}
	reg, regWarns, err := readRegister(tree, cfg, src.Register)
	if err != nil {
		return nil, fmt.Errorf("SOUP register: %w", err)
	}
	list := soup.Build(docs, reg, cfg.SOUP.Register)
	list.Warnings = append(list.Warnings, regWarns...)
	f := &gate.SOUPFacts{List: list, Expected: len(cfg.SOUP.SBOMs) > 0 || len(so.SBOMs) > 0}
	if baseTree != nil {
		baseDocs, err := readSBOMs(baseTree, src.WorkTree, cfg, so.BaseSBOMs)
		if err != nil {
			return nil, fmt.Errorf("base SBOM: %w", err)
		}
		var base, head []model.Component
		for _, d := range baseDocs {
			base = append(base, d.Components...)
		}
		for _, d := range docs {
			head = append(head, d.Components...)
		}
		f.Changes = soup.Diff(base, head)
	}
	if src.Anomalies != nil && len(list.Components) > 0 {
		report, err := src.Anomalies.Query(ctx, soup.Packages(list))
		if err != nil {
			return nil, fmt.Errorf("looking up SOUP anomalies: %w", err)
		}
		list.AddAnomalies(report)
		f.LookedUp = true
	}
	if opts.SOUPList != nil {
		opts.SOUPList(list)
	}
	return f, nil
}

// anomalySource is the OSV source a check uses: Sources.Anomalies, or the
// offline database the policy names in the repository.
func anomalySource(src *Sources, cfg *config.Config, tree fs.FS) (osv.Source, error) {
	if src.Anomalies != nil || cfg.SOUP.OSVDB == "" {
		return src.Anomalies, nil
	}
	if src.WorkTree == nil {
		return nil, usage("soup.osv_db names an offline OSV database, but there is no work tree to open it from")
	}
	db, err := osv.OpenDBIn(src.WorkTree, path.Clean(cfg.SOUP.OSVDB), osv.Limits{})
	if err != nil {
		return nil, fmt.Errorf("soup.osv_db: %w", err)
	}
	return db, nil
}

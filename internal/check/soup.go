package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/ingest/sbom"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/logctx"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/osv"
	"github.com/tracegate/tracegate/internal/soup"
)

// RegisterFunc reads a SOUP register file.
type RegisterFunc func(fsys fs.FS, path string, columns map[string]string) ([]model.SOUPItem, []input.Warning, error)

// SOUPOptions say which SBOMs and register to read besides, or instead
// of, the policy's.
type SOUPOptions struct {
	// SBOMs and BaseSBOMs are globs of SBOM files in the evidence (the
	// work tree, locally), made by CI for the evaluated commit and, for a
	// pull request, for its base: read besides the policy's soup.sboms.
	SBOMs, BaseSBOMs []string
	// Files are SBOM files named outside the policy (soup list, soup
	// sync): they replace the policy's soup.sboms.
	Files []*File
	// Register is a register file named outside the policy, in place of
	// the policy's soup.register.
	Register *File
}

// readSBOMs reads the SBOMs the globs name in fsys (where names it in
// messages: "policy soup.sboms", "--sbom"). An SBOM that cannot be read is
// an error: the SOUP list would silently lack its components. A match
// that is not a regular file (a symlink) is never read, and a warning
// says so. With mustMatch (the SBOMs CI made for this evaluation: --sbom,
// the Action's sbom input) a glob that matches no file is an error.
func readSBOMs(ctx context.Context, fsys fs.FS, globs []string, where string, mustMatch bool) ([]*model.SBOM, []input.Warning, error) {
	var docs []*model.SBOM
	var warns []input.Warning
	var errs input.Errors
	seen := map[string]bool{}
	for _, g := range globs {
		files, irregular, err := ingest.GlobAll(fsys, g, nil)
		if err != nil {
			errs = append(errs, input.Errorf(input.Pos{File: g}, "SBOM glob %s (%s): %v", g, where, err))
			continue
		}
		for _, p := range irregular {
			warns = append(warns, input.Warnf(input.Pos{File: p}, "matched by the SBOM glob %s (%s) but not a regular file (a symlink or submodule); not read", g, where))
		}
		if mustMatch && len(files) == 0 && len(irregular) == 0 {
			// An SBOM CI was to make and did not: judging without it would
			// pass components nobody looked at.
			errs = append(errs, input.Errorf(input.Pos{File: g}, "SBOM glob %s (%s) matches no file: the SBOM made for this evaluation is missing; make it before the gate runs (or check the path), or drop the glob", g, where))
		}
		for _, f := range files {
			if seen[f] {
				continue
			}
			seen[f] = true
			d, err := readSBOM(ctx, f, func() (*model.SBOM, error) { return sbom.Read(fsys, f) })
			if err != nil {
				errs = appendErr(errs, f, err)
				continue
			}
			docs = append(docs, d)
		}
	}
	return docs, warns, errs.Err()
}

// readSBOMFiles reads SBOM files named outside the policy.
func readSBOMFiles(ctx context.Context, files []*File) ([]*model.SBOM, error) {
	var docs []*model.SBOM
	var errs input.Errors
	for _, f := range files {
		d, err := readSBOM(ctx, f.Path, func() (*model.SBOM, error) { return readFile(f, sbom.Read) })
		if err != nil {
			errs = appendErr(errs, f.Path, err)
			continue
		}
		docs = append(docs, d)
	}
	return docs, errs.Err()
}

func readSBOM(ctx context.Context, name string, read func() (*model.SBOM, error)) (*model.SBOM, error) {
	start := time.Now()
	d, err := read()
	if err == nil {
		logctx.From(ctx).Debug("read", "file", name, "kind", "sbom", "format", d.Format, "components", len(d.Components), "took", time.Since(start))
	}
	return d, err
}

func appendErr(errs input.Errors, file string, err error) input.Errors {
	if e, ok := input.AsError(err); ok {
		return append(errs, e)
	}
	return append(errs, input.Errorf(input.Pos{File: file}, "%v", err))
}

// gateSBOMs reads the policy's SBOMs from tree and the extra ones from the
// evidence.
func gateSBOMs(ctx context.Context, tree, ev fs.FS, cfg *config.Config, extra []string) ([]*model.SBOM, []input.Warning, error) {
	docs, warns, err := readSBOMs(ctx, tree, cfg.SOUP.SBOMs, "policy soup.sboms", false)
	if len(extra) == 0 || err != nil {
		return docs, warns, err
	}
	if ev == nil {
		return nil, nil, usage("--sbom needs a working tree")
	}
	more, moreWarns, err := readSBOMs(ctx, ev, extra, "--sbom", true)
	return append(docs, more...), append(warns, moreWarns...), err
}

// syncHint says how to start a SOUP register.
const syncHint = "'tracegate soup sync' writes one, with an entry to complete for each component of the SBOMs"

// readRegister reads the register named outside the policy, else the
// policy's: its issues (soup.issues), or its file from tree. A register the
// policy names explicitly must exist; the default path may be absent (then
// every SOUP item is unregistered, which the rules report). file is the
// register's path, "" when none.
func readRegister(ctx context.Context, src *Sources, tree fs.FS, cfg *config.Config, given *File) (items []model.SOUPItem, file string, warns []input.Warning, err error) {
	read := src.Register
	if given == nil && cfg.SOUP.Issues != nil {
		return readSOUPIssues(ctx, src, cfg)
	}
	if read == nil {
		return nil, "", nil, nil
	}
	if given != nil {
		type reg struct {
			items []model.SOUPItem
			warns []input.Warning
		}
		r, err := readFile(given, func(fsys fs.FS, name string) (reg, error) {
			items, warns, err := read(fsys, name, cfg.SOUP.Columns)
			return reg{items, warns}, err
		})
		return r.items, given.Path, r.warns, err
	}
	path := cfg.SOUP.Register
	if path == "" {
		return nil, "", nil, nil
	}
	items, warns, err = read(tree, path, cfg.SOUP.Columns)
	if errors.Is(err, fs.ErrNotExist) {
		if cfg.IsDefault("soup.register") {
			return nil, path, []input.Warning{input.Warnf(input.Pos{File: path}, "no SOUP register at the default path; every SOUP item counts as unregistered: %s", syncHint)}, nil
		}
		err = input.Errorf(cfg.Pos("soup.register"), "the SOUP register %s that the policy names does not exist", path).WithHint(syncHint)
	}
	return items, path, warns, err
}

// anomalySource is the OSV source a check uses: Sources.Anomalies, or the
// offline database the policy names in the repository, opened for this
// evaluation through the work tree's file system (so that its links
// follow the repository's rule); the Sources are never written to.
func anomalySource(src *Sources, cfg *config.Config) (osv.Source, error) {
	if src.Anomalies != nil {
		return src.Anomalies, nil
	}
	if cfg.SOUP.Anomalies == config.AnomaliesOSV {
		if src.OSV == nil {
			return nil, fmt.Errorf("the policy asks for the SOUP's anomalies from the OSV API (soup.anomalies: osv), and this evaluation reaches no OSV service")
		}
		return timeoutSource{src.OSV, cfg.SOUP.Timeout()}, nil
	}
	if cfg.SOUP.OSVDB == "" {
		return nil, nil
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

// timeoutSource bounds the lookups of an online source: an answer that
// does not come in time is an error, never an empty answer, so that the
// evaluation fails closed (soup.osv_timeout).
type timeoutSource struct {
	osv.Source
	d time.Duration
}

func (s timeoutSource) Query(ctx context.Context, pkgs []osv.Package) (*osv.Report, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, s.d, errOSVTimeout)
	defer cancel()
	r, err := s.Source.Query(ctx, pkgs)
	if err != nil && errors.Is(context.Cause(ctx), errOSVTimeout) {
		return nil, fmt.Errorf("the OSV API did not answer within %s (soup.osv_timeout), so the anomalies of the SOUP versions are unknown: %w", s.d, err)
	}
	return r, err
}

var errOSVTimeout = errors.New("soup.osv_timeout reached")

// buildList makes the SOUP list of the SBOMs against the register and
// looks its anomalies up when a source is configured; lookedUp says
// whether it did.
func buildList(ctx context.Context, src *Sources, cfg *config.Config, docs []*model.SBOM, tree fs.FS, given *File) (l *soup.List, lookedUp bool, err error) {
	start := time.Now()
	reg, regFile, regWarns, err := readRegister(ctx, src, tree, cfg, given)
	if err != nil {
		return nil, false, fmt.Errorf("SOUP register: %w", err)
	}
	if len(docs) == 0 && len(reg) > 0 {
		// No SBOM was read: the register is the SOUP list, and the rules
		// judge what it asserts about each entry.
		l = soup.FromRegister(reg, regFile)
	} else {
		l = soup.Build(docs, reg, regFile)
	}
	l.Warnings = append(l.Warnings, regWarns...)
	log := logctx.From(ctx)
	log.Info("SOUP list", "sboms", len(docs), "components", len(l.Components), "register", regFile, "registered", len(reg), "took", time.Since(start))
	anomalies, err := anomalySource(src, cfg)
	if err != nil {
		return nil, false, err
	}
	if anomalies == nil || len(l.Components) == 0 {
		return l, false, nil
	}
	start = time.Now()
	report, err := anomalies.Query(ctx, soup.Packages(l))
	if err != nil {
		return nil, false, fmt.Errorf("looking up SOUP anomalies: %w", err)
	}
	l.AddAnomalies(report)
	log.Info("SOUP anomalies", "source", l.Anomalies.Source, "took", time.Since(start))
	return l, true, nil
}

// soupFacts gathers the SOUP list at tree (and, for a pull request, the
// SBOM changes from baseTree), the extra SBOMs read from the evidence ev.
// It returns nil when the policy names no SBOM and no register and none
// was given.
func soupFacts(ctx context.Context, src *Sources, cfg *config.Config, tree, baseTree, ev fs.FS, opts Options) (*gate.SOUPFacts, error) {
	so := opts.SOUP
	if len(cfg.SOUP.SBOMs) == 0 && cfg.SOUP.Register == "" && cfg.SOUP.Issues == nil && len(so.SBOMs) == 0 {
		return nil, nil
	}
	docs, globWarns, err := gateSBOMs(ctx, tree, ev, cfg, so.SBOMs)
	if err != nil {
		return nil, err
	}
	list, lookedUp, err := buildList(ctx, src, cfg, docs, tree, nil)
	if err != nil {
		return nil, err
	}
	list.Warnings = append(list.Warnings, globWarns...)
	f := &gate.SOUPFacts{List: list, Expected: sbomExpected(cfg, list) || len(so.SBOMs) > 0, LookedUp: lookedUp}
	if baseTree != nil {
		baseDocs, _, err := gateSBOMs(ctx, baseTree, ev, cfg, so.BaseSBOMs)
		if err != nil {
			return nil, fmt.Errorf("base SBOM: %w", err)
		}
		f.Changes = soup.Diff(components(baseDocs), components(docs))
	}
	return f, nil
}

// sbomExpected says whether reading no SBOM is a finding (TG401): when the
// policy names SBOMs itself, or when it leaves soup.sboms at its default and
// there is no register either, so that nothing at all describes the SOUP. A
// register on its own, under the default glob that matches nothing, is the
// SOUP list and is judged as such.
func sbomExpected(cfg *config.Config, l *soup.List) bool {
	if len(cfg.SOUP.SBOMs) == 0 {
		return false
	}
	return !cfg.IsDefault("soup.sboms") || !l.FromRegister
}

func components(docs []*model.SBOM) []model.Component {
	var out []model.Component
	for _, d := range docs {
		out = append(out, d.Components...)
	}
	return out
}

// SBOMs are the SBOMs of the work tree and the policy they were read
// under (tracegate soup list and soup sync).
type SBOMs struct {
	Config *config.Config
	Docs   []*model.SBOM
	// Warnings say what a glob matched and was not read.
	Warnings []input.Warning
}

// Components are the components of every document, in order.
func (s *SBOMs) Components() []model.Component { return components(s.Docs) }

// noSBOM is the usage error of a SOUP command with no SBOM to read; the
// same whether the policy names none or its globs match nothing.
func noSBOM(cfg *config.Config, what string) error {
	where := "the policy names none in soup.sboms"
	if len(cfg.SOUP.SBOMs) > 0 {
		where = "nothing matches the policy's soup.sboms (" + strings.Join(cfg.SOUP.SBOMs, ", ") + ")"
	}
	return usage("no SBOM: %s; %s", where, what)
}

// readWorkSBOMs reads the SBOMs of the work tree: opts.SOUP.Files when
// given, else the policy's soup.sboms; none read is not an error here.
func readWorkSBOMs(ctx context.Context, src *Sources, opts Options) (*SBOMs, error) {
	if src.WorkTree == nil {
		return nil, usage("the SOUP list is read from the work tree, and none was given")
	}
	cfg, err := policy(ctx, src.WorkTree, opts, "the work tree")
	if err != nil {
		return nil, err
	}
	out := &SBOMs{Config: cfg}
	switch {
	case len(opts.SOUP.Files) > 0:
		out.Docs, err = readSBOMFiles(ctx, opts.SOUP.Files)
	case len(cfg.SOUP.SBOMs) > 0:
		out.Docs, out.Warnings, err = readSBOMs(ctx, src.WorkTree, cfg.SOUP.SBOMs, "policy soup.sboms", false)
	}
	if err != nil {
		return nil, incomplete(cfg, err)
	}
	return out, nil
}

// GatherSBOMs reads the SBOMs of the work tree: opts.SOUP.Files when
// given, else the policy's soup.sboms. No SBOM at all — none named, or
// none matched — is a usage error.
func GatherSBOMs(ctx context.Context, src *Sources, opts Options) (*SBOMs, error) {
	s, err := readWorkSBOMs(ctx, src, opts)
	if err != nil {
		return nil, err
	}
	if len(s.Docs) == 0 {
		return nil, noSBOM(s.Config, "give --sbom, or name the SBOMs in the policy's soup.sboms")
	}
	return s, nil
}

// GatherSOUP makes the SOUP list of the work tree (tracegate soup list):
// the SBOMs (opts.SOUP.Files, else the policy's) against the register
// (opts.SOUP.Register, else the policy's), with the anomalies of every
// component when the sources look them up (Sources.Anomalies, else the
// policy's soup.osv_db) — as the gates make it. With no SBOM the register's
// entries are the list; with neither, a usage error, the same whether the
// policy names no SBOM or its globs match nothing.
func GatherSOUP(ctx context.Context, src *Sources, opts Options) (*soup.List, error) {
	s, err := readWorkSBOMs(ctx, src, opts)
	if err != nil {
		return nil, err
	}
	l, _, err := buildList(ctx, src, s.Config, s.Docs, src.WorkTree, opts.SOUP.Register)
	if err != nil {
		return nil, incomplete(s.Config, err)
	}
	if len(s.Docs) == 0 && !l.FromRegister {
		return nil, noSBOM(s.Config, "and the SOUP register holds no entry: give --sbom or --register, or name them in the policy's soup section")
	}
	l.Warnings = append(l.Warnings, s.Warnings...)
	return l, nil
}

// DiffSBOMs reads two SBOM files and compares them by package (tracegate
// soup diff).
func DiffSBOMs(ctx context.Context, base, head *File) (baseDoc, headDoc *model.SBOM, changes []soup.Change, err error) {
	docs, err := readSBOMFiles(ctx, []*File{base, head})
	if err != nil {
		return nil, nil, nil, err
	}
	return docs[0], docs[1], soup.Diff(docs[0].Components, docs[1].Components), nil
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/ingest/sbom"
	"github.com/tracegate/tracegate/internal/ingest/soupreg"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/osv"
	"github.com/tracegate/tracegate/internal/report/releasedoc"
	"github.com/tracegate/tracegate/internal/report/soupdoc"
	"github.com/tracegate/tracegate/internal/soup"
	"github.com/tracegate/tracegate/internal/version"
)

// SOUPOptions are the flags of the soup commands.
type SOUPOptions struct {
	SBOMs    []string // SBOM files (globs, relative to the working directory)
	Register string   // register file
	OSV      bool     // look anomalies up at osv.dev
	OSVURL   string   // the API's base URL (tests, mirrors)
	OSVDB    string   // offline database directory
	Base     string   // soup diff
	Head     string
	DryRun   bool // soup sync
}

// sbomDocs reads the SBOM files the flags name, or else the policy's.
func (o *Options) sbomDocs(so SOUPOptions) ([]*sbom.Document, *config.Config, error) {
	repo, err := o.repo()
	if err != nil {
		return nil, nil, err
	}
	cfg, err := o.policy(repo)
	if err != nil {
		return nil, nil, err
	}
	var docs []*sbom.Document
	var errs input.Errors
	if len(so.SBOMs) == 0 {
		if len(cfg.SOUP.SBOMs) == 0 {
			return nil, nil, usageError{fmt.Errorf("no SBOM: give --sbom, or name them in the policy's soup.sboms")}
		}
		for _, g := range cfg.SOUP.SBOMs {
			files, err := doublestar.Glob(repo, g, doublestar.WithFilesOnly())
			if err != nil {
				return nil, nil, usageError{fmt.Errorf("soup.sboms %q: %w", g, err)}
			}
			for _, f := range files {
				d, err := sbom.Read(repo, f)
				if err != nil {
					errs = appendErr(errs, f, err)
					continue
				}
				docs = append(docs, d)
			}
		}
		return docs, cfg, errs.Err()
	}
	for _, g := range so.SBOMs {
		files, err := doublestar.FilepathGlob(g, doublestar.WithFilesOnly())
		if err != nil {
			return nil, nil, usageError{fmt.Errorf("--sbom %q: %w", g, err)}
		}
		if len(files) == 0 {
			return nil, nil, usageError{fmt.Errorf("--sbom %q matches no file", g)}
		}
		for _, f := range files {
			d, err := readOSFile(f, sbom.Read)
			if err != nil {
				errs = appendErr(errs, f, err)
				continue
			}
			docs = append(docs, d)
		}
	}
	return docs, cfg, errs.Err()
}

// readOSFile reads a file given on the command line with a reader that
// takes an fs.FS, keeping the path as the user wrote it in messages.
func readOSFile[T any](path string, read func(fs.FS, string) (T, error)) (T, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := read(os.DirFS(filepath.Dir(abs)), filepath.Base(abs))
	if e, ok := input.AsError(err); ok && e.Pos.File == filepath.Base(abs) {
		e.Pos.File = path
	}
	return v, err
}

func appendErr(errs input.Errors, file string, err error) input.Errors {
	if e, ok := input.AsError(err); ok {
		return append(errs, e)
	}
	return append(errs, input.Errorf(input.Pos{File: file}, "%v", err))
}

// register reads the register the flag names, or else the policy's.
func (o *Options) register(so SOUPOptions, cfg *config.Config) ([]model.SOUPItem, string, []input.Warning, error) {
	if so.Register != "" {
		type res struct {
			items []model.SOUPItem
			warns []input.Warning
		}
		r, err := readOSFile(so.Register, func(fsys fs.FS, p string) (res, error) {
			items, warns, err := soupreg.Read(fsys, p)
			return res{items, warns}, err
		})
		return r.items, so.Register, r.warns, err
	}
	if cfg == nil || cfg.SOUP.Register == "" {
		return nil, "", nil, nil
	}
	repo, err := o.repo()
	if err != nil {
		return nil, "", nil, err
	}
	items, warns, err := soupreg.Read(repo, cfg.SOUP.Register)
	if errors.Is(err, fs.ErrNotExist) && cfg.IsDefault("soup.register") {
		// Only the default path, and nothing there: no register.
		return nil, "", nil, nil
	}
	return items, cfg.SOUP.Register, warns, err
}

// anomalySource is the OSV source the flags ask for, or nil.
func (so SOUPOptions) anomalySource(cfg *config.Config, dir string) (osv.Source, error) {
	switch {
	case so.OSV && so.OSVDB != "":
		return nil, usageError{fmt.Errorf("--osv and --osv-db: choose the online API or an offline database")}
	case so.OSV:
		return &osv.Client{BaseURL: so.OSVURL}, nil
	case so.OSVDB != "":
		db, err := osv.OpenDB(so.OSVDB, osv.Limits{})
		if err != nil {
			return nil, usageError{fmt.Errorf("--osv-db: %w", err)}
		}
		return db, nil
	}
	return nil, nil
}

// SOUPList writes the SOUP list (tracegate soup list).
func SOUPList(o Options, so SOUPOptions) int {
	format := o.Format
	if format == "text" { // the global default: the list's is Markdown
		format = "markdown"
	}
	if err := checkFormat(format, "soup list", soupdoc.Formats); err != nil {
		return o.fail(err)
	}
	docs, cfg, err := o.sbomDocs(so)
	if err != nil {
		return o.fail(err)
	}
	items, regFile, warns, err := o.register(so, cfg)
	if err != nil {
		return o.fail(err)
	}
	l := soup.Build(docs, items, regFile)
	l.Warnings = append(l.Warnings, warns...)
	src, err := so.anomalySource(cfg, o.Dir)
	if err != nil {
		return o.fail(err)
	}
	if src != nil && len(l.Components) > 0 {
		rep, err := src.Query(context.Background(), soup.Packages(l))
		if err != nil {
			return o.fail(fmt.Errorf("looking up anomalies: %w", err))
		}
		l.AddAnomalies(rep)
	}
	v, c := version.Get()
	opts := soupdoc.Options{ToolVersion: v, Commit: c}
	if err := o.write(func(w writer) error { return soupdoc.Write(w, l, format, opts) }); err != nil {
		return o.fail(err)
	}
	return ExitPass
}

// SOUPDiff compares two SBOMs (tracegate soup diff).
func SOUPDiff(o Options, so SOUPOptions) int {
	if so.Base == "" || so.Head == "" {
		return o.fail(usageError{fmt.Errorf("soup diff needs --base and --head SBOM files")})
	}
	if err := checkFormat(o.Format, "soup diff", releasedoc.DiffFormats); err != nil {
		return o.fail(err)
	}
	base, err := readOSFile(so.Base, sbom.Read)
	if err != nil {
		return o.fail(err)
	}
	head, err := readOSFile(so.Head, sbom.Read)
	if err != nil {
		return o.fail(err)
	}
	changes := soup.Diff(base.Components, head.Components)
	d := &releasedoc.Diff{Base: diffSide(base), Head: diffSide(head), Changes: changes}
	if err := o.write(func(w writer) error { return releasedoc.DiffFormats.Write(w, o.Format, d) }); err != nil {
		return o.fail(err)
	}
	return ExitPass
}

// SOUPSync adds skeleton register entries for unregistered components
// (tracegate soup sync), leaving every existing byte of the register as it
// was.
func SOUPSync(o Options, so SOUPOptions) int {
	docs, cfg, err := o.sbomDocs(so)
	if err != nil {
		return o.fail(err)
	}
	path := so.Register
	if path == "" && cfg != nil && cfg.SOUP.Register != "" {
		path = filepath.Join(o.Dir, filepath.FromSlash(cfg.SOUP.Register))
	}
	if path == "" {
		return o.fail(usageError{fmt.Errorf("soup sync needs --register (or the policy's soup.register)")})
	}
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return o.fail(usageError{err})
	}
	var comps []model.Component
	for _, d := range docs {
		comps = append(comps, d.Components...)
	}
	updated, added, err := soupreg.Sync(path, data, comps)
	if err != nil {
		return o.fail(err)
	}
	if len(added) == 0 {
		fmt.Fprintf(o.Stdout, "%s: every component is registered\n", path)
		return ExitPass
	}
	if !so.DryRun {
		if err := os.WriteFile(path, updated, 0o644); err != nil {
			return o.fail(err)
		}
	}
	verb := "added"
	if so.DryRun {
		verb = "would add"
	}
	fmt.Fprintf(o.Stdout, "%s: %s %d skeleton entr%s to complete (marked TODO(tracegate)):\n", path, verb, len(added), map[bool]string{true: "y", false: "ies"}[len(added) == 1])
	for _, a := range added {
		fmt.Fprintf(o.Stdout, "  %s\n", a)
	}
	return ExitPass
}

func diffSide(d *sbom.Document) releasedoc.DiffSide {
	return releasedoc.DiffSide{File: d.File, Format: string(d.Format), SpecVersion: d.SpecVersion, Components: len(d.Components)}
}

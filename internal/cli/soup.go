package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/ingest/sbom"
	"github.com/tracegate/tracegate/internal/ingest/soupreg"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/osv"
	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/report/releasedoc"
	"github.com/tracegate/tracegate/internal/report/soupdoc"
	"github.com/tracegate/tracegate/internal/safefile"
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

// sbomFiles expands the --sbom globs (relative to the working directory,
// as a shell would): each must match a file.
func sbomFiles(globs []string) ([]*check.File, error) {
	var out []*check.File
	for _, g := range globs {
		files, err := doublestar.FilepathGlob(g, doublestar.WithFilesOnly())
		if err != nil {
			return nil, usagef("--sbom %q: %w", g, err)
		}
		if len(files) == 0 {
			return nil, usagef("--sbom %q matches no file", g)
		}
		for _, f := range files {
			file, err := check.OSFile(f)
			if err != nil {
				return nil, usagef("--sbom %q: %w", f, err)
			}
			out = append(out, file)
		}
	}
	return out, nil
}

// soupSources are the work tree's sources and options with the SOUP
// flags: the SBOM and register files they name, and the anomaly source
// they ask for (else the policy's soup.osv_db, as the gates use it).
func (o *Options) soupSources(so SOUPOptions) (*check.Sources, check.Options, error) {
	src, opts, err := o.workTree()
	if err != nil {
		return nil, opts, err
	}
	if opts.SOUP.Files, err = sbomFiles(so.SBOMs); err != nil {
		return nil, opts, err
	}
	if so.Register != "" {
		if opts.SOUP.Register, err = check.OSFile(so.Register); err != nil {
			return nil, opts, usagef("--register %s: %w", so.Register, err)
		}
	}
	// A policy that asks for OSV (soup.anomalies: osv) is served as the
	// gates serve it.
	src.OSV = &osv.Client{BaseURL: orDefault(so.OSVURL, Getenv("TRACEGATE_OSV_URL"))}
	switch {
	case so.OSV && so.OSVDB != "":
		return nil, opts, usagef("--osv and --osv-db: choose the online API or an offline database")
	case so.OSV:
		src.Anomalies = src.OSV
	case so.OSVDB != "":
		db, err := osv.OpenDB(so.OSVDB, osv.Limits{})
		if err != nil {
			return nil, opts, usagef("--osv-db: %w", err)
		}
		src.Anomalies = db
	}
	return src, opts, nil
}

// SOUPList writes the SOUP list (tracegate soup list).
func SOUPList(o Options, so SOUPOptions) int {
	ctx, err := o.context()
	if err != nil {
		return o.fail(err)
	}
	enc, err := encoder(o.Format, "soup list", soupdoc.Formats)
	if err != nil {
		return o.fail(err)
	}
	src, opts, err := o.soupSources(so)
	if err != nil {
		return o.fail(err)
	}
	l, err := check.GatherSOUP(ctx, src, opts)
	if err != nil {
		return o.fail(err)
	}
	v, c := version.Get()
	in := soupdoc.Input{List: l, Options: soupdoc.Options{ToolVersion: v, Commit: c}}
	if err := o.write(func(w writer) error { return enc.Write(w, in) }); err != nil {
		return o.fail(err)
	}
	return check.ExitPass
}

// SOUPDiff compares two SBOMs (tracegate soup diff).
func SOUPDiff(o Options, so SOUPOptions) int {
	ctx, err := o.context()
	if err != nil {
		return o.fail(err)
	}
	if so.Base == "" || so.Head == "" {
		return o.fail(usagef("soup diff needs --base and --head SBOM files"))
	}
	enc, err := encoder(o.Format, "soup diff", releasedoc.DiffFormats)
	if err != nil {
		return o.fail(err)
	}
	base, err := check.OSFile(so.Base)
	if err != nil {
		return o.fail(usagef("--base %s: %w", so.Base, err))
	}
	head, err := check.OSFile(so.Head)
	if err != nil {
		return o.fail(usagef("--head %s: %w", so.Head, err))
	}
	b, h, changes, err := check.DiffSBOMs(ctx, base, head)
	if err != nil {
		return o.fail(err)
	}
	d := &releasedoc.Diff{Base: diffSide(b), Head: diffSide(h), Changes: changes}
	if err := o.write(func(w writer) error { return enc.Write(w, d) }); err != nil {
		return o.fail(err)
	}
	return check.ExitPass
}

// SOUPSync adds skeleton register entries for unregistered components
// (tracegate soup sync), leaving every existing byte of the register as it
// was.
func SOUPSync(o Options, so SOUPOptions) int {
	ctx, err := o.context()
	if err != nil {
		return o.fail(err)
	}
	src, opts, err := o.workTree()
	if err != nil {
		return o.fail(err)
	}
	if opts.SOUP.Files, err = sbomFiles(so.SBOMs); err != nil {
		return o.fail(err)
	}
	s, err := check.GatherSBOMs(ctx, src, opts)
	if err != nil {
		return o.fail(err)
	}
	path, data, err := o.syncRegister(so, src, s.Config)
	if err != nil {
		return o.fail(err)
	}
	updated, added, err := soupreg.Sync(path, data, s.Components())
	if err != nil {
		return o.fail(err)
	}
	if len(added) == 0 {
		fmt.Fprintf(o.Stdout, "%s: every component is registered\n", report.Text(path))
		return check.ExitPass
	}
	if !so.DryRun {
		if err := safefile.WriteFile(path, updated); err != nil {
			return o.fail(err)
		}
	}
	verb := "added"
	if so.DryRun {
		verb = "would add"
	}
	fmt.Fprintf(o.Stdout, "%s: %s %d skeleton entr%s to complete (marked TODO(tracegate)):\n", report.Text(path), verb, len(added), map[bool]string{true: "y", false: "ies"}[len(added) == 1])
	for _, a := range added {
		fmt.Fprintf(o.Stdout, "  %s\n", report.Text(a))
	}
	return check.ExitPass
}

// syncRegister finds the register soup sync edits and reads it (nil when
// it does not exist yet): --register as given, or the policy's
// soup.register, read from the work tree by the repository's rule for
// links (input.FollowLinks: one that leaves the repository is an error).
// The write goes to the path itself, never through a link: a register that
// is a link, or below a linked directory of the repository, is refused
// there (safefile), and the file it points to is the one to name.
func (o *Options) syncRegister(so SOUPOptions, src *check.Sources, cfg *config.Config) (string, []byte, error) {
	if so.Register != "" {
		data, err := os.ReadFile(so.Register)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", nil, &check.UsageError{Err: err}
		}
		return so.Register, data, nil
	}
	if cfg != nil && cfg.SOUP.Issues != nil {
		return "", nil, usagef("the policy keeps the SOUP register as GitHub issues (soup.issues, labels %s), and soup sync edits a register file: open an issue from the SOUP form for each component 'tracegate soup list' shows unregistered, or give --register", strings.Join(cfg.SOUP.Issues.Labels, ", "))
	}
	if cfg == nil || cfg.SOUP.Register == "" {
		return "", nil, usagef("soup sync needs --register (or the policy's soup.register)")
	}
	data, err := input.ReadAll(src.WorkTree, cfg.SOUP.Register, 0)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", nil, usagef("soup.register: %w", err)
	}
	dir := orDefault(o.Dir, ".")
	path := filepath.Join(dir, filepath.FromSlash(cfg.SOUP.Register))
	if err := safefile.CheckInside(dir, path); err != nil {
		return "", nil, usagef("soup.register: %w", err)
	}
	return path, data, nil
}

func diffSide(d *sbom.Document) releasedoc.DiffSide {
	return releasedoc.DiffSide{File: d.File, Format: string(d.Format), SpecVersion: d.SpecVersion, Components: len(d.Components)}
}

package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/logctx"
)

// policy reads the policy: opts.PolicyFile when set, else from a tree. The
// path that was asked for must exist; the default path may be absent
// (defaults apply). The globs given besides the policy are checked first,
// so that their mistakes are blamed on them.
func policy(ctx context.Context, tree fs.FS, opts Options, where string) (*config.Config, error) {
	if err := flagGlobs(opts); err != nil {
		return nil, err
	}
	if f := opts.PolicyFile; f != nil {
		c, err := readFile(f, func(fsys fs.FS, name string) (*config.Config, error) {
			data, err := input.ReadAll(fsys, name, 1<<20)
			if err != nil {
				return nil, err
			}
			return config.Parse(f.Path, data)
		})
		if err != nil {
			return nil, &UsageError{err}
		}
		logctx.From(ctx).Info("policy", "file", f.Path)
		return c, nil
	}
	path, optional := opts.ConfigPath, false
	if path == "" {
		path, optional = config.DefaultPath, true
	}
	c, err := config.Load(tree, path, optional)
	if err != nil {
		return nil, &UsageError{fmt.Errorf("policy at %s: %w", where, err)}
	}
	file := c.File
	if file == "" {
		file = "built-in defaults"
	}
	logctx.From(ctx).Info("policy", "file", file, "at", where)
	return c, nil
}

// flagGlobs checks the globs given besides the policy (--tests, --sbom, and
// the Action's tests and sbom inputs): each must parse and name files in
// the repository, or the run is a usage error that names the glob as given.
func flagGlobs(opts Options) error {
	var errs []error
	for _, f := range []struct {
		flag  string
		globs []string
	}{{"--tests", opts.Tests}, {"--sbom", opts.SOUP.SBOMs}, {"--sbom (base)", opts.SOUP.BaseSBOMs}} {
		for _, g := range f.globs {
			switch {
			case !config.InsideRepo(g):
				errs = append(errs, fmt.Errorf("%s %q leaves the repository: give a glob relative to the repository root (--dir) that stays inside it", f.flag, g))
			case !doublestar.ValidatePattern(g):
				errs = append(errs, fmt.Errorf("%s %q is not a valid glob", f.flag, g))
			}
		}
	}
	if len(errs) > 0 {
		return &UsageError{errors.Join(errs...)}
	}
	return nil
}

// File is a file named outside the repository's policy — on a command
// line — read from FS at Name and called Path in messages, as its user
// wrote it.
type File struct {
	FS   fs.FS
	Name string
	Path string
}

// OSFile is the file at path, relative to the working directory or
// absolute.
func OSFile(path string) (*File, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	return &File{FS: os.DirFS(filepath.Dir(abs)), Name: filepath.Base(abs), Path: path}, nil
}

// readFile reads f with a reader that takes an fs.FS, naming the file as
// its user wrote it in messages.
func readFile[T any](f *File, read func(fs.FS, string) (T, error)) (T, error) {
	v, err := read(f.FS, f.Name)
	if e, ok := input.AsError(err); ok && e.Pos.File == f.Name {
		e.Pos.File = f.Path
	}
	return v, err
}

package ingest

import (
	"errors"
	"io/fs"
	"path"
	"sort"

	"github.com/bmatcuk/doublestar/v4"
)

// skipDirs are never design-history inputs and can be huge.
var skipDirs = map[string]bool{".git": true}

// Glob returns the regular files in fsys that match pattern and none of the
// excludes, sorted. It walks only below the pattern's fixed prefix.
func Glob(fsys fs.FS, pattern string, exclude []string) ([]string, error) {
	base, _ := doublestar.SplitPattern(pattern)
	if base == "" {
		base = "."
	}
	var out []string
	err := fs.WalkDir(fsys, base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == base {
				return fs.SkipAll // the directory is simply not there: no matches
			}
			return err
		}
		if d.IsDir() {
			if p != base && skipDirs[path.Base(p)] {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if ok, _ := doublestar.Match(pattern, p); !ok {
			return nil
		}
		for _, x := range exclude {
			if ok, _ := doublestar.Match(x, p); ok {
				return nil
			}
		}
		out = append(out, p)
		return nil
	})
	sort.Strings(out)
	return out, err
}

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
	files, _, err := GlobAll(fsys, pattern, exclude)
	return files, err
}

// GlobAll is Glob that also returns the matching entries that are not
// regular files (symlinks, submodules, devices): they are never read, and
// the caller says so rather than dropping them silently.
func GlobAll(fsys fs.FS, pattern string, exclude []string) (files, irregular []string, err error) {
	base, _ := doublestar.SplitPattern(pattern)
	if base == "" {
		base = "."
	}
	var out []string
	err = fs.WalkDir(fsys, base, func(p string, d fs.DirEntry, err error) error {
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
		if ok, _ := doublestar.Match(pattern, p); !ok {
			return nil
		}
		for _, x := range exclude {
			if ok, _ := doublestar.Match(x, p); ok {
				return nil
			}
		}
		if !d.Type().IsRegular() {
			irregular = append(irregular, p)
			return nil
		}
		out = append(out, p)
		return nil
	})
	sort.Strings(out)
	sort.Strings(irregular)
	return out, irregular, err
}

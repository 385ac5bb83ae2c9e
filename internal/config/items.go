package config

import "github.com/bmatcuk/doublestar/v4"

// Owns reports whether a file of the repository belongs to the item: one
// of its path globs matches it.
func (it Item) Owns(file string) bool { return anyGlob(it.Paths, file) }

// Uses reports whether an SBOM file describes the item's build: one of
// its sboms globs matches it.
func (it Item) Uses(sbom string) bool { return anyGlob(it.SBOMs, sbom) }

func anyGlob(globs []string, p string) bool {
	for _, g := range globs {
		if ok, _ := doublestar.Match(g, p); ok {
			return true
		}
	}
	return false
}

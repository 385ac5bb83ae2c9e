package soupreg

import (
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/soup"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// check validates what the schema cannot: that each purl is a package URL
// (one that does not parse would silently fall back to matching by name),
// and that no two entries claim the same package. ptrs are the entries'
// JSON pointers.
func (d *decoder) check(items []model.SOUPItem, ptrs []string) {
	keys := make([]string, len(items))
	for i := range items {
		keys[i] = d.purl(&items[i], ptrs[i])
	}
	d.warns = append(d.warns, duplicates(items, keys)...)
}

// Duplicates warns of register entries that claim the same package as an
// earlier one (same package URL, or same name), for a register read
// elsewhere than from a file (GitHub issues) as for a file: both are kept,
// and only the first is matched to SBOM components.
func Duplicates(items []model.SOUPItem) []input.Warning {
	keys := make([]string, len(items))
	for i := range items {
		keys[i] = soup.PackageKey(items[i].PURL)
	}
	return duplicates(items, keys)
}

// duplicates finds the entries whose matching key (keys[i], "" without a
// purl) or name an earlier entry has.
func duplicates(items []model.SOUPItem, keys []string) []input.Warning {
	var warns []input.Warning
	byPURL := map[string]int{}
	byName := map[string]int{}
	for i := range items {
		it := &items[i]
		key := keys[i]
		dup, by := -1, ""
		if j, ok := byPURL[key]; ok && key != "" {
			dup, by = j, "purl "+key
		} else if j, ok := byName[strings.ToLower(it.Name)]; ok && it.Name != "" {
			// Two packages may share a name in different ecosystems
			// (pkg:npm/debug, pkg:pypi/debug): that is no duplicate
			// when both purls say so.
			if other := soup.PackageKey(items[j].PURL); key == "" || other == "" {
				dup, by = j, "name "+it.Name
			}
		}
		if dup >= 0 {
			warns = append(warns, input.Warnf(it.Source, "entry %q duplicates the entry %q at %s (same %s); both are kept, but only the first is matched to SBOM components: merge them",
				it.Name, items[dup].Name, items[dup].Source, by))
		}
		if _, ok := byPURL[key]; !ok && key != "" {
			byPURL[key] = i
		}
		if _, ok := byName[strings.ToLower(it.Name)]; !ok && it.Name != "" {
			byName[strings.ToLower(it.Name)] = i
		}
	}
	return warns
}

// purl checks an entry's purl and returns its matching key ("" without a
// purl).
func (d *decoder) purl(it *model.SOUPItem, ptr string) string {
	if it.PURL == "" {
		return ""
	}
	p := child(ptr, "purl")
	parsed, err := packageurl.FromString(it.PURL)
	key := soup.PackageKey(it.PURL)
	if err != nil || key == "" {
		reason := "it has no name"
		if err != nil {
			reason = err.Error()
		}
		d.fail(d.at(p), "write pkg:type/namespace/name as in https://github.com/package-url/purl-spec, e.g. pkg:github/madler/zlib, or leave purl out to match by name",
			"%s: %q is not a package URL: %s", d.name(p), it.PURL, reason)
		return ""
	}
	if parsed.Version != "" {
		msg := "%s: the version %q in purl %s is ignored: an entry matches its package at any version, and the version in use is the version field"
		args := []any{d.name(p), parsed.Version, it.PURL}
		if it.Version != "" && it.Version != parsed.Version {
			msg += " (%q)"
			args = append(args, it.Version)
		}
		d.warn(d.at(p), msg+"; write the purl without @version", args...)
	}
	return key
}

// name is how messages name the value at ptr: its key path in a YAML
// register, its column in a Markdown table.
func (d *decoder) name(ptr string) string {
	if n, ok := d.names[ptr]; ok {
		return n
	}
	return yamlsrc.DottedKey(ptr)
}

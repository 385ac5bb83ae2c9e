package osv

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/internal/osv/semantic"
)

// Match is a record that concerns the exact version of a package.
type Match struct {
	Record *Record `json:"record"`
	// Coordinate is what matched: the package or its source package.
	Coordinate Coordinate `json:"coordinate"`
	// Evidence says why, in terms an auditor can check against the record
	// ("2.30.0 is in the ECOSYSTEM range introduced 2.3.0, fixed 2.31.0").
	Evidence string `json:"evidence"`
	// Indeterminate is set when the record names the package but its
	// versions could not be evaluated (a malformed range, a version the
	// ecosystem's ordering rejects). The record is kept as an anomaly to
	// review rather than dropped: an unreadable advisory is not a clean one.
	Indeterminate bool `json:"indeterminate,omitempty"`
}

// matchRecord decides whether r concerns version c, following the OSV
// schema's evaluation algorithm (docs/schema.md, "Evaluation"): the
// version is affected when an affected entry for the package lists it in
// versions or one of its SEMVER/ECOSYSTEM ranges contains it. GIT ranges
// order commits, not versions, and are ignored here; a record whose entry
// for the package holds nothing else is indeterminate.
func matchRecord(r *Record, c Coordinate, vc versionCache) (Match, bool) {
	name := normalizeName(c.Ecosystem, c.Name)
	var undecided string
	for i := range r.Affected {
		a := &r.Affected[i]
		if a.Package == nil {
			continue // a GIT-only entry names a repository, not a package
		}
		eco, ok := canonicalEcosystem(a.Package.Ecosystem)
		if !ok || !ecosystemApplies(eco, c.Ecosystem) || normalizeName(eco, a.Package.Name) != name {
			continue
		}
		// Ranges of an ordering we know decide more versions than a list;
		// a list alone is also compared in the ecosystem's ordering.
		if ev, ok := inVersions(a.Versions, c, !hasVersionRanges(a.Ranges), vc); ok {
			return Match{Record: r, Coordinate: c, Evidence: ev}, true
		}
		versionRanges, gitRanges := 0, 0
		for _, rg := range a.Ranges {
			if strings.EqualFold(rg.Type, "GIT") {
				gitRanges++
				continue
			}
			versionRanges++
			affected, ev, problem := evalRange(rg, c, vc)
			if affected {
				return Match{Record: r, Coordinate: c, Evidence: ev}, true
			}
			if problem != "" && undecided == "" {
				undecided = problem
			}
		}
		if versionRanges == 0 && len(a.Versions) == 0 && undecided == "" {
			undecided = "the record names the package but gives no affected versions and no version ranges"
			if gitRanges > 0 {
				undecided += " (only GIT ranges, which order commits, not versions)"
			}
		}
	}
	if undecided != "" {
		return Match{Record: r, Coordinate: c, Indeterminate: true,
			Evidence: "cannot tell whether " + c.Version + " is affected: " + undecided}, true
	}
	return Match{}, false
}

// inVersions reports whether c's version is in an explicit versions list:
// written the same, as the schema's evaluation compares them, or, when
// ordered is set, equal in the ecosystem's ordering ("2.31" and "2.31.0"
// are one PyPI version). Ordering a whole list costs a parse per entry, so
// it is done only for entries whose list is all there is.
func inVersions(versions []string, c Coordinate, ordered bool, vc versionCache) (string, bool) {
	if len(versions) == 0 {
		return "", false
	}
	if slices.Contains(versions, c.Version) {
		return c.Version + " is listed in the record's affected versions", true
	}
	if !ordered {
		return "", false
	}
	pv, err := vc.parse(baseEcosystem(c.Ecosystem), c.Version)
	if err != nil {
		return "", false
	}
	for _, s := range versions {
		sv, err := vc.parse(baseEcosystem(c.Ecosystem), s)
		if err != nil {
			continue
		}
		if n, err := compareVersions(pv, sv); err == nil && n == 0 {
			return fmt.Sprintf("%s is listed in the record's affected versions (as %q)", c.Version, s), true
		}
	}
	return "", false
}

func hasVersionRanges(rs []Range) bool {
	return slices.ContainsFunc(rs, func(r Range) bool { return !strings.EqualFold(r.Type, "GIT") })
}

// point is a range event placed in the range's ordering.
type point struct {
	kind, value string
	v           semantic.Version // nil at the ends
	end         int              // -1: introduced "0"; +1: a limit of "*"; 0: a version
}

// evalRange evaluates one SEMVER or ECOSYSTEM range for c's version. It
// returns whether the version is affected, the evidence when it is, and,
// when the range cannot be evaluated, why.
func evalRange(rg Range, c Coordinate, vc versionCache) (affected bool, evidence, problem string) {
	typ := strings.ToUpper(rg.Type)
	var ordering string
	switch typ {
	case "SEMVER":
		// SEMVER ranges are SemVer 2.0 whatever the ecosystem.
		ordering = semverOrdering
	case "ECOSYSTEM":
		ordering = baseEcosystem(c.Ecosystem)
	default:
		return false, "", fmt.Sprintf("range type %q is not one the OSV schema defines", rg.Type)
	}
	parse := func(s string) (semantic.Version, error) { return vc.parse(ordering, s) }
	pv, err := parse(c.Version)
	if err != nil {
		if errors.Is(err, semantic.ErrUnsupportedEcosystem) {
			return false, "", fmt.Sprintf("tracegate has no version ordering for %s to evaluate its ECOSYSTEM range", baseEcosystem(c.Ecosystem))
		}
		return false, "", fmt.Sprintf("version %q cannot be ordered in the %s range: %v", c.Version, typ, err)
	}
	pts := make([]point, 0, len(rg.Events))
	introduced := false
	for i, e := range rg.Events {
		kind, value := e.kind()
		switch {
		case kind == "":
			return false, "", fmt.Sprintf("event %d of a %s range has not exactly one of introduced, fixed, last_affected, limit", i+1, typ)
		case kind == "introduced" && value == "0":
			pts = append(pts, point{kind: kind, value: value, end: -1})
		case kind == "limit" && strings.Contains(value, "*"):
			pts = append(pts, point{kind: kind, value: value, end: 1})
		default:
			v, err := parse(value)
			if err != nil {
				return false, "", fmt.Sprintf("%s version %q of a %s range cannot be ordered: %v", kind, value, typ, err)
			}
			pts = append(pts, point{kind: kind, value: value, v: v})
		}
		introduced = introduced || kind == "introduced"
	}
	if !introduced {
		return false, "", fmt.Sprintf("a %s range has no introduced event", typ)
	}
	// Events may come in any order; the algorithm walks them sorted. At
	// equal versions a fix sorts before an introduction, so that
	// "fixed X, introduced X" (a regression in X) leaves X affected.
	var cmpErr error
	slices.SortStableFunc(pts, func(a, b point) int {
		if a.end != b.end || a.end != 0 {
			return a.end - b.end
		}
		n, err := compareVersions(a.v, b.v)
		if err != nil {
			cmpErr = err
		}
		if n == 0 {
			return boolInt(a.kind == "introduced") - boolInt(b.kind == "introduced")
		}
		return n
	})
	if cmpErr != nil {
		return false, "", fmt.Sprintf("the events of a %s range cannot be ordered: %v", typ, cmpErr)
	}
	cmp := func(p point) int {
		if p.end != 0 {
			return -p.end
		}
		n, err := compareVersions(pv, p.v)
		if err != nil {
			cmpErr = err
		}
		return n
	}
	// A range with limits covers only versions below one of them.
	hasLimit, belowLimit := false, false
	for _, p := range pts {
		if p.kind == "limit" {
			hasLimit = true
			belowLimit = belowLimit || cmp(p) < 0
		}
	}
	vulnerable, from := false, -1
	for i, p := range pts {
		switch p.kind {
		case "introduced":
			if cmp(p) >= 0 {
				vulnerable, from = true, i
			}
		case "fixed":
			if cmp(p) >= 0 {
				vulnerable = false
			}
		case "last_affected":
			if cmp(p) > 0 {
				vulnerable = false
			}
		}
	}
	if cmpErr != nil {
		return false, "", fmt.Sprintf("%q cannot be compared with the events of a %s range: %v", c.Version, typ, cmpErr)
	}
	if !vulnerable || (hasLimit && !belowLimit) {
		return false, "", ""
	}
	upper := "not fixed"
	for _, p := range pts[from+1:] {
		if p.kind == "fixed" {
			upper = "fixed " + p.value
			break
		}
		if p.kind == "last_affected" {
			upper = "last affected " + p.value
			break
		}
	}
	return true, fmt.Sprintf("%s is in the %s range introduced %s, %s", c.Version, typ, pts[from].value, upper), ""
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// semverOrdering names SemVer 2.0 in a versionCache (not an ecosystem).
const semverOrdering = "SEMVER"

// versionCache memoises parsed versions by ordering: one query evaluates
// the same advisories' events for many versions of a package, and parsing
// is most of what matching costs. A nil cache parses every time. Not safe
// for concurrent use.
type versionCache map[versionKey]parsedVersion

type versionKey struct{ ordering, s string }

type parsedVersion struct {
	v   semantic.Version
	err error
}

// parse parses s in an ordering: semverOrdering or a base ecosystem.
func (vc versionCache) parse(ordering, s string) (semantic.Version, error) {
	k := versionKey{ordering, s}
	if p, ok := vc[k]; ok {
		return p.v, p.err
	}
	var p parsedVersion
	if ordering == semverOrdering {
		p.v, p.err = parseSemver(s)
	} else {
		p.v, p.err = parseVersion(s, ordering)
	}
	if vc != nil {
		vc[k] = p
	}
	return p.v, p.err
}

// parseSemver parses a SemVer 2.0 version (a leading "v" is tolerated).
func parseSemver(s string) (v semantic.Version, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("%w: version parser failed on %q: %v", semantic.ErrInvalidVersion, s, r)
		}
	}()
	return semantic.ParseSemverVersion(s), nil
}

// compareVersions orders two versions of one ordering; the comparison code
// is not ours and sees untrusted strings, so a panic becomes an error.
func compareVersions(a, b semantic.Version) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("version comparison failed: %v", r)
		}
	}()
	return a.Compare(b)
}

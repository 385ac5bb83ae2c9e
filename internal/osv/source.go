package osv

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/input"
)

// Source looks up the published anomalies of packages: the osv.dev API
// (Client) or a downloaded copy of the OSV database (DB). Both answer the
// same question the same way, so the SOUP register rule does not care
// which was used.
type Source interface {
	// Query returns one Result per package, in order. An error means the
	// lookup is incomplete and nothing may be concluded from it: a source
	// never returns part of the answer as if it were all of it.
	Query(ctx context.Context, pkgs []Package) (*Report, error)
}

// Status says whether a package's anomalies were looked up.
type Status string

const (
	// Checked: the package's exact version was looked up; Anomalies lists
	// what affects it (possibly nothing).
	Checked Status = "checked"
	// NotChecked: the package could not be looked up (Reason says why).
	// It is never the same as "no anomalies": the anomaly review of the
	// package is incomplete.
	NotChecked Status = "not-checked"
)

// Result is the anomaly lookup of one package.
type Result struct {
	Package Package `json:"package"`
	Status  Status  `json:"status"`
	Reason  string  `json:"reason,omitempty"`
	// Coordinates are what was looked up: the package as OSV names it and,
	// for distribution packages, its source package.
	Coordinates []Coordinate `json:"coordinates,omitempty"`
	// Anomalies are the records that affect the exact version, by id.
	Anomalies []Match `json:"anomalies,omitempty"`
	// Withdrawn are records that name the version but were withdrawn by
	// their database: not anomalies, listed so the review shows they were
	// seen and set aside.
	Withdrawn []Match `json:"withdrawn,omitempty"`
}

// Report is the answer of a Source.
type Report struct {
	// Source names the database consulted (the API's base URL or the
	// offline directory), At when: an anomaly review is valid for the
	// state of the database at a time.
	Source   string          `json:"source"`
	At       time.Time       `json:"at"`
	Results  []Result        `json:"results"`
	Warnings []input.Warning `json:"warnings,omitempty"`
}

// plan is the work of one Query: the packages resolved to coordinates, and
// the distinct coordinates to look up (many SBOM components share one
// source package).
type plan struct {
	results []Result
	coords  []Coordinate
}

func newPlan(pkgs []Package) *plan {
	p := &plan{results: make([]Result, len(pkgs))}
	seen := map[Coordinate]bool{}
	for i, pkg := range pkgs {
		coords, reason := resolve(pkg)
		p.results[i] = Result{Package: pkg, Status: Checked, Reason: reason, Coordinates: coords}
		if reason != "" {
			p.results[i].Status = NotChecked
			continue
		}
		for _, c := range coords {
			if !seen[c] {
				seen[c] = true
				p.coords = append(p.coords, c)
			}
		}
	}
	return p
}

// outcome is what a source found for one coordinate.
type outcome struct {
	matches    []Match
	notChecked string
}

// finish fills the results from the outcomes per coordinate. A package is
// checked only when every coordinate of it was.
func (p *plan) finish(out map[Coordinate]*outcome) []Result {
	for i := range p.results {
		r := &p.results[i]
		if r.Status != Checked {
			continue
		}
		seen := map[string]bool{}
		var reasons []string
		for _, c := range r.Coordinates {
			o := out[c]
			if o == nil {
				reasons = append(reasons, c.String()+" was not looked up")
				continue
			}
			if o.notChecked != "" {
				reasons = append(reasons, o.notChecked)
				continue
			}
			for _, m := range o.matches {
				if seen[m.Record.ID] {
					continue
				}
				seen[m.Record.ID] = true
				if m.Record.IsWithdrawn() {
					r.Withdrawn = append(r.Withdrawn, m)
				} else {
					r.Anomalies = append(r.Anomalies, m)
				}
			}
		}
		if len(reasons) > 0 {
			// What was found is kept: it is known, even if not all is.
			r.Status, r.Reason = NotChecked, strings.Join(slices.Compact(reasons), "; ")
		}
		byID := func(a, b Match) int { return strings.Compare(a.Record.ID, b.Record.ID) }
		slices.SortFunc(r.Anomalies, byID)
		slices.SortFunc(r.Withdrawn, byID)
	}
	return p.results
}

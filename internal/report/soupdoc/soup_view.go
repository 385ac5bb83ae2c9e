package soupdoc

import (
	"slices"
	"strings"

	"github.com/tracegate/tracegate/internal/osv"
	"github.com/tracegate/tracegate/internal/soup"
)

// View is the SOUP list with every judgement a reader needs taken
// once (register status, whose supplier, whether the anomaly review covers
// the version in use, which anomalies it assessed), so that the Markdown,
// HTML, CSV and XLSX documents cannot disagree about them.
type View struct {
	L    *soup.List
	Opts Options
	// Product is the title, else the SBOMs' root components.
	Product string
	Roots   []string
	Rows    []Row
	Counts  soupCounts
}

// soupCounts are the list's totals for summary lines.
type soupCounts struct {
	Components, Registered, NotRegistered, NotSOUP int
	// ReviewGaps: registered SOUP whose anomaly review is missing or is of
	// another version than the one in use.
	ReviewGaps int
	// Anomalies counts component × anomaly pairs (withdrawn records are not
	// anomalies); NotAssessed those no review of the version in use
	// assessed; WithAnomalies the components with any.
	Anomalies, NotAssessed, WithAnomalies int
	// NotChecked: components whose lookup was not made or is incomplete.
	NotChecked int
	Stale      int
}

// Register status of a component.
const (
	statusRegistered    = "registered"
	statusNotRegistered = "not registered"
	statusNotSOUP       = "not SOUP"
)

// Row is one component as the documents show it.
type Row struct {
	E *soup.ListEntry
	// Status is statusRegistered, statusNotRegistered or statusNotSOUP.
	Status string
	// Supplier is the register's manufacturer if it names one, else the
	// SBOM's supplier; SupplierFrom says which ("register manufacturer",
	// "SBOM supplier", "SBOM authors", …).
	Supplier, SupplierFrom string
	// Dependency is direct, transitive or unknown.
	Dependency string
	Review     soupReview
	Lookup     soupLookup
	// Anomalies are the records found for the version in use, then the
	// withdrawn ones.
	Anomalies []soupAnomaly
}

// soupReview is the register's anomaly review against the version in use.
type soupReview struct {
	// State is reviewNotApplicable (no register entry), reviewMissing,
	// reviewOtherVersion or reviewCurrent.
	State                   string
	Text                    string
	Version, Date, Reviewer string
}

const (
	reviewNotApplicable = ""
	reviewMissing       = "missing"
	reviewOtherVersion  = "other-version"
	reviewCurrent       = "current"
)

// Gap reports a review that does not cover the version in use.
func (r soupReview) Gap() bool { return r.State == reviewMissing || r.State == reviewOtherVersion }

// soupLookup is the anomaly database's answer for the component.
type soupLookup struct {
	// State is "checked", "not-checked" or "not looked up".
	State string
	Text  string
}

// Checked reports a complete lookup.
func (l soupLookup) Checked() bool { return l.State == string(osv.Checked) }

const lookupNotMade = "not looked up"

// soupAnomaly is one record found for a component's version.
type soupAnomaly struct {
	ID       string
	Aliases  []string
	Severity string
	Summary  string
	Evidence string
	// Indeterminate: the record names the package but whether the version
	// is affected could not be evaluated. Withdrawn: the record was
	// withdrawn; it is shown, not counted.
	Indeterminate, Withdrawn bool
	// Assessed is assessedCurrent, assessedOtherVersion or notAssessed;
	// Assessment is the review's text for it, as written.
	Assessed   string
	Assessment string
	Record     *osv.Record
}

const (
	assessedCurrent      = "assessed"
	assessedOtherVersion = "assessed for another version"
	notAssessed          = "not assessed"
)

// Status says what kind of match the record is.
func (a soupAnomaly) Status() string {
	switch {
	case a.Withdrawn:
		return "withdrawn"
	case a.Indeterminate:
		return "indeterminate"
	}
	return "affected"
}

// AssessedText is the assessment as a reader needs it: what the review
// said, or why it does not count.
func (a soupAnomaly) AssessedText(reviewVersion string) string {
	switch a.Assessed {
	case assessedCurrent:
		if a.Assessment == "" {
			return "assessed (no assessment text)"
		}
		return "assessed: " + a.Assessment
	case assessedOtherVersion:
		s := "assessed by a review of another version, which does not count"
		if strings.TrimSpace(reviewVersion) != "" {
			s = "assessed for " + reviewVersion + " only, which is not the version in use"
		}
		if a.Assessment != "" {
			s += ": " + a.Assessment
		}
		return s
	}
	return notAssessed
}

// Label is the anomaly on one line: "GHSA-… (HIGH): summary".
func (a soupAnomaly) Label() string {
	s := a.ID
	if a.Severity != "" {
		s += " (" + a.Severity + ")"
	}
	if a.Indeterminate {
		s += " [indeterminate]"
	}
	if a.Withdrawn {
		s += " [withdrawn]"
	}
	if a.Summary != "" {
		s += ": " + a.Summary
	}
	return s
}

func NewView(l *soup.List, opts Options) *View {
	v := &View{L: l, Opts: opts, Product: strings.TrimSpace(opts.Title)}
	for _, d := range l.Documents {
		if d.Root != "" && !slices.Contains(v.Roots, d.Root) {
			v.Roots = append(v.Roots, d.Root)
		}
	}
	if v.Product == "" {
		v.Product = strings.Join(v.Roots, ", ")
	}
	c := &v.Counts
	c.Components, c.Stale = len(l.Components), len(l.Stale)
	v.Rows = make([]Row, len(l.Components))
	for i := range l.Components {
		r := newSOUPRow(&l.Components[i], l.Anomalies != nil)
		v.Rows[i] = r
		switch r.Status {
		case statusRegistered:
			c.Registered++
			if r.Review.Gap() {
				c.ReviewGaps++
			}
		case statusNotRegistered:
			c.NotRegistered++
		default:
			c.NotSOUP++
		}
		if !r.Lookup.Checked() {
			c.NotChecked++
		}
		n := 0
		for _, a := range r.Anomalies {
			if a.Withdrawn {
				continue
			}
			n++
			if a.Assessed != assessedCurrent {
				c.NotAssessed++
			}
		}
		c.Anomalies += n
		if n > 0 {
			c.WithAnomalies++
		}
	}
	return v
}

func newSOUPRow(e *soup.ListEntry, looked bool) Row {
	r := Row{E: e, Dependency: "unknown"}
	switch {
	case e.NotSOUP:
		r.Status = statusNotSOUP
	case e.Register != nil:
		r.Status = statusRegistered
	default:
		r.Status = statusNotRegistered
	}
	if e.Direct != nil {
		r.Dependency = "transitive"
		if *e.Direct {
			r.Dependency = "direct"
		}
	}
	switch {
	case e.Register != nil && strings.TrimSpace(e.Register.Manufacturer) != "":
		r.Supplier, r.SupplierFrom = e.Register.Manufacturer, "register manufacturer"
	case strings.TrimSpace(e.Supplier) != "":
		from := e.Component.SupplierFrom
		if from == "" {
			from = "supplier"
		}
		r.Supplier, r.SupplierFrom = e.Supplier, "SBOM "+from
	}
	r.Review = reviewOf(e)
	r.Lookup = lookupOf(e, looked)
	r.Anomalies = anomaliesOf(e, r.Review)
	return r
}

// reviewOf compares the register's anomaly review with the version in
// use. Versions are compared as written: a review of "v2.31.0" does not
// cover "2.31.0" without someone saying so, and an unknown version in use
// is never covered.
func reviewOf(e *soup.ListEntry) soupReview {
	if e.Register == nil {
		return soupReview{State: reviewNotApplicable}
	}
	rev := e.Register.AnomalyReview
	if rev == nil {
		return soupReview{State: reviewMissing, Text: "no anomaly review"}
	}
	r := soupReview{Version: rev.Version, Date: rev.Date, Reviewer: rev.Reviewer}
	reviewed, inUse := strings.TrimSpace(rev.Version), strings.TrimSpace(e.Version)
	switch {
	case reviewed == "":
		r.State, r.Text = reviewOtherVersion, "the review names no version; in use "+orUnknown(inUse)
	case inUse == "":
		r.State, r.Text = reviewOtherVersion, "reviewed "+reviewed+"; the version in use is unknown"
	case reviewed != inUse:
		r.State, r.Text = reviewOtherVersion, "version mismatch: reviewed "+reviewed+", in use "+inUse
	default:
		r.State, r.Text = reviewCurrent, "covers "+inUse
	}
	return r
}

func lookupOf(e *soup.ListEntry, looked bool) soupLookup {
	a := e.Anomalies
	switch {
	case a == nil && looked:
		return soupLookup{State: lookupNotMade, Text: "not looked up (no result for this component)"}
	case a == nil:
		return soupLookup{State: lookupNotMade, Text: lookupNotMade}
	case a.Status == osv.Checked:
		return soupLookup{State: string(osv.Checked), Text: "checked"}
	}
	s := "not checked"
	if a.Status != osv.NotChecked && a.Status != "" {
		s = "not checked (status " + string(a.Status) + ")"
	}
	if a.Reason != "" {
		s += ": " + a.Reason
	}
	return soupLookup{State: string(osv.NotChecked), Text: s}
}

func anomaliesOf(e *soup.ListEntry, rev soupReview) []soupAnomaly {
	if e.Anomalies == nil {
		return nil
	}
	assessed := map[string]string{}
	if e.Register != nil && e.Register.AnomalyReview != nil {
		for _, ra := range e.Register.AnomalyReview.Anomalies {
			k := anomalyKey(ra.ID)
			if _, dup := assessed[k]; !dup && k != "" {
				assessed[k] = ra.Assessment
			}
		}
	}
	var out []soupAnomaly
	add := func(m osv.Match, withdrawn bool) {
		a := soupAnomaly{Indeterminate: m.Indeterminate, Withdrawn: withdrawn, Evidence: m.Evidence, Record: m.Record, Assessed: notAssessed}
		if m.Record == nil {
			a.ID = "(no record)"
			out = append(out, a)
			return
		}
		rec := m.Record
		a.ID, a.Aliases, a.Summary, a.Severity = rec.ID, rec.Aliases, rec.Summary, severityText(rec)
		for _, id := range append([]string{rec.ID}, rec.Aliases...) {
			if text, ok := assessed[anomalyKey(id)]; ok {
				a.Assessment = text
				a.Assessed = assessedOtherVersion
				if rev.State == reviewCurrent {
					a.Assessed = assessedCurrent
				}
				break
			}
		}
		out = append(out, a)
	}
	for _, m := range e.Anomalies.Anomalies {
		add(m, false)
	}
	for _, m := range e.Anomalies.Withdrawn {
		add(m, true)
	}
	return out
}

// anomalyKey compares anomaly IDs as their databases do: case-insensitive
// ("GHSA-j8r2-6x86-q33q" is written both ways).
func anomalyKey(id string) string { return strings.ToUpper(strings.TrimSpace(id)) }

// severityText is what the record says about severity: the database's
// word (GitHub's HIGH, MODERATE, …) and the CVSS vectors, as written. No
// score is computed: a vector is what the record asserts.
func severityText(r *osv.Record) string {
	var parts []string
	if s := strings.TrimSpace(r.DatabaseSeverity()); s != "" {
		parts = append(parts, s)
	}
	sev := r.Severity
	if len(sev) == 0 {
		for _, a := range r.Affected {
			sev = append(sev, a.Severity...)
		}
	}
	for _, s := range sev {
		t := strings.TrimSpace(s.Score)
		if !strings.HasPrefix(t, "CVSS:") && s.Type != "" {
			t = s.Type + " " + t
		}
		if t != "" && !slices.Contains(parts, t) {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, ", ")
}

// IDs of the anomalies in a given assessment state, withdrawn excluded.
func (r *Row) anomalyIDs(assessed bool) []string {
	var ids []string
	for _, a := range r.Anomalies {
		if !a.Withdrawn && (a.Assessed == assessedCurrent) == assessed {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

func (r *Row) withdrawnIDs() []string {
	var ids []string
	for _, a := range r.Anomalies {
		if a.Withdrawn {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

func orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return "unknown"
	}
	return s
}

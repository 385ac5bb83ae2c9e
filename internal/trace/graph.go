package trace

import (
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// Status is the verification status of a requirement or risk control.
type Status string

const (
	// Verified: at least one passing test (or, for a requirement verified by
	// inspection, analysis or demonstration, existing evidence) and no
	// failing test.
	Verified Status = "verified"
	// Failed: at least one linked test failed or errored.
	Failed Status = "failed"
	// Unverified: no passing test and no evidence.
	Unverified Status = "unverified"
)

// Graph is the resolved design history file.
type Graph struct {
	Requirements []*Requirement // sorted by ID
	Hazards      []*Hazard      // sorted by ID
	RiskControls []*RiskControl // sorted by ID
	Tests        []*Test        // in report order
	// Links that could not be resolved, and other facts the lint needs.
	Dangling []BrokenLink
	// External are the links to IDs of the policy's external namespaces
	// that no file defines: kept outside the repository, they resolve as
	// external, not as broken.
	External   []ExternalLink
	Duplicates []Duplicate
	Ambiguous  []AmbiguousTag
	// Cycles of the parent relation, each as the IDs involved.
	Cycles [][]string
	// TestTotals counts test cases by outcome: those in Tests and those
	// the loader counted without keeping (model.DHF.Unkept).
	TestTotals Totals

	reqByID  map[string]*Requirement
	hazByID  map[string]*Hazard
	ctrlByID map[string]*RiskControl
	ids      *IDs
}

// ExternalLink is a link from an item to an ID of an external namespace
// (policy external): the item it names is kept in another tool.
type ExternalLink struct {
	FromKind string // requirement | hazard | risk_control | test
	From     string // ID of the item, or the test's full name
	Field    string // parents | risk_controls | requirements | hazards | property | name | tag
	To       string
	ToKind   string
	// Namespace is the namespace's name; URL where the item is read, or "".
	Namespace string
	URL       string
	Pos       input.Pos
}

// ExternalOf returns the external links of one item, in graph order.
func (g *Graph) ExternalOf(fromKind, from string) []ExternalLink {
	var out []ExternalLink
	for _, l := range g.External {
		if l.FromKind == fromKind && l.From == from {
			out = append(out, l)
		}
	}
	return out
}

// Requirement is a requirement with its resolved links.
type Requirement struct {
	*model.Requirement
	Class    model.Class // effective safety class
	Active   bool        // status is in the policy's active list (or empty)
	Parents  []*Requirement
	Children []*Requirement
	Controls []*RiskControl
	// Introduces are the hazards whose causes lie in this item's design
	// (IEC 62304 7.1.2), linked from either side.
	Introduces []*Hazard
	Tests      []TestLink
	Outcome    Status // verification outcome (the lifecycle state is Requirement.Status)
	// Own is the outcome of its own tests or records. Outcome differs from
	// it only for a parent judged through its active children
	// (verification.parents: children or both), which RolledUp marks.
	Own      Status
	RolledUp bool
	// EvidenceOK lists evidence files that exist (non-test verification).
	EvidenceOK []string
}

// TestLink is one test verifying a requirement, and how the link was made.
type TestLink struct {
	Test *Test
	Via  string // property | name | tag | requirement
}

// Link ways.
const (
	ViaProperty    = "property"    // JUnit property on the case or its suite
	ViaName        = "name"        // ID in the test or class name
	ViaTag         = "tag"         // Verifies: tag in the test source
	ViaRequirement = "requirement" // the requirement lists the test
	// ViaTestCase prefixes the ID of the test case through which the test
	// verifies the requirement ("test case TC-7").
	ViaTestCase = "test case"
)

// Test is one test case with the requirements it verifies.
type Test struct {
	*model.TestCase
	Requirements []*Requirement
}

// Hazard is a hazard with its controls and matrix-derived acceptability.
type Hazard struct {
	*model.Hazard
	Controls []*RiskControl
	// IntroducedBy are the requirements and specifications whose design
	// introduces the hazard, linked from either side.
	IntroducedBy []*Requirement
	// Initial and Residual carry the levels normalised to the matrix's
	// names and the acceptability the matrix gives them ("" if the levels
	// are not in the matrix; see BadLevels).
	Initial, Residual model.RiskEstimate
	BadLevels         []string // messages about levels not in the matrix
}

// RiskControl is a risk control with the hazards it reduces and the
// requirements that implement it.
type RiskControl struct {
	*model.RiskControl
	Hazards      []*Hazard
	Requirements []*Requirement
	Outcome      Status
}

// BrokenLink is a reference from one item to an ID that does not exist.
type BrokenLink struct {
	FromKind string // requirement | hazard | risk_control | test
	From     string // ID of the item, or the test's full name
	Field    string // parents | risk_controls | requirements | hazards | property | tests
	To       string
	// ToKind is the kind the field expects.
	ToKind string
	Pos    input.Pos
	// Note says what the target is when it exists as another kind of item
	// (a test case named where a requirement belongs).
	Note string
}

// Duplicate is an ID defined more than once.
type Duplicate struct {
	ID    string
	Kinds []string
	Pos   []input.Pos
}

// AmbiguousTag is a test case whose name matches Verifies: tags in several
// source files, none of which fits its class or package better than the
// others, so that no tag was applied.
type AmbiguousTag struct {
	Test     string
	Function string
}

// Totals counts tests by outcome.
type Totals = model.TestTotals

// Requirement returns the requirement with the ID, or nil.
func (g *Graph) Requirement(id string) *Requirement { return g.reqByID[id] }

// Hazard returns the hazard with the ID, or nil.
func (g *Graph) Hazard(id string) *Hazard { return g.hazByID[id] }

// RiskControl returns the risk control with the ID, or nil.
func (g *Graph) RiskControl(id string) *RiskControl { return g.ctrlByID[id] }

// Build resolves the DHF's links under the policy. It never fails: what it
// cannot resolve is recorded in the graph for the rules to report.
func Build(dhf *model.DHF, cfg *config.Config, ids *IDs) *Graph {
	g := &Graph{
		reqByID:  map[string]*Requirement{},
		hazByID:  map[string]*Hazard{},
		ctrlByID: map[string]*RiskControl{},
		ids:      ids,
	}
	g.addItems(dhf, cfg)
	g.linkRequirements()
	g.Cycles = g.findCycles()
	g.linkRisk(cfg)
	g.linkTests(dhf, ids)
	g.decide(dhf)
	g.rollUp(cfg.Verification.Parents)
	return g
}

func (g *Graph) addItems(dhf *model.DHF, cfg *config.Config) {
	active := map[string]bool{}
	for _, s := range cfg.RequirementStatus.Active {
		active[s] = true
	}
	defs := map[string]*Duplicate{}
	define := func(id, kind string, pos input.Pos) bool {
		d := defs[id]
		if d == nil {
			defs[id] = &Duplicate{ID: id, Kinds: []string{kind}, Pos: []input.Pos{pos}}
			return true
		}
		d.Kinds = append(d.Kinds, kind)
		d.Pos = append(d.Pos, pos)
		return false
	}
	for i := range dhf.Requirements {
		r := &dhf.Requirements[i]
		n := &Requirement{Requirement: r, Class: effectiveClass(r, cfg)}
		// A requirement without a status is in force: absence of a state
		// must not exempt it from verification.
		n.Active = r.Status == "" || active[r.Status]
		if define(r.ID, config.KindRequirement, r.Source) {
			g.reqByID[r.ID] = n
		}
		g.Requirements = append(g.Requirements, n)
	}
	for i := range dhf.Hazards {
		h := &dhf.Hazards[i]
		n := &Hazard{Hazard: h}
		if define(h.ID, config.KindHazard, h.Source) {
			g.hazByID[h.ID] = n
		}
		g.Hazards = append(g.Hazards, n)
	}
	for i := range dhf.RiskControls {
		c := &dhf.RiskControls[i]
		n := &RiskControl{RiskControl: c}
		if define(c.ID, config.KindRiskControl, c.Source) {
			g.ctrlByID[c.ID] = n
		}
		g.RiskControls = append(g.RiskControls, n)
	}
	for _, d := range defs {
		if len(d.Pos) > 1 {
			g.Duplicates = append(g.Duplicates, *d)
		}
	}
	sort.Slice(g.Duplicates, func(i, j int) bool { return g.Duplicates[i].ID < g.Duplicates[j].ID })
	sort.SliceStable(g.Requirements, func(i, j int) bool { return IDLess(g.Requirements[i].ID, g.Requirements[j].ID) })
	sort.SliceStable(g.Hazards, func(i, j int) bool { return IDLess(g.Hazards[i].ID, g.Hazards[j].ID) })
	sort.SliceStable(g.RiskControls, func(i, j int) bool { return IDLess(g.RiskControls[i].ID, g.RiskControls[j].ID) })
}

// effectiveClass is the requirement's own class, else its item's, else the
// system's (IEC 62304 4.3: an item inherits the class of the system unless
// the architecture segregates it).
func effectiveClass(r *model.Requirement, cfg *config.Config) model.Class {
	if r.Class != "" {
		return r.Class
	}
	if r.Item != "" {
		if c, ok := cfg.ClassOfItem(r.Item); ok {
			return c
		}
	}
	return cfg.SafetyClass
}

func (g *Graph) linkRequirements() {
	for _, r := range g.Requirements {
		if g.reqByID[r.ID] != r {
			continue // a duplicate: links are taken from the first definition only
		}
		from := BrokenLink{FromKind: config.KindRequirement, From: r.ID, Field: "parents", ToKind: config.KindRequirement, Pos: r.Source}
		resolve(g, from, r.Requirement.Parents, g.reqByID, func(pr *Requirement) {
			if pr != r { // a requirement listed as its own parent is reported as a cycle (findCycles)
				r.Parents = append(r.Parents, pr)
				pr.Children = append(pr.Children, r)
			}
		})
	}
}

func (g *Graph) linkRisk(cfg *config.Config) {
	m := newMatrix(cfg.RiskMatrix)
	ctrlHaz, ctrlReq := pairs{}, pairs{}
	linkCH := func(c *RiskControl, h *Hazard) {
		if ctrlHaz.first(c.ID, h.ID) {
			c.Hazards = append(c.Hazards, h)
			h.Controls = append(h.Controls, c)
		}
	}
	linkCR := func(c *RiskControl, r *Requirement) {
		if ctrlReq.first(c.ID, r.ID) {
			c.Requirements = append(c.Requirements, r)
			r.Controls = append(r.Controls, c)
		}
	}
	for _, h := range g.Hazards {
		h.Initial, h.BadLevels = m.estimate(h.Hazard.Initial, "initial", h.BadLevels)
		h.Residual, h.BadLevels = m.estimate(h.Hazard.Residual, "residual", h.BadLevels)
		if g.hazByID[h.ID] != h {
			continue
		}
		from := BrokenLink{FromKind: config.KindHazard, From: h.ID, Field: "risk_controls", ToKind: config.KindRiskControl, Pos: h.Source}
		resolve(g, from, h.Hazard.Controls, g.ctrlByID, func(c *RiskControl) { linkCH(c, h) })
	}
	for _, c := range g.RiskControls {
		if g.ctrlByID[c.ID] != c {
			continue
		}
		from := BrokenLink{FromKind: config.KindRiskControl, From: c.ID, Field: "hazards", ToKind: config.KindHazard, Pos: c.Source}
		resolve(g, from, c.RiskControl.Hazards, g.hazByID, func(h *Hazard) { linkCH(c, h) })
		from.Field, from.ToKind = "requirements", config.KindRequirement
		resolve(g, from, c.RiskControl.Requirements, g.reqByID, func(r *Requirement) { linkCR(c, r) })
	}
	introduced := pairs{}
	linkIH := func(r *Requirement, h *Hazard) {
		if introduced.first(r.ID, h.ID) {
			r.Introduces = append(r.Introduces, h)
			h.IntroducedBy = append(h.IntroducedBy, r)
		}
	}
	for _, h := range g.Hazards {
		if g.hazByID[h.ID] != h {
			continue
		}
		from := BrokenLink{FromKind: config.KindHazard, From: h.ID, Field: "introduced_by", ToKind: config.KindRequirement, Pos: h.Source}
		resolve(g, from, h.Hazard.IntroducedBy, g.reqByID, func(r *Requirement) { linkIH(r, h) })
	}
	for _, r := range g.Requirements {
		if g.reqByID[r.ID] != r {
			continue
		}
		from := BrokenLink{FromKind: config.KindRequirement, From: r.ID, Field: "risk_controls", ToKind: config.KindRiskControl, Pos: r.Source}
		resolve(g, from, r.Requirement.RiskControls, g.ctrlByID, func(c *RiskControl) { linkCR(c, r) })
		from.Field, from.ToKind = "introduces_risks", config.KindHazard
		resolve(g, from, r.Requirement.Introduces, g.hazByID, func(h *Hazard) { linkIH(r, h) })
	}
	for _, c := range g.RiskControls {
		sortByID(c.Hazards, func(h *Hazard) string { return h.ID })
		sortByID(c.Requirements, func(r *Requirement) string { return r.ID })
	}
	for _, h := range g.Hazards {
		sortByID(h.Controls, func(c *RiskControl) string { return c.ID })
		sortByID(h.IntroducedBy, func(r *Requirement) string { return r.ID })
	}
	for _, r := range g.Requirements {
		sortByID(r.Controls, func(c *RiskControl) string { return c.ID })
		sortByID(r.Introduces, func(h *Hazard) string { return h.ID })
	}
}

// resolve links each ID of one field to the item byID holds for it, or
// records the link, described by from, as dangling.
func resolve[T any](g *Graph, from BrokenLink, ids []string, byID map[string]*T, link func(*T)) {
	for _, id := range ids {
		if t := byID[id]; t != nil {
			link(t)
			continue
		}
		if g.external(from.FromKind, from.From, from.Field, id, from.ToKind, from.Pos) {
			continue
		}
		b := from
		b.To = id
		g.Dangling = append(g.Dangling, b)
	}
}

// external records a link to id as external when one of the policy's
// external namespaces holds id as a target of toKind, and reports whether
// it did.
func (g *Graph) external(fromKind, from, field, id, toKind string, pos input.Pos) bool {
	if g.ids == nil {
		return false
	}
	ns, ok := g.ids.External(toKind, id)
	if !ok {
		return false
	}
	g.External = append(g.External, ExternalLink{FromKind: fromKind, From: from, Field: field, To: id, ToKind: toKind,
		Namespace: ns.Name, URL: ns.Link(id), Pos: pos})
	return true
}

func (g *Graph) dangling(fromKind, from, field, to, toKind string, pos input.Pos) {
	g.Dangling = append(g.Dangling, BrokenLink{FromKind: fromKind, From: from, Field: field, To: to, ToKind: toKind, Pos: pos})
}

// decide computes the verification status of every requirement and risk
// control from the linked tests.
func (g *Graph) decide(dhf *model.DHF) {
	for _, r := range g.Requirements {
		passed, bad := 0, 0
		for _, l := range r.Tests {
			switch {
			case l.Test.Outcome.Bad():
				bad++
			case l.Test.Outcome == model.Passed:
				passed++
			}
		}
		if r.Method() != model.VerifyTest {
			for _, e := range r.Evidence {
				if dhf.Evidence[e] {
					r.EvidenceOK = append(r.EvidenceOK, e)
				}
			}
		}
		switch {
		case bad > 0:
			r.Outcome = Failed
		case passed > 0 || len(r.EvidenceOK) > 0:
			r.Outcome = Verified
		default:
			r.Outcome = Unverified
		}
		r.Own = r.Outcome
	}
	for _, c := range g.RiskControls {
		c.Outcome = controlStatus(c)
	}
}

// controlStatus: a control is verified when it is implemented by at least
// one active requirement and every active requirement implementing it is
// verified (IEC 62304 7.3.1: verify each risk control measure).
func controlStatus(c *RiskControl) Status {
	n := 0
	st := Verified
	for _, r := range c.Requirements {
		if !r.Active {
			continue
		}
		n++
		switch r.Outcome {
		case Failed:
			return Failed
		case Unverified:
			st = Unverified
		}
	}
	if n == 0 {
		return Unverified
	}
	return st
}

func sortByID[T any](s []T, id func(T) string) {
	sort.SliceStable(s, func(i, j int) bool { return IDLess(id(s[i]), id(s[j])) })
}

// IDLess orders IDs naturally: SRS-2 before SRS-10. Leading zeros only
// break ties (SRS-1 before SRS-01), so the order is total and stable.
func IDLess(a, b string) bool {
	zeros := 0 // first difference in leading zeros: <0 means a first
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			if zeros == 0 {
				zeros = da - db
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return zeros < 0
}

func digits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// pairs are the links made so far, by the IDs they join: a link written on
// both sides (a hazard naming its control, the control naming the hazard)
// is made once.
type pairs map[[2]string]bool

// first reports whether a and b are joined for the first time, and notes
// that they now are.
func (p pairs) first(a, b string) bool {
	k := [2]string{a, b}
	if p[k] {
		return false
	}
	p[k] = true
	return true
}

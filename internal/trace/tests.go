package trace

import (
	"path"
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// linkTests ties test cases to requirements, in four ways: JUnit properties,
// IDs in the test or class name (and Ketryx's @tests:ID in a Jest title,
// which the report's name carries), Verifies: tags in test sources, and
// test names listed by the requirement itself. A link to a test case kept
// as an item of its own (a Ketryx Test Case, a Gherkin scenario's @id:) is
// a link to what that test case tests.
func (g *Graph) linkTests(dhf *model.DHF, ids *IDs) {
	tags := indexTags(dhf.Tags)
	defs := g.testDefinitions(dhf)
	for i, b := range g.Dangling {
		if b.FromKind == config.KindRiskControl && b.ToKind == config.KindRequirement && defs[b.To] != nil {
			// Ketryx lets a Risk name a Test Case among the items that
			// control it: it verifies, it does not implement.
			g.Dangling[i].Note = "it is a test case, which verifies requirements; a risk control is implemented by requirements"
		}
	}
	byName := map[string][]*Test{}
	g.TestTotals = dhf.Unkept
	for i := range dhf.Tests {
		t := &Test{TestCase: &dhf.Tests[i]}
		g.Tests = append(g.Tests, t)
		g.TestTotals.Add(t.Outcome)
		byName[t.Name] = append(byName[t.Name], t)
		byName[t.FullName()] = append(byName[t.FullName()], t)

		seen := map[string]bool{}
		var link func(id, via string)
		link = func(id, via string) {
			if seen[id] {
				return
			}
			seen[id] = true
			r := g.reqByID[id]
			if r == nil {
				if d := defs[id]; d != nil {
					// test → test case → what it tests. One hop: a test
					// case that names another test case names no
					// requirement, and says so as a broken link.
					for _, to := range d.Tests {
						if defs[to] != nil && g.reqByID[to] == nil {
							g.dangling("test case", d.ID, "tests", to, config.KindRequirement, d.Source)
							continue
						}
						link(to, ViaTestCase+" "+d.ID)
					}
					return
				}
				if !g.external("test", t.FullName(), via, id, config.KindRequirement, t.Source) {
					g.dangling("test", t.FullName(), via, id, config.KindRequirement, t.Source)
				}
				return
			}
			t.Requirements = append(t.Requirements, r)
			r.Tests = append(r.Tests, TestLink{Test: t, Via: via})
		}
		for _, v := range t.TestCase.Requirements {
			if exact := g.exactIDs(v, defs); len(exact) > 0 {
				// Ketryx's tested-item-id names items as written; a
				// test case's ID (TEST-SWR-1-UI) must not be read as the
				// requirement ID inside it (SWR-1).
				for _, id := range exact {
					link(id, ViaProperty)
				}
				continue
			}
			found := ids.Find(config.KindRequirement, v)
			if len(found) == 0 {
				// An ID of an external namespace the requirement pattern
				// does not cover (SR-12 when requirements are SRS-…).
				found = ids.FindExternal(config.KindRequirement, v)
			}
			if len(found) == 0 {
				// A property value that holds no requirement ID is a broken
				// link, not nothing: report it as dangling.
				g.dangling("test", t.FullName(), ViaProperty, strings.TrimSpace(v), config.KindRequirement, t.Source)
			}
			for _, id := range found {
				link(id, ViaProperty)
			}
		}
		for _, id := range model.KetryxNameTags(t.ClassName + " " + t.Name) {
			link(id, ViaName)
		}
		for _, id := range ids.Find(config.KindRequirement, t.ClassName+" "+t.Name) {
			link(id, ViaName)
		}
		matched, ambiguous := tags.forTest(t.TestCase)
		if ambiguous {
			g.Ambiguous = append(g.Ambiguous, AmbiguousTag{Test: t.FullName(), Function: t.TestCase.NameCandidates()[0]})
		}
		for _, ti := range matched {
			for _, id := range dhf.Tags[ti].IDs {
				link(id, ViaTag)
			}
		}
	}
	// Tags that match no executed test link nothing: the test may not be in
	// this run's reports, and a requirement verified only through such a
	// tag stays unverified.

	for _, r := range g.Requirements {
		if g.reqByID[r.ID] != r {
			continue
		}
		for _, name := range r.Requirement.Tests {
			ts := byName[name]
			if len(ts) == 0 {
				g.dangling(config.KindRequirement, r.ID, "tests", name, "test", r.Source)
				continue
			}
			for _, t := range ts {
				if !hasTest(r, t) {
					t.Requirements = append(t.Requirements, r)
					r.Tests = append(r.Tests, TestLink{Test: t, Via: ViaRequirement})
				}
			}
		}
	}
	for _, r := range g.Requirements {
		sort.SliceStable(r.Tests, func(i, j int) bool { return r.Tests[i].Test.FullName() < r.Tests[j].Test.FullName() })
	}
}

// testDefinitions indexes the test cases kept as items: Ketryx Test Case
// items, and Gherkin scenarios with an @id: tag. The first definition of
// an ID wins; a second is a duplicate the lint reports.
func (g *Graph) testDefinitions(dhf *model.DHF) map[string]*model.TestDefinition {
	defs := map[string]*model.TestDefinition{}
	add := func(d model.TestDefinition) {
		if d.ID == "" {
			return
		}
		if prev := defs[d.ID]; prev != nil {
			g.Duplicates = append(g.Duplicates, Duplicate{ID: d.ID, Kinds: []string{"test case", "test case"}, Pos: []input.Pos{prev.Source, d.Source}})
			return
		}
		if g.reqByID[d.ID] != nil {
			g.Duplicates = append(g.Duplicates, Duplicate{ID: d.ID, Kinds: []string{config.KindRequirement, "test case"}, Pos: []input.Pos{g.reqByID[d.ID].Source, d.Source}})
			return
		}
		defs[d.ID] = &d
	}
	for _, d := range dhf.TestDefinitions {
		add(d)
	}
	for _, tg := range dhf.Tags {
		if tg.Case != "" {
			add(model.TestDefinition{ID: tg.Case, Title: tg.Function, Tests: tg.IDs, Source: tg.Source, Format: "gherkin"})
		}
	}
	return defs
}

// exactIDs returns the parts of a link property's value that are, as
// written, the ID of a requirement or of a test case; nil when any part is
// not (the value is then read with the requirement pattern).
func (g *Graph) exactIDs(v string, defs map[string]*model.TestDefinition) []string {
	parts := model.SplitLinks(v)
	for _, p := range parts {
		if g.reqByID[p] == nil && defs[p] == nil {
			return nil
		}
	}
	return parts
}

func hasTest(r *Requirement, t *Test) bool {
	for _, l := range r.Tests {
		if l.Test == t {
			return true
		}
	}
	return false
}

// tagIndex finds the Verifies: tags that belong to a test case.
type tagIndex struct {
	tags   []model.TestTag
	byName map[string][]int
}

func indexTags(tags []model.TestTag) *tagIndex {
	x := &tagIndex{tags: tags, byName: map[string][]int{}}
	for i, t := range tags {
		x.byName[t.Function] = append(x.byName[t.Function], i)
	}
	return x
}

// forTest returns the tags that belong to the test case, and whether tags
// matched by name had to be dropped as ambiguous.
//
// A tag names a test function; a case belongs to it when its name is the
// function, a subtest of it (TestX/case), a parametrisation of it
// (test_x[a-b]), or the function qualified by its class. When the same
// function name is tagged in several source files, the file whose path
// agrees best with the case's class name or package wins; if no single file
// wins, the tags link nothing, so that a test in one package never verifies
// a requirement on the strength of a same-named test elsewhere.
func (x *tagIndex) forTest(t *model.TestCase) (matched []int, ambiguous bool) {
	var cands []int
	seen := map[int]bool{}
	for _, name := range t.NameCandidates() {
		for _, i := range x.byName[name] {
			if !seen[i] {
				seen[i] = true
				cands = append(cands, i)
			}
		}
	}
	files := map[string]int{} // file → agreement score
	for _, i := range cands {
		f := x.tags[i].Source.File
		if _, ok := files[f]; !ok {
			files[f] = pathAgreement(f, t)
		}
	}
	if len(files) <= 1 {
		return cands, false
	}
	best, winners := -1, 0
	for _, s := range files {
		switch {
		case s > best:
			best, winners = s, 1
		case s == best:
			winners++
		}
	}
	if best == 0 || winners > 1 {
		return nil, true
	}
	for _, i := range cands {
		if files[x.tags[i].Source.File] == best {
			matched = append(matched, i)
		}
	}
	return matched, false
}

// pathAgreement scores how well a source file fits the test's class name or
// Go package: the number of trailing path segments they share. The class
// name tests.system.test_bolus.TestBolus fits tests/system/test_bolus.py;
// the package example.com/pump/dose fits src/dose/dose_test.go.
func pathAgreement(file string, t *model.TestCase) int {
	cls := t.ClassName
	if cls == "" {
		cls = t.Suite
	}
	if cls == "" {
		return 0
	}
	var segs []string
	if strings.Contains(cls, "/") { // a Go import path
		segs = strings.Split(cls, "/")
	} else {
		segs = strings.Split(cls, ".")
	}
	dir := strings.Split(path.Dir(file), "/")
	base := strings.TrimSuffix(path.Base(file), path.Ext(file))
	best := 0
	for _, cand := range [][]string{append(append([]string{}, dir...), base), dir} {
		// The class may name a class inside the file: try every prefix of
		// the class name's segments.
		for end := len(segs); end > 0; end-- {
			n := 0
			for n < end && n < len(cand) && segs[end-1-n] == cand[len(cand)-1-n] {
				n++
			}
			if n > best {
				best = n
			}
		}
	}
	return best
}

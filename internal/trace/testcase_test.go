package trace

import (
	"reflect"
	"sort"
	"testing"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// A test that names a test case verifies what the test case tests: a
// Ketryx Test Case item, or a Gherkin scenario with an @id:. Test case IDs
// are taken as written, never read for the requirement ID inside them.
func TestTestCaseChain(t *testing.T) {
	withReqs := func(ids ...string) func(*model.TestCase) {
		return func(c *model.TestCase) { c.Requirements = ids }
	}
	dhf := &model.DHF{
		Requirements: []model.Requirement{req("SRS-1"), req("SRS-2"), req("SRS-3"), req("SRS-4")},
		TestDefinitions: []model.TestDefinition{
			{ID: "TC-SRS-1", Tests: []string{"SRS-1", "SRS-404"}, Source: input.Pos{File: "tc.md", Line: 2}},
			{ID: "TC-LOOP", Tests: []string{"TC-SRS-1"}, Source: input.Pos{File: "loop.md", Line: 2}},
			{ID: "TC-SRS-1", Tests: []string{"SRS-2"}, Source: input.Pos{File: "again.md", Line: 2}},
			{ID: "SRS-4", Tests: []string{"SRS-3"}, Source: input.Pos{File: "clash.md", Line: 2}},
		},
		Tags: []model.TestTag{
			{Function: "Mask secrets switch is enabled by default", IDs: []string{"SRS-3"}, Case: "TEST_MASKING", Source: input.Pos{File: "a.feature", Line: 6}},
			{Function: "test_switch", IDs: []string{"TEST_MASKING"}, Source: input.Pos{File: "gui_test.py", Line: 19}},
		},
		Tests: []model.TestCase{
			// A manual execution of the test case (Ketryx Test Execution).
			tc("TE-1", model.Passed, withReqs("TC-SRS-1"), func(c *model.TestCase) { c.Manual = true }),
			// A pytest test whose source records the scenario's @id.
			tc("test_switch", model.Failed),
			// The scenario itself, run by Cucumber.
			tc("Mask secrets switch is enabled by default", model.Passed, func(c *model.TestCase) { c.ClassName = "System Health GUI" }),
			// Jest titles carry Ketryx's tag; the report names the test after them.
			tc("Rate limits @tests:SRS-2,KXITM4 rejects", model.Passed),
			tc("loops", model.Passed, withReqs("TC-LOOP")),
		},
	}
	g := build(t, dhf)
	links := map[string][]string{}
	for _, r := range g.Requirements {
		for _, l := range r.Tests {
			links[r.ID] = append(links[r.ID], l.Test.Name+" via "+l.Via)
		}
		sort.Strings(links[r.ID])
	}
	want := map[string][]string{
		"SRS-1": {"TE-1 via test case TC-SRS-1"},
		"SRS-2": {"Rate limits @tests:SRS-2,KXITM4 rejects via name"},
		"SRS-3": {"Mask secrets switch is enabled by default via tag", "test_switch via test case TEST_MASKING"},
	}
	if !reflect.DeepEqual(links, want) {
		t.Errorf("links:\n got %q\nwant %q", links, want)
	}
	if s := statuses(g); s["SRS-3"] != Failed || s["SRS-1"] != Verified {
		t.Errorf("statuses %v: the failing pytest test fails SRS-3 through the scenario's test case", s)
	}
	var dangling []string
	for _, d := range g.Dangling {
		dangling = append(dangling, d.FromKind+":"+d.From+"."+d.Field+"->"+d.To)
	}
	sort.Strings(dangling)
	wantDangling := []string{
		"test case:TC-LOOP.tests->TC-SRS-1",
		"test:Rate limits @tests:SRS-2,KXITM4 rejects.name->KXITM4",
		"test:TE-1.test case TC-SRS-1->SRS-404",
	}
	if !reflect.DeepEqual(dangling, wantDangling) {
		t.Errorf("dangling:\n got %q\nwant %q", dangling, wantDangling)
	}
	var dups []string
	for _, d := range g.Duplicates {
		dups = append(dups, d.ID)
	}
	if !reflect.DeepEqual(dups, []string{"TC-SRS-1", "SRS-4"}) {
		t.Errorf("duplicates %q, want the test case defined twice and the one that reuses a requirement's ID", dups)
	}
}

package trace

import (
	"testing"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/model"
)

// verification.parents: a parent with active children is judged by its
// own tests (own), by its children (children), or by both; a requirement
// without active children by its own whatever the policy; a cycle of the
// parent relation cannot verify itself; risk controls follow.
func TestRollUp(t *testing.T) {
	passes := func(id string) model.TestCase {
		return tc("Test"+id, model.Passed, func(c *model.TestCase) { c.Requirements = []string{id} })
	}
	fails := func(id string) model.TestCase {
		return tc("TestBad"+id, model.Failed, func(c *model.TestCase) { c.Requirements = []string{id} })
	}
	draft := func(r *model.Requirement) { r.Status = "draft" }
	dhf := func() *model.DHF {
		return &model.DHF{
			Requirements: []model.Requirement{
				req("SYS-1"), // children all verified, no test of its own
				req("SRS-11", parents("SYS-1")), req("SRS-12", parents("SYS-1")),
				req("SYS-2"), // a child unverified, a passing test of its own
				req("SRS-21", parents("SYS-2")), req("SRS-22", parents("SYS-2")),
				req("SYS-3"), // a child fails
				req("SRS-31", parents("SYS-3")),
				req("SYS-4"), // its own test fails, its children pass
				req("SRS-41", parents("SYS-4")),
				req("SYS-5"), // only a draft child: judged by its own (none)
				req("SRS-51", parents("SYS-5"), draft),
				req("SYS-6"), // two levels: SYS-6 → SRS-61 → SRS-611 (verified)
				req("SRS-61", parents("SYS-6")), req("SRS-611", parents("SRS-61")),
				req("SYS-7", parents("SYS-8")), req("SYS-8", parents("SYS-7")), // a cycle
			},
			Tests: []model.TestCase{
				passes("SRS-11"), passes("SRS-12"),
				passes("SYS-2"), passes("SRS-21"),
				fails("SRS-31"),
				fails("SYS-4"), passes("SRS-41"),
				passes("SRS-611"),
				passes("SYS-7"), passes("SYS-8"),
			},
			RiskControls: []model.RiskControl{{ID: "RC-1", Requirements: []string{"SYS-1"}}},
		}
	}
	cases := []struct {
		parents string
		want    map[string]Status
		rc      Status
	}{
		{config.ParentsOwn, map[string]Status{"SYS-1": Unverified, "SYS-2": Verified, "SYS-3": Unverified, "SYS-4": Failed, "SYS-5": Unverified,
			"SYS-6": Unverified, "SRS-61": Unverified, "SYS-7": Verified, "SYS-8": Verified}, Unverified},
		{config.ParentsChildren, map[string]Status{"SYS-1": Verified, "SYS-2": Unverified, "SYS-3": Failed, "SYS-4": Failed, "SYS-5": Unverified,
			"SYS-6": Verified, "SRS-61": Verified, "SYS-7": Unverified, "SYS-8": Unverified}, Verified},
		{config.ParentsBoth, map[string]Status{"SYS-1": Unverified, "SYS-2": Unverified, "SYS-3": Failed, "SYS-4": Failed, "SYS-5": Unverified,
			"SYS-6": Unverified, "SRS-61": Unverified, "SYS-7": Unverified, "SYS-8": Unverified}, Unverified},
	}
	for _, c := range cases {
		t.Run(c.parents, func(t *testing.T) {
			g := build(t, dhf(), func(cfg *config.Config) { cfg.Verification.Parents = c.parents })
			got := statuses(g)
			for id, want := range c.want {
				if got[id] != want {
					t.Errorf("%s: %s, want %s", id, got[id], want)
				}
			}
			for _, leaf := range []string{"SRS-11", "SRS-21", "SRS-41", "SRS-611"} {
				if got[leaf] != Verified || g.Requirement(leaf).RolledUp {
					t.Errorf("leaf %s: %s (rolled up %v), want verified by its own test", leaf, got[leaf], g.Requirement(leaf).RolledUp)
				}
			}
			if g.Requirement("SYS-2").Own != Verified {
				t.Errorf("SYS-2's own outcome = %s", g.Requirement("SYS-2").Own)
			}
			if rolled := g.Requirement("SYS-1").RolledUp; rolled != (c.parents != config.ParentsOwn) {
				t.Errorf("SYS-1 rolled up: %v", rolled)
			}
			if g.Requirement("SYS-5").RolledUp {
				t.Error("SYS-5, whose only child is a draft, is judged through its children")
			}
			if rc := g.RiskControl("RC-1").Outcome; rc != c.rc {
				t.Errorf("RC-1, implemented by SYS-1: %s, want %s", rc, c.rc)
			}
		})
	}
}

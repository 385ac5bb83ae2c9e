package gate

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/osv"
	"github.com/tracegate/tracegate/internal/soup"
)

var regPos = input.Pos{File: "docs/soup/soup.yml", Line: 4}

// goodItem is a register entry every SOUP rule accepts.
func goodItem(name, version string) model.SOUPItem {
	return model.SOUPItem{Name: name, PURL: "pkg:generic/" + name, Title: name + " library", Manufacturer: "Upstream",
		Version: version, Requirements: "decompress at 1 MB/s", Environment: "Cortex-M4, 8 kB RAM", RiskLevel: "low",
		Verification: "integration tests", Source: regPos,
		AnomalyReview: &model.AnomalyReview{Version: version, Date: "2026-11-01", Reviewer: "QA", Source: regPos,
			Anomalies: []model.ReviewedAnomaly{{ID: "CVE-2022-37434", Assessment: "inflateGetHeader not used"}}}}
}

// soupFacts builds SOUP facts of one component matched to item (nil: not
// registered).
func soupFacts(name, version string, item *model.SOUPItem) *SOUPFacts {
	c := model.Component{Name: name, Version: version, PURL: "pkg:generic/" + name + "@" + version, Source: input.Pos{File: "sbom/fw.cdx.json"}}
	var reg []model.SOUPItem
	if item != nil {
		reg = []model.SOUPItem{*item}
	}
	l := soup.Build(nil, reg, "docs/soup/soup.yml")
	entries, stale := soup.Match([]model.Component{c}, reg)
	l.Components = nil
	for _, e := range entries {
		le := soup.ListEntry{Name: c.Name, Version: c.Version, PURL: c.PURL, Component: c, Register: e.Item, Documents: []string{"sbom/fw.cdx.json"}}
		l.Components = append(l.Components, le)
	}
	l.Stale = nil
	for _, s := range stale {
		l.Stale = append(l.Stale, *s)
	}
	l.Documents = []soup.Document{{File: "sbom/fw.cdx.json"}}
	return &SOUPFacts{List: l, Expected: true}
}

// registerOnly is the SOUP facts of a register read without an SBOM.
func registerOnly(items ...model.SOUPItem) *SOUPFacts {
	return &SOUPFacts{List: soup.FromRegister(items, "docs/soup/soup.yml")}
}

func withAnomalies(f *SOUPFacts, status osv.Status, ids ...string) *SOUPFacts {
	look := &soup.AnomalyLookup{Status: status, Reason: "no offline database for ecosystem generic"}
	for _, id := range ids {
		look.Anomalies = append(look.Anomalies, osv.Match{Record: &osv.Record{ID: id}})
	}
	f.List.Components[0].Anomalies = look
	f.LookedUp = true
	return f
}

func TestSOUPRules(t *testing.T) {
	type tc struct {
		name    string
		class   model.Class
		facts   func() *SOUPFacts
		rule    string
		status  RuleStatus
		message string
	}
	item := func(mod func(*model.SOUPItem)) *model.SOUPItem {
		it := goodItem("zlib", "1.2.13")
		if mod != nil {
			mod(&it)
		}
		return &it
	}
	good := func() *SOUPFacts { return soupFacts("zlib", "1.2.13", item(nil)) }
	cases := []tc{
		{"sbom read", model.ClassA, good, "TG401", RulePassed, ""},
		{"no sbom", model.ClassA, func() *SOUPFacts { f := good(); f.List.Documents = nil; return f }, "TG401", RuleFailed, "no SBOM was read"},

		// The register on its own is the SOUP list: its entries are judged.
		{"register alone, complete", model.ClassC, func() *SOUPFacts { return registerOnly(goodItem("zlib", "1.2.13")) }, "TG403", RulePassed, ""},
		{"register alone, no manufacturer", model.ClassA, func() *SOUPFacts {
			return registerOnly(*item(func(i *model.SOUPItem) { i.Manufacturer = "" }))
		}, "TG403", RuleFailed, "the register entry of pkg:generic/zlib@1.2.13 lacks manufacturer"},
		{"register alone, no anomaly review", model.ClassB, func() *SOUPFacts {
			return registerOnly(*item(func(i *model.SOUPItem) { i.AnomalyReview = nil }))
		}, "TG407", RuleFailed, "pkg:generic/zlib@1.2.13 has no anomaly review for version 1.2.13"},
		{"register alone, no requirements", model.ClassB, func() *SOUPFacts {
			return registerOnly(*item(func(i *model.SOUPItem) { i.Requirements = "" }))
		}, "TG404", RuleFailed, "does not state its functional and performance requirements"},
		{"register alone: nothing is stale", model.ClassA, func() *SOUPFacts { return registerOnly(goodItem("zlib", "1.2.13")) }, "TG409", RuleNotApplicable, ""},
		{"register alone, no SBOM expected", model.ClassA, func() *SOUPFacts { return registerOnly(goodItem("zlib", "1.2.13")) }, "TG401", RulePassed, ""},
		{"registered", model.ClassA, good, "TG402", RulePassed, ""},
		{"not registered", model.ClassA, func() *SOUPFacts { return soupFacts("zlib", "1.2.13", nil) }, "TG402", RuleFailed, "pkg:generic/zlib@1.2.13 is in the SBOM but not in docs/soup/soup.yml"},
		{"hardware is not SOUP", model.ClassA, func() *SOUPFacts {
			f := soupFacts("board", "1", nil)
			f.List.Components[0].NotSOUP = true
			return f
		}, "TG402", RulePassed, ""},

		{"identified", model.ClassA, good, "TG403", RulePassed, ""},
		{"version range", model.ClassA, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.Version = "^1.2" }))
		}, "TG403", RuleFailed, `version "^1.2", which is not an exact version`},
		{"system-provided", model.ClassA, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.Version = "system-provided" }))
		}, "TG403", RuleFailed, "not an exact version"},
		{"other version", model.ClassA, func() *SOUPFacts { return soupFacts("zlib", "1.3.1", item(nil)) }, "TG403", RuleFailed, "at version 1.2.13, but the product contains 1.3.1"},
		{"no manufacturer", model.ClassA, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.Manufacturer = "" }))
		}, "TG403", RuleFailed, "lacks manufacturer"},

		{"requirements", model.ClassB, good, "TG404", RulePassed, ""},
		{"no requirements", model.ClassC, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.Requirements = "" }))
		}, "TG404", RuleFailed, "does not state its functional and performance requirements"},
		{"no requirements, class A", model.ClassA, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.Requirements = "" }))
		}, "TG404", RuleNotApplicable, ""},
		// A class the entry states raises the class it is judged at; it
		// never lowers the system's.
		{"no requirements, class A system, entry states C", model.ClassA, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.Requirements = ""; i.Class = model.ClassC }))
		}, "TG404", RuleFailed, "(class C) does not state its functional and performance requirements"},
		{"no requirements, class C system, entry states A", model.ClassC, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.Requirements = ""; i.Class = model.ClassA }))
		}, "TG404", RuleFailed, "(class C) does not state"},

		{"environment", model.ClassB, good, "TG405", RulePassed, ""},
		{"no environment", model.ClassB, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.Environment = " " }))
		}, "TG405", RuleFailed, "hardware and software it needs"},
		{"no environment, class A", model.ClassA, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.Environment = "" }))
		}, "TG405", RuleNotApplicable, ""},

		{"risk", model.ClassB, good, "TG406", RulePassed, ""},
		{"no risk level", model.ClassB, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.RiskLevel = "" }))
		}, "TG406", RuleFailed, "outcome of its risk analysis"},
		{"no risk level, class A", model.ClassA, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.RiskLevel = "" }))
		}, "TG406", RuleNotApplicable, ""},

		{"reviewed", model.ClassB, good, "TG407", RulePassed, ""},
		{"reviewed, OSV agrees", model.ClassB, func() *SOUPFacts { return withAnomalies(good(), osv.Checked, "CVE-2022-37434") }, "TG407", RulePassed, ""},
		{"reviewed under an alias", model.ClassB, func() *SOUPFacts {
			f := withAnomalies(good(), osv.Checked)
			f.List.Components[0].Anomalies.Anomalies = []osv.Match{{Record: &osv.Record{ID: "GHSA-xxxx", Aliases: []string{"CVE-2022-37434"}}}}
			return f
		}, "TG407", RulePassed, ""},
		{"no review", model.ClassC, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.AnomalyReview = nil }))
		}, "TG407", RuleFailed, "no anomaly review for version 1.2.13"},
		{"review without a version", model.ClassC, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.AnomalyReview.Version = "" }))
		}, "TG407", RuleFailed, "an anomaly review that names no version for version 1.2.13"},
		{"review of another version", model.ClassC, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.AnomalyReview.Version = "1.2.12" }))
		}, "TG407", RuleFailed, `covers version "1.2.12", not the version in use 1.2.13`},
		{"OSV finds an unassessed anomaly", model.ClassB, func() *SOUPFacts {
			return withAnomalies(good(), osv.Checked, "CVE-2022-37434", "CVE-2018-25032")
		}, "TG407", RuleFailed, "OSV lists 1 anomaly of pkg:generic/zlib@1.2.13 1.2.13 that the review does not assess: CVE-2018-25032"},
		{"OSV could not check", model.ClassB, func() *SOUPFacts { return withAnomalies(good(), osv.NotChecked) }, "TG407", RuleFailed, "could not be looked up"},
		{"no review, class A", model.ClassA, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.AnomalyReview = nil }))
		}, "TG407", RuleNotApplicable, ""},

		{"verified", model.ClassB, good, "TG408", RulePassed, ""},
		{"no verification", model.ClassB, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.Verification = "" }))
		}, "TG408", RuleFailed, "how it is verified"},
		{"no verification, class A", model.ClassA, func() *SOUPFacts {
			return soupFacts("zlib", "1.2.13", item(func(i *model.SOUPItem) { i.Verification = "" }))
		}, "TG408", RuleNotApplicable, ""},

		{"register current", model.ClassA, good, "TG409", RulePassed, ""},
		{"stale entry", model.ClassA, func() *SOUPFacts {
			f := good()
			f.List.Stale = []model.SOUPItem{{Name: "left-pad", Source: regPos}}
			return f
		}, "TG409", RuleFailed, "register entry left-pad matches no component"},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := releaseFacts(t, c.class)
			f.SOUP = c.facts()
			res := EvaluateRelease(f, SevWarning)
			o, fs := outcomeOf(t, res, c.rule)
			if o.Status != c.status {
				t.Fatalf("status = %s (%s), want %s; findings %+v", o.Status, o.Reason, c.status, fs)
			}
			covered[c.rule+"/"+string(c.status)] = true
			if c.status == RuleFailed && !strings.Contains(fs[0].Message, c.message) {
				t.Errorf("message %q lacks %q", fs[0].Message, c.message)
			}
			if c.status != RuleFailed && len(fs) > 0 {
				t.Errorf("findings: %+v", fs)
			}
		})
	}
	for _, r := range soupRules {
		for _, s := range []RuleStatus{RulePassed, RuleFailed} {
			if !covered[r.ID+"/"+string(s)] {
				t.Errorf("rule %s has no %s case", r.ID, s)
			}
		}
		if r.MinClass != model.ClassA && !covered[r.ID+"/"+string(RuleNotApplicable)] {
			t.Errorf("rule %s has no not-applicable case", r.ID)
		}
	}
}

// In a pull request only what the change adds or upgrades is judged, and
// the item's software item sets its class.
func TestSOUPInPullRequests(t *testing.T) {
	f := prFacts(t, model.ClassB)
	f.Head.Config.Items = []config.Item{{Name: "fw", Class: model.ClassC}}
	s := soupFacts("zlib", "1.2.13", nil)
	f.SOUP = s
	res := EvaluatePR(f, SevWarning)
	if o, fs := outcomeOf(t, res, "TG402"); o.Status != RulePassed || !strings.Contains(o.Reason, "no SOUP is added or upgraded") || len(fs) != 0 {
		t.Errorf("unchanged SBOM: %+v %+v", o, fs)
	}
	head := s.List.Components[0].Component
	s.Changes = []soup.Change{{Kind: soup.Added, Head: &head}}
	res = EvaluatePR(f, SevWarning)
	if o, fs := outcomeOf(t, res, "TG402"); o.Status != RuleFailed || len(fs) != 1 {
		t.Errorf("added component: %+v %+v", o, fs)
	}
	// Registered for item fw (class C): class C rules apply in a class B system.
	it := goodItem("zlib", "1.2.13")
	it.Items, it.Requirements = []string{"fw"}, ""
	f.SOUP = soupFacts("zlib", "1.2.13", &it)
	f.SOUP.Changes = []soup.Change{{Kind: soup.Upgraded, Head: &head}}
	res = EvaluatePR(f, SevWarning)
	if _, fs := outcomeOf(t, res, "TG404"); len(fs) != 1 || fs[0].Class != model.ClassC {
		t.Errorf("class of the item: %+v", fs)
	}
	if o, _ := outcomeOf(t, res, "TG409"); o.Status != RuleNotApplicable {
		t.Errorf("stale entries judged in a pull request: %+v", o)
	}
	f.SOUP = nil
	res = EvaluatePR(f, SevWarning)
	if o, _ := outcomeOf(t, res, "TG402"); o.Status != RuleNotApplicable {
		t.Errorf("no SOUP configured: %+v", o)
	}
}

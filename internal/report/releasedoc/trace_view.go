package releasedoc

import (
	"html/template"
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

// The trace the other way round, and the requirements in full: each test
// with the requirements it verifies and the risk controls those implement
// (the tests that verify nothing listed apart), each risk control with
// its verifying tests, and the requirements with their text as the
// software requirements specification.

// testRow is a test case with what it verifies.
type testRow struct {
	Name   string
	Anchor string
	Result model.Outcome
	// Verifies are the requirements it verifies, each with how the link
	// was made; Controls the risk controls those implement.
	Verifies []testLink
	Controls []string
	Message  string
	Source   input.Pos
	Findings []*findingRow
}

type testLink struct {
	ID, Via string
}

// srsGroup is the requirements of one software item (or of none).
type srsGroup struct {
	Item        string // "" for requirements of no item
	Anchor      string
	Class       string
	Description string
	Known       bool // the policy defines the item
	Reqs        []srsReq
}

type srsReq struct {
	*trace.Requirement
	Anchor   string
	Row      string // the matrix row's anchor
	Text     template.HTML
	Parents  []string
	Children []string
	Controls []string
}

func (v *releaseView) buildTests() {
	g := v.F.Model.Graph
	via := map[*trace.Test]map[string]string{}
	for _, r := range g.Requirements {
		for _, l := range r.Tests {
			if via[l.Test] == nil {
				via[l.Test] = map[string]string{}
			}
			via[l.Test][r.ID] = l.Via
		}
	}
	for i, t := range g.Tests {
		row := testRow{Name: t.FullName(), Anchor: anchor("test", t.FullName()) + "-" + itoa(i+1), Result: t.Outcome, Message: firstLine(t.Message),
			Source: t.Source, Findings: v.bySubject[t.FullName()]}
		seenRC := map[string]bool{}
		for _, r := range t.Requirements {
			row.Verifies = append(row.Verifies, testLink{ID: r.ID, Via: via[t][r.ID]})
			for _, c := range r.Controls {
				if !seenRC[c.ID] {
					seenRC[c.ID] = true
					row.Controls = append(row.Controls, c.ID)
				}
			}
		}
		sort.Strings(row.Controls)
		if len(row.Verifies) == 0 {
			v.Orphans = append(v.Orphans, row)
		}
		v.Tests = append(v.Tests, row)
	}
	v.Unkept = v.F.Model.DHF.Unkept
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// controlTests are the tests that verify a risk control: those of the
// requirements implementing it, once each.
func controlTests(rc *trace.RiskControl) []MatrixTest {
	var out []MatrixTest
	seen := map[*trace.Test]bool{}
	for _, r := range rc.Requirements {
		for _, l := range r.Tests {
			if !seen[l.Test] {
				seen[l.Test] = true
				out = append(out, MatrixTest{Name: l.Test.FullName(), Result: l.Test.Outcome, Via: r.ID, Source: l.Test.Source})
			}
		}
	}
	return out
}

// buildSRS groups the requirements by software item, in the policy's
// order of items, then items the policy does not define, then the
// requirements of no item.
func (v *releaseView) buildSRS() {
	g := v.F.Model.Graph
	groups := map[string]*srsGroup{}
	var order []string
	for _, it := range v.Cfg.Items {
		groups[it.Name] = &srsGroup{Item: it.Name, Class: string(it.Class), Description: it.Description, Known: true}
		order = append(order, it.Name)
	}
	var unknown []string
	for _, r := range g.Requirements {
		if g.Requirement(r.ID) != r {
			continue // a duplicate: the first definition is the requirement
		}
		grp := groups[r.Item]
		if grp == nil {
			grp = &srsGroup{Item: r.Item, Class: string(v.Cfg.SafetyClass)}
			groups[r.Item] = grp
			if r.Item != "" {
				unknown = append(unknown, r.Item)
			}
		}
		req := srsReq{Requirement: r, Anchor: anchor("srs", r.ID), Row: anchor("req", r.ID), Text: renderMarkdown(r.Text)}
		for _, p := range r.Parents {
			req.Parents = append(req.Parents, p.ID)
		}
		for _, c := range r.Children {
			req.Children = append(req.Children, c.ID)
		}
		for _, c := range r.Controls {
			req.Controls = append(req.Controls, c.ID)
		}
		grp.Reqs = append(grp.Reqs, req)
	}
	sort.Strings(unknown)
	order = append(order, unknown...)
	order = append(order, "")
	for _, name := range order {
		if grp := groups[name]; grp != nil && len(grp.Reqs) > 0 {
			grp.Anchor = anchor("srs-item", name)
			v.SRS = append(v.SRS, *grp)
		}
	}
}

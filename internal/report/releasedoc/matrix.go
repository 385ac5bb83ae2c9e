// Package report renders results and the traceability matrix for people
// (text, Markdown, HTML) and machines (JSON, CSV, SARIF). Renderers only
// format: every decision has already been taken by trace or gate.
package releasedoc

import (
	"slices"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

// MatrixSchema identifies the JSON form of Matrix.
const MatrixSchema = "tracegate.trace/v1"

// Matrix is the traceability matrix (requirement → risk controls → tests →
// results) in the shape every renderer shares.
type Matrix struct {
	Schema       string          `json:"schema"`
	SafetyClass  model.Class     `json:"safety_class"`
	Requirements []MatrixReq     `json:"requirements"`
	RiskControls []MatrixControl `json:"risk_controls"`
	Hazards      []MatrixHazard  `json:"hazards"`
	Tests        trace.Totals    `json:"tests"`
	Coverage     Coverage        `json:"coverage"`
	Warnings     []input.Warning `json:"warnings,omitempty"`
	// External lists the items kept outside the repository (the policy's
	// external namespaces) that the design history file links to.
	External []MatrixExternal `json:"external,omitempty"`
	// Errors, when set, say why the matrix could not be made: the
	// evaluation did not complete (exit 3) and the rows are empty, not
	// "nothing to trace".
	Errors []string `json:"errors,omitempty"`
}

// ErroredMatrix is the matrix document of an evaluation that could not
// complete: no rows, the errors, and the warnings read until then.
func ErroredMatrix(errs []string, warnings []input.Warning) *Matrix {
	return &Matrix{Schema: MatrixSchema, Requirements: []MatrixReq{}, RiskControls: []MatrixControl{}, Hazards: []MatrixHazard{},
		Warnings: warnings, Errors: errs}
}

// MatrixReq is one row of the matrix.
type MatrixReq struct {
	ID     string       `json:"id"`
	Title  string       `json:"title"`
	Type   string       `json:"type,omitempty"`
	Class  model.Class  `json:"class"`
	Item   string       `json:"item,omitempty"`
	State  string       `json:"state,omitempty"` // lifecycle state as written
	Active bool         `json:"active"`
	Status trace.Status `json:"status"` // verified | failed | unverified
	// RolledUp: the status is judged through the active children, as the
	// policy's verification.parents asks (children or both).
	RolledUp     bool     `json:"rolled_up,omitempty"`
	Verification string   `json:"verification"`
	Parents      []string `json:"parents"`
	Children     []string `json:"children"`
	RiskControls []string `json:"risk_controls"`
	// Introduces are the hazards whose causes lie in its design (IEC
	// 62304 7.1.2; Ketryx's itemIntroducesRisk).
	Introduces []string     `json:"introduces_risks,omitempty"`
	Tests      []MatrixTest `json:"tests"`
	Evidence   []string     `json:"evidence,omitempty"`
	// External are the IDs among its links that are kept outside the
	// repository (its parents in another tool).
	External []string  `json:"external,omitempty"`
	Source   input.Pos `json:"source"`
}

// MatrixExternal is an item kept outside the repository and the items that
// link to it.
type MatrixExternal struct {
	ID        string   `json:"id"`
	Kind      string   `json:"kind"`
	Namespace string   `json:"namespace"`
	URL       string   `json:"url,omitempty"`
	From      []string `json:"from"` // "requirement SRS-1 (parents)", "test T (property)"
}

// MatrixTest is a test verifying a requirement.
type MatrixTest struct {
	Name   string        `json:"name"`
	Result model.Outcome `json:"result"`
	// Evaluation is the record's acceptance of a failure (rdm's note,
	// Ketryx's "fail (accepted)"): shown with it, the result stays failed.
	Evaluation string    `json:"evaluation,omitempty"`
	Manual     bool      `json:"manual,omitempty"`
	Via        string    `json:"via"`
	Source     input.Pos `json:"source"`
}

// label is the result as the matrix shows it.
func (t MatrixTest) label() string {
	tc := model.TestCase{Outcome: t.Result, Evaluation: t.Evaluation, Manual: t.Manual}
	return tc.OutcomeLabel()
}

// MatrixControl is a risk control with its hazards and implementation.
type MatrixControl struct {
	ID           string       `json:"id"`
	Title        string       `json:"title"`
	Kind         string       `json:"kind,omitempty"`
	Hazards      []string     `json:"hazards"`
	Requirements []string     `json:"requirements"`
	Status       trace.Status `json:"status"`
	Source       input.Pos    `json:"source"`
}

// MatrixHazard is a hazard with its risk before and after control.
type MatrixHazard struct {
	ID           string             `json:"id"`
	Title        string             `json:"title"`
	Harm         string             `json:"harm,omitempty"`
	Initial      model.RiskEstimate `json:"initial"`
	Residual     model.RiskEstimate `json:"residual"`
	RiskControls []string           `json:"risk_controls"`
	// IntroducedBy are the requirements and specifications whose design
	// introduces the hazard.
	IntroducedBy []string  `json:"introduced_by,omitempty"`
	Source       input.Pos `json:"source"`
}

// Coverage counts active requirements by verification status.
type Coverage struct {
	Active     int `json:"active_requirements"`
	Verified   int `json:"verified"`
	Failed     int `json:"failed"`
	Unverified int `json:"unverified"`
	Inactive   int `json:"inactive_requirements"`
	// Percent is verified/active, rounded down; 0 when nothing is active.
	Percent int `json:"percent_verified"`
}

// NewMatrix flattens a graph into the matrix.
func NewMatrix(g *trace.Graph, class model.Class, warnings []input.Warning) *Matrix {
	m := &Matrix{Schema: MatrixSchema, SafetyClass: class, Tests: g.TestTotals, Warnings: warnings,
		Requirements: []MatrixReq{}, RiskControls: []MatrixControl{}, Hazards: []MatrixHazard{}}
	for _, r := range g.Requirements {
		row := MatrixReq{
			ID: r.ID, Title: r.Title, Type: r.Type, Class: r.Class, Item: r.Item, State: r.Requirement.Status,
			Active: r.Active, Status: r.Outcome, RolledUp: r.RolledUp, Verification: r.Method(), Evidence: r.EvidenceOK, Source: r.Source,
			Parents: r.Requirement.Parents, Children: []string{}, RiskControls: r.Requirement.RiskControls, Tests: []MatrixTest{},
		}
		if row.Parents == nil {
			row.Parents = []string{}
		}
		// Controls linked from either side, resolved ones only.
		row.RiskControls = []string{}
		for _, c := range r.Controls {
			row.RiskControls = append(row.RiskControls, c.ID)
		}
		for _, c := range r.Children {
			row.Children = append(row.Children, c.ID)
		}
		for _, h := range r.Introduces {
			row.Introduces = append(row.Introduces, h.ID)
		}
		for _, l := range r.Tests {
			row.Tests = append(row.Tests, MatrixTest{Name: l.Test.FullName(), Result: l.Test.Outcome, Evaluation: l.Test.Evaluation,
				Manual: l.Test.Manual, Via: l.Via, Source: l.Test.Source})
		}
		for _, l := range g.ExternalOf("requirement", r.ID) {
			row.External = append(row.External, l.To)
		}
		m.Requirements = append(m.Requirements, row)
		if !r.Active {
			m.Coverage.Inactive++
			continue
		}
		m.Coverage.Active++
		switch r.Outcome {
		case trace.Verified:
			m.Coverage.Verified++
		case trace.Failed:
			m.Coverage.Failed++
		default:
			m.Coverage.Unverified++
		}
	}
	if m.Coverage.Active > 0 {
		m.Coverage.Percent = m.Coverage.Verified * 100 / m.Coverage.Active
	}
	for _, c := range g.RiskControls {
		mc := MatrixControl{ID: c.ID, Title: c.Title, Kind: c.Kind, Status: c.Outcome, Source: c.Source, Hazards: []string{}, Requirements: []string{}}
		for _, h := range c.Hazards {
			mc.Hazards = append(mc.Hazards, h.ID)
		}
		for _, r := range c.Requirements {
			mc.Requirements = append(mc.Requirements, r.ID)
		}
		m.RiskControls = append(m.RiskControls, mc)
	}
	for _, h := range g.Hazards {
		mh := MatrixHazard{ID: h.ID, Title: h.Title, Harm: h.Harm, Initial: h.Initial, Residual: h.Residual, Source: h.Source, RiskControls: []string{}}
		for _, c := range h.Controls {
			mh.RiskControls = append(mh.RiskControls, c.ID)
		}
		for _, r := range h.IntroducedBy {
			mh.IntroducedBy = append(mh.IntroducedBy, r.ID)
		}
		m.Hazards = append(m.Hazards, mh)
	}
	m.External = externals(g)
	return m
}

// externals lists the external items the graph links to, each once, in the
// order of their first link.
func externals(g *trace.Graph) []MatrixExternal {
	var out []MatrixExternal
	at := map[string]int{}
	for _, l := range g.External {
		k := l.ToKind + "\x00" + l.To
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, MatrixExternal{ID: l.To, Kind: l.ToKind, Namespace: l.Namespace, URL: l.URL, From: []string{}})
		}
		from := strings.ReplaceAll(l.FromKind, "_", " ") + " " + l.From + " (" + l.Field + ")"
		if !slices.Contains(out[i].From, from) {
			out[i].From = append(out[i].From, from)
		}
	}
	return out
}

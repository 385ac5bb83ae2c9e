// Package config loads the tracegate policy file (.github/tracegate.yml):
// JSON Schema validation with file:line:column errors, then defaults.
package config

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// DefaultPath is where the policy lives in a repository.
const DefaultPath = ".github/tracegate.yml"

// Config is a loaded, validated policy with defaults applied.
type Config struct {
	Version           int            `json:"version"`
	SafetyClass       model.Class    `json:"safety_class"`
	Items             []Item         `json:"items,omitempty"`
	IDs               IDPatterns     `json:"ids"`
	External          []External     `json:"external,omitempty"`
	Requirements      []Source       `json:"requirements"`
	Risks             []Source       `json:"risks"`
	Tests             []Source       `json:"tests"`
	TestSources       []string       `json:"test_sources"`
	SoftwareTypes     []string       `json:"software_requirement_types"`
	RequirementStatus StatusPolicy   `json:"requirement_status"`
	Verification      Verification   `json:"verification"`
	RiskMatrix        RiskMatrix     `json:"risk_matrix"`
	ProblemReports    ProblemReports `json:"problem_reports"`
	ChangeRequests    ChangeRequests `json:"change_requests"`
	PR                PRPolicy       `json:"pr"`
	Reviews           ReviewPolicy   `json:"reviews,omitzero"`
	Release           ReleasePolicy  `json:"release"`
	SOUP              SOUPPolicy     `json:"soup"`
	Documents         DocumentPolicy `json:"documents,omitzero"`
	App               AppPolicy      `json:"app,omitzero"`

	// File is where the policy was read from, empty when no file existed.
	File string `json:"-"`
	// Defaulted names every setting that was not in the file and took its
	// default, so that `validate` can say what the gate actually used.
	Defaulted []string `json:"-"`
	// positions of keys in the file, for findings about the policy itself.
	pos map[string]input.Pos
	// declared holds, for a defaulted key whose value a file of the design
	// history file declared instead (rdm's device.yml, risk.yml), where.
	declared map[string]input.Pos
}

// Declare records that key, which the policy left out, took its value
// from a file of the design history file at pos instead of the default
// (the caller has set the value). validate shows where it came from.
func (c *Config) Declare(key string, pos input.Pos) {
	m := make(map[string]input.Pos, len(c.declared)+1)
	for k, v := range c.declared {
		m[k] = v
	}
	m[key] = pos
	c.declared = m
}

// Item is a software item with its own safety class (IEC 62304 4.3 d, 5.3.1).
type Item struct {
	Name        string      `json:"name"`
	Class       model.Class `json:"class"`
	Description string      `json:"description,omitempty"`
	Paths       []string    `json:"paths,omitempty"`
	// SBOMs are globs of the SBOM files of the item's build: their
	// components are SOUP the item uses (the architecture view).
	SBOMs []string `json:"sboms,omitempty"`
}

// IDPatterns holds the RE2 pattern of each kind of ID, as written.
type IDPatterns struct {
	Requirement   string `json:"requirement"`
	ProblemReport string `json:"problem_report"`
	ChangeRequest string `json:"change_request"`
	Hazard        string `json:"hazard"`
	RiskControl   string `json:"risk_control"`
}

// External is an ID namespace kept outside the repository: links to its
// IDs resolve as external rather than broken.
type External struct {
	Name    string `json:"name"`
	Pattern string `json:"pattern"`
	// Kinds are the kinds of link whose targets it holds; requirement when
	// empty.
	Kinds []string `json:"kinds,omitempty"`
	// URL is where an item is read, with {id} for its ID.
	URL string `json:"url,omitempty"`
}

// Holds reports whether the namespace holds targets of kind.
func (e External) Holds(kind string) bool {
	if len(e.Kinds) == 0 {
		return kind == KindRequirement
	}
	for _, k := range e.Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// Link is the URL of an item of the namespace, or "".
func (e External) Link(id string) string {
	if e.URL == "" {
		return ""
	}
	return strings.ReplaceAll(e.URL, "{id}", url.PathEscape(id))
}

// Source is one place where items of a kind are read from.
type Source struct {
	Path    string   `json:"path,omitempty"`
	Exclude []string `json:"exclude,omitempty"`
	Format  string   `json:"format"`
	Table
	// Issues, in place of Path, reads the items from GitHub issues.
	Issues *IssueSource `json:"issues,omitempty"`
}

// IssueSource is a kind's items kept as GitHub issues written from an
// issue form: the issues that carry any of Labels, each the item whose ID
// is ID with {number} the issue's number, its fields the form's sections.
type IssueSource struct {
	Labels []string          `json:"labels"`
	ID     string            `json:"id"`
	Fields map[string]string `json:"fields,omitempty"`
}

// ItemID is the ID of the item an issue holds.
func (s IssueSource) ItemID(number int) string {
	return strings.ReplaceAll(s.ID, "{number}", strconv.Itoa(number))
}

// StatusPolicy says which requirement states are in force.
type StatusPolicy struct {
	Active   []string `json:"active"`
	Inactive []string `json:"inactive"`
}

// Verification says how verification is judged.
type Verification struct {
	// Parents is how a requirement with active children is verified:
	// ParentsOwn, ParentsChildren or ParentsBoth.
	Parents string `json:"parents"`
}

// Ways to verify a parent requirement (verification.parents).
const (
	ParentsOwn      = "own"      // its own tests or records (the default)
	ParentsChildren = "children" // every active child verified
	ParentsBoth     = "both"     // its own, and every active child
)

// RiskMatrix is the acceptability matrix of the risk management plan.
type RiskMatrix struct {
	Severity      []string            `json:"severity"`
	Probability   []string            `json:"probability"`
	Acceptability map[string][]string `json:"acceptability"`
}

// Records says where problem reports or change requests live.
type Records struct {
	// Labels: GitHub issues with any of these labels are records.
	Labels []string `json:"labels,omitempty"`
	// Files: globs of YAML record files.
	Files []string `json:"files,omitempty"`
	// Fields maps each field a record must state to the heading of the
	// issue-form section (or the label prefix) that holds it.
	Fields map[string]string `json:"fields,omitempty"`
}

// ProblemReports is the policy for problem reports (IEC 62304 9).
type ProblemReports struct {
	Records
	// Criticality levels, least critical first.
	Criticality []string `json:"criticality"`
	// MaxOpenCriticality is the highest level that may be open at a release.
	MaxOpenCriticality string `json:"max_open_criticality"`
}

// Problem report fields with a meaning to the rules. Every field in
// Records.Fields except FieldEvaluation must be stated when a report is
// triaged (9.1–9.3); FieldEvaluation is required of reports still open at a
// release of class B or C (5.8.3).
const (
	FieldType          = "type"
	FieldScope         = "scope"
	FieldCriticality   = "criticality"
	FieldInvestigation = "investigation"
	FieldEvaluation    = "evaluation"
)

// ChangeRequests is the policy for change requests (IEC 62304 8.2).
type ChangeRequests struct {
	Records
	// ApprovedLabels mark an approved change request (8.2.1).
	ApprovedLabels []string `json:"approved_labels"`
}

// PRPolicy holds the options of the pull request gate.
type PRPolicy struct {
	ExemptLabels         []string `json:"exempt_labels"`
	JustificationHeading string   `json:"justification_heading"`
	RiskImpactHeading    string   `json:"risk_impact_heading"`
	RiskPaths            []string `json:"risk_paths,omitempty"`
}

// ReleasePolicy holds the options of the release gate.
type ReleasePolicy struct {
	TagPattern string       `json:"tag_pattern"`
	Plans      []Plan       `json:"plans"`
	First      FirstRelease `json:"first,omitzero"`
	// Approval, when set, is required of every release.
	Approval *ApprovalPolicy `json:"approval,omitempty"`
}

// SOUPPolicy says where the SBOMs and the SOUP register are.
type SOUPPolicy struct {
	Register string `json:"register,omitempty"`
	// Issues, in place of Register, keeps the register as GitHub issues
	// written from an issue form: each issue one entry.
	Issues *IssueSource `json:"issues,omitempty"`
	// Columns maps the register's columns when it is kept as a Markdown
	// table.
	Columns map[string]string `json:"columns,omitempty"`
	SBOMs   []string          `json:"sboms,omitempty"`
	OSVDB   string            `json:"osv_db,omitempty"`
	// Anomalies is AnomaliesOSV when the gates ask the OSV API for each
	// SOUP version's published anomalies, waiting at most OSVTimeout (a
	// Go duration; DefaultOSVTimeout when empty).
	Anomalies  string `json:"anomalies,omitempty"`
	OSVTimeout string `json:"osv_timeout,omitempty"`
}

// soup.anomalies: look nothing up online (the default), or ask the OSV API.
const (
	AnomaliesNone = "none"
	AnomaliesOSV  = "osv"
)

// DefaultOSVTimeout bounds the OSV lookups of a gate when the policy does
// not: long enough for a few thousand components on a slow link, short
// enough that a stalled API ends the run.
const DefaultOSVTimeout = 2 * time.Minute

// Timeout is how long a gate waits for the OSV API. Load has checked the
// value parses.
func (s SOUPPolicy) Timeout() time.Duration {
	if d, err := time.ParseDuration(s.OSVTimeout); err == nil && d > 0 {
		return d
	}
	return DefaultOSVTimeout
}

// AppPolicy holds the settings of the GitHub App (tracegate serve); the
// CLI and the Action ignore them.
type AppPolicy struct {
	Evidence AppEvidence `json:"evidence,omitzero"`
	Release  AppRelease  `json:"release,omitzero"`
}

// AppEvidence names the workflow whose run's artifacts hold the evidence
// CI made of a commit (test reports, SBOMs).
type AppEvidence struct {
	Workflow  string        `json:"workflow,omitempty"`
	Artifacts []AppArtifact `json:"artifacts,omitempty"`
}

// AppArtifact is an artifact to read and the directory of the evidence its
// files go under ("" is the top).
type AppArtifact struct {
	Name string `json:"name"`
	Path string `json:"path,omitempty"`
}

// UnmarshalJSON reads an artifact written as its name alone, or as
// {name, path}.
func (a *AppArtifact) UnmarshalJSON(b []byte) error {
	var name string
	if json.Unmarshal(b, &name) == nil {
		*a = AppArtifact{Name: name}
		return nil
	}
	type plain AppArtifact
	return json.Unmarshal(b, (*plain)(a))
}

// AppRelease says what the App does to a GitHub release it gates.
type AppRelease struct {
	DraftOnFailure bool `json:"draft_on_failure,omitempty"`
	AttachEvidence bool `json:"attach_evidence,omitempty"`
}

// Plan is a plan that must exist at a release.
type Plan struct {
	Name   string `json:"name"`
	Clause string `json:"clause,omitempty"`
	Path   string `json:"path"`
}

// Pos returns the position of a value in the policy file, given as a dotted
// path ("ids.requirement", "items.0.class"; append "#key" for the key rather
// than its value), or just the file when the key was not written.
func (c *Config) Pos(key string) input.Pos {
	if p, ok := c.pos[key]; ok {
		return p
	}
	if c.File == "" {
		return input.Pos{File: "(built-in default policy)"}
	}
	return input.Pos{File: c.File}
}

// ClassOfItem returns the class of the named item, or the system class when
// no such item exists.
func (c *Config) ClassOfItem(name string) (model.Class, bool) {
	for _, it := range c.Items {
		if it.Name == name {
			return it.Class, true
		}
	}
	return c.SafetyClass, false
}

// Patterns compiles the ID patterns. Load has already checked that they
// compile, so an error here means the Config was built by hand.
func (c *Config) Patterns() (map[string]*regexp.Regexp, error) {
	out := map[string]*regexp.Regexp{}
	for kind, p := range c.IDs.byKind() {
		re, err := compileID(p)
		if err != nil {
			return nil, err
		}
		out[kind] = re
	}
	return out, nil
}

// ID kinds, as used in findings and in the ids section.
const (
	KindRequirement   = "requirement"
	KindProblemReport = "problem_report"
	KindChangeRequest = "change_request"
	KindHazard        = "hazard"
	KindRiskControl   = "risk_control"
)

func (p IDPatterns) byKind() map[string]string {
	return map[string]string{
		KindRequirement:   p.Requirement,
		KindProblemReport: p.ProblemReport,
		KindChangeRequest: p.ChangeRequest,
		KindHazard:        p.Hazard,
		KindRiskControl:   p.RiskControl,
	}
}

// CompileID compiles an ID pattern as Patterns does: matching whole IDs
// only, the ID in the first group.
func CompileID(p string) (*regexp.Regexp, error) { return compileID(p) }

// compileID wraps a pattern so that it matches whole IDs only: SRS-1 must
// not be found inside SRS-10 or XSRS-1. An underscore is a boundary, because
// test names join words with it (test_SRS-012_bolus_limit).
func compileID(p string) (*regexp.Regexp, error) {
	return regexp.Compile(`(?:^|[^A-Za-z0-9])(` + p + `)(?:$|[^A-Za-z0-9])`)
}

package gate

import (
	"fmt"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

// ReleaseFacts is everything the release gate judges: the policy and the
// design history file at the release commit, the changes since the
// previous release, the problem reports still open, the plans.
type ReleaseFacts struct {
	Model  *Model
	Tag    string
	Commit string
	// Previous is the previous release tag, nil for a first release.
	Previous *facts.Tag
	// Commits are the commits since the previous release, newest first.
	Commits []facts.Commit
	// Links are the links of each commit's message, by SHA.
	Links map[string][]trace.Link
	// PRLinks are the links of pull requests that commit messages name
	// (squash merges write "Title (#123)"), by link ID.
	PRLinks map[string][]trace.Link
	// Records, Issues and Unresolvable resolve links as in PRFacts.
	Records      map[string][]model.Record
	Issues       map[string]*facts.Issue
	Unresolvable map[string]string
	// Listing are the change requests that list commits they trace after
	// the fact (model.Record.Commits), approved or not: the record files
	// at the release and the issues labelled as change requests.
	Listing []model.Record
	// OpenProblems are the problem reports open at the release: the known
	// residual anomalies (5.8.2).
	OpenProblems []model.Record
	// Plans are the policy's plans with the files matching each.
	Plans []PlanFiles
	// NoHistory: the release candidate is a directory without git history,
	// so the changes since the previous release cannot be judged here.
	NoHistory bool
	// SOUP is the SOUP list of the release; nil when the policy names
	// neither SBOMs nor a register.
	SOUP *SOUPFacts
	// CommitChanges are the files each commit changed (against its first
	// parent), by SHA; CommitPRs the merged pull requests each came in
	// by, by SHA; Reviews their review records. Approval are the records
	// of the release approval. Each is nil when not gathered.
	CommitChanges map[string][]facts.Change
	CommitPRs     map[string][]int
	Reviews       *ReviewFacts
	Approval      *ApprovalFacts
}

// PlanFiles is a required plan and the files that satisfy it.
type PlanFiles struct {
	Plan  config.Plan
	Files []string
}

// ReleaseSummary is what the release gate judged.
type ReleaseSummary struct {
	Tag            string         `json:"tag"`
	Commit         string         `json:"commit"`
	PreviousTag    string         `json:"previous_tag,omitempty"`
	PreviousCommit string         `json:"previous_commit,omitempty"`
	Changes        []ChangeTrace  `json:"changes"`
	KnownAnomalies []model.Record `json:"known_anomalies"`
	Plans          []PlanStatus   `json:"plans"`
	// Reviews are the pull requests the changes came in by, with their
	// reviews as judged; Approval is the release approval as judged (nil
	// when the policy requires none).
	Reviews  []ReviewRecord   `json:"reviews,omitempty"`
	Approval *ReleaseApproval `json:"approval,omitempty"`
}

// ChangeTrace is one commit since the previous release and what it traces to.
type ChangeTrace struct {
	SHA     string    `json:"sha"`
	Subject string    `json:"subject"`
	Author  string    `json:"author"`
	Date    time.Time `json:"date"`
	Merge   bool      `json:"merge,omitempty"`
	// Links are the IDs the change traces to; Via says how (its message,
	// a pull request it names, or the merge commit that brought it in).
	Links  []string `json:"links"`
	Via    string   `json:"via,omitempty"`
	Traced bool     `json:"traced"`
}

// PlanStatus is a plan and the files found for it.
type PlanStatus struct {
	Name   string   `json:"name"`
	Clause string   `json:"clause,omitempty"`
	Path   string   `json:"path"`
	Files  []string `json:"files"`
}

var releaseRules = []*releaseRule{
	{Rule{ID: "TG301", Name: "changes-traced", Title: "Every change since the previous release traces to a change request, problem report or requirement",
		Clauses: []string{"IEC 62304 8.2.4", "IEC 62304 8.1.3"}, MinClass: model.ClassA, Severity: SevError,
		Description: "Each commit since the previous release tag must trace to what caused it (8.2.4): an ID or issue reference in its message, in the pull request its message names, or in the merge commit that brought it in; for history already written, an approved change request that lists the commit (commits: in its file, a Commits section in its issue). Merge commits are not changes of their own; their links trace the commits they merge.",
		Remediation: "reference the change request, problem report or requirement in the commit or pull request; for history already written, list the commits in an approved change request (commits: in its file, or a Commits section in its issue)"},
		checkChangesTraced},
	{Rule{ID: "TG302", Name: "requirements-verified", Title: "Every active requirement is verified",
		Clauses: []string{"IEC 62304 5.7.4", "IEC 62304 5.8.1"}, MinClass: model.ClassA, Severity: SevError,
		Description: "Before release, software verification must be complete (5.8.1): every active requirement has at least one passing test and no failing one, or — when verified by inspection, analysis or demonstration — an existing record. A requirement with active children (a system requirement refined into software requirements) is judged as the policy's verification.parents says: own (the default) — by its own tests or records, as any requirement; children — verified when every active child is, failed when a child or a test of its own fails; both — its own tests and every active child.",
		Remediation: "add the missing test or record, or fix the failing test; a requirement that is no longer in force gets an inactive state"},
		checkRequirementsVerified},
	{Rule{ID: "TG303", Name: "tests-passed", Title: "No test failed",
		Clauses: []string{"IEC 62304 5.7.5", "IEC 62304 5.8.1"}, MinClass: model.ClassA, Severity: SevError,
		Description: "A failing or erroring test is an anomaly found in verification (5.7.5); it must be resolved, or entered as a problem report, before release.",
		Remediation: "fix the defect or the test, or record the anomaly as a problem report and evaluate it"},
		checkTestsPassed},
	{Rule{ID: "TG304", Name: "evidence-present", Title: "Verification evidence is part of the release",
		Clauses: []string{"IEC 62304 5.7.5", "IEC 62304 5.8.1"}, MinClass: model.ClassA, Severity: SevError,
		Description: "A release with no test results read cannot show verification; zero test reports is never a pass.",
		Remediation: "provide the test reports of the release commit (the policy's tests sources, or --tests)"},
		checkEvidencePresent},
	{Rule{ID: "TG305", Name: "controls-verified", Title: "Every risk control is implemented by verified requirements",
		Clauses: []string{"IEC 62304 7.3.1", "IEC 62304 7.3.3", "ISO 14971 7.2"}, MinClass: model.ClassB, Severity: SevError,
		Description: "Each risk control measure implemented in software must be verified (7.3.1): at least one active requirement implements it and every active requirement implementing it is verified.",
		Remediation: "verify the requirements that implement the control, or link the requirement that implements it"},
		checkControlsVerified},
	{Rule{ID: "TG306", Name: "anomalies-evaluated", Title: "Open problem reports are evaluated for the release",
		Clauses: []string{"IEC 62304 5.8.3"}, MinClass: model.ClassB, Severity: SevError,
		Description: "Known residual anomalies must be evaluated to ensure they do not contribute to an unacceptable risk (5.8.3); the evaluation is the problem report's evaluation field.",
		Remediation: "write the evaluation into the problem report (its evaluation section)"},
		checkAnomaliesEvaluated},
	{Rule{ID: "TG307", Name: "open-problem-criticality", Title: "No problem report above the policy's criticality is open",
		Clauses: []string{"IEC 62304 5.8.2", "IEC 62304 5.8.3", "IEC 62304 9.1"}, MinClass: model.ClassA, Severity: SevError,
		Description: "Problem reports still open at a release are its known residual anomalies (5.8.2); none may be more critical than problem_reports.max_open_criticality, and one whose criticality is not stated cannot be judged.",
		Remediation: "resolve the problem, or re-assess its criticality and record why"},
		checkOpenCriticality},
	{Rule{ID: "TG308", Name: "plans-present", Title: "The required plans exist at the release",
		Clauses: []string{"IEC 62304 5.1", "IEC 62304 6.1"}, MinClass: model.ClassA, Severity: SevError,
		Description: "The software development plan (5.1) and the software maintenance plan (6.1), and any other plan the policy lists, must be part of the release's configuration.",
		Remediation: "add the plan, or correct its path in release.plans"},
		checkPlansPresent},
	{Rule{ID: "TG309", Name: "release-identified", Title: "The release is identified by a release tag on its commit",
		Clauses: []string{"IEC 62304 5.8.4", "IEC 62304 8.1.3"}, MinClass: model.ClassA, Severity: SevError,
		Description: "The released version is identified (5.8.4) by a tag matching release.tag_pattern, tied to the commit whose configuration was evaluated.",
		Remediation: "tag the release commit with a name matching release.tag_pattern"},
		checkReleaseIdentified},
	{ruleChangesReviewed, checkChangesReviewed},
	{ruleReleaseApproved, checkReleaseApproved},
	{ruleReleaseChangesApproved, checkReleaseChangesApproved},
}

type releaseRule struct {
	Rule
	run func(*ReleaseFacts, *check, *releaseState)
}

// releaseState carries what one rule computes for others and for the
// summary.
type releaseState struct {
	changes  []ChangeTrace
	reviews  []ReviewRecord
	approval *ReleaseApproval
}

// EvaluateRelease judges a release: the release rules and the whole model
// lint.
func EvaluateRelease(f *ReleaseFacts, failOn Severity) *Result {
	m := f.Model
	subject := fmt.Sprintf("release %s (commit %s)", f.Tag, model.ShortSHA(f.Commit))
	switch {
	case f.Tag == "" && f.Commit == "":
		subject = "release candidate (work tree, no git history)"
	case f.Tag == "":
		subject = fmt.Sprintf("release candidate (work tree at commit %s)", model.ShortSHA(f.Commit))
	}
	res := &Result{Gate: GateRelease, SafetyClass: m.Config.SafetyClass,
		Subject:  subject,
		Warnings: m.DHF.Warnings, Inputs: m.DHF.Files,
		Policy: Policy{File: m.Config.File, Defaulted: m.Config.DefaultedValues()}}
	st := &releaseState{}
	for _, rr := range releaseRules {
		c := &check{rule: &rr.Rule}
		rr.run(f, c, st)
		res.Findings = append(res.Findings, c.findings...)
		res.Rules = append(res.Rules, c.outcome())
	}
	res.lintDelta(m, nil)
	res.evaluateSOUP(f.SOUP, m)
	sum := &ReleaseSummary{Tag: f.Tag, Commit: f.Commit, Changes: st.changes, KnownAnomalies: f.OpenProblems, Reviews: st.reviews, Approval: st.approval}
	if f.Previous != nil {
		sum.PreviousTag, sum.PreviousCommit = f.Previous.Name, f.Previous.Commit
	}
	if sum.Changes == nil {
		sum.Changes = []ChangeTrace{}
	}
	if sum.KnownAnomalies == nil {
		sum.KnownAnomalies = []model.Record{}
	}
	sum.Plans = []PlanStatus{} // a policy may name none (release.plans: []): a list, never null
	for _, p := range f.Plans {
		files := p.Files
		if files == nil {
			files = []string{}
		}
		sum.Plans = append(sum.Plans, PlanStatus{Name: p.Plan.Name, Clause: p.Plan.Clause, Path: p.Plan.Path, Files: files})
	}
	res.Release = sum
	res.decide(failOn)
	return res
}

// linkTraces reports whether a link traces a change, and describes it.
func (f *ReleaseFacts) linkTraces(l trace.Link) bool {
	switch l.Kind {
	case config.KindRequirement:
		return f.Model.Graph.Requirement(l.ID) != nil
	case config.KindChangeRequest, config.KindProblemReport:
		return hasKind(f.Records[l.ID], l.Kind)
	case trace.LinkIssue:
		return len(f.Records[l.ID]) > 0
	}
	return false
}

// traces returns the IDs through which a commit's own message traces, and
// whether it was through a pull request it names.
func (f *ReleaseFacts) traces(c facts.Commit) (ids []string, via string) {
	for _, l := range f.Links[c.SHA] {
		if f.linkTraces(l) {
			ids = append(ids, l.ID)
		}
	}
	if len(ids) > 0 {
		return ids, "message"
	}
	for _, l := range f.Links[c.SHA] {
		for _, pl := range f.PRLinks[l.ID] {
			if f.linkTraces(pl) {
				ids = append(ids, pl.ID)
				via = "pull request " + l.ID
			}
		}
	}
	return ids, via
}

func checkChangesTraced(f *ReleaseFacts, c *check, st *releaseState) {
	class := f.Model.Config.SafetyClass
	if f.NoHistory {
		c.reason = "the release candidate has no git history here; the gate on the release tag judges its changes"
		c.skipped++
		c.classes = map[model.Class]bool{}
		return
	}
	if f.Previous == nil {
		c.reason = "first release: no previous release tag matches " + strconvQuote(f.Model.Config.Release.TagPattern)
		c.skipped++
		c.classes = map[model.Class]bool{}
		for _, cm := range f.Commits {
			ids, via := f.traces(cm)
			st.changes = append(st.changes, ChangeTrace{SHA: cm.SHA, Subject: cm.Subject(), Author: cm.Author, Date: cm.Committed,
				Merge: cm.IsMerge(), Links: ids, Via: via, Traced: len(ids) > 0})
		}
		return
	}
	inRange := map[string]*facts.Commit{}
	for i := range f.Commits {
		inRange[f.Commits[i].SHA] = &f.Commits[i]
	}
	// Links of merge commits reach the commits they merged: those reachable
	// from the second parent and not from the first, within the range.
	byMerge := map[string]ChangeTrace{}
	for _, cm := range f.Commits { // newest first: the outermost merge wins
		if !cm.IsMerge() {
			continue
		}
		ids, via := f.traces(cm)
		if len(ids) == 0 {
			continue
		}
		if via == "message" {
			via = "merge " + model.ShortSHA(cm.SHA)
		} else {
			via = via + " via merge " + model.ShortSHA(cm.SHA)
		}
		mainline := ancestors(inRange, cm.Parents[0], nil)
		for sha := range ancestors(inRange, cm.Parents[1], mainline) {
			if _, done := byMerge[sha]; !done {
				byMerge[sha] = ChangeTrace{Links: ids, Via: via}
			}
		}
	}
	for _, cm := range f.Commits {
		ids, via := f.traces(cm)
		if len(ids) == 0 {
			if m, ok := byMerge[cm.SHA]; ok {
				ids, via = m.Links, m.Via
			}
		}
		var unapproved []string
		if len(ids) == 0 && !cm.IsMerge() {
			ids, unapproved = f.listedBy(cm.SHA)
			if len(ids) > 0 {
				via = "listed by an approved change request"
			}
		}
		ct := ChangeTrace{SHA: cm.SHA, Subject: cm.Subject(), Author: cm.Author, Date: cm.Committed,
			Merge: cm.IsMerge(), Links: ids, Via: via, Traced: len(ids) > 0 || cm.IsMerge()}
		st.changes = append(st.changes, ct)
		if cm.IsMerge() || !c.applies(class) {
			continue
		}
		if len(ids) == 0 {
			why := "traces to no change request, problem report or requirement"
			var unres, dead []string
			for _, l := range f.Links[cm.SHA] {
				if reason, ok := f.Unresolvable[l.ID]; ok {
					unres = append(unres, l.ID+" ("+reason+")")
				} else {
					dead = append(dead, l.ID)
				}
			}
			switch {
			case len(unres) > 0:
				why = "could not be traced: " + strings.Join(unres, ", ") + " could not be looked up"
			case len(dead) > 0:
				why += " (it names " + strings.Join(dead, ", ") + ", which resolve to none)"
			}
			if len(unapproved) > 0 {
				why += "; change request " + strings.Join(unapproved, ", ") + " lists it but is not approved"
			}
			c.report(class, model.ShortSHA(cm.SHA), noPos, "commit %s %s (%s, %s) %s",
				model.ShortSHA(cm.SHA), strconvQuote(oneLine(cm.Subject(), 120)), cm.Author, cm.Committed.UTC().Format("2006-01-02"), why)
		}
	}
	if c.checked == 0 {
		c.applies(class)
		c.reason = "no commit since the previous release"
	}
}

// listedBy returns the approved change requests that list the commit
// among their commits, and the unapproved ones that do.
func (f *ReleaseFacts) listedBy(sha string) (approved, unapproved []string) {
	for _, r := range f.Listing {
		if r.Kind != model.KindChangeRequest || !r.ListsCommit(sha) {
			continue
		}
		if r.Approved {
			approved = append(approved, r.ID)
		} else {
			unapproved = append(unapproved, r.ID)
		}
	}
	return approved, unapproved
}

// ancestors walks parents from start within the range, stopping at
// commits in stop, and returns what it reached.
func ancestors(inRange map[string]*facts.Commit, start string, stop map[string]bool) map[string]bool {
	seen := map[string]bool{}
	queue := []string{start}
	for len(queue) > 0 {
		sha := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		cm, ok := inRange[sha]
		if !ok || seen[sha] || stop[sha] {
			continue
		}
		seen[sha] = true
		queue = append(queue, cm.Parents...)
	}
	return seen
}

func checkRequirementsVerified(f *ReleaseFacts, c *check, _ *releaseState) {
	m := f.Model
	for _, r := range m.Graph.Requirements {
		if !primary(m, r) || !r.Active || !c.applies(r.Class) {
			continue
		}
		switch {
		case r.RolledUp && r.Outcome != trace.Verified:
			c.report(r.Class, r.ID, r.Source, "%s %s is %s through its children (verification.parents: %s): %s", r.ID, strconvQuote(r.Title), r.Outcome,
				m.Config.Verification.Parents, rollUpWhy(r, m.Config.Verification.Parents))
		case r.Outcome == trace.Failed:
			c.report(r.Class, r.ID, r.Source, "%s %s fails verification: %s", r.ID, strconvQuote(r.Title), failingTests(r))
		case r.Outcome == trace.Unverified:
			if r.Method() == model.VerifyTest {
				c.report(r.Class, r.ID, r.Source, "%s %s has no passing test", r.ID, strconvQuote(r.Title))
			} else {
				c.report(r.Class, r.ID, r.Source, "%s %s is verified by %s but its record is missing", r.ID, strconvQuote(r.Title), r.Method())
			}
		}
	}
}

// rollUpWhy names what keeps a parent judged through its children from
// being verified: its own failing tests (or, for both, its missing ones)
// and its active children that are not verified.
func rollUpWhy(r *trace.Requirement, how string) string {
	var why []string
	switch {
	case r.Own == trace.Failed:
		why = append(why, "its own test fails: "+failingTests(r))
	case how == config.ParentsBoth && r.Own != trace.Verified:
		why = append(why, "it has no passing test of its own")
	}
	for _, ch := range r.Children {
		if ch.Active && ch.Outcome != trace.Verified {
			why = append(why, ch.ID+" "+string(ch.Outcome))
		}
	}
	return strings.Join(why, "; ")
}

func checkTestsPassed(f *ReleaseFacts, c *check, _ *releaseState) {
	m := f.Model
	for _, t := range m.Graph.Tests {
		class := m.Config.SafetyClass
		for _, r := range t.Requirements {
			class = model.Max(class, r.Class)
		}
		if !c.applies(class) {
			continue
		}
		if t.Outcome.Bad() {
			var ids []string
			for _, r := range t.Requirements {
				ids = append(ids, r.ID)
			}
			verifies := ""
			if len(ids) > 0 {
				verifies = " (verifies " + strings.Join(ids, ", ") + ")"
			}
			msg := firstLine(t.Message)
			if msg != "" {
				msg = ": " + oneLine(msg, 200)
			}
			if t.Evaluation != "" {
				// The record accepts the failure; the gate shows the
				// evaluation to the person who judges it, and still
				// counts the failure.
				msg += "; evaluated in its record as: " + oneLine(t.Evaluation, 200) + " (an evaluation does not make a failed test pass)"
			}
			c.report(class, t.FullName(), t.Source, "test %s %s%s%s", t.FullName(), map[model.Outcome]string{model.Failed: "failed", model.Errored: "errored"}[t.Outcome], verifies, msg)
		}
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func checkEvidencePresent(f *ReleaseFacts, c *check, _ *releaseState) {
	class := f.Model.Config.SafetyClass
	if !c.applies(class) {
		return
	}
	if f.Model.Graph.TestTotals.Total == 0 {
		c.report(class, "tests", f.Model.Config.Pos("tests"), "no test results were read for the release")
	}
}

func checkControlsVerified(f *ReleaseFacts, c *check, _ *releaseState) {
	m := f.Model
	for _, rc := range m.Graph.RiskControls {
		if m.Graph.RiskControl(rc.ID) != rc || !c.applies(m.Config.SafetyClass) {
			continue
		}
		if rc.Outcome == trace.Verified {
			continue
		}
		var detail []string
		for _, r := range rc.Requirements {
			if r.Active && r.Outcome != trace.Verified {
				detail = append(detail, r.ID+" "+string(r.Outcome))
			}
		}
		why := "no active requirement implements it"
		if len(detail) > 0 {
			why = "implemented by " + strings.Join(detail, ", ")
		}
		c.report(m.Config.SafetyClass, rc.ID, rc.Source, "risk control %s %s is not verified: %s", rc.ID, strconvQuote(rc.Title), why)
	}
}

func checkAnomaliesEvaluated(f *ReleaseFacts, c *check, _ *releaseState) {
	class := f.Model.Config.SafetyClass
	heading := f.Model.Config.ProblemReports.Fields[config.FieldEvaluation]
	for _, p := range f.OpenProblems {
		if !c.applies(class) {
			continue
		}
		if heading == "" {
			c.report(class, p.ID, p.Source, "open problem report %s cannot show its evaluation: the policy names no evaluation field (problem_reports.fields.evaluation)", p.ID)
			continue
		}
		if strings.TrimSpace(p.Fields[config.FieldEvaluation]) == "" {
			c.report(class, p.ID, p.Source, "open problem report %s %s is a known residual anomaly without an evaluation (%q)", p.ID, strconvQuote(p.Title), heading)
		}
	}
	if c.checked == 0 && c.skipped == 0 {
		c.applies(class)
		c.reason = "no problem report is open"
	}
}

func checkOpenCriticality(f *ReleaseFacts, c *check, _ *releaseState) {
	cfg := f.Model.Config
	class := cfg.SafetyClass
	levels := cfg.ProblemReports.Criticality
	max := indexOf(levels, cfg.ProblemReports.MaxOpenCriticality)
	for _, p := range f.OpenProblems {
		if !c.applies(class) {
			continue
		}
		crit := strings.ToLower(strings.TrimSpace(p.Fields[config.FieldCriticality]))
		i := indexOf(levels, crit)
		switch {
		case crit == "":
			c.report(class, p.ID, p.Source, "open problem report %s %s states no criticality, so the release cannot be judged against it", p.ID, strconvQuote(p.Title))
		case i < 0:
			c.report(class, p.ID, p.Source, "open problem report %s has criticality %q, which is not a level of the policy (%s)", p.ID, crit, strings.Join(levels, ", "))
		case i > max:
			c.report(class, p.ID, p.Source, "problem report %s %s is open with criticality %s, above the %s the policy allows at a release",
				p.ID, strconvQuote(p.Title), crit, cfg.ProblemReports.MaxOpenCriticality)
		}
	}
	if c.checked == 0 {
		c.applies(class)
		c.reason = "no problem report is open"
	}
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

func checkPlansPresent(f *ReleaseFacts, c *check, _ *releaseState) {
	class := f.Model.Config.SafetyClass
	for i, p := range f.Plans {
		if !c.applies(class) {
			continue
		}
		if len(p.Files) == 0 {
			c.report(class, p.Plan.Name, f.Model.Config.Pos(fmt.Sprintf("release.plans.%d.path", i)), "%s (%s) is not in the release: no file matches %q",
				p.Plan.Name, p.Plan.Clause, p.Plan.Path)
		}
	}
	if c.checked == 0 {
		c.applies(class)
		c.reason = "the policy requires no plan"
	}
}

func checkReleaseIdentified(f *ReleaseFacts, c *check, _ *releaseState) {
	class := f.Model.Config.SafetyClass
	if f.Tag == "" {
		c.reason = "a release candidate, not tagged yet: the gate on the release tag checks it"
		c.skipped++
		c.classes = map[model.Class]bool{}
		return
	}
	if !c.applies(class) {
		return
	}
	pat := f.Model.Config.Release.TagPattern
	if ok, _ := doublestar.Match(pat, f.Tag); !ok {
		c.report(class, f.Tag, noPos, "release %s does not match the release tag pattern %q", f.Tag, pat)
	}
	if f.Commit == "" {
		c.report(class, f.Tag, noPos, "release %s is not tied to a commit", f.Tag)
	}
}

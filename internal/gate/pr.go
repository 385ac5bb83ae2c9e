package gate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

// PRFacts is everything the pull request gate judges. The policy in
// Head.Config was read from the base ref: a pull request cannot weaken its
// own gate.
type PRFacts struct {
	Head *Model // the base policy over the design history file at the head
	// Base is the design history file at the base under the same policy,
	// used to tell what the pull request changed and which lint findings
	// it introduced; nil when the base holds none.
	Base    *Model
	PR      facts.PullRequest
	Commits []facts.Commit
	Changes []facts.Change
	Links   []trace.Link
	// Records resolves a link ID to the problem reports and change
	// requests it names (an issue may be both); a link ID that is absent
	// was looked up and not found, or is not a record.
	Records map[string][]model.Record
	// Issues holds the GitHub issues that issue links resolved to,
	// including ones that are neither problem report nor change request.
	Issues map[string]*facts.Issue
	// Unresolvable explains why a link could not be looked up at all (no
	// GitHub token): such a link fails closed.
	Unresolvable map[string]string
	// HeadOnly holds the IDs of change requests whose record files the
	// pull request adds: they exist at the head, not at the base the
	// gate reads change requests from.
	HeadOnly map[string]bool
	// NoTracker says why GitHub issues were not searched ("no GitHub token
	// was given"); empty when they were.
	NoTracker string
	// Evidence is true when test reports were part of the evaluation.
	Evidence bool
	// PolicyFile is the policy's path, to notice a pull request changing it.
	PolicyFile string
	// SOUP is the SOUP list at the head and the SBOM changes; nil when the
	// policy names neither SBOMs nor a register.
	SOUP *SOUPFacts
	// Reviews are the pull request's review records (PRs[PR.Number]);
	// nil when not gathered.
	Reviews *ReviewFacts
}

// PR gate rules.
var prRules = []*prRule{
	{Rule{ID: "TG201", Name: "pr-linked", Title: "The pull request links a requirement, change request or problem report",
		Clauses: []string{"IEC 62304 8.2.4", "IEC 62304 8.2.1", "IEC 62304 9.4"}, MinClass: model.ClassA, Severity: SevError,
		Description: "Every change must be traceable to the change request or problem report that caused it (8.2.4). tracegate looks for IDs and GitHub issue references in the title, the body, the branch name and the commit messages; an exempt label counts only with a written justification in the body.",
		Remediation: "name the requirement, change request or problem report in the title or body (e.g. \"Fixes #12\" or \"SRS-014\")"},
		checkPRLinked},
	{Rule{ID: "TG202", Name: "pr-exemption", Title: "Exemptions from the link rule are recorded with their justification",
		Clauses: []string{"IEC 62304 8.2.4"}, MinClass: model.ClassA, Severity: SevNote,
		Description: "A pull request carrying an exempt label is not held to the link rule; the exemption and its written justification are recorded in the result so that an auditor sees every one.",
		Remediation: "none: this records an exemption"},
		checkPRExemption},
	{Rule{ID: "TG203", Name: "pr-links-resolve", Title: "Every link of the pull request resolves",
		Clauses: []string{"IEC 62304 8.2.4", "IEC 62304 5.1.1"}, MinClass: model.ClassA, Severity: SevError,
		Description: "A link to a requirement, change request or problem report that does not exist (or that could not be looked up) traces to nothing.",
		Remediation: "correct the reference, or create the item where the policy reads it (a change request at the base branch, approved, before the pull request that it allows)"},
		checkPRLinksResolve},
	{Rule{ID: "TG204", Name: "change-approved", Title: "Linked change requests are approved",
		Clauses: []string{"IEC 62304 8.2.1"}, MinClass: model.ClassA, Severity: SevError,
		Description: "A change request must be approved before the change is made (8.2.1); approval shows as one of the policy's approved labels, or approved: true in a change request file.",
		Remediation: "have the change request approved (label it with an approved label) before merging"},
		checkChangeApproved},
	{Rule{ID: "TG205", Name: "problem-triaged", Title: "Linked problem reports are triaged: type, scope, criticality and investigation",
		Clauses: []string{"IEC 62304 9.1", "IEC 62304 9.2"}, MinClass: model.ClassA, Severity: SevError,
		Description: "A problem report must state its type, scope and criticality (9.1) and the outcome of its investigation (9.2) before the fix is merged. The fields are the policy's problem_reports.fields (issue-form sections or labels).",
		Remediation: "fill in the missing sections of the problem report"},
		checkProblemTriaged},
	{Rule{ID: "TG206", Name: "pr-requirements-verified", Title: "Requirements the pull request links are verified by its evidence",
		Clauses: []string{"IEC 62304 5.7.4", "IEC 62304 8.2.3"}, MinClass: model.ClassA, Severity: SevError,
		Description: "When the pull request's verification evidence (test reports) is given, every active requirement it links must have a passing test and no failing one (8.2.3: verify changes).",
		Remediation: "add or fix the tests that verify the requirement, and link them (JUnit property, ID in the name, or a Verifies: tag)"},
		checkPRRequirementsVerified},
	{Rule{ID: "TG207", Name: "risk-impact", Title: "Changes touching risk controls or class B/C items carry a risk-impact assessment",
		Clauses: []string{"IEC 62304 7.4.1", "IEC 62304 7.4.2", "IEC 62304 7.4.3"}, MinClass: model.ClassB, Severity: SevError,
		Description: "A change must be analysed for its effect on safety: whether it introduces a new cause of a hazardous situation and whether it affects existing risk controls (7.4). Required when the pull request changes the risk analysis, a requirement that implements a risk control, or files of a software item of class B or C — and, when the policy declares no items, any file of a class B or C system, which is then one software item; the assessment is the body section named by pr.risk_impact_heading.",
		Remediation: "add a section with the policy's risk-impact heading to the pull request body, stating the change's effect on hazards and risk controls"},
		checkRiskImpact},
	{Rule{ID: "TG208", Name: "policy-change", Title: "Changes to the policy file take effect only after merge",
		Clauses: []string{"IEC 62304 5.1.1", "IEC 62304 8.2.1"}, MinClass: model.ClassA, Severity: SevNote,
		Description: "The pull request is judged by the policy of its base branch. A pull request that changes the policy is recorded, so that the change is reviewed like any other change to the quality system.",
		Remediation: "review the policy change with QA/RA"},
		checkPolicyChange},
	{ruleReviewed, checkPRReviewed},
}

type prRule struct {
	Rule
	run func(*PRFacts, *check)
}

// EvaluatePR judges a pull request: the PR rules, and the model lint rules
// on the findings the pull request introduces (findings already present at
// the base are counted, not held against it).
func EvaluatePR(f *PRFacts, failOn Severity) *Result {
	m := f.Head
	res := &Result{Gate: GatePR, SafetyClass: m.Config.SafetyClass,
		Subject:  prSubject(f.PR),
		Warnings: m.DHF.Warnings, Inputs: m.DHF.Files,
		Policy: Policy{File: m.Config.File, Defaulted: m.Config.DefaultedValues()}}
	for _, pr := range prRules {
		c := &check{rule: &pr.Rule}
		pr.run(f, c)
		res.Findings = append(res.Findings, c.findings...)
		res.Rules = append(res.Rules, c.outcome())
	}
	res.lintDelta(m, f.Base)
	if f.SOUP != nil {
		f.SOUP.PR = true
	}
	res.evaluateSOUP(f.SOUP, m)
	res.PullRequest = prSummary(f)
	res.decide(failOn)
	return res
}

// lintDelta adds the model lint, counting only the findings that are not
// already present in base.
func (r *Result) lintDelta(head, base *Model) {
	before := map[string]int{}
	if base != nil {
		for _, rf := range validateRules {
			c := &check{rule: &rf.Rule}
			rf.run(base, c)
			for _, f := range c.findings {
				before[findingKey(f)]++
			}
		}
	}
	for _, rf := range validateRules {
		c := &check{rule: &rf.Rule}
		rf.run(head, c)
		var fresh []Finding
		old := 0
		for _, f := range c.findings {
			k := findingKey(f)
			if before[k] > 0 {
				before[k]--
				old++
				continue
			}
			fresh = append(fresh, f)
		}
		c.findings = fresh
		o := c.outcome()
		if old > 0 {
			note := fmt.Sprintf("%d finding(s) already present at the base, not introduced by this change", old)
			if o.Reason != "" {
				note = o.Reason + "; " + note
			}
			o.Reason = note
		}
		r.Findings = append(r.Findings, fresh...)
		r.Rules = append(r.Rules, o)
	}
}

// findingKey identifies a finding independently of where it sits, so that
// a finding that only moved lines is the same finding.
func findingKey(f Finding) string { return f.Rule + "\x00" + f.Subject + "\x00" + f.Message }

func prSubject(pr facts.PullRequest) string {
	s := "pull request"
	if pr.Number > 0 {
		s = fmt.Sprintf("pull request #%d", pr.Number)
	}
	if pr.Title != "" {
		s += " " + strconvQuote(pr.Title)
	}
	return s
}

func strconvQuote(s string) string { return "“" + s + "”" }

// exemption returns the exempt label on the pull request, if any.
func exemption(f *PRFacts) string {
	for _, l := range f.PR.Labels {
		for _, x := range f.Head.Config.PR.ExemptLabels {
			if strings.EqualFold(l, x) {
				return l
			}
		}
	}
	return ""
}

// counted reports whether a link counts for the link rule: a typed ID, or
// an issue that is a problem report or change request.
func counted(f *PRFacts, l trace.Link) bool {
	if l.Kind != trace.LinkIssue {
		return true
	}
	return len(f.Records[l.ID]) > 0
}

func checkPRLinked(f *PRFacts, c *check) {
	class := f.Head.Config.SafetyClass
	if !c.applies(class) {
		return
	}
	n := 0
	var other []string
	for _, l := range f.Links {
		if counted(f, l) {
			n++
		} else if _, unres := f.Unresolvable[l.ID]; !unres {
			if iss := f.Issues[l.ID]; iss != nil {
				what := "is not labelled as a problem report or change request"
				if iss.IsPullRequest {
					what = "is a pull request"
				}
				other = append(other, fmt.Sprintf("%s %s", l.ID, what))
			}
		}
	}
	if n > 0 {
		return
	}
	if label := exemption(f); label != "" {
		if justification(f) != "" {
			return // recorded by pr-exemption
		}
		c.report(class, prSubject(f.PR), noPos, "the pull request carries the exempt label %q but its body has no written justification under a %q heading",
			label, f.Head.Config.PR.JustificationHeading)
		return
	}
	msg := "the pull request links no requirement, change request or problem report (looked in the title, body, branch and commit messages)"
	if len(other) > 0 {
		msg += "; " + strings.Join(other, "; ")
	}
	if len(f.Unresolvable) > 0 {
		msg += "; some issue links could not be looked up (see pr-links-resolve)"
	}
	c.report(class, prSubject(f.PR), noPos, "%s", msg)
}

func justification(f *PRFacts) string {
	return facts.Section(f.PR.Body, f.Head.Config.PR.JustificationHeading)
}

func checkPRExemption(f *PRFacts, c *check) {
	class := f.Head.Config.SafetyClass
	if !c.applies(class) {
		return
	}
	label := exemption(f)
	if label == "" {
		return
	}
	if j := justification(f); j != "" {
		c.report(class, prSubject(f.PR), noPos, "exempted from the link rule by label %q; justification: %s", label, oneLine(j, 500))
	}
}

func checkPRLinksResolve(f *PRFacts, c *check) {
	class := f.Head.Config.SafetyClass
	for _, l := range f.Links {
		if !c.applies(class) {
			continue
		}
		where := strings.Join(l.Where, ", ")
		switch l.Kind {
		case config.KindRequirement:
			if f.Head.Graph.Requirement(l.ID) == nil && (f.Base == nil || f.Base.Graph.Requirement(l.ID) == nil) {
				// A requirement of an external namespace resolves as
				// external: it is kept in another tool.
				if _, ext := f.Head.IDs.External(config.KindRequirement, l.ID); !ext {
					c.report(class, l.ID, noPos, "the pull request links requirement %s (in %s), which does not exist", l.ID, where)
				}
			}
		case config.KindChangeRequest, config.KindProblemReport:
			switch why, ok := f.Unresolvable[l.ID]; {
			case ok:
				c.report(class, l.ID, noPos, "%s (in %s) could not be looked up: %s", l.ID, where, why)
			case hasKind(f.Records[l.ID], l.Kind):
			case l.Kind == config.KindChangeRequest && f.HeadOnly[l.ID]:
				c.reportFix("merge the change request first, approved, in a pull request of its own; or link a change request that is already approved at the base",
					class, l.ID, noPos, "the pull request links change request %s (in %s), which it adds itself: change requests are read from the base branch, so that a pull request cannot approve its own change", l.ID, where)
			default:
				c.reportFix(whereRecords(f, l.Kind), class, l.ID, noPos, "the pull request links %s %s (in %s), which does not exist%s", kindName(l.Kind), l.ID, where, notSearched(f, l.Kind))
			}
		case trace.LinkIssue:
			if why, ok := f.Unresolvable[l.ID]; ok {
				c.reportFix("give tracegate a GitHub token (--github-token or GITHUB_TOKEN; the Action passes the workflow's) so that issue links can be looked up",
					class, l.ID, noPos, "issue %s (in %s) could not be looked up: %s", l.ID, where, why)
			} else if f.Issues[l.ID] == nil {
				c.report(class, l.ID, noPos, "the pull request links issue %s (in %s), which does not exist", l.ID, where)
			}
		}
	}
	if c.checked == 0 {
		c.applies(class)
	}
}

// recordsPolicy is the policy's records section of a kind.
func recordsPolicy(cfg *config.Config, kind string) config.Records {
	if kind == config.KindChangeRequest {
		return cfg.ChangeRequests.Records
	}
	return cfg.ProblemReports.Records
}

// whereRecords says where the policy reads records of a kind, as a fix.
func whereRecords(f *PRFacts, kind string) string {
	r := recordsPolicy(f.Head.Config, kind)
	var places []string
	if len(r.Files) > 0 {
		places = append(places, "a file matching "+strings.Join(r.Files, " or "))
	}
	if len(r.Labels) > 0 {
		places = append(places, "a GitHub issue labelled "+strings.Join(r.Labels, " or ")+" with the ID in its title")
	}
	at := ""
	if kind == config.KindChangeRequest {
		at = " at the base branch"
	}
	if len(places) == 0 {
		return "correct the reference: the policy reads no " + kindName(kind) + "s (its " + kind + "s section names neither files nor labels)"
	}
	return "correct the reference, or create the " + kindName(kind) + at + " as " + strings.Join(places, ", or as ")
}

// notSearched says, for a record not found, that GitHub issues were not
// searched when the policy reads records of the kind from them.
func notSearched(f *PRFacts, kind string) string {
	if r := recordsPolicy(f.Head.Config, kind); len(r.Labels) > 0 && f.NoTracker != "" {
		return fmt.Sprintf(" in the files the policy names; issues labelled %s were not searched: %s", strings.Join(r.Labels, ", "), f.NoTracker)
	}
	return ""
}

func checkChangeApproved(f *PRFacts, c *check) {
	class := f.Head.Config.SafetyClass
	for _, rec := range linkedRecords(f, model.KindChangeRequest) {
		if !c.applies(class) {
			continue
		}
		if !rec.Approved {
			c.report(class, rec.ID, rec.Source, "change request %s %s is not approved (approved labels: %s)", rec.ID, strconvQuote(rec.Title),
				orNone(f.Head.Config.ChangeRequests.ApprovedLabels))
		}
	}
	if c.checked == 0 {
		c.applies(class)
	}
}

func checkProblemTriaged(f *PRFacts, c *check) {
	class := f.Head.Config.SafetyClass
	for _, rec := range linkedRecords(f, model.KindProblemReport) {
		if !c.applies(class) {
			continue
		}
		if missing := missingFields(rec, f.Head.Config.ProblemReports.Fields, false); len(missing) > 0 {
			c.report(class, rec.ID, rec.Source, "problem report %s %s does not state %s", rec.ID, strconvQuote(rec.Title), strings.Join(missing, ", "))
		}
	}
	if c.checked == 0 {
		c.applies(class)
	}
}

// missingFields lists the policy's required fields the record leaves
// empty, by their headings. The evaluation field is required only at a
// release (withEvaluation).
func missingFields(rec model.Record, fields map[string]string, withEvaluation bool) []string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		if k == config.FieldEvaluation && !withEvaluation {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		if strings.TrimSpace(rec.Fields[k]) == "" {
			out = append(out, strconvQuote(fields[k]))
		}
	}
	return out
}

func checkPRRequirementsVerified(f *PRFacts, c *check) {
	if !f.Evidence {
		// Reported as not applicable with its reason: no evidence was given,
		// so there was nothing to check against.
		c.skipped++
		c.classes = map[model.Class]bool{}
		c.reason = "no verification evidence (test reports) was given with the pull request"
		return
	}
	for _, l := range f.Links {
		if l.Kind != config.KindRequirement {
			continue
		}
		r := f.Head.Graph.Requirement(l.ID)
		if r == nil || !r.Active || !c.applies(r.Class) {
			continue
		}
		switch {
		case r.RolledUp && r.Outcome != trace.Verified:
			how := f.Head.Config.Verification.Parents
			c.report(r.Class, r.ID, r.Source, "%s, linked by the pull request, is %s through its children (verification.parents: %s) in the pull request's evidence: %s", r.ID, r.Outcome, how, rollUpWhy(r, how))
		case r.Outcome == trace.Failed:
			c.report(r.Class, r.ID, r.Source, "%s, linked by the pull request, has a failing test: %s", r.ID, failingTests(r))
		case r.Outcome == trace.Unverified:
			c.report(r.Class, r.ID, r.Source, "%s, linked by the pull request, has no passing test in the pull request's evidence", r.ID)
		}
	}
	if c.checked == 0 && c.skipped == 0 {
		c.applies(f.Head.Config.SafetyClass)
	}
}

func failingTests(r *trace.Requirement) string {
	var names []string
	for _, l := range r.Tests {
		if l.Test.Outcome.Bad() {
			names = append(names, l.Test.FullName()+" ("+oneLine(l.Test.OutcomeLabel(), 200)+")")
		}
	}
	return strings.Join(names, ", ")
}

// touches describes why a change needs a risk-impact assessment, with the
// class it is judged at.
type touch struct {
	what  string
	class model.Class
}

func riskTouches(f *PRFacts) []touch {
	cfg := f.Head.Config
	var out []touch
	var riskGlobs []string
	for _, s := range cfg.Risks {
		riskGlobs = append(riskGlobs, s.Path)
	}
	riskGlobs = append(riskGlobs, cfg.PR.RiskPaths...)
	if len(cfg.Items) == 0 && cfg.SafetyClass.AtLeast(model.ClassB) {
		// Without items the software system is one item of the system's
		// class (IEC 62304 4.3): a change to any of its files needs the
		// assessment. Items with paths narrow it.
		var paths []string
		for _, ch := range f.Changes {
			paths = append(paths, ch.Path)
		}
		if len(paths) > 0 {
			out = append(out, touch{fmt.Sprintf("changes %s of the class %s software system (the policy declares no items, so the whole repository is one software item of the system's class)",
				strings.Join(limit(paths, 3), ", "), cfg.SafetyClass), cfg.SafetyClass})
		}
	}
	for _, ch := range f.Changes {
		for _, p := range []string{ch.Path, ch.OldPath} {
			if p == "" {
				continue
			}
			if matchAny(riskGlobs, p) {
				out = append(out, touch{"changes the risk analysis (" + p + ")", cfg.SafetyClass})
				break
			}
			for _, it := range cfg.Items {
				if it.Class.AtLeast(model.ClassB) && it.Owns(p) {
					out = append(out, touch{fmt.Sprintf("changes %s of class %s item %s", p, it.Class, it.Name), it.Class})
				}
			}
		}
	}
	for _, id := range changedRequirements(f) {
		r := f.Head.Graph.Requirement(id)
		if r == nil && f.Base != nil {
			r = f.Base.Graph.Requirement(id)
		}
		if r == nil || len(r.Controls) == 0 {
			continue
		}
		var cs []string
		for _, rc := range r.Controls {
			cs = append(cs, rc.ID)
		}
		out = append(out, touch{fmt.Sprintf("changes requirement %s, which implements risk control %s", id, strings.Join(cs, ", ")), r.Class})
	}
	return out
}

// changedRequirements lists the IDs of requirements that differ between
// base and head (added, removed or edited), sorted.
func changedRequirements(f *PRFacts) []string {
	if f.Base == nil {
		return nil
	}
	sig := func(m *Model) map[string]string {
		out := map[string]string{}
		for _, r := range m.Graph.Requirements {
			if m.Graph.Requirement(r.ID) != r {
				continue
			}
			x := *r.Requirement
			x.Source = x.Source.WithoutLine()
			out[r.ID] = fmt.Sprintf("%+v", x)
		}
		return out
	}
	b, h := sig(f.Base), sig(f.Head)
	var ids []string
	for id, s := range h {
		if b[id] != s {
			ids = append(ids, id)
		}
	}
	for id := range b {
		if _, ok := h[id]; !ok {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return trace.IDLess(ids[i], ids[j]) })
	return ids
}

func checkRiskImpact(f *PRFacts, c *check) {
	touches := riskTouches(f)
	if len(touches) == 0 {
		c.reason = "the change touches no risk control, risk analysis or class B/C item"
		c.applies(model.ClassC) // checked: nothing required it
		return
	}
	class := model.Class("")
	var whys []string
	for _, t := range touches {
		class = model.Max(class, t.class)
		whys = append(whys, t.what)
	}
	if !c.applies(class) {
		return
	}
	if facts.Section(f.PR.Body, f.Head.Config.PR.RiskImpactHeading) == "" {
		sort.Strings(whys)
		c.report(class, prSubject(f.PR), noPos, "the pull request %s, but its body has no %q section with a risk-impact assessment",
			strings.Join(limit(unique(whys), 5), "; "), f.Head.Config.PR.RiskImpactHeading)
	}
}

func checkPolicyChange(f *PRFacts, c *check) {
	class := f.Head.Config.SafetyClass
	if !c.applies(class) {
		return
	}
	for _, ch := range f.Changes {
		if ch.Path == f.PolicyFile || ch.OldPath == f.PolicyFile {
			c.report(class, f.PolicyFile, noPos, "the pull request changes the policy file %s; it was judged by the base branch's policy, and the change applies after merge", f.PolicyFile)
			return
		}
	}
}

// linkedRecords returns the records of kind the pull request links, once
// each, in link order.
func linkedRecords(f *PRFacts, kind string) []model.Record {
	var out []model.Record
	seen := map[string]bool{}
	for _, l := range f.Links {
		for _, r := range f.Records[l.ID] {
			if r.Kind == kind && !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, r)
			}
		}
	}
	return out
}

func hasKind(rs []model.Record, kind string) bool {
	for _, r := range rs {
		if r.Kind == kind {
			return true
		}
	}
	return false
}

func kindName(kind string) string { return strings.ReplaceAll(kind, "_", " ") }

func matchAny(globs []string, p string) bool {
	for _, g := range globs {
		if ok, _ := doublestar.Match(g, p); ok {
			return true
		}
	}
	return false
}

func limit(ss []string, n int) []string {
	if len(ss) <= n {
		return ss
	}
	return append(ss[:n:n], fmt.Sprintf("and %d more", len(ss)-n))
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func prSummary(f *PRFacts) *PRSummary {
	s := &PRSummary{Number: f.PR.Number, Title: f.PR.Title, URL: f.PR.URL, Base: f.PR.BaseSHA, Head: f.PR.HeadSHA,
		Commits: len(f.Commits), Changes: len(f.Changes), Links: f.Links, Evidence: f.Evidence}
	if s.Links == nil {
		s.Links = []trace.Link{}
	}
	if label := exemption(f); label != "" && justification(f) != "" {
		s.Exemption = label
	}
	s.Review = prReviewRecord(f)
	return s
}

package gate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

// Model is what the model lint and the gates judge: the policy, the DHF
// as read and its resolved graph.
type Model struct {
	Config *config.Config
	DHF    *model.DHF
	Graph  *trace.Graph
	IDs    *trace.IDs
}

// validateRules is the model lint (tracegate validate): is the design
// history file itself complete and consistent?
var validateRules = []*ruleFunc{
	{Rule{ID: "TG100", Name: "requirements-present", Title: "The design history file holds requirements",
		Clauses: []string{"IEC 62304 5.2.1"}, MinClass: model.ClassA, Severity: SevError,
		Description: "An evaluation over zero requirements proves nothing. A glob that matches nothing, or files in a format tracegate did not recognise, must not look like a clean model.",
		Remediation: "check the requirements sources in the policy and the warnings about files that were not recognised"},
		checkRequirementsPresent},
	{Rule{ID: "TG101", Name: "unique-id", Title: "Every ID is defined once",
		Clauses: []string{"IEC 62304 5.2.6", "IEC 62304 8.1.1"}, MinClass: model.ClassA, Severity: SevError,
		Description: "Software requirements must be uniquely identified (5.2.6 e). A duplicated ID makes every link to it ambiguous; tracegate keeps the first definition and reports the others.",
		Remediation: "give each item its own ID, or delete the copy"},
		checkUniqueIDs},
	{Rule{ID: "TG102", Name: "id-pattern", Title: "IDs match the policy's ID pattern for their kind",
		Clauses: []string{"IEC 62304 5.2.6", "IEC 62304 8.1.1"}, MinClass: model.ClassA, Severity: SevError,
		Description: "Links in pull requests, commits and test names are found with the policy's ID patterns; an item whose ID does not match them can never be linked.",
		Remediation: "rename the item so that its ID matches the pattern in ids:, or widen the pattern"},
		checkIDPatterns},
	{Rule{ID: "TG103", Name: "link-resolves", Title: "Every link points at an item that exists",
		Clauses: []string{"IEC 62304 5.1.1", "IEC 62304 5.2.6", "IEC 62304 7.3.3"}, MinClass: model.ClassA, Severity: SevError,
		Description: "Traceability between system requirements, software requirements, risk controls and tests (5.1.1 c, 7.3.3) is only as good as its links; a link to an ID that does not exist is a gap in the trace. A link to an ID of one of the policy's external namespaces (items kept in another tool) resolves as external and is listed in the trace.",
		Remediation: "correct the ID, or add the missing item; for items kept outside the repository, declare their namespace under external: in the policy"},
		checkDangling},
	{Rule{ID: "TG104", Name: "parent-acyclic", Title: "Requirement parents form no cycle",
		Clauses: []string{"IEC 62304 5.2.6"}, MinClass: model.ClassA, Severity: SevError,
		Description: "A requirement that refines itself, directly or through others, has no source it traces to (5.2.6 f).",
		Remediation: "break the cycle: a requirement's parents are the higher-level requirements it refines"},
		checkCycles},
	{Rule{ID: "TG105", Name: "requirement-text", Title: "Every requirement states what is required",
		Clauses: []string{"IEC 62304 5.2.2"}, MinClass: model.ClassA, Severity: SevError,
		Description: "A requirement without a statement cannot be verified or established as test criteria (5.2.6 d).",
		Remediation: "write the requirement's text (or at least its title)"},
		checkRequirementText},
	{Rule{ID: "TG106", Name: "requirement-parent", Title: "Software requirements trace to a system requirement or other source",
		Clauses: []string{"IEC 62304 5.2.6", "IEC 62304 5.1.1"}, MinClass: model.ClassB, Severity: SevError,
		Description: "Software requirements must be traceable to system requirements or another source (5.2.6 f). Applies to active requirements whose type is one of the policy's software_requirement_types (for Ketryx items, their Requirement type); a requirement marked derived (from the architecture, the risk analysis or a standard) is exempt and says its source in its text. When no requirement has such a type, the rule is not applicable and names the types it read, so that a policy that lists none of them does not pass in silence.",
		Remediation: "add the system requirement(s) this requirement refines under parents:"},
		checkRequirementParent},
	{Rule{ID: "TG107", Name: "known-status", Title: "Requirement states are the policy's",
		Clauses: []string{"IEC 62304 8.3"}, MinClass: model.ClassA, Severity: SevError,
		Description: "Whether a requirement must be verified for a release depends on its state; a state the policy does not know would otherwise decide that silently.",
		Remediation: "use a state from requirement_status in the policy, or add the state to its active or inactive list"},
		checkKnownStatus},
	{Rule{ID: "TG108", Name: "known-item", Title: "Requirements name software items the policy defines",
		Clauses: []string{"IEC 62304 4.3", "IEC 62304 5.3.1"}, MinClass: model.ClassA, Severity: SevError,
		Description: "A requirement's safety class comes from its software item; an unknown item would silently fall back to the system class.",
		Remediation: "add the item to items: in the policy, or correct its name"},
		checkKnownItem},
	{Rule{ID: "TG109", Name: "verification-evidence", Title: "Requirements verified by inspection, analysis or demonstration name existing records",
		Clauses: []string{"IEC 62304 5.7.4", "IEC 62304 5.2.6"}, MinClass: model.ClassA, Severity: SevError,
		Description: "A requirement verified by inspection, analysis or demonstration is verified by its record; the record must be in the repository.",
		Remediation: "add the record under the path named in evidence:, or correct the path"},
		checkEvidence},
	{Rule{ID: "TG110", Name: "hazard-complete", Title: "Hazards state hazard, situation, harm and risk before and after control",
		Clauses: []string{"IEC 62304 7.1.1", "IEC 62304 7.1.4", "ISO 14971 5.4", "ISO 14971 5.5", "ISO 14971 7.3"}, MinClass: model.ClassB, Severity: SevError,
		Description: "ISO 14971 requires each hazard's sequence of events, hazardous situation and harm, and the risk estimated before and after control.",
		Remediation: "fill in hazard, hazardous_situation, harm, initial and residual"},
		checkHazardComplete},
	{Rule{ID: "TG111", Name: "hazard-controlled", Title: "Hazards whose initial risk is not acceptable have risk controls",
		Clauses: []string{"IEC 62304 7.2.1", "ISO 14971 7.1"}, MinClass: model.ClassB, Severity: SevError,
		Description: "Risk control measures must be defined for each hazardous situation whose risk is not acceptable (7.2.1).",
		Remediation: "define risk controls for the hazard under risk_controls:"},
		checkHazardControlled},
	{Rule{ID: "TG112", Name: "residual-risk-acceptable", Title: "No residual risk is unacceptable",
		Clauses: []string{"IEC 62304 7.3.1", "ISO 14971 7.3", "ISO 14971 8"}, MinClass: model.ClassB, Severity: SevError,
		Description: "After risk control the residual risk is evaluated against the policy's matrix; an unacceptable residual risk needs further control.",
		Remediation: "add or strengthen risk controls and re-estimate the residual risk"},
		checkResidualAcceptable},
	{Rule{ID: "TG113", Name: "benefit-risk", Title: "Residual risks reduced as far as possible carry a benefit-risk justification",
		Clauses: []string{"ISO 14971 7.4"}, MinClass: model.ClassB, Severity: SevError,
		Description: "When the residual risk is in the matrix's ALARP band it is acceptable only if the medical benefits outweigh it, and that analysis must be recorded.",
		Remediation: "write the benefit-risk analysis under benefit_risk:"},
		checkBenefitRisk},
	{Rule{ID: "TG114", Name: "acceptability-consistent", Title: "Declared acceptability agrees with the risk matrix",
		Clauses: []string{"ISO 14971 4.4", "ISO 14971 7.3"}, MinClass: model.ClassB, Severity: SevError,
		Description: "Acceptability is computed from the policy's risk matrix; a hand-written value that says otherwise is wrong in one place or the other.",
		Remediation: "remove the declared acceptability, or correct the estimate or the matrix"},
		checkAcceptabilityConsistent},
	{Rule{ID: "TG115", Name: "risk-levels", Title: "Risk estimates use the levels of the risk matrix",
		Clauses: []string{"ISO 14971 4.4", "ISO 14971 5.5"}, MinClass: model.ClassB, Severity: SevError,
		Description: "Severity and probability must be levels of the policy's risk matrix so that acceptability can be computed.",
		Remediation: "use a level name (or its 1-based number) from risk_matrix in the policy"},
		checkRiskLevels},
	{Rule{ID: "TG120", Name: "risk-matrix-fits", Title: "A risk matrix kept in the risk file fits its levels",
		Clauses: []string{"ISO 14971 4.4"}, MinClass: model.ClassB, Severity: SevError,
		Description: "A risk file that keeps its own risk matrix (rdm's risk.yml) must give an acceptability for every pair of its severity and probability levels, and name only its own risk levels; a risk that falls in a cell the matrix lacks has no acceptability, and tracegate never guesses one.",
		Remediation: "give the matrix a row per severity level and a cell per probability level, each a label of risk_levels (or write risk_matrix in the policy)"},
		checkRiskMatrixFits},
	{Rule{ID: "TG116", Name: "control-implemented", Title: "Every risk control is implemented by a requirement",
		Clauses: []string{"IEC 62304 5.2.3", "IEC 62304 7.2.2"}, MinClass: model.ClassB, Severity: SevError,
		Description: "A risk control measure implemented in software must be a software requirement (5.2.3, 7.2.2 b), so that it is designed, implemented and verified.",
		Remediation: "link the requirement(s) implementing the control (risk_controls: on the requirement, or requirements: on the control)"},
		checkControlImplemented},
	{Rule{ID: "TG117", Name: "control-kind", Title: "Risk controls say which option of ISO 14971 they are",
		Clauses: []string{"ISO 14971 7.1"}, MinClass: model.ClassB, Severity: SevWarning,
		Description: "ISO 14971 7.1 ranks control options: inherent safety by design, protective measures, information for safety.",
		Remediation: "set kind: inherent-safety, protective-measure or information-for-safety"},
		checkControlKind},
	{Rule{ID: "TG118", Name: "tag-unambiguous", Title: "Verifies: tags are tied to one test",
		Clauses: []string{"IEC 62304 5.7.4"}, MinClass: model.ClassA, Severity: SevWarning,
		Description: "The same test name is tagged in several source files and none fits the test report's class or package better, so tracegate linked none of them rather than guess.",
		Remediation: "rename one of the tests, or link the requirement with a JUnit property instead"},
		checkAmbiguousTags},
	{Rule{ID: "TG119", Name: "risk-analysis-present", Title: "A risk analysis exists",
		Clauses: []string{"IEC 62304 7.1", "ISO 14971 5"}, MinClass: model.ClassB, Severity: SevError,
		Description: "For class B and C software the hazards to which the software can contribute must be analysed; an empty risk file proves nothing.",
		Remediation: "check the risks sources in the policy"},
		checkRiskPresent},
}

// ruleFunc is a rule and its check.
type ruleFunc struct {
	Rule
	run func(*Model, *check)
}

// Validate lints the model and, with s, the SOUP list as the release gate
// judges it (s nil: the policy names no SBOM and no register, and the SOUP
// rules are not applicable); findings at or above failOn fail it.
func Validate(m *Model, s *SOUPFacts, failOn Severity) *Result {
	res := &Result{Gate: GateValidate, SafetyClass: m.Config.SafetyClass,
		Warnings: m.DHF.Warnings, Inputs: m.DHF.Files,
		Policy: Policy{File: m.Config.File, Defaulted: m.Config.DefaultedValues()}}
	for _, rf := range validateRules {
		c := &check{rule: &rf.Rule}
		rf.run(m, c)
		res.Findings = append(res.Findings, c.findings...)
		res.Rules = append(res.Rules, c.outcome())
	}
	res.evaluateSOUP(s, m)
	res.decide(failOn)
	return res
}

func system(m *Model) model.Class { return m.Config.SafetyClass }

// primary reports whether r is the first definition of its ID (duplicates
// are reported once, by unique-id, and not judged again).
func primary(m *Model, r *trace.Requirement) bool { return m.Graph.Requirement(r.ID) == r }

func checkRequirementsPresent(m *Model, c *check) {
	if !c.applies(system(m)) {
		return
	}
	if len(m.Graph.Requirements) == 0 {
		c.report(system(m), "requirements", m.Config.Pos("requirements"), "no requirements were read from the sources in the policy")
	}
}

func checkUniqueIDs(m *Model, c *check) {
	for _, d := range m.Graph.Duplicates {
		if !c.applies(system(m)) {
			continue
		}
		var where []string
		for _, p := range d.Pos[1:] {
			where = append(where, p.String())
		}
		kinds := unique(d.Kinds)
		what := "defined"
		if len(kinds) > 1 {
			what = "defined as " + strings.Join(kinds, " and ")
		}
		c.report(system(m), d.ID, d.Pos[0], "%s is %s %d times; also at %s", d.ID, what, len(d.Pos), strings.Join(where, ", "))
	}
	if c.checked == 0 {
		c.applies(system(m))
	}
}

func checkIDPatterns(m *Model, c *check) {
	try := func(kind, id string, pos input.Pos, class model.Class) {
		if !c.applies(class) {
			return
		}
		if !m.IDs.Is(kind, id) {
			c.report(class, id, pos, "%s ID %q does not match the policy's pattern ids.%s (%s)", strings.ReplaceAll(kind, "_", " "), id, kind, patternOf(m.Config, kind))
		}
	}
	for _, r := range m.Graph.Requirements {
		try(config.KindRequirement, r.ID, r.Source, r.Class)
	}
	for _, h := range m.Graph.Hazards {
		try(config.KindHazard, h.ID, h.Source, system(m))
	}
	for _, rc := range m.Graph.RiskControls {
		if rc.Implicit {
			continue // its ID is the reader's (hazard/item), written nowhere
		}
		try(config.KindRiskControl, rc.ID, rc.Source, system(m))
	}
}

func patternOf(cfg *config.Config, kind string) string {
	switch kind {
	case config.KindRequirement:
		return cfg.IDs.Requirement
	case config.KindHazard:
		return cfg.IDs.Hazard
	case config.KindRiskControl:
		return cfg.IDs.RiskControl
	case config.KindProblemReport:
		return cfg.IDs.ProblemReport
	case config.KindChangeRequest:
		return cfg.IDs.ChangeRequest
	}
	return ""
}

func checkDangling(m *Model, c *check) {
	for _, l := range m.Graph.Dangling {
		class := system(m)
		if l.FromKind == config.KindRequirement {
			if r := m.Graph.Requirement(l.From); r != nil {
				class = r.Class
			}
		}
		if !c.applies(class) {
			continue
		}
		from := strings.ReplaceAll(l.FromKind, "_", " ")
		to := strings.ReplaceAll(l.ToKind, "_", " ")
		msg := fmt.Sprintf("%s %s links to %s %q in %s, which does not exist", from, l.From, to, l.To, l.Field)
		if l.FromKind == "test" && l.Field == trace.ViaProperty && len(m.IDs.Find(config.KindRequirement, l.To)) == 0 {
			msg = fmt.Sprintf("test %s has a requirement property %q that holds no requirement ID", l.From, l.To)
		}
		if kinds := m.IDs.KindOf(l.To); l.Note != "" {
			msg = fmt.Sprintf("%s %s links to %s %q in %s, which is no %s: %s", from, l.From, to, l.To, l.Field, to, l.Note)
		} else if len(kinds) > 0 && !contains(kinds, l.ToKind) {
			msg += fmt.Sprintf(" (it looks like a %s ID)", strings.ReplaceAll(kinds[0], "_", " "))
		}
		c.report(class, l.From, l.Pos, "%s", msg)
	}
	if c.checked == 0 {
		c.applies(system(m))
	}
}

func checkCycles(m *Model, c *check) {
	for _, cyc := range m.Graph.Cycles {
		r := m.Graph.Requirement(cyc[0])
		if !c.applies(r.Class) {
			continue
		}
		if len(cyc) == 1 {
			c.report(r.Class, r.ID, r.Source, "%s lists itself as a parent", r.ID)
			continue
		}
		c.report(r.Class, r.ID, r.Source, "requirements %s are each other's ancestors", strings.Join(cyc, ", "))
	}
	if c.checked == 0 {
		c.applies(system(m))
	}
}

func checkRequirementText(m *Model, c *check) {
	for _, r := range m.Graph.Requirements {
		if !primary(m, r) || !c.applies(r.Class) {
			continue
		}
		if strings.TrimSpace(r.Text) == "" && strings.TrimSpace(r.Title) == "" {
			c.report(r.Class, r.ID, r.Source, "%s has neither text nor title", r.ID)
		}
	}
}

func checkRequirementParent(m *Model, c *check) {
	software := 0
	var others []string // the types read that are not software types, for the reason
	for _, r := range m.Graph.Requirements {
		if !primary(m, r) || !r.Active {
			continue
		}
		if !contains(m.Config.SoftwareTypes, strings.ToLower(r.Type)) {
			if t := strings.ToLower(r.Type); !contains(others, t) {
				others = append(others, t)
			}
			continue
		}
		software++
		if r.Derived || !c.applies(r.Class) {
			continue
		}
		if len(r.Requirement.Parents) == 0 {
			c.report(r.Class, r.ID, r.Source, "software requirement %s (class %s) traces to no system requirement or other source", r.ID, r.Class)
		}
	}
	if software == 0 && len(others) > 0 {
		// Said, not passed in silence: a policy whose types match none of
		// the files' (Ketryx's "Requirement type: FUNCTIONAL") judges
		// nothing here.
		sort.Strings(others)
		for i, t := range others {
			if t == "" {
				others[i] = "(none)"
			}
		}
		if len(others) > 8 {
			others = append(others[:8], "…")
		}
		c.notApplicable(fmt.Sprintf("no active requirement has a type listed in software_requirement_types (types read: %s)", strings.Join(others, ", ")))
	}
}

func checkKnownStatus(m *Model, c *check) {
	known := map[string]bool{}
	for _, s := range m.Config.RequirementStatus.Active {
		known[s] = true
	}
	for _, s := range m.Config.RequirementStatus.Inactive {
		known[s] = true
	}
	for _, r := range m.Graph.Requirements {
		if !primary(m, r) || !c.applies(r.Class) {
			continue
		}
		if r.Status != "" && !known[r.Status] {
			c.report(r.Class, r.ID, r.Source, "%s has status %q, which is in neither requirement_status.active (%s) nor .inactive (%s); it is treated as inactive",
				r.ID, r.Status, strings.Join(m.Config.RequirementStatus.Active, ", "), strings.Join(m.Config.RequirementStatus.Inactive, ", "))
		}
	}
}

func checkKnownItem(m *Model, c *check) {
	for _, r := range m.Graph.Requirements {
		if !primary(m, r) || r.Item == "" || !c.applies(r.Class) {
			continue
		}
		if _, ok := m.Config.ClassOfItem(r.Item); !ok {
			var names []string
			for _, it := range m.Config.Items {
				names = append(names, it.Name)
			}
			c.report(r.Class, r.ID, r.Source, "%s belongs to item %q, which the policy does not define (items: %s); the system class %s was used",
				r.ID, r.Item, orNone(names), m.Config.SafetyClass)
		}
	}
}

func checkEvidence(m *Model, c *check) {
	for _, r := range m.Graph.Requirements {
		if !primary(m, r) || r.Method() == model.VerifyTest || !c.applies(r.Class) {
			continue
		}
		if len(r.Evidence) == 0 {
			c.report(r.Class, r.ID, r.Source, "%s is verified by %s but names no evidence record", r.ID, r.Method())
			continue
		}
		for _, e := range r.Evidence {
			if !m.DHF.Evidence[e] {
				c.report(r.Class, r.ID, r.Source, "%s names evidence %q, which is not a file in the repository", r.ID, e)
			}
		}
	}
}

func checkHazardComplete(m *Model, c *check) {
	for _, h := range m.Graph.Hazards {
		if m.Graph.Hazard(h.ID) != h || !c.applies(system(m)) {
			continue
		}
		var missing []string
		for _, f := range []struct{ name, v string }{
			{"hazard", h.Hazard.Hazard}, {"hazardous_situation", h.Situation}, {"harm", h.Harm},
			{"initial.severity", h.Hazard.Initial.Severity}, {"initial.probability", h.Hazard.Initial.Probability},
			{"residual.severity", h.Hazard.Residual.Severity}, {"residual.probability", h.Hazard.Residual.Probability},
		} {
			if strings.TrimSpace(f.v) == "" {
				missing = append(missing, f.name)
			}
		}
		if len(missing) > 0 {
			c.report(system(m), h.ID, h.Source, "%s lacks %s", h.ID, strings.Join(missing, ", "))
		}
	}
}

func checkHazardControlled(m *Model, c *check) {
	for _, h := range m.Graph.Hazards {
		if m.Graph.Hazard(h.ID) != h || !c.applies(system(m)) {
			continue
		}
		if h.Initial.Acceptability != "" && h.Initial.Acceptability != model.Acceptable && len(h.Controls) == 0 {
			c.report(system(m), h.ID, h.Source, "%s has an initial risk that is %s (severity %s, probability %s) and no risk control",
				h.ID, h.Initial.Acceptability, h.Initial.Severity, h.Initial.Probability)
		}
	}
}

func checkResidualAcceptable(m *Model, c *check) {
	for _, h := range m.Graph.Hazards {
		if m.Graph.Hazard(h.ID) != h || !c.applies(system(m)) {
			continue
		}
		if h.Residual.Acceptability == model.Unacceptable {
			c.report(system(m), h.ID, h.Source, "%s has an unacceptable residual risk (severity %s, probability %s)", h.ID, h.Residual.Severity, h.Residual.Probability)
		}
	}
}

func checkBenefitRisk(m *Model, c *check) {
	for _, h := range m.Graph.Hazards {
		if m.Graph.Hazard(h.ID) != h || !c.applies(system(m)) {
			continue
		}
		if h.Residual.Acceptability == model.ALARP && strings.TrimSpace(h.BenefitRisk) == "" {
			c.report(system(m), h.ID, h.Source, "%s has a residual risk in the ALARP band (severity %s, probability %s) and no benefit-risk justification",
				h.ID, h.Residual.Severity, h.Residual.Probability)
		}
	}
}

func checkAcceptabilityConsistent(m *Model, c *check) {
	for _, h := range m.Graph.Hazards {
		if m.Graph.Hazard(h.ID) != h || !c.applies(system(m)) {
			continue
		}
		for _, e := range []struct {
			which string
			est   model.RiskEstimate
		}{{"initial", h.Initial}, {"residual", h.Residual}} {
			if e.est.Declared != "" && e.est.Acceptability != "" && !strings.EqualFold(e.est.Declared, e.est.Acceptability) {
				c.report(system(m), h.ID, h.Source, "%s declares its %s risk %s, but the risk matrix gives %s for severity %s and probability %s",
					h.ID, e.which, e.est.Declared, e.est.Acceptability, e.est.Severity, e.est.Probability)
			}
		}
	}
}

func checkRiskLevels(m *Model, c *check) {
	for _, h := range m.Graph.Hazards {
		if m.Graph.Hazard(h.ID) != h || !c.applies(system(m)) {
			continue
		}
		for _, b := range h.BadLevels {
			c.report(system(m), h.ID, h.Source, "%s: %s", h.ID, b)
		}
	}
}

func checkRiskMatrixFits(m *Model, c *check) {
	if !c.applies(system(m)) {
		return
	}
	for _, rm := range m.DHF.RiskMatrices {
		for _, p := range rm.Problems {
			c.report(system(m), "risk matrix", rm.Source, "the risk matrix does not fit its levels: %s", p)
		}
	}
}

func checkControlImplemented(m *Model, c *check) {
	for _, rc := range m.Graph.RiskControls {
		if m.Graph.RiskControl(rc.ID) != rc || !c.applies(system(m)) {
			continue
		}
		active := 0
		for _, r := range rc.Requirements {
			if r.Active {
				active++
			}
		}
		if active == 0 {
			msg := "%s is implemented by no active requirement"
			if len(rc.Requirements) > 0 {
				msg += " (only by inactive ones)"
			}
			c.report(system(m), rc.ID, rc.Source, msg, rc.ID)
		}
	}
}

func checkControlKind(m *Model, c *check) {
	for _, rc := range m.Graph.RiskControls {
		if m.Graph.RiskControl(rc.ID) != rc || !c.applies(system(m)) {
			continue
		}
		if rc.Kind == "" {
			c.report(system(m), rc.ID, rc.Source, "%s does not say whether it is inherent safety by design, a protective measure or information for safety", rc.ID)
		}
	}
}

func checkAmbiguousTags(m *Model, c *check) {
	for _, a := range m.Graph.Ambiguous {
		if !c.applies(system(m)) {
			continue
		}
		c.report(system(m), a.Test, input.Pos{}, "test %s matches Verifies: tags on %s in several source files; none was applied", a.Test, a.Function)
	}
	if c.checked == 0 {
		c.applies(system(m))
	}
}

func checkRiskPresent(m *Model, c *check) {
	if !c.applies(system(m)) {
		return
	}
	if len(m.Graph.Hazards) == 0 {
		c.report(system(m), "risks", m.Config.Pos("risks"), "no hazards were read from the risk sources in the policy (class %s software needs a risk analysis)", system(m))
	}
}

func unique(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func orNone(ss []string) string {
	if len(ss) == 0 {
		return "none"
	}
	return strings.Join(ss, ", ")
}

package gate

import (
	"fmt"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/osv"
	"github.com/tracegate/tracegate/internal/soup"
)

// SOUPFacts is what the SOUP rules judge: the SOUP list and, for a pull
// request, the SBOM changes it makes.
type SOUPFacts struct {
	List *soup.List
	// Changes, when set (pull requests), limits the rules to the components
	// the change adds, upgrades or otherwise changes the version of.
	Changes []soup.Change
	// PR marks a pull request evaluation: only changed components count.
	PR bool
	// Expected is set when the policy names SBOMs: reading none is then a
	// finding, not a quiet pass.
	Expected bool
	// LookedUp is set when anomalies were looked up in OSV for the list.
	LookedUp bool
}

var soupRules = []*soupRule{
	{Rule{ID: "TG401", Name: "sbom-present", Title: "The product's SBOM was read",
		Clauses: []string{"IEC 62304 8.1.2"}, MinClass: model.ClassA, Severity: SevError,
		Description: "The SOUP list is checked against the product's software bill of materials; when the policy names SBOMs and none could be found, nothing about the SOUP can be verified.",
		Remediation: "produce the SBOM (e.g. syft, cdxgen, cyclonedx-gomod) where soup.sboms points, or pass it with --sbom"},
		checkSBOMPresent},
	{Rule{ID: "TG402", Name: "soup-registered", Title: "Every SOUP item is in the SOUP register",
		Clauses: []string{"IEC 62304 8.1.2"}, MinClass: model.ClassA, Severity: SevError,
		Description: "Every piece of software of unknown provenance in the product must be identified in the SOUP list (8.1.2). Components the SBOM types as hardware, data or cryptographic assets are not SOUP.",
		Remediation: "add the component to the register (tracegate soup sync adds skeleton entries to complete)"},
		checkSOUPRegistered},
	{Rule{ID: "TG403", Name: "soup-identified", Title: "SOUP entries identify title, manufacturer, exact version and a unique designator",
		Clauses: []string{"IEC 62304 8.1.2"}, MinClass: model.ClassA, Severity: SevError,
		Description: "For each SOUP item the register states its title, manufacturer and unique SOUP designator (8.1.2), and the exact version in use: a range, \"latest\" or \"system-provided\" is not a version, and a version other than the SBOM's is a stale entry.",
		Remediation: "complete title, manufacturer and version (the version the SBOM shows); give a purl or an identifier"},
		checkSOUPIdentified},
	{Rule{ID: "TG404", Name: "soup-requirements", Title: "SOUP functional and performance requirements are specified",
		Clauses: []string{"IEC 62304 5.3.3"}, MinClass: model.ClassB, Severity: SevError,
		Description: "For class B and C, the functional and performance requirements the SOUP item must meet for its intended use are specified (5.3.3).",
		Remediation: "state the requirements under requirements: in the register"},
		checkSOUPRequirements},
	{Rule{ID: "TG405", Name: "soup-environment", Title: "SOUP hardware and software needs are specified",
		Clauses: []string{"IEC 62304 5.3.4"}, MinClass: model.ClassB, Severity: SevError,
		Description: "For class B and C, the system hardware and software the SOUP item needs to work as intended are specified (5.3.4).",
		Remediation: "state them under environment: in the register"},
		checkSOUPEnvironment},
	{Rule{ID: "TG406", Name: "soup-risk", Title: "SOUP is analysed as a potential cause of hazardous situations",
		Clauses: []string{"IEC 62304 7.1.2"}, MinClass: model.ClassB, Severity: SevError,
		Description: "Failure or unexpected results of SOUP are potential causes of hazardous situations (7.1.2 c); the register records the outcome of that analysis as the item's risk level.",
		Remediation: "analyse the item and record risk_level: in the register"},
		checkSOUPRisk},
	{Rule{ID: "TG407", Name: "soup-anomalies-reviewed", Title: "The published anomalies of the exact SOUP version in use are reviewed",
		Clauses: []string{"IEC 62304 7.1.3", "IEC 62304 7.1.2"}, MinClass: model.ClassB, Severity: SevError,
		Description: "The anomaly lists published for the SOUP item are evaluated for the version in use (7.1.3): the register's anomaly_review names that version, when and by whom; when tracegate looked the version up in OSV, every anomaly found must be assessed in the review, and a version that could not be looked up leaves the review unconfirmed.",
		Remediation: "review the anomalies of the version in use (tracegate soup list --osv lists them) and record the review with each anomaly's assessment"},
		checkSOUPAnomalies},
	{Rule{ID: "TG408", Name: "soup-verified", Title: "How the SOUP item is verified is stated",
		Clauses: []string{"IEC 62304 5.3.3", "IEC 62304 8.1.2"}, MinClass: model.ClassB, Severity: SevError,
		Description: "The register says how the SOUP item's fitness for its requirements is verified (integration tests, supplier qualification).",
		Remediation: "state the verification under verification: in the register"},
		checkSOUPVerified},
	{Rule{ID: "TG409", Name: "soup-register-current", Title: "The register describes no SOUP the product no longer contains",
		Clauses: []string{"IEC 62304 8.1.2", "IEC 62304 8.3"}, MinClass: model.ClassA, Severity: SevWarning,
		Description: "A register entry that matches no SBOM component describes software that is not in the product: it misleads the reader of the SOUP list.",
		Remediation: "remove the entry, or correct its purl or name"},
		checkSOUPStale},
}

type soupRule struct {
	Rule
	run func(*SOUPFacts, *Model, *check)
}

// evaluateSOUP runs the SOUP rules; s nil means the policy names neither
// SBOMs nor a register, and the rules are not applicable.
func (r *Result) evaluateSOUP(s *SOUPFacts, m *Model) {
	for _, sr := range soupRules {
		c := &check{rule: &sr.Rule}
		if s == nil || s.List == nil {
			c.reason = "the policy names no SBOM and no SOUP register"
			c.skipped++
			c.classes = map[model.Class]bool{}
		} else {
			sr.run(s, m, c)
		}
		r.Findings = append(r.Findings, c.findings...)
		r.Rules = append(r.Rules, c.outcome())
	}
}

// judged returns the list entries the rules judge: all of them, or for a
// pull request the ones its SBOM changes add or change the version of.
func (s *SOUPFacts) judged() (entries []soup.ListEntry, scope string) {
	if !s.PR {
		return s.List.Components, ""
	}
	changed := map[model.ComponentKey]string{}
	for _, ch := range s.Changes {
		switch ch.Kind {
		case soup.Added, soup.Upgraded, soup.Downgraded, soup.Changed:
			changed[ch.Head.Key()] = string(ch.Kind)
		}
	}
	for _, e := range s.List.Components {
		if _, ok := changed[e.Component.Key()]; ok {
			entries = append(entries, e)
		}
	}
	return entries, "no SOUP is added or upgraded by the change"
}

// soupClass is the class a SOUP item is judged at: the highest class of
// the software items the register says use it, else the system's, raised
// to the class the entry states when that is higher.
func soupClass(e soup.ListEntry, m *Model) model.Class {
	class := model.Class("")
	if e.Register != nil {
		for _, name := range e.Register.Items {
			if c, ok := m.Config.ClassOfItem(name); ok {
				class = model.Max(class, c)
			}
		}
	}
	if class == "" {
		class = m.Config.SafetyClass
	}
	if e.Register != nil && e.Register.Class != "" {
		class = model.Max(class, e.Register.Class)
	}
	return class
}

func entryPos(e soup.ListEntry) input.Pos {
	if e.Register != nil {
		return e.Register.Source
	}
	return e.Component.Source
}

func entryName(e soup.ListEntry) string { return e.Component.Key().String() }

// forEach runs f on each judged SOUP entry of a class the rule applies to.
func forEach(s *SOUPFacts, m *Model, c *check, registered bool, f func(e soup.ListEntry, class model.Class)) {
	entries, scope := s.judged()
	for _, e := range entries {
		if e.NotSOUP || (registered && e.Register == nil) {
			continue
		}
		class := soupClass(e, m)
		if c.applies(class) {
			f(e, class)
		}
	}
	if c.checked == 0 && c.skipped == 0 {
		c.applies(m.Config.SafetyClass)
		if scope != "" {
			c.reason = scope
		} else {
			c.reason = "no SOUP item to check"
		}
	}
}

func checkSBOMPresent(s *SOUPFacts, m *Model, c *check) {
	if !c.applies(m.Config.SafetyClass) {
		return
	}
	if s.Expected && len(s.List.Documents) == 0 {
		c.report(m.Config.SafetyClass, "sbom", m.Config.Pos("soup.sboms"), "no SBOM was read: nothing matches soup.sboms (%s) and none was given",
			strings.Join(m.Config.SOUP.SBOMs, ", "))
	}
}

func checkSOUPRegistered(s *SOUPFacts, m *Model, c *check) {
	forEach(s, m, c, false, func(e soup.ListEntry, class model.Class) {
		if e.Register == nil {
			where := "the register"
			if s.List.Register != "" {
				where = s.List.Register
			}
			c.report(class, entryName(e), e.Component.Source, "%s is in the SBOM but not in %s", entryName(e), where)
		}
	})
}

// notAVersion are values that do not identify the exact version in use.
func notAVersion(v string) bool {
	l := strings.ToLower(strings.TrimSpace(v))
	switch l {
	case "", "latest", "any", "*", "system-provided", "system provided", "n/a", "unknown", "noassertion", "various":
		return true
	}
	return strings.ContainsAny(l, "^~<>*|, ") || strings.HasSuffix(l, ".x") || strings.Contains(l, " - ")
}

func checkSOUPIdentified(s *SOUPFacts, m *Model, c *check) {
	forEach(s, m, c, true, func(e soup.ListEntry, class model.Class) {
		it := e.Register
		var missing []string
		if strings.TrimSpace(it.Title) == "" {
			missing = append(missing, "title")
		}
		if strings.TrimSpace(it.Manufacturer) == "" {
			missing = append(missing, "manufacturer")
		}
		if it.PURL == "" && it.Identifier == "" && e.PURL == "" && len(e.CPEs) == 0 {
			missing = append(missing, "a unique designator (purl or identifier)")
		}
		if len(missing) > 0 {
			c.report(class, entryName(e), entryPos(e), "the register entry of %s lacks %s", entryName(e), strings.Join(missing, ", "))
		}
		switch {
		case notAVersion(it.Version):
			c.report(class, entryName(e), entryPos(e), "the register gives %s the version %q, which is not an exact version; the SBOM has %q", entryName(e), it.Version, e.Version)
		case e.Version != "" && !sameVersion(it.Version, e.Version):
			c.report(class, entryName(e), entryPos(e), "the register describes %s at version %s, but the product contains %s", entryName(e), it.Version, e.Version)
		}
	})
}

// sameVersion compares versions as written, allowing Go's leading "v".
func sameVersion(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	return a == b || strings.TrimPrefix(a, "v") == strings.TrimPrefix(b, "v")
}

func requireField(field, what string, get func(*model.SOUPItem) string) func(*SOUPFacts, *Model, *check) {
	return func(s *SOUPFacts, m *Model, c *check) {
		forEach(s, m, c, true, func(e soup.ListEntry, class model.Class) {
			if strings.TrimSpace(get(e.Register)) == "" {
				c.report(class, entryName(e), entryPos(e), "the register entry of %s (class %s) does not state %s (%s)", entryName(e), class, what, field)
			}
		})
	}
}

var (
	checkSOUPRequirements = requireField("requirements", "its functional and performance requirements", func(i *model.SOUPItem) string { return i.Requirements })
	checkSOUPEnvironment  = requireField("environment", "the hardware and software it needs", func(i *model.SOUPItem) string { return i.Environment })
	checkSOUPRisk         = requireField("risk_level", "the outcome of its risk analysis", func(i *model.SOUPItem) string { return i.RiskLevel })
	checkSOUPVerified     = requireField("verification", "how it is verified", func(i *model.SOUPItem) string { return i.Verification })
)

func checkSOUPAnomalies(s *SOUPFacts, m *Model, c *check) {
	forEach(s, m, c, true, func(e soup.ListEntry, class model.Class) {
		name := entryName(e)
		rev := e.Register.AnomalyReview
		pos := entryPos(e)
		switch {
		case rev == nil || strings.TrimSpace(rev.Version) == "":
			what := "no anomaly review"
			if rev != nil {
				what = "an anomaly review that names no version"
			}
			c.report(class, name, pos, "%s has %s for version %s", name, what, e.Version)
			return
		case e.Version != "" && !sameVersion(rev.Version, e.Version):
			c.report(class, name, rev.Source, "the anomaly review of %s covers version %q, not the version in use %s", name, rev.Version, e.Version)
			return
		case strings.TrimSpace(rev.Date) == "" || strings.TrimSpace(rev.Reviewer) == "":
			c.report(class, name, rev.Source, "the anomaly review of %s does not say when and by whom it was made", name)
		}
		if !s.LookedUp || e.Anomalies == nil {
			return
		}
		if e.Anomalies.Status == osv.NotChecked {
			c.report(class, name, rev.Source, "the anomalies of %s %s could not be looked up (%s): the review cannot be confirmed", name, e.Version, e.Anomalies.Reason)
			return
		}
		assessed := map[string]bool{}
		for _, a := range rev.Anomalies {
			if strings.TrimSpace(a.Assessment) != "" {
				assessed[strings.ToUpper(strings.TrimSpace(a.ID))] = true
			}
		}
		var missing []string
		for _, a := range e.Anomalies.Anomalies {
			if !assessedAny(assessed, a.Record) {
				id := a.Record.ID
				if a.Indeterminate {
					id += " (version not determinable)"
				}
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			c.report(class, name, rev.Source, "OSV lists %d anomal%s of %s %s that the review does not assess: %s",
				len(missing), map[bool]string{true: "y", false: "ies"}[len(missing) == 1], name, e.Version, strings.Join(limit(missing, 10), ", "))
		}
	})
}

// assessedAny reports whether the review assessed the record under its ID
// or one of its aliases (a CVE reviewed under its GHSA counts).
func assessedAny(assessed map[string]bool, r *osv.Record) bool {
	if r == nil {
		return false
	}
	if assessed[strings.ToUpper(r.ID)] {
		return true
	}
	for _, a := range r.Aliases {
		if assessed[strings.ToUpper(a)] {
			return true
		}
	}
	return false
}

func checkSOUPStale(s *SOUPFacts, m *Model, c *check) {
	class := m.Config.SafetyClass
	if s.List.FromRegister {
		c.reason = "no SBOM was read: the register is the SOUP list, and there is nothing to compare it with"
		c.classes = map[model.Class]bool{}
		c.skipped++
		return
	}
	if s.PR || !c.applies(class) {
		if s.PR {
			c.reason = "judged at release"
			c.classes = map[model.Class]bool{}
			c.skipped++
		}
		return
	}
	for _, it := range s.List.Stale {
		id := it.Name
		if it.PURL != "" {
			id = it.PURL
		}
		c.report(class, id, it.Source, "register entry %s matches no component of the SBOMs (%s)", id, fmt.Sprint(len(s.List.Documents))+" read")
	}
}

package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/yamlsrc"
	"github.com/tracegate/tracegate/schema"
)

// maxPolicySize bounds the policy file; real ones are a few kilobytes.
const maxPolicySize = 1 << 20

// Load reads the policy at path in fsys. When the file does not exist and
// optional is true, the defaults are returned with every key marked as
// defaulted; a missing file that was asked for explicitly is an error.
func Load(fsys fs.FS, path string, optional bool) (*Config, error) {
	data, err := input.ReadAll(fsys, path, maxPolicySize)
	if err != nil {
		if optional && errors.Is(err, fs.ErrNotExist) {
			c := Defaults()
			c.Defaulted = allKeys()
			return &c, nil
		}
		return nil, err
	}
	return Parse(path, data)
}

// Parse validates and loads policy bytes that were read from file (a path
// for messages; for a policy read from a git ref, "REF:path").
func Parse(file string, data []byte) (*Config, error) {
	docs, err := yamlsrc.Documents(file, data)
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, input.Errorf(input.Pos{File: file}, "policy file is empty").
			WithHint("start it with 'version: 1'; see schema/tracegate.schema.json")
	}
	if len(docs) > 1 {
		return nil, input.Errorf(yamlsrc.Pos(file, docs[1]), "policy file holds %d YAML documents, expected one", len(docs)).
			WithHint("remove the extra '---' document separator")
	}
	value, pos, err := yamlsrc.Value(file, docs[0])
	if err != nil {
		return nil, err
	}
	if errs := validateSchema(value, pos); len(errs) > 0 {
		return nil, errs
	}

	// The schema guarantees the shape; decode through JSON so that the
	// struct tags are the single mapping from keys to fields.
	raw, err := json.Marshal(value)
	if err != nil {
		return nil, input.Errorf(input.Pos{File: file}, "cannot encode policy: %v", err)
	}
	var c Config
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, input.Errorf(input.Pos{File: file}, "cannot decode policy: %v", err)
	}
	c.File = file
	c.pos = map[string]input.Pos{}
	for ptr, p := range pos {
		c.pos[strings.ReplaceAll(strings.TrimPrefix(ptr, "/"), "/", ".")] = p
	}
	c.applyDefaults(value.(map[string]any))
	if errs := c.check(); len(errs) > 0 {
		return nil, errs
	}
	return &c, nil
}

// applyDefaults fills every top-level key that the file left out, and the
// keys of the ids section one by one, recording each in Defaulted.
func (c *Config) applyDefaults(written map[string]any) {
	d := Defaults()
	set := func(key string, apply func()) {
		if _, ok := written[key]; !ok {
			apply()
			c.Defaulted = append(c.Defaulted, key)
		}
	}
	set("safety_class", func() { c.SafetyClass = d.SafetyClass })
	set("requirements", func() { c.Requirements = d.Requirements })
	set("risks", func() { c.Risks = d.Risks })
	set("tests", func() { c.Tests = d.Tests })
	set("test_sources", func() { c.TestSources = d.TestSources })
	set("software_requirement_types", func() { c.SoftwareTypes = d.SoftwareTypes })
	set("requirement_status", func() { c.RequirementStatus = d.RequirementStatus })
	set("risk_matrix", func() { c.RiskMatrix = d.RiskMatrix })
	c.defaultSections(written, d)
	ids, _ := written["ids"].(map[string]any)
	for _, f := range []struct {
		key string
		dst *string
		def string
	}{
		{KindRequirement, &c.IDs.Requirement, d.IDs.Requirement},
		{KindProblemReport, &c.IDs.ProblemReport, d.IDs.ProblemReport},
		{KindChangeRequest, &c.IDs.ChangeRequest, d.IDs.ChangeRequest},
		{KindHazard, &c.IDs.Hazard, d.IDs.Hazard},
		{KindRiskControl, &c.IDs.RiskControl, d.IDs.RiskControl},
	} {
		if _, ok := ids[f.key]; !ok {
			*f.dst = f.def
			c.Defaulted = append(c.Defaulted, "ids."+f.key)
		}
	}
	for i := range c.Requirements {
		defaultFormat(&c.Requirements[i])
	}
	for i := range c.Risks {
		defaultFormat(&c.Risks[i])
	}
	for i := range c.Tests {
		defaultFormat(&c.Tests[i])
	}
	c.SoftwareTypes = lower(c.SoftwareTypes)
	c.RequirementStatus.Active = lower(c.RequirementStatus.Active)
	c.RequirementStatus.Inactive = lower(c.RequirementStatus.Inactive)
}

func defaultFormat(s *Source) {
	if s.Format == "" {
		s.Format = "auto"
	}
}

func lower(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(strings.TrimSpace(s))
	}
	return out
}

func allKeys() []string {
	return []string{"version", "safety_class", "ids", "requirements", "risks", "tests", "test_sources", "software_requirement_types", "requirement_status", "verification", "risk_matrix", "problem_reports", "change_requests", "pr", "release", "soup"}
}

// check verifies what the schema cannot express: patterns compile, globs
// parse, the risk matrix is complete, names are unique.
func (c *Config) check() input.Errors {
	var errs input.Errors
	bad := func(key, format string, args ...any) {
		errs = append(errs, input.Errorf(c.Pos(key), format, args...))
	}
	for kind, p := range c.IDs.byKind() {
		re, err := compileID(p)
		if err != nil {
			bad("ids."+kind, "ids.%s: invalid regular expression: %v", kind, err)
			continue
		}
		if re.MatchString(" ") || re.MatchString("  ") {
			bad("ids."+kind, "ids.%s: pattern %q matches empty text; it must match an ID such as SRS-001", kind, p)
		}
	}
	for i, e := range c.External {
		re, err := compileID(e.Pattern)
		key := fmt.Sprintf("external.%d.pattern", i)
		switch {
		case err != nil:
			bad(key, "external[%d].pattern: invalid regular expression: %v", i, err)
		case re.MatchString(" ") || re.MatchString("  "):
			bad(key, "external[%d].pattern: pattern %q matches empty text; it must match an ID such as SYS-001", i, e.Pattern)
		}
	}
	seen := map[string]bool{}
	inside := func(key, g string) {
		if !InsideRepo(g) {
			bad(key, "%s: %q leaves the repository; paths are relative to the repository root (--dir) and stay inside it", yamlsrc.DottedKey("/"+strings.ReplaceAll(key, ".", "/")), g)
		}
	}
	for i, it := range c.Items {
		if seen[it.Name] {
			bad(fmt.Sprintf("items.%d.name", i), "items[%d]: item name %q is used twice", i, it.Name)
		}
		seen[it.Name] = true
		for j, g := range it.Paths {
			if !doublestar.ValidatePattern(g) {
				bad(fmt.Sprintf("items.%d.paths.%d", i, j), "items[%d].paths[%d]: invalid glob %q", i, j, g)
			}
			inside(fmt.Sprintf("items.%d.paths.%d", i, j), g)
		}
		for j, g := range it.SBOMs {
			if !doublestar.ValidatePattern(g) {
				bad(fmt.Sprintf("items.%d.sboms.%d", i, j), "items[%d].sboms[%d]: invalid glob %q", i, j, g)
			}
			inside(fmt.Sprintf("items.%d.sboms.%d", i, j), g)
		}
	}
	for _, list := range []struct {
		key              string
		src              []Source
		fields, idFields []string
		issueFields      map[string]string
	}{{"requirements", c.Requirements, RequirementColumns, RequirementIDColumns, RequirementIssueFields},
		{"risks", c.Risks, RiskColumns, RiskIDColumns, HazardIssueFields}, {"tests", c.Tests, nil, nil, nil}} {
		for i, s := range list.src {
			if s.Issues != nil {
				checkIssues(fmt.Sprintf("%s.%d", list.key, i), s, list.issueFields, bad)
				continue
			}
			if !doublestar.ValidatePattern(s.Path) {
				bad(fmt.Sprintf("%s.%d.path", list.key, i), "%s[%d].path: invalid glob %q", list.key, i, s.Path)
			}
			inside(fmt.Sprintf("%s.%d.path", list.key, i), s.Path)
			for j, g := range s.Exclude {
				if !doublestar.ValidatePattern(g) {
					bad(fmt.Sprintf("%s.%d.exclude.%d", list.key, i, j), "%s[%d].exclude[%d]: invalid glob %q", list.key, i, j, g)
				}
			}
			checkTable(fmt.Sprintf("%s.%d", list.key, i), s, list.fields, list.idFields, bad)
		}
	}
	if c.SOUP.Issues != nil {
		checkSOUPIssues(c, bad)
	}
	for _, f := range sortedKeys(c.SOUP.Columns) {
		if !slices.Contains(SOUPColumns, f) {
			bad("soup.columns."+f+"#key", "soup.columns: %q is not a field of the SOUP register (fields: %s)", f, strings.Join(SOUPColumns, ", "))
		}
	}
	for i, g := range c.TestSources {
		if !doublestar.ValidatePattern(g) {
			bad(fmt.Sprintf("test_sources.%d", i), "test_sources[%d]: invalid glob %q", i, g)
		}
		inside(fmt.Sprintf("test_sources.%d", i), g)
	}
	active := map[string]bool{}
	for _, s := range c.RequirementStatus.Active {
		active[s] = true
	}
	for _, s := range c.RequirementStatus.Inactive {
		if active[s] {
			bad("requirement_status", "requirement_status: %q is listed as both active and inactive", s)
		}
	}
	if m := c.ProblemReports.MaxOpenCriticality; m != "" && !contains(c.ProblemReports.Criticality, m) {
		bad("problem_reports.max_open_criticality", "problem_reports.max_open_criticality: %q is not a criticality level (%s)", m, strings.Join(c.ProblemReports.Criticality, ", "))
	}
	for _, sec := range []struct {
		key string
		r   Records
	}{{"problem_reports", c.ProblemReports.Records}, {"change_requests", c.ChangeRequests.Records}} {
		for i, g := range sec.r.Files {
			key := fmt.Sprintf("%s.files.%d", sec.key, i)
			if !doublestar.ValidatePattern(g) {
				bad(key, "%s.files[%d]: invalid glob %q", sec.key, i, g)
			}
			inside(key, g)
		}
	}
	for i, g := range c.SOUP.SBOMs {
		key := fmt.Sprintf("soup.sboms.%d", i)
		if !doublestar.ValidatePattern(g) {
			bad(key, "soup.sboms[%d]: invalid glob %q", i, g)
		}
		inside(key, g)
	}
	if c.SOUP.Register != "" {
		inside("soup.register", c.SOUP.Register)
	}
	for i, a := range c.App.Evidence.Artifacts {
		if a.Path != "" {
			inside(fmt.Sprintf("app.evidence.artifacts.%d.path", i), a.Path)
		}
	}
	if c.SOUP.OSVDB != "" {
		inside("soup.osv_db", c.SOUP.OSVDB)
		if c.SOUP.Anomalies == AnomaliesOSV {
			bad("soup.anomalies", "soup.anomalies: osv asks the OSV API, and soup.osv_db names an offline database: choose one")
		}
	}
	if t := c.SOUP.OSVTimeout; t != "" {
		if d, err := time.ParseDuration(t); err != nil || d <= 0 {
			bad("soup.osv_timeout", "soup.osv_timeout: %q is not a positive duration such as 90s or 2m", t)
		}
	}
	for i, p := range c.Release.Plans {
		key := fmt.Sprintf("release.plans.%d.path", i)
		if !doublestar.ValidatePattern(p.Path) {
			bad(key, "release.plans[%d].path: invalid glob %q", i, p.Path)
		}
		inside(key, p.Path)
	}
	if !doublestar.ValidatePattern(c.Release.TagPattern) {
		bad("release.tag_pattern", "release.tag_pattern: invalid glob %q", c.Release.TagPattern)
	} else if t := c.Release.First.Tag; t != "" {
		if ok, _ := doublestar.Match(c.Release.TagPattern, t); !ok {
			bad("release.first", "release.first: %q does not match release.tag_pattern %q, so it cannot name a release", t, c.Release.TagPattern)
		}
	}
	for i, g := range c.PR.RiskPaths {
		key := fmt.Sprintf("pr.risk_paths.%d", i)
		if !doublestar.ValidatePattern(g) {
			bad(key, "pr.risk_paths[%d]: invalid glob %q", i, g)
		}
		inside(key, g)
	}
	m := c.RiskMatrix
	probs := map[string]bool{}
	for _, p := range m.Probability {
		probs[p] = true
		row, ok := m.Acceptability[p]
		if !ok {
			bad("risk_matrix.acceptability", "risk_matrix.acceptability: no row for probability level %q", p)
			continue
		}
		if len(row) != len(m.Severity) {
			bad("risk_matrix.acceptability."+p, "risk_matrix.acceptability.%s: %d entries, expected one per severity level (%d)", p, len(row), len(m.Severity))
		}
	}
	var extra []string
	for p := range m.Acceptability {
		if !probs[p] {
			extra = append(extra, p)
		}
	}
	sort.Strings(extra)
	for _, p := range extra {
		bad("risk_matrix.acceptability."+p+"#key", "risk_matrix.acceptability: %q is not a probability level (levels: %s)", p, strings.Join(m.Probability, ", "))
	}
	yamlsrc.SortErrors(errs)
	return errs
}

// Schema returns the compiled policy schema.
var Schema = yamlsrc.CompileOnce("https://github.com/tracegate/tracegate/schema/tracegate.schema.json", schema.Policy)

// validateSchema checks the policy against the published schema.
func validateSchema(value any, pos map[string]input.Pos) input.Errors {
	sch, err := Schema()
	if err != nil {
		return input.Errors{input.Errorf(pos[""], "%v", err)}
	}
	return yamlsrc.Validate(sch, value, pos,
		"check the spelling against schema/tracegate.schema.json: an unknown key is an error so that a typo never weakens a gate")
}

// InsideRepo reports whether a glob names paths inside the repository: no
// absolute path, no ".." element. fs.FS refuses both, with a message that
// would not tell the user why.
func InsideRepo(g string) bool {
	if strings.HasPrefix(g, "/") || strings.HasPrefix(g, "\\") || (len(g) > 1 && g[1] == ':') {
		return false
	}
	for _, part := range strings.Split(g, "/") {
		if part == ".." {
			return false
		}
	}
	return true
}

// defaultSections fills the keys of the record, pr and release sections
// one by one: a policy that sets problem_reports.labels keeps the default
// fields and criticality levels.
func (c *Config) defaultSections(written map[string]any, d Config) {
	section := func(name string) map[string]any {
		m, _ := written[name].(map[string]any)
		return m
	}
	fill := func(sec, key string, present map[string]any, apply func()) {
		if _, ok := present[key]; !ok {
			apply()
			c.Defaulted = append(c.Defaulted, sec+"."+key)
		}
	}
	pr := section("problem_reports")
	fill("problem_reports", "labels", pr, func() { c.ProblemReports.Labels = d.ProblemReports.Labels })
	fill("problem_reports", "files", pr, func() { c.ProblemReports.Files = d.ProblemReports.Files })
	fill("problem_reports", "fields", pr, func() { c.ProblemReports.Fields = d.ProblemReports.Fields })
	fill("problem_reports", "criticality", pr, func() { c.ProblemReports.Criticality = d.ProblemReports.Criticality })
	fill("problem_reports", "max_open_criticality", pr, func() { c.ProblemReports.MaxOpenCriticality = d.ProblemReports.MaxOpenCriticality })
	cr := section("change_requests")
	fill("change_requests", "labels", cr, func() { c.ChangeRequests.Labels = d.ChangeRequests.Labels })
	fill("change_requests", "files", cr, func() { c.ChangeRequests.Files = d.ChangeRequests.Files })
	fill("change_requests", "approved_labels", cr, func() { c.ChangeRequests.ApprovedLabels = d.ChangeRequests.ApprovedLabels })
	v := section("verification")
	fill("verification", "parents", v, func() { c.Verification.Parents = d.Verification.Parents })
	p := section("pr")
	fill("pr", "exempt_labels", p, func() { c.PR.ExemptLabels = d.PR.ExemptLabels })
	fill("pr", "justification_heading", p, func() { c.PR.JustificationHeading = d.PR.JustificationHeading })
	fill("pr", "risk_impact_heading", p, func() { c.PR.RiskImpactHeading = d.PR.RiskImpactHeading })
	so := section("soup")
	if _, issues := so["issues"]; !issues {
		// A register kept as issues has no file: the default path would
		// be a second register beside it.
		fill("soup", "register", so, func() { c.SOUP.Register = d.SOUP.Register })
	}
	fill("soup", "sboms", so, func() { c.SOUP.SBOMs = d.SOUP.SBOMs })
	fill("soup", "anomalies", so, func() { c.SOUP.Anomalies = d.SOUP.Anomalies })
	fill("soup", "osv_timeout", so, func() { c.SOUP.OSVTimeout = d.SOUP.OSVTimeout })
	r := section("release")
	fill("release", "tag_pattern", r, func() { c.Release.TagPattern = d.Release.TagPattern })
	fill("release", "plans", r, func() { c.Release.Plans = d.Release.Plans })
	c.ProblemReports.Criticality = lower(c.ProblemReports.Criticality)
	c.ProblemReports.MaxOpenCriticality = strings.ToLower(strings.TrimSpace(c.ProblemReports.MaxOpenCriticality))
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

package resultdoc

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"unicode"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
	"github.com/tracegate/tracegate/internal/report"
)

// SARIF 2.1.0 for GitHub code scanning. What GitHub requires beyond the
// schema, and its limits, are from "SARIF support for code scanning" and
// "SARIF results exceed one or more limits" (docs.github.com):
//   - every result needs at least one location with a physicalLocation;
//     a result without one (or with logical locations only) makes code
//     scanning reject the WHOLE upload ("locationFromSarifResult: expected
//     at least one location", github/codeql-action#1738, #2459);
//   - results are matched across runs by partialFingerprints, of which only
//     primaryLocationLineHash is used; when a tool supplies it, upload-sarif
//     does not compute its own (from the line's text);
//   - at most 25,000 results per run (5,000 shown, the most severe first)
//     and 10 MB per gzip-compressed file; shortDescription and
//     fullDescription up to 1,024 characters, name up to 255, at most 20
//     tags per rule (10 shown); required strings must not be empty.
const (
	sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// DefaultRulesDoc is docs/rules.md on GitHub; a rule's helpUri is its
	// heading's anchor there (#tg101).
	DefaultRulesDoc    = "https://github.com/tracegate/tracegate/blob/main/docs/rules.md"
	toolInformationURI = "https://github.com/tracegate/tracegate"
	// DefaultSARIFMaxResults is code scanning's limit of results per run.
	DefaultSARIFMaxResults = 25000
	// DefaultSARIFMaxBytes bounds the uncompressed file. GitHub's limit of
	// 10 MB applies to the gzip-compressed upload; an uncompressed file of
	// at most 10 MB is within it whatever the compression ratio.
	DefaultSARIFMaxBytes = 10_000_000
	sarifMaxRules        = 25000
	sarifMaxTags         = 10
	sarifMaxDescription  = 1024
	sarifMaxName         = 255
	sarifMaxNotes        = 100 // notifications of one kind; the rest are counted in one more
	// EvaluationErrorRule is the rule of the results that stand for an
	// evaluation that could not complete (see WriteResultSARIF).
	EvaluationErrorRule = "TG000"
)

// SARIFOptions tune the SARIF rendering of a gate result.
type SARIFOptions struct {
	// RulesDoc is the URL of docs/rules.md (default DefaultRulesDoc).
	RulesDoc string
	// Anchor is the repository file that carries findings without a file
	// location (default: the policy file, else .github/tracegate.yml).
	Anchor string
	// SourceRoot, an absolute URI of the checkout ending in "/", is written
	// as originalUriBaseIds[%SRCROOT%] when set.
	SourceRoot string
	// MaxResults and MaxBytes default to DefaultSARIFMaxResults and
	// DefaultSARIFMaxBytes.
	MaxResults int
	MaxBytes   int
}

// WriteSARIF renders a gate result as one SARIF 2.1.0 run for GitHub
// code scanning, with the catalog as the driver's rules.
//
// Nothing is lost without saying so:
//   - a finding without a file location in the repository is shown at line 1
//     of the anchor file (the policy file), its message saying so and naming
//     the location it was reported at, because code scanning rejects the
//     whole file for one result without a physical location;
//   - when the limits force results out, the most severe are kept and a
//     tool execution notification and the run's properties say how many
//     were left out;
//   - an evaluation that could not complete has executionSuccessful false,
//     an error notification per evaluation error, AND one error result per
//     evaluation error (rule TG000): code scanning does not act on
//     executionSuccessful, and an upload without results would close every
//     open alert as fixed, which would look like a clean scan.
func WriteSARIF(w io.Writer, r *gate.Result, catalog []gate.Rule, o SARIFOptions) error {
	if r == nil {
		return errors.New("no result to render")
	}
	b := newSARIFBuilder(r, catalog, o)
	keep := min(len(b.items), b.maxResults)
	for {
		log := b.build(keep)
		var buf bytes.Buffer
		if err := report.WriteJSON(&buf, log); err != nil {
			return err
		}
		if buf.Len() <= b.maxBytes {
			_, err := w.Write(buf.Bytes())
			return err
		}
		results := log.Runs[0].Results
		if len(results) == 0 {
			return fmt.Errorf("the SARIF file would take %d bytes without any result, over the limit of %d", buf.Len(), b.maxBytes)
		}
		// Leave out the least severe until the estimate fits, with room for
		// the notification that says so.
		excess := buf.Len() - b.maxBytes + 2048
		for i := len(results) - 1; i >= 0 && excess > 0; i-- {
			data, _ := json.MarshalIndent(results[i], "        ", "  ")
			excess -= len(data) + 10
			keep--
		}
		keep = max(keep, 0)
	}
}

// sarifItem is one result to be: a finding or an evaluation error.
type sarifItem struct {
	f        gate.Finding
	evalErr  bool
	severity int
}

type sarifBuilder struct {
	r          *gate.Result
	o          SARIFOptions
	catalog    []gate.Rule
	items      []sarifItem // most severe first
	anchor     string
	rulesDoc   string
	maxResults int
	maxBytes   int
}

func newSARIFBuilder(r *gate.Result, catalog []gate.Rule, o SARIFOptions) *sarifBuilder {
	b := &sarifBuilder{r: r, o: o, catalog: catalog, maxResults: o.MaxResults, maxBytes: o.MaxBytes, rulesDoc: o.RulesDoc}
	if b.maxResults <= 0 || b.maxResults > DefaultSARIFMaxResults {
		b.maxResults = DefaultSARIFMaxResults
	}
	if b.maxBytes <= 0 {
		b.maxBytes = DefaultSARIFMaxBytes
	}
	if u, err := url.Parse(b.rulesDoc); b.rulesDoc == "" || err != nil || !u.IsAbs() {
		b.rulesDoc = DefaultRulesDoc
	}
	b.anchor = config.DefaultPath
	for _, a := range []string{o.Anchor, r.Policy.File} {
		if p, ok := repoPath(a); ok {
			b.anchor = p
			break
		}
	}
	for _, e := range r.Errors {
		b.items = append(b.items, sarifItem{evalErr: true, severity: 4,
			f: gate.Finding{Rule: EvaluationErrorRule, Severity: gate.SevError, Message: e}})
	}
	for _, f := range r.Findings {
		b.items = append(b.items, sarifItem{f: f, severity: sarifRank(f.Severity)})
	}
	sort.SliceStable(b.items, func(i, j int) bool { return b.items[i].severity > b.items[j].severity })
	return b
}

// sarifRank orders severities for keeping the most severe; a severity
// tracegate does not know ranks with errors, never below them.
func sarifRank(s gate.Severity) int {
	if s.Rank() == 0 {
		return 3
	}
	return s.Rank()
}

// build renders the log with the first keep items as results.
func (b *sarifBuilder) build(keep int) *sarif.Report {
	r := b.r
	rules, index := b.catalogRules()
	driver := &sarif.ToolComponent{Name: "tracegate", InformationURI: new(toolInformationURI)}
	run := &sarif.Run{Tool: sarif.Tool{Driver: driver}, Results: []*sarif.Result{}}
	if r.Tool.Version != "" {
		driver.Version = new(r.Tool.Version)
		if v := strings.TrimPrefix(r.Tool.Version, "v"); semverRE().MatchString(v) {
			driver.SemanticVersion = new(v)
		}
	}
	if g := r.Gate; gateIDRE().MatchString(g) {
		// One category per gate, so that the pr and release results of one
		// commit do not overwrite each other in code scanning.
		run.AutomationDetails = &sarif.RunAutomationDetails{ID: new("tracegate/" + g + "/")}
	}
	if u, err := url.Parse(b.o.SourceRoot); b.o.SourceRoot != "" && err == nil && u.IsAbs() && strings.HasSuffix(b.o.SourceRoot, "/") {
		run.OriginalUriBaseIDs = map[string]*sarif.ArtifactLocation{"%SRCROOT%": {URI: new(b.o.SourceRoot)}}
	}
	occurrences := map[string]int{}
	omitted := len(b.items) - keep
	for _, it := range b.items[:keep] {
		id := sarifRuleID(it.f.Rule)
		i, ok := index[id]
		if !ok {
			if len(rules) >= sarifMaxRules {
				omitted++
				continue
			}
			i = len(rules)
			index[id] = i
			rules = append(rules, b.adHocRule(it))
		}
		res := b.result(it, i)
		fp := fingerprint(id, it.f.Subject, it.f.Message)
		occurrences[fp]++
		res.PartialFingerprints = map[string]any{"primaryLocationLineHash": fmt.Sprintf("%s:%d", fp, occurrences[fp])}
		run.Results = append(run.Results, res)
	}
	driver.Rules = rules
	inv := &sarif.Invocation{ExecutionSuccessful: new((r.Verdict == gate.Pass || r.Verdict == gate.Fail) && len(r.Errors) == 0)}
	inv.ToolExecutionNotifications = b.notifications(omitted)
	run.Invocations = []*sarif.Invocation{inv}
	run.Properties = sarif.Properties{
		"gate": r.Gate, "verdict": string(r.Verdict), "subject": r.Subject, "safetyClass": string(r.SafetyClass),
		"failOn": string(r.FailOn), "findings": len(r.Findings), "resultsOmitted": omitted, "resultSchema": r.Schema,
	}
	if r.Tool.Commit != "" {
		run.Properties["toolCommit"] = r.Tool.Commit
	}
	// The schema's address in the OASIS standard (errata 01), not the
	// library's default, a branch of the specification's repository.
	return &sarif.Report{Schema: sarifSchemaURI, Version: string(sarif.Version210), Runs: []*sarif.Run{run}}
}

var (
	// Semantic Versioning 2.0.0, the regular expression semver.org gives.
	semverRE = lazyre.New(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)
	gateIDRE = lazyre.New(`^[a-z][a-z0-9-]{0,31}$`)
	// posInText matches ":12" and ":12:5" after a file name in a message,
	// which a fingerprint must not depend on.
	posInText = lazyre.New(`:\d+(?::\d+)?`)
)

// fingerprint identifies a finding across runs by what it is about (rule,
// subject, message), not by where it is: line numbers in the message are
// dropped, so that an edit above it does not open a new alert.
func fingerprint(rule, subject, message string) string {
	h := sha256.Sum256([]byte(rule + "\x00" + subject + "\x00" + posInText().ReplaceAllString(message, "")))
	return hex.EncodeToString(h[:8])
}

func (b *sarifBuilder) catalogRules() ([]*sarif.ReportingDescriptor, map[string]int) {
	var rules []*sarif.ReportingDescriptor
	index := map[string]int{}
	for _, r := range b.catalog {
		if _, dup := index[r.ID]; dup || r.ID != sarifRuleID(r.ID) {
			continue
		}
		index[r.ID] = len(rules)
		rules = append(rules, b.rule(r, true))
	}
	if _, ok := index[EvaluationErrorRule]; !ok {
		index[EvaluationErrorRule] = len(rules)
		rules = append(rules, b.rule(evaluationErrorRule, true))
	}
	return rules, index
}

var evaluationErrorRule = gate.Rule{
	ID: EvaluationErrorRule, Name: "evaluation-complete", Title: "The evaluation completed",
	Severity: gate.SevError,
	Description: "An evaluation that could not complete judged nothing. It is reported as an error, never as a pass: " +
		"without this result, code scanning would show the run as a clean scan and close the open alerts.",
	Remediation: "fix the error named in the message (an unreadable input file, an invalid policy) and run again",
}

// adHocRule describes a rule that is not in the catalog, from its finding,
// so that every result's ruleIndex points at a rule.
func (b *sarifBuilder) adHocRule(it sarifItem) *sarif.ReportingDescriptor {
	f := it.f
	return b.rule(gate.Rule{ID: f.Rule, Name: f.Name, Title: f.Name, Clauses: f.Clauses, Severity: f.Severity, Remediation: f.Remediation}, false)
}

// sarifRuleID is the ID a rule goes by in the file: valid UTF-8 (JSON
// would turn every invalid byte into U+FFFD, so that two IDs could become
// one) and never empty, which GitHub does not accept where it requires a
// value.
func sarifRuleID(id string) string {
	return firstNonEmpty(strings.ToValidUTF8(id, "\uFFFD"), "(no rule)")
}

// rule describes a rule for code scanning. The catalog's texts are Markdown
// written by tracegate (docs/rules.md is made of them); the texts of a rule
// described from its findings are input, escaped in help.markdown.
func (b *sarifBuilder) rule(r gate.Rule, catalog bool) *sarif.ReportingDescriptor {
	md := func(s string) string { return s }
	if !catalog {
		md = func(s string) string { return report.MDInline(s, 1000) }
	}
	id := sarifRuleID(r.ID)
	short := firstNonEmpty(r.Title, r.Name, id)
	full := firstNonEmpty(r.Description, r.Title, r.Name, id)
	help := b.rulesDoc + "#" + url.PathEscape(strings.ToLower(id))
	text := []string{short}
	mdText := []string{"**" + md(short) + "**"}
	if r.Description != "" {
		text = append(text, r.Description)
		mdText = append(mdText, md(r.Description))
	}
	if len(r.Clauses) > 0 {
		text = append(text, "Clauses: "+strings.Join(r.Clauses, ", "))
		mdText = append(mdText, "**Clauses:** "+md(strings.Join(r.Clauses, ", ")))
	}
	if r.MinClass != "" {
		s := fmt.Sprintf("Applies from software safety class %s; severity %s.", r.MinClass, r.Severity)
		text, mdText = append(text, s), append(mdText, md(s))
	}
	if r.Remediation != "" {
		text = append(text, "Remediation: "+r.Remediation)
		mdText = append(mdText, "**Remediation:** "+md(r.Remediation))
	}
	text = append(text, "Documentation: "+help)
	mdText = append(mdText, fmt.Sprintf("[Rule %s in the rule catalog](%s)", md(id), help))
	level := sarifLevel(r.Severity)
	problem := map[string]string{"error": "error", "warning": "warning", "note": "recommendation"}[level]
	rule := &sarif.ReportingDescriptor{
		ID:                   id,
		ShortDescription:     &sarif.MultiformatMessageString{Text: new(report.Clip(short, sarifMaxDescription))},
		FullDescription:      &sarif.MultiformatMessageString{Text: new(report.Clip(full, sarifMaxDescription))},
		Help:                 &sarif.MultiformatMessageString{Text: new(strings.Join(text, "\n\n")), Markdown: new(strings.Join(mdText, "\n\n"))},
		HelpURI:              new(help),
		DefaultConfiguration: &sarif.ReportingConfiguration{Level: level},
		Properties:           sarif.Properties{"tags": ruleTags(r), "precision": "very-high", "problem.severity": problem},
	}
	if n := report.Clip(r.Name, sarifMaxName); n != "" {
		rule.Name = new(n)
	}
	for k, v := range map[string]string{"gate": r.Gate, "minClass": string(r.MinClass)} {
		if v != "" {
			rule.Properties[k] = v
		}
	}
	if len(r.Clauses) > 0 {
		rule.Properties["clauses"] = r.Clauses
	}
	return rule
}

// ruleTags lets code scanning filter alerts by standard and by clause:
// "tracegate", the gate, "iec62304"/"iso14971", then the clauses, unique
// and at most sarifMaxTags.
func ruleTags(r gate.Rule) []string {
	tags := []string{"tracegate"}
	if r.Gate != "" {
		tags = append(tags, r.Gate)
	}
	for _, c := range r.Clauses {
		f := strings.Fields(c)
		if len(f) >= 2 {
			tags = append(tags, strings.ToLower(f[0]+f[1]))
		}
	}
	tags = append(tags, r.Clauses...)
	seen := map[string]bool{}
	out := []string{}
	for _, t := range tags {
		if t != "" && !seen[t] && len(out) < sarifMaxTags {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

func sarifLevel(s gate.Severity) string {
	switch s {
	case gate.SevError, gate.SevWarning, gate.SevNote:
		return string(s)
	}
	return "error" // a severity tracegate does not know is not played down
}

func (b *sarifBuilder) result(it sarifItem, ruleIndex int) *sarif.Result {
	f := it.f
	msg := firstNonEmpty(f.Message, f.Name, f.Rule, "finding")
	if it.evalErr {
		msg = "The evaluation could not complete, so nothing was judged: " + f.Message
	} else if f.Subject != "" {
		msg = f.Subject + ": " + msg
	}
	props := sarif.Properties{}
	for k, v := range map[string]string{"subject": f.Subject, "class": string(f.Class)} {
		if v != "" {
			props[k] = v
		}
	}
	if len(f.Clauses) > 0 {
		props["clauses"] = f.Clauses
	}
	loc, note, reported := b.location(f.Location)
	if note != "" {
		msg += " " + note
		if reported != "" {
			props["reportedLocation"] = reported
		}
	}
	res := &sarif.Result{
		RuleID:    new(sarifRuleID(f.Rule)),
		RuleIndex: new(uint(ruleIndex)),
		Level:     new(sarifLevel(f.Severity)),
		Message:   sarif.Message{Text: new(sarifText(msg, 16000))},
		Locations: []*sarif.Location{loc},
	}
	res.Properties = props
	return res
}

// location is the finding's place in the repository, or the anchor file at
// line 1 with a note for the message when it has none there.
func (b *sarifBuilder) location(p *input.Pos) (*sarif.Location, string, string) {
	if p != nil {
		if file, ok := repoPath(p.File); ok {
			return physical(file, p.Line, p.Col), "", ""
		}
	}
	anchored := physical(b.anchor, 1, 0)
	if p == nil || p.IsZero() {
		return anchored, fmt.Sprintf("(No file location: shown at the top of %s.)", b.anchor), ""
	}
	return anchored, fmt.Sprintf("(Reported at %s, which is not a file in the repository: shown at the top of %s.)", p, b.anchor), p.String()
}

func physical(file string, line, col int) *sarif.Location {
	reg := &sarif.Region{StartLine: new(max(line, 1))}
	if line >= 1 && col >= 1 {
		reg.StartColumn = new(col)
	}
	return &sarif.Location{PhysicalLocation: &sarif.PhysicalLocation{
		ArtifactLocation: &sarif.ArtifactLocation{URI: new(escapePath(file)), URIBaseId: new("%SRCROOT%")},
		Region:           reg,
	}}
}

func (b *sarifBuilder) notifications(omitted int) []*sarif.Notification {
	r := b.r
	var out []*sarif.Notification
	for i, e := range r.Errors {
		if i == sarifMaxNotes {
			out = append(out, note("error", fmt.Sprintf("… and %d more evaluation errors; every one is also a result of rule %s.", len(r.Errors)-i, EvaluationErrorRule)))
			break
		}
		out = append(out, note("error", "The evaluation could not complete: "+sarifText(e, 4000)))
	}
	if r.Verdict != gate.Pass && r.Verdict != gate.Fail && r.Verdict != gate.Error {
		out = append(out, note("error", fmt.Sprintf("Unknown verdict %q: treat this run as a failure.", sarifText(string(r.Verdict), 100))))
	}
	if omitted > 0 {
		out = append(out, note("warning", fmt.Sprintf(
			"%d of %d results are not in this file: GitHub code scanning accepts at most %d results per run and 10 MB per file, so the least severe were left out. Every finding is in the JSON and Markdown reports.",
			omitted, len(b.items), DefaultSARIFMaxResults)))
	}
	for i, w := range r.Warnings {
		if i == sarifMaxNotes {
			out = append(out, note("warning", fmt.Sprintf("… and %d more warnings while reading; all are in the JSON and Markdown reports.", len(r.Warnings)-i)))
			break
		}
		n := note("warning", "While reading: "+sarifText(w.String(), 4000))
		if file, ok := repoPath(w.Pos.File); ok {
			n.Locations = []*sarif.Location{physical(file, w.Pos.Line, w.Pos.Col)}
		}
		out = append(out, n)
	}
	return out
}

// sarifText makes input text safe for a SARIF plain-text message, which
// viewers show to people: invalid UTF-8 and control characters become
// U+FFFD, bidirectional controls are shown as ⟨U+202E⟩ ("Trojan Source"),
// and square brackets are escaped, as SARIF 2.1.0 §3.11.6 requires, so that
// "[text](target)" is not taken for an embedded link.
func sarifText(s string, max int) string {
	s = report.Clip(strings.ToValidUTF8(s, "\uFFFD"), max)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case report.IsBidi(r):
			fmt.Fprintf(&b, "⟨U+%04X⟩", r)
		case unicode.IsControl(r):
			b.WriteRune('\uFFFD')
		case r == '[' || r == ']':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func note(level, text string) *sarif.Notification {
	return &sarif.Notification{Level: level, Message: &sarif.Message{Text: new(text)}}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

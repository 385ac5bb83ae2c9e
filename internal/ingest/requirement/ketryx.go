package requirement

import (
	"io/fs"
	"slices"
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// Ketryx reads Ketryx's Git-based configuration items written as Markdown
// (Ketryx MAN-09 "Git-Based Configuration Items", and the README of
// Ketryx/git-based-items-best-practices). Each file is one item; its front
// matter holds the metadata and its body the content:
//
//	---
//	itemId: SRS-012
//	itemType: Requirement
//	itemTitle: Reject bolus above the drug library maximum
//	itemHasParent: SYS-003
//	Requirement type: FUNCTIONAL
//	---
//
// It maps itemId → ID, itemTitle → title (else the first heading of the
// body, as Ketryx takes it), the body without that heading → text, and the
// relations itemHasParent (a requirement's parent requirement) and
// itemFulfills (a specification's requirement) → parents. Relation values
// are one ID, several separated by commas ("KP-43, KP-44"), or a YAML list.
// itemRiskControls, tracegate's own field (docs/formats.md), → risk
// controls.
//
// The type is Ketryx's "Requirement type" field (Use case, FUNCTIONAL,
// stakeholder, software …, lower-cased) when the item has one, else its
// itemType (requirement, software item spec …): the policy's
// software_requirement_types then says which of them must trace to a parent
// (TG106), in Ketryx's own words.
//
// Items of the other Ketryx types are read as what they are:
//   - a Test Case (itemTests) is a test definition: a test, or a Test
//     Execution, that names its ID verifies what it tests;
//   - a Test Execution (itemExecutes, "Test result") is a manual test with
//     its result: Pass/Passed passes, Fail/Failed fails, a result that
//     accepts a failure ("Pass with exception", "Fail (accepted)") is a
//     failure with that evaluation, never a pass; one without a result is
//     not executed (skipped), and an unknown result is an error of the file;
//   - Tasks, Anomalies, Complaints, Change Requests, CAPAs and Risks are
//     reported, not read.
//
// Any other type (Requirement, Software Item Spec, Hardware Item Spec, or a
// renamed or custom type) is read as a requirement, so that a renamed
// requirement type is never dropped. Ketryx keeps an item's state (draft,
// approved ...) in Ketryx, not in Git, so the status is left empty. Custom
// fields by display name ("Layer: CLI") are ignored. A Ketryx relation that
// this reader does not turn into a link (itemIntroducesRisk, itemRelatesTo,
// itemUses …) is named in a warning with what it points at, never dropped
// silently; an unknown key that looks like a Ketryx field (item + capital)
// is reported as most likely a misspelt relation.
type Ketryx struct{}

func (Ketryx) Kind() ingest.Kind { return ingest.Requirements }
func (Ketryx) Format() string    { return "ketryx" }

// ketryxFields are the other item fields this reader knows.
var ketryxFields = []string{"itemId", "itemType", "itemTitle", "itemRiskControls"}

// ketryxRequirementType is Ketryx's custom field that classifies a
// requirement (Use case, FUNCTIONAL, stakeholder, software …).
const ketryxRequirementType = "Requirement type"

// Detect accepts a Markdown file whose front matter has itemId or itemType.
func (Ketryx) Detect(fsys fs.FS, p string, head []byte) bool {
	return ingest.IsKetryxItem(fsys, p, head)
}

func (k Ketryx) Read(fsys fs.FS, p string) (*ingest.Items, error) {
	fm, v, pos, err := ingest.ReadFrontMatter(fsys, p, "a Ketryx item starts with ---, then itemId, itemType and its relations, then another ---")
	if err != nil {
		return nil, err
	}
	m, err := mappingOf(p, v, pos, "front matter")
	if err != nil {
		return nil, err
	}
	log := &report{}
	f := fields{file: p, m: m, pos: pos, log: log}
	if f.self().Line == 0 {
		f.pos[""] = input.Pos{File: p, Line: 1}
	}
	typ := f.text("itemType")
	lt := strings.ToLower(typ)
	if lt == ingest.KetryxRisk {
		// A risks source with format ketryx reads it (risk.Ketryx); the
		// loader makes sure one does.
		items, err := log.items(nil)
		if err == nil {
			items.Elsewhere = []ingest.Elsewhere{{Kind: ingest.Risks, Format: k.Format(), What: "Ketryx Risk item " + f.text("itemId"), Pos: f.self(), Required: true}}
		}
		return items, err
	}
	if slices.Contains(ingest.KetryxNotRead, lt) {
		log.warnf(f.self(), "Ketryx %s item %s is not a requirement; not read", typ, f.text("itemId"))
		return log.items(nil)
	}
	if typ == "" {
		log.warnf(f.self(), "item has no itemType; read as a requirement")
	}
	keys := sortedKeys(m)
	sort.SliceStable(keys, func(i, j int) bool { return f.keyAt(keys[i]).Before(f.keyAt(keys[j])) })
	linked := ketryxLinked[lt]
	if linked == nil {
		linked = ketryxLinked["requirement"]
	}
	for _, key := range keys {
		switch {
		case slices.Contains(ingest.KetryxRelations, key) && !slices.Contains(linked, key):
			if to := f.list(key, true); len(to) > 0 {
				log.warnf(f.keyAt(key), "Ketryx relation %s (%s) of %s %s is not a link tracegate reads; it links nothing here",
					key, strings.Join(to, ", "), typ, f.text("itemId"))
			}
		case ingest.LooksLikeKetryxField(key) && !slices.Contains(ketryxFields, key) && !slices.Contains(ingest.KetryxRelations, key):
			log.warnf(f.keyAt(key), "%q is not a Ketryx item field; ignored", key)
		}
	}

	title, text, found := ingest.FirstHeading(fm.Body, false)
	if !found {
		text = fm.Body
	}
	if t := f.text("itemTitle"); t != "" || !found {
		title = t
	}
	id := f.id("itemId")
	switch lt {
	case "test case":
		def := model.TestDefinition{ID: id, Title: title, Tests: f.list("itemTests", true), Source: f.self(), Format: k.Format()}
		if len(def.Tests) == 0 {
			log.warnf(f.self(), "Ketryx Test Case %s has no itemTests; it verifies nothing", id)
		}
		items, err := log.items(nil)
		if err == nil {
			items.TestDefinitions = []model.TestDefinition{def}
		}
		return items, err
	case "test execution":
		tc := ketryxExecution(f, id, title)
		items, err := log.items(nil)
		if err == nil {
			items.Tests = []model.TestCase{tc}
		}
		return items, err
	}
	rtype := lt
	if f.set(ketryxRequirementType) {
		rtype = f.lower(ketryxRequirementType)
	}
	r := model.Requirement{
		ID:           id,
		Title:        title,
		Text:         strings.TrimSpace(text),
		Type:         rtype,
		Parents:      mergeLists(f.list("itemHasParent", true), f.list("itemFulfills", true)),
		RiskControls: f.list("itemRiskControls", true),
		Introduces:   f.list("itemIntroducesRisk", true),
		Source:       f.self(),
		Format:       k.Format(),
	}
	return log.items([]model.Requirement{r})
}

// ketryxLinked lists, per item type, the relations this reader turns into
// links; every other relation an item carries is reported.
var ketryxLinked = map[string][]string{
	"requirement":    {"itemHasParent", "itemFulfills", "itemIntroducesRisk"},
	"test case":      {"itemTests"},
	"test execution": {"itemExecutes", "itemTests"},
}

// ketryxExecution reads a Test Execution item as a manual test case. It
// verifies the Test Cases it executes (itemExecutes) and, where a team
// writes them, the items it tests directly (itemTests).
func ketryxExecution(f fields, id, title string) model.TestCase {
	tc := model.TestCase{
		Name:         id,
		ClassName:    "",
		Requirements: mergeLists(f.list("itemExecutes", true), f.list("itemTests", true)),
		Manual:       true,
		Source:       f.self(),
		Format:       "ketryx",
	}
	if len(tc.Requirements) == 0 {
		f.log.warnf(f.self(), "Ketryx Test Execution %s has no itemExecutes; it verifies nothing", id)
	}
	if title != "" {
		tc.Name = id + " " + title
	}
	result := f.text("Test result")
	switch r := strings.ToLower(result); {
	case result == "":
		tc.Outcome, tc.Message = model.Skipped, "no Test result recorded: not executed"
	case r == "pass" || r == "passed":
		tc.Outcome = model.Passed
	case r == "fail" || r == "failed":
		tc.Outcome = model.Failed
	case strings.HasPrefix(r, "pass") || strings.HasPrefix(r, "fail"):
		// "Pass with exception", "Fail (accepted)": a failure someone
		// accepted is a failure with that evaluation.
		tc.Outcome, tc.Evaluation = model.Failed, result
	case r == "skipped" || r == "not executed" || r == "n/a" || r == "not applicable":
		tc.Outcome, tc.Message = model.Skipped, result
	case r == "blocked":
		tc.Outcome, tc.Message = model.Errored, result
	default:
		f.log.errorf(f.at("Test result"), "use Pass, Fail, Blocked or Not executed, or leave it out while the execution is open",
			"Test result: %q is not a result tracegate knows", result)
	}
	return tc
}

// mergeLists appends the entries of b that a lacks.
func mergeLists(a, b []string) []string {
	seen := make(map[string]bool, len(a))
	for _, s := range a {
		seen[s] = true
	}
	for _, s := range b {
		if !seen[s] {
			seen[s] = true
			a = append(a, s)
		}
	}
	return a
}

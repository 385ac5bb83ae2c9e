package requirement

import (
	"io/fs"
	"slices"
	"sort"
	"strings"
	"unicode"

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
//	---
//
// It maps itemId → ID, itemType → type (lower-cased), itemTitle → title (else
// the first heading of the body, as Ketryx takes it), the body without that
// heading → text, and the relations itemHasParent (a requirement's parent
// requirement) and itemFulfills (a specification's requirement) → parents.
// Relation values are one ID, several separated by commas ("KP-43, KP-44"),
// or a YAML list. itemRiskControls, tracegate's own field (docs/formats.md),
// → risk controls: in Ketryx the link runs the other way, from a Risk item's
// itemIsRiskControlledBy, which a requirement reader cannot see.
//
// Items whose type is one of Ketryx's non-requirement types (Task, Test Case,
// Test Execution, Anomaly, Complaint, Change Request, CAPA, Risk) are not
// requirements and are reported, not read; any other type (Requirement,
// Software Item Spec, Hardware Item Spec, or a renamed or custom type) is
// read, so that a renamed requirement type is never dropped. Ketryx keeps an
// item's state (draft, approved ...) in Ketryx, not in Git, so the status is
// left empty. Ketryx allows custom fields by name ("Requirement type:
// FUNCTIONAL"); they are ignored. Other relation fields (itemRelatesTo,
// itemIntroducesRisk ...) have no meaning to the requirement model and are
// ignored; an unknown key that looks like a Ketryx field (item + capital) is
// reported, since it is most likely a misspelt relation.
type Ketryx struct{}

func (Ketryx) Kind() ingest.Kind { return ingest.Requirements }
func (Ketryx) Format() string    { return "ketryx" }

// ketryxRelations are the relation fields of Markdown items that Ketryx
// lists.
var ketryxRelations = []string{
	"itemAffects", "itemContainsTests", "itemFoundAnomaly", "itemFulfills", "itemHasParent",
	"itemHasRootCause", "itemImplements", "itemIntroducesRisk", "itemIsRiskControlledBy",
	"itemExecutes", "itemRelatesTo", "itemIsRelatedTo", "itemResolvedBy", "itemResultsIn",
	"itemTests", "itemUses", "itemTriggers", "itemIsTriggeredBy",
}

// ketryxFields are the other item fields this reader knows.
var ketryxFields = []string{"itemId", "itemType", "itemTitle", "itemRiskControls"}

// ketryxNotRequirements are the Ketryx item types that are not requirements,
// lower-cased.
var ketryxNotRequirements = []string{
	"task", "test case", "test execution", "anomaly", "complaint", "change request", "capa", "risk",
}

// Detect accepts a Markdown file whose front matter has itemId or itemType.
func (Ketryx) Detect(fsys fs.FS, p string, head []byte) bool {
	if !isMarkdown(p) {
		return false
	}
	keys, ok := frontMatterKeys(fsys, p, head)
	return ok && (keys["itemId"] || keys["itemType"])
}

func (k Ketryx) Read(fsys fs.FS, p string) (*ingest.Items, error) {
	data, err := input.ReadAll(fsys, p, 0)
	if err != nil {
		return nil, err
	}
	fm, ok, err := splitFrontMatter(p, data)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, input.Errorf(input.Pos{File: p, Line: 1}, "no YAML front matter").
			WithHint("a Ketryx item starts with ---, then itemId, itemType and its relations, then another ---")
	}
	v, pos, err := fm.value(p)
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
	if lt := strings.ToLower(typ); slices.Contains(ketryxNotRequirements, lt) {
		log.warnf(f.self(), "Ketryx %s item %s is not a requirement; not read", typ, f.text("itemId"))
		return log.items(nil)
	}
	if typ == "" {
		log.warnf(f.self(), "item has no itemType; read as a requirement")
	}
	keys := sortedKeys(m)
	sort.SliceStable(keys, func(i, j int) bool { return f.keyAt(keys[i]).Before(f.keyAt(keys[j])) })
	for _, key := range keys {
		if looksLikeKetryxField(key) && !slices.Contains(ketryxFields, key) && !slices.Contains(ketryxRelations, key) {
			log.warnf(f.keyAt(key), "%q is not a Ketryx item field; ignored", key)
		}
	}

	title, text, found := firstHeading(fm.body, false)
	if !found {
		text = fm.body
	}
	if t := f.text("itemTitle"); t != "" || !found {
		title = t
	}
	r := model.Requirement{
		ID:           f.id("itemId"),
		Title:        title,
		Text:         strings.TrimSpace(text),
		Type:         strings.ToLower(typ),
		Parents:      mergeLists(f.list("itemHasParent", true), f.list("itemFulfills", true)),
		RiskControls: f.list("itemRiskControls", true),
		Source:       f.self(),
		Format:       k.Format(),
	}
	return log.items([]model.Requirement{r})
}

// looksLikeKetryxField reports whether key is in Ketryx's metadata
// namespace: "item" followed by a capital letter.
func looksLikeKetryxField(key string) bool {
	rest, ok := strings.CutPrefix(key, "item")
	return ok && rest != "" && unicode.IsUpper([]rune(rest)[0])
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

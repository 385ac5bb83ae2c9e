package risk

import (
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// Ketryx reads Ketryx's Risk items kept in Git (Ketryx MAN-08 "Risk
// Management", MAN-09 "Git-Based Configuration Items"): one Markdown file
// per item, its metadata in the front matter, its content in the body.
//
//	---
//	itemId: RSK-001
//	itemType: Risk
//	itemIsRiskControlledBy: SRS-010, SRS-012
//	Initial severity: Critical
//	Initial likelihood of occurrence (P1): Medium
//	Residual severity: Critical
//	Residual likelihood of occurrence (P1): Low
//	Risk acceptability: ALARP
//	---
//
//	# Over-infusion from a rate conversion overflow
//
//	## Hazard
//	...
//
// A Risk is a hazard: itemId → ID, itemTitle (else the first heading) →
// title; Hazard, Hazardous situation, Harm, Sequence of events and the
// benefit-risk analysis from the front matter field or the body section of
// that name; severity and probability before and after the controls from
// Ketryx's fields, kept as written (the policy's risk matrix gives them
// meaning); Risk acceptability → the declared residual acceptability,
// compared with the matrix, never trusted.
//
// In Ketryx a risk control measure is an item of its own — a requirement or
// specification — that the risk names with itemIsRiskControlledBy. tracegate
// models a control as implemented by requirements, so each (risk,
// controlling item) pair becomes one control, "RSK-001/SRS-010", that
// SRS-010 implements: the gate judges it by SRS-010's verification (TG305),
// and the trace shows which item controls which risk. Its ID holds a "/",
// which no Ketryx itemId written in a file does, and the graph reports any
// ID defined twice.
//
// itemIntroducesRisk belongs on the design item (the requirement reader
// reads it there); written on the Risk, it names the items that introduce
// it and is read so, with a warning. Every other relation is named in a
// warning. Items of other types are left to the requirements sources
// (ingest.Elsewhere): a directory of Ketryx items may be matched by a
// requirements and a risks glob alike.
type Ketryx struct{}

const ketryxFormat = "ketryx"

func (Ketryx) Kind() ingest.Kind { return ingest.Risks }
func (Ketryx) Format() string    { return ketryxFormat }

// Detect accepts a Markdown file whose front matter has itemId or itemType:
// any Ketryx item, so that a risks glob over a directory of Ketryx items
// hands the other types to the requirements sources rather than failing
// them as unrecognised.
func (Ketryx) Detect(fsys fs.FS, p string, head []byte) bool {
	return ingest.IsKetryxItem(fsys, p, head)
}

// ketryxText are the hazard's text fields, each with the names Ketryx's
// Risk form, its Git items and their authors give it (front matter field
// or body heading, compared without case).
var ketryxText = []struct {
	names []string
	set   func(h *model.Hazard, s string)
}{
	{[]string{"hazard"}, func(h *model.Hazard, s string) { h.Hazard = s }},
	{[]string{"hazardous situation"}, func(h *model.Hazard, s string) { h.Situation = s }},
	{[]string{"harm", "potential harm"}, func(h *model.Hazard, s string) { h.Harm = s }},
	{[]string{"sequence of events", "cause"}, func(h *model.Hazard, s string) { h.Cause = s }},
	{[]string{"benefit-risk analysis", "benefit risk analysis", "residual risk justification"}, func(h *model.Hazard, s string) { h.BenefitRisk = s }},
}

// ketryxControlsText are the names of the risk's description of its
// controls, which each control made from it carries.
var ketryxControlsText = []string{"risk controls description", "risk control description", "risk controls", "risk control measures"}

// ketryxLevels are Ketryx's estimate fields, by their names without the
// parenthesised abbreviation and without case: severity, P1 (likelihood of
// occurrence of the hazardous situation), P2 (likelihood of harm given the
// situation) and the total probability Ketryx computes from them.
var ketryxLevels = map[string]string{
	"severity": "severity", "likelihood of occurrence": "p1", "occurrence probability": "p1",
	"likelihood of harm": "p2", "harm probability": "p2",
	"total probability": "total", "total likelihood": "total", "probability": "total", "likelihood": "total",
}

func (k Ketryx) Read(fsys fs.FS, p string) (*ingest.Items, error) {
	fm, v, pos, err := ingest.ReadFrontMatter(fsys, p, "a Ketryx item starts with ---, then itemId, itemType and its fields, then another ---")
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if v != nil && !ok {
		return nil, input.Errorf(input.Pos{File: p, Line: 2}, "front matter must be a mapping of keys to values, got %s", yamlsrc.Describe(v))
	}
	d := &kxDecoder{file: p, m: m, pos: pos}
	typ := d.text("itemType")
	if lt := strings.ToLower(typ); lt != ingest.KetryxRisk {
		return d.elsewhere(typ), nil
	}
	id := d.id()
	h := model.Hazard{ID: id, Title: d.text("itemTitle"), Source: d.self(), Format: ketryxFormat}
	title, body, found := ingest.FirstHeading(fm.Body, false)
	if h.Title == "" && found {
		h.Title = title
	}
	sections := bodySections(body)
	field := func(names []string) string {
		for _, n := range names {
			if s := d.field(n); s != "" {
				return s
			}
			if s := sections[n]; s != "" {
				return s
			}
		}
		return ""
	}
	for _, t := range ketryxText {
		t.set(&h, field(t.names))
	}
	h.Initial = d.estimate("initial")
	h.Residual = d.estimate("residual")
	if w := d.field("risk acceptability"); w != "" {
		declared, ok := parseDeclared(w, true)
		if !ok {
			d.fail(d.at(d.key("risk acceptability")), "use Acceptable, ALARP or Not acceptable, or leave it out: tracegate computes acceptability from the policy's risk_matrix",
				"Risk acceptability: %q is not an acceptability level", w)
		}
		h.Residual.Declared = declared
	}

	var controls []model.RiskControl
	for _, key := range d.keys() {
		switch {
		case key == "itemIsRiskControlledBy":
			described := field(ketryxControlsText)
			for _, c := range d.ids(key) {
				rc := model.RiskControl{ID: id + "/" + c, Title: id + " is risk controlled by " + c, Description: described,
					Hazards: []string{id}, Requirements: []string{c}, Implicit: true, Source: d.at(key), Format: ketryxFormat}
				h.Controls = append(h.Controls, rc.ID)
				controls = append(controls, rc)
			}
		case key == "itemIntroducesRisk":
			if to := d.ids(key); len(to) > 0 {
				h.IntroducedBy = append(h.IntroducedBy, to...)
				d.warnf(d.keyAt(key), "itemIntroducesRisk (%s) on Risk %s is read as the items that introduce it; Ketryx writes the relation on the requirement or specification that introduces the risk",
					strings.Join(to, ", "), id)
			}
		case slices.Contains(ingest.KetryxRelations, key):
			if to := d.ids(key); len(to) > 0 {
				d.warnf(d.keyAt(key), "Ketryx relation %s (%s) of Risk %s is not a link tracegate reads; it links nothing here", key, strings.Join(to, ", "), id)
			}
		case ingest.LooksLikeKetryxField(key) && !slices.Contains(kxFields, key):
			d.warnf(d.keyAt(key), "%q is not a Ketryx item field; ignored", key)
		}
	}
	if len(d.errs) > 0 {
		yamlsrc.SortErrors(d.errs)
		return nil, d.errs
	}
	return &ingest.Items{Hazards: []model.Hazard{h}, RiskControls: controls, Warnings: d.warns}, nil
}

// kxFields are the metadata fields of an item that are not relations.
var kxFields = []string{"itemId", "itemType", "itemTitle"}

// kxDecoder reads one item's front matter, gathering every error and
// warning of the file: a file with an error yields nothing.
type kxDecoder struct {
	file  string
	m     map[string]any
	pos   map[string]input.Pos
	errs  input.Errors
	warns []input.Warning
}

func (d *kxDecoder) at(key string) input.Pos {
	return yamlsrc.Lookup(d.pos, yamlsrc.Pointer([]string{key}))
}

func (d *kxDecoder) keyAt(key string) input.Pos {
	return yamlsrc.Lookup(d.pos, yamlsrc.Pointer([]string{key})+"#key")
}

// self is where the item starts: its front matter.
func (d *kxDecoder) self() input.Pos {
	p := yamlsrc.Lookup(d.pos, "")
	if p.Line == 0 {
		p = input.Pos{File: d.file, Line: 2}
	}
	p.File = d.file
	return p
}

func (d *kxDecoder) fail(p input.Pos, hint, format string, args ...any) {
	d.errs = append(d.errs, &input.Error{Pos: p, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

func (d *kxDecoder) warnf(p input.Pos, format string, args ...any) {
	d.warns = append(d.warns, input.Warnf(p, format, args...))
}

// keys are the front matter's keys in file order.
func (d *kxDecoder) keys() []string {
	keys := make([]string, 0, len(d.m))
	for k := range d.m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return d.keyAt(keys[i]).Before(d.keyAt(keys[j])) })
	return keys
}

// text is the scalar under key as written; a list or mapping is an error.
func (d *kxDecoder) text(key string) string {
	v, ok := d.m[key]
	if !ok {
		return ""
	}
	s, ok := scalarText(v)
	if !ok {
		d.fail(d.at(key), "write one value", "%s: expected a single value, got %s", key, yamlsrc.Describe(v))
	}
	return s
}

// key returns the front matter key that names field: compared without
// case, without a parenthesised abbreviation ("(P1)") and with runs of
// white space as one, as people retype Ketryx's display names.
func (d *kxDecoder) key(field string) string {
	for k := range d.m {
		if kxName(k) == field {
			return k
		}
	}
	return ""
}

// field is the text of the front matter field named field, or "".
func (d *kxDecoder) field(field string) string {
	if k := d.key(field); k != "" {
		return d.text(k)
	}
	return ""
}

// kxName normalises a field name or heading for comparison.
func kxName(s string) string {
	s = strings.ToLower(s)
	if i := strings.Index(s, "("); i > 0 && strings.HasSuffix(strings.TrimSpace(s), ")") {
		s = s[:i]
	}
	return strings.Join(strings.Fields(strings.TrimRight(s, ":")), " ")
}

// id is the item's itemId, which must be one word.
func (d *kxDecoder) id() string {
	id := d.text("itemId")
	switch {
	case id == "":
		d.fail(d.self(), "give the Risk an itemId (RSK-001): links and the gate's findings name it",
			"Ketryx Risk has no itemId")
	case !isIDToken(id):
		d.fail(d.at("itemId"), "", "itemId %q is not an ID: it contains white space", id)
	}
	return id
}

// ids reads a relation: one ID, several separated by commas, or a YAML
// list, as Ketryx writes them. Free text is an error at the value: a link
// that could not be read is never dropped.
func (d *kxDecoder) ids(key string) []string {
	var l idList
	add := func(s string) {
		for _, id := range splitIDs(s) {
			if !isIDToken(id) {
				d.fail(d.at(key), "list item IDs only, separated by commas or as a YAML list", "%s: %q is not an ID: it contains white space", key, id)
				continue
			}
			l.add(id)
		}
	}
	switch x := d.m[key].(type) {
	case []any:
		for _, e := range x {
			s, ok := scalarText(e)
			if !ok {
				d.fail(d.at(key), "list item IDs only", "%s: expected a list of IDs, got %s", key, yamlsrc.Describe(e))
				continue
			}
			add(s)
		}
	default:
		add(d.text(key))
	}
	return l.ids
}

// estimate reads the severity and probability of one stage ("initial" or
// "residual"). Ketryx estimates P1 and P2 apart and computes the total;
// the total is taken when written, else P1 with P2 beside it (the trace
// takes the less likely of the two, an upper bound of P1 × P2), else P2.
func (d *kxDecoder) estimate(stage string) model.RiskEstimate {
	got := map[string]string{}
	for k := range d.m {
		rest, ok := strings.CutPrefix(kxName(k), stage+" ")
		if which, known := ketryxLevels[rest]; ok && known {
			got[which] = d.text(k)
		}
	}
	e := model.RiskEstimate{Severity: got["severity"]}
	switch {
	case got["total"] != "":
		e.Probability = got["total"]
	case got["p1"] != "":
		e.Probability, e.HarmProbability = got["p1"], got["p2"]
	default:
		e.Probability = got["p2"]
	}
	return e
}

// elsewhere is what a risks source yields for an item of another type: a
// note for the loader, which drops it when a requirements source reads the
// file, and otherwise reports it (ingest.Elsewhere).
func (d *kxDecoder) elsewhere(typ string) *ingest.Items {
	what := "Ketryx " + typ + " item " + d.text("itemId")
	if typ == "" {
		what = "Ketryx item " + d.text("itemId") + " (no itemType: a requirement)"
	}
	return &ingest.Items{Elsewhere: []ingest.Elsewhere{{Kind: ingest.Requirements, Format: ketryxFormat, What: what, Pos: d.self(),
		Required: !slices.Contains(ingest.KetryxNotRead, strings.ToLower(typ))}}}
}

// bodySections maps each heading of body, by kxName, to the text under it
// up to the next heading of the same or a higher level.
func bodySections(body string) map[string]string {
	lines := strings.SplitAfter(body, "\n")
	hs := ingest.Headings(body)
	out := map[string]string{}
	for i, h := range hs {
		end := len(lines)
		for _, next := range hs[i+1:] {
			if next.Level <= h.Level {
				end = next.Line
				break
			}
		}
		name := kxName(h.Text)
		if _, dup := out[name]; !dup {
			out[name] = strings.TrimSpace(strings.Join(lines[h.Line+1:end], ""))
		}
	}
	return out
}

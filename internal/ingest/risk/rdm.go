package risk

import (
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// RDM reads the risk analysis of rdm, the Regulatory Documentation Manager
// (https://github.com/innolitics/rdm), as `rdm init` scaffolds it in
// data/risk.yml (upstream rdm/init_files/data/risk.yml; the older
// rdm/init/data/risk.yml has the same entries without the matrix):
//
//	risk_levels:               [{label, description}]  acceptability levels
//	risk_probability_levels:   [{label, description}]
//	risk_severity_levels:      [{label, description}]
//	risk_acceptability_matrix: [[Low, Medium, ...]]    a row per severity level
//	risks:
//	  - id: 1                  present in one template version, absent in others
//	    hazard: Incorrect information
//	    software_item: Annotation Metric Calculator
//	    events: |              the sequence of events, often a Markdown list
//	    hazardous_situation: ...
//	    harm: ...
//	    severity: Catastrophic
//	    probability: Low
//	    control_measures:      null, or {desciption (sic), evidence_of_effectiveness}
//	    residual_severity: null
//	    residual_probability: null
//	    notes: ...
//
// A risk becomes a model.Hazard: id → ID, hazard → Hazard, events → Cause,
// hazardous_situation → Situation, harm → Harm, severity and probability →
// Initial, residual_severity and residual_probability → Residual, all as
// written. tracegate traces a risk by its id; rdm's template writes risks
// without one (rdm renders its documents without IDs), so a risk without an
// id is read under its position in the list (RISK-1, RISK-2, ...) with a
// warning, and validate flags that name against the hazard ID pattern
// (TG102). An id that is not an ID (a mapping, text with white space) is an
// error.
//
// rdm writes control measures as prose, without IDs, and tracegate traces a
// control to the requirements that implement it by ID. So control_measures
// is read as follows, and what cannot be traced is a warning, never dropped
// silently:
//   - a string: IDs separated by commas, semicolons or lines (a Markdown
//     list marker is allowed) go to the hazard's Controls; free text cannot
//     be traced and is a warning;
//   - a mapping (as the template has it) or a list of mappings: with an id,
//     it defines a model.RiskControl (description or the template's
//     "desciption" → Description; title, kind and requirements when written)
//     linked to the hazard; without an id but with content, a warning. The
//     same control written under several risks with the same content is one
//     control linked to each of them.
//
// The hazard text is the risk's title, unless a title is written: rdm names
// a risk by its hazard.
//
// The levels and the matrix are read (rdmmatrix.go) into a model.RiskMatrix
// that stands in for the policy's risk_matrix when the policy does not write
// one, so that a team keeps rdm's matrix without retyping it; where the
// matrix does not fit its levels, validate says so (TG120).
//
// Not read: software_item, notes and evidence_of_effectiveness (the model has
// no place for them) and any key rdm's template does not have. Each file
// yields at most one warning for these. The rdm templates render whatever
// keys a file has, so title and benefit_risk may be added to a risk for
// tracegate.
type RDM struct{}

const rdmFormat = "rdm"

func (RDM) Kind() ingest.Kind { return ingest.Risks }
func (RDM) Format() string    { return rdmFormat }

// Detect accepts a YAML file with a top-level risks list of mappings.
func (RDM) Detect(fsys fs.FS, path string, head []byte) bool {
	return isYAML(path) && hasTopLevelList(yamlsrc.Head(fsys, path, head), "risks")
}

func (RDM) Read(fsys fs.FS, path string) (*ingest.Items, error) {
	if err := ingest.MarkdownNotYAML(path, RDM{}.Format(), string(ingest.Risks)); err != nil {
		return nil, err
	}
	data, err := input.ReadAll(fsys, path, 0)
	if err != nil {
		return nil, err
	}
	return readRDM(path, data)
}

// rdmMatrixKeys are rdm's definition of its risk matrix.
var rdmMatrixKeys = []string{"risk_levels", "risk_probability_levels", "risk_severity_levels", "risk_acceptability_matrix"}

const rdmIDHint = "rdm's template leaves id out, but tracegate needs one on every risk to trace it: add e.g. id: HAZ-001"

func readRDM(file string, data []byte) (*ingest.Items, error) {
	value, pos, err := singleDocument(file, data)
	if err != nil {
		return nil, err
	}
	d := &rdmDecoder{file: file, pos: pos, items: &ingest.Items{}, controlAt: map[string]int{}}
	top, ok := value.(map[string]any)
	if !ok {
		return nil, input.Errorf(d.at(""), "expected rdm's risk file: a mapping with a risks list").
			WithHint("rdm keeps its risk analysis in data/risk.yml; set format: in the policy if this is another format")
	}
	risks, ok := top["risks"]
	if !ok {
		return nil, input.Errorf(d.at(""), "no risks list: rdm's risk file lists its risk analysis under risks:").
			WithHint("set format: in the policy if this is another format")
	}
	for _, k := range sortedKeys(top, pos, "") {
		if k != "risks" && !slices.Contains(rdmMatrixKeys, k) {
			d.unread(k, "/"+escapeKey(k)+"#key", top[k])
		}
	}
	m := d.matrix(top)
	list, ok := risks.([]any)
	switch {
	case risks == nil:
	case !ok:
		d.fail("/risks", "risks: expected a list of risks")
	default:
		for i, v := range list {
			d.risk(fmt.Sprintf("/risks/%d", i), v)
		}
	}
	if len(d.errs) > 0 {
		yamlsrc.SortErrors(d.errs)
		return nil, d.errs
	}
	if m != nil {
		d.items.RiskMatrices = append(d.items.RiskMatrices, *m)
	}
	if w, ok := d.unreadWarning(); ok {
		d.items.Warnings = append(d.items.Warnings, w)
	}
	return d.items, nil
}

// rdmDecoder walks rdm's risk file, collecting items, errors, and the keys
// it does not read.
type rdmDecoder struct {
	file  string
	pos   map[string]input.Pos
	items *ingest.Items
	errs  input.Errors
	// controlAt indexes items.RiskControls by ID, to merge a control
	// repeated under several risks.
	controlAt map[string]int
	// unreadKeys counts the occurrences of each key not read, in order of
	// first appearance.
	unreadKeys  []string
	unreadCount map[string]int
	unreadAt    input.Pos
}

func (d *rdmDecoder) at(ptr string) input.Pos {
	p := yamlsrc.Lookup(d.pos, ptr)
	p.File = d.file // also for an empty document, which has no positions
	return p
}

func (d *rdmDecoder) fail(ptr, format string, args ...any) *input.Error {
	e := input.Errorf(d.at(ptr), format, args...)
	d.errs = append(d.errs, e)
	return e
}

func (d *rdmDecoder) warn(ptr, format string, args ...any) {
	d.items.Warnings = append(d.items.Warnings, input.Warnf(d.at(ptr), format, args...))
}

func (d *rdmDecoder) unread(name, ptr string, v any) {
	if s, ok := scalarText(v); ok && s == "" {
		return // null or blank: nothing is lost
	}
	if d.unreadCount == nil {
		d.unreadCount = map[string]int{}
		d.unreadAt = d.at(ptr)
	}
	if d.unreadCount[name] == 0 {
		d.unreadKeys = append(d.unreadKeys, name)
	}
	d.unreadCount[name]++
}

func (d *rdmDecoder) unreadWarning() (input.Warning, bool) {
	if len(d.unreadKeys) == 0 {
		return input.Warning{}, false
	}
	parts := make([]string, len(d.unreadKeys))
	for i, k := range d.unreadKeys {
		parts[i] = fmt.Sprintf("%s (%d×)", k, d.unreadCount[k])
	}
	return input.Warnf(d.unreadAt, "keys not read by tracegate: %s; check the spelling of any key meant for it", strings.Join(parts, ", ")), true
}

// rdmRiskKeys are the keys of a risk that become part of a hazard.
var rdmRiskKeys = []string{"id", "title", "hazard", "events", "hazardous_situation", "harm", "severity", "probability",
	"control_measures", "residual_severity", "residual_probability", "benefit_risk"}

func (d *rdmDecoder) risk(ptr string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		d.fail(ptr, "%s: expected a risk (a mapping with hazard, harm, severity, ...)", yamlsrc.DottedKey(ptr))
		return
	}
	n := len(d.errs)
	h := model.Hazard{
		Title:       d.text(ptr, m, "title"),
		Hazard:      d.text(ptr, m, "hazard"),
		Cause:       d.text(ptr, m, "events"),
		Situation:   d.text(ptr, m, "hazardous_situation"),
		Harm:        d.text(ptr, m, "harm"),
		Initial:     model.RiskEstimate{Severity: d.text(ptr, m, "severity"), Probability: d.text(ptr, m, "probability")},
		Residual:    model.RiskEstimate{Severity: d.text(ptr, m, "residual_severity"), Probability: d.text(ptr, m, "residual_probability")},
		BenefitRisk: d.text(ptr, m, "benefit_risk"),
		Source:      d.at(ptr),
		Format:      rdmFormat,
	}
	if h.Title == "" {
		// rdm names a risk by its hazard (its documents list risks by it):
		// the hazard text is the title tracegate shows.
		h.Title = h.Hazard
	}
	if id, ok := scalarText(m["id"]); ok && id == "" {
		// rdm's own template (init_files/data/risk.yml since b164cb00) writes
		// risks without an id. Refusing the file would leave an rdm project
		// with no risk analysis at all; read each such risk under its
		// position, loudly: the name is not stable if rows move, and it does
		// not match a hazard ID pattern, so validate still flags it (TG102).
		n, _ := strconv.Atoi(ptr[strings.LastIndexByte(ptr, '/')+1:])
		h.ID = fmt.Sprintf("RISK-%d", n+1)
		d.warn(ptr, "%s: risk without an id, read as %s (its position in the list); %s", yamlsrc.DottedKey(ptr), h.ID, rdmIDHint)
	} else {
		h.ID = d.id(ptr, m, "risk", rdmIDHint)
	}
	for _, k := range sortedKeys(m, d.pos, ptr) {
		if !slices.Contains(rdmRiskKeys, k) {
			d.unread(k, ptr+"/"+escapeKey(k)+"#key", m[k])
		}
	}
	if len(d.errs) > n {
		return
	}
	var controls idList
	d.controlMeasures(ptr+"/control_measures", m["control_measures"], h.ID, &controls)
	h.Controls = controls.ids
	d.items.Hazards = append(d.items.Hazards, h)
}

// id reads a required ID: a string, or a number as rdm's template writes
// it (id: 1).
func (d *rdmDecoder) id(ptr string, m map[string]any, what, hint string) string {
	id, ok := scalarText(m["id"])
	switch {
	case !ok:
		d.fail(ptr+"/id", "%s.id: expected an ID, found a %s", yamlsrc.DottedKey(ptr), shape(m["id"]))
	case id == "":
		d.fail(ptr, "%s: %s without an id", yamlsrc.DottedKey(ptr), what).WithHint(hint)
	case !isIDToken(id):
		d.fail(ptr+"/id", "%s.id: %q is not an ID: it contains white space", yamlsrc.DottedKey(ptr), id)
	}
	return id
}

// text reads a scalar as text; a mapping or list where text belongs is an
// error, not something to flatten.
func (d *rdmDecoder) text(ptr string, m map[string]any, key string) string {
	s, ok := scalarText(m[key])
	if !ok {
		d.fail(ptr+"/"+key, "%s.%s: expected text, found a %s", yamlsrc.DottedKey(ptr), key, shape(m[key]))
	}
	return s
}

// controlMeasures reads a risk's control_measures (see RDM).
func (d *rdmDecoder) controlMeasures(ptr string, v any, hazard string, ids *idList) {
	switch x := v.(type) {
	case nil:
	case map[string]any:
		d.controlMeasure(ptr, x, hazard, ids)
	case []any:
		for i, e := range x {
			p := ptr + "/" + strconv.Itoa(i)
			switch y := e.(type) {
			case nil:
			case map[string]any:
				d.controlMeasure(p, y, hazard, ids)
			case []any:
				d.fail(p, "%s: expected a control measure, found a list", yamlsrc.DottedKey(p))
			default:
				s, _ := scalarText(y)
				d.controlText(p, s, ids)
			}
		}
	default:
		s, _ := scalarText(x)
		d.controlText(ptr, s, ids)
	}
}

// controlText reads control measures written as text: IDs go to the
// hazard; prose is reported, because it cannot be traced.
func (d *rdmDecoder) controlText(ptr, s string, ids *idList) {
	prose := false
	for _, part := range splitIDs(s) {
		part = strings.TrimSpace(strings.TrimLeft(part, "-*+ \t"))
		if isIDToken(part) {
			ids.add(part)
		} else if part != "" {
			prose = true
		}
	}
	if prose {
		d.warn(ptr, "%s: control measure written as text without an ID; it cannot be traced to the requirements that implement it",
			yamlsrc.DottedKey(ptr))
	}
}

// rdmControlKeys are the keys of a control measure that are read.
var rdmControlKeys = []string{"id", "title", "kind", "description", "desciption", "requirements"}

func (d *rdmDecoder) controlMeasure(ptr string, m map[string]any, hazard string, ids *idList) {
	empty := true
	for _, v := range m {
		if s, ok := scalarText(v); !ok || s != "" {
			empty = false
		}
	}
	if empty { // the template's placeholder: {desciption: null, evidence_of_effectiveness: null}
		return
	}
	for _, k := range sortedKeys(m, d.pos, ptr) {
		if !slices.Contains(rdmControlKeys, k) {
			d.unread("control_measures."+k, ptr+"/"+escapeKey(k)+"#key", m[k])
		}
	}
	n := len(d.errs)
	desc := d.text(ptr, m, "description")
	if typo := d.text(ptr, m, "desciption"); desc == "" {
		desc = typo // the key as rdm's template spells it
	}
	c := model.RiskControl{
		Title:       d.text(ptr, m, "title"),
		Description: desc,
		Hazards:     []string{hazard},
		Source:      d.at(ptr),
		Format:      rdmFormat,
	}
	written := d.text(ptr, m, "kind")
	if k, ok := parseKind(written); ok {
		c.Kind = k
	} else {
		d.fail(ptr+"/kind", "%s.kind: unknown risk control kind %q", yamlsrc.DottedKey(ptr), written).WithHint(kindHint)
	}
	c.Requirements = d.idList(ptr+"/requirements", m["requirements"])
	if _, has := m["id"]; !has {
		if len(d.errs) == n {
			d.warn(ptr, "%s: control measure without an id; it cannot be traced to the requirements that implement it (add id: RC-…)",
				yamlsrc.DottedKey(ptr))
		}
		return
	}
	c.ID = d.id(ptr, m, "control measure", "give the control measure an id, e.g. id: RC-001, so that requirements can implement it")
	if len(d.errs) > n {
		return
	}
	ids.add(c.ID)
	if i, ok := d.controlAt[c.ID]; ok && sameControl(d.items.RiskControls[i], c) {
		prev := &d.items.RiskControls[i]
		if !slices.Contains(prev.Hazards, hazard) {
			prev.Hazards = append(prev.Hazards, hazard)
		}
		return
	}
	// A second, different definition under the same ID is kept as is:
	// validate reports duplicate IDs with both positions.
	if _, ok := d.controlAt[c.ID]; !ok {
		d.controlAt[c.ID] = len(d.items.RiskControls)
	}
	d.items.RiskControls = append(d.items.RiskControls, c)
}

// idList reads IDs written as a string or a list of strings.
func (d *rdmDecoder) idList(ptr string, v any) []string {
	var l idList
	add := func(p string, v any) {
		s, ok := scalarText(v)
		if !ok {
			d.fail(p, "%s: expected an ID, found a %s", yamlsrc.DottedKey(p), shape(v))
			return
		}
		for _, id := range splitIDs(s) {
			if !isIDToken(id) {
				d.fail(p, "%s: %q is not an ID: it contains white space", yamlsrc.DottedKey(p), id)
				continue
			}
			l.add(id)
		}
	}
	if list, ok := v.([]any); ok {
		for i, e := range list {
			add(ptr+"/"+strconv.Itoa(i), e)
		}
	} else {
		add(ptr, v)
	}
	return l.ids
}

// sameControl reports whether two definitions of a control say the same.
func sameControl(a, b model.RiskControl) bool {
	return a.ID == b.ID && a.Title == b.Title && a.Description == b.Description && a.Kind == b.Kind &&
		slices.Equal(a.Requirements, b.Requirements)
}

// sortedKeys returns the keys of m in file order, so that messages list
// them as the user wrote them.
func sortedKeys(m map[string]any, pos map[string]input.Pos, ptr string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		pa, pb := yamlsrc.Lookup(pos, ptr+"/"+escapeKey(a)+"#key"), yamlsrc.Lookup(pos, ptr+"/"+escapeKey(b)+"#key")
		if pa.Line != pb.Line {
			return pa.Line - pb.Line
		}
		if pa.Col != pb.Col {
			return pa.Col - pb.Col
		}
		return strings.Compare(a, b)
	})
	return keys
}

// escapeKey encodes a key as a JSON pointer token (RFC 6901).
func escapeKey(k string) string {
	p := yamlsrc.Pointer([]string{k})
	return p[1:]
}

// shape names the kind of a YAML value for messages.
func shape(v any) string {
	switch v.(type) {
	case map[string]any:
		return "mapping"
	case []any:
		return "list"
	}
	return "scalar"
}

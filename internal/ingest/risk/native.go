package risk

import (
	"fmt"
	"io/fs"
	"strconv"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/yamlsrc"
	"github.com/tracegate/tracegate/schema"
)

// Native reads tracegate's own risk-analysis YAML (format "tracegate",
// docs/formats.md): a mapping with a hazards list and a risk_controls list,
// either of which may be absent. The file is validated against
// schema/risk.schema.json first, so that an unknown key or a wrong type is an
// error at its line and column rather than a silently dropped link.
type Native struct{}

const nativeFormat = "tracegate"

func (Native) Kind() ingest.Kind { return ingest.Risks }
func (Native) Format() string    { return nativeFormat }

// Detect accepts a YAML file whose top level holds a hazards or
// risk_controls list of mappings.
func (Native) Detect(fsys fs.FS, path string, head []byte) bool {
	return isYAML(path) && hasTopLevelList(yamlsrc.Head(fsys, path, head), "hazards", "risk_controls")
}

func (Native) Read(fsys fs.FS, path string) (*ingest.Items, error) {
	if err := ingest.MarkdownNotYAML(path, Native{}.Format(), string(ingest.Risks)); err != nil {
		return nil, err
	}
	data, err := input.ReadAll(fsys, path, 0)
	if err != nil {
		return nil, err
	}
	return readNative(path, data)
}

const riskSchemaURL = "https://github.com/tracegate/tracegate/schema/risk.schema.json"

var riskSchema = yamlsrc.CompileOnce(riskSchemaURL, schema.Risk)

const unknownKeyHint = "check the spelling against schema/risk.schema.json: an unknown key is an error so that a typo never drops a risk control link"

func readNative(file string, data []byte) (*ingest.Items, error) {
	value, pos, err := singleDocument(file, data)
	if err != nil {
		return nil, err
	}
	items := &ingest.Items{}
	if value == nil {
		items.Warnings = append(items.Warnings, input.Warnf(input.Pos{File: file},
			"risk file is empty: it holds no hazards and no risk controls"))
		return items, nil
	}
	sch, err := riskSchema()
	if err != nil {
		return nil, input.Errorf(input.Pos{File: file}, "%v", err)
	}
	if errs := yamlsrc.Validate(sch, value, pos, unknownKeyHint); len(errs) > 0 {
		return nil, errs
	}

	// The schema guarantees the shape from here on: type assertions below
	// cannot fail on a validated value.
	d := nativeDecoder{file: file, pos: pos}
	top := value.(map[string]any)
	hazards, _ := top["hazards"].([]any)
	for i, v := range hazards {
		if h, ok := d.hazard(fmt.Sprintf("/hazards/%d", i), v.(map[string]any)); ok {
			items.Hazards = append(items.Hazards, h)
		}
	}
	controls, _ := top["risk_controls"].([]any)
	for i, v := range controls {
		if c, ok := d.control(fmt.Sprintf("/risk_controls/%d", i), v.(map[string]any)); ok {
			items.RiskControls = append(items.RiskControls, c)
		}
	}
	if len(d.errs) > 0 {
		yamlsrc.SortErrors(d.errs)
		return nil, d.errs
	}
	return items, nil
}

// singleDocument parses data as one YAML document and converts it with
// positions. A stream of several documents is refused: the second would be
// read as if it were a continuation of the first.
func singleDocument(file string, data []byte) (any, map[string]input.Pos, error) {
	docs, err := yamlsrc.Documents(file, data)
	if err != nil {
		return nil, nil, err
	}
	switch len(docs) {
	case 0:
		return nil, nil, nil
	case 1:
	default:
		return nil, nil, input.Errorf(yamlsrc.Pos(file, docs[1]), "file holds %d YAML documents, expected one", len(docs)).
			WithHint("remove the '---' separator, or split the documents into files of their own")
	}
	return yamlsrc.Value(file, docs[0])
}

// nativeDecoder turns validated values into model items, collecting the
// errors the schema cannot express (blank IDs, unknown control kinds).
type nativeDecoder struct {
	file string
	pos  map[string]input.Pos
	errs input.Errors
}

func (d *nativeDecoder) at(ptr string) input.Pos { return yamlsrc.Lookup(d.pos, ptr) }

func (d *nativeDecoder) fail(ptr, format string, args ...any) *input.Error {
	e := input.Errorf(d.at(ptr), format, args...)
	d.errs = append(d.errs, e)
	return e
}

func (d *nativeDecoder) hazard(ptr string, m map[string]any) (model.Hazard, bool) {
	n := len(d.errs)
	h := model.Hazard{
		ID:          d.id(ptr, m, "hazard"),
		Title:       d.text(m, "title"),
		Hazard:      d.text(m, "hazard"),
		Cause:       d.text(m, "cause"),
		Situation:   d.text(m, "hazardous_situation"),
		Harm:        d.text(m, "harm"),
		Initial:     d.estimate(ptr+"/initial", m["initial"]),
		Controls:    d.ids(ptr+"/risk_controls", m["risk_controls"]),
		Residual:    d.estimate(ptr+"/residual", m["residual"]),
		BenefitRisk: d.text(m, "benefit_risk"),
		Source:      d.at(ptr),
		Format:      nativeFormat,
	}
	return h, len(d.errs) == n
}

func (d *nativeDecoder) control(ptr string, m map[string]any) (model.RiskControl, bool) {
	n := len(d.errs)
	c := model.RiskControl{
		ID:           d.id(ptr, m, "risk control"),
		Title:        d.text(m, "title"),
		Description:  d.text(m, "description"),
		Hazards:      d.ids(ptr+"/hazards", m["hazards"]),
		Requirements: d.ids(ptr+"/requirements", m["requirements"]),
		Source:       d.at(ptr),
		Format:       nativeFormat,
	}
	written := d.text(m, "kind")
	if k, ok := parseKind(written); ok {
		c.Kind = k
	} else {
		d.fail(ptr+"/kind", "%s: unknown risk control kind %q", yamlsrc.DottedKey(ptr+"/kind"), written).WithHint(kindHint)
	}
	return c, len(d.errs) == n
}

// id returns the item's ID. A blank ID is reported at the item, where the
// user looks for it; an ID with white space inside cannot be matched by any
// reference and is reported at the value.
func (d *nativeDecoder) id(ptr string, m map[string]any, what string) string {
	id := d.text(m, "id")
	switch {
	case id == "":
		d.fail(ptr, "%s: %s without an id", yamlsrc.DottedKey(ptr), what).
			WithHint("give every item an id matching the policy's ids pattern, e.g. HAZ-001 or RC-001")
	case !isIDToken(id):
		d.fail(ptr+"/id", "%s.id: %q is not an ID: it contains white space", yamlsrc.DottedKey(ptr), id)
	}
	return id
}

func (d *nativeDecoder) text(m map[string]any, key string) string {
	s, _ := scalarText(m[key])
	return s
}

// ids reads a list of IDs, or a single string of IDs, in file order and
// without duplicates.
func (d *nativeDecoder) ids(ptr string, v any) []string {
	var l idList
	addText := func(p, s string) {
		for _, id := range splitIDs(s) {
			if !isIDToken(id) {
				d.fail(p, "%s: %q is not an ID: it contains white space", yamlsrc.DottedKey(p), id).
					WithHint("list IDs only, separated by commas or as a YAML list; put descriptions into the item itself")
				continue
			}
			l.add(id)
		}
	}
	switch x := v.(type) {
	case string:
		addText(ptr, x)
	case []any:
		for i, e := range x {
			addText(ptr+"/"+strconv.Itoa(i), e.(string))
		}
	}
	return l.ids
}

// estimate reads severity, probability and the declared acceptability. The
// levels are kept as written; the policy's matrix gives them meaning.
func (d *nativeDecoder) estimate(ptr string, v any) model.RiskEstimate {
	m, _ := v.(map[string]any)
	if m == nil {
		return model.RiskEstimate{}
	}
	var e model.RiskEstimate
	for _, f := range []struct {
		key string
		dst *string
	}{{"severity", &e.Severity}, {"probability", &e.Probability}} {
		*f.dst, _ = scalarText(m[f.key])
		if *f.dst == "" {
			d.fail(ptr+"/"+f.key, "%s.%s is blank", yamlsrc.DottedKey(ptr), f.key).
				WithHint("write a level name of the policy's risk_matrix, or its 1-based number")
		}
	}
	written, _ := scalarText(m["acceptability"])
	declared, ok := parseDeclared(written, false)
	if !ok {
		d.fail(ptr+"/acceptability", "%s.acceptability: %q is not an acceptability level", yamlsrc.DottedKey(ptr), written).
			WithHint("write acceptable, alarp or unacceptable, or leave it out: tracegate computes it from the policy's risk_matrix")
	}
	e.Declared = declared
	return e
}

package requirement

import (
	"fmt"
	"io/fs"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// Tracegate reads the native requirement YAML of docs/formats.md: a YAML
// stream whose documents each hold one requirement (a mapping with id), a
// list of requirements, or a mapping with a requirements list and file-level
// defaults (item, class, type, status). Every document is validated against
// schema/requirements.schema.json, so an unknown key or a wrong type is an
// error at its line and column.
type Tracegate struct{}

func (Tracegate) Kind() ingest.Kind { return ingest.Requirements }
func (Tracegate) Format() string    { return "tracegate" }

// Detect accepts a YAML file with a top-level id or requirements key, or a
// top-level list of mappings with an id, in any document of its head.
func (Tracegate) Detect(fsys fs.FS, p string, head []byte) bool {
	if !isYAML(p) {
		return false
	}
	for _, d := range scanHead(ingest.HeadLines(yamlsrc.Head(fsys, p, head))) {
		if d.keys["id"] || (!d.list && d.keys["requirements"]) {
			return true
		}
	}
	return false
}

func (t Tracegate) Read(fsys fs.FS, p string) (*ingest.Items, error) {
	if err := ingest.MarkdownNotYAML(p, t.Format(), string(ingest.Requirements)); err != nil {
		return nil, err
	}
	data, err := input.ReadAll(fsys, p, 0)
	if err != nil {
		return nil, err
	}
	docs, err := yamlsrc.Documents(p, data)
	if err != nil {
		return nil, err
	}
	sch, _, err := schemas()
	if err != nil {
		return nil, input.Errorf(input.Pos{File: p}, "%v", err)
	}
	log := &report{}
	var reqs []model.Requirement
	for _, doc := range docs {
		v, pos, err := yamlsrc.Value(p, doc)
		if err != nil {
			log.add(p, err)
			continue
		}
		if v == nil {
			continue // an empty document ("---" at the end of a stream)
		}
		if errs := yamlsrc.Validate(sch, v, pos, unknownKeyHint); len(errs) > 0 {
			log.errs = append(log.errs, errs...)
			continue
		}
		reqs = append(reqs, nativeDocument(p, v, pos, log, t.Format())...)
	}
	if len(reqs) == 0 && len(log.errs) == 0 && len(log.warns) == 0 {
		log.warnf(input.Pos{File: p}, "file holds no requirements")
	}
	return log.items(reqs)
}

// defaults are the file-level values a requirements file lets its
// requirements inherit.
type defaults struct {
	item   string
	class  model.Class
	typ    string
	status string
}

// nativeDocument reads one schema-valid document in any of its shapes.
func nativeDocument(file string, v any, pos map[string]input.Pos, log *report, format string) []model.Requirement {
	var reqs []model.Requirement
	readList := func(list []any, ptr string, def defaults) {
		for i, e := range list {
			m, ok := e.(map[string]any)
			if !ok {
				continue // the schema has rejected it already
			}
			f := fields{file: file, ptr: fmt.Sprintf("%s/%d", ptr, i), m: m, pos: pos, log: log}
			reqs = append(reqs, nativeRequirement(f, def, format))
		}
	}
	switch x := v.(type) {
	case []any:
		readList(x, "", defaults{})
	case map[string]any:
		if _, ok := x["requirements"]; !ok {
			reqs = append(reqs, nativeRequirement(fields{file: file, m: x, pos: pos, log: log}, defaults{}, format))
			break
		}
		f := fields{file: file, m: x, pos: pos, log: log}
		def := defaults{item: f.text("item"), class: f.class("class"), typ: f.lower("type"), status: f.lower("status")}
		list, _ := x["requirements"].([]any)
		if len(list) == 0 {
			log.warnf(f.keyAt("requirements"), "requirements list is empty")
		}
		readList(list, "/requirements", def)
	}
	return reqs
}

// nativeRequirement reads the fields of docs/formats.md from one mapping;
// the Markdown format shares it for its front matter.
func nativeRequirement(f fields, def defaults, format string) model.Requirement {
	r := model.Requirement{
		ID:           f.id("id"),
		Title:        f.text("title"),
		Text:         f.text("text"),
		Type:         f.lower("type"),
		Item:         f.text("item"),
		Class:        f.class("class"),
		Parents:      f.list("parents", false),
		Derived:      f.flag("derived", false),
		RiskControls: f.list("risk_controls", false),
		Verification: f.verification("verification"),
		Evidence:     f.list("evidence", false),
		Tests:        f.list("tests", false),
		Status:       f.lower("status"),
		Source:       f.self(),
		Format:       format,
	}
	if !f.set("item") {
		r.Item = def.item
	}
	if !f.set("class") {
		r.Class = def.class
	}
	if !f.set("type") {
		r.Type = def.typ
	}
	if !f.set("status") {
		r.Status = def.status
	}
	return r
}

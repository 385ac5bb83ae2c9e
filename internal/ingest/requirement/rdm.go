package requirement

import (
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// RDM reads the software requirements of rdm, the Regulatory Documentation
// Manager (https://github.com/innolitics/rdm). rdm renders its documents
// with Jinja from the YAML files of the project's data/ folder, each file
// bound to a template variable named after it, so the requirements are
// data/requirements.yml. rdm's template (rdm/init_files/data/requirements.yml)
// writes a list of mappings:
//
//   - id: r-1
//     title: First Example Requirement
//     type: Functional
//     system_requirements: [SR-6]
//     description: A brief description of the requirement; should use the word "shall".
//     specifications: |
//     The specification should describe *how* the requirement is met.
//
// and the software requirements specification template renders id, title,
// description and system_requirements (its traceability tables). This reader
// maps id → ID, title → title, type → type, system_requirements → parents
// (absent for a software-only device, where system and software requirements
// are the same) and description → text. specifications, the "how", has no
// field of its own in the model; it follows the description in the text so
// that it is not lost. rdm's first template (init/data/requirements.yml)
// keyed the requirements by ID instead ("r-1: {type, description}"); that
// form is read too.
//
// rdm has no risk-control link, verification method or status for a
// requirement; the tracegate fields risk_controls, verification, status,
// class, item, evidence and tests are read when a team adds them. Any other
// key is reported once per file and ignored: rdm passes whatever the data
// holds to the templates, but tracegate cannot know what it means.
type RDM struct{}

func (RDM) Kind() ingest.Kind { return ingest.Requirements }
func (RDM) Format() string    { return "rdm" }

// rdmFields are the requirement keys rdm's templates use.
var rdmFields = []string{"id", "title", "type", "system_requirements", "description", "specifications", "category"}

// rdmKeyRE finds a key only rdm's requirements have, at any indentation.
var rdmKeyRE = lazyre.New(`^\s*(?:-\s+)?(?:system_requirements|specifications|description)\s*:`)

// Detect accepts requirements.yml (the name rdm's templates bind) holding a
// list or a mapping that is not one of the native shapes, when it has a key
// only rdm uses or sits beside rdm's system.yml.
func (RDM) Detect(fsys fs.FS, p string, head []byte) bool {
	if name := path.Base(p); name != "requirements.yml" && name != "requirements.yaml" {
		return false
	}
	lines := ingest.HeadLines(yamlsrc.Head(fsys, p, head))
	docs := scanHead(lines)
	if len(docs) == 0 {
		return false
	}
	if !docs[0].list && docs[0].keys["categories"] && docs[0].keys["requirements"] {
		return true // rdm's grouped form; the native format has no categories
	}
	if !docs[0].list && (docs[0].keys["id"] || docs[0].keys["requirements"]) {
		return false
	}
	// text and parents are the native format's, never rdm's: such a list
	// is a native file that happens to be named requirements.yml, and
	// reading it as rdm would drop its links.
	if docs[0].keys["text"] || docs[0].keys["parents"] {
		return false
	}
	if slices.ContainsFunc(lines, rdmKeyRE().MatchString) {
		return true
	}
	st, err := fs.Stat(fsys, path.Join(path.Dir(p), "system.yml"))
	return err == nil && st.Mode().IsRegular()
}

func (r RDM) Read(fsys fs.FS, p string) (*ingest.Items, error) {
	if err := ingest.MarkdownNotYAML(p, r.Format(), string(ingest.Requirements)); err != nil {
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
	if len(docs) > 1 {
		return nil, input.Errorf(yamlsrc.Pos(p, docs[1]), "holds %d YAML documents; rdm reads one", len(docs)).
			WithHint("remove the extra '---' document separator")
	}
	log := &report{}
	var v any
	var pos map[string]input.Pos
	if len(docs) == 1 {
		if v, pos, err = yamlsrc.Value(p, docs[0]); err != nil {
			return nil, err
		}
	}
	unknown := map[string]input.Pos{}
	var reqs []model.Requirement
	categories := map[string]string{} // rdm's grouped form: category ID → title
	read := func(f fields, id string, src input.Pos) {
		for k := range f.m {
			if !slices.Contains(rdmFields, k) && !slices.Contains(extensionKeys, k) {
				if p0, seen := unknown[k]; !seen || f.keyAt(k).Before(p0) {
					unknown[k] = f.keyAt(k)
				}
			}
		}
		req := model.Requirement{
			ID:      id,
			Title:   f.text("title"),
			Text:    ingest.JoinText(f.text("description"), f.text("specifications")),
			Type:    f.lower("type"),
			Parents: f.list("system_requirements", true),
			Source:  src,
			Format:  r.Format(),
		}
		if req.Type == "" {
			if c := f.text("category"); c != "" {
				if t := categories[c]; t != "" {
					c = t
				}
				req.Type = strings.ToLower(c)
			}
		}
		f.extensions(&req)
		reqs = append(reqs, req)
	}
	switch x := v.(type) {
	case nil:
	case []any:
		for i, e := range x {
			ptr := "/" + itoa(i)
			m, ok := e.(map[string]any)
			if !ok {
				log.errorf(yamlsrc.Lookup(pos, ptr), "", "[%d]: expected a requirement (a mapping with id, title, description ...), got %s", i, yamlsrc.Describe(e))
				continue
			}
			f := fields{file: p, ptr: ptr, m: m, pos: pos, log: log}
			read(f, f.id("id"), f.self())
		}
	case map[string]any:
		if _, grouped := x["requirements"]; grouped {
			readGrouped(p, x, pos, log, categories, read)
			break
		}
		top := fields{file: p, m: x, pos: pos, log: log}
		keys := sortedKeys(x)
		sort.SliceStable(keys, func(i, j int) bool { return top.keyAt(keys[i]).Before(top.keyAt(keys[j])) })
		for _, k := range keys {
			id := strings.TrimSpace(k)
			if id == "" {
				log.errorf(top.keyAt(k), "", "requirement with an empty ID")
				continue
			}
			f := top.mapping(k)
			read(f, id, top.keyAt(k))
		}
	default:
		return nil, input.Errorf(yamlsrc.Lookup(pos, ""), "expected a list of requirements, got %s", yamlsrc.Describe(v))
	}
	if len(reqs) == 0 && len(log.errs) == 0 {
		log.warnf(input.Pos{File: p}, "file holds no requirements")
	}
	keys := make([]string, 0, len(unknown))
	for k := range unknown {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return unknown[keys[i]].Before(unknown[keys[j]]) })
	for _, k := range keys {
		log.warnf(unknown[k], "key %q is neither an rdm requirement field nor a tracegate one; ignored in every requirement of this file", k)
	}
	items, err := log.items(reqs)
	if err != nil {
		return nil, err
	}
	class, err := rdmSafetyClass(fsys, path.Dir(p))
	if err != nil {
		return nil, err
	}
	if class != nil {
		items.Classes = append(items.Classes, *class)
	}
	return items, nil
}

// readGrouped reads rdm's grouped form: a mapping with a categories list
// and a requirements list whose entries name their category:
//
//	categories:
//	  - id: c-1
//	    title: Alarms
//	requirements:
//	  - id: r-1
//	    category: c-1
//	    title: ...
//
// which rdm's SRS template groups under a heading per category (innolitics/rdm
// issue #46). A requirement's category becomes its type when it has none, so
// that the trace groups it as rdm's document does.
func readGrouped(p string, top map[string]any, pos map[string]input.Pos, log *report, titles map[string]string, read func(fields, string, input.Pos)) {
	switch cats := top["categories"].(type) {
	case nil:
	case []any:
		for i, c := range cats {
			switch y := c.(type) {
			case map[string]any:
				f := fields{file: p, ptr: "/categories/" + itoa(i), m: y, pos: pos, log: log}
				title := f.text("title")
				if title == "" {
					title = f.text("name")
				}
				if id := f.text("id"); id != "" {
					titles[id] = title
				}
			case string:
				titles[y] = y
			default:
				log.errorf(yamlsrc.Lookup(pos, "/categories/"+itoa(i)), "", "categories[%d]: expected a category (id and title), got %s", i, yamlsrc.Describe(c))
			}
		}
	case map[string]any:
		for id, t := range cats {
			if s, ok := t.(string); ok {
				titles[id] = s
			} else {
				titles[id] = id
			}
		}
	default:
		log.errorf(yamlsrc.Lookup(pos, "/categories"), "", "categories: expected a list of categories, got %s", yamlsrc.Describe(cats))
	}
	for _, k := range sortedKeys(top) {
		if k != "categories" && k != "requirements" {
			log.warnf(yamlsrc.Lookup(pos, "/"+k+"#key"), "key %q is neither rdm's categories nor its requirements; ignored", k)
		}
	}
	list, ok := top["requirements"].([]any)
	if !ok {
		if top["requirements"] != nil {
			log.errorf(yamlsrc.Lookup(pos, "/requirements"), "", "requirements: expected a list of requirements, got %s", yamlsrc.Describe(top["requirements"]))
		}
		return
	}
	for i, e := range list {
		ptr := "/requirements/" + itoa(i)
		m, ok := e.(map[string]any)
		if !ok {
			log.errorf(yamlsrc.Lookup(pos, ptr), "", "requirements[%d]: expected a requirement (a mapping with id, title, description ...), got %s", i, yamlsrc.Describe(e))
			continue
		}
		f := fields{file: p, ptr: ptr, m: m, pos: pos, log: log}
		read(f, f.id("id"), f.self())
	}
}

// rdmSafetyClass reads the device's software safety class that rdm keeps
// beside the requirements: safety_class in device.yml (rdm's template since
// 2021), else in system.yml (older rdm). nil when neither states one. A
// value that is not A, B or C is an error: it would decide the gate.
func rdmSafetyClass(fsys fs.FS, dir string) (*model.DeclaredClass, error) {
	for _, name := range []string{"device.yml", "system.yml"} {
		p := path.Join(dir, name)
		st, err := fs.Stat(fsys, p)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		data, err := input.ReadAll(fsys, p, 0)
		if err != nil {
			return nil, err
		}
		docs, err := yamlsrc.Documents(p, data)
		if err != nil {
			return nil, err
		}
		if len(docs) == 0 {
			continue
		}
		v, pos, err := yamlsrc.Value(p, docs[0])
		if err != nil {
			return nil, err
		}
		m, _ := v.(map[string]any)
		raw, ok := m["safety_class"]
		if !ok || raw == nil {
			continue
		}
		at := yamlsrc.Lookup(pos, "/safety_class")
		at.File = p
		s, _ := raw.(string)
		c, err := model.ParseClass(s)
		if err != nil {
			return nil, input.Errorf(at, "safety_class: %v", err).
				WithHint("rdm's " + name + " states the IEC 62304 class of the whole system: A, B or C")
		}
		return &model.DeclaredClass{Class: c, Source: at}, nil
	}
	return nil, nil
}

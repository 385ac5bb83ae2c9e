package requirement

import (
	"errors"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// Doorstop reads the items of Doorstop document trees
// (https://github.com/doorstop-dev/doorstop, docs/reference/item.md). An item
// is one file named by its UID (prefix, separator, number: SRS-004.yml),
// either YAML or, in a document whose settings say itemformat: markdown,
// Markdown with the attributes in front matter and the header taken from the
// first level-1 heading. It maps:
//
//   - UID (the file name) → ID; header → title, or the first line of text
//   - text → text; links (UID or {UID: fingerprint}) → parents
//   - the document prefix → type, unless the item sets type
//   - active: true → status "active", unless the item sets status: Doorstop
//     has no other lifecycle state, and "active" is what the item says
//   - the extended attributes risk_controls, verification, status, class,
//     type, item, evidence and tests → the fields of the same name
//
// active: false items are excluded, as Doorstop excludes them from
// publishing and validation, and each is reported. normative: false items are
// headings, introductions and comments: Doorstop says they "should not have
// or be linked to" anything, so they are not requirements and are left out;
// only one that carries links or tracegate attributes anyway is reported.
// Doorstop allows any extended attribute, so others are kept out silently.
// derived → Derived; level, ref, references and reviewed have no field in
// the model.
type Doorstop struct{}

func (Doorstop) Kind() ingest.Kind { return ingest.Requirements }
func (Doorstop) Format() string    { return "doorstop" }

// Detect accepts .doorstop.yml itself and the item files of a document: the
// directory decides, not the content.
func (Doorstop) Detect(fsys fs.FS, p string, _ []byte) bool {
	name := path.Base(p)
	if name == doorstopConfig {
		return true
	}
	if !isYAML(name) && ext(name) != ".md" {
		return false
	}
	dir, ok := findDoorstopDocument(fsys, p)
	if !ok {
		return false
	}
	doc, err := loadDoorstopDocument(fsys, dir)
	if err != nil {
		// Claim the file so that Read reports the broken document,
		// rather than another reader misreading its items.
		return true
	}
	return doc.isItem(name)
}

func (d Doorstop) Read(fsys fs.FS, p string) (*ingest.Items, error) {
	if path.Base(p) == doorstopConfig {
		// The document configuration yields no items, but a broken one
		// must fail here rather than when its first item is read.
		if _, err := loadDoorstopDocument(fsys, path.Dir(p)); err != nil {
			return nil, err
		}
		return &ingest.Items{}, nil
	}
	dir, ok := findDoorstopDocument(fsys, p)
	if !ok {
		return nil, input.Errorf(input.Pos{File: p}, "not in a Doorstop document: no %s in its directory or above", doorstopConfig).
			WithHint("read it with another format, or add the document's " + doorstopConfig)
	}
	doc, err := loadDoorstopDocument(fsys, dir)
	if err != nil {
		return nil, err
	}
	data, err := input.ReadAll(fsys, p, 0)
	if err != nil {
		return nil, err
	}
	log := &report{}
	if _, err := fs.Stat(fsys, doorstopSkipAll); err == nil {
		log.warnf(input.Pos{File: p}, "Doorstop reads no document of this tree (%s at the repository root); item not read", doorstopSkipAll)
		return log.items(nil)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, input.Errorf(input.Pos{File: doorstopSkipAll}, "cannot stat: %v", err)
	}
	if doc.skip {
		log.warnf(input.Pos{File: p}, "Doorstop skips document %s (%s in %s); item not read", doc.prefix, doorstopSkip, doc.dir)
		return log.items(nil)
	}

	f, body, err := itemAttributes(p, data, ext(p) == ".md", log)
	if err != nil {
		return nil, err
	}
	uid := strings.TrimSuffix(path.Base(p), path.Ext(p))
	if !doc.isItem(path.Base(p)) {
		log.warnf(f.self(), "%s is not named like an item of document %s (UID prefix %s, %s items, per %s); read as item %s",
			path.Base(p), doc.dir, doc.prefix, doc.itemFormat, doc.config, uid)
	}
	active := f.flag("active", true)
	normative := f.flag("normative", true)
	links := f.links("links")
	if !active {
		log.warnf(f.at("active"), "%s is inactive (active: false) and is not read as a requirement", uid)
		return log.items(nil)
	}
	if !normative {
		if len(links) > 0 || slices.ContainsFunc(extensionKeys, f.set) {
			log.warnf(f.at("normative"), "%s is non-normative (normative: false), a heading or comment to Doorstop, so its links and attributes are not read", uid)
		}
		return log.items(nil)
	}

	header := f.text("header")
	text := f.text("text")
	if body != nil {
		// Markdown item: the first level-1 heading is the header, the
		// rest of the body the text.
		h, rest, found := ingest.FirstHeading(*body, true)
		if found {
			header = h
		}
		if t := strings.TrimSpace(rest); t != "" || !f.set("text") {
			text = t
		}
	}
	title := header
	if title == "" {
		title = firstLine(text)
	}
	r := model.Requirement{
		ID:      uid,
		Title:   title,
		Text:    text,
		Type:    strings.ToLower(doc.prefix),
		Parents: links,
		Derived: f.flag("derived", false),
		Status:  "active",
		Source:  f.self(),
		Format:  d.Format(),
	}
	f.extensions(&r)
	return log.items([]model.Requirement{r})
}

// itemAttributes parses an item file into its attributes and, for a
// Markdown item, its body.
func itemAttributes(p string, data []byte, markdown bool, log *report) (fields, *string, error) {
	var body *string
	var v any
	pos := map[string]input.Pos{"": {File: p, Line: 1, Col: 1}}
	if markdown {
		fm, ok, err := ingest.SplitFrontMatter(p, data)
		if err != nil {
			return fields{}, nil, err
		}
		s := string(data)
		if ok {
			s = fm.Body
			if v, pos, err = fm.Value(p); err != nil {
				return fields{}, nil, err
			}
		}
		body = &s
	} else {
		docs, err := yamlsrc.Documents(p, data)
		if err != nil {
			return fields{}, nil, err
		}
		if len(docs) > 1 {
			return fields{}, nil, input.Errorf(yamlsrc.Pos(p, docs[1]), "holds %d YAML documents; a Doorstop item is one", len(docs))
		}
		if len(docs) == 1 {
			if v, pos, err = yamlsrc.Value(p, docs[0]); err != nil {
				return fields{}, nil, err
			}
		}
	}
	m, err := mappingOf(p, v, pos, "a Doorstop item")
	if err != nil {
		return fields{}, nil, err
	}
	if _, ok := pos[""]; !ok || pos[""].Line == 0 {
		pos[""] = input.Pos{File: p, Line: 1, Col: 1}
	}
	return fields{file: p, m: m, pos: pos, log: log}, body, nil
}

// flag reads a boolean attribute the way Doorstop does. Doorstop parses
// YAML 1.1 (PyYAML), where yes, no, on and off are booleans; this parser
// reads YAML 1.2, where they are text, so they are taken as booleans here.
// Other values go through Doorstop's to_bool (doorstop/core/types.py): text
// is true when it is yes, true, enabled or 1, anything else by Python truth,
// and they are reported, since the value decides whether the item is read.
func (f fields) flag(key string, def bool) bool {
	v, ok := f.m[key]
	if !ok {
		return def
	}
	var b bool
	switch x := v.(type) {
	case bool:
		return x
	case string:
		word := strings.ToLower(strings.TrimSpace(x))
		switch word {
		case "yes", "on":
			return true // a YAML 1.1 boolean, as Doorstop's parser (PyYAML) reads it
		case "no", "off":
			return false
		}
		b = slices.Contains([]string{"yes", "true", "enabled", "1"}, word)
	case float64:
		b = x != 0
	case nil:
		b = false
	case []any:
		b = len(x) > 0
	case map[string]any:
		b = len(x) > 0
	}
	f.log.warnf(f.at(key), "%s: %s read as %t, as Doorstop reads it; write true or false", f.name(key), yamlsrc.Describe(v), b)
	return b
}

// links reads Doorstop's links: a list whose entries are a parent UID, or a
// mapping of one parent UID to the parent's fingerprint when the link was
// reviewed (null when not).
func (f fields) links(key string) []string {
	v := f.m[key]
	if v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		f.log.errorf(f.at(key), "", "%s: expected a list of parent UIDs, got %s", f.name(key), yamlsrc.Describe(v))
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for i, e := range list {
		p := yamlsrc.Lookup(f.pos, f.child(key)+"/"+itoa(i))
		var uid string
		switch x := e.(type) {
		case string:
			uid = x
		case map[string]any:
			if len(x) != 1 {
				f.log.errorf(p, "write one parent per entry: - SYS-001: <fingerprint>", "%s[%d]: expected one parent UID, got %d keys", f.name(key), i, len(x))
				continue
			}
			for k, stamp := range x {
				if _, ok := stamp.(string); !ok && stamp != nil {
					f.log.errorf(p, "", "%s[%d]: fingerprint of %s: expected text, got %s", f.name(key), i, k, yamlsrc.Describe(stamp))
				}
				uid = k
			}
		default:
			f.log.errorf(p, "quote the value if it is meant as a UID", "%s[%d]: expected a parent UID, got %s", f.name(key), i, yamlsrc.Describe(e))
			continue
		}
		uid = strings.TrimSpace(uid)
		switch {
		case uid == "":
			f.log.warnf(p, "%s: empty entry ignored", f.name(key))
		case seen[uid]:
			f.log.warnf(p, "%s: %s is listed more than once; read once", f.name(key), uid)
		default:
			seen[uid] = true
			out = append(out, uid)
		}
	}
	return out
}

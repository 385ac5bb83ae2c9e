package requirement

import (
	"errors"
	"io/fs"
	"math"
	"path"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// Doorstop keeps one document per directory: .doorstop.yml holds its
// settings, and every item file below it (down to the next directory with its
// own .doorstop.yml) is an item. See doorstop/core/document.py (Document.load
// and Document._iter) of doorstop-dev/doorstop.
const (
	doorstopConfig  = ".doorstop.yml"
	doorstopSkip    = ".doorstop.skip"     // in a document directory: the document is left out of the tree
	doorstopSkipAll = ".doorstop.skip-all" // at the root: no document is read
)

// maxConfigSize bounds .doorstop.yml; real ones are a few hundred bytes.
const maxConfigSize = 1 << 20

// doorstopDocument is a document's settings as .doorstop.yml gives them,
// with Doorstop's defaults for what it leaves out.
type doorstopDocument struct {
	dir        string // the document directory, slash-separated
	config     string // path of its .doorstop.yml
	prefix     string // UID prefix, "REQ" by default
	sep        string
	digits     int
	parent     string
	itemFormat string // yaml (the default) or markdown
	skip       bool   // .doorstop.skip is present
}

// findDoorstopDocument returns the directory of the nearest .doorstop.yml at
// or above the directory of p, as Doorstop assigns an item to the document
// whose directory holds it most closely.
func findDoorstopDocument(fsys fs.FS, p string) (string, bool) {
	for dir := path.Dir(p); ; dir = path.Dir(dir) {
		if st, err := fs.Stat(fsys, path.Join(dir, doorstopConfig)); err == nil && st.Mode().IsRegular() {
			return dir, true
		}
		if dir == "." || dir == "/" {
			return "", false
		}
	}
}

// doorstopSettings are the keys Doorstop accepts under settings; it fails
// on any other ("unexpected document setting"), and so does this reader.
var doorstopSettings = []string{"prefix", "sep", "digits", "parent", "itemformat"}

// doorstopAttributes are the keys Doorstop accepts under attributes.
var doorstopAttributeKeys = []string{"defaults", "reviewed", "publish"}

// loadDoorstopDocument reads and checks the .doorstop.yml of dir. Keys
// outside settings and attributes (enumerations, macros, extensions) are
// Doorstop extensions and plug-in data; Doorstop ignores them and so does
// this reader. attributes.defaults is applied by Doorstop when it creates an
// item ("doorstop add"), which writes the values into the item file, so it is
// checked here but not applied to items read.
func loadDoorstopDocument(fsys fs.FS, dir string) (*doorstopDocument, error) {
	cfg := path.Join(dir, doorstopConfig)
	doc := &doorstopDocument{dir: dir, config: cfg, prefix: "REQ", digits: 3, itemFormat: "yaml"}
	if _, err := fs.Stat(fsys, path.Join(dir, doorstopSkip)); err == nil {
		doc.skip = true
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, input.Errorf(input.Pos{File: path.Join(dir, doorstopSkip)}, "cannot stat: %v", err)
	}
	data, err := input.ReadAll(fsys, cfg, maxConfigSize)
	if err != nil {
		return nil, err
	}
	docs, err := yamlsrc.Documents(cfg, data)
	if err != nil {
		return nil, err
	}
	if len(docs) > 1 {
		return nil, input.Errorf(yamlsrc.Pos(cfg, docs[1]), "holds %d YAML documents; a Doorstop document configuration is one", len(docs))
	}
	if len(docs) == 0 {
		return doc, nil
	}
	v, pos, err := yamlsrc.Value(cfg, docs[0])
	if err != nil {
		return nil, err
	}
	root, err := mappingOf(cfg, v, pos, "a Doorstop document configuration")
	if err != nil {
		return nil, err
	}
	log := &report{}
	top := fields{file: cfg, m: root, pos: pos, log: log}
	settings := top.mapping("settings")
	for _, k := range sortedKeys(settings.m) {
		if !slices.Contains(doorstopSettings, k) {
			log.errorf(settings.keyAt(k), "Doorstop accepts "+strings.Join(doorstopSettings, ", "), "unexpected document setting %q", k)
		}
	}
	if settings.set("prefix") {
		doc.prefix = settings.text("prefix")
		if doc.prefix == "" {
			log.errorf(settings.at("prefix"), "", "settings.prefix is empty")
		}
	}
	if settings.set("sep") {
		// Doorstop's settings.SEP_CHARS.
		if doc.sep = settings.text("sep"); doc.sep != "" && !slices.Contains([]string{"-", "_", "."}, doc.sep) {
			log.errorf(settings.at("sep"), "use '-', '_', '.' or ''", "invalid UID separator %q", doc.sep)
		}
	}
	if settings.set("digits") {
		n, ok := settings.m["digits"].(float64)
		if !ok || n < 1 || n != math.Trunc(n) || n > 100 {
			log.errorf(settings.at("digits"), "", "settings.digits: expected a positive whole number, got %s", yamlsrc.Describe(settings.m["digits"]))
		} else {
			doc.digits = int(n)
		}
	}
	if settings.set("parent") {
		doc.parent = settings.text("parent")
	}
	if settings.set("itemformat") {
		switch f := settings.lower("itemformat"); f {
		case "yaml", "markdown":
			doc.itemFormat = f
		default:
			log.errorf(settings.at("itemformat"), "use yaml or markdown", "settings.itemformat: unknown item format %q", f)
		}
	}
	attrs := top.mapping("attributes")
	for _, k := range sortedKeys(attrs.m) {
		if !slices.Contains(doorstopAttributeKeys, k) {
			log.errorf(attrs.keyAt(k), "Doorstop accepts "+strings.Join(doorstopAttributeKeys, ", "), "unexpected attributes configuration %q", k)
		}
	}
	attrs.mapping("defaults")
	attrs.list("reviewed", false)
	attrs.list("publish", false)
	if len(log.errs) > 0 {
		yamlsrc.SortErrors(log.errs)
		return nil, log.errs
	}
	return doc, nil
}

// isItem reports whether the file name is one of the document's items: its
// extension is the document's item format and its name starts with the
// prefix, as every UID does (Doorstop compares prefixes without case).
func (d *doorstopDocument) isItem(name string) bool {
	e := ext(name)
	switch d.itemFormat {
	case "markdown":
		if e != ".md" {
			return false
		}
	default:
		if e != ".yml" && e != ".yaml" {
			return false
		}
	}
	uid := strings.TrimSuffix(name, path.Ext(name))
	return len(uid) > len(d.prefix) && strings.EqualFold(uid[:len(d.prefix)], d.prefix)
}

// mapping returns the mapping under key as fields, reporting anything but a
// mapping or null.
func (f fields) mapping(key string) fields {
	sub := fields{file: f.file, ptr: f.child(key), pos: f.pos, log: f.log, m: map[string]any{}}
	switch v := f.m[key].(type) {
	case nil:
	case map[string]any:
		sub.m = v
	default:
		f.log.errorf(f.at(key), "", "%s: expected a mapping, got %s", f.name(key), yamlsrc.Describe(v))
	}
	return sub
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

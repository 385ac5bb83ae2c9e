package soupreg

import (
	"io/fs"
	"sort"

	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/yamlsrc"
	"github.com/tracegate/tracegate/schema"
)

// The formats a register is read in; SOUPItem.Format names one of them.
const (
	// FormatNative is tracegate's soup.yml (docs/formats.md).
	FormatNative = "tracegate"
	// FormatRDM is rdm's data/soup.yml (see rdm.go).
	FormatRDM = "rdm"
	// FormatComponents (components.go) is the risk-management template's
	// soup.yaml.
)

// Read reads the SOUP register at path in fsys: a Markdown file (by its
// name) as Markdown tables whose columns are the defaults of soupColumns
// or the policy's soup.columns, else YAML in either format (see Parse).
func Read(fsys fs.FS, path string, columns map[string]string) ([]model.SOUPItem, []input.Warning, error) {
	data, err := input.ReadAll(fsys, path, 0)
	if err != nil {
		return nil, nil, err
	}
	if isMarkdownName(path) {
		return parseMarkdown(path, data, columns)
	}
	if len(columns) > 0 {
		return nil, nil, input.Errorf(input.Pos{File: path}, "the policy's soup.columns maps the columns of a Markdown table, and the register is YAML").
			WithHint("leave soup.columns out for a YAML register, or keep the register as a Markdown table (a .md file)")
	}
	return Parse(path, data)
}

// Parse reads a SOUP register. The format is told from the content: a
// mapping with a soup list is native; a bare list is rdm's when an entry
// has a key only rdm uses (anomaly_reference, anomalies,
// relevant_anomalies), native when an entry has a key only the native
// format uses (name, environment), and otherwise rdm's when its entries
// have a title (rdm names a SOUP by its title), else native.
//
// Every item carries the position of its entry and its format. A file with
// any error yields no items: a half-read register would look complete.
// Entries that duplicate another (same package URL, or same name) are kept
// and reported as warnings, for validate to flag.
func Parse(path string, data []byte) ([]model.SOUPItem, []input.Warning, error) {
	r, err := parse(path, data)
	if err != nil {
		return nil, nil, err
	}
	return r.items, r.warns, nil
}

// register is a parsed register file: what it holds and, for Sync, its
// YAML tree.
type register struct {
	format string
	items  []model.SOUPItem
	warns  []input.Warning
	// root is the document's top node; nil when the file holds no
	// document (empty, or comments only).
	root *yaml.Node
}

const schemaURL = "https://github.com/tracegate/tracegate/schema/soup.schema.json"

var soupSchema = yamlsrc.CompileOnce(schemaURL, schema.SOUP)

const unknownKeyHint = "check the spelling against schema/soup.schema.json: an unknown key is an error so that a typo never drops an anomaly review; keys of your own start with x-"

func parse(path string, data []byte) (*register, error) {
	docs, err := yamlsrc.Documents(path, data)
	if err != nil {
		return nil, err
	}
	if len(docs) > 1 {
		return nil, input.Errorf(yamlsrc.Pos(path, docs[1]), "file holds %d YAML documents, expected one", len(docs)).
			WithHint("remove the '---' separator: the register is one document")
	}
	r := &register{format: FormatNative}
	if len(docs) == 0 || len(docs[0].Content) == 0 {
		r.warns = append(r.warns, input.Warnf(input.Pos{File: path}, "SOUP register is empty"))
		return r, nil
	}
	r.root = docs[0].Content[0]
	v, pos, err := yamlsrc.Value(path, docs[0])
	if err != nil {
		return nil, err
	}
	d := &decoder{file: path, data: data, pos: pos}
	var ptrs []string
	switch x := v.(type) {
	case nil:
		d.warn(d.at(""), "SOUP register is empty")
	case []any:
		if isRDM(x) {
			r.format = FormatRDM
			r.items, ptrs = d.rdm(x)
			break
		}
		r.items, ptrs = d.native(v)
	case map[string]any:
		if isComponents(x) {
			r.format = FormatComponents
			r.items, ptrs = d.components(x)
			break
		}
		r.items, ptrs = d.native(v)
	default:
		d.fail(d.at(""), "start the file with soup: and list the entries below it", "expected a soup: list of SOUP entries, got %s", yamlsrc.Describe(v))
	}
	if len(d.errs) == 0 {
		d.check(r.items, ptrs)
	}
	if len(d.errs) > 0 {
		yamlsrc.SortErrors(d.errs)
		return nil, d.errs
	}
	sort.SliceStable(d.warns, func(i, j int) bool { return d.warns[i].Pos.Before(d.warns[j].Pos) })
	r.warns = append(r.warns, d.warns...)
	return r, nil
}

// native reads a schema-valid native register. It returns the items and
// the JSON pointer of each entry.
func (d *decoder) native(v any) ([]model.SOUPItem, []string) {
	sch, err := soupSchema()
	if err != nil {
		d.fail(input.Pos{File: d.file}, "", "%v", err)
		return nil, nil
	}
	if errs := yamlsrc.Validate(sch, v, d.pos, unknownKeyHint); len(errs) > 0 {
		d.errs = append(d.errs, d.withQuoteHints(errs, v)...)
		return nil, nil
	}
	// The schema guarantees the shape from here on.
	list, base := []any(nil), ""
	switch x := v.(type) {
	case []any:
		list = x
	case map[string]any:
		list, _ = x["soup"].([]any)
		base = "/soup"
	}
	if len(list) == 0 {
		d.warn(d.keyAt(base), "SOUP register lists no SOUP")
	}
	var items []model.SOUPItem
	var ptrs []string
	for i, e := range list {
		ptr := index(base, i)
		items = append(items, d.nativeEntry(ptr, e.(map[string]any)))
		ptrs = append(ptrs, ptr)
	}
	return items, ptrs
}

func (d *decoder) nativeEntry(ptr string, m map[string]any) model.SOUPItem {
	it := model.SOUPItem{
		Name:          d.text(ptr, m, "name"),
		PURL:          d.text(ptr, m, "purl"),
		Title:         d.text(ptr, m, "title"),
		Manufacturer:  d.text(ptr, m, "manufacturer"),
		Version:       d.text(ptr, m, "version"),
		Identifier:    d.text(ptr, m, "identifier"),
		Purpose:       d.text(ptr, m, "purpose"),
		License:       d.text(ptr, m, "license"),
		Requirements:  d.text(ptr, m, "requirements"),
		Environment:   d.text(ptr, m, "environment"),
		RiskLevel:     d.text(ptr, m, "risk_level"),
		Verification:  d.text(ptr, m, "verification"),
		Items:         d.list(ptr, m, "items"),
		AnomalyReview: d.review(ptr, m, "anomaly_review"),
		Source:        d.at(ptr),
		Format:        FormatNative,
	}
	if it.Name == "" {
		p := child(ptr, "name")
		d.fail(d.at(p), "write the package name as the SBOM does: entries are matched to components by purl, else by this name",
			"%s is blank", yamlsrc.DottedKey(p))
	}
	return it
}

package soup

import (
	"strings"
	"time"

	"github.com/package-url/packageurl-go"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/osv"
)

// ListSchema identifies the JSON form of List.
const ListSchema = "tracegate.soup/v1"

// List is the SOUP list: every component of the product's SBOMs with its
// register entry and, when looked up, its known anomalies.
type List struct {
	Schema     string      `json:"schema"`
	Documents  []Document  `json:"documents"`
	Components []ListEntry `json:"components"`
	// Stale are register entries no SBOM component matched: SOUP the
	// register describes but the product no longer contains.
	Stale []model.SOUPItem `json:"stale_register_entries"`
	// Register is the register file, empty when none was given.
	Register string `json:"register,omitempty"`
	// FromRegister is set when no SBOM was read and the register's entries
	// are the SOUP list (FromRegister): what the register asserts is
	// judged, but nothing shows that it names everything in the product.
	FromRegister bool `json:"from_register,omitempty"`
	// Anomalies says which database was consulted and when; nil when
	// anomalies were not looked up.
	Anomalies *AnomalySource  `json:"anomaly_source,omitempty"`
	Warnings  []input.Warning `json:"warnings,omitempty"`
}

// Document is one SBOM file read.
type Document struct {
	File         string          `json:"file"`
	Format       string          `json:"format"`
	SpecVersion  string          `json:"spec_version"`
	PackagesRead int             `json:"packages_read"`
	Components   int             `json:"components"`
	Root         string          `json:"root,omitempty"`
	Warnings     []input.Warning `json:"warnings"`
}

// ListEntry is one component of the SOUP list.
type ListEntry struct {
	Name     string   `json:"name"`
	Group    string   `json:"group,omitempty"`
	Version  string   `json:"version"`
	Supplier string   `json:"supplier"`
	PURL     string   `json:"purl"`
	CPEs     []string `json:"cpes,omitempty"`
	Licenses []string `json:"licenses"`
	Direct   *bool    `json:"direct"` // null: the SBOM does not tell
	Type     string   `json:"type,omitempty"`
	NotSOUP  bool     `json:"not_soup,omitempty"` // hardware or data, not software
	// The rest of what the SBOM says, once: the flat fields above are the
	// list's columns, the component itself is not repeated in JSON.
	SupplierFrom     string            `json:"supplier_from,omitempty"`
	LicenseDetails   []model.License   `json:"license_details,omitempty"`
	Hashes           map[string]string `json:"hashes,omitempty"`
	DownloadLocation string            `json:"download_location,omitempty"`
	Ecosystem        string            `json:"ecosystem,omitempty"`
	Dependency       model.Dependency  `json:"dependency"`
	ElementID        string            `json:"element_id,omitempty"`
	Source           input.Pos         `json:"source"`
	Elements         int               `json:"elements"`
	Component        model.Component   `json:"-"`
	Register         *model.SOUPItem   `json:"register"`
	MatchedBy        string            `json:"matched_by,omitempty"`
	Documents        []string          `json:"documents"`
	Anomalies        *AnomalyLookup    `json:"anomalies,omitempty"`
}

// AnomalySource is the anomaly database consulted.
type AnomalySource struct {
	Source string    `json:"source"`
	At     time.Time `json:"at"`
}

// AnomalyLookup is what the database said about the exact version.
type AnomalyLookup struct {
	Status    osv.Status  `json:"status"`
	Reason    string      `json:"reason,omitempty"`
	Anomalies []osv.Match `json:"found"`
	Withdrawn []osv.Match `json:"withdrawn,omitempty"`
}

// Build makes the SOUP list of the documents against the register.
// Components present in several documents appear once, naming each.
func Build(docs []*model.SBOM, register []model.SOUPItem, registerFile string) *List {
	l := &List{Schema: ListSchema, Register: registerFile, Documents: []Document{}, Components: []ListEntry{}, Stale: []model.SOUPItem{}}
	n := 0
	for _, d := range docs {
		n += len(d.Components)
	}
	// all are the components not already taken. Sized up front: components
	// are large, and growing it by doubling cost more than the rest of the
	// list. One document's own list is taken as it is while it holds no
	// key twice (its reader merged them), without a copy.
	var all []model.Component
	copied := len(docs) != 1
	if copied {
		all = make([]model.Component, 0, n)
	}
	// docsOf holds, per component, the documents naming it; its keys are
	// the components already taken.
	docsOf := make(map[model.ComponentKey][]string, n)
	for _, d := range docs {
		doc := Document{File: d.File, Format: string(d.Format), SpecVersion: d.SpecVersion, PackagesRead: d.PackagesRead,
			Components: len(d.Components), Warnings: d.Warnings}
		if doc.Warnings == nil {
			doc.Warnings = []input.Warning{}
		}
		if d.Root != nil {
			doc.Root = d.Root.Key().String()
		}
		l.Documents = append(l.Documents, doc)
		l.Warnings = append(l.Warnings, d.Warnings...)
		for i := range d.Components {
			c := &d.Components[i]
			k := c.Key()
			prev, ok := docsOf[k]
			docsOf[k] = append(prev, d.File)
			switch {
			case ok && !copied:
				all = append(make([]model.Component, 0, n), d.Components[:i]...)
				copied = true
			case !ok && copied:
				all = append(all, *c)
			}
		}
	}
	if !copied {
		all = docs[0].Components
	}
	entries, stale := Match(all, register)
	SortEntries(entries)
	l.Components = make([]ListEntry, 0, len(entries))
	for _, e := range entries {
		l.Components = append(l.Components, entryOf(e, docsOf[e.Component.Key()]))
	}
	for _, s := range stale {
		l.Stale = append(l.Stale, *s)
	}
	return l
}

// ByRegister is how a list entry made from the register alone is matched.
const ByRegister = "register"

// FromRegister makes the SOUP list of a register read without an SBOM:
// each entry is a SOUP item, described by what the register asserts (name,
// version, purl with the version, manufacturer as supplier, licence,
// identifier as a CPE when it is one), so that the rules judge every entry
// as they would judge a component it matched. Nothing is stale: there is no
// SBOM to compare with.
func FromRegister(register []model.SOUPItem, registerFile string) *List {
	l := &List{Schema: ListSchema, Register: registerFile, FromRegister: true, Documents: []Document{}, Components: []ListEntry{}, Stale: []model.SOUPItem{}}
	entries := make([]Entry, 0, len(register))
	for i := range register {
		it := &register[i]
		c := model.Component{Name: it.Name, Version: it.Version, Supplier: it.Manufacturer, PURL: registerPURL(it), Source: it.Source, Format: "register", Elements: 1}
		if it.License != "" {
			c.Licenses = []model.License{{Expression: it.License}}
		}
		if strings.HasPrefix(it.Identifier, "cpe:") {
			c.CPEs = []string{it.Identifier}
		}
		if c.PURL != "" {
			if p, err := packageurl.FromString(c.PURL); err == nil {
				c.Ecosystem = p.Type
				if p.Type == "maven" || p.Type == "npm" { // as the SBOM readers take a group
					c.Group = p.Namespace
				}
			}
		}
		entries = append(entries, Entry{Component: c, Item: it, By: ByRegister})
	}
	SortEntries(entries)
	for _, e := range entries {
		l.Components = append(l.Components, entryOf(e, []string{registerFile}))
	}
	return l
}

// registerPURL is the entry's purl with the version in use, "" when it has
// none; a purl that does not parse is kept as written.
func registerPURL(it *model.SOUPItem) string {
	if it.PURL == "" {
		return ""
	}
	p, err := packageurl.FromString(it.PURL)
	if err != nil || it.Version == "" || p.Version != "" {
		return it.PURL
	}
	p.Version = it.Version
	return p.ToString()
}

func entryOf(e Entry, docs []string) ListEntry {
	c := e.Component
	le := ListEntry{Name: c.Name, Group: c.Group, Version: c.Version, Supplier: c.Supplier, PURL: c.PURL, CPEs: c.CPEs,
		Type: c.Type, NotSOUP: NotSOUP(c), Component: c, Register: e.Item, MatchedBy: e.By, Documents: docs, Licenses: []string{},
		SupplierFrom: c.SupplierFrom, LicenseDetails: c.Licenses, Hashes: c.Hashes, DownloadLocation: c.DownloadLocation,
		Ecosystem: c.Ecosystem, Dependency: c.Dependency, ElementID: c.ElementID, Source: c.Source, Elements: c.Elements}
	for _, lic := range c.Licenses {
		le.Licenses = append(le.Licenses, lic.Expression)
	}
	switch c.Dependency {
	case model.DependencyDirect:
		t := true
		le.Direct = &t
	case model.DependencyTransitive:
		f := false
		le.Direct = &f
	}
	return le
}

// AddAnomalies records an anomaly lookup on the list. The report's results
// are in the order of Packages(l).
func (l *List) AddAnomalies(r *osv.Report) {
	l.Anomalies = &AnomalySource{Source: r.Source, At: r.At}
	l.Warnings = append(l.Warnings, r.Warnings...)
	for i := range l.Components {
		if i >= len(r.Results) {
			break
		}
		res := r.Results[i]
		found := res.Anomalies
		if found == nil {
			found = []osv.Match{}
		}
		l.Components[i].Anomalies = &AnomalyLookup{Status: res.Status, Reason: res.Reason, Anomalies: found, Withdrawn: res.Withdrawn}
	}
}

// Packages are the list's components as OSV packages, in list order.
func Packages(l *List) []osv.Package {
	out := make([]osv.Package, len(l.Components))
	for i, e := range l.Components {
		out[i] = osv.Package{Name: e.Name, Version: e.Version, PURL: e.PURL}
	}
	return out
}

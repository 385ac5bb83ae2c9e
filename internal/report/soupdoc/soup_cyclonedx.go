package soupdoc

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/report"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/google/uuid"
	"github.com/package-url/packageurl-go"

	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/osv"
	"github.com/tracegate/tracegate/internal/soup"
)

// The SOUP list as a CycloneDX 1.6 JSON BOM.
//
// Components: one per list entry, with name, group, version, purl, the
// first CPE (the others as tracegate:sbom:cpe properties), the licenses
// the SBOM stated (declared or concluded; licenses a tool only detected go
// to evidence.licenses) and the supplier the SBOM named, in the field it
// came from (supplier, manufacturer, publisher or authors). A license list
// of exactly one statement is written as an SPDX expression; several, which
// CycloneDX allows only as license objects, as licenses named by their
// expression, each with its acknowledgement.
//
// The register's fields are component properties (CycloneDX allows
// repeated names; empty values are left out):
//
//	tracegate:soup:status                    registered | not-registered | not-soup
//	tracegate:soup:registered                true | false
//	tracegate:soup:matched_by                purl | name
//	tracegate:soup:title, :manufacturer, :version, :identifier, :license
//	tracegate:soup:purpose
//	tracegate:soup:requirements              IEC 62304 5.3.3
//	tracegate:soup:environment               IEC 62304 5.3.4
//	tracegate:soup:risk_level
//	tracegate:soup:verification
//	tracegate:soup:item                      one per software item using it
//	tracegate:soup:source                    register file:line
//	tracegate:soup:anomaly_review:version, :date, :reviewer, :summary
//	tracegate:soup:anomaly_review:source     one per anomaly list consulted
//	tracegate:soup:anomaly_review:covers_version_in_use   true | false
//	tracegate:soup:dependency                direct | transitive | unknown
//	tracegate:soup:supplier_source           register manufacturer | SBOM supplier | …
//	tracegate:sbom:document                  one per SBOM file listing it
//	tracegate:sbom:type                      the SBOM's type when CycloneDX has no such type
//	tracegate:sbom:version                   the version when it is too long for CycloneDX (1,024 characters)
//	tracegate:osv:status                     checked | not-checked | not looked up
//	tracegate:osv:reason                     why not checked
//	tracegate:osv:withdrawn                  one per withdrawn record seen
//
// Anomalies are vulnerabilities, one per component × anomaly (an analysis
// is about one component): id and source (OSV), aliases as references,
// ratings (each CVSS vector of the record with its method, the database's
// severity word as method "other"; no score is computed), summary and
// details, published and modified dates, and affects → the component's
// bom-ref with the version in use, status "affected", or "unknown" when
// the match is indeterminate. Properties: tracegate:osv:match (affected |
// indeterminate), tracegate:osv:evidence, tracegate:osv:coordinate,
// tracegate:soup:anomaly_review:assessed (assessed | not assessed |
// assessed for another version) and …:assessment (the text, as written).
//
// analysis is set only when a review of the version in use assesses the
// anomaly (by its id or an alias); a review of another version does not
// count. The state is read from the start of the assessment text and is
// never more favourable than the text says: "not applicable", "not
// affected" → not_affected; "mitigated", "protected by" → not_affected
// with justification protected_by_mitigating_control; "false positive" →
// false_positive; "fixed", "patched", "resolved" → resolved; "exploitable",
// "affected", "accepted", "risk accepted" → exploitable; anything else →
// in_triage. analysis.detail holds the assessment as written.
//
// The BOM is reproducible: bom-refs derive from the purl (else group,
// name, version and supplier), the timestamp is SOUPOptions.Generated
// (absent when zero), and the serialNumber is a name-based (v5) UUID of
// the BOM's content without it.

const (
	propSOUP   = "tracegate:soup:"
	propReview = "tracegate:soup:anomaly_review:"
	propSBOM   = "tracegate:sbom:"
	propOSV    = "tracegate:osv:"
	propDoc    = "tracegate:document:"

	// cdxVersionMax is the longest version the CycloneDX 1.6 schema allows.
	cdxVersionMax = 1024
	productRef    = "tracegate:product"
)

// soupBOMNamespace is the UUID namespace of SOUP BOM serial numbers.
var soupBOMNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/tracegate/tracegate/soup-bom"))

func soupCycloneDX(w io.Writer, l *soup.List, opts Options) error {
	v := NewView(l, opts)
	bom := cdx.NewBOM()
	bom.SpecVersion = cdx.SpecVersion1_6
	bom.JSONSchema = "http://cyclonedx.org/schema/bom-1.6.schema.json"
	bom.Version = 1
	bom.Metadata = cdxMetadata(v)

	refs := newRefSet(productRef)
	comps := make([]cdx.Component, len(v.Rows))
	var vulns []cdx.Vulnerability
	for i := range v.Rows {
		r := &v.Rows[i]
		ref := refs.add(entryRef(r.E))
		comps[i] = cdxComponent(r, ref)
		vulns = append(vulns, cdxVulnerabilities(r, ref)...)
	}
	if len(comps) > 0 {
		bom.Components = &comps
	}
	if len(vulns) > 0 {
		bom.Vulnerabilities = &vulns
	}

	// The serial number names the content: encode without it, hash, set.
	var buf bytes.Buffer
	if err := encodeBOM(&buf, bom); err != nil {
		return err
	}
	bom.SerialNumber = "urn:uuid:" + uuid.NewSHA1(soupBOMNamespace, buf.Bytes()).String()
	buf.Reset()
	if err := encodeBOM(&buf, bom); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func encodeBOM(w io.Writer, bom *cdx.BOM) error {
	// Encode, not EncodeVersion: the BOM is built as 1.6 and EncodeVersion
	// would round-trip it through gob for nothing.
	if err := cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON).SetPretty(true).Encode(bom); err != nil {
		return fmt.Errorf("encoding the CycloneDX BOM: %w", err)
	}
	return nil
}

func cdxMetadata(v *View) *cdx.Metadata {
	tool := cdx.Component{Type: cdx.ComponentTypeApplication, Name: "tracegate", Version: strings.TrimSpace(v.Opts.ToolVersion)}
	if c := strings.TrimSpace(v.Opts.Commit); c != "" {
		tool.Properties = &[]cdx.Property{{Name: "tracegate:commit", Value: c}}
	}
	md := &cdx.Metadata{Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{tool}}}
	if !v.Opts.Generated.IsZero() {
		md.Timestamp = v.Opts.Generated.UTC().Format(time.RFC3339)
	}
	md.Component = productComponent(v)
	var props props
	props.add(propDoc+"id", v.Opts.DocumentID)
	props.add(propDoc+"revision", v.Opts.Revision)
	props.add(propSOUP+"register", v.L.Register)
	if a := v.L.Anomalies; a != nil {
		props.add(propOSV+"source", a.Source)
		if !a.At.IsZero() {
			props.add(propOSV+"at", a.At.UTC().Format(time.RFC3339))
		}
	} else {
		props.add(propOSV+"status", lookupNotMade)
	}
	for _, d := range v.L.Documents {
		props.add(propSBOM+"document", fmt.Sprintf("%s (%s %s, %s, %s)", d.File, d.Format, d.SpecVersion,
			report.Plural(d.PackagesRead, "package read", "packages read"), report.Plural(len(d.Warnings), "warning", "warnings")))
	}
	for _, it := range v.L.Stale {
		s := it.Name
		if it.PURL != "" {
			s += " (" + it.PURL + ")"
		}
		props.add(propSOUP+"stale_register_entry", s)
	}
	md.Properties = props.list()
	return md
}

// productComponent is metadata.component: the SBOMs' one root component,
// else a component named by the title or the roots; nil when neither is
// known.
func productComponent(v *View) *cdx.Component {
	var c cdx.Component
	switch {
	case len(v.Roots) == 1:
		c = componentFromKey(v.Roots[0])
		if t := strings.TrimSpace(v.Opts.Title); t != "" && t != c.Name {
			c.Description = t
		}
	case v.Product != "":
		c = cdx.Component{Name: v.Product}
	default:
		return nil
	}
	c.Type, c.BOMRef = cdx.ComponentTypeApplication, productRef
	var p props
	for _, r := range v.Roots {
		p.add(propSBOM+"root", r)
	}
	c.Properties = p.list()
	return &c
}

// componentFromKey rebuilds a component from a root's key: a purl gives
// name, group, version and purl; anything else is the name.
func componentFromKey(k string) cdx.Component {
	if p, err := packageurl.FromString(k); err == nil && strings.HasPrefix(k, "pkg:") && p.Name != "" {
		c := cdx.Component{Name: p.Name, Group: p.Namespace, PackageURL: k}
		if len(p.Version) <= cdxVersionMax {
			c.Version = p.Version
		}
		return c
	}
	return cdx.Component{Name: k}
}

// entryRef is a component's bom-ref before de-duplication: its purl, else
// its key (group/name@version (supplier)).
func entryRef(e *soup.ListEntry) string {
	if e.PURL != "" {
		return e.PURL
	}
	return model.ComponentKey{Group: e.Group, Name: e.Name, Version: e.Version, Supplier: e.Supplier}.String()
}

// refSet hands out unique, non-empty bom-refs: a second component with
// the same key gets "#2", and so on.
type refSet map[string]bool

func newRefSet(reserved ...string) refSet {
	s := refSet{}
	for _, r := range reserved {
		s[r] = true
	}
	return s
}

func (s refSet) add(ref string) string {
	// JSON writes invalid UTF-8 as U+FFFD: two refs that differ only in
	// invalid bytes would be one ref in the BOM.
	ref = strings.ToValidUTF8(ref, "\uFFFD")
	if ref == "" {
		ref = "(unnamed)"
	}
	out := ref
	for n := 2; s[out]; n++ {
		out = ref + "#" + strconv.Itoa(n)
	}
	s[out] = true
	return out
}

// cdxComponentTypes are the component types of CycloneDX 1.6.
var cdxComponentTypes = map[string]cdx.ComponentType{
	"application": cdx.ComponentTypeApplication, "framework": cdx.ComponentTypeFramework, "library": cdx.ComponentTypeLibrary,
	"container": cdx.ComponentTypeContainer, "platform": cdx.ComponentTypePlatform, "operating-system": cdx.ComponentTypeOS,
	"device": cdx.ComponentTypeDevice, "device-driver": cdx.ComponentTypeDeviceDriver, "firmware": cdx.ComponentTypeFirmware,
	"file": cdx.ComponentTypeFile, "machine-learning-model": cdx.ComponentTypeMachineLearningModel, "data": cdx.ComponentTypeData,
	"cryptographic-asset": cdx.ComponentTypeCryptographicAsset,
}

func cdxComponent(r *Row, ref string) cdx.Component {
	e := r.E
	c := cdx.Component{BOMRef: ref, Type: cdx.ComponentTypeLibrary, Name: e.Name, Group: e.Group, PackageURL: e.PURL}
	var p props
	if t, ok := cdxComponentTypes[strings.ToLower(strings.TrimSpace(e.Type))]; ok {
		c.Type = t
	} else {
		p.add(propSBOM+"type", e.Type)
	}
	if len(e.Version) <= cdxVersionMax {
		c.Version = e.Version
	} else {
		p.add(propSBOM+"version", e.Version)
	}
	if len(e.CPEs) > 0 {
		c.CPE = e.CPEs[0]
		for _, cpe := range e.CPEs[1:] {
			p.add(propSBOM+"cpe", cpe)
		}
	}
	c.Licenses, c.Evidence = cdxLicenses(e)
	if s := strings.TrimSpace(e.Supplier); s != "" {
		switch e.Component.SupplierFrom {
		case model.SupplierFromManufacturer:
			c.Manufacturer = &cdx.OrganizationalEntity{Name: e.Supplier}
		case model.SupplierFromPublisher:
			c.Publisher = e.Supplier
		case model.SupplierFromAuthors, model.SupplierFromAuthor:
			c.Authors = &[]cdx.OrganizationalContact{{Name: e.Supplier}}
		default:
			c.Supplier = &cdx.OrganizationalEntity{Name: e.Supplier}
		}
	}

	p.add(propSOUP+"status", strings.ReplaceAll(strings.ToLower(r.Status), " ", "-"))
	p.add(propSOUP+"registered", strconv.FormatBool(e.Register != nil))
	if it := e.Register; it != nil {
		p.add(propSOUP+"matched_by", e.MatchedBy)
		p.add(propSOUP+"title", it.Title)
		p.add(propSOUP+"manufacturer", it.Manufacturer)
		p.add(propSOUP+"version", it.Version)
		p.add(propSOUP+"identifier", it.Identifier)
		p.add(propSOUP+"license", it.License)
		p.add(propSOUP+"purpose", it.Purpose)
		p.add(propSOUP+"requirements", it.Requirements)
		p.add(propSOUP+"environment", it.Environment)
		p.add(propSOUP+"risk_level", it.RiskLevel)
		p.add(propSOUP+"verification", it.Verification)
		for _, item := range it.Items {
			p.add(propSOUP+"item", item)
		}
		if !it.Source.IsZero() {
			p.add(propSOUP+"source", it.Source.String())
		}
		if rev := it.AnomalyReview; rev != nil {
			p.add(propReview+"version", rev.Version)
			p.add(propReview+"date", rev.Date)
			p.add(propReview+"reviewer", rev.Reviewer)
			p.add(propReview+"summary", rev.Summary)
			for _, s := range rev.Sources {
				p.add(propReview+"source", s)
			}
		}
		p.add(propReview+"covers_version_in_use", strconv.FormatBool(r.Review.State == reviewCurrent))
	}
	p.add(propSOUP+"dependency", r.Dependency)
	p.add(propSOUP+"supplier_source", r.SupplierFrom)
	for _, d := range e.Documents {
		p.add(propSBOM+"document", d)
	}
	p.add(propOSV+"status", r.Lookup.State)
	if e.Anomalies != nil && e.Anomalies.Status != osv.Checked {
		p.add(propOSV+"reason", e.Anomalies.Reason)
	}
	for _, id := range r.withdrawnIDs() {
		p.add(propOSV+"withdrawn", id)
	}
	c.Properties = p.list()
	return c
}

// cdxLicenses are the component's license statements and, apart, the
// licenses a tool only detected.
func cdxLicenses(e *soup.ListEntry) (*cdx.Licenses, *cdx.Evidence) {
	stated := e.Component.Licenses
	if len(stated) == 0 {
		for _, s := range e.Licenses {
			stated = append(stated, model.License{Expression: s})
		}
	}
	var decl, evid []model.License
	for _, l := range stated {
		if strings.TrimSpace(l.Expression) == "" {
			continue
		}
		if l.Source == model.LicenseEvidence {
			evid = append(evid, l)
		} else {
			decl = append(decl, l)
		}
	}
	var ev *cdx.Evidence
	if len(evid) > 0 {
		ev = &cdx.Evidence{Licenses: licenseChoices(evid)}
	}
	return licenseChoices(decl), ev
}

func licenseChoices(ls []model.License) *cdx.Licenses {
	if len(ls) == 0 {
		return nil
	}
	if len(ls) == 1 && !ls[0].ByName {
		return &cdx.Licenses{{Expression: ls[0].Expression, Acknowledgement: acknowledgement(ls[0].Source)}}
	}
	out := make(cdx.Licenses, len(ls))
	for i, l := range ls {
		lic := &cdx.License{Name: l.Expression}
		if a := acknowledgement(l.Source); a != nil {
			lic.Acknowledgement = *a
		}
		out[i] = cdx.LicenseChoice{License: lic}
	}
	return &out
}

func acknowledgement(source string) *cdx.LicenseAcknowledgement {
	var a cdx.LicenseAcknowledgement
	switch source {
	case model.LicenseDeclared:
		a = cdx.LicenseAcknowledgementDeclared
	case model.LicenseConcluded:
		a = cdx.LicenseAcknowledgementConcluded
	default:
		return nil
	}
	return &a
}

// cdxVulnerabilities are the anomalies found for a component, withdrawn
// records left out (they are listed as tracegate:osv:withdrawn).
func cdxVulnerabilities(r *Row, ref string) []cdx.Vulnerability {
	var out []cdx.Vulnerability
	for i := range r.Anomalies {
		a := &r.Anomalies[i]
		if a.Withdrawn || a.Record == nil {
			continue
		}
		rec := a.Record
		vu := cdx.Vulnerability{ID: rec.ID, Source: osvSource(rec.ID), Description: rec.Summary, Detail: rec.Details}
		var refs []cdx.VulnerabilityReference
		for _, al := range rec.Aliases {
			if strings.TrimSpace(al) != "" {
				refs = append(refs, cdx.VulnerabilityReference{ID: al, Source: osvSource(al)})
			}
		}
		if len(refs) > 0 {
			vu.References = &refs
		}
		if rs := cdxRatings(rec); len(rs) > 0 {
			vu.Ratings = &rs
		}
		if rec.Published.Valid() && !rec.Published.Time.IsZero() {
			vu.Published = rec.Published.Time.UTC().Format(time.RFC3339)
		}
		if rec.Modified.Valid() && !rec.Modified.Time.IsZero() {
			vu.Updated = rec.Modified.Time.UTC().Format(time.RFC3339)
		}
		aff := cdx.Affects{Ref: ref}
		if ver := r.E.Version; ver != "" && len(ver) <= cdxVersionMax {
			status := cdx.VulnerabilityStatusAffected
			if a.Indeterminate {
				status = cdx.VulnerabilityStatusUnknown
			}
			aff.Range = &[]cdx.AffectedVersions{{Version: ver, Status: status}}
		}
		vu.Affects = &[]cdx.Affects{aff}
		if a.Assessed == assessedCurrent {
			state, just := analysisState(a.Assessment)
			vu.Analysis = &cdx.VulnerabilityAnalysis{State: state, Justification: just, Detail: a.Assessment}
		}
		var p props
		p.add(propOSV+"match", a.Status())
		p.add(propOSV+"evidence", a.Evidence)
		for _, m := range r.E.Anomalies.Anomalies {
			if m.Record == rec && m.Coordinate != (osv.Coordinate{}) {
				p.add(propOSV+"coordinate", m.Coordinate.String())
				break
			}
		}
		p.add(propReview+"assessed", a.Assessed)
		p.add(propReview+"assessment", a.Assessment)
		vu.Properties = p.list()
		out = append(out, vu)
	}
	return out
}

func osvSource(id string) *cdx.Source {
	return &cdx.Source{Name: "OSV", URL: "https://osv.dev/vulnerability/" + url.PathEscape(id)}
}

// cdxRatings are the record's severities: each CVSS vector with its
// method (no score: computing one is not the renderer's business, and the
// vector is what the record asserts), the database's word, Ubuntu's word.
func cdxRatings(rec *osv.Record) []cdx.VulnerabilityRating {
	var out []cdx.VulnerabilityRating
	sev := rec.Severity
	if len(sev) == 0 {
		for _, a := range rec.Affected {
			sev = append(sev, a.Severity...)
		}
	}
	seen := map[string]bool{}
	for _, s := range sev {
		vec := strings.TrimSpace(s.Score)
		if vec == "" || seen[s.Type+vec] {
			continue
		}
		seen[s.Type+vec] = true
		switch strings.ToUpper(s.Type) {
		case "CVSS_V2":
			out = append(out, cdx.VulnerabilityRating{Method: cdx.ScoringMethodCVSSv2, Vector: vec})
		case "CVSS_V3":
			m := cdx.ScoringMethodCVSSv3
			if strings.HasPrefix(vec, "CVSS:3.1/") {
				m = cdx.ScoringMethodCVSSv31
			}
			out = append(out, cdx.VulnerabilityRating{Method: m, Vector: vec})
		case "CVSS_V4":
			out = append(out, cdx.VulnerabilityRating{Method: cdx.ScoringMethodCVSSv4, Vector: vec})
		default:
			if sv, ok := severityWord(vec); ok {
				out = append(out, cdx.VulnerabilityRating{Method: cdx.ScoringMethodOther, Severity: sv, Source: &cdx.Source{Name: s.Type}})
			}
		}
	}
	if sv, ok := severityWord(rec.DatabaseSeverity()); ok {
		out = append(out, cdx.VulnerabilityRating{Method: cdx.ScoringMethodOther, Severity: sv, Source: &cdx.Source{Name: "OSV database_specific.severity"}})
	}
	return out
}

// severityWord maps a database's severity word to CycloneDX's scale
// (GitHub says MODERATE for medium, Ubuntu negligible for none).
func severityWord(s string) (cdx.Severity, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "critical":
		return cdx.SeverityCritical, true
	case "high", "important":
		return cdx.SeverityHigh, true
	case "moderate", "medium":
		return cdx.SeverityMedium, true
	case "low":
		return cdx.SeverityLow, true
	case "negligible", "none":
		return cdx.SeverityNone, true
	}
	return "", false
}

// analysisState reads the state of an assessment from how its text
// begins, never more favourably than it says; see the file comment.
func analysisState(text string) (cdx.ImpactAnalysisState, cdx.ImpactAnalysisJustification) {
	s := strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r == '_' || r == '-' {
			return ' '
		}
		return r
	}, strings.ToLower(text))), " ")
	starts := func(prefixes ...string) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(s, p) && (len(s) == len(p) || strings.IndexByte(" :;,.()", s[len(p)]) >= 0) {
				return true
			}
		}
		return false
	}
	switch {
	case starts("not applicable", "not affected"):
		return cdx.IASNotAffected, ""
	case starts("mitigated", "protected by"):
		return cdx.IASNotAffected, cdx.IAJProtectedByMitigatingControl
	case starts("false positive"):
		return cdx.IASFalsePositive, ""
	case starts("fixed", "patched", "resolved"):
		return cdx.IASResolved, ""
	case starts("exploitable", "affected", "accepted", "risk accepted"):
		return cdx.IASExploitable, ""
	}
	return cdx.IASInTriage, ""
}

// props collects properties, leaving out empty values.
type props []cdx.Property

func (p *props) add(name, value string) {
	if strings.TrimSpace(value) != "" {
		*p = append(*p, cdx.Property{Name: name, Value: value})
	}
}

func (p props) list() *[]cdx.Property {
	if len(p) == 0 {
		return nil
	}
	l := []cdx.Property(p)
	return &l
}

package soupreg

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// FormatComponents is the soup.yaml of the Forschungsgruppe Digital Health
// risk-management template: a mapping with a components: list whose
// entries its schema comment defines (docs/SOUP.md of the template):
//
//	name          the package name as its ecosystem writes it     name
//	version       the unique version designator shipped           version
//	publisher     manufacturer / maintaining organisation         manufacturer
//	source        canonical URL (registry or upstream)            anomaly review source
//	license       SPDX identifier                                 license
//	purpose       why the product uses it                         purpose
//	requirements  {functional, performance}: 5.3.3                requirements
//	environment   hardware/software context: 5.3.4                environment
//	req           the requirement issue that justifies it         (read, not judged)
//	anomalies     [{id, summary, impact_assessment, status}]      anomaly review
//
// Its anomaly list records no version, date or reviewer of the review, so
// (as for rdm's) it does not show a review of the version in use; one
// warning per file says how many entries are affected.
const FormatComponents = "components"

var componentFields = []string{"name", "version", "publisher", "source", "license", "purpose", "requirements", "req", "environment", "anomalies",
	// tracegate keys a team may add
	"purl", "title", "identifier", "risk_level", "verification", "items", "anomaly_review"}

// isComponents tells the template's layout: a top-level components: list
// and no soup: list.
func isComponents(m map[string]any) bool {
	_, soup := m["soup"]
	_, comps := m["components"].([]any)
	return comps && !soup
}

func (d *decoder) components(m map[string]any) ([]model.SOUPItem, []string) {
	list := m["components"].([]any)
	for k := range m {
		if k != "components" && !strings.HasPrefix(k, "x-") {
			d.warn(d.keyAt(child("", k)), "key %q beside components: is not read", k)
		}
	}
	if len(list) == 0 {
		d.warn(d.keyAt("/components"), "SOUP register lists no SOUP")
	}
	var items []model.SOUPItem
	var ptrs []string
	unreviewed := 0
	var first model.SOUPItem
	for i, e := range list {
		ptr := index("/components", i)
		c, ok := e.(map[string]any)
		if !ok {
			d.fail(d.at(ptr), "", "%s: expected a component (a mapping with name, version, publisher ...), got %s", yamlsrc.DottedKey(ptr), yamlsrc.Describe(e))
			continue
		}
		var unknown []string
		for k := range c {
			if !slices.Contains(componentFields, k) && !strings.HasPrefix(k, "x-") {
				unknown = append(unknown, k)
			}
		}
		slices.Sort(unknown)
		for _, k := range unknown {
			d.warn(d.keyAt(child(ptr, k)), "%s is not a field of the template's soup.yaml nor a tracegate one; ignored", yamlsrc.DottedKey(child(ptr, k)))
		}
		it := model.SOUPItem{
			Name:          d.text(ptr, c, "name"),
			PURL:          d.text(ptr, c, "purl"),
			Title:         d.text(ptr, c, "title"),
			Manufacturer:  d.text(ptr, c, "publisher"),
			Version:       d.text(ptr, c, "version"),
			Identifier:    d.text(ptr, c, "identifier"),
			Purpose:       d.text(ptr, c, "purpose"),
			License:       d.text(ptr, c, "license"),
			Requirements:  d.componentRequirements(ptr, c),
			Environment:   d.text(ptr, c, "environment"),
			RiskLevel:     d.text(ptr, c, "risk_level"),
			Verification:  d.text(ptr, c, "verification"),
			Items:         d.list(ptr, c, "items"),
			AnomalyReview: d.review(ptr, c, "anomaly_review"),
			Source:        d.at(ptr),
			Format:        FormatComponents,
		}
		if it.Name == "" {
			d.fail(d.at(ptr), "write the package name as the SBOM does: entries are matched to components by purl, else by this name", "%s has no name", yamlsrc.DottedKey(ptr))
		}
		if d.componentAnomalies(ptr, c, &it) {
			if unreviewed == 0 {
				first = it
			}
			unreviewed++
		}
		items = append(items, it)
		ptrs = append(ptrs, ptr)
	}
	if unreviewed > 0 {
		d.warn(first.AnomalyReview.Source, "%s an anomaly list (anomalies:) that names no version, date or reviewer of its review, "+
			"so it does not show a review of the version in use (7.1.3); add a tracegate anomaly_review with version, date and reviewer",
			plural(unreviewed, "entry has", "entries have"))
	}
	return items, ptrs
}

// componentRequirements joins the functional and performance requirements
// (5.3.3); a plain text is read as it is.
func (d *decoder) componentRequirements(ptr string, c map[string]any) string {
	r, ok := c["requirements"].(map[string]any)
	if !ok {
		return d.text(ptr, c, "requirements")
	}
	p := child(ptr, "requirements")
	var parts []string
	for _, k := range []string{"functional", "performance"} {
		if s := d.text(p, r, k); s != "" {
			parts = append(parts, fmt.Sprintf("%s%s: %s", strings.ToUpper(k[:1]), k[1:], s))
		}
	}
	for k := range r {
		if k != "functional" && k != "performance" {
			d.warn(d.keyAt(child(p, k)), "%s is not read (requirements has functional and performance)", yamlsrc.DottedKey(child(p, k)))
		}
	}
	return ingest.JoinText(parts...)
}

// componentAnomalies reads the template's anomaly list into the entry's
// review, each anomaly's assessment its impact assessment and status, and
// its source URL as the anomaly list consulted. unversioned reports a
// review that no anomaly_review gives a version.
func (d *decoder) componentAnomalies(ptr string, c map[string]any, it *model.SOUPItem) (unversioned bool) {
	v, has := c["anomalies"]
	if !has || v == nil {
		return false
	}
	p := child(ptr, "anomalies")
	list, ok := v.([]any)
	if !ok {
		d.fail(d.at(p), "", "%s: expected a list of anomalies, got %s", yamlsrc.DottedKey(p), yamlsrc.Describe(v))
		return false
	}
	r := it.AnomalyReview
	if r == nil {
		r = &model.AnomalyReview{Source: d.keyAt(p)}
		it.AnomalyReview = r
	}
	if src := d.text(ptr, c, "source"); src != "" && !slices.Contains(r.Sources, src) {
		r.Sources = append(r.Sources, src)
	}
	for i, e := range list {
		ep := index(p, i)
		a, ok := e.(map[string]any)
		if !ok {
			d.fail(d.at(ep), "", "%s: expected an anomaly {id, summary, impact_assessment, status}, got %s", yamlsrc.DottedKey(ep), yamlsrc.Describe(e))
			continue
		}
		id := d.text(ep, a, "id")
		if id == "" {
			d.fail(d.at(ep), "name the anomaly as its list does: a CVE, an issue number or URL", "%s has no id", yamlsrc.DottedKey(ep))
			continue
		}
		assessment := ingest.JoinText(d.text(ep, a, "summary"), d.text(ep, a, "impact_assessment"))
		if st := d.text(ep, a, "status"); st != "" {
			assessment = ingest.JoinText(assessment, "Status: "+st)
		}
		r.Anomalies = append(r.Anomalies, model.ReviewedAnomaly{ID: id, Assessment: assessment})
	}
	return r.Version == ""
}

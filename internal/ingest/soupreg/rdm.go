package soupreg

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// rdm, the Regulatory Documentation Manager (https://github.com/innolitics/rdm),
// renders its documents with Jinja from the YAML files of the project's
// data/ folder; data/soup.yml is a list of mappings whose keys its software
// plan (rdm/init_files/documents/software_plan.md, appendix "SOUP") and its
// software design specification template define:
//
//	title              8.1.2 a   the SOUP's title, also its heading
//	manufacturer       8.1.2 b   absent: developed by the open-source community
//	version            8.1.2 c
//	purpose            5.3.3     "the functional and performance requirements
//	                             that are necessary for its intended use"
//	requirements       5.3.4     "noteworthy hardware and software requirements"
//	anomalies          7.1.3     the known anomalies that may affect the product
//	anomaly_reference  7.1.3     where the published anomaly list is
//	relevant_anomalies           a flag: the template prints anomalies only
//	                             when it is defined
//
// Note the shift against the native format: rdm's requirements are the
// hardware and software needs (Environment), and its purpose doubles as the
// functional and performance requirements, so it is read into both Purpose
// and Requirements.
//
// rdm records no version, date or reviewer for its anomaly review, so an
// rdm entry's review carries none: it does not show a review of the version
// in use until the team adds the tracegate key anomaly_review. The
// tracegate keys that have no rdm counterpart (rdmExtensions) are read
// when a team adds them; rdm passes them to its templates untouched. Any
// other key is reported once per file and ignored.
var (
	rdmFields     = []string{"title", "manufacturer", "version", "purpose", "requirements", "anomaly_reference", "anomalies", "relevant_anomalies"}
	rdmExtensions = []string{"purl", "identifier", "license", "risk_level", "verification", "items", "anomaly_review"}
	// rdmOnly and nativeOnly are the keys that tell the formats apart.
	rdmOnly    = []string{"anomaly_reference", "anomalies", "relevant_anomalies"}
	nativeOnly = []string{"name", "environment"}
)

// isRDM tells an rdm list from a native bare list (see Parse).
func isRDM(list []any) bool {
	native, titled := false, false
	for _, e := range list {
		m, _ := e.(map[string]any)
		for k := range m {
			switch {
			case slices.Contains(rdmOnly, k):
				return true
			case slices.Contains(nativeOnly, k):
				native = true
			case k == "title":
				titled = true
			}
		}
	}
	return !native && titled
}

// rdm reads rdm's list of SOUP mappings.
func (d *decoder) rdm(list []any) ([]model.SOUPItem, []string) {
	if len(list) == 0 {
		d.warn(d.at(""), "SOUP register lists no SOUP")
	}
	unknown := map[string]input.Pos{}
	var noVersion []input.Pos // entries with an rdm anomaly review and no version for it
	var items []model.SOUPItem
	var ptrs []string
	for i, e := range list {
		ptr := index("", i)
		m, ok := e.(map[string]any)
		if !ok {
			d.fail(d.at(ptr), "", "[%d]: expected a SOUP entry (a mapping with title, version, purpose ...), got %s", i, yamlsrc.Describe(e))
			continue
		}
		for k := range m {
			if !slices.Contains(rdmFields, k) && !slices.Contains(rdmExtensions, k) && !strings.HasPrefix(k, "x-") {
				if p, seen := unknown[k]; !seen || d.keyAt(child(ptr, k)).Before(p) {
					unknown[k] = d.keyAt(child(ptr, k))
				}
			}
		}
		it, reviewedWithoutVersion := d.rdmEntry(ptr, m)
		if reviewedWithoutVersion {
			noVersion = append(noVersion, it.AnomalyReview.Source)
		}
		items = append(items, it)
		ptrs = append(ptrs, ptr)
	}
	if len(unknown) > 0 {
		keys := make([]string, 0, len(unknown))
		for k := range unknown {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return unknown[keys[i]].Before(unknown[keys[j]]) })
		quoted := make([]string, len(keys))
		for i, k := range keys {
			quoted[i] = fmt.Sprintf("%q", k)
		}
		if len(keys) == 1 {
			d.warn(unknown[keys[0]], "key %s is neither an rdm SOUP field nor a tracegate one; ignored in every entry of this file", quoted[0])
		} else {
			d.warn(unknown[keys[0]], "keys %s are neither rdm SOUP fields nor tracegate ones; ignored in every entry of this file", strings.Join(quoted, ", "))
		}
	}
	if n := len(noVersion); n > 0 {
		where := ""
		if n > 1 {
			where = "; the first is here"
		}
		d.warn(noVersion[0], "%s an rdm anomaly review (anomaly_reference, anomalies) that names no version, date or reviewer, "+
			"so it does not show a review of the version in use (7.1.3); add a tracegate anomaly_review with version, date and reviewer%s",
			plural(n, "entry has", "entries have"), where)
	}
	return items, ptrs
}

// rdmEntry reads one rdm mapping. reviewedWithoutVersion reports an rdm
// anomaly review that no tracegate anomaly_review gives a version.
func (d *decoder) rdmEntry(ptr string, m map[string]any) (it model.SOUPItem, reviewedWithoutVersion bool) {
	title := d.text(ptr, m, "title")
	if title == "" {
		d.fail(d.at(ptr), "rdm names every SOUP by its title, and tracegate matches it to SBOM components by that title (or a purl)",
			"%s has no title", yamlsrc.DottedKey(ptr))
	}
	purpose := d.text(ptr, m, "purpose")
	it = model.SOUPItem{
		Name:          title,
		Title:         title,
		Manufacturer:  d.text(ptr, m, "manufacturer"),
		Version:       d.text(ptr, m, "version"),
		Purpose:       purpose,
		Requirements:  purpose,
		Environment:   d.text(ptr, m, "requirements"),
		PURL:          d.text(ptr, m, "purl"),
		Identifier:    d.text(ptr, m, "identifier"),
		License:       d.text(ptr, m, "license"),
		RiskLevel:     d.text(ptr, m, "risk_level"),
		Verification:  d.text(ptr, m, "verification"),
		Items:         d.list(ptr, m, "items"),
		AnomalyReview: d.review(ptr, m, "anomaly_review"),
		Source:        d.at(ptr),
		Format:        FormatRDM,
	}
	ref := d.text(ptr, m, "anomaly_reference")
	summary, listed := d.rdmAnomalies(ptr, m, "anomalies")
	relevant, relevantListed := d.rdmAnomalies(ptr, m, "relevant_anomalies")
	summary = ingest.JoinText(summary, relevant)
	listed = append(listed, relevantListed...)
	if ref == "" && summary == "" && len(listed) == 0 {
		return it, false
	}
	r := it.AnomalyReview
	if r == nil {
		at := child(ptr, "anomaly_reference")
		if ref == "" {
			at = child(ptr, "anomalies")
		}
		r = &model.AnomalyReview{Source: d.keyAt(at)}
		it.AnomalyReview = r
	}
	if ref != "" && !slices.Contains(r.Sources, ref) {
		r.Sources = append(r.Sources, ref)
	}
	r.Summary = ingest.JoinText(r.Summary, summary)
	r.Anomalies = append(r.Anomalies, listed...)
	return it, r.Version == ""
}

// rdmAnomalies reads rdm's anomalies: the text its template prints, or a
// list of anomaly IDs or {id, assessment}. relevant_anomalies is a flag to
// rdm's template; when it holds text or a list, that is read as well.
func (d *decoder) rdmAnomalies(ptr string, m map[string]any, key string) (string, []model.ReviewedAnomaly) {
	switch v := m[key].(type) {
	case nil, bool:
		return "", nil
	case []any:
		return "", d.anomalies(child(ptr, key), v, true)
	default:
		return d.text(ptr, m, key), nil
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

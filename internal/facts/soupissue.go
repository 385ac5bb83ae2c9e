package facts

import (
	"fmt"
	"strings"
	"time"

	"github.com/package-url/packageurl-go"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// SOUPFromIssue reads a SOUP register entry from an issue of the policy's
// soup.issues: its title from the issue title without the form's tag, every
// other field from the form's section (config.SOUPIssueFields, or the
// policy's fields:), as a register file's entry holds it, so that the rules
// judge it alike. The anomaly review (7.1.3) is there when any of its
// sections is answered. A field that cannot be read as what it is — no
// package name, a version or designator over several lines, a package URL
// that is not one, a class that is not A, B or C, a review date that is not
// a day — is an error naming the issue and the section: the entry would be
// judged by a guess, or matched to no component.
func SOUPFromIssue(iss *Issue, src config.IssueSource) (model.SOUPItem, []input.Warning, error) {
	headed, keyed := Sections(iss.Body)
	heading := func(f string) string { return src.Heading(f, config.SOUPIssueFields) }
	sec := func(f string) string {
		key := normHeading(heading(f))
		if v := headed[key]; v != "" {
			return v
		}
		return keyed[key]
	}
	id := src.ItemID(iss.Ref.Number)
	pos := itemPos(iss)
	var errs input.Errors
	var warns []input.Warning
	bad := func(f, format string, args ...any) *input.Error {
		e := input.Errorf(pos, "%s: section %q: %s", id, heading(f), fmt.Sprintf(format, args...))
		errs = append(errs, e)
		return e
	}
	// oneLine is a section that holds a single designator.
	oneLine := func(f string) string {
		v := sec(f)
		if strings.Contains(v, "\n") {
			bad(f, "%q is not one line; it holds one %s", v, f).WithHint("write the value alone on one line, and anything more in another section")
			return ""
		}
		return v
	}
	it := model.SOUPItem{
		Name:         oneLine("name"),
		PURL:         oneLine("purl"),
		Title:        formTitle(iss.Title),
		Manufacturer: sec("manufacturer"),
		Version:      oneLine("version"),
		Identifier:   oneLine("identifier"),
		Purpose:      sec("purpose"),
		License:      sec("license"),
		Requirements: sec("requirements"),
		Environment:  sec("environment"),
		RiskLevel:    sec("risk_level"),
		Verification: sec("verification"),
		Items:        listItems(sec("items")),
		Source:       pos,
		Format:       IssueFormat,
	}
	if it.Name == "" && len(errs) == 0 {
		bad("name", "no package name").WithHint("write the package name as the SBOM does: entries are matched to components by package URL, else by this name")
	}
	if it.PURL != "" {
		p, err := packageurl.FromString(it.PURL)
		switch {
		case err != nil:
			bad("purl", "%q is not a package URL: %v", it.PURL, err).
				WithHint("write pkg:type/namespace/name as in https://github.com/package-url/purl-spec, e.g. pkg:github/madler/zlib, or leave the section empty to match by name")
		case p.Version != "":
			warns = append(warns, input.Warnf(pos, "%s: section %q: the version %q in %s is ignored: an entry matches its package at any version, and the version in use is section %q; write the package URL without @version",
				id, heading("purl"), p.Version, it.PURL, heading("version")))
		}
	}
	if c := sec("class"); c != "" {
		cl, err := model.ParseClass(c)
		if err != nil {
			bad("class", "%v", err)
		}
		it.Class = cl
	}
	it.AnomalyReview = soupReview(sec, oneLine, bad, pos)
	return it, warns, errs.Err()
}

// soupReview reads the anomaly review sections; nil when none is answered.
func soupReview(sec, oneLine func(string) string, bad func(f, format string, args ...any) *input.Error, pos input.Pos) *model.AnomalyReview {
	anomalies, summary := anomalyLines(sec("anomalies"))
	r := &model.AnomalyReview{
		Version:   oneLine("review_version"),
		Date:      oneLine("review_date"),
		Reviewer:  sec("reviewer"),
		Sources:   lineItems(sec("review_sources")),
		Summary:   summary,
		Anomalies: anomalies,
		Source:    pos,
	}
	if r.Version == "" && r.Date == "" && r.Reviewer == "" && len(r.Sources) == 0 && r.Summary == "" && len(r.Anomalies) == 0 {
		return nil
	}
	if r.Date != "" {
		if _, err := time.Parse(time.DateOnly, r.Date); err != nil {
			bad("review_date", "%q is not a date", r.Date).WithHint("write the date as YYYY-MM-DD")
		}
	}
	return r
}

// lineItems are a section's lines, list markers dropped: the entries of a
// list whose entries may hold commas (the anomaly lists consulted).
func lineItems(section string) []string {
	var out []string
	for _, line := range strings.Split(section, "\n") {
		if line = strings.TrimSpace(numberedRE().ReplaceAllString(line, "")); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// anomalySeps part an anomaly's ID from its assessment.
var anomalySeps = []string{": ", " — ", " – ", " - "}

// anomalyLines reads the anomalies section: each line (list markers
// dropped) that starts with an anomaly ID — one word with a digit or a
// slash: CVE-2022-37434, GHSA-…, #12, a URL — is that anomaly, with the
// text after ": " (or a dash) as its assessment; every other line is the
// review's summary ("No anomaly is published for 1.3.1").
func anomalyLines(section string) ([]model.ReviewedAnomaly, string) {
	var out []model.ReviewedAnomaly
	var summary []string
	for _, line := range strings.Split(section, "\n") {
		line = strings.TrimSpace(numberedRE().ReplaceAllString(line, ""))
		if line == "" {
			continue
		}
		id, assessment := line, ""
		cut := -1
		for _, sep := range anomalySeps {
			if i := strings.Index(line, sep); i > 0 && (cut < 0 || i < cut) {
				cut = i
				id, assessment = line[:i], strings.TrimSpace(line[i+len(sep):])
			}
		}
		id = strings.Trim(id, "*`")
		if strings.ContainsAny(id, " \t") || !strings.ContainsAny(id, "0123456789/") {
			summary = append(summary, line)
			continue
		}
		out = append(out, model.ReviewedAnomaly{ID: id, Assessment: assessment})
	}
	return out, strings.Join(summary, "\n")
}

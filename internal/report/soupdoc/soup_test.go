package soupdoc

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/osv"
	"github.com/tracegate/tracegate/internal/soup"
)

// Hostile strings the SOUP documents must show as text: formulas, markup,
// Markdown, a right-to-left override, line breaks.
const (
	hostileName     = "=HYPERLINK(\"http://evil.example\",\"x\") | <script>alert(1)</script> **bold** [l](javascript:x) \u202Eevil\nline2"
	hostileSupplier = "-2+3 @SUM(A1) <img src=x onerror=alert(1)>"
	hostileVersion  = "+1.0"
)

var (
	generated = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	consulted = time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)
	longName  = strings.Repeat("n", 10000)
)

func boolp(b bool) *bool { return &b }

func record(id, summary string, aliases []string, dbSeverity string, sev ...osv.Severity) *osv.Record {
	r := &osv.Record{ID: id, Summary: summary, Aliases: aliases, Severity: sev,
		Published: osv.Timestamp{Time: time.Date(2023, 5, 22, 0, 0, 0, 0, time.UTC), Raw: "2023-05-22T00:00:00Z"},
		Modified:  osv.Timestamp{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), Raw: "2024-01-02T03:04:05Z"}}
	if dbSeverity != "" {
		r.DatabaseSpecific = json.RawMessage(`{"severity":"` + dbSeverity + `"}`)
	}
	return r
}

func match(r *osv.Record, indeterminate bool) osv.Match {
	ev := "2.30.0 is in the ECOSYSTEM range introduced 2.3.0, fixed 2.31.0"
	if indeterminate {
		ev = "cannot tell whether 4.17.20 is affected: a malformed range"
	}
	return osv.Match{Record: r, Evidence: ev, Indeterminate: indeterminate, Coordinate: osv.Coordinate{Ecosystem: "PyPI", Name: "x", Version: "1"}}
}

// sampleSOUP is a SOUP list built by hand with every case the documents
// must show: a current review that assesses one anomaly by an alias and
// not another, a review of another version, an indeterminate match, a
// withdrawn record, a lookup that could not be made, no lookup result, a
// component without register entry, a hardware component, a register
// manufacturer overriding the SBOM supplier, hostile strings and a
// 10,000-character name.
func sampleSOUP() *soup.List {
	cvss := osv.Severity{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N"}
	pysec := record("PYSEC-2023-74", "Unintended leak of Proxy-Authorization header", []string{"CVE-2023-32681", "GHSA-j8r2-6x86-q33q"}, "MODERATE", cvss)
	ghsa := record("GHSA-9wx4-h78v-vm56", "Requests Session object does not verify requests after making first request with verify=False", nil, "",
		osv.Severity{Type: "CVSS_V4", Score: "CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N"})
	old := record("GHSA-old-withdrawn", "Withdrawn advisory", nil, "LOW")
	lodashVuln := record("GHSA-35jh-r3h4-6jhm", "Command injection in lodash", []string{"CVE-2021-23337"}, "HIGH")
	indet := record("OSV-2099-1", "Advisory with a malformed range", nil, "")

	requests := soup.ListEntry{Name: "requests", Version: "2.30.0", Supplier: "Kenneth Reitz", PURL: "pkg:pypi/requests@2.30.0",
		Licenses: []string{"Apache-2.0"}, Direct: boolp(true), Type: "library", Documents: []string{"sbom/app.cdx.json"},
		Component: model.Component{SupplierFrom: model.SupplierFromAuthors, Licenses: []model.License{{Expression: "Apache-2.0", Source: model.LicenseDeclared}}},
		MatchedBy: "purl",
		Register: &model.SOUPItem{Name: "requests", PURL: "pkg:pypi/requests", Title: "Requests HTTP library", Version: "2.30.0",
			Purpose: "HTTP client for the cloud upload", Requirements: "TLS 1.2+\nverifies certificates", Environment: "CPython 3.11 on Linux",
			RiskLevel: "medium", Verification: "integration tests TC-12", Items: []string{"uploader"}, Source: input.Pos{File: "soup.yml", Line: 3},
			AnomalyReview: &model.AnomalyReview{Version: "2.30.0", Date: "2026-02-01", Reviewer: "J. Doe", Sources: []string{"osv.dev"},
				Anomalies: []model.ReviewedAnomaly{{ID: "cve-2023-32681", Assessment: "not applicable: no proxies are configured"}}}},
		Anomalies: &soup.AnomalyLookup{Status: osv.Checked, Anomalies: []osv.Match{match(pysec, false), match(ghsa, false)}, Withdrawn: []osv.Match{match(old, false)}},
	}
	lodash := soup.ListEntry{Name: "lodash", Version: "4.17.20", Supplier: "OpenJS", PURL: "pkg:npm/lodash@4.17.20", Licenses: []string{"MIT", "CC0-1.0"},
		Direct: boolp(false), Documents: []string{"sbom/app.cdx.json", "sbom/web.spdx.json"}, MatchedBy: "name",
		Component: model.Component{SupplierFrom: model.SupplierFromSupplier, Licenses: []model.License{
			{Expression: "MIT", Source: model.LicenseConcluded}, {Expression: "CC0-1.0", Source: model.LicenseEvidence}}},
		Register: &model.SOUPItem{Name: "lodash", Manufacturer: "OpenJS Foundation", Purpose: "utility functions", RiskLevel: "low",
			AnomalyReview: &model.AnomalyReview{Version: "4.17.19", Date: "2025-01-01", Reviewer: "A. Smith",
				Anomalies: []model.ReviewedAnomaly{{ID: "GHSA-35jh-r3h4-6jhm", Assessment: "mitigated by RC-004"}}}},
		Anomalies: &soup.AnomalyLookup{Status: osv.Checked, Anomalies: []osv.Match{match(lodashVuln, false), match(indet, true)}},
	}
	hostile := soup.ListEntry{Name: hostileName, Group: "@evil", Version: hostileVersion, Supplier: hostileSupplier,
		PURL: "pkg:npm/%40evil/x@1.0", CPEs: []string{"cpe:2.3:a:evil:x:1.0:*:*:*:*:*:*:*", "@cpe"}, Licenses: []string{"=1+1"}, Direct: boolp(true),
		Documents: []string{"sbom/app.cdx.json"},
		Anomalies: &soup.AnomalyLookup{Status: osv.NotChecked, Reason: "the purl type \"npm\" version is not <valid>", Anomalies: []osv.Match{}},
	}
	device := soup.ListEntry{Name: "infusion-pump-board", Version: "rev C", Type: "device", NotSOUP: true, Licenses: []string{},
		Documents: []string{"sbom/hw.cdx.json"}, Anomalies: &soup.AnomalyLookup{Status: osv.NotChecked, Reason: "no purl", Anomalies: []osv.Match{}}}
	long := soup.ListEntry{Name: longName, Version: "1", Licenses: []string{}, Documents: []string{"sbom/app.cdx.json"}}
	noReview := soup.ListEntry{Name: "zlib", Version: "1.3.1", Supplier: "SBOM Supplier Inc", PURL: "pkg:generic/zlib@1.3.1", Licenses: []string{"Zlib"},
		Documents: []string{"sbom/app.cdx.json"}, Component: model.Component{SupplierFrom: model.SupplierFromSupplier},
		Register:  &model.SOUPItem{Name: "zlib", Manufacturer: "Jean-loup Gailly and Mark Adler", Purpose: "compression"},
		Anomalies: &soup.AnomalyLookup{Status: osv.Checked, Anomalies: []osv.Match{}}}

	return &soup.List{
		Schema: soup.ListSchema,
		Documents: []soup.Document{
			{File: "sbom/app.cdx.json", Format: "cyclonedx-json", SpecVersion: "1.6", PackagesRead: 5, Components: 5, Root: "pkg:generic/pump-app@3.2.0",
				Warnings: []input.Warning{input.Warnf(input.Pos{File: "sbom/app.cdx.json", Line: 40}, "component without a name: skipped")}},
			{File: "sbom/web.spdx.json", Format: "spdx-json", SpecVersion: "SPDX-2.3", PackagesRead: 1, Components: 1, Warnings: []input.Warning{}},
			{File: "sbom/hw.cdx.json", Format: "cyclonedx-json", SpecVersion: "1.6", PackagesRead: 1, Components: 1, Warnings: []input.Warning{}},
		},
		Components: []soup.ListEntry{hostile, device, lodash, long, requests, noReview},
		Stale:      []model.SOUPItem{{Name: "left-pad", PURL: "pkg:npm/left-pad", Version: "1.3.0", Purpose: "padding", Source: input.Pos{File: "soup.yml", Line: 40}}},
		Register:   "soup.yml",
		Anomalies:  &soup.AnomalySource{Source: "https://api.osv.dev", At: consulted},
		Warnings:   []input.Warning{input.Warnf(input.Pos{File: "sbom/app.cdx.json", Line: 40}, "component without a name: skipped"), {Msg: "osv: one query retried"}},
	}
}

var sampleOpts = Options{Title: "Infusion pump app", ToolVersion: "1.4.0", Commit: "0123456789abcdef0123", Generated: generated}

func renderSOUP(t testing.TB, l *soup.List, format string, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, l, format, opts); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

func TestWriteSOUPRefusesWhatItCannotRender(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, sampleSOUP(), "pdf", Options{}); err == nil || !strings.Contains(err.Error(), "cyclonedx") {
		t.Errorf("unknown format: err = %v, want one naming the formats", err)
	}
	if err := Write(&buf, nil, "md", Options{}); err == nil {
		t.Error("nil list: no error")
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes on error", buf.Len())
	}
}

func TestSOUPEveryFormatRenders(t *testing.T) {
	empty := &soup.List{Schema: soup.ListSchema, Documents: []soup.Document{}, Components: []soup.ListEntry{}, Stale: []model.SOUPItem{}}
	for _, f := range Formats.Names() {
		for name, l := range map[string]*soup.List{"sample": sampleSOUP(), "empty": empty} {
			if out := renderSOUP(t, l, f, Options{}); len(out) == 0 {
				t.Errorf("%s of the %s list is empty", f, name)
			}
		}
	}
}

func TestSOUPJSONKeepsTheListShape(t *testing.T) {
	out := renderSOUP(t, sampleSOUP(), "json", sampleOpts)
	var got struct {
		Schema    string `json:"schema"`
		Documents []struct {
			File         *string           `json:"file"`
			Format       *string           `json:"format"`
			SpecVersion  *string           `json:"spec_version"`
			PackagesRead *int              `json:"packages_read"`
			Warnings     []json.RawMessage `json:"warnings"`
		} `json:"documents"`
		Components []struct {
			Name     *string  `json:"name"`
			Version  *string  `json:"version"`
			Supplier *string  `json:"supplier"`
			PURL     *string  `json:"purl"`
			Licenses []string `json:"licenses"`
			Direct   *bool    `json:"direct"`
		} `json:"components"`
		Stale []json.RawMessage `json:"stale_register_entries"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Documents  []map[string]json.RawMessage `json:"documents"`
		Components []map[string]json.RawMessage `json:"components"`
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatal(err)
	}
	for _, d := range raw.Documents {
		for _, k := range []string{"file", "format", "spec_version", "packages_read", "warnings"} {
			if _, ok := d[k]; !ok {
				t.Errorf("document lacks %q", k)
			}
		}
	}
	for _, c := range raw.Components {
		for _, k := range []string{"name", "version", "supplier", "purl", "licenses", "direct"} {
			if _, ok := c[k]; !ok {
				t.Errorf("component lacks %q", k)
			}
		}
	}
	if got.Schema != soup.ListSchema || len(got.Documents) != 3 || len(got.Components) != 6 || len(got.Stale) != 1 {
		t.Fatalf("shape: schema %q, %d documents, %d components, %d stale", got.Schema, len(got.Documents), len(got.Components), len(got.Stale))
	}
	if d := got.Documents[0]; *d.File != "sbom/app.cdx.json" || *d.PackagesRead != 5 || len(d.Warnings) != 1 {
		t.Errorf("document 0 = %+v", d)
	}
	// Direct is a tri-state: true, false and null must all survive.
	if c := got.Components[0]; *c.Name != hostileName || c.Direct == nil || !*c.Direct {
		t.Errorf("hostile component = name %q direct %v", *c.Name, c.Direct)
	}
	if c := got.Components[2]; c.Direct == nil || *c.Direct {
		t.Errorf("lodash direct = %v, want false", c.Direct)
	}
	if c := got.Components[3]; c.Direct != nil {
		t.Errorf("long component direct = %v, want null", *c.Direct)
	}
}

// csvRows renders the CSV and parses it back.
func csvRows(t *testing.T, l *soup.List) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(renderSOUP(t, l, "csv", sampleOpts))).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	return rows
}

func column(t *testing.T, rows [][]string, name string) int {
	t.Helper()
	for i, h := range rows[0] {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q in %v", name, rows[0])
	return -1
}

func TestSOUPCSV(t *testing.T) {
	rows := csvRows(t, sampleSOUP())
	if len(rows) != 7 {
		t.Fatalf("%d rows, want a header and 6 components", len(rows))
	}
	if len(rows[0]) != len(Columns) {
		t.Fatalf("header has %d columns, want %d", len(rows[0]), len(Columns))
	}
	for _, want := range []string{"name", "group", "version", "supplier", "supplier_source", "purl", "cpe", "licenses", "dependency",
		"register_status", "purpose", "requirements", "environment", "risk_level", "verification", "review_version", "review_status",
		"review_date", "reviewer", "anomaly_lookup", "anomalies", "anomalies_assessed", "anomalies_not_assessed"} {
		column(t, rows, want)
	}
	get := func(row int, col string) string { return rows[row][column(t, rows, col)] }

	// Formula injection: every cell that starts with = + - @ is quoted.
	for i, r := range rows {
		for j, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("row %d column %s starts with a formula character: %.40q", i, rows[0][j], c)
			}
		}
	}
	if n := get(1, "name"); !strings.HasPrefix(n, "'=HYPERLINK(") || !strings.Contains(n, "⟨U+202E⟩evil\nline2") || strings.ContainsRune(n, '\u202E') {
		t.Errorf("hostile name = %q", n)
	}
	if s := get(1, "supplier"); s != "'"+hostileSupplier {
		t.Errorf("hostile supplier = %q", s)
	}
	if v, l, c := get(1, "version"), get(1, "licenses"), get(1, "cpe"); v != "'+1.0" || l != "'=1+1" || c != "cpe:2.3:a:evil:x:1.0:*:*:*:*:*:*:*; @cpe" {
		t.Errorf("version %q, licenses %q, cpe %q", v, l, c)
	}
	want := []struct {
		row                                                int
		status, supplier, from, dependency, review, lookup string
		assessed, notAssessed                              string
	}{
		{1, "not registered", "'" + hostileSupplier, "SBOM supplier", "direct", "", "not checked: the purl type \"npm\" version is not <valid>", "", ""},
		{2, "not SOUP", "", "", "unknown", "", "not checked: no purl", "", ""},
		{3, "registered", "OpenJS Foundation", "register manufacturer", "transitive", "version mismatch: reviewed 4.17.19, in use 4.17.20", "checked", "",
			"GHSA-35jh-r3h4-6jhm; OSV-2099-1"},
		{4, "not registered", "", "", "unknown", "", "not looked up (no result for this component)", "", ""},
		{5, "registered", "Kenneth Reitz", "SBOM authors", "direct", "covers 2.30.0", "checked", "PYSEC-2023-74", "GHSA-9wx4-h78v-vm56"},
		{6, "registered", "Jean-loup Gailly and Mark Adler", "register manufacturer", "unknown", "no anomaly review", "checked", "", ""},
	}
	for _, w := range want {
		got := []string{get(w.row, "register_status"), get(w.row, "supplier"), get(w.row, "supplier_source"), get(w.row, "dependency"),
			get(w.row, "review_status"), get(w.row, "anomaly_lookup"), get(w.row, "anomalies_assessed"), get(w.row, "anomalies_not_assessed")}
		exp := []string{w.status, w.supplier, w.from, w.dependency, w.review, w.lookup, w.assessed, w.notAssessed}
		for i := range got {
			if got[i] != exp[i] {
				t.Errorf("row %d (%s): column %d = %q, want %q", w.row, get(w.row, "version"), i, got[i], exp[i])
			}
		}
	}
	if a := get(5, "anomalies"); a != "PYSEC-2023-74 (MODERATE, CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N): Unintended leak of Proxy-Authorization header; "+
		"GHSA-9wx4-h78v-vm56 (CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N): Requests Session object does not verify requests after making first request with verify=False" {
		t.Errorf("requests anomalies = %q", a)
	}
	if w := get(5, "withdrawn_records"); w != "GHSA-old-withdrawn" {
		t.Errorf("withdrawn = %q", w)
	}
	if a := get(3, "anomalies"); !strings.Contains(a, "OSV-2099-1 [indeterminate]") {
		t.Errorf("lodash anomalies = %q", a)
	}
	if r, s := get(5, "requirements"), get(5, "register_source"); r != "TLS 1.2+\nverifies certificates" || s != "soup.yml:3" {
		t.Errorf("requirements %q, source %q", r, s)
	}
	if n := get(4, "name"); n != longName {
		t.Errorf("the long name is %d characters, want all 10,000", len(n))
	}
}

// mdTableRows returns the rows of the Markdown table under heading, the
// header row first.
func mdTableRows(t *testing.T, md, heading string) []string {
	t.Helper()
	_, after, ok := strings.Cut(md, heading+"\n\n")
	if !ok {
		t.Fatalf("no heading %q", heading)
	}
	var rows []string
	for _, line := range strings.Split(after, "\n") {
		if !strings.HasPrefix(line, "|") {
			break
		}
		rows = append(rows, line)
	}
	return rows
}

// cellCount counts the cells of a Markdown table row: pipes not escaped by
// a backslash, minus one.
func cellCount(row string) int {
	n := 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n - 1
}

func TestSOUPMarkdown(t *testing.T) {
	l := sampleSOUP()
	md := string(renderSOUP(t, l, "md", sampleOpts))
	if md != string(renderSOUP(t, l, "markdown", sampleOpts)) {
		t.Error("md and markdown differ")
	}
	if !strings.HasPrefix(md, "## SOUP list — Infusion pump app\n\n**6 components** from 3 SBOMs: 3 registered, 2 not registered, 1 not SOUP · "+
		"4 known anomalies in 2 components, **3 not assessed** · **3 components not checked** · **2 registered components without a review of the version in use** · "+
		"1 stale register entry\n\n") {
		t.Errorf("summary:\n%s", md[:min(len(md), 600)])
	}
	for _, want := range []string{"Register: soup.yml", "Anomaly source: https://api.osv.dev, consulted 2026-03-14 08:00:00Z", "Product: pkg:generic/pump-app@3.2.0",
		"tracegate 1.4.0 (0123456789ab) · generated 2026-03-14 09:26:53Z · tracegate.soup/v1",
		"⚠️ version mismatch: reviewed 4.17.19, in use 4.17.20<br>2025-01-01, A. Smith",
		"PYSEC-2023-74 (MODERATE, CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N): Unintended leak",
		"GHSA-old-withdrawn (LOW) \\[withdrawn\\]", "OSV-2099-1 \\[indeterminate\\]", "⚠️ GHSA-9wx4-h78v-vm56", "⚠️ not checked: no purl",
		"| PYSEC-2023-74: not applicable: no proxies are configured |", "⚠️ GHSA-35jh-r3h4-6jhm (assessed for 4.17.19 only, which is not the version in use: mitigated by RC-004)<br>OSV-2099-1 |",
		"TLS 1.2+<br>verifies certificates", "left-pad", "Kenneth Reitz (SBOM authors)", "OpenJS Foundation (register manufacturer)",
		"**not registered**", "not SOUP (device)", "### 2 warnings while reading"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q", want)
		}
	}
	// Every hostile string is text: no HTML, no link, no right-to-left
	// override, no row broken by a pipe or a newline.
	for _, bad := range []string{"<script", "<img", "[l](", "\u202E", "**bold**"} {
		if strings.Contains(md, bad) {
			t.Errorf("the Markdown contains %q", bad)
		}
	}
	for heading, cols := range map[string]int{
		"### Identification (IEC 62304 8.1.2)":                             7,
		"### Requirements and environment (IEC 62304 5.3.3, 5.3.4, 7.1.2)": 7,
		"### Known anomalies (IEC 62304 7.1.3)":                            7,
		"### SBOMs read":                                                   6,
		"### Stale register entries":                                       0,
	} {
		if cols == 0 {
			continue
		}
		rows := mdTableRows(t, md, heading)
		want := len(l.Components) + 2
		if heading == "### SBOMs read" {
			want = len(l.Documents) + 2
		}
		if len(rows) != want {
			t.Errorf("%s: %d rows, want %d", heading, len(rows), want)
		}
		for _, r := range rows {
			if n := cellCount(r); n != cols {
				t.Errorf("%s: row has %d cells, want %d: %.200s", heading, n, cols, r)
			}
		}
	}
	// The 10,000-character name is shortened, visibly.
	if strings.Contains(md, strings.Repeat("n", mdSOUPName+1)) || !strings.Contains(md, strings.Repeat("n", mdSOUPName-1)+"…") {
		t.Error("the long name is not shortened to the cell limit with a mark")
	}
}

func TestSOUPMarkdownSummarisesLongLists(t *testing.T) {
	l := sampleSOUP()
	e := &l.Components[4] // requests
	e.Anomalies.Anomalies = nil
	for i := range 25 {
		e.Anomalies.Anomalies = append(e.Anomalies.Anomalies, match(record(fmt.Sprintf("GHSA-%04d", i), "s", nil, ""), false))
	}
	md := string(renderSOUP(t, l, "md", sampleOpts))
	row := ""
	for _, r := range mdTableRows(t, md, "### Known anomalies (IEC 62304 7.1.3)") {
		if strings.HasPrefix(r, "| requests |") {
			row = r
		}
	}
	// 25 found + 1 withdrawn: 10 shown, 16 more; 25 not assessed: 20 shown.
	if !strings.Contains(row, "GHSA-0009: s") || strings.Contains(row, "GHSA-0010: s") || !strings.Contains(row, "… and 16 more") ||
		!strings.Contains(row, "GHSA-0019<br>… and 5 more") {
		t.Errorf("row not summarised as expected: %s", row)
	}
	if !strings.Contains(md, "27 known anomalies in 2 components, **27 not assessed**") {
		t.Errorf("the summary does not count every anomaly: %s", md[:400])
	}
}

func TestReviewAgainstVersionInUse(t *testing.T) {
	for _, tc := range []struct {
		reviewed, inUse string
		state           string
	}{
		{"2.31.0", "2.31.0", reviewCurrent},
		{" 2.31.0 ", "2.31.0", reviewCurrent},
		{"2.30.0", "2.31.0", reviewOtherVersion},
		{"v2.31.0", "2.31.0", reviewOtherVersion}, // as written: nobody said v2.31.0 is 2.31.0
		{"", "2.31.0", reviewOtherVersion},
		{"2.31.0", "", reviewOtherVersion},
	} {
		e := &soup.ListEntry{Version: tc.inUse, Register: &model.SOUPItem{AnomalyReview: &model.AnomalyReview{Version: tc.reviewed}}}
		if got := reviewOf(e).State; got != tc.state {
			t.Errorf("reviewed %q, in use %q: %q, want %q", tc.reviewed, tc.inUse, got, tc.state)
		}
	}
	if got := reviewOf(&soup.ListEntry{Register: &model.SOUPItem{}}); got.State != reviewMissing || !got.Gap() {
		t.Errorf("no review: %+v", got)
	}
	if got := reviewOf(&soup.ListEntry{}); got.State != reviewNotApplicable || got.Gap() {
		t.Errorf("not registered: %+v", got)
	}
}

func TestSOUPDeterministic(t *testing.T) {
	for _, f := range Formats.Names() {
		a, b := renderSOUP(t, sampleSOUP(), f, sampleOpts), renderSOUP(t, sampleSOUP(), f, sampleOpts)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders of the same list differ", f)
		}
	}
}

// BenchmarkWriteSOUP renders a list of 2,000 components, each with a
// register entry and two anomalies, in every format.
func BenchmarkWriteSOUP(b *testing.B) {
	base := sampleSOUP()
	l := &soup.List{Schema: soup.ListSchema, Documents: base.Documents, Register: base.Register, Anomalies: base.Anomalies, Stale: base.Stale}
	for i := range 2000 {
		e := base.Components[4] // requests: registered, reviewed, anomalies
		e.Name = fmt.Sprintf("component-%04d", i)
		e.PURL = "pkg:pypi/" + e.Name + "@2.30.0"
		l.Components = append(l.Components, e)
	}
	for _, f := range Formats.Names() {
		b.Run(f, func(b *testing.B) {
			for b.Loop() {
				var buf bytes.Buffer
				if err := Write(&buf, l, f, sampleOpts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// In the release evidence the SOUP list is a controlled document: every
// form with room for it names its document ID and revision; outside a
// bundle none does.
func TestSOUPDocumentControl(t *testing.T) {
	controlled := sampleOpts
	controlled.DocumentID, controlled.Revision = "SOUP-SP1", "v2.4.0"
	for format, want := range map[string]string{
		"md":        "## SOUP list — Infusion pump app\n\nDocument SOUP-SP1 rev v2.4.0\n\n",
		"html":      "SOUP-SP1 rev v2.4.0",
		"cyclonedx": `"name": "tracegate:document:id",` + "\n        \"value\": \"SOUP-SP1\"",
	} {
		if out := string(renderSOUP(t, sampleSOUP(), format, controlled)); !strings.Contains(out, want) {
			t.Errorf("%s does not say %q", format, want)
		}
		if out := string(renderSOUP(t, sampleSOUP(), format, sampleOpts)); strings.Contains(out, "SOUP-SP1") || strings.Contains(out, "tracegate:document") {
			t.Errorf("%s outside a bundle names a document ID", format)
		}
	}
	f := openXLSX(t, renderSOUP(t, sampleSOUP(), "xlsx", controlled))
	defer f.Close()
	rows, err := f.GetRows("About")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		found = found || len(r) == 2 && r[0] == "document" && r[1] == "SOUP-SP1 rev v2.4.0"
	}
	if !found {
		t.Errorf("the workbook's About sheet does not name the document: %q", rows)
	}
}

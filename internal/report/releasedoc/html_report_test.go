package releasedoc

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/report/reporttest"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/soup"
	"github.com/tracegate/tracegate/internal/trace"
)

// releaseEvidence is a release judged for real by the gate: a failing
// requirement, an unverified one, a control left unverified by them, an
// open problem report without evaluation, a traced and an untraced change,
// and hostile text in every free-text field.
func releaseEvidence(t *testing.T) *ReleaseEvidence {
	t.Helper()
	return releaseEvidenceWith(t, nil)
}

// releaseEvidenceWith is releaseEvidence with its policy and design
// history file edited before the gate judges them; edit returns the SOUP
// list the release uses (nil: an empty one).
func releaseEvidenceWith(t *testing.T, edit func(*config.Config, *model.DHF) *soup.List) *ReleaseEvidence {
	t.Helper()
	c := config.Defaults()
	c.File = ".github/tracegate.yml"
	c.IDs.Requirement = `(?:SYS|SRS)-\d+`
	c.ProblemReports.Labels = nil
	c.Release.Plans = []config.Plan{{Name: "Software development plan", Clause: "IEC 62304 5.1", Path: "docs/sdp.md"}, {Name: "Missing plan " + reporttest.Hostile, Path: "docs/none.md"}}
	ids, err := trace.NewIDs(&c)
	if err != nil {
		t.Fatal(err)
	}
	dhf := &model.DHF{
		Requirements: []model.Requirement{
			{ID: "SYS-1", Title: "Deliver the programmed dose", Source: input.Pos{File: "docs/req.yml", Line: 2}},
			{ID: "SRS-1", Title: "Rate " + reporttest.Hostile, Parents: []string{"SYS-1"}, RiskControls: []string{"RC-1"}, Source: input.Pos{File: "docs/req.yml", Line: 9}},
			{ID: "SRS-2", Title: "=HYPERLINK(\"http://evil\")", Parents: []string{"SYS-1"}, RiskControls: []string{"RC-1"}, Source: input.Pos{File: "docs/req.yml", Line: 20}},
			{ID: "SRS-3", Title: "Old", Status: "obsolete", Parents: []string{"SYS-1"}, Source: input.Pos{File: "docs/req.yml", Line: 30}},
		},
		RiskControls: []model.RiskControl{{ID: "RC-1", Title: "Rate monitor " + reporttest.Hostile, Kind: "protective-measure"}},
		Hazards: []model.Hazard{
			{ID: "HAZ-1", Title: "Over-infusion", Harm: reporttest.Hostile, Controls: []string{"RC-1"},
				Initial: model.RiskEstimate{Severity: "critical", Probability: "occasional"}, Residual: model.RiskEstimate{Severity: "critical", Probability: "improbable"}},
			{ID: "HAZ-2", Title: "Under-infusion", Controls: []string{"RC-1"},
				Initial: model.RiskEstimate{Severity: "critical", Probability: "occasional"}, Residual: model.RiskEstimate{Severity: "serious", Probability: "remote"}},
			{ID: "HAZ-3", Title: "Unestimated"},
			{ID: "HAZ-4", Title: "Odd level", Initial: model.RiskEstimate{Severity: "dire", Probability: "remote"}},
		},
		Tests: []model.TestCase{
			{Name: "TestSystem", Outcome: model.Passed, Requirements: []string{"SYS-1"}},
			{Name: "TestRate", ClassName: "pump", Outcome: model.Passed, Requirements: []string{"SRS-1"}},
			{Name: "TestRateEdge " + reporttest.Hostile, ClassName: "pump", Outcome: model.Failed, Requirements: []string{"SRS-1"}, Message: reporttest.Hostile},
		},
	}
	list := soup.Build(nil, nil, "")
	if edit != nil {
		if l := edit(&c, dhf); l != nil {
			list = l
		}
	}
	m := &gate.Model{Config: &c, DHF: dhf, Graph: trace.Build(dhf, &c, ids), IDs: ids}
	when := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	prb := model.Record{Kind: model.KindProblemReport, ID: "PRB-1", Title: "Rounding " + reporttest.Hostile, State: "open",
		Fields: map[string]string{"criticality": "minor", "type": "corrective", "scope": "dose", "investigation": reporttest.Hostile}, Source: input.Pos{File: "docs/prb/PRB-1.yml", Line: 1}}
	cr := model.Record{Kind: model.KindChangeRequest, ID: "CR-1", Title: "Decimal rounding", State: "closed", Approved: true, URL: "https://github.example/acme/pump/issues/4"}
	f := &gate.ReleaseFacts{
		Model: m, Tag: "v2.0.0", Commit: "1111111111111111111111111111111111111111",
		Previous: &facts.Tag{Name: "v1.0.0", Commit: "0000000000000000000000000000000000000000"},
		Commits: []facts.Commit{
			{SHA: "2222222222222222222222222222222222222222", Parents: []string{"1111111111111111111111111111111111111110"}, Author: "Ada", Committed: when, Message: "Tweak " + reporttest.Hostile},
			{SHA: "1111111111111111111111111111111111111110", Parents: []string{"0000000000000000000000000000000000000000"}, Author: "Ada", Committed: when, Message: "Round in decimal (CR-1)"},
		},
		Links:   map[string][]trace.Link{"1111111111111111111111111111111111111110": {{Kind: config.KindChangeRequest, ID: "CR-1"}}},
		Records: map[string][]model.Record{"CR-1": {cr}}, OpenProblems: []model.Record{prb},
		Plans: []gate.PlanFiles{{Plan: c.Release.Plans[0], Files: []string{"docs/sdp.md"}}, {Plan: c.Release.Plans[1]}},
		SOUP:  &gate.SOUPFacts{List: list, Expected: false},
	}
	res := gate.EvaluateRelease(f, gate.SevError)
	res.Tool = gate.Tool{Name: "tracegate", Version: "1.2.3", Commit: "abcdef0123456789"}
	return &ReleaseEvidence{Result: res, Facts: f, Product: "acme/pump",
		Inputs:       []Input{{Path: "docs/req.yml", Origin: "commit", Kind: "requirements", Format: "tracegate", Items: 4, Size: 10, SHA256: strings.Repeat("a", 64)}},
		InputsDigest: strings.Repeat("d", 64), Generated: when, GeneratedFrom: "the release commit's date", RepoURL: "https://github.example/acme/pump"}
}

func renderRelease(t *testing.T, e *ReleaseEvidence) (*ReleaseDocuments, string) {
	t.Helper()
	d, err := NewReleaseDocuments(e)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := d.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	return d, buf.String()
}

// TestReleaseHTMLSelfContained parses the report as a browser would and
// checks what makes it safe to archive and open: no script, no external
// resource, every internal link resolving, hostile text as text.
func TestReleaseHTMLSelfContained(t *testing.T) {
	e := releaseEvidence(t)
	_, page := renderRelease(t, e)
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	var hrefs []string
	var text strings.Builder
	csp := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "link", "iframe", "object", "embed", "img", "base", "form":
				t.Errorf("element <%s> in the report", n.Data)
			}
			for _, a := range n.Attr {
				switch {
				case a.Key == "id":
					ids[a.Val]++
				case a.Key == "href":
					hrefs = append(hrefs, a.Val)
				case a.Key == "src", strings.HasPrefix(a.Key, "on"):
					t.Errorf("attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
				case a.Key == "http-equiv" && a.Val == "Content-Security-Policy":
					csp = true
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if !csp {
		t.Error("no Content-Security-Policy")
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q used %d times", id, n)
		}
	}
	external := 0
	for _, h := range hrefs {
		switch {
		case strings.HasPrefix(h, "#"):
			if ids[h[1:]] == 0 {
				t.Errorf("link %s leads nowhere", h)
			}
		case strings.HasPrefix(h, "https://github.example/acme/pump/"):
			external++
		default:
			t.Errorf("link to %q", h)
		}
	}
	if external < 3 { // commits, the change request, the problem report's file
		t.Errorf("%d links to the repository, want the commits and records: %v", external, hrefs)
	}
	body := text.String()
	for _, want := range []string{
		"<script>alert(1)</script>", // shown, not run
		"⟨U+202E⟩gnp.exe",           // the override made visible
		"TG302", "IEC 62304 5.8.1", "TG305", "TG306", "TG301", "TG308",
		"acme/pump", strings.Repeat("d", 64), "2024-05-06 07:08:09Z",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the report does not show %q", want)
		}
	}
	if strings.ContainsRune(body, '\u202E') || strings.ContainsRune(body, 0) {
		t.Error("a bidirectional override or NUL reached the page")
	}
	// Every finding names its clauses, and links to the row it concerns
	// when the report has one.
	for _, f := range e.Result.Findings {
		for _, c := range f.Clauses {
			if !strings.Contains(body, c) {
				t.Errorf("clause %s of %s missing", c, f.Rule)
			}
		}
	}
	for _, want := range []string{`href="#req-SRS-1"`, `href="#rc-RC-1"`, `href="#prb-PRB-1"`, `href="#chg-222222222222"`} {
		if !strings.Contains(page, want) {
			t.Errorf("no link %s", want)
		}
	}
	// The footer printed on every page: in a CSS string, escaped; the
	// document's ID and revision at the top of every page.
	if !strings.Contains(page, `@top-right{content:"EVD\2d pump rev v2\2e 0\2e 0"`) {
		t.Error("the document ID and revision are not at the top of every page")
	}
	if !regexp.MustCompile(`@bottom-left\{content:"tracegate 1\\2e 2\\2e 3 \\28 abcdef012345\\29  \\b7  v2\\2e 0\\2e 0 at 1{40} \\b7  inputs sha256\\3a d{64}"`).MatchString(page) {
		i := strings.Index(page, "@bottom-left")
		t.Errorf("page footer rule: %.300s", page[max(i, 0):])
	}
}

// The gaps a reviewer must not miss are marked in words, not only colour.
func TestReleaseHTMLGaps(t *testing.T) {
	_, page := renderRelease(t, releaseEvidence(t))
	row := func(id string) string {
		i := strings.Index(page, `<tr id="`+id+`"`)
		if i < 0 {
			t.Fatalf("no row %s", id)
		}
		j := strings.Index(page[i:], "</tr>")
		return page[i : i+j]
	}
	cases := []struct{ id, class, word string }{
		{"req-SRS-1", `class="gap"`, ">failed<"},
		{"req-SRS-2", `class="gap"`, ">unverified<"},
		{"req-SRS-3", `class="inactive"`, "(inactive)"},
		{"rc-RC-1", `class="gap"`, ">failed<"},
		{"prb-PRB-1", `class="gap"`, "not stated"},
		{"chg-222222222222", `class="gap"`, "not traced"},
	}
	for _, c := range cases {
		r := row(c.id)
		if !strings.Contains(r, c.class) || !strings.Contains(r, c.word) {
			t.Errorf("%s: want %s and %q in\n%s", c.id, c.class, c.word, r)
		}
	}
	if r := row("chg-111111111111"); strings.Contains(r, `class="gap"`) || !strings.Contains(r, `href="https://github.example/acme/pump/issues/4"`) {
		t.Errorf("traced change:\n%s", r)
	}
	if !strings.Contains(page, `<span class="tag bad">missing</span>`) {
		t.Error("the missing plan is not marked")
	}
}

func TestHeatMap(t *testing.T) {
	e := releaseEvidence(t)
	g := e.Facts.Model.Graph
	m := e.Facts.Model.Config.RiskMatrix
	count := func(hm heatMap) map[string]int {
		out := map[string]int{}
		for _, r := range hm.Rows {
			for i, c := range r.Cells {
				if c.Count > 0 {
					out[r.Label.Full+"/"+m.Severity[i]] = c.Count
				}
			}
		}
		return out
	}
	before := newHeatMap(m, g.Hazards, func(h *trace.Hazard) model.RiskEstimate { return h.Initial }, "Before", "initial")
	after := newHeatMap(m, g.Hazards, func(h *trace.Hazard) model.RiskEstimate { return h.Residual }, "After", "residual")
	cases := []struct {
		hm       heatMap
		want     map[string]int
		unplaced []string
	}{
		{before, map[string]int{"occasional/critical": 2}, []string{"HAZ-3: not estimated", "HAZ-4: severity dire, probability remote is not a cell of the policy's matrix"}},
		{after, map[string]int{"improbable/critical": 1, "remote/serious": 1}, []string{"HAZ-3: not estimated", "HAZ-4: not estimated"}},
	}
	for _, c := range cases {
		if got := count(c.hm); !equalMaps(got, c.want) {
			t.Errorf("%s: cells %v, want %v", c.hm.Title, got, c.want)
		}
		if strings.Join(c.hm.Unplaced, "|") != strings.Join(c.unplaced, "|") {
			t.Errorf("%s: unplaced %q, want %q", c.hm.Title, c.hm.Unplaced, c.unplaced)
		}
	}
	// The most probable row is drawn at the top; cells take the policy's
	// acceptability and its colour.
	top := before.Rows[0]
	if top.Label.Full != "frequent" || top.Cells[4].Acceptability != m.Acceptability["frequent"][4] || top.Cells[4].Fill != heatFill[top.Cells[4].Acceptability] {
		t.Errorf("top row: %+v", top)
	}
	odd := newHeatMap(config.RiskMatrix{Severity: []string{"low", "high"}, Probability: []string{"rare"}, Acceptability: map[string][]string{"rare": {"fine"}}}, nil,
		func(h *trace.Hazard) model.RiskEstimate { return h.Initial }, "x", "x")
	if c := odd.Rows[0].Cells; c[0].Fill != heatUnknownFill || c[0].Label != "fine" || c[1].Label != "not in policy" {
		t.Errorf("cells of words the policy made up: %+v", c)
	}
}

func equalMaps(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestAnchor(t *testing.T) {
	cases := []struct{ kind, id, want string }{
		{"req", "SRS-001", "req-SRS-001"},
		{"req", "SRS 1", "req-SRS_201"},
		{"req", "SRS_1", "req-SRS_5f1"},
		{"req", "SRS_201", "req-SRS_5f201"},
		{"rc", `"><x`, "rc-_22_3e_3cx"},
		{"req", "Ü", "req-_c3_9c"},
	}
	seen := map[string]string{}
	for _, c := range cases {
		got := anchor(c.kind, c.id)
		if got != c.want {
			t.Errorf("anchor(%q, %q) = %q, want %q", c.kind, c.id, got, c.want)
		}
		if other, dup := seen[got]; dup {
			t.Errorf("%q and %q share the anchor %q", other, c.id, got)
		}
		seen[got] = c.id
	}
}

// The tables: a CSV per table and a workbook holding the same rows, text
// only, formulas neutralised.
func TestReleaseTables(t *testing.T) {
	d, _ := renderRelease(t, releaseEvidence(t))
	var xbuf bytes.Buffer
	if err := d.WriteXLSX(&xbuf); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(&xbuf)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if sheets := wb.GetSheetList(); sheets[0] != "About" || len(sheets) != len(ReleaseTables())+1 {
		t.Errorf("sheets %v", sheets)
	}
	minRows := map[string]int{"findings": 5, "rules": 10, "traceability": 4, "risk": 4, "risk-controls": 1, "soup": 0,
		"residual-anomalies": 1, "changes": 2, "plans": 2, "inputs": 1}
	for _, name := range ReleaseTables() {
		var buf bytes.Buffer
		if err := d.WriteCSV(&buf, name); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(recs)-1 < minRows[name] {
			t.Errorf("%s: %d rows, want at least %d", name, len(recs)-1, minRows[name])
		}
		sheet := ReleaseTableSheet(name)
		rows, err := wb.GetRows(sheet)
		if err != nil {
			t.Fatalf("%s: %v", sheet, err)
		}
		if len(rows) != len(recs) {
			t.Fatalf("%s: %d sheet rows, %d CSV rows", name, len(rows), len(recs))
		}
		for i := range recs {
			for j, want := range recs[i] {
				got := ""
				if j < len(rows[i]) {
					got = rows[i][j]
				}
				if report.Cell(got) != want {
					t.Errorf("%s row %d col %d: sheet %q, CSV %q", name, i, j, got, want)
				}
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if f, _ := wb.GetCellFormula(sheet, ref); f != "" {
					t.Errorf("%s %s is a formula: %s", sheet, ref, f)
				}
			}
		}
		panes, err := wb.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header not frozen: %+v %v", sheet, panes, err)
		}
	}
	var buf bytes.Buffer
	if err := d.WriteCSV(&buf, "traceability"); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, `,"'=HYPERLINK`) || strings.Contains(out, `,"=HYPERLINK`) || strings.Contains(out, `,=HYPERLINK`) {
		t.Error("a formula in the CSV is not neutralised")
	}
	if err := d.WriteCSV(&buf, "nope"); err == nil {
		t.Error("an unknown table was written")
	}
}

func TestReleaseDocumentsNeedFacts(t *testing.T) {
	for _, e := range []*ReleaseEvidence{nil, {}, {Result: gate.Errored(gate.GateRelease, []string{"x"})}} {
		if _, err := NewReleaseDocuments(e); err == nil {
			t.Errorf("documents of %+v", e)
		}
	}
}

// The same evidence gives the same bytes in every document.
func TestReleaseDocumentsDeterministic(t *testing.T) {
	render := func() [][]byte {
		d, page := renderRelease(t, releaseEvidence(t))
		out := [][]byte{[]byte(page)}
		var x bytes.Buffer
		if err := d.WriteXLSX(&x); err != nil {
			t.Fatal(err)
		}
		out = append(out, x.Bytes())
		for _, name := range ReleaseTables() {
			var b bytes.Buffer
			if err := d.WriteCSV(&b, name); err != nil {
				t.Fatal(err)
			}
			out = append(out, b.Bytes())
		}
		return out
	}
	a, b := render(), render()
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Errorf("document %d differs between two renderings", i)
		}
	}
}

// The report lists the items kept outside the repository, linked where the
// policy gives their address, and shows an evaluated failure as failed with
// its evaluation.
func TestReleaseHTMLExternalAndEvaluated(t *testing.T) {
	e := releaseEvidence(t)
	m := e.Facts.Model
	c := *m.Config
	c.External = []config.External{{Name: "System requirements (Jira)", Pattern: `SR-\d+`, URL: "https://jira.example.com/browse/{id}"}}
	ids, err := trace.NewIDs(&c)
	if err != nil {
		t.Fatal(err)
	}
	m.DHF.Requirements[1].Parents = append(m.DHF.Requirements[1].Parents, "SR-6")
	m.DHF.Tests[2].Evaluation = "accepted: " + reporttest.Hostile
	m.Config, m.IDs, m.Graph = &c, ids, trace.Build(m.DHF, &c, ids)
	_, page := renderRelease(t, e)
	for _, want := range []string{
		"<h3>Items kept outside the repository</h3>",
		`<a href="https://jira.example.com/browse/SR-6">SR-6</a></td><td>System requirements (Jira)</td><td>requirement SRS-1 (parents)</td>`,
		`<span class="tag bad">failed</span> <span class="muted">evaluated: accepted: `,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(page, reporttest.Hostile) {
		t.Error("hostile text is not neutralised")
	}
}

// A change request's approval (approved_by, as recorded) reaches the
// change it traces: in the changes table and the report.
func TestChangeApprovals(t *testing.T) {
	e := releaseEvidence(t)
	d, page := renderRelease(t, e)
	changes := csvTable(t, d, "changes")
	if got := cell(t, changes, "1111111111111111111111111111111111111110", "change_approvals"); got != "CR-1 approved (by whom is not recorded)" {
		t.Errorf("the change traced to CR-1: %q", got)
	}
	if got := cell(t, changes, "2222222222222222222222222222222222222222", "change_approvals"); got != "" {
		t.Errorf("the untraced change: %q", got)
	}
	for _, c := range []struct {
		rec  model.Record
		want string
	}{
		{model.Record{Kind: model.KindChangeRequest, ID: "CR-2", Approved: true, ApprovedBy: "M. Keller <b>"}, "CR-2 approved by M. Keller <b>"},
		{model.Record{Kind: model.KindChangeRequest, ID: "CR-3"}, "CR-3 not approved"},
		{model.Record{Kind: model.KindProblemReport, ID: "PRB-2", Approved: true}, ""},
	} {
		if got := strings.Join(changeApprovals([]model.Record{c.rec}), "|"); got != c.want {
			t.Errorf("%s: %q, want %q", c.rec.ID, got, c.want)
		}
	}
	if row := section(t, page, `<tr id="chg-111111111111"`, "</tr>"); !strings.Contains(row, `<span class="muted">CR-1 approved (by whom is not recorded)</span>`) {
		t.Errorf("the report's row of the change:\n%s", row)
	}
}

// The hazard table says which items' design introduces each hazard
// (Ketryx's itemIntroducesRisk), linked to their rows, as the trace does.
func TestReleaseHTMLIntroducedBy(t *testing.T) {
	for _, introduced := range []bool{false, true} {
		_, page := renderRelease(t, releaseEvidenceWith(t, func(_ *config.Config, d *model.DHF) *soup.List {
			if introduced {
				d.Requirements[1].Introduces = []string{"HAZ-1"}
				d.Hazards[0].IntroducedBy = []string{"SRS-2"}
			}
			return nil
		}))
		i := strings.Index(page, `<tr id="haz-HAZ-1"`)
		if i < 0 {
			t.Fatal("no row haz-HAZ-1")
		}
		row := page[i : i+strings.Index(page[i:], "</tr>")]
		want := `<em>Introduced by:</em> <a href="#req-SRS-1">SRS-1</a>, <a href="#req-SRS-2">SRS-2</a>`
		if got := strings.Contains(row, want); got != introduced {
			t.Errorf("introduced %v: %q in the row is %v:\n%s", introduced, want, got, row)
		}
	}
}

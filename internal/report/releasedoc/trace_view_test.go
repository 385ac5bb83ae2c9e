package releasedoc

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/soup"
)

// tracedEvidence is releaseEvidence with software items and SOUP: item
// pump (class C) holds SRS-1 (with Markdown text) and SRS-2 and uses the
// firmware SBOM, which has a direct and a transitive dependency and eight
// more direct ones; item ui (class B) uses mbedtls by the register alone;
// SRS-3 names an item the policy does not define. A test verifies SRS-2
// by its name, and a failed test links nothing, besides three passing or
// skipped tests counted and not kept.
func tracedEvidence(t *testing.T) *ReleaseEvidence {
	return releaseEvidenceWith(t, func(c *config.Config, dhf *model.DHF) *soup.List {
		c.Items = []config.Item{
			{Name: "pump", Class: model.ClassC, Description: "Rate control", Paths: []string{"src/pump/**"}, SBOMs: []string{"sbom/*.spdx.json"}},
			{Name: "ui", Class: model.ClassB, Paths: []string{"src/ui/**"}},
		}
		dhf.Requirements[1].Item = "pump"
		dhf.Requirements[1].Text = "The pump **shall** hold the rate within 5 %:\n\n- below 1 mL/h: within 0.05 mL/h\n\n<script>alert(1)</script>"
		dhf.Requirements[2].Item = "pump"
		dhf.Requirements[3].Item = "legacy"
		dhf.Tests = append(dhf.Tests,
			model.TestCase{Name: "SRS-2 bounds", ClassName: "pump", Outcome: model.Passed},
			model.TestCase{Name: "TestOrphan", ClassName: "pump", Outcome: model.Failed, Message: "boom\nsecond line"})
		dhf.Unkept = model.TestTotals{Total: 3, Passed: 2, Skipped: 1}
		comps := []model.Component{
			{Name: "freertos", Version: "11.2.0", Type: "library", Dependency: model.DependencyDirect},
			{Name: "zlib", Version: "1.3", Type: "library", Dependency: model.DependencyTransitive},
			{Name: "mbedtls", Version: "2.28", Type: "library", Dependency: model.DependencyTransitive},
		}
		for i := range 8 {
			comps = append(comps, model.Component{Name: "lib" + strconv.Itoa(i), Version: "1", Type: "library", Dependency: model.DependencyDirect})
		}
		sbom := &model.SBOM{File: "sbom/fw.spdx.json", Format: "spdx-json", Components: comps}
		return soup.Build([]*model.SBOM{sbom}, []model.SOUPItem{{Name: "mbedtls", Version: "2.28", Items: []string{"ui"}}}, "docs/soup.yml")
	})
}

func csvTable(t *testing.T, d *ReleaseDocuments, name string) map[string][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := d.WriteCSV(&buf, name); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	for _, r := range recs[1:] {
		rows[r[0]] = r
	}
	rows["<header>"] = recs[0]
	return rows
}

// cell is a row's value in the named column.
func cell(t *testing.T, rows map[string][]string, key, col string) string {
	t.Helper()
	r, ok := rows[key]
	if !ok {
		t.Fatalf("no row %q", key)
	}
	for i, h := range rows["<header>"] {
		if h == col {
			return r[i]
		}
	}
	t.Fatalf("no column %q", col)
	return ""
}

// The trace the other way: each test with the requirements it verifies,
// how each link was made and the risk controls they implement; the tests
// that verify nothing apart; each risk control with its verifying tests.
func TestTraceFromTests(t *testing.T) {
	d, page := renderRelease(t, tracedEvidence(t))
	tests := csvTable(t, d, "tests")
	for _, c := range []struct{ test, result, reqs, via, controls, nothing string }{
		{"pump.TestRate", "passed", "SRS-1", "SRS-1: property", "RC-1", "false"},
		{"pump.SRS-2 bounds", "passed", "SRS-2", "SRS-2: name", "RC-1", "false"},
		{"TestSystem", "passed", "SYS-1", "SYS-1: property", "", "false"},
		{"pump.TestOrphan", "failed", "", "", "", "true"},
	} {
		got := []string{cell(t, tests, c.test, "result"), cell(t, tests, c.test, "requirements"), cell(t, tests, c.test, "linked_by"),
			cell(t, tests, c.test, "risk_controls"), cell(t, tests, c.test, "verifies_nothing")}
		if want := []string{c.result, c.reqs, c.via, c.controls, c.nothing}; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("tests.csv %s: %q, want %q", c.test, got, want)
		}
	}
	if m := cell(t, tests, "pump.TestOrphan", "message"); m != "boom" {
		t.Errorf("the orphan's message: %q", m)
	}

	rcs := csvTable(t, d, "risk-controls")
	if n := cell(t, rcs, "RC-1", "tests"); n != "3" {
		t.Errorf("RC-1 is verified by %s tests, want 3 (two of SRS-1, one of SRS-2)", n)
	}
	results := cell(t, rcs, "RC-1", "test_results")
	for _, want := range []string{"pump.TestRate (passed, via SRS-1)", "(failed, via SRS-1)", "pump.SRS-2 bounds (passed, via SRS-2)"} {
		if !strings.Contains(results, want) {
			t.Errorf("RC-1's tests %q lack %q", results, want)
		}
	}

	nothing := section(t, page, `<h3 id="verifies-nothing">`, "<h2")
	if !strings.Contains(nothing, "1 test case links no requirement") || !strings.Contains(nothing, ">pump.TestOrphan</a>") ||
		strings.Contains(nothing, "TestRate") || !strings.Contains(nothing, "3 further test cases (2 passed, 1 skipped) linked no requirement") {
		t.Errorf("tests that verify nothing:\n%s", nothing)
	}
	row := section(t, page, `<tr id="test-pump_2eTestOrphan-`, "</tr>")
	if !strings.Contains(row, `class="gap"`) || !strings.Contains(row, `<span class="tag warn">nothing</span>`) {
		t.Errorf("the orphan's row is not marked:\n%s", row)
	}
}

// The requirements in full as the SRS, by software item in the policy's
// order, then items it does not define, then requirements of no item;
// their Markdown rendered, raw HTML shown as text.
func TestSRSSection(t *testing.T) {
	d, page := renderRelease(t, tracedEvidence(t))
	srs := section(t, page, `<h2 id="srs"`, `<h2 id="architecture"`)
	order := regexp.MustCompile(`id="(srs-[^"]+)"`).FindAllStringSubmatch(srs, -1)
	var ids []string
	for _, m := range order {
		ids = append(ids, m[1])
	}
	if want := "srs-item-pump srs-SRS-1 srs-SRS-2 srs-item-legacy srs-SRS-3 srs-item- srs-SYS-1"; strings.Join(ids, " ") != want {
		t.Errorf("SRS order %q, want %q", strings.Join(ids, " "), want)
	}
	for _, want := range []string{
		"Software item pump <span class=\"muted\">class C</span>",
		"Software item legacy <span class=\"muted\">class B, not defined by the policy</span>",
		"<p>The pump <strong>shall</strong> hold the rate within 5 %:</p>",
		"<li>below 1 mL/h: within 0.05 mL/h</li>",
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		`implements <a href="#rc-RC-1">RC-1</a>`,
		`refines <a href="#srs-SYS-1">SYS-1</a>`,
	} {
		if !strings.Contains(srs, want) {
			t.Errorf("the SRS lacks %s", want)
		}
	}
	if strings.Contains(srs, "<script>") {
		t.Error("raw HTML of a requirement reached the page")
	}
	// Its own document ID (SRS-{product}, the repository's name) and the
	// release's revision.
	if !strings.Contains(srs, `Document <span class="mono"><strong>SRS-pump</strong></span>, revision <span class="mono"><strong>v2.0.0</strong>`) {
		t.Error("the SRS has no document ID and revision")
	}
	trace := csvTable(t, d, "traceability")
	if txt := cell(t, trace, "SRS-1", "text"); !strings.HasPrefix(txt, "The pump **shall** hold the rate") {
		t.Errorf("traceability.csv carries SRS-1's text as %q", txt)
	}
}

// The architecture view: every item with its class, its requirements and
// the SOUP it uses (by its SBOMs, direct or transitive, and by the
// register), as a table and as an SVG whose lines say which is which.
func TestArchitectureView(t *testing.T) {
	d, page := renderRelease(t, tracedEvidence(t))
	arch := csvTable(t, d, "architecture")
	for _, c := range []struct{ item, class, known, reqs, active string }{
		{"pump", "C", "true", "SRS-1; SRS-2", "2"},
		{"ui", "B", "true", "", "0"},
		{"legacy", "B", "false", "SRS-3", "0"},
	} {
		got := []string{cell(t, arch, c.item, "class"), cell(t, arch, c.item, "in_policy"), cell(t, arch, c.item, "requirements"), cell(t, arch, c.item, "active_requirements")}
		if want := []string{c.class, c.known, c.reqs, c.active}; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("architecture.csv %s: %q, want %q", c.item, got, want)
		}
	}
	pump := cell(t, arch, "pump", "soup")
	for _, want := range []string{"freertos 11.2.0: SBOM sbom/fw.spdx.json (direct dependency)", "zlib 1.3: SBOM sbom/fw.spdx.json (transitive dependency)",
		"mbedtls 2.28: SBOM sbom/fw.spdx.json (transitive dependency)", "lib7 1: SBOM sbom/fw.spdx.json (direct dependency)"} {
		if !strings.Contains(pump, want) {
			t.Errorf("pump's SOUP %q lacks %q", pump, want)
		}
	}
	if ui := cell(t, arch, "ui", "soup"); ui != "mbedtls 2.28: SOUP register (transitive dependency)" {
		t.Errorf("ui's SOUP: %q", ui)
	}
	if s := cell(t, arch, "legacy", "soup"); s != "" {
		t.Errorf("legacy uses %q", s)
	}

	svg := section(t, page, `<svg xmlns="http://www.w3.org/2000/svg" id="architecture-diagram"`, "</svg>")
	solid := strings.Count(svg, `<path class="edge" `)
	dashed := strings.Count(svg, `<path class="edge dashed" `)
	// pump: eight direct components drawn, the other three (lib7 and the
	// two transitive ones) counted in one box; ui: mbedtls, transitive.
	if solid != 8 || dashed != 2 {
		t.Errorf("the diagram has %d solid and %d dashed lines, want 8 and 2", solid, dashed)
	}
	for _, want := range []string{">&#43;3 more component(s)<", "3 further components in pump&#39;s SBOMs (1 beyond the first 8 drawn, 2 transitive or not stated as direct)",
		">class C · 2 requirements<", ">class B · 1 requirement · not in the policy<",
		`fill="#f4b4ac"`, `fill="#ffe2a0"`, "<title>ui uses mbedtls 2.28: SOUP register (transitive dependency)</title>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the diagram lacks %s", want)
		}
	}
}

// section is page from the first occurrence of start to the next of end.
func section(t *testing.T, page, start, end string) string {
	t.Helper()
	i := strings.Index(page, start)
	if i < 0 {
		t.Fatalf("the page has no %s", start)
	}
	j := strings.Index(page[i+len(start):], end)
	if j < 0 {
		return page[i:]
	}
	return page[i : i+len(start)+j]
}

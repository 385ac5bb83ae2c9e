package ingest_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/ingest/readers"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

const policy = `version: 1
ids: { requirement: 'SRS-\d+' }
requirements: [{path: "reqs/**"}]
risks: [{path: "risk/**"}]
tests: [{path: "reports/**"}]
test_sources: []
`

// load reads files with the policy above, every source format: auto.
func load(t *testing.T, files map[string]string) (*model.DHF, error) {
	t.Helper()
	cfg, err := config.Parse(".github/tracegate.yml", []byte(policy))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for p, s := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	return ingest.Load(fsys, cfg, readers.All(), nil)
}

const (
	junit = `<testsuite name="s" tests="2"><testcase classname="c" name="ok"/>` +
		`<testcase classname="c" name="bad"><failure message="boom"/></testcase></testsuite>`
	gotest = `{"Action":"run","Package":"p","Test":"TestBad"}
{"Action":"fail","Package":"p","Test":"TestBad"}
{"Action":"fail","Package":"p"}
`
	markdownReq = "---\nid: SRS-1\ntitle: Hard limit\nstatus: approved\n---\nThe pump shall stop.\n"
	yamlReq     = "- id: SRS-2\n  title: Soft limit\n  text: The pump shall warn.\n  status: approved\n"
	riskYAML    = "hazards:\n  - id: HAZ-1\n    hazard: h\n"
)

// big is a comment line repeated to more than the 8 KiB head that format
// detection used to judge a file by.
func big(line string) string { return strings.Repeat(line, 20<<10/len(line)+1) }

// TestAutoReadsPastProlog: a file the policy matches is recognised however
// much precedes its content — a licence comment, a DOCTYPE, a byte order
// mark, tool chatter — and its failing tests are read, not dropped with a
// warning.
func TestAutoReadsPastProlog(t *testing.T) {
	cases := []struct {
		name, path, data string
		tests, reqs      int
	}{
		{"JUnit behind a long comment", "reports/a.xml", `<?xml version="1.0"?>` + "\n<!--" + big(" licence text\n") + "-->\n" + junit, 2, 0},
		{"JUnit behind a long DOCTYPE", "reports/a.xml", "<!DOCTYPE testsuite [\n" + big("<!-- ] > -->\n<!ENTITY x \"]>\">\n") + "]>\n" + junit, 2, 0},
		{"JUnit behind processing instructions", "reports/a.xml", big("<?pi data?>\n") + junit, 2, 0},
		{"JUnit with a BOM", "reports/a.xml", "\uFEFF" + junit, 2, 0},
		{"go test -json behind go: downloading lines", "reports/go.jsonl", big("go: downloading example.com/mod v1.2.3\n") + gotest, 1, 0},
		{"go test -json with a BOM", "reports/go.jsonl", "\uFEFF" + `{"Action":"fail","Package":"p","Test":"TestBad"}` + "\n", 1, 0},
		{"Markdown behind a licence comment", "reqs/a.md", "<!--\n" + big("SPDX-License-Identifier: MIT\n") + "-->\n" + markdownReq, 0, 1},
		{"Markdown behind blank lines", "reqs/a.md", "\n\n  \n" + markdownReq, 0, 1},
		{"Markdown behind a one-line comment and a BOM", "reqs/a.md", "\uFEFF<!-- Copyright 2026 -->\n\n" + markdownReq, 0, 1},
		{"YAML behind a long licence header", "reqs/a.yml", big("# licence text\n") + yamlReq, 0, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dhf, err := load(t, map[string]string{c.path: c.data})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if n := len(dhf.Tests) + dhf.Unkept.Total; n != c.tests || len(dhf.Requirements) != c.reqs {
				t.Errorf("%d tests and %d requirements read, want %d and %d (warnings %v)", n, len(dhf.Requirements), c.tests, c.reqs, dhf.Warnings)
			}
			bad := 0
			for _, tc := range dhf.Tests {
				if tc.Outcome.Bad() {
					bad++
				}
			}
			if c.tests > 0 && bad == 0 {
				t.Errorf("the failing test was not read: %+v", dhf.Tests)
			}
		})
	}
}

// TestMarkdownLinesAfterProlog: a front matter that follows a licence
// comment is reported at the file's own lines.
func TestMarkdownLinesAfterProlog(t *testing.T) {
	dhf, err := load(t, map[string]string{"reqs/a.md": "<!-- licence\n  text -->\n\n" + markdownReq})
	if err != nil {
		t.Fatal(err)
	}
	if len(dhf.Requirements) != 1 || dhf.Requirements[0].Source.Line != 5 {
		t.Fatalf("requirements %+v, want SRS-1 at line 5", dhf.Requirements)
	}
	_, err = load(t, map[string]string{"reqs/a.md": "<!-- licence -->\n---\nid: SRS-1\n"})
	if err == nil || !strings.Contains(err.Error(), "reqs/a.md:2: front matter opened on line 2 is never closed") {
		t.Errorf("err = %v", err)
	}
}

// TestUnrecognisedIsAnError: a file the policy names as a requirement,
// risk or test file that no reader recognises fails the load, naming the
// file and what to do; it is never skipped with a warning.
func TestUnrecognisedIsAnError(t *testing.T) {
	cases := []struct{ name, path, data, want string }{
		{"HTML under the tests glob", "reports/index.html", "<html><body>42 tests failed</body></html>", `reports/index.html: matched by tests[0] but not recognised as any tests format (gotest-json, junit, qttest, rdm): it starts with "<html><body>42 tests failed</body></html>"`},
		{"XML that is not JUnit", "reports/a.xml", `<?xml version="1.0"?><coverage/>`, "reports/a.xml: matched by tests[0] but not recognised"},
		{"an empty report", "reports/a.xml", "", "reports/a.xml: matched by tests[0] but not recognised as any tests format (gotest-json, junit, qttest, rdm): it is empty"},
		{"a JSON file without events", "reports/a.json", `{"tests": 3}`, "reports/a.json: matched by tests[0] but not recognised"},
		{"a JUnit report behind more than the prolog limit", "reports/a.xml", "<!--" + strings.Repeat("x", input.MaxProlog) + "-->" + junit, "reports/a.xml: matched by tests[0] but not recognised"},
		{"a README under the requirements glob", "reqs/README.md", "# Requirements\n\nid: SRS-1\n", "reqs/README.md: matched by requirements[0] but not recognised as any requirements format (doorstop, rdm, ketryx, markdown, markdown-table, tracegate)"},
		{"Markdown whose front matter has no id", "reqs/a.md", "---\ntitle: x\n---\n", "reqs/a.md: matched by requirements[0] but not recognised"},
		{"a risk file in no risk format", "risk/r.yml", "risks_list:\n  - id: HAZ-1\n", "risk/r.yml: matched by risks[0] but not recognised as any risks format (rdm, csv, ketryx, markdown-table, tracegate)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{c.path: c.data, "reports/ok.xml": junit}
			dhf, err := load(t, files)
			if err == nil {
				t.Fatalf("no error; warnings %v", dhf.Warnings)
			}
			es, ok := err.(input.Errors)
			if !ok || len(es) != 1 {
				t.Fatalf("err = %#v, want one input error", err)
			}
			if !strings.HasPrefix(es[0].Error(), c.want) {
				t.Errorf("error\n  %s\nwant it to start with\n  %s", es[0], c.want)
			}
			if !strings.Contains(es[0].Hint, "set format:") || !strings.Contains(es[0].Hint, "exclude:") {
				t.Errorf("hint %q says neither how to read the file nor how to leave it out", es[0].Hint)
			}
		})
	}
}

// TestReadBudget: a YAML file too large to parse within the read budget is
// refused before it is parsed, naming the file; a report as large is
// streamed and read.
func TestReadBudget(t *testing.T) {
	var b strings.Builder
	for b.Len() < input.ReadBudget/input.TreeFactor+1 {
		b.WriteString(yamlReq)
	}
	_, err := load(t, map[string]string{"reqs/big.yml": b.String()})
	if err == nil || !strings.Contains(err.Error(), "reqs/big.yml: file is 10.7 MiB; reading it would take about") {
		t.Errorf("err = %v", err)
	}
	b.Reset()
	b.WriteString("<testsuite>")
	for b.Len() < input.ReadBudget/input.TreeFactor+1 {
		b.WriteString(`<testcase classname="c" name="t"/>`)
	}
	b.WriteString(`<testcase name="bad"><failure/></testcase></testsuite>`)
	dhf, err := load(t, map[string]string{"reports/big.xml": b.String()})
	if err != nil || len(dhf.Tests) != 1 || dhf.Unkept.Passed < 300_000 {
		t.Errorf("err = %v, %d tests kept, %+v not", err, len(dhf.Tests), dhf.Unkept)
	}
}

// TestKeepsCasesThatMatter: test reports are streamed, and of the cases
// they hold only those that can matter are kept — failed, errored, or able
// to link a requirement (a link property, an ID in the name, a Verifies:
// tag on the function, a requirement's tests: list). The others are
// counted: memory grows with the findings, not with the reports.
func TestKeepsCasesThatMatter(t *testing.T) {
	cfg, err := config.Parse(".github/tracegate.yml", []byte(strings.Replace(policy, "test_sources: []", "test_sources: [src/**]", 1)))
	if err != nil {
		t.Fatal(err)
	}
	var report strings.Builder
	report.WriteString(`<testsuites><testsuite name="s">`)
	for i := 0; i < 1000; i++ {
		report.WriteString(`<testcase classname="c" name="test_plain"/>`)
	}
	report.WriteString(`<testcase classname="c" name="test_bad"><failure/></testcase>` +
		`<testcase classname="c" name="test_skipped"><skipped/></testcase>` +
		`<testcase classname="c" name="test_SRS-7_by_name"/>` +
		`<testcase classname="c" name="test_by_property"><properties><property name="requirement" value="SRS-8"/></properties></testcase>` +
		`<testcase classname="c" name="test_tagged[a-b]"/>` +
		`<testcase classname="c" name="test_listed"/>` +
		`</testsuite></testsuites>`)
	fsys := fstest.MapFS{
		"reports/r.xml": {Data: []byte(report.String())},
		"reqs/r.yml":    {Data: []byte("- id: SRS-9\n  title: t\n  text: x\n  tests: [c.test_listed]\n")},
		"src/test_x.py": {Data: []byte("def test_tagged():\n    # Verifies: SRS-9\n    pass\n")},
	}
	ids := func(s string) []string {
		if i := strings.Index(s, "SRS-"); i >= 0 {
			return []string{s[i : i+5]}
		}
		return nil
	}
	dhf, err := ingest.Load(fsys, cfg, readers.All(), ids)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, tc := range dhf.Tests {
		kept = append(kept, tc.Name)
	}
	want := "test_bad test_SRS-7_by_name test_by_property test_tagged[a-b] test_listed"
	if got := strings.Join(kept, " "); got != want {
		if len(kept) > 10 {
			got = fmt.Sprintf("%d cases", len(kept))
		}
		t.Errorf("kept %s, want %s", got, want)
	}
	if want := (model.TestTotals{Total: 1001, Passed: 1000, Skipped: 1}); dhf.Unkept != want {
		t.Errorf("unkept %+v, want %+v", dhf.Unkept, want)
	}
	for _, f := range dhf.Files {
		if f.Path == "reports/r.xml" && f.Items != 1006 {
			t.Errorf("%s: %d items, want 1006", f.Path, f.Items)
		}
	}
}

// TestSuiteLinksAfterCases: a suite whose link properties follow cases that
// were already judged unlinked is read again keeping every case, so that
// its links reach all of them.
func TestSuiteLinksAfterCases(t *testing.T) {
	dhf, err := load(t, map[string]string{"reports/r.xml": `<testsuite name="s"><testcase name="a"/><testcase name="b"/>` +
		`<properties><property name="requirement" value="SRS-1"/></properties></testsuite>`})
	if err != nil {
		t.Fatal(err)
	}
	if len(dhf.Tests) != 2 || dhf.Unkept.Total != 0 {
		t.Fatalf("tests %+v, unkept %+v", dhf.Tests, dhf.Unkept)
	}
	for _, tc := range dhf.Tests {
		if strings.Join(tc.Requirements, ",") != "SRS-1" {
			t.Errorf("%s links %q, want SRS-1", tc.Name, tc.Requirements)
		}
	}
}

// The policy's column mapping reaches the Markdown table reader, and a
// mapping for a file that another reader reads is an error rather than
// ignored.
func TestTableMappingReachesReader(t *testing.T) {
	cfg, err := config.Parse(".github/tracegate.yml", []byte(`version: 1
ids: { requirement: 'SWR-\d+' }
requirements:
  - path: "docs/*.md"
    columns: { id: "Req. No.", text: Anforderung }
    id_prefixes: { id: SWR- }
  - path: "reqs/*.yml"
    columns: { id: Nr }
risks: []
tests: []
test_sources: []
`))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"docs/srs.md":  {Data: []byte("| Req. No. | Anforderung |\n|---|---|\n| 7 | Die Pumpe stoppt. |\n")},
		"reqs/srs.yml": {Data: []byte(yamlReq)},
	}
	dhf, err := ingest.Load(fsys, cfg, readers.All(), nil)
	if err == nil || !strings.Contains(err.Error(), "reqs/srs.yml: requirements[1] names columns for a Markdown table, and the file is read as tracegate") {
		t.Errorf("mapping on a YAML file: %v", err)
	}
	if len(dhf.Requirements) != 1 || dhf.Requirements[0].ID != "SWR-7" || dhf.Requirements[0].Text != "Die Pumpe stoppt." {
		t.Errorf("requirements %+v", dhf.Requirements)
	}
}

package soupreg

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/input"
)

// The openregulatory template's SOUP list: its risk level definitions and
// mapping table are not SOUP; its one row is, with the template's
// Requirements (5.3.3) and Verification Reasoning read as such, and the
// Software System as the item that uses it.
func TestMarkdownOpenRegulatory(t *testing.T) {
	const file = "testdata/formats/markdown-table/openregulatory/soup-list.md"
	items, warns, err := Read(repo, file, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("%d items", len(items))
	}
	want := "react-native@47:0 markdown-table version=0.61 requirements=* Runs JS on Android / iOS risk=Low " +
		"verification=Commonly used, maintained by a large organisation, sufficient test coverage items=Mobile App"
	if got := summary(items[0]); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	w := warningList(warns)
	for _, s := range []string{
		`columns not read: "ID" (column 1), "Programming Language" (column 4), "Website" (column 6), "Last verified at" (column 7)`,
		`2 table(s) not read as SOUP (no package name column): line 7 ("Classes"`,
	} {
		if !strings.Contains(w, s) {
			t.Errorf("warnings lack %q:\n%s", s, w)
		}
	}
}

// A team's own SOUP table (Cloud Officer's, with bold headers): every one
// of its 47 packages is read with its version, licence and description.
func TestMarkdownCloudOfficer(t *testing.T) {
	const file = "testdata/formats/markdown-table/cloud-officer/soup.md"
	items, warns, err := Read(repo, file, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 47 {
		t.Fatalf("%d items, want 47", len(items))
	}
	want := "alabaster@5:0 markdown-table version=0.7.13 purpose=A light, configurable Sphinx theme license=BSD License " +
		"requirements=Dependency risk=Low verification=Dependency"
	if got := summary(items[0]); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if w := warningList(warns); !strings.Contains(w, `columns not read: "**Language**" (column 1), "**Website**" (column 6), "**Last Verified**" (column 7)`) {
		t.Errorf("warnings:\n%s", w)
	}
}

// The policy's soup.columns names headers of the team's own; a row without
// a name, a purl that is not one, and a column the mapping names that the
// table lacks are errors; a file without a SOUP table says so, and the YAML
// register refuses a mapping.
func TestMarkdownErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"soup.md":  {Data: []byte("| Bibliothek | Hersteller | Version | PURL |\n|---|---|---|---|\n| zlib | Gailly, Adler | 1.3.1 | pkg:github/madler/zlib |\n")},
		"bad.md":   {Data: []byte("| Bibliothek | Version | PURL |\n|---|---|---|\n| | 1.0 | |\n| lwip | 2.2.0 | lwip |\n")},
		"none.md":  {Data: []byte("# SOUP\n\n| Risk Level | Definition |\n|---|---|\n| Low | harmless |\n")},
		"soup.yml": {Data: []byte("soup: []\n")},
	}
	cols := map[string]string{"name": "Bibliothek", "manufacturer": "Hersteller"}
	items, _, err := Read(fsys, "soup.md", cols)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summary(items[0]), "zlib@3:0 markdown-table purl=pkg:github/madler/zlib manufacturer=Gailly, Adler version=1.3.1"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, tc := range []struct {
		file string
		cols map[string]string
		want []string
	}{
		{"bad.md", map[string]string{"name": "Bibliothek"}, []string{`bad.md:3: row without a package name (column "Bibliothek")`, `bad.md:4:18: column "PURL": "lwip" is not a package URL`}},
		{"soup.md", map[string]string{"name": "Bibliothek", "license": "Lizenz"}, []string{`soup.md:1: no column "Lizenz", which the policy's columns: names for the license`}},
		{"none.md", nil, []string{`none.md: no SOUP table: no table of the file has a package name column ("Risk Level", "Definition")`}},
		{"soup.yml", cols, []string{`soup.yml: the policy's soup.columns maps the columns of a Markdown table, and the register is YAML`}},
	} {
		_, _, err := Read(fsys, tc.file, tc.cols)
		if err == nil {
			t.Errorf("%s: no error", tc.file)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error lacks %q:\n%v", tc.file, w, err)
			}
		}
	}
	if _, _, err := Sync("soup.md", fsys["soup.md"].Data, nil); err == nil || !strings.Contains(err.Error(), "Markdown table") {
		t.Errorf("sync: %v", err)
	}
}

func warningList(ws []input.Warning) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(w.String() + "\n")
	}
	return b.String()
}

func FuzzMarkdown(f *testing.F) {
	for _, p := range []string{"testdata/formats/markdown-table/openregulatory/soup-list.md", "testdata/formats/markdown-table/cloud-officer/soup.md"} {
		f.Add([]byte(fixtureF(f, p)))
	}
	for _, s := range []string{
		"| Name | Version | purl |\n|---|---|---|\n| zlib | 1.3.1 | pkg:github/madler/zlib@1.3 |\n| zlib | 1 | |\n",
		"| Package | Version |\n|---|---|\n| | 1 |\n| a | b | c |\n",
		"| Risk Level | Definition |\n|---|---|\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		items, warns, err := parseMarkdown("soup.md", data, nil)
		checkParseOf(t, "soup.md", items, warns, err)
	})
}

// The risk-management template's soup.yaml layout (components:): each
// component read with its publisher as manufacturer, its functional and
// performance requirements joined, its anomaly list as a review that
// names no version (warned once), its source as the list consulted.
func TestComponentsLayout(t *testing.T) {
	const file = "testdata/formats/soup/components-soup.yaml"
	items, warns, err := Read(repo, file, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, summary(it))
	}
	want := []string{
		"fhir-kit-client@21:5 components manufacturer=Vermonster version=1.9.2 purpose=FHIR R4 reads and searches for the questionnaire and observation views license=MIT " +
			"requirements=Functional: correct search-parameter encoding; bearer token on every request\n\nPerformance: none beyond nominal (interactive latency) environment=browser runtime; requires fetch API " +
			"review@32:5{version= date= reviewer= sources=https://registry.npmjs.org/fhir-kit-client summary= anomalies=GHSA-0000-fkc-0001:_count parameter ignored on paged searches\n\n" +
			"Affects paging only; the views request a single page. Not safety-relevant — no harm-risk issue.\n\nStatus: not-affected (single-page queries)}",
		"chart.js@39:5 components manufacturer=Chart.js contributors version=4.4.1 purpose=trend plot of questionnaire scores license=MIT " +
			"requirements=Functional: line chart of dated values with fixed axes\n\nPerformance: none beyond nominal environment=browser runtime with canvas",
	}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d:\n got %q\nwant %q", i, got[i], want[i])
		}
	}
	if w := warningList(warns); !strings.Contains(w, "1 entry has an anomaly list (anomalies:) that names no version") {
		t.Errorf("warnings:\n%s", w)
	}
	data, _ := fs.ReadFile(repo, file)
	if _, _, err := Sync(file, data, nil); err == nil || !strings.Contains(err.Error(), "components: register") {
		t.Errorf("sync: %v", err)
	}
	_, _, err = Parse("s.yaml", []byte("components:\n  - version: 1\n    anomalies: [{summary: x}]\n"))
	if err == nil || !strings.Contains(err.Error(), "has no name") || !strings.Contains(err.Error(), "has no id") {
		t.Errorf("errors: %v", err)
	}
}

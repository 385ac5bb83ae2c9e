package requirement

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/config"
)

// The openregulatory template's software requirements list, as the
// template writes it: its mapping tables are not requirements, its five
// rows are, with the Software System as the item and the Category as the
// type; the yes/no column and the risk IDs (which name hazards, not
// controls) are reported as not read.
func TestMarkdownTableOpenRegulatory(t *testing.T) {
	const file = "testdata/formats/markdown-table/openregulatory/software-requirements-list.md"
	if got := detected(t, repo, file); got != "markdown-table" {
		t.Fatalf("detected as %q", got)
	}
	// The FMEA template's preliminary hazards analysis has an ID and a
	// Description: its file is a risk file, not a requirement list.
	if got := detected(t, repo, "testdata/formats/markdown-table/openregulatory/risk-table-fmea.md"); got != "" {
		t.Errorf("the FMEA table detected as %q", got)
	}
	items, err := MarkdownTable{}.ReadTable(repo, file, config.Table{IDPrefixes: map[string]string{"id": "SWR-"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"SWR-1@45:0 type=functional item=App",
		"SWR-2@46:0 type=user interface item=App",
		"SWR-3@47:0 type=functional item=App",
		"SWR-4@48:0 type=security item=Backend",
		"SWR-5@49:0 type=interface item=Backend",
	}
	if got := summaries(items.Requirements); !slices.Equal(got, want) {
		t.Errorf("requirements:\n got %q\nwant %q", got, want)
	}
	if got := items.Requirements[2].Text; got != "Average CPU usage < 2%" {
		t.Errorf("text of SWR-3: %q", got)
	}
	w := strings.Join(warnings(items.Warnings), "\n")
	for _, s := range []string{`columns not read: "Risk Control Measure?" (column 5), "Related Risk IDs" (column 6)`,
		"3 table(s) not read as requirements", "line 18 (\"Classes\""} {
		if !strings.Contains(w, s) {
			t.Errorf("warnings lack %q:\n%s", s, w)
		}
	}
}

// A column mapping names headers of the team's own; a requirement is read
// as the native format reads it, and what it cannot be is an error at its
// row: no ID, an ID with a space, a class that is not one, a method that
// is not one, free text in an ID list. The whole file then yields nothing.
func TestMarkdownTableMappingAndErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"srs.md": {Data: []byte("# SRS\n\n| Req. No. | Requirement | Class | Verification | Parents | Controls |\n|---|---|---|---|---|---|\n" +
			"| SRS-1 | The pump shall stop. | C | test | SYS-1, SYS-2 | RC-1<br>RC-2 |\n" +
			"| | no id | | | | |\n" +
			"| SRS 3 | space in id | | | | |\n" +
			"| SRS-4 | bad class | D | | | |\n" +
			"| SRS-5 | bad method | | tested | | |\n" +
			"| SRS-6 | free text link | | | the system requirement | |\n")},
		"ok.md": {Data: []byte("| Req. No. | Requirement | Class | Verification | Parents | Controls |\n|---|---|---|---|---|---|\n" +
			"| SRS-1 | The pump shall stop. | c | Inspection | SYS-1, SYS-2 | RC-1<br>RC-2 |\n\n| | | | | | |\n")},
	}
	m := config.Table{Columns: map[string]string{"id": "Req. No.", "risk_controls": "Controls"}}
	items, err := MarkdownTable{}.ReadTable(fsys, "ok.md", m)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summaries(items.Requirements), []string{"SRS-1@3:0 class=C verification=inspection parents=SYS-1,SYS-2 rc=RC-1,RC-2"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	_, err = MarkdownTable{}.ReadTable(fsys, "srs.md", m)
	var got []string
	for _, e := range errorList(t, err) {
		got = append(got, e.Pos.String()+" "+e.Msg)
	}
	want := []string{
		`srs.md:6 row without an ID (column "Req. No.")`,
		`srs.md:7:3 "SRS 3" is not an ID: it contains white space`,
		`srs.md:8:23 column "Class": unknown software safety class "D", expected A, B or C`,
		`srs.md:9:26 column "Verification": "tested" is not a verification method`,
		`srs.md:10:32 "the system requirement" in column "Parents" is not an ID`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
	// Without the mapping the file has no requirement table; the error is
	// about the format, not a parser's.
	_, err = MarkdownTable{}.ReadTable(fsys, "ok.md", config.Table{})
	if err == nil || !strings.Contains(err.Error(), "no requirement table") {
		t.Errorf("unmapped: %v", err)
	}
	// A mapped header the table lacks is an error, not a silently empty field.
	_, err = MarkdownTable{}.ReadTable(fsys, "ok.md", config.Table{Columns: map[string]string{"id": "Req. No.", "status": "State"}})
	if err == nil || !strings.Contains(err.Error(), `no column "State"`) {
		t.Errorf("missing column: %v", err)
	}
}

// Rows that do not fit their header are errors: a missing cell would shift
// the values after it, an extra one would be dropped by GFM.
func TestMarkdownTableRagged(t *testing.T) {
	fsys := fstest.MapFS{"r.md": {Data: []byte("| ID | Text | Status |\n|---|---|---|\n| SRS-1 | stop |\n| SRS-2 | go | approved | extra |\n")}}
	_, err := MarkdownTable{}.Read(fsys, "r.md")
	var got []string
	for _, e := range errorList(t, err) {
		got = append(got, e.Pos.String()+" "+e.Msg)
	}
	want := []string{"r.md:3 row has 2 cells, the table's header (line 1) has 3", "r.md:4 row has more cells than the table's header (line 1, 3 cells)"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// The YAML readers name a Markdown file as what it is.
func TestYAMLReadersRefuseMarkdown(t *testing.T) {
	fsys := fstest.MapFS{"srs.md": {Data: []byte("| ID | Text |\n|---|---|\n| SRS-1 | x |\n")}}
	_, err := Tracegate{}.Read(fsys, "srs.md")
	if err == nil || !strings.Contains(err.Error(), "a Markdown file, and format tracegate reads YAML") || !strings.Contains(err.Error(), "markdown-table") {
		t.Errorf("tracegate: %v", err)
	}
	_, err = RDM{}.Read(fsys, "srs.md")
	if err == nil || !strings.Contains(err.Error(), "a Markdown file, and format rdm reads YAML") {
		t.Errorf("rdm: %v", err)
	}
}

// The documented example table and policies of docs/formats.md read as
// they say, so that the documentation cannot drift from the reader.
func TestMarkdownTableDocumented(t *testing.T) {
	policies, tables := docBlocks(t, "### Registers kept as Markdown tables (`markdown-table`)")
	if len(policies) != 2 || len(tables) != 1 {
		t.Fatalf("%d policies, %d tables in the section", len(policies), len(tables))
	}
	for _, p := range policies {
		if _, err := config.Parse("p.yml", []byte("version: 1\n"+p)); err != nil {
			t.Errorf("policy %q: %v", p, err)
		}
	}
	items, err := MarkdownTable{}.Read(fstest.MapFS{"srs.md": {Data: []byte(tables[0])}}, "srs.md")
	if err != nil {
		t.Fatal(err)
	}
	if got := summaries(items.Requirements); !slices.Equal(got, []string{"SWR-1@3:0 type=functional item=App parents=UN-1"}) {
		t.Errorf("example read as %q", got)
	}
}

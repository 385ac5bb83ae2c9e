package risk

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
)

// The openregulatory FMEA template, as written: the hazards and analysis
// table gives the hazard with both estimates (P | S | Acceptable? before
// and after the Risk Control ID(s) column), the risk control measures
// table the control; the preliminary hazards analysis, the failure modes
// and the mapping tables are named in a warning. Hazard and control are
// both numbered 1 in the template: id_prefixes tell them apart.
func TestMarkdownTableFMEA(t *testing.T) {
	const file = "testdata/formats/markdown-table/openregulatory/risk-table-fmea.md"
	if !(MarkdownTable{}).Detect(repo, file, mustRead(t, file)) {
		t.Fatal("not detected")
	}
	if (CSV{}).Detect(repo, file, mustRead(t, file)) {
		t.Fatal("the CSV reader claims a Markdown file")
	}
	items, err := MarkdownTable{}.ReadTable(repo, file, config.Table{IDPrefixes: map[string]string{"id": "HAZ-", "risk_controls": "RCM-"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(items.Hazards) != 1 || len(items.RiskControls) != 1 {
		t.Fatalf("%d hazards, %d controls", len(items.Hazards), len(items.RiskControls))
	}
	hz := items.Hazards[0]
	got := fmt.Sprintf("%s %s|%s|%s|%s %+v %+v %v %s", hz.ID, hz.Hazard, hz.Situation, hz.Harm, hz.Source, hz.Initial, hz.Residual, hz.Controls, hz.Format)
	want := "HAZ-1 Wrong Covid prediction|User thinks he is healthy, but has Covid|Disease progression|" + file +
		":97 {Severity:S2 Probability:P4 HarmProbability: Acceptability: Declared:unacceptable} {Severity:S2 Probability:P3 HarmProbability: Acceptability: Declared:acceptable} [RCM-1] markdown-table"
	if got != want {
		t.Errorf("hazard:\n got %s\nwant %s", got, want)
	}
	rc := items.RiskControls[0]
	if got, want := fmt.Sprintf("%s %q %s %s", rc.ID, rc.Description, rc.Kind, rc.Source), "RCM-1 \"Check prediction algorithm with test data\" protective-measure "+file+":118"; got != want {
		t.Errorf("control:\n got %s\nwant %s", got, want)
	}
	w := warningText(items.Warnings)
	for _, s := range []string{
		`columns not read: "p1" (column 3), "p2" (column 5), "p1*p2" (column 7), "Comment" (column 11)`,
		`4 table(s) not read as hazards or risk controls: line 3 ("ISO 14971:2019 Section"`,
		`line 44 ("ID", "Source", "Description", "Hazard ID(s)"); line 63 ("ID", "Software System", "Failure Mode", "Hazard ID(s)")`,
		`"Verification Implementation" (column 7)`,
	} {
		if !strings.Contains(w, s) {
			t.Errorf("warnings lack %q:\n%s", s, w)
		}
	}
	if strings.Contains(w, "P1 and P2 are not combined") {
		t.Errorf("the P1×P2 advice given though the table has a P column:\n%s", w)
	}
}

func warningText(ws []input.Warning) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(w.String() + "\n")
	}
	return b.String()
}

// Columns of the team's own, and every row that cannot be read an error.
func TestMarkdownTableRiskErrors(t *testing.T) {
	fsys := fstest.MapFS{"risk.md": {Data: []byte("## Hazards\n\n| Nr. | Gefährdung | Schaden | Maßnahmen |\n|---|---|---|---|\n" +
		"| 1 | Überdosis | Atemdepression | 1, 2 |\n| | ohne ID | x | |\n| 3 | x | y | Alarm ertönt |\n\n" +
		"## Risk control measures\n\n| ID | Measure | Type |\n|---|---|---|\n| 1 | Rate monitor | Protective measure |\n| 2 | Label | warning sign |\n")}}
	m := config.Table{
		Columns:    map[string]string{"id": "Nr.", "hazard": "Gefährdung", "harm": "Schaden", "risk_controls": "Maßnahmen"},
		IDPrefixes: map[string]string{"id": "HAZ-", "risk_controls": "RC-"},
	}
	_, err := MarkdownTable{}.ReadTable(fsys, "risk.md", m)
	checkErrs(t, err, []wantErr{
		{"risk.md:6", "row without an ID"},
		{"risk.md:7:15", `"Alarm ertönt" in column "Maßnahmen" is not a risk control ID`},
		{"risk.md:14:15", `"warning sign" in column "Type" is not a risk control option`},
	})
	fsys["ok.md"] = &fstest.MapFile{Data: []byte("| Nr. | Gefährdung | Schaden | Maßnahmen |\n|---|---|---|---|\n| 1 | Überdosis | Atemdepression | 1<br>RC-7 |\n")}
	items, err := MarkdownTable{}.ReadTable(fsys, "ok.md", m)
	if err != nil {
		t.Fatal(err)
	}
	if got := items.Hazards[0]; got.ID != "HAZ-1" || got.Harm != "Atemdepression" || !slices.Equal(got.Controls, []string{"RC-1", "RC-7"}) {
		t.Errorf("hazard %+v", got)
	}
	// A file without a hazard or control table says so.
	fsys["none.md"] = &fstest.MapFile{Data: []byte("# Risks\n\nNone yet.\n")}
	_, err = MarkdownTable{}.Read(fsys, "none.md")
	checkErrs(t, err, []wantErr{{"none.md", "no hazard or risk control table: the file holds no table"}})
	// The YAML readers name the file a Markdown file.
	_, err = Native{}.Read(fsys, "ok.md")
	checkErrs(t, err, []wantErr{{"ok.md", "a Markdown file, and format tracegate reads YAML"}})
}

func FuzzMarkdownTable(f *testing.F) {
	f.Add(mustRead(f, "testdata/formats/markdown-table/openregulatory/risk-table-fmea.md"))
	for _, s := range []string{
		"| ID | Hazard | P | S | Risk Control ID(s) | P | S | Acceptable? |\n|-|-|-|-|-|-|-|-|\n| 1 | x | P1 | S1 | 1<br>2 | P1 | S1 | yes |\n",
		"## Risk control measures\n\n| ID | Measure |\n|---|---|\n| RC-1 | alarm |\n| | |\n",
		"| ID | Harm | Harm |\n|---|---|---|\n| 1 | x | y |\n",
		"| ID | Type |\n|---|---|\n| 1 | Inherent safety by design |\n| 2 | x y |\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, MarkdownTable{}, "docs/risk/fmea.md", data) })
}

package risk

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

const (
	csvCommaFixture = "testdata/formats/csv/risk-register.csv"
	csvSemiFixture  = "testdata/formats/csv/risk-register-semicolon.csv"
)

func TestCSVFixtures(t *testing.T) {
	ids := func(hs []model.Hazard) []string {
		var out []string
		for _, h := range hs {
			out = append(out, h.ID)
		}
		return out
	}
	t.Run("comma, LibreOffice", func(t *testing.T) {
		items, err := CSV{}.Read(repo, csvCommaFixture)
		if err != nil {
			t.Fatal(err)
		}
		checkWarns(t, items.Warnings, []wantErr{{csvCommaFixture + ":1", `columns not read: "Owner" (column 14), "Comments" (column 15)`}})
		want := []string{"HAZ-001", "HAZ-002", "HAZ-003", "HAZ-004", "HAZ-005", "HAZ-006", "HAZ-007", "HAZ-008", "HAZ-009", "HAZ-010"}
		if got := ids(items.Hazards); !reflect.DeepEqual(got, want) {
			t.Fatalf("IDs = %v", got)
		}
		if len(items.RiskControls) != 0 {
			t.Errorf("a CSV register defines no controls, got %v", items.RiskControls)
		}
		at := func(line int) input.Pos { return input.Pos{File: csvCommaFixture, Line: line} }
		for _, tc := range []struct {
			name      string
			got, want any
		}{
			{"first row, with a multi-line cell", items.Hazards[0], model.Hazard{
				ID: "HAZ-001", Title: "Over-infusion", Hazard: "Excess drug delivery (energy/substance)",
				Cause:     "1. Rate is converted from mL/h to motor steps\n2. The conversion overflows above 999 mL/h\n3. The motor runs faster than programmed",
				Situation: "Patient receives the drug faster than prescribed", Harm: "Overdose; respiratory depression",
				Initial:  model.RiskEstimate{Severity: "catastrophic", Probability: "occasional"},
				Controls: []string{"RC-001", "RC-002"},
				Residual: model.RiskEstimate{Severity: "catastrophic", Probability: "improbable", Declared: "alarp"},
				BenefitRisk: "A third channel would need a second encoder; the benefit of controlled infusion of " +
					"high-alert drugs outweighs the remaining risk (RMR-001 §6).",
				Source: at(2), Format: "csv",
			}},
			// HAZ-001 spans lines 2-4: the next row starts on line 5.
			{"row after a multi-line cell", items.Hazards[1].Source, at(5)},
			{"yes means acceptable", items.Hazards[1].Residual.Declared, "acceptable"},
			{"controls on two lines", items.Hazards[3].Controls, []string{"RC-005", "RC-006"}},
			{"controls after a semicolon", items.Hazards[4].Controls, []string{"RC-007", "RC-008"}},
			// Line 10 is a blank row; HAZ-006 is on line 11.
			{"row after a blank row", items.Hazards[5].Source, at(11)},
			{"last row", items.Hazards[9].Source, at(15)},
		} {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("%s:\ngot  %+v\nwant %+v", tc.name, tc.got, tc.want)
			}
		}
	})
	t.Run("semicolon, Excel CSV UTF-8", func(t *testing.T) {
		items, err := CSV{}.Read(repo, csvSemiFixture)
		if err != nil {
			t.Fatal(err)
		}
		checkWarns(t, items.Warnings, []wantErr{{csvSemiFixture + ":1", `columns not read: "Comments" (column 14)`}})
		if got, want := ids(items.Hazards), []string{"HAZ-001", "HAZ-002", "HAZ-003", "HAZ-004", "HAZ-007", "HAZ-010"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("IDs = %v", got)
		}
		at := func(line int) input.Pos { return input.Pos{File: csvSemiFixture, Line: line} }
		for _, tc := range []struct {
			name      string
			got, want any
		}{
			// S and P are numbers; the first "Acceptability" judges the
			// initial estimate, the one after the residual columns the
			// residual one.
			{"first row", items.Hazards[0], model.Hazard{
				ID: "HAZ-001", Hazard: "Über-Infusion: excess drug delivery",
				Cause:     "Rate conversion from mL/h to motor steps overflows above 999 mL/h",
				Situation: "Patient receives the drug faster than prescribed", Harm: "Overdose; respiratory depression",
				Initial:     model.RiskEstimate{Severity: "5", Probability: "3", Declared: "unacceptable"},
				Controls:    []string{"RC-001", "RC-002"},
				Residual:    model.RiskEstimate{Severity: "5", Probability: "1", Declared: "alarp"},
				BenefitRisk: "Benefit of controlled infusion outweighs the remaining risk (RMR-001 §6).",
				Source:      at(2), Format: "csv",
			}},
			{"multi-line cells keep their line break", items.Hazards[3].Cause, "Occlusion threshold read from an uninitialised field;\nno alarm is raised"},
			{"controls across lines", items.Hazards[3].Controls, []string{"RC-005", "RC-006"}},
			{"row after multi-line cells", items.Hazards[4].Source, at(8)},
			{"doubled quotes", items.Hazards[5].Cause, `mcg shown as "mg"-sized text next to the value`},
		} {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("%s:\ngot  %+v\nwant %+v", tc.name, tc.got, tc.want)
			}
		}
	})
}

func TestCSV(t *testing.T) {
	const file = "docs/risk/register.csv"
	at := func(line int) input.Pos { return input.Pos{File: file, Line: line} }
	for _, tc := range []struct {
		name      string
		src       string
		hazards   []model.Hazard
		wantWarns []wantErr
	}{
		{
			name: "BOM, sep= line, CRLF, trailing empty rows and cells",
			src:  "\ufeffsep=;\r\nHazard ID;Harm;Mitigation(s)\r\nHAZ-1;Burn;\"RC-1, RC-2 ; RC-1\"\r\n;;\r\n;;;\r\n",
			hazards: []model.Hazard{{ID: "HAZ-1", Harm: "Burn", Controls: []string{"RC-1", "RC-2"},
				Source: at(3), Format: "csv"}},
		},
		{
			name: "title rows above the header",
			src:  "Risk register – infusion pump,,\n,,\nRevision 3,,\nID,Hazard,Harm\nHAZ-1,Air,Embolism\n",
			hazards: []model.Hazard{{ID: "HAZ-1", Hazard: "Air", Harm: "Embolism",
				Source: at(5), Format: "csv"}},
			wantWarns: []wantErr{{file + ":1", "2 row(s) above the header row (line 4) are not read"}},
		},
		{
			name: "header synonyms",
			src: "No.,Name,Hazard description,Foreseeable sequence of events,Situation,Potential harm,Initial severity,Likelihood (before)," +
				"Risk control measures,Final severity,P (post),Risk acceptability,Benefit/risk justification\n" +
				"7,Leak,Fluid,Seal fails,Wet device,Shock,4,3,RC-9,4,1,Acceptable,n/a\n",
			hazards: []model.Hazard{{ID: "7", Title: "Leak", Hazard: "Fluid", Cause: "Seal fails", Situation: "Wet device", Harm: "Shock",
				Initial: model.RiskEstimate{Severity: "4", Probability: "3"}, Controls: []string{"RC-9"},
				Residual:    model.RiskEstimate{Severity: "4", Probability: "1", Declared: "acceptable"},
				BenefitRisk: "n/a", Source: at(2), Format: "csv"}},
		},
		{
			name: "acceptability before the residual columns is the initial one",
			src:  "ID,Harm,Acceptability,Residual severity,Residual probability,Residual risk acceptable\nHAZ-1,Burn,no,minor,remote,Y\n",
			hazards: []model.Hazard{{ID: "HAZ-1", Harm: "Burn", Initial: model.RiskEstimate{Declared: "unacceptable"},
				Residual: model.RiskEstimate{Severity: "minor", Probability: "remote", Declared: "acceptable"}, Source: at(2), Format: "csv"}},
		},
		{
			name: "unknown acceptability kept as written",
			src:  "ID,Harm,Residual acceptability\nHAZ-1,Burn,To Be Decided\n",
			hazards: []model.Hazard{{ID: "HAZ-1", Harm: "Burn", Residual: model.RiskEstimate{Declared: "to be decided"},
				Source: at(2), Format: "csv"}},
			wantWarns: []wantErr{{file + ":2:12", `"To Be Decided" in column "Residual acceptability" is not an acceptability level`}},
		},
		{
			name: "unnamed columns are reported only when they hold data; P1 and P2",
			src:  "ID,Harm,,P1,P2,\nHAZ-1,Burn,note,0.1,0.5,\n",
			hazards: []model.Hazard{{ID: "HAZ-1", Harm: "Burn",
				Source: at(2), Format: "csv"}},
			wantWarns: []wantErr{{file + ":1", `columns not read: column 3 (no header), "P1" (column 4), "P2" (column 5); P1 and P2 are not combined`}},
		},
		{
			name: "quoted cell spanning lines with CRLF inside",
			src:  "ID,Harm,Cause\r\n\"HAZ-1\",\"Burn\",\"line one\r\nline \"\"two\"\"\"\r\nHAZ-2,Cut,x\r\n",
			hazards: []model.Hazard{
				{ID: "HAZ-1", Harm: "Burn", Cause: "line one\nline \"two\"", Source: at(2), Format: "csv"},
				{ID: "HAZ-2", Harm: "Cut", Cause: "x", Source: at(4), Format: "csv"},
			},
		},
		{
			name: "a semicolon inside a header cell does not win over commas",
			src:  "ID,Hazard,Severity (before; initial)\nHAZ-1,Heat,2\n",
			hazards: []model.Hazard{{ID: "HAZ-1", Hazard: "Heat", Initial: model.RiskEstimate{Severity: "2"},
				Source: at(2), Format: "csv"}},
		},
		{
			name: "tab-separated",
			src:  "ID\tHarm\tCause\nHAZ-1\tBurn\ta, b; c\n",
			hazards: []model.Hazard{{ID: "HAZ-1", Harm: "Burn", Cause: "a, b; c",
				Source: at(2), Format: "csv"}},
		},
		{
			name:      "header only",
			src:       "ID,Hazard\n",
			wantWarns: []wantErr{{file + ":1", "risk register has a header row but no hazards"}},
		},
		{
			name:      "empty file",
			src:       "\ufeff\n\n",
			wantWarns: []wantErr{{file, "risk register is empty"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, err := readText(t, CSV{}, file, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(items.Hazards, tc.hazards) {
				t.Errorf("hazards\ngot  %+v\nwant %+v", items.Hazards, tc.hazards)
			}
			checkWarns(t, items.Warnings, tc.wantWarns)
		})
	}
}

func TestCSVErrors(t *testing.T) {
	const file = "r.csv"
	for _, tc := range []struct {
		name string
		src  string
		want []wantErr
	}{
		{"no ID column", "Hazard,Harm\nAir,Embolism\n",
			[]wantErr{{"r.csv:1", `no ID column in the header row ("Hazard", "Harm")`}}},
		{"two ID columns", "ID,Hazard ID,Harm\n1,2,x\n",
			[]wantErr{{"r.csv:1", `ambiguous header: columns 1 ("ID") and 2 ("Hazard ID") both give the ID`}}},
		{"two initial severities", "ID,Severity,Initial severity\n",
			[]wantErr{{"r.csv:1", "both give the initial severity"}}},
		{"row with too few cells", "ID,Harm,Cause\nHAZ-1,Burn\nHAZ-2,Cut,x,\n",
			[]wantErr{{"r.csv:2", "row has 2 cells, the header row (line 1) has 3"}}},
		{"row with extra content", "ID,Harm\nHAZ-1,Burn,oops\n",
			[]wantErr{{"r.csv:2", "row has 3 cells"}}},
		{"row without ID, reported with every other problem", "ID,Harm,Risk controls\n,Burn,RC-1\nHAZ 2,Cut,\nHAZ-3,x,\"RC-1, see SOP-7\"\n",
			[]wantErr{{"r.csv:2", `row without an ID (column "ID")`},
				{"r.csv:3:1", `"HAZ 2" is not an ID`},
				{"r.csv:4:9", `"see SOP-7" in column "Risk controls" is not a risk control ID`}}},
		{"bare quote", "ID,Harm\nHAZ-1,5\" tube\n",
			[]wantErr{{"r.csv:2:8", `bare " in non-quoted-field`}}},
		{"unclosed quote", "ID,Harm\nHAZ-1,\"Burn\nHAZ-2,Cut\n",
			[]wantErr{{"r.csv:3:11", `extraneous or missing " in quoted-field (in the row starting at line 2)`}}},
		{"Windows-1252 beyond the sniffed head", "ID,Harm\n" + strings.Repeat("HAZ-1,x\n", 1200) + "HAZ-2,50 \xb5L\n",
			[]wantErr{{"r.csv:1202:10", "invalid UTF-8 (byte 0xB5: a Latin-1 or Windows-1252 character?)"}}},
		{"Windows-1252 in the head", "ID,Harm\nHAZ-1,50 \xb5L\n",
			[]wantErr{{"r.csv:2:10", `export the sheet as "CSV UTF-8"`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, err := readText(t, CSV{}, file, tc.src)
			if err == nil {
				t.Fatalf("no error; read %+v", items)
			}
			checkErrs(t, err, tc.want)
		})
	}
}

func FuzzCSV(f *testing.F) {
	f.Add(mustRead(f, csvCommaFixture))
	f.Add(mustRead(f, csvSemiFixture))
	for _, s := range []string{
		"\ufeffsep=;\r\nID;Harm;Mitigations\r\nHAZ-1;x;\"RC-1;\nRC-2\"\r\n;;\r\n",
		"title\n\nID,Hazard,Acceptability,Residual severity,Acceptability\nHAZ-1,x,yes,2,no\n",
		"ID,Harm\nHAZ-1,\"unclosed\n",
		"ID,Harm\nHAZ-1\n",
		"sep=",
		"sep=\"\nID\"Harm\n",
		"ID,ID\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, CSV{}, "docs/risk/r.csv", data) })
}

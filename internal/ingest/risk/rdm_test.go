package risk

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// rdmFixture is an rdm risk file of the infusion pump, in the shape of rdm's
// template with an id on every risk; rdmTemplate is rdm's template itself,
// as `rdm init` writes it, which has none.
const (
	rdmFixture  = "testdata/formats/rdm/with-ids/data/risk.yml"
	rdmTemplate = "testdata/formats/rdm/data/risk.yml"
)

// rdm's template writes its example risk without an id. tracegate reads it
// under its position, with a warning that says how to fix it, rather than
// refusing the file or dropping the risk.
func TestRDMTemplate(t *testing.T) {
	if !(RDM{}).Detect(repo, rdmTemplate, mustRead(t, rdmTemplate)) {
		t.Error("rdm's template is not detected as rdm")
	}
	items, err := RDM{}.Read(repo, rdmTemplate)
	if err != nil {
		t.Fatal(err)
	}
	if len(items.Hazards) != 1 || items.Hazards[0].ID != "RISK-1" || items.Hazards[0].Hazard != "Incorrect information" ||
		items.Hazards[0].Initial.Severity != "Catastrophic" || items.Hazards[0].Initial.Probability != "Low" {
		t.Fatalf("hazards = %+v", items.Hazards)
	}
	found := false
	for _, w := range items.Warnings {
		if w.Pos.String() == rdmTemplate+":37:7" && strings.Contains(w.Msg, "risks[0]: risk without an id, read as RISK-1 (its position in the list); rdm's template leaves id out") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning about the missing id in %v", items.Warnings)
	}
}

func TestRDMRiskWithoutID(t *testing.T) {
	fsys := fstest.MapFS{"risk.yml": {Data: []byte("risks:\n    - hazard: Incorrect information\n      severity: Catastrophic\n    - id: null\n      hazard: x\n    - id: HAZ-3\n")}}
	items, err := RDM{}.Read(fsys, "risk.yml")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range items.Hazards {
		ids = append(ids, h.ID)
	}
	if strings.Join(ids, " ") != "RISK-1 RISK-2 HAZ-3" {
		t.Errorf("ids = %v", ids)
	}
	checkWarns(t, items.Warnings, []wantErr{{"risk.yml:2:7", "risks[0]: risk without an id, read as RISK-1"}, {"risk.yml:4:7", "risks[1]: risk without an id, read as RISK-2"}})
}

func TestRDMFixture(t *testing.T) {
	items, err := RDM{}.Read(repo, rdmFixture)
	if err != nil {
		t.Fatal(err)
	}
	at := func(line, col int) input.Pos { return input.Pos{File: rdmFixture, Line: line, Col: col} }
	checkWarns(t, items.Warnings, []wantErr{
		{rdmFixture + ":39:7", "keys not read by tracegate: software_item (7×), notes (3×), control_measures.evidence_of_effectiveness (2×)"},
	})
	var ids []string
	for _, h := range items.Hazards {
		ids = append(ids, h.ID)
	}
	if want := []string{"HAZ-001", "HAZ-002", "HAZ-003", "HAZ-004", "HAZ-005", "HAZ-007", "HAZ-010"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("hazard IDs = %v, want %v", ids, want)
	}
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"first risk", items.Hazards[0], model.Hazard{
			ID: "HAZ-001", Title: "Excess drug delivery", Hazard: "Excess drug delivery",
			Cause: "- The dose engine converts the programmed rate from mL/h to motor steps\n" +
				"  and the conversion overflows for rates above 999 mL/h\n" +
				"- The motor is commanded at a rate above the programmed rate",
			Situation: "The patient receives the drug faster than prescribed",
			Harm:      "Overdose; respiratory depression",
			Initial:   model.RiskEstimate{Severity: "Catastrophic", Probability: "Medium"},
			Controls:  []string{"RC-001"},
			Residual:  model.RiskEstimate{Severity: "Catastrophic", Probability: "Extremely Low"},
			Source:    at(37, 7), Format: "rdm",
		}},
		{"control measures as an ID string", items.Hazards[1].Controls, []string{"RC-003"}},
		{"control measures as a list of mappings", items.Hazards[2].Controls, []string{"RC-004"}},
		{"control measures as a list of IDs", items.Hazards[3].Controls, []string{"RC-005", "RC-006"}},
		{"template placeholder and null residual", items.Hazards[5].Controls, []string(nil)},
		{"null residual", items.Hazards[5].Residual, model.RiskEstimate{}},
		{"mapping and ID mixed", items.Hazards[6].Controls, []string{"RC-008", "RC-013"}},
		{"controls defined by mappings", len(items.RiskControls), 4},
		{"control from the template's mapping", items.RiskControls[0], model.RiskControl{
			ID:          "RC-001",
			Description: "A second processor recomputes the delivered volume from motor encoder steps and stops the pump on a mismatch above 5 %.",
			Hazards:     []string{"HAZ-001"}, Source: at(49, 9), Format: "rdm",
		}},
		// RC-008 is written under HAZ-005 and HAZ-010 alike: one control.
		{"repeated control merged", items.RiskControls[3].Hazards, []string{"HAZ-005", "HAZ-010"}},
		{"repeated control keeps its first place", items.RiskControls[3].Source, at(112, 11)},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", tc.name, tc.got, tc.want)
		}
	}
}

func TestRDM(t *testing.T) {
	const file = "regulatory/data/risk.yml"
	pos := func(line, col int) input.Pos { return input.Pos{File: file, Line: line, Col: col} }
	for _, tc := range []struct {
		name      string
		src       string
		hazards   []model.Hazard
		controls  []model.RiskControl
		wantWarns []wantErr
	}{
		{
			// The shape of one version of rdm's template (rdm/init_files/data/risk.yml
			// at 20ae8a2e): a numeric id and the control_measures placeholder.
			name: "template shape with numeric id",
			src: "risk_levels:\n    - label: Low\n      description: Acceptable\nrisks:\n    - id: 1\n      hazard: Wrong dose shown\n" +
				"      software_item: Display\n      events: |\n          - A rounding error\n      hazardous_situation: Nurse reads a wrong dose\n" +
				"      harm: Overdose\n      severity: Critical\n      probability: Low\n      control_measures:\n        desciption: null\n" +
				"        evidence_of_effectiveness: null\n      residual_severity: null\n      residual_probability: null\n" +
				"      notes: Unlikely to go unnoticed.\n",
			hazards: []model.Hazard{{ID: "1", Title: "Wrong dose shown", Hazard: "Wrong dose shown", Cause: "- A rounding error", Situation: "Nurse reads a wrong dose",
				Harm: "Overdose", Initial: model.RiskEstimate{Severity: "Critical", Probability: "Low"}, Source: pos(5, 7), Format: "rdm"}},
			wantWarns: []wantErr{{file + ":7:7", "keys not read by tracegate: software_item (1×), notes (1×)"}},
		},
		{
			name: "prose control measures are reported, IDs kept",
			src: "risks:\n  - id: HAZ-1\n    control_measures: |\n      - RC-1\n      - The nurse double-checks the rate\n" +
				"  - id: HAZ-2\n    control_measures: [RC-2, Alarm on occlusion, RC-2]\n",
			hazards: []model.Hazard{
				{ID: "HAZ-1", Controls: []string{"RC-1"}, Source: pos(2, 5), Format: "rdm"},
				{ID: "HAZ-2", Controls: []string{"RC-2"}, Source: pos(6, 5), Format: "rdm"},
			},
			wantWarns: []wantErr{
				{file + ":3:23", "risks[0].control_measures: control measure written as text without an ID"},
				{file + ":7:30", "risks[1].control_measures[1]: control measure written as text without an ID"},
			},
		},
		{
			name: "control measure mapping without id",
			src:  "risks:\n  - id: HAZ-1\n    control_measures:\n      desciption: Independent monitor\n",
			hazards: []model.Hazard{
				{ID: "HAZ-1", Source: pos(2, 5), Format: "rdm"},
			},
			wantWarns: []wantErr{{file + ":4:7", "risks[0].control_measures: control measure without an id"}},
		},
		{
			name: "tracegate additions and differing definitions of one control",
			src: "risks:\n  - id: HAZ-1\n    title: Over-infusion\n    benefit_risk: Outweighed by the benefit.\n" +
				"    control_measures:\n      - {id: RC-1, title: Monitor, kind: Protective measures, requirements: 'SRS-1, SRS-2'}\n" +
				"  - id: HAZ-2\n    control_measures:\n      - {id: RC-1, title: Monitor v2}\n",
			hazards: []model.Hazard{
				{ID: "HAZ-1", Title: "Over-infusion", BenefitRisk: "Outweighed by the benefit.", Controls: []string{"RC-1"}, Source: pos(2, 5), Format: "rdm"},
				{ID: "HAZ-2", Controls: []string{"RC-1"}, Source: pos(7, 5), Format: "rdm"},
			},
			controls: []model.RiskControl{
				{ID: "RC-1", Title: "Monitor", Kind: "protective-measure", Hazards: []string{"HAZ-1"}, Requirements: []string{"SRS-1", "SRS-2"},
					Source: pos(6, 9), Format: "rdm"},
				{ID: "RC-1", Title: "Monitor v2", Hazards: []string{"HAZ-2"}, Source: pos(9, 9), Format: "rdm"},
			},
		},
		{
			name:      "misspelt key is reported",
			src:       "risks:\n  - id: HAZ-1\n    residual_severty: Minor\n",
			hazards:   []model.Hazard{{ID: "HAZ-1", Source: pos(2, 5), Format: "rdm"}},
			wantWarns: []wantErr{{file + ":3:5", "keys not read by tracegate: residual_severty (1×)"}},
		},
		{
			name: "no risks yet",
			src:  "risks:\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, err := readText(t, RDM{}, file, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(items.Hazards, tc.hazards) {
				t.Errorf("hazards\ngot  %+v\nwant %+v", items.Hazards, tc.hazards)
			}
			if !reflect.DeepEqual(items.RiskControls, tc.controls) {
				t.Errorf("controls\ngot  %+v\nwant %+v", items.RiskControls, tc.controls)
			}
			checkWarns(t, items.Warnings, tc.wantWarns)
		})
	}
}

func TestRDMErrors(t *testing.T) {
	const file = "risk.yml"
	for _, tc := range []struct {
		name string
		src  string
		want []wantErr
	}{
		{"id with a space", "risks:\n  - id: HAZ 1\n", []wantErr{{"risk.yml:2:9", `risks[0].id: "HAZ 1" is not an ID`}}},
		{"id is a mapping", "risks:\n  - id: {a: 1}\n", []wantErr{{"risk.yml:2:9", "risks[0].id: expected an ID, found a mapping"}}},
		{"text is a list", "risks:\n  - id: HAZ-1\n    harm: [death]\n    severity: {level: 5}\n",
			[]wantErr{{"risk.yml:3:11", "risks[0].harm: expected text, found a list"},
				{"risk.yml:4:15", "risks[0].severity: expected text, found a mapping"}}},
		{"unknown control kind", "risks:\n  - id: HAZ-1\n    control_measures: {id: RC-1, kind: training}\n",
			[]wantErr{{"risk.yml:3:40", `risks[0].control_measures.kind: unknown risk control kind "training"`}}},
		{"control measure id blank", "risks:\n  - id: HAZ-1\n    control_measures: [{id: '', desciption: x}]\n",
			[]wantErr{{"risk.yml:3:24", "risks[0].control_measures[0]: control measure without an id"}}},
		{"control requirements that are not IDs", "risks:\n  - id: HAZ-1\n    control_measures: {id: RC-1, requirements: [SRS-1, {a: 1}, 'SRS 2']}\n",
			[]wantErr{{"risk.yml:3:56", "risks[0].control_measures.requirements[1]: expected an ID, found a mapping"},
				{"risk.yml:3:64", `risks[0].control_measures.requirements[2]: "SRS 2" is not an ID`}}},
		{"nested list", "risks:\n  - id: HAZ-1\n    control_measures: [[RC-1]]\n",
			[]wantErr{{"risk.yml:3:24", "risks[0].control_measures[0]: expected a control measure, found a list"}}},
		{"risks not a list", "risks: {id: 1}\n", []wantErr{{"risk.yml:1:8", "risks: expected a list of risks"}}},
		{"risk not a mapping", "risks:\n  - HAZ-1\n", []wantErr{{"risk.yml:2:5", "risks[0]: expected a risk"}}},
		{"no risks key", "risk_levels: []\n", []wantErr{{"risk.yml:1:1", "no risks list"}}},
		{"top level is a list", "- id: 1\n", []wantErr{{"risk.yml:1:1", "expected rdm's risk file"}}},
		{"empty file", "", []wantErr{{"risk.yml", "expected rdm's risk file"}}},
		{"syntax error", "risks:\n  - id: 1\n   hazard: x\n", []wantErr{{"risk.yml:3:4", "invalid YAML"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, err := readText(t, RDM{}, file, tc.src)
			if err == nil {
				t.Fatalf("no error; read %+v", items)
			}
			checkErrs(t, err, tc.want)
		})
	}
}

func FuzzRDM(f *testing.F) {
	f.Add(mustRead(f, rdmFixture))
	f.Add(mustRead(f, rdmTemplate))
	for _, s := range []string{
		"risks:\n  - id: 1\n    control_measures: {desciption: null, evidence_of_effectiveness: null}\n",
		"risks:\n  - id: HAZ-1\n    control_measures: [{id: RC-1, kind: x}, '- RC-2\n- text', [RC-3]]\n",
		"risks:\n  - id: HAZ-1\n    control_measures: [{id: RC-1}]\n  - id: HAZ-2\n    control_measures: [{id: RC-1, title: t}]\n",
		"risks:\n  - id: HAZ-1\n    a/b~c: 1\n",
		"risks: 3\n",
		"- 1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, RDM{}, "data/risk.yml", data) })
}

// rdm's matrix is read into the policy's orientation (a row per probability
// level) from rdm's (a row per severity level), its levels' meaning from
// their descriptions; a matrix that does not fit its levels is read as far
// as it fits, with problems for validate (TG120), never guessed.
func TestRDMMatrix(t *testing.T) {
	read := func(t *testing.T, p string) model.RiskMatrix {
		t.Helper()
		items, err := RDM{}.Read(repo, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(items.RiskMatrices) != 1 {
			t.Fatalf("%d matrices", len(items.RiskMatrices))
		}
		return items.RiskMatrices[0]
	}
	t.Run("rdm's template", func(t *testing.T) {
		m := read(t, "testdata/formats/rdm-projects/rdm-template/regulatory/data/risk.yml")
		if len(m.Problems) != 0 {
			t.Errorf("problems: %v", m.Problems)
		}
		want := map[string][]string{
			"Extremely Low":  {"acceptable", "acceptable", "acceptable", "acceptable", "acceptable"},
			"Low":            {"acceptable", "acceptable", "acceptable", "acceptable", "alarp"},
			"Medium":         {"acceptable", "acceptable", "acceptable", "alarp", "alarp"},
			"High":           {"acceptable", "acceptable", "alarp", "alarp", "unacceptable"},
			"Extremely High": {"acceptable", "alarp", "alarp", "unacceptable", "unacceptable"},
		}
		if !reflect.DeepEqual(m.Acceptability, want) {
			t.Errorf("acceptability:\n%v\nwant\n%v", m.Acceptability, want)
		}
		if !reflect.DeepEqual(m.Severity, []string{"Negligible", "Minor", "Serious", "Critical", "Catastrophic"}) ||
			!reflect.DeepEqual(m.Probability, []string{"Extremely Low", "Low", "Medium", "High", "Extremely High"}) {
			t.Errorf("levels: %v / %v", m.Severity, m.Probability)
		}
		if m.Levels["Medium"] != "alarp (from its description)" || m.Source.Line != 1 {
			t.Errorf("levels %v, source %v", m.Levels, m.Source)
		}
	})
	t.Run("three probability levels, five columns (ACPSEM thursday)", func(t *testing.T) {
		m := read(t, "testdata/formats/rdm-projects/acpsem-thursday/regulatory/data/risk.yml")
		if len(m.Problems) != 1 || !strings.Contains(m.Problems[0], "every row of risk_acceptability_matrix has 5 cells, but there are 3 probability levels") {
			t.Errorf("problems: %v", m.Problems)
		}
		// The cells that exist for the levels are read.
		if got := m.Acceptability["Low"]; !reflect.DeepEqual(got, []string{"acceptable", "acceptable", "acceptable", "acceptable", "acceptable"}) {
			t.Errorf("Low: %v", got)
		}
	})
	for _, tc := range []struct{ name, src, problem string }{
		{"a key missing", "risk_levels: [{label: Low, description: Acceptable}]\nrisks: []\n", "risk_probability_levels is missing"},
		{"a row missing", "risk_levels: [{label: Low}, {label: High}]\nrisk_probability_levels: [{label: P1}]\nrisk_severity_levels: [{label: S1}, {label: S2}]\n" +
			"risk_acceptability_matrix: [[Low]]\nrisks: []\n", "has 1 rows, but there are 2 severity levels"},
		{"a cell names no level", "risk_levels: [{label: Low}, {label: High}]\nrisk_probability_levels: [{label: P1}]\nrisk_severity_levels: [{label: S1}]\n" +
			"risk_acceptability_matrix: [[Hihg]]\nrisks: []\n", `cell (severity S1, probability P1) of risk_acceptability_matrix is "Hihg", which is not a label of risk_levels`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, err := readText(t, RDM{}, "data/risk.yml", tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if len(items.RiskMatrices) != 1 || len(items.RiskMatrices[0].Problems) == 0 || !strings.Contains(strings.Join(items.RiskMatrices[0].Problems, "\n"), tc.problem) {
				t.Errorf("matrices %+v, want a problem %q", items.RiskMatrices, tc.problem)
			}
		})
	}
	if _, err := readText(t, RDM{}, "data/risk.yml", "risk_levels: {Low: x}\nrisks: []\n"); err == nil || !strings.Contains(err.Error(), "risk_levels: expected a list of levels") {
		t.Errorf("a level list that is a mapping: %v", err)
	}
}

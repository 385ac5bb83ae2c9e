package risk

import (
	"reflect"
	"testing"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

const nativeFixture = "testdata/formats/tracegate/risk-analysis.yml"

func TestNativeFixture(t *testing.T) {
	items, err := Native{}.Read(repo, nativeFixture)
	if err != nil {
		t.Fatal(err)
	}
	if len(items.Warnings) != 0 {
		t.Errorf("warnings: %v", items.Warnings)
	}
	var ids []string
	for _, h := range items.Hazards {
		ids = append(ids, h.ID)
	}
	wantIDs := []string{"HAZ-001", "HAZ-002", "HAZ-003", "HAZ-004", "HAZ-005", "HAZ-006", "HAZ-007", "HAZ-008", "HAZ-009", "HAZ-010"}
	if !reflect.DeepEqual(ids, wantIDs) {
		t.Fatalf("hazard IDs = %v", ids)
	}
	if len(items.RiskControls) != 13 {
		t.Fatalf("%d risk controls, want 13", len(items.RiskControls))
	}
	at := func(line, col int) input.Pos { return input.Pos{File: nativeFixture, Line: line, Col: col} }
	for _, tc := range []struct {
		got, want any
	}{
		{items.Hazards[0], model.Hazard{
			ID: "HAZ-001", Title: "Over-infusion", Hazard: "Excess drug delivery (energy/substance)",
			Cause: "The dose engine computes a pump rate above the programmed rate, e.g. after an " +
				"integer overflow when the rate is converted from mL/h to motor steps.",
			Situation: "Patient receives the drug faster than prescribed",
			Harm:      "Overdose; respiratory depression",
			Initial:   model.RiskEstimate{Severity: "catastrophic", Probability: "occasional"},
			Controls:  []string{"RC-001", "RC-002"},
			Residual:  model.RiskEstimate{Severity: "catastrophic", Probability: "improbable", Declared: "alarp"},
			BenefitRisk: "Residual risk is as low as reasonably practicable: a third independent channel would " +
				"need a second motor encoder, and the clinical benefit of controlled infusion of " +
				"high-alert drugs outweighs the remaining risk (see RMR-001 section 6).",
			Source: at(4, 5), Format: "tracegate",
		}},
		// A single string is a list of one; integers are kept as their text.
		{items.Hazards[1].Controls, []string{"RC-003"}},
		{items.Hazards[6].Initial, model.RiskEstimate{Severity: "3", Probability: "4"}},
		{items.Hazards[6].Residual, model.RiskEstimate{Severity: "3", Probability: "2"}},
		{items.Hazards[2].Residual.Declared, "acceptable"},
		{items.Hazards[9].Source, at(102, 5)},
		{items.RiskControls[0], model.RiskControl{
			ID: "RC-001", Title: "Independent rate monitor", Kind: "protective-measure",
			Description:  "A second processor recomputes the delivered volume from motor encoder steps and stops the pump on a mismatch above 5 %.",
			Hazards:      []string{"HAZ-001"},
			Requirements: []string{"SRS-010", "SRS-011"},
			Source:       at(114, 5), Format: "tracegate",
		}},
		// The standard's wording is normalised.
		{items.RiskControls[1].Kind, "inherent-safety"},
		{items.RiskControls[1].Requirements, []string{"SRS-012"}},
		{items.RiskControls[2].Kind, "protective-measure"},
		{items.RiskControls[7].Kind, "information-for-safety"},
		{items.RiskControls[4].Description, ""},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("got  %+v\nwant %+v", tc.got, tc.want)
		}
	}
}

func TestNativeValid(t *testing.T) {
	const file = "docs/risk/r.yml"
	for _, tc := range []struct {
		name      string
		src       string
		hazards   []model.Hazard
		controls  []model.RiskControl
		wantWarns []wantErr
	}{
		{
			name: "controls only",
			src:  "risk_controls:\n  - id: RC-1\n    kind: ' Inherent-Safety '\n    hazards: 'HAZ-1, HAZ-2; HAZ-1'\n",
			controls: []model.RiskControl{{ID: "RC-1", Kind: "inherent-safety", Hazards: []string{"HAZ-1", "HAZ-2"},
				Source: input.Pos{File: file, Line: 2, Col: 5}, Format: "tracegate"}},
		},
		{
			name: "lists de-duplicated in file order, strings trimmed, nulls empty",
			src: "hazards:\n- id: '  HAZ-7 '\n  title:\n  harm: '  Burn  '\n  risk_controls: [RC-2, 'RC-1,RC-2', ' RC-3 ']\n" +
				"  initial: {severity: ' 2 ', probability: 5}\n  residual:\n",
			hazards: []model.Hazard{{ID: "HAZ-7", Harm: "Burn", Controls: []string{"RC-2", "RC-1", "RC-3"},
				Initial: model.RiskEstimate{Severity: "2", Probability: "5"},
				Source:  input.Pos{File: file, Line: 2, Col: 3}, Format: "tracegate"}},
		},
		{
			name: "acceptability in any case, kind in the standard's words",
			src: "hazards:\n  - id: HAZ-1\n    initial: {severity: minor, probability: remote, acceptability: Acceptable}\n" +
				"risk_controls:\n  - id: RC-1\n    kind: Protective Measures\n  - id: RC-2\n    kind: information_for_safety\n  - id: RC-3\n    kind:\n",
			hazards: []model.Hazard{{ID: "HAZ-1", Initial: model.RiskEstimate{Severity: "minor", Probability: "remote", Declared: "acceptable"},
				Source: input.Pos{File: file, Line: 2, Col: 5}, Format: "tracegate"}},
			controls: []model.RiskControl{
				{ID: "RC-1", Kind: "protective-measure", Source: input.Pos{File: file, Line: 5, Col: 5}, Format: "tracegate"},
				{ID: "RC-2", Kind: "information-for-safety", Source: input.Pos{File: file, Line: 7, Col: 5}, Format: "tracegate"},
				{ID: "RC-3", Source: input.Pos{File: file, Line: 9, Col: 5}, Format: "tracegate"},
			},
		},
		{
			name:      "empty file",
			src:       "# nothing yet\n",
			wantWarns: []wantErr{{file, "risk file is empty"}},
		},
		{
			name: "empty lists",
			src:  "hazards: []\nrisk_controls:\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, err := readText(t, Native{}, file, tc.src)
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

func TestNativeErrors(t *testing.T) {
	const file = "r.yml"
	for _, tc := range []struct {
		name string
		src  string
		want []wantErr
	}{
		{"misspelt key", "hazards:\n  - id: HAZ-1\n    risk_contols: [RC-1]\n",
			[]wantErr{{"r.yml:3:5", `unknown key "risk_contols" in hazards[0]`}}},
		{"unknown top-level key", "hazard:\n  - id: HAZ-1\n",
			[]wantErr{{"r.yml:1:1", `unknown key "hazard"`}}},
		{"unknown key in an estimate", "hazards:\n  - id: HAZ-1\n    initial: {severity: 1, probability: 1, risk: high}\n",
			[]wantErr{{"r.yml:3:44", `unknown key "risk" in hazards[0].initial`}}},
		{"missing id", "risk_controls:\n  - title: Alarm\n",
			[]wantErr{{"r.yml:2:5", "risk_controls[0]: missing property 'id'"}}},
		{"blank id", "hazards:\n  - id: ''\n    title: x\n  - title: y\n    id: '  '\n",
			[]wantErr{{"r.yml:2:5", "hazards[0]: hazard without an id"}, {"r.yml:4:5", "hazards[1]: hazard without an id"}}},
		{"id with a space", "hazards:\n  - id: HAZ 1\n",
			[]wantErr{{"r.yml:2:9", `hazards[0].id: "HAZ 1" is not an ID`}}},
		{"id is a number", "hazards:\n  - id: 7\n",
			[]wantErr{{"r.yml:2:9", "hazards[0].id"}}},
		{"estimate without probability", "hazards:\n  - id: HAZ-1\n    residual: {severity: minor}\n",
			[]wantErr{{"r.yml:3:15", "hazards[0].residual: missing property 'probability'"}}},
		{"level zero", "hazards:\n  - id: HAZ-1\n    initial: {severity: 0, probability: 2.5}\n",
			[]wantErr{{"r.yml:3:25", "hazards[0].initial.severity"}, {"r.yml:3:41", "hazards[0].initial.probability"}}},
		{"level of the wrong type", "hazards:\n  - id: HAZ-1\n    initial: {severity: true, probability: ''}\n",
			[]wantErr{{"r.yml:3:25", "hazards[0].initial.severity"}, {"r.yml:3:44", "hazards[0].initial.probability"}}},
		{"blank level", "hazards:\n  - id: HAZ-1\n    initial: {severity: ' ', probability: x}\n",
			[]wantErr{{"r.yml:3:25", "hazards[0].initial.severity is blank"}}},
		{"unknown acceptability", "hazards:\n  - id: HAZ-1\n    residual: {severity: a, probability: b, acceptability: tolerable}\n",
			[]wantErr{{"r.yml:3:60", `hazards[0].residual.acceptability: "tolerable" is not an acceptability level`}}},
		{"unknown control kind", "risk_controls:\n  - id: RC-1\n    kind: training\n  - id: RC-2\n    kind: labelling\n",
			[]wantErr{{"r.yml:3:11", `risk_controls[0].kind: unknown risk control kind "training"`},
				{"r.yml:5:11", `risk_controls[1].kind: unknown risk control kind "labelling"`}}},
		{"prose in an ID list", "hazards:\n  - id: HAZ-1\n    risk_controls: [RC-1, the nurse checks]\n",
			[]wantErr{{"r.yml:3:27", `hazards[0].risk_controls[1]: "the nurse checks" is not an ID`}}},
		{"list of the wrong type", "risk_controls:\n  - id: RC-1\n    requirements: {SRS-1: yes}\n",
			[]wantErr{{"r.yml:3:19", "risk_controls[0].requirements"}}},
		{"top level is a list", "- id: HAZ-1\n",
			[]wantErr{{"r.yml:1:1", "(top level)"}}},
		{"two documents", "hazards: []\n---\nrisk_controls: []\n",
			[]wantErr{{"r.yml:2:1", "file holds 2 YAML documents"}}},
		{"syntax error", "hazards:\n  - id: [HAZ-1\n",
			[]wantErr{{"r.yml:2:9", "invalid YAML"}}},
		{"duplicate key", "hazards:\n  - id: HAZ-1\n    id: HAZ-2\n",
			[]wantErr{{"r.yml:3:5", `duplicate key "id"`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, err := readText(t, Native{}, file, tc.src)
			if err == nil {
				t.Fatalf("no error; read %+v", items)
			}
			if items != nil {
				t.Errorf("items returned with an error: %+v", items)
			}
			checkErrs(t, err, tc.want)
		})
	}
}

func TestNativeRefusesBinary(t *testing.T) {
	_, err := readText(t, Native{}, "r.yml", "hazards:\x00\n")
	checkErrs(t, err, []wantErr{{"r.yml:1:9", "binary content (a NUL byte at byte 8)"}})
}

func FuzzNative(f *testing.F) {
	f.Add(mustRead(f, nativeFixture))
	for _, s := range []string{
		"hazards:\n  - id: HAZ-1\n    initial: {severity: 1, probability: remote, acceptability: ALARP}\n",
		"risk_controls:\n  - id: RC-1\n    kind: Inherent safety by design\n    hazards: 'HAZ-1,HAZ-1; HAZ-2'\n",
		"hazards: &a\n  - id: HAZ-1\n    risk_controls: *a\n",
		"hazards:\n  - id: HAZ-1\n    <<: {title: x}\n",
		"hazards:\n  - {id: ' ', initial: {severity: 0x10, probability: 1e3}}\n",
		"hazards: []\n---\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, Native{}, "docs/risk/r.yml", data) })
}

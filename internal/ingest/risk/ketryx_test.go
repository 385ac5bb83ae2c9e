package risk

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/model"
)

// kxSummary renders what a Ketryx Risk yielded, so that a failing case
// shows every difference at once.
func kxSummary(items *ingest.Items) string {
	var b strings.Builder
	for _, h := range items.Hazards {
		fmt.Fprintf(&b, "%s@%d %q hazard=%q situation=%q harm=%q cause=%q benefit=%q initial=%s residual=%s controls=%s introduced=%s\n",
			h.ID, h.Source.Line, h.Title, h.Hazard, h.Situation, h.Harm, h.Cause, h.BenefitRisk,
			estimate(h.Initial), estimate(h.Residual), strings.Join(h.Controls, ","), strings.Join(h.IntroducedBy, ","))
	}
	for _, c := range items.RiskControls {
		fmt.Fprintf(&b, "control %s@%d %q implemented by %s for %s implicit=%v description=%q\n",
			c.ID, c.Source.Line, c.Title, strings.Join(c.Requirements, ","), strings.Join(c.Hazards, ","), c.Implicit, c.Description)
	}
	for _, e := range items.Elsewhere {
		fmt.Fprintf(&b, "elsewhere %s: %s at %s required=%v\n", e.Kind, e.What, e.Pos, e.Required)
	}
	return b.String()
}

func estimate(e model.RiskEstimate) string {
	s := e.Severity + "/" + e.Probability
	if e.HarmProbability != "" {
		s += "×" + e.HarmProbability
	}
	if e.Declared != "" {
		s += "(" + e.Declared + ")"
	}
	return s
}

// A Ketryx Risk is a hazard whose controls are the items that control it:
// one control per (risk, item), implemented by that item, so that the gate
// judges it by the item's verification (TG305).
func TestKetryxRead(t *testing.T) {
	const f = "items/RSK-1.md"
	cases := []struct {
		name, data string
		want       string
		warns      []wantErr
		errs       []wantErr
	}{
		{name: "front matter fields, P1 only, both relation directions",
			data: "---\nitemId: RSK-1\nitemType: Risk\nitemTitle: Over-infusion\nitemIsRiskControlledBy: SRS-1, SDS-2\nitemIntroducesRisk: SDS-9\n" +
				"Hazard: Excess drug\nHarm: Overdose\nInitial severity: Critical\nInitial likelihood of occurrence (P1): Medium\n" +
				"Residual severity: Critical\nResidual likelihood of occurrence (P1): Low\nRisk acceptability: ALARP\nHazard type: Energy\n---\n# Heading\n",
			want: "RSK-1@2 \"Over-infusion\" hazard=\"Excess drug\" situation=\"\" harm=\"Overdose\" cause=\"\" benefit=\"\" initial=Critical/Medium residual=Critical/Low(alarp) controls=RSK-1/SRS-1,RSK-1/SDS-2 introduced=SDS-9\n" +
				"control RSK-1/SRS-1@5 \"RSK-1 is risk controlled by SRS-1\" implemented by SRS-1 for RSK-1 implicit=true description=\"\"\n" +
				"control RSK-1/SDS-2@5 \"RSK-1 is risk controlled by SDS-2\" implemented by SDS-2 for RSK-1 implicit=true description=\"\"\n",
			warns: []wantErr{{"items/RSK-1.md:6:1", "itemIntroducesRisk (SDS-9) on Risk RSK-1 is read as the items that introduce it"}}},
		{name: "body sections as KetryxDemo writes them, P1 and P2, YAML list",
			data: "---\nitemId: RSK-2\nitemType: Risk\nitemIsRiskControlledBy: [SPEC-1]\nInitial severity: High\nInitial likelihood of occurrence (P1): Medium\n" +
				"Initial likelihood of harm (P2): High\nResidual severity: High\nResidual Occurrence Probability: Low\nResidual Harm Probability: High\n---\n\n" +
				"# Specimen mix-up\n\n## Item fields\n\n### Hazard\n\nWrong accession.\n\n### Hazardous situation\n\nTwo patients hold exchanged results.\n\n" +
				"### Harm\n\n**Patient A**\n\n- missed cancer\n\n### Sequence of events\n\n1. Two specimens.\n2. Mixed.\n\n" +
				"### Risk controls description\n\nIdentity is verified (SPEC-1).\n\n### Benefit-risk analysis\n\nNone.\n",
			want: "RSK-2@2 \"Specimen mix-up\" hazard=\"Wrong accession.\" situation=\"Two patients hold exchanged results.\" harm=\"**Patient A**\\n\\n- missed cancer\" cause=\"1. Two specimens.\\n2. Mixed.\" benefit=\"None.\" initial=High/Medium×High residual=High/Low×High controls=RSK-2/SPEC-1 introduced=\n" +
				"control RSK-2/SPEC-1@4 \"RSK-2 is risk controlled by SPEC-1\" implemented by SPEC-1 for RSK-2 implicit=true description=\"Identity is verified (SPEC-1).\"\n"},
		{name: "a total probability is taken over P1 and P2",
			data: "---\nitemId: RSK-3\nitemType: risk\nInitial severity: 3\nInitial likelihood of occurrence (P1): 4\nInitial likelihood of harm (P2): 2\nInitial total probability (Po): 2\n---\n",
			want: "RSK-3@2 \"\" hazard=\"\" situation=\"\" harm=\"\" cause=\"\" benefit=\"\" initial=3/2 residual=/ controls= introduced=\n"},
		{name: "relations not understood are named; a misspelt one too",
			data: "---\nitemId: RSK-4\nitemType: Risk\nitemRelatesTo: RSK-5\nitemHasParent: SYS-1\nitemIsRiskControledBy: SRS-1\n---\n",
			want: "RSK-4@2 \"\" hazard=\"\" situation=\"\" harm=\"\" cause=\"\" benefit=\"\" initial=/ residual=/ controls= introduced=\n",
			warns: []wantErr{
				{"items/RSK-1.md:4:1", "Ketryx relation itemRelatesTo (RSK-5) of Risk RSK-4 is not a link tracegate reads; it links nothing here"},
				{"items/RSK-1.md:5:1", "Ketryx relation itemHasParent (SYS-1) of Risk RSK-4 is not a link tracegate reads"},
				{"items/RSK-1.md:6:1", `"itemIsRiskControledBy" is not a Ketryx item field; ignored`},
			}},
		{name: "another type is left to the requirements sources",
			data: "---\nitemId: SRS-1\nitemType: Requirement\nitemIntroducesRisk: RSK-1\n---\n",
			want: "elsewhere requirements: Ketryx Requirement item SRS-1 at items/RSK-1.md:2:1 required=true\n"},
		{name: "a type nothing reads is not required",
			data: "---\nitemId: T-1\nitemType: Task\n---\n",
			want: "elsewhere requirements: Ketryx Task item T-1 at items/RSK-1.md:2:1 required=false\n"},
		{name: "no itemType is a requirement",
			data: "---\nitemId: X-1\n---\n",
			want: "elsewhere requirements: Ketryx item X-1 (no itemType: a requirement) at items/RSK-1.md:2:1 required=true\n"},
		{name: "no itemId", data: "---\nitemType: Risk\n---\n", errs: []wantErr{{"items/RSK-1.md:2:1", "Ketryx Risk has no itemId"}}},
		{name: "free text in a relation", data: "---\nitemId: RSK-1\nitemType: Risk\nitemIsRiskControlledBy: the alarm sounds\n---\n",
			errs: []wantErr{{"items/RSK-1.md:4:25", `itemIsRiskControlledBy: "the alarm sounds" is not an ID`}}},
		{name: "an acceptability that is none", data: "---\nitemId: RSK-1\nitemType: Risk\nRisk acceptability: fine\n---\n",
			errs: []wantErr{{"items/RSK-1.md:4:21", `Risk acceptability: "fine" is not an acceptability level`}}},
		{name: "a level that is a list", data: "---\nitemId: RSK-1\nitemType: Risk\nInitial severity: [High]\n---\n",
			errs: []wantErr{{"items/RSK-1.md:4:19", "Initial severity: expected a single value, got a list"}}},
		{name: "no front matter", data: "# RSK-1\n", errs: []wantErr{{"items/RSK-1.md:1", "no YAML front matter"}}},
		{name: "front matter not a mapping", data: "---\n- a\n---\n", errs: []wantErr{{"items/RSK-1.md:2", "front matter must be a mapping"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items, err := readText(t, Ketryx{}, f, tc.data)
			checkErrs(t, err, tc.errs)
			checkWellFormed(t, f, "ketryx", items, err)
			if err != nil {
				return
			}
			if got := kxSummary(items); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
			checkWarns(t, items.Warnings, tc.warns)
		})
	}
}

// The pump's Risk item, hand-written in the shape of Ketryx's Git items.
func TestKetryxFixture(t *testing.T) {
	const f = "testdata/formats/ketryx/risks/RSK-001.md"
	items, err := Ketryx{}.Read(repo, f)
	if err != nil {
		t.Fatal(err)
	}
	want := "RSK-001@2 \"Over-infusion from a rate conversion overflow\" hazard=\"The dose engine computes a pump rate above the programmed rate after an integer overflow when\\nthe rate is converted from mL/h to motor steps.\" situation=\"\" harm=\"\" cause=\"\" benefit=\"\" initial=Critical/Medium residual=Critical/Low(alarp) controls=RSK-001/SRS-010,RSK-001/SRS-012 introduced=\n" +
		"control RSK-001/SRS-010@5 \"RSK-001 is risk controlled by SRS-010\" implemented by SRS-010 for RSK-001 implicit=true description=\"\"\n" +
		"control RSK-001/SRS-012@5 \"RSK-001 is risk controlled by SRS-012\" implemented by SRS-012 for RSK-001 implicit=true description=\"\"\n"
	if got := kxSummary(items); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	checkWarns(t, items.Warnings, nil)
}

func FuzzKetryx(f *testing.F) {
	f.Add(mustRead(f, "testdata/formats/ketryx/risks/RSK-001.md"))
	f.Add(mustRead(f, "testdata/ketryx-risk/items/risks/RSK-1.md"))
	for _, s := range []string{
		"---\nitemId: RSK-1\nitemType: Risk\nitemIsRiskControlledBy: [a, [b], {c: d}]\nitemIntroducesRisk: x y\n---\n",
		"---\nitemType: Risk\nInitial severity: {a: b}\nRisk acceptability: [x]\n---\n## Hazard\n```\n## not\n```\n",
		"<!-- c -->\n---\nitemId: A\n---\n",
		"---\n---\n",
		"---\nitemId: RSK-1\nitemType: Risk\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, Ketryx{}, "items/RSK-1.md", data) })
}

package requirement

import (
	"fmt"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/ingest/risk"
)

func TestKetryxFixtures(t *testing.T) {
	const dir = "testdata/formats/ketryx/"
	cases := []struct {
		file, want, title, text string
		warn, elsewhere         string
	}{
		{file: "requirements/SYS-001.md", want: "SYS-001@2:1 type=performance", title: "Delivery accuracy",
			text: "The pump shall deliver the programmed volume within ±5 % at rates from 0.1 to 999 mL/h."},
		// No itemTitle: the first heading is the title, as Ketryx takes it.
		{file: "requirements/SYS-002.md", want: "SYS-002@2:1 type=functional", title: "Programmable rate range",
			text: "The pump shall accept programmed rates from 0.1 to 999 mL/h in steps of 0.1 mL/h."},
		{file: "requirements/SRS-010.md", want: "SRS-010@2:1 type=functional parents=SYS-001", title: "Independent delivered-volume check"},
		// Later headings stay in the text.
		{file: "requirements/SRS-012.md", want: "SRS-012@2:1 type=functional parents=SYS-001,SYS-002", title: "Rate conversion range check",
			text: "The dose engine shall reject a programmed rate whose conversion from mL/h to motor steps per\nsecond exceeds 32 767 steps/s.\n\n" +
				"## Acceptance criteria\n\n1. A rate of 999.9 mL/h with the 20-drop set is rejected with \"rate out of range\".\n2. The rate entry screen keeps the previous valid rate."},
		{file: "specs/dose-engine-rate-monitor.md", want: "SDS-010@2:1 type=software item spec parents=SRS-010,SRS-012", title: "Rate monitor on the safety processor"},
		// A Risk is left to the risks sources (risk.Ketryx): the loader
		// makes sure one reads it.
		{file: "risks/RSK-001.md", elsewhere: "risks: Ketryx Risk item RSK-001 at " + dir + "risks/RSK-001.md:2:1"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			items := readFile(t, Ketryx{}, dir+c.file)
			var want, warns []string
			if c.want != "" {
				want = []string{c.want}
			}
			if c.warn != "" {
				warns = []string{c.warn}
			}
			if got := summaries(items.Requirements); !slices.Equal(got, want) {
				t.Fatalf("got %q, want %q", got, want)
			}
			if got := warnings(items.Warnings); !slices.Equal(got, warns) {
				t.Errorf("warnings %q, want %q", got, warns)
			}
			var elsewhere string
			for _, e := range items.Elsewhere {
				elsewhere += fmt.Sprintf("%s: %s at %s", e.Kind, e.What, e.Pos)
				if !e.Required {
					t.Errorf("%+v is not required: a risk no source reads must fail the load", e)
				}
			}
			if elsewhere != c.elsewhere {
				t.Errorf("elsewhere %q, want %q", elsewhere, c.elsewhere)
			}
			if len(items.Requirements) == 1 {
				r := items.Requirements[0]
				if r.Title != c.title || (c.text != "" && r.Text != c.text) {
					t.Errorf("title %q text %q, want %q %q", r.Title, r.Text, c.title, c.text)
				}
			}
		})
	}
}

func TestKetryxRead(t *testing.T) {
	const f = "items/x.md"
	cases := []readCase{
		{name: "relations as lists, risk controls, custom fields",
			files: mapFS(f, "---\nitemId: SRS-1\nitemType: Requirement\nitemHasParent: [SYS-1, SYS-2]\nitemFulfills: SYS-2\nitemRiskControls: RC-1, RC-2\nitemRelatesTo: SRS-9\nSafety risk class: CLASS_C\n---\n"),
			want:  []string{"SRS-1@2:1 type=requirement parents=SYS-1,SYS-2 rc=RC-1,RC-2"},
			warns: []string{"items/x.md:7:1: Ketryx relation itemRelatesTo (SRS-9) of Requirement SRS-1 is not a link tracegate reads; it links nothing here"}},
		{name: "renamed requirement type is read", files: mapFS(f, "---\nitemId: F-1\nitemType: Feature\n---\n# Title\n"),
			want: []string{"F-1@2:1 type=feature"}},
		{name: "no itemType", files: mapFS(f, "---\nitemId: SRS-1\n---\n"),
			want: []string{"SRS-1@2:1"}, warns: []string{"items/x.md:2:1: item has no itemType; read as a requirement"}},
		{name: "misspelt relation", files: mapFS(f, "---\nitemId: SRS-1\nitemType: Requirement\nitemHasParnet: SYS-1\n---\n"),
			want: []string{"SRS-1@2:1 type=requirement"}, warns: []string{`items/x.md:4:1: "itemHasParnet" is not a Ketryx item field; ignored`}},
		{name: "requirement type decides the type", files: mapFS(f, "---\nitemId: SHR-1\nitemType: Requirement\nRequirement type: Use case\n---\n"),
			want: []string{"SHR-1@2:1 type=use case"}},
		// A design item introduces the risks it names (IEC 62304 7.1.2);
		// a relation tracegate does not read stays named.
		{name: "a spec introduces risks", files: mapFS(f, "---\nitemId: SPEC-1\nitemType: Software Item Spec\nitemFulfills: SRS-1\nitemIntroducesRisk: RSK-1, RSK-2\nitemUses: LIB-1\n---\n"),
			want:  []string{"SPEC-1@2:1 type=software item spec parents=SRS-1 introduces=RSK-1,RSK-2"},
			warns: []string{"items/x.md:6:1: Ketryx relation itemUses (LIB-1) of Software Item Spec SPEC-1 is not a link tracegate reads; it links nothing here"}},
		// itemIsRiskControlledBy belongs on the Risk; on a requirement it
		// says nothing tracegate reads.
		{name: "a requirement's risk-controlled-by is named", files: mapFS(f, "---\nitemId: SRS-1\nitemType: Requirement\nitemIsRiskControlledBy: SRS-2\n---\n"),
			want:  []string{"SRS-1@2:1 type=requirement"},
			warns: []string{"items/x.md:4:1: Ketryx relation itemIsRiskControlledBy (SRS-2) of Requirement SRS-1 is not a link tracegate reads; it links nothing here"}},
		{name: "non-requirement types any case", files: mapFS(f, "---\nitemId: CR-1\nitemType: change request\n---\n"),
			warns: []string{"items/x.md:2:1: Ketryx change request item CR-1 is not a requirement; not read"}},
		{name: "no itemId", files: mapFS(f, "---\nitemType: Requirement\n---\n# T\n"),
			errs: []wantErr{{"items/x.md:2:1", "has no itemId"}}},
		{name: "no front matter", files: mapFS(f, "# T\n"), errs: []wantErr{{"items/x.md:1", "no YAML front matter"}}},
		{name: "bad relation type", files: mapFS(f, "---\nitemId: SRS-1\nitemType: Requirement\nitemHasParent: {a: b}\n---\n"),
			errs: []wantErr{{"items/x.md:4:16", "itemHasParent: expected a list or a single value"}}},
	}
	for i := range cases {
		cases[i].path = f
	}
	runReadCases(t, Ketryx{}, cases)
}

// Test Case items are test definitions; Test Execution items are manual
// tests with their result, which verify the Test Cases they execute.
func TestKetryxTestItems(t *testing.T) {
	const dir = "testdata/formats/ketryx/"
	tc := readFile(t, Ketryx{}, dir+"tests/TC-012.md")
	if len(tc.Requirements) != 0 || len(tc.TestDefinitions) != 1 {
		t.Fatalf("TC-012: %+v", tc)
	}
	if d := tc.TestDefinitions[0]; d.ID != "TC-012" || d.Title != "Test - Rate above the conversion range is rejected" ||
		!slices.Equal(d.Tests, []string{"SRS-012"}) || d.Source.Line != 2 {
		t.Errorf("TC-012 = %+v", d)
	}
	for _, c := range []struct {
		file, name, outcome, evaluation, message string
		executes                                 []string
	}{
		{"TE-010.md", "TE-010 Delivered-volume deviation run on bench unit SN 0042", "passed", "", "", []string{"TC-010"}},
		// An accepted failure stays a failure, with its evaluation.
		{"TE-012.md", "TE-012 Rate range check on bench unit SN 0042", "failed", "Pass with exception", "", []string{"TC-012"}},
		// No result yet: not executed, never a pass.
		{"TE-013.md", "TE-013 Rate range check on bench unit SN 0057", "skipped", "", "no Test result recorded: not executed", []string{"TC-012"}},
	} {
		items := readFile(t, Ketryx{}, dir+"executions/"+c.file)
		if len(items.Tests) != 1 || len(items.Requirements) != 0 {
			t.Fatalf("%s: %+v", c.file, items)
		}
		got := items.Tests[0]
		if got.Name != c.name || string(got.Outcome) != c.outcome || got.Evaluation != c.evaluation || got.Message != c.message ||
			!got.Manual || got.Format != "ketryx" || !slices.Equal(got.Requirements, c.executes) {
			t.Errorf("%s = %+v", c.file, got)
		}
	}
	const f = "items/x.md"
	cases := []readCase{
		{name: "an unknown result is an error", files: mapFS(f, "---\nitemId: TE-1\nitemType: Test Execution\nitemExecutes: TC-1\nTest result: Mostly\n---\n"),
			errs: []wantErr{{"items/x.md:5:14", `Test result: "Mostly" is not a result tracegate knows`}}},
		{name: "an execution of nothing, a test case of nothing", files: mapFS(f, "---\nitemId: TE-1\nitemType: Test Execution\nTest result: Fail\nitemRelatesTo: X-1\n---\n"),
			warns: []string{"items/x.md:5:1: Ketryx relation itemRelatesTo (X-1) of Test Execution TE-1 is not a link tracegate reads; it links nothing here",
				"items/x.md:2:1: Ketryx Test Execution TE-1 has no itemExecutes; it verifies nothing"}},
	}
	for i := range cases {
		cases[i].path = f
	}
	runReadCases(t, Ketryx{}, cases)
}

// Real items of a project kept with Ketryx: "Requirement type" is the
// requirement's type, in Ketryx's words; a specification's relation that
// tracegate does not read is named.
func TestKetryxRealItems(t *testing.T) {
	const dir = "testdata/formats/ketryx-projects/aignostics-typescript-sdk/docs/"
	for _, c := range []struct{ file, want, warn string }{
		{"requirements/SHR-AUTH.md", "SHR-AUTH@2:1 type=environment", ""},
		{"requirements/SWR-AUTH-CODE-FLOW.md", "SWR-AUTH-CODE-FLOW@2:1 type=functional parents=SHR-AUTH", ""},
		{"specs/SPEC-TOKEN-STORAGE.md", "SPEC-TOKEN-STORAGE@2:1 type=software item spec parents=SWR-AUTH-SECURE-STORAGE,SWR-AUTH-TOKEN-REMOVAL,SWR-AUTH-VALIDATION", ""},
		{"specs/SPEC-CLI.md", "SPEC-CLI@2:1 type=software item spec parents=SWR-AUTH-CODE-FLOW,SWR-AUTH-SECURE-STORAGE,SWR-AUTH-AUTO-REFRESH,SWR-AUTH-TOKEN-REMOVAL,SWR-AUTH-VALIDATION,SWR-ERROR-COMM-CLI-OUTPUT",
			dir + "specs/SPEC-CLI.md:6:1: Ketryx relation itemIsRelatedTo (SPEC-TOKEN-STORAGE, SPEC-ERROR-MGMT) of Software Item Spec SPEC-CLI is not a link tracegate reads; it links nothing here"},
	} {
		items := readFile(t, Ketryx{}, dir+c.file)
		if got := summaries(items.Requirements); !slices.Equal(got, []string{c.want}) {
			t.Errorf("%s: %q, want %q", c.file, got, c.want)
		}
		var warns []string
		if c.warn != "" {
			warns = []string{c.warn}
		}
		if got := warnings(items.Warnings); !slices.Equal(got, warns) {
			t.Errorf("%s: warnings %q, want %q", c.file, got, warns)
		}
	}
}

// The documented example item and policy of docs/formats.md read as they
// say, so that the documentation cannot drift from the reader.
func TestKetryxDocumented(t *testing.T) {
	policies, items := docBlocks(t, "### Ketryx items (`ketryx`)")
	if len(policies) != 1 || len(items) != 1 {
		t.Fatalf("%d policies, %d items in the section", len(policies), len(items))
	}
	if _, err := config.Parse("p.yml", []byte("version: 1\n"+policies[0])); err != nil {
		t.Errorf("policy %q: %v", policies[0], err)
	}
	got, err := Ketryx{}.Read(fstest.MapFS{"SWR.md": {Data: []byte(items[0])}}, "SWR.md")
	if err != nil {
		t.Fatal(err)
	}
	if s := summaries(got.Requirements); !slices.Equal(s, []string{"SWR-AUTH-CODE-FLOW@2:1 type=functional parents=SHR-AUTH"}) {
		t.Errorf("example read as %q", s)
	}
}

// The documented Risk item and policy read as they say: the Risk is read by
// the risks reader (risk.Ketryx), which this package leaves it to.
func TestKetryxRiskDocumented(t *testing.T) {
	policies, items := docBlocks(t, "### Ketryx Risk items (`ketryx`)")
	if len(policies) != 1 || len(items) != 1 {
		t.Fatalf("%d policies, %d items in the section", len(policies), len(items))
	}
	if _, err := config.Parse("p.yml", []byte("version: 1\n"+policies[0])); err != nil {
		t.Errorf("policy %q: %v", policies[0], err)
	}
	fsys := fstest.MapFS{"RSK-1.md": {Data: []byte(items[0])}}
	got, err := risk.Ketryx{}.Read(fsys, "RSK-1.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Hazards) != 1 || len(got.RiskControls) != 2 || len(got.Warnings) != 0 {
		t.Fatalf("example read as %+v", got)
	}
	h := got.Hazards[0]
	if h.ID != "RSK-1" || h.Title != "Over-infusion from a rate conversion overflow" || h.Harm != "Overdose." ||
		h.Initial.Probability != "Medium" || h.Initial.HarmProbability != "High" || h.Residual.Declared != "alarp" ||
		!slices.Equal(h.Controls, []string{"RSK-1/SRS-1", "RSK-1/SPEC-4"}) {
		t.Errorf("hazard %+v", h)
	}
	req, err := Ketryx{}.Read(fsys, "RSK-1.md")
	if err != nil || len(req.Requirements) != 0 || len(req.Elsewhere) != 1 {
		t.Errorf("the requirements reader read the Risk as %+v, %v", req, err)
	}
}

package requirement

import (
	"slices"
	"testing"
)

func TestKetryxFixtures(t *testing.T) {
	const dir = "testdata/formats/ketryx/"
	cases := []struct {
		file, want, title, text string
		warn                    string
	}{
		{file: "requirements/SYS-001.md", want: "SYS-001@2:1 type=requirement", title: "Delivery accuracy",
			text: "The pump shall deliver the programmed volume within ±5 % at rates from 0.1 to 999 mL/h."},
		// No itemTitle: the first heading is the title, as Ketryx takes it.
		{file: "requirements/SYS-002.md", want: "SYS-002@2:1 type=requirement", title: "Programmable rate range",
			text: "The pump shall accept programmed rates from 0.1 to 999 mL/h in steps of 0.1 mL/h."},
		{file: "requirements/SRS-010.md", want: "SRS-010@2:1 type=requirement parents=SYS-001", title: "Independent delivered-volume check"},
		// Later headings stay in the text.
		{file: "requirements/SRS-012.md", want: "SRS-012@2:1 type=requirement parents=SYS-001,SYS-002", title: "Rate conversion range check",
			text: "The dose engine shall reject a programmed rate whose conversion from mL/h to motor steps per\nsecond exceeds 32 767 steps/s.\n\n" +
				"## Acceptance criteria\n\n1. A rate of 999.9 mL/h with the 20-drop set is rejected with \"rate out of range\".\n2. The rate entry screen keeps the previous valid rate."},
		{file: "specs/dose-engine-rate-monitor.md", want: "SDS-010@2:1 type=software item spec parents=SRS-010,SRS-012", title: "Rate monitor on the safety processor"},
		{file: "tests/TC-010.md", warn: dir + "tests/TC-010.md:2:1: Ketryx Test Case item TC-010 is not a requirement; not read"},
		{file: "risks/RSK-001.md", warn: dir + "risks/RSK-001.md:2:1: Ketryx Risk item RSK-001 is not a requirement; not read"},
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
			want:  []string{"SRS-1@2:1 type=requirement parents=SYS-1,SYS-2 rc=RC-1,RC-2"}},
		{name: "renamed requirement type is read", files: mapFS(f, "---\nitemId: F-1\nitemType: Feature\n---\n# Title\n"),
			want: []string{"F-1@2:1 type=feature"}},
		{name: "no itemType", files: mapFS(f, "---\nitemId: SRS-1\n---\n"),
			want: []string{"SRS-1@2:1"}, warns: []string{"items/x.md:2:1: item has no itemType; read as a requirement"}},
		{name: "misspelt relation", files: mapFS(f, "---\nitemId: SRS-1\nitemType: Requirement\nitemHasParnet: SYS-1\n---\n"),
			want: []string{"SRS-1@2:1 type=requirement"}, warns: []string{`items/x.md:4:1: "itemHasParnet" is not a Ketryx item field; ignored`}},
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

package requirement

import (
	"slices"
	"testing"
)

func TestMarkdownFixtures(t *testing.T) {
	const dir = "testdata/formats/markdown/"
	cases := []struct {
		file, want, title, text string
	}{
		{
			file:  "SRS-030.md",
			want:  "SRS-030@2:1 type=software item=sensors status=approved parents=SYS-003 rc=RC-004",
			title: "Air-in-line detection",
			text: "The software shall sample the ultrasonic air-in-line sensor at 1 kHz and shall stop the pump\n" +
				"and raise a high-priority alarm when it detects a bubble of 50 µL or more.\n\n" +
				"Single bubbles smaller than 50 µL are accumulated over a sliding window of 15 min; an\n" +
				"accumulated volume of 1 mL raises the same alarm.",
		},
		{
			// The body is the text as written, heading included.
			file:  "SRS-031.md",
			want:  "SRS-031@2:1 type=software item=sensors class=C status=approved verification=test parents=SYS-003 rc=RC-004 tests=TestAirSensorSelfTest,TestAirSensorSelfTest/disconnected",
			title: "Air sensor self-test",
			text: "# Air sensor self-test\n\nBefore every infusion the software shall inject a test signal into the air-in-line sensor and\n" +
				"shall refuse to start the infusion when the sensor does not report it.",
		},
		{
			// text in the front matter wins over the body.
			file:  "SRS-051.md",
			want:  "SRS-051@2:1 type=software item=ui status=approved verification=demonstration parents=SYS-002 rc=RC-008 evidence=docs/verification/DEM-003-confirmation-screen.md",
			title: "Concentration and units confirmation",
			text:  "Before an infusion of a high-alert drug starts, the software shall show the drug name, concentration and dose units on one screen and require the user to confirm them.",
		},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			items := readFile(t, Markdown{}, dir+c.file)
			if got := summaries(items.Requirements); !slices.Equal(got, []string{c.want}) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
			if r := items.Requirements[0]; r.Title != c.title || r.Text != c.text {
				t.Errorf("title %q text %q,\nwant title %q text %q", r.Title, r.Text, c.title, c.text)
			}
			if len(items.Warnings) != 0 {
				t.Errorf("warnings %q", warnings(items.Warnings))
			}
		})
	}
}

func TestMarkdownRead(t *testing.T) {
	const f = "SRS-001.md"
	cases := []readCase{
		{name: "minimal", want: []string{"SRS-001@2:1"}, files: mapFS(f, "---\nid: SRS-001\n---\nbody\n")},
		{name: "byte order mark, CRLF, closing with ...", want: []string{"SRS-001@2:1 parents=SYS-1"},
			files: mapFS(f, "\ufeff---\r\nid: SRS-001\r\nparents: SYS-1\r\n...\r\nbody\r\n")},
		{name: "front matter only", want: []string{"SRS-001@2:1"}, files: mapFS(f, "---\nid: SRS-001\n---")},
		{name: "no front matter", files: mapFS(f, "# SRS-001\n\nid: SRS-001\n"),
			errs: []wantErr{{"SRS-001.md:1", "no YAML front matter"}}},
		{name: "front matter not closed", files: mapFS(f, "---\nid: SRS-001\ntitle: x\n"),
			errs: []wantErr{{"SRS-001.md:1", "never closed"}}},
		{name: "syntax error on a file line", files: mapFS(f, "---\nid: SRS-001\ntitle: a\n  parents: x\n---\n"),
			errs: []wantErr{{"SRS-001.md:4", "invalid YAML"}}},
		{name: "unknown key at its file line", files: mapFS(f, "---\nid: SRS-001\n\nrisk_contols: RC-1\n---\n"),
			errs: []wantErr{{"SRS-001.md:4:1", `unknown key "risk_contols"`}}},
		{name: "requirements list is not a Markdown requirement", files: mapFS(f, "---\nrequirements:\n  - id: SRS-1\n---\n"),
			errs: []wantErr{{"SRS-001.md:2:1", "missing property 'id'"}, {"SRS-001.md:2:1", `unknown key "requirements"`}}},
		{name: "empty front matter", files: mapFS(f, "---\n---\ntext\n"),
			errs: []wantErr{{"SRS-001.md:1", "front matter is empty"}}},
		{name: "front matter is a list", files: mapFS(f, "---\n- id: SRS-001\n---\n"),
			errs: []wantErr{{"SRS-001.md:2:1", "front matter must be a mapping"}}},
		{name: "bad class at its file line", files: mapFS(f, "---\nid: SRS-001\nclass: E\n---\n"),
			errs: []wantErr{{"SRS-001.md:3:8", "unknown software safety class"}}},
	}
	for i := range cases {
		cases[i].path = f
	}
	runReadCases(t, Markdown{}, cases)
}

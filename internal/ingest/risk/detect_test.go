package risk

import (
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/input"
)

// detectedBy returns the formats of the risk readers that claim the file.
func detectedBy(fsys fs.FS, path string, head []byte) []string {
	var out []string
	for _, r := range Readers() {
		if r.Detect(fsys, path, head) {
			out = append(out, r.Format())
		}
	}
	return out
}

// Every file under testdata/formats is claimed by exactly the reader of its
// format, and the fixtures of other kinds (requirements, test reports) by
// none: format: auto must never read a requirement file as a risk file.
// Ketryx items of every type are claimed by the ketryx reader, which reads
// the Risks and hands the others to the requirements sources (TestKetryxElsewhere),
// so that a risks glob over a directory of Ketryx items works.
func TestDetectFixtures(t *testing.T) {
	want := map[string]string{
		nativeFixture:   "tracegate",
		rdmFixture:      "rdm",
		rdmTemplate:     "rdm",
		csvCommaFixture: "csv",
		csvSemiFixture:  "csv",
		"testdata/formats/markdown-table/openregulatory/risk-table-fmea.md": "markdown-table",
		// rdm's risk.yml as rdm's template writes it, and as two projects
		// that keep their design history file with rdm wrote it.
		"testdata/formats/rdm-projects/rdm-template/regulatory/data/risk.yml":            "rdm",
		"testdata/formats/rdm-projects/acpsem-thursday/regulatory/data/risk.yml":         "rdm",
		"testdata/formats/rdm-projects/respiraworks-ventilator/regulatory/data/risk.yml": "rdm",
	}
	seen := 0
	err := fs.WalkDir(repo, "testdata/formats", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := input.Open(repo, p, 0)
		if err != nil {
			return nil // binary or huge: format: auto never asks a reader either
		}
		head := f.Head
		f.Close()
		var expect []string
		if w, ok := want[p]; ok {
			expect = []string{w}
			seen++
		}
		if strings.HasPrefix(p, "testdata/formats/ketryx") && strings.HasSuffix(p, ".md") {
			expect = []string{"ketryx"}
		}
		if got := detectedBy(repo, p, head); !reflect.DeepEqual(got, expect) {
			t.Errorf("%s detected by %v, want %v", p, got, expect)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != len(want) {
		t.Errorf("walked %d of the %d risk fixtures", seen, len(want))
	}
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		name, path, head string
		want             []string
	}{
		{"native hazards", "a.yml", "# risk file\nhazards:\n  - id: HAZ-1\n", []string{"tracegate"}},
		{"native controls only, flow style", "a.yaml", "risk_controls: [{id: RC-1}]\n", []string{"tracegate"}},
		{"native, list at the key's indentation", "a.YML", "---\nhazards:\n- id: HAZ-1\n", []string{"tracegate"}},
		{"native, quoted key and comment", "a.yml", "\"hazards\": # todo\n\n  # first\n  - \"id\": HAZ-1\n", []string{"tracegate"}},
		{"native, empty list", "a.yml", "hazards: []\n", []string{"tracegate"}},
		{"requirement linking controls", "SRS-001.yml", "id: SRS-001\nrisk_controls: [RC-003]\n", nil},
		{"requirement linking controls, block list", "SRS-001.yml", "id: SRS-001\nrisk_controls:\n  - RC-003\n", nil},
		{"nested hazards key", "a.yml", "item:\n  hazards:\n    - id: HAZ-1\n", nil},
		{"not YAML by name", "a.txt", "hazards:\n  - id: HAZ-1\n", nil},
		{"rdm", "data/risk.yml", "risk_levels: []\nrisks:\n    - hazard: x\n", []string{"rdm"}},
		{"rdm, no risks yet", "data/risk.yml", "risks: []\n", []string{"rdm"}},
		{"risks holding text", "notes.yml", "risks: none identified\n", nil},
		{"csv", "r.csv", "ID,Hazard,Harm\nHAZ-1,x,y\n", []string{"csv"}},
		{"csv, BOM and semicolons", "r.CSV", "\ufeffHazard ID;Harm\r\n", []string{"csv"}},
		{"csv, title row", "r.csv", "Risk register\n\nRef,Hazard\n", []string{"csv"}},
		{"csv without a hazard or harm column", "r.csv", "ID,Title,Status\n", nil},
		{"csv without an ID column", "r.csv", "Hazard,Harm\n", nil},
		{"csv cut inside a quoted header cell", "r.csv", "ID,\"Hazard", nil},
		{"csv by content only", "r.txt", "ID,Hazard\n", nil},
		{"Ketryx risk", "risks/RSK-1.md", "---\nitemId: RSK-1\nitemType: Risk\n---\n", []string{"ketryx"}},
		{"Ketryx item of another type", "reqs/SRS-1.md", "<!-- licence -->\n---\nitemType: Requirement\n---\n", []string{"ketryx"}},
		{"Markdown front matter, not Ketryx", "reqs/SRS-1.md", "---\nid: SRS-1\n---\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := detectedBy(nil, tc.path, []byte(tc.head)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("detected by %v, want %v", got, tc.want)
			}
		})
	}
}

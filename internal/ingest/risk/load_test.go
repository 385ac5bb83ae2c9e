package risk

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/model"
)

// Load with format: auto picks the right reader for each fixture, and an
// rdm template whose risk has no id is read under its position, with warnings.
func TestLoadAuto(t *testing.T) {
	for _, tc := range []struct {
		path     string
		format   string
		hazards  int
		controls int
		warnings int
		err      string
	}{
		{path: nativeFixture, format: "tracegate", hazards: 10, controls: 13},
		{path: rdmFixture, format: "rdm", hazards: 7, controls: 4, warnings: 1},
		{path: csvCommaFixture, format: "csv", hazards: 10, warnings: 1},
		{path: csvSemiFixture, format: "csv", hazards: 6, warnings: 1},
		{path: rdmTemplate, format: "rdm", hazards: 1, warnings: 2},
	} {
		t.Run(tc.path, func(t *testing.T) {
			policy := "version: 1\nrequirements: []\ntests: []\nrisks:\n  - path: " + tc.path + "\n"
			cfg, err := config.Parse(".github/tracegate.yml", []byte(policy))
			if err != nil {
				t.Fatal(err)
			}
			dhf, err := ingest.Load(repo, cfg, ingest.Set{Readers: Readers()}, nil)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				if len(dhf.Hazards) != 0 || len(dhf.Files) != 0 {
					t.Errorf("a file that failed yielded %d hazards, files %v", len(dhf.Hazards), dhf.Files)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := []model.InputFile{{Path: tc.path, Kind: "risks", Format: tc.format, Items: tc.hazards + tc.controls}}
			if len(dhf.Files) != 1 || dhf.Files[0] != want[0] {
				t.Errorf("files = %+v, want %+v", dhf.Files, want)
			}
			if len(dhf.Hazards) != tc.hazards || len(dhf.RiskControls) != tc.controls {
				t.Errorf("%d hazards, %d controls; want %d, %d", len(dhf.Hazards), len(dhf.RiskControls), tc.hazards, tc.controls)
			}
			if len(dhf.Warnings) != tc.warnings {
				t.Errorf("warnings: %v", dhf.Warnings)
			}
			for _, h := range dhf.Hazards {
				if h.Format != tc.format || h.Source.File != tc.path {
					t.Errorf("%s: format %q, source %v", h.ID, h.Format, h.Source)
				}
			}
		})
	}
}

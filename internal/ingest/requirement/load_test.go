package requirement

import (
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/ingest"
)

// fixturePolicy reads every fixture directory with format: auto, as a
// policy would; exclude is the exclude: of the Markdown and rdm sources.
func fixturePolicy(t *testing.T, exclude bool) *config.Config {
	t.Helper()
	md, rdm, kx := "", "", ""
	if exclude {
		md = "\n    exclude: [testdata/formats/markdown/README.md]"
		rdm = "\n    exclude: ['testdata/formats/rdm/data/{risk,system,soup}.yml']"
		kx = "\n    exclude: ['testdata/formats/ketryx/risks/*']"
	}
	cfg, err := config.Parse(".github/tracegate.yml", []byte(`version: 1
requirements:
  - path: testdata/formats/tracegate/requirements/**
  - path: testdata/formats/markdown/**/*.md`+md+`
  - path: testdata/formats/doorstop/**
    format: auto
  - path: testdata/formats/rdm/data/*.yml`+rdm+`
  - path: testdata/formats/ketryx/**/*.md`+kx+`
risks: []
tests: []
test_sources: []
`))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestLoadFixturesNotRequirements: the files beside the fixtures that are
// not requirements fail the load when a requirements glob matches them.
func TestLoadFixturesNotRequirements(t *testing.T) {
	_, err := ingest.Load(repo, fixturePolicy(t, false), ingest.Set{Readers: Readers()}, nil)
	var got []string
	for _, e := range errorList(t, err) {
		got = append(got, e.Pos.File)
	}
	want := []string{
		// A Ketryx Risk matched by no risks source: it would not be judged.
		"testdata/formats/ketryx/risks/RSK-001.md",
		"testdata/formats/markdown/README.md",
		"testdata/formats/rdm/data/risk.yml",
		"testdata/formats/rdm/data/soup.yml",
		"testdata/formats/rdm/data/system.yml",
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors for %q, want %q (%v)", got, want, err)
	}
}

// TestLoadFixtures runs the loader over every fixture directory with format:
// auto, as a policy would, and checks that each requirement arrives from
// the file and reader it should, and that what is not read is said.
func TestLoadFixtures(t *testing.T) {
	dhf, err := ingest.Load(repo, fixturePolicy(t, true), ingest.Set{Readers: Readers()}, nil)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	var got []string
	for _, r := range dhf.Requirements {
		got = append(got, r.Format+" "+r.ID+" "+strings.TrimPrefix(r.Source.File, "testdata/formats/"))
	}
	slices.Sort(got)
	want := []string{
		"doorstop SRS-002 doorstop/srs/SRS-002.yml",
		"doorstop SRS-003 doorstop/srs/SRS-003.yml",
		"doorstop SRS-004 doorstop/srs/SRS-004.yml",
		"doorstop SRS-006 doorstop/srs/SRS-006.yml",
		"doorstop SRS-008 doorstop/srs/SRS-008.yml",
		"doorstop SRS-009 doorstop/srs/SRS-009.yml",
		"doorstop SYS-001 doorstop/sys/SYS-001.yml",
		"doorstop SYS-002 doorstop/sys/SYS-002.yml",
		"doorstop SYS-003 doorstop/sys/SYS-003.yml",
		"doorstop URS-001 doorstop/urs/URS-001.md",
		"doorstop URS-002 doorstop/urs/URS-002.md",
		"ketryx SDS-010 ketryx/specs/dose-engine-rate-monitor.md",
		"ketryx SRS-010 ketryx/requirements/SRS-010.md",
		"ketryx SRS-012 ketryx/requirements/SRS-012.md",
		"ketryx SYS-001 ketryx/requirements/SYS-001.md",
		"ketryx SYS-002 ketryx/requirements/SYS-002.md",
		"markdown SRS-030 markdown/SRS-030.md",
		"markdown SRS-031 markdown/SRS-031.md",
		"markdown SRS-051 markdown/SRS-051.md",
		"rdm SRS-010 rdm/data/requirements.yml",
		"rdm SRS-012 rdm/data/requirements.yml",
		"rdm SRS-020 rdm/data/requirements.yml",
		"rdm SRS-040 rdm/data/requirements.yml",
		"rdm SRS-070 rdm/data/requirements.yml",
		"tracegate SRS-010 tracegate/requirements/dose-engine.yml",
		"tracegate SRS-011 tracegate/requirements/dose-engine.yml",
		"tracegate SRS-012 tracegate/requirements/dose-engine.yml",
		"tracegate SRS-020 tracegate/requirements/dose-engine.yml",
		"tracegate SRS-040 tracegate/requirements/alarms.yml",
		"tracegate SRS-041 tracegate/requirements/alarms.yml",
		"tracegate SRS-050 tracegate/requirements/drug-library.yml",
		"tracegate SRS-060 tracegate/requirements/alarms.yml",
		"tracegate SRS-061 tracegate/requirements/alarms.yml",
		"tracegate SYS-001 tracegate/requirements/system-requirements.yml",
		"tracegate SYS-002 tracegate/requirements/system-requirements.yml",
		"tracegate SYS-003 tracegate/requirements/system-requirements.yml",
		"tracegate SYS-004 tracegate/requirements/system-requirements.yml",
		"tracegate SYS-005 tracegate/requirements/system-requirements.yml",
	}
	if !slices.Equal(got, want) {
		t.Errorf("requirements:\n got %q\nwant %q", got, want)
	}

	// Every file skipped or left out is said, with its file.
	for _, w := range []string{
		"testdata/formats/doorstop/srs/SRS-007.yml:1:9: SRS-007 is inactive",
	} {
		if !slices.ContainsFunc(warnings(dhf.Warnings), func(got string) bool { return strings.HasPrefix(got, w) }) {
			t.Errorf("no warning %q in %q", w, warnings(dhf.Warnings))
		}
	}
	if len(dhf.Warnings) != 1 {
		t.Errorf("%d warnings, want 1: %q", len(dhf.Warnings), warnings(dhf.Warnings))
	}

	// The Doorstop document configurations are read (a broken one would
	// fail the load) and recorded, with no items.
	var configs int
	for _, f := range dhf.Files {
		if strings.HasSuffix(f.Path, "/.doorstop.yml") {
			configs++
			if f.Format != "doorstop" || f.Items != 0 {
				t.Errorf("%+v", f)
			}
		}
	}
	if configs != 3 {
		t.Errorf("%d Doorstop configurations read, want 3", configs)
	}
}

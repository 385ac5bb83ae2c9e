package ingest_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/ingest/readers"
	"github.com/tracegate/tracegate/internal/input"
)

// One directory of Ketryx items, matched by a requirements and a risks
// glob: each source reads its items and leaves the others; an item that no
// source of its kind matches fails the load (a Risk, a Requirement) or is
// named (a Task, which nothing reads) — never dropped in silence.
func TestKetryxItemsUnderBothKinds(t *testing.T) {
	fsys := fstest.MapFS{
		"items/SRS-1.md": {Data: []byte("---\nitemId: SRS-1\nitemType: Requirement\nitemIntroducesRisk: RSK-1\n---\n# Check\n")},
		"items/RSK-1.md": {Data: []byte("---\nitemId: RSK-1\nitemType: Risk\nitemIsRiskControlledBy: SRS-1\n---\n# Overdose\n")},
		"items/T-1.md":   {Data: []byte("---\nitemId: T-1\nitemType: Task\n---\n# Do it\n")},
	}
	cases := []struct {
		name, policy string
		reqs, risks  int
		errs, warns  []string // prefixes
	}{
		{name: "both kinds, format ketryx",
			policy: "requirements: [{path: 'items/*.md', format: ketryx}]\nrisks: [{path: 'items/*.md', format: ketryx}]\n",
			reqs:   1, risks: 1,
			warns: []string{"items/T-1.md:2:1: Ketryx Task item T-1 is not a requirement; not read"}},
		{name: "both kinds, format auto",
			policy: "requirements: [{path: 'items/*.md'}]\nrisks: [{path: 'items/*.md'}]\n",
			reqs:   1, risks: 1,
			warns: []string{"items/T-1.md:2:1: Ketryx Task item T-1 is not a requirement; not read"}},
		{name: "requirements only: the Risk would not be judged",
			policy: "requirements: [{path: 'items/*.md', format: ketryx}]\nrisks: []\n",
			reqs:   1,
			errs:   []string{"items/RSK-1.md:2:1: Ketryx Risk item RSK-1 is matched by requirements[0] and by no risks source: it would not be read"},
			warns:  []string{"items/T-1.md:2:1: Ketryx Task item T-1 is not a requirement; not read"}},
		{name: "risks only: the Requirement would not be read",
			policy: "requirements: []\nrisks: [{path: 'items/*.md', format: ketryx}]\n",
			risks:  1,
			errs:   []string{"items/SRS-1.md:2:1: Ketryx Requirement item SRS-1 is matched by risks[0] and by no requirements source: it would not be read"},
			warns:  []string{"items/T-1.md:2:1: Ketryx Task item T-1 is matched by risks[0] and by no requirements source; not read"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := config.Parse(".github/tracegate.yml", []byte("version: 1\ntests: []\ntest_sources: []\n"+c.policy))
			if err != nil {
				t.Fatal(err)
			}
			dhf, err := ingest.Load(fsys, cfg, readers.All(), nil)
			var got []string
			if es, ok := err.(input.Errors); ok {
				for _, e := range es {
					got = append(got, e.Error())
					if !strings.Contains(e.Hint, "format: ketryx") {
						t.Errorf("hint %q does not say which source to add", e.Hint)
					}
				}
			} else if err != nil {
				t.Fatal(err)
			}
			match := func(what string, got, want []string) {
				if len(got) != len(want) {
					t.Errorf("%s %q, want %q", what, got, want)
					return
				}
				for i := range want {
					if !strings.HasPrefix(got[i], want[i]) {
						t.Errorf("%s %q, want %q", what, got[i], want[i])
					}
				}
			}
			match("errors", got, c.errs)
			var warns []string
			for _, w := range dhf.Warnings {
				warns = append(warns, w.String())
			}
			match("warnings", warns, c.warns)
			if len(dhf.Requirements) != c.reqs || len(dhf.Hazards) != c.risks || len(dhf.RiskControls) != c.risks {
				t.Errorf("%d requirements, %d hazards, %d controls", len(dhf.Requirements), len(dhf.Hazards), len(dhf.RiskControls))
			}
			// Each file is recorded once, under the kind that read it.
			var files []string
			for _, f := range dhf.Files {
				files = append(files, f.Kind+" "+f.Path)
			}
			for _, f := range files {
				if slices.Contains([]string{"risks items/SRS-1.md", "requirements items/RSK-1.md"}, f) {
					t.Errorf("files %q: an item another kind reads is recorded under it", files)
				}
			}
		})
	}
}

package requirement

import (
	"io/fs"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
)

// detected returns the format of the first reader, in auto-detection order,
// that claims the file; "" when none does.
func detected(t *testing.T, fsys fs.FS, p string) string {
	t.Helper()
	f, err := input.Open(fsys, p, 0)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	head := f.Head
	f.Close()
	for _, r := range Readers() {
		if r.Detect(fsys, p, head) {
			return r.Format()
		}
	}
	return ""
}

func TestReadersOrder(t *testing.T) {
	var got []string
	for _, r := range Readers() {
		if r.Kind() != ingest.Requirements {
			t.Errorf("%s serves %s", r.Format(), r.Kind())
		}
		got = append(got, r.Format())
	}
	if want := "doorstop rdm ketryx markdown markdown-table tracegate"; strings.Join(got, " ") != want {
		t.Errorf("order %q, want %q", got, want)
	}
}

// TestDetectFixtures checks that every fixture file is claimed by its own
// reader and by no reader tried before it, and that the files of a fixture
// that are not requirements are claimed by none.
func TestDetectFixtures(t *testing.T) {
	want := map[string]string{}
	// Only the directories of these readers: other readers keep fixtures
	// beside them (testdata/formats/tracegate/risk-analysis.yml).
	for _, dir := range []string{"doorstop", "rdm/data", "ketryx", "markdown", "tracegate/requirements"} {
		err := fs.WalkDir(repo, "testdata/formats/"+dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			want[p] = strings.Split(dir, "/")[0]
			if dir == "ketryx" && path.Ext(p) != ".md" {
				want[p] = "" // the tests, reports and sources beside the items
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, none := range []string{
		"testdata/formats/markdown/README.md",
		"testdata/formats/rdm/data/risk.yml",
		"testdata/formats/rdm/data/system.yml",
		"testdata/formats/rdm/data/soup.yml",
	} {
		if _, ok := want[none]; !ok {
			t.Fatalf("fixture %s is missing", none)
		}
		want[none] = ""
	}
	if len(want) < 35 {
		t.Fatalf("only %d fixture files found", len(want))
	}
	for p, format := range want {
		if got := detected(t, repo, p); got != format {
			t.Errorf("%s: detected as %q, want %q", p, got, format)
		}
	}
}

func TestDetect(t *testing.T) {
	cases := []struct {
		name  string
		files fstest.MapFS
		path  string
		want  string
	}{
		{"README without front matter", mapFS("docs/README.md", "# Requirements\n\nid: SRS-1\n"), "docs/README.md", ""},
		{"front matter without id", mapFS("docs/post.md", "---\ntitle: News\n---\n"), "docs/post.md", ""},
		{"front matter with id, byte order mark", mapFS("a.md", "\ufeff---\r\nid: SRS-1\r\n---\r\n"), "a.md", "markdown"},
		{"id below the front matter does not count", mapFS("a.md", "---\ntitle: x\n---\nid: SRS-1\n"), "a.md", ""},
		{"Ketryx by itemType alone", mapFS("a.markdown", "---\nitemType: Requirement\n---\n"), "a.markdown", "ketryx"},
		{"Ketryx before markdown", mapFS("a.md", "---\nid: x\nitemId: SRS-1\n---\n"), "a.md", "ketryx"},
		{"native list", mapFS("r.yaml", "# c\n\n-   title: x\n    id: SRS-1\n"), "r.yaml", "tracegate"},
		{"native stream, id in a later document", mapFS("r.yml", "---\ntitle: nothing\n---\nid: SRS-1\n"), "r.yml", "tracegate"},
		{"a risk file is no requirement file", mapFS("r.yml", "hazards:\n- id: HAZ-1\nrisk_controls:\n- id: RC-1\n"), "r.yml", ""},
		{"a list without ids", mapFS("r.yml", "- title: SOUP\n  version: 1\n"), "r.yml", ""},
		{"nested id is not top level", mapFS("r.yml", "spec:\n  id: SRS-1\n"), "r.yml", ""},
		{"wrong extension", mapFS("r.txt", "id: SRS-1\n"), "r.txt", ""},
		{"rdm by its keys", mapFS("data/requirements.yml", "- id: r-1\n  description: x\n"), "data/requirements.yml", "rdm"},
		{"rdm by its system.yml", mapFS("data/requirements.yml", "- id: r-1\n  title: x\n", "data/system.yml", "name: x\n"), "data/requirements.yml", "rdm"},
		{"rdm first template", mapFS("data/requirements.yaml", "r-1:\n    description: x\n"), "data/requirements.yaml", "rdm"},
		{"requirements.yml in the native shape", mapFS("data/requirements.yml", "requirements:\n  - id: SRS-1\n    title: x\n", "data/system.yml", "x: 1\n"), "data/requirements.yml", "tracegate"},
		{"native list named requirements.yml", mapFS("docs/requirements.yml", "- id: SRS-1\n  title: x\n"), "docs/requirements.yml", "tracegate"},
		{"native list beside a system.yml", mapFS("d/requirements.yml", "- id: SRS-1\n  parents: [SYS-1]\n", "d/system.yml", "x: 1\n"), "d/requirements.yml", "tracegate"},
		{"Doorstop configuration", mapFS("reqs/.doorstop.yml", "settings:\n  prefix: SRS\n"), "reqs/.doorstop.yml", "doorstop"},
		{"Doorstop item", mapFS("reqs/.doorstop.yml", "settings:\n  prefix: SRS\n", "reqs/SRS001.yml", "text: x\n"), "reqs/SRS001.yml", "doorstop"},
		{"Doorstop item in a subdirectory, prefix in any case", mapFS(".doorstop.yml", "settings:\n  prefix: SRS\n", "a/b/srs-001.yaml", "text: x\n"), "a/b/srs-001.yaml", "doorstop"},
		{"not an item of the document", mapFS("reqs/.doorstop.yml", "settings:\n  prefix: SRS\n", "reqs/index.yml", "id: SRS-1\n"), "reqs/index.yml", "tracegate"},
		{"Markdown in a YAML document is no item", mapFS("reqs/.doorstop.yml", "settings:\n  prefix: SRS\n", "reqs/SRS-001.md", "---\nid: SRS-1\n---\n"), "reqs/SRS-001.md", "markdown"},
		{"Markdown item", mapFS("reqs/.doorstop.yml", "settings:\n  prefix: URS\n  itemformat: markdown\n", "reqs/URS-001.md", "# x\n"), "reqs/URS-001.md", "doorstop"},
		{"broken document claims its files", mapFS("reqs/.doorstop.yml", "settings: [\n", "reqs/x.yml", "id: SRS-1\n"), "reqs/x.yml", "doorstop"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := detected(t, c.files, c.path); got != c.want {
				t.Errorf("detected as %q, want %q", got, c.want)
			}
		})
	}
}

package requirement

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/ingest"
)

// The fuzz targets check the property every reader promises: whatever the
// input, no panic, and either an error that names a file or a well-formed
// result. Their seeds are the fixtures and the tricky inputs of the tables.

// fixtureSeeds returns the contents of the files under dir of
// testdata/formats.
func fixtureSeeds(f *testing.F, dir, suffix string) [][]byte {
	f.Helper()
	var out [][]byte
	err := fs.WalkDir(repo, "testdata/formats/"+dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (suffix != "" && ext(p) != suffix) {
			return err
		}
		data, err := fs.ReadFile(repo, p)
		out = append(out, data)
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	return out
}

// checkResult asserts the fuzz property for one read.
func checkResult(t *testing.T, r ingest.Reader, path string, items *ingest.Items, err error) {
	t.Helper()
	if err != nil {
		errs := errorList(t, err)
		if len(errs) == 0 {
			t.Fatalf("empty error list")
		}
		for _, e := range errs {
			if e.Pos.File == "" || e.Msg == "" {
				t.Fatalf("error %q names no file", e)
			}
		}
		if items != nil {
			t.Fatalf("items returned with an error")
		}
		return
	}
	checkWellFormed(t, r, path, items)
}

// fuzzOneFile fuzzes a reader over one file at path; other files of the
// file system are fixed.
func fuzzOneFile(f *testing.F, r ingest.Reader, path string, others fstest.MapFS, seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{path: {Data: data}}
		for k, v := range others {
			fsys[k] = v
		}
		r.Detect(fsys, path, data[:min(len(data), 8<<10)])
		items, err := r.Read(fsys, path)
		checkResult(t, r, path, items, err)
	})
}

func seeds(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

func FuzzTracegate(f *testing.F) {
	s := append(fixtureSeeds(f, "tracegate/requirements", ""), seeds(
		"id: '  '\n",
		"requirements:\n  - id: SRS-1\n    parents: [a, a, '']\n---\n- id: x\n",
		"class: d\nrequirements: [{id: a, verification: Review}]\n",
		"a: &a [*a]\n",
		"\ufeffid: SRS-1\r\n",
		"- - id: x\n",
		"id: !!binary aGk=\n",
	)...)
	fuzzOneFile(f, Tracegate{}, "docs/requirements/r.yml", nil, s...)
}

func FuzzMarkdown(f *testing.F) {
	s := append(fixtureSeeds(f, "markdown", ".md"), seeds(
		"---\nid: SRS-1\n---",
		"---\r\nid: SRS-1\r\n...\r\nbody",
		"---\n---\n",
		"---\n- id: x\n---\n",
		"---\nid: SRS-1\ntitle: [\n---\n",
		"\ufeff---\nid: SRS-1\n",
	)...)
	fuzzOneFile(f, Markdown{}, "docs/requirements/SRS-1.md", nil, s...)
}

func FuzzRDM(f *testing.F) {
	s := append(fixtureSeeds(f, "rdm/data", ".yml"), seeds(
		"r-1:\n  description: x\nr-2:\n",
		"- id: r-1\n  system_requirements: SR-1, SR-1, ,\n  owner: x\n",
		"- 3\n- {}\n- id: ''\n",
		"'': {}\n",
	)...)
	fuzzOneFile(f, RDM{}, "regulatory/data/requirements.yml", mapFS("regulatory/data/system.yml", "name: x\n"), s...)
}

func FuzzKetryx(f *testing.F) {
	s := append(append(fixtureSeeds(f, "ketryx", ".md"), fixtureSeeds(f, "ketryx-projects", ".md")...), seeds(
		"---\nitemId: SRS-1\nitemType: Requirement\nitemHasParent: [a, b, a]\nitemFulfills: ' , b'\n---\n```\n# not a title\n```\n## T ##\n",
		"---\nitemType: Test Case\n---\n",
		"---\nitemId: TE-1\nitemType: Test Execution\nitemExecutes: [TC-1, 7]\nTest result: Pass with exception\n---\n",
		"---\nitemId: R-1\nitemType: Requirement\nRequirement type: [x]\nitemIntroducesRisk: RSK-1,\n---\n",
		"---\nitemId: 5\n---\n",
		"---\nitemIdd: x\nitemType: \n---\n",
	)...)
	fuzzOneFile(f, Ketryx{}, "items/SRS-1.md", nil, s...)
}

// FuzzDoorstop fuzzes a document configuration and one of its items
// together, the item in either format.
func FuzzDoorstop(f *testing.F) {
	configs := fixtureSeeds(f, "doorstop", "")
	for i, c := range configs {
		f.Add(c, configs[(i+1)%len(configs)], i%2 == 0)
	}
	f.Add([]byte("settings:\n  prefix: SRS\n  itemformat: markdown\n"), []byte("---\nlinks: [a: b]\n---\n# H\ntext\n"), true)
	f.Add([]byte("settings: {prefix: SRS, sep: '-', digits: 3.0}\nattributes: {defaults: {a: 1}}\n"), []byte("active: 0\nnormative: []\nlinks:\n- {a: 1}\n"), false)
	f.Add([]byte("settings:\n  prefix: ''\n"), []byte(""), false)
	f.Fuzz(func(t *testing.T, config, item []byte, markdown bool) {
		const cfg = "reqs/srs/.doorstop.yml"
		path := "reqs/srs/SRS-001.yml"
		if markdown {
			path = "reqs/srs/SRS-001.md"
		}
		fsys := fstest.MapFS{cfg: {Data: config}, path: {Data: item}}
		r := Doorstop{}
		for _, p := range []string{cfg, path} {
			data := fsys[p].Data
			r.Detect(fsys, p, data[:min(len(data), 8<<10)])
			items, err := r.Read(fsys, p)
			checkResult(t, r, p, items, err)
		}
	})
}

func FuzzMarkdownTable(f *testing.F) {
	fuzzOneFile(f, MarkdownTable{}, "docs/srs.md", nil, append(fixtureSeeds(f, "markdown-table", ".md"), seeds(
		"| ID | Text |\n|---|---|\n| SRS-1 | a \\| b <br/> c |\n| | |\n",
		"| ID | Text | Class |\n|-|-|-|\n| SRS-1 | x |\n| SRS-2 | y | D | z |\n",
		"\ufeff| ID | Title |\n|:-:|--:|\n| SRS-1 | `a|b` |\n",
		"> | ID | Description |\n> |---|---|\n> | 1 | x |\n",
		"- | ID | Text |\n  |---|---|\n  | SRS-1 | in a list |\n",
		"| ID | ID | Text |\n|---|---|---|\n",
		"",
	)...)...)
}

package ingest_test

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/ingest/readers"
	"github.com/tracegate/tracegate/internal/input"
)

// fuzzNames are where a fuzzed file is put: under each source of the
// policy, with each extension a reader detects.
var fuzzNames = []string{
	"reports/r.xml", "reports/r.jsonl", "reports/r.log",
	"reqs/r.yml", "reqs/r.md", "reqs/requirements.yml", "reqs/.doorstop.yml",
	"risk/r.yml", "risk/r.csv", "risk/r.md",
	"reports/cucumber.json", "reports/a-result.json", "reports/a.tap",
}

// FuzzLoad reads a file under every source of a policy with format: auto,
// so that detection (and the prologs it reads past) and every reader it
// may pick are driven by the same input. Whatever the file holds, the load
// returns what it read, or input errors that name the file: it never
// panics, and a file it matched is never silently dropped.
func FuzzLoad(f *testing.F) {
	repo := os.DirFS("../..")
	seeds, _ := fs.Glob(repo, "testdata/formats/*/*")
	more, _ := fs.Glob(repo, "testdata/formats/*/*/*")
	for _, p := range append(seeds, more...) {
		if data, err := fs.ReadFile(repo, p); err == nil && len(data) < 64<<10 {
			f.Add(uint8(len(p)), data)
		}
	}
	for i, s := range []string{
		"\uFEFF<!-- c --><!DOCTYPE x [<!-- ] -->]><?p?><testsuite tests=\"2\"><testcase/></testsuite>",
		"go: downloading x\n" + gotest,
		"<!--\nlicence\n-->\n\n" + markdownReq,
		"# c\n" + yamlReq,
		"a: &a [x,x]\nb: &b [*a,*a]\nc: [*b,*b]\n",
		"\xff\xfe<\x00t\x00/\x00>\x00",
		"TAP version 13\nok 1\n",
		"1..2\nnot ok 1\n",
		`{"default":{"paths":[]}}`,
		`{"uuid":"1","children":[]}`,
		`[{"elements":[{"keyword":"Scenario","steps":[]}]}]`,
	} {
		f.Add(uint8(i), []byte(s))
	}
	cfg, err := config.Parse(".github/tracegate.yml", []byte(policy))
	if err != nil {
		f.Fatal(err)
	}
	set := readers.All()
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		name := fuzzNames[int(which)%len(fuzzNames)]
		dhf, err := ingest.Load(fstest.MapFS{name: {Data: data}}, cfg, set, func(s string) []string {
			if i := strings.Index(s, "SRS-"); i >= 0 && i+5 <= len(s) {
				return []string{s[i : i+5]}
			}
			return nil
		})
		if err != nil {
			var es input.Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %T is not input.Errors: %v", err, err)
			}
			for _, e := range es {
				if e.Pos.File != name && !strings.HasPrefix(e.Pos.File, ".github/") {
					t.Fatalf("error names %q, not %q: %v", e.Pos.File, name, e)
				}
			}
			return
		}
		if dhf == nil {
			t.Fatal("no DHF and no error")
		}
		read := false
		for _, f := range dhf.Files {
			read = read || f.Path == name
		}
		for _, w := range dhf.Warnings {
			// A file of another tool that holds no test result is
			// skipped, said in a warning (foreign.go).
			read = read || w.Pos.File == name && strings.Contains(w.Msg, "; not read (")
		}
		if !read && !strings.HasSuffix(name, ".doorstop.yml") {
			t.Fatalf("%s matched, neither read nor refused", name)
		}
	})
}

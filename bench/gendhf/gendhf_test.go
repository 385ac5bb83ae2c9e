package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

var defaults = params{seed: 1, requirements: 2000, files: 200, hazards: 500, tests: 20000, junitFiles: 50}

func write(t *testing.T, p params) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dhf")
	if _, err := writeTree(generate(p), dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSameSeedSameBytes(t *testing.T) {
	a, b := readTree(t, write(t, defaults)), readTree(t, write(t, defaults))
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for name, content := range a {
		if !bytes.Equal(content, b[name]) {
			t.Errorf("%s differs between two runs with seed 1", name)
		}
	}
	other := defaults
	other.seed = 2
	c := readTree(t, write(t, other))
	if bytes.Equal(a["docs/requirements/dose-engine/dose-engine-011.yml"], c["docs/requirements/dose-engine/dose-engine-011.yml"]) {
		t.Error("seed 2 wrote the same requirements as seed 1")
	}
}

// tree is what a generated directory holds, read back independently of
// the generator.
type tree struct {
	reqFiles, reqs  int
	reqIDs          map[string]bool
	links           []link // every ID a file refers to, with where
	hazards         map[string]map[string]any
	controls        map[string]bool
	controlHazards  map[string]int
	junitFiles      int
	cases, failures int
	skips           int
	caseNames       map[string]bool
	goFuncs         []string
}

type link struct{ from, id string }

var idRE = regexp.MustCompile(`\b(?:SYS|SRS|HAZ|RC)-\d+\b`)

func yamlValue(t *testing.T, path string) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := yamlsrc.Documents(path, data)
	if err != nil || len(docs) != 1 {
		t.Fatalf("%s: %d documents, %v", path, len(docs), err)
	}
	v, _, err := yamlsrc.Value(path, docs[0])
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func strs(v any) []string {
	var out []string
	for _, x := range asList(v) {
		out = append(out, x.(string))
	}
	return out
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func readBack(t *testing.T, dir string) *tree {
	t.Helper()
	tr := &tree{reqIDs: map[string]bool{}, hazards: map[string]map[string]any{}, controls: map[string]bool{},
		controlHazards: map[string]int{}, caseNames: map[string]bool{}}
	reqFiles, _ := filepath.Glob(filepath.Join(dir, "docs/requirements/*/*.yml"))
	tr.reqFiles = len(reqFiles)
	for _, f := range reqFiles {
		v := yamlValue(t, f)
		list := asList(v)
		if m, ok := v.(map[string]any); ok {
			list = asList(m["requirements"])
		}
		for _, x := range list {
			q := x.(map[string]any)
			id := q["id"].(string)
			if tr.reqIDs[id] {
				t.Errorf("%s: %s defined twice", f, id)
			}
			tr.reqIDs[id] = true
			tr.reqs++
			for _, key := range []string{"parents", "risk_controls"} {
				for _, ref := range strs(q[key]) {
					tr.links = append(tr.links, link{f, ref})
				}
			}
			for _, e := range strs(q["evidence"]) {
				if _, err := os.Stat(filepath.Join(dir, e)); err != nil {
					t.Errorf("%s: %s: evidence %v", f, id, err)
				}
			}
		}
	}
	riskFiles, _ := filepath.Glob(filepath.Join(dir, "docs/risk/*.yml"))
	for _, f := range riskFiles {
		m := yamlValue(t, f).(map[string]any)
		for _, x := range asList(m["hazards"]) {
			h := x.(map[string]any)
			tr.hazards[h["id"].(string)] = h
			for _, c := range strs(h["risk_controls"]) {
				tr.links = append(tr.links, link{f, c})
				tr.controlHazards[c]++
			}
		}
		for _, x := range asList(m["risk_controls"]) {
			c := x.(map[string]any)
			tr.controls[c["id"].(string)] = true
			for _, key := range []string{"hazards", "requirements"} {
				for _, ref := range strs(c[key]) {
					tr.links = append(tr.links, link{f, ref})
				}
			}
		}
	}
	junit, _ := filepath.Glob(filepath.Join(dir, "reports/junit/*.xml"))
	tr.junitFiles = len(junit)
	for _, f := range junit {
		readJUnit(t, f, tr)
	}
	sources, _ := filepath.Glob(filepath.Join(dir, "src/*/*_test.go"))
	for _, f := range sources {
		readGoSource(t, f, tr)
	}
	return tr
}

type xmlCase struct {
	Name     string    `xml:"name,attr"`
	Failure  *struct{} `xml:"failure"`
	Error    *struct{} `xml:"error"`
	Skipped  *struct{} `xml:"skipped"`
	Property []struct {
		Value string `xml:"value,attr"`
	} `xml:"properties>property"`
}

func readJUnit(t *testing.T, path string, tr *tree) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "testcase" {
			continue
		}
		var c xmlCase
		if err := dec.DecodeElement(&c, &se); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		tr.cases++
		tr.caseNames[c.Name] = true
		if c.Failure != nil || c.Error != nil {
			tr.failures++
		}
		if c.Skipped != nil {
			tr.skips++
		}
		for _, id := range idRE.FindAllString(c.Name, -1) {
			tr.links = append(tr.links, link{path, id})
		}
		for _, p := range c.Property {
			for _, id := range idRE.FindAllString(p.Value, -1) {
				tr.links = append(tr.links, link{path, id})
			}
		}
	}
}

func readGoSource(t *testing.T, path string, tr *tree) {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if formatted, err := format.Source(src); err != nil || !bytes.Equal(formatted, src) {
		t.Errorf("%s is not gofmt'd Go (%v)", path, err)
	}
	file, err := parser.ParseFile(token.NewFileSet(), path, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range file.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok {
			tr.goFuncs = append(tr.goFuncs, fn.Name.Name)
		}
	}
	for _, cg := range file.Comments {
		if text := cg.Text(); strings.HasPrefix(text, "Verifies: ") {
			for _, id := range idRE.FindAllString(text, -1) {
				tr.links = append(tr.links, link{path, id})
			}
		}
	}
}

func TestTreeIsConsistent(t *testing.T) {
	tests := []struct {
		name string
		p    params
	}{
		{"default sizes", defaults},
		{"smallest", params{seed: 7, requirements: 2, files: 1, hazards: 1, tests: 1, junitFiles: 1}},
		{"uneven", params{seed: 3, requirements: 41, files: 7, hazards: 9, tests: 53, junitFiles: 6}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := write(t, tc.p)
			if _, err := config.Load(os.DirFS(dir), config.DefaultPath, false); err != nil {
				t.Fatalf("generated policy does not load: %v", err)
			}
			tr := readBack(t, dir)
			if tr.reqs != tc.p.requirements || tr.reqFiles != tc.p.files {
				t.Errorf("%d requirements in %d files, want %d in %d", tr.reqs, tr.reqFiles, tc.p.requirements, tc.p.files)
			}
			if len(tr.hazards) != tc.p.hazards || len(tr.controls) != max(1, tc.p.hazards*6/5) {
				t.Errorf("%d hazards, %d risk controls; want %d and %d", len(tr.hazards), len(tr.controls), tc.p.hazards, max(1, tc.p.hazards*6/5))
			}
			if tr.cases != tc.p.tests || tr.junitFiles != tc.p.junitFiles {
				t.Errorf("%d test cases in %d files, want %d in %d", tr.cases, tr.junitFiles, tc.p.tests, tc.p.junitFiles)
			}
			for _, l := range tr.links {
				if !tr.reqIDs[l.id] && !tr.controls[l.id] && tr.hazards[l.id] == nil {
					t.Errorf("%s: dangling link %s", l.from, l.id)
				}
			}
			for id := range tr.controls {
				if tr.controlHazards[id] == 0 {
					t.Errorf("risk control %s belongs to no hazard", id)
				}
			}
			for id, h := range tr.hazards {
				res := h["residual"].(map[string]any)
				si, pi := indexOf(severities, res["severity"].(string)), indexOf(probabilities, res["probability"].(string))
				switch acceptability[pi][si] {
				case "unacceptable":
					t.Errorf("%s: residual risk unacceptable", id)
				case "alarp":
					if h["benefit_risk"] == nil {
						t.Errorf("%s: ALARP residual risk without benefit_risk", id)
					}
				}
			}
			for _, fn := range tr.goFuncs {
				if !tr.caseNames[fn] {
					t.Errorf("Go test %s is in no report", fn)
				}
			}
		})
	}
}

// The default tree has the outcome mix the benchmark promises.
func TestOutcomeMix(t *testing.T) {
	tr := readBack(t, write(t, defaults))
	fail := float64(tr.failures) / float64(tr.cases)
	skip := float64(tr.skips) / float64(tr.cases)
	if fail < 0.005 || fail > 0.02 || skip < 0.01 || skip > 0.03 {
		t.Errorf("failures %.2f %%, skips %.2f %%; want about 1 %% and 2 %%", 100*fail, 100*skip)
	}
	var tagged, linkedReports int
	for _, l := range tr.links {
		switch {
		case strings.HasSuffix(l.from, "_test.go"):
			tagged++
		case strings.HasSuffix(l.from, ".xml"):
			linkedReports++
		}
	}
	if tagged == 0 || linkedReports == 0 {
		t.Errorf("%d links by Verifies: tag, %d by report; want both", tagged, linkedReports)
	}
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

func TestRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "old.yml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := writeTree(generate(defaults), dir); err == nil {
		t.Fatal("wrote into a directory that holds other files")
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if strings.Join(names, ",") != "old.yml" {
		t.Errorf("directory now holds %v", names)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		p    params
		ok   bool
	}{
		{"defaults", defaults, true},
		{"one requirement", params{requirements: 1, files: 1, hazards: 1, tests: 1, junitFiles: 1}, false},
		{"more files than requirements", params{requirements: 5, files: 6, hazards: 1, tests: 1, junitFiles: 1}, false},
		{"no hazards", params{requirements: 5, files: 1, hazards: 0, tests: 1, junitFiles: 1}, false},
		{"fewer tests than files", params{requirements: 5, files: 1, hazards: 1, tests: 2, junitFiles: 3}, false},
	}
	for _, tc := range tests {
		if err := tc.p.validate(); (err == nil) != tc.ok {
			t.Errorf("%s: validate() = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

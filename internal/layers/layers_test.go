// Package layers holds the test that keeps the imports running down the
// layers docs/architecture.md lists.
package layers

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// layer is one line of the layers block: its name and package patterns.
type layer struct {
	name     string
	patterns []string
}

// parseLayers reads the ```layers block of the architecture document: one
// layer per line, top first, its name then its patterns.
func parseLayers(doc string) ([]layer, error) {
	var out []layer
	in := false
	sc := bufio.NewScanner(strings.NewReader(doc))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "```layers":
			in = true
		case in && line == "```":
			if len(out) == 0 {
				return nil, fmt.Errorf("the layers block is empty")
			}
			return out, nil
		case in && line != "":
			f := strings.Fields(line)
			if len(f) < 2 {
				return nil, fmt.Errorf("layer %q names no package", line)
			}
			out = append(out, layer{name: f[0], patterns: f[1:]})
		}
	}
	return nil, fmt.Errorf("no ```layers block")
}

// assign returns the index of the layer a package belongs to: the layer
// of its most specific matching pattern (an exact path beats "dir/...",
// a longer prefix beats a shorter one); -1 when none matches.
func assign(layers []layer, pkg string) int {
	best, bestLen := -1, -1
	for i, l := range layers {
		for _, p := range l.patterns {
			n := -1
			if prefix, ok := strings.CutSuffix(p, "/..."); ok {
				if pkg == prefix || strings.HasPrefix(pkg, prefix+"/") {
					n = 2 * len(prefix)
				}
			} else if pkg == p {
				n = 2*len(p) + 1
			}
			if n > bestLen {
				best, bestLen = i, n
			}
		}
	}
	return best
}

// pkg is a package of the module and the packages of the module it imports,
// by path relative to the module.
type pkg struct {
	path    string
	imports []string
}

// violations lists every package no layer takes and every import that runs
// up a layer.
func violations(layers []layer, pkgs []pkg) []string {
	var out []string
	for _, p := range pkgs {
		from := assign(layers, p.path)
		if from < 0 {
			out = append(out, fmt.Sprintf("%s is in no layer: place it in docs/architecture.md", p.path))
			continue
		}
		for _, imp := range p.imports {
			to := assign(layers, imp)
			if to < 0 {
				continue // reported as a package of its own
			}
			if to < from {
				out = append(out, fmt.Sprintf("%s (%s) imports %s (%s): the import runs up a layer", p.path, layers[from].name, imp, layers[to].name))
			}
		}
	}
	sort.Strings(out)
	return out
}

// moduleGraph lists the module's packages with their imports inside the
// module, from go list; test-only packages have no imports to hold.
func moduleGraph(t *testing.T, root string) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var mod string
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath string
			Module     struct{ Path string }
			GoFiles    []string
			CgoFiles   []string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		mod = p.Module.Path
		if len(p.GoFiles)+len(p.CgoFiles) == 0 {
			continue
		}
		rel := func(s string) (string, bool) {
			if s == mod {
				return ".", true
			}
			r, ok := strings.CutPrefix(s, mod+"/")
			return r, ok
		}
		path, _ := rel(p.ImportPath)
		q := pkg{path: path}
		for _, imp := range p.Imports {
			if r, ok := rel(imp); ok {
				q.imports = append(q.imports, r)
			}
		}
		pkgs = append(pkgs, q)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages: is this the module?", len(pkgs))
	}
	return pkgs
}

// The module's imports run down the layers of docs/architecture.md, and
// every package is in a layer.
func TestImportsRunDownTheLayers(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join(root, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	layers, err := parseLayers(string(doc))
	if err != nil {
		t.Fatalf("docs/architecture.md: %v", err)
	}
	pkgs := moduleGraph(t, root)
	for _, v := range violations(layers, pkgs) {
		t.Error(v)
	}
	for _, p := range pkgs {
		t.Logf("%-12s %s", layers[max(assign(layers, p.path), 0)].name, p.path)
	}
}

// The checker finds what it is for: an import up a layer, a package in no
// layer; and it lets imports down and within a layer pass.
func TestViolations(t *testing.T) {
	layers, err := parseLayers("text\n```layers\nfaces cmd/...\ncheck internal/check\nsources internal/facts/...\nfacts internal/facts\nbase internal/model\n```\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		pkgs []pkg
		want []string
	}{
		{"down and within", []pkg{
			{"cmd/tracegate", []string{"internal/check", "internal/model", "cmd/tracegate/sub"}},
			{"internal/check", []string{"internal/facts/gitrepo", "internal/facts"}},
			{"internal/facts/gitrepo", []string{"internal/facts", "internal/model"}},
		}, nil},
		{"up", []pkg{
			{"internal/model", []string{"internal/facts"}},
			{"internal/facts", []string{"internal/facts/gitrepo"}},
		}, []string{
			"internal/facts (facts) imports internal/facts/gitrepo (sources): the import runs up a layer",
			"internal/model (base) imports internal/facts (facts): the import runs up a layer",
		}},
		{"unplaced", []pkg{{"internal/newthing", []string{"internal/model"}}}, []string{
			"internal/newthing is in no layer: place it in docs/architecture.md",
		}},
	} {
		got := violations(layers, tc.pkgs)
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s:\n got  %q\n want %q", tc.name, got, tc.want)
		}
	}
	if _, err := parseLayers("no block"); err == nil {
		t.Error("a document without the block parses")
	}
}

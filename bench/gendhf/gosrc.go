package main

import (
	"fmt"
	"path"
	"strings"
)

// goSourceName is the test source file whose functions a go-junit-report
// file reports.
func goSourceName(jf junitFile) string {
	return strings.TrimSuffix(path.Base(jf.path), ".xml") + "_test.go"
}

// writeGoSources writes the Go test functions that the go-junit-report
// files report on, with their Verifies: tags. The files are valid, gofmt'd
// Go of a module of their own (go.mod at the root of the tree).
func (d *dhf) writeGoSources(w *writer) error {
	for _, jf := range d.junit {
		if jf.shape != "gojunit" {
			continue
		}
		pkg := ""
		for _, it := range items {
			if "src/"+it.name == jf.goPackage {
				pkg = it.pkg
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "package %s\n\nimport \"testing\"\n", pkg)
		for _, fn := range jf.goFuncs {
			tag := ""
			if len(fn.verifies) > 0 {
				tag = "// Verifies: " + strings.Join(fn.verifies, ", ")
			}
			b.WriteString("\n")
			if tag != "" && !fn.inside {
				b.WriteString(tag + "\n")
			}
			fmt.Fprintf(&b, "func %s(t *testing.T) {\n", fn.name)
			if tag != "" && fn.inside {
				b.WriteString("\t" + tag + "\n")
			}
			if fn.subtests > 0 {
				names := make([]string, fn.subtests)
				for i := range names {
					names[i] = fmt.Sprintf("%q", fmt.Sprintf("case_%d", i+1))
				}
				fmt.Fprintf(&b, "\tfor _, name := range []string{%s} {\n", strings.Join(names, ", "))
				b.WriteString("\t\tt.Run(name, func(t *testing.T) {\n\t\t\tif got := len(name); got == 0 {\n\t\t\t\tt.Fatalf(\"case %q has no name\", name)\n\t\t\t}\n\t\t})\n\t}\n")
			} else {
				b.WriteString("\tif got, want := 2+2, 4; got != want {\n\t\tt.Fatalf(\"got %d, want %d\", got, want)\n\t}\n")
			}
			b.WriteString("}\n")
		}
		if err := w.write(jf.goPackage+"/"+goSourceName(jf), b.String()); err != nil {
			return err
		}
	}
	return nil
}

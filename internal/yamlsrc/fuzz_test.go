package yamlsrc

import (
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/input"
)

// FuzzValue drives the parser and the converter every YAML reader uses:
// whatever the text, an error names the file (and, with a line, a line in
// it), aliases never expand a document beyond its budget, and every value
// converted has a position.
func FuzzValue(f *testing.F) {
	repo := os.DirFS("../..")
	for _, pattern := range []string{"testdata/formats/*/*.yml", "testdata/formats/*/*/*.yml", "testdata/formats/*/*/*.yaml", "testdata/policies/*.yml"} {
		files, _ := fs.Glob(repo, pattern)
		for _, p := range files {
			if data, err := fs.ReadFile(repo, p); err == nil {
				f.Add(data)
			}
		}
	}
	for _, s := range []string{
		"a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
		"a: &a [x, *a]\n",
		"<<: {a: 1}\n",
		"? [a]\n: b\n",
		strings.Repeat("[", 120) + strings.Repeat("]", 120),
		"a: !!binary aGVsbG8=\nb: 2026-01-01\nc: .inf\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := Documents("f.yml", data)
		if err != nil {
			checkError(t, err)
			return
		}
		for _, d := range docs {
			v, pos, err := Value("f.yml", d)
			if err != nil {
				checkError(t, err)
				continue
			}
			if n := count(v); n > input.AliasBudget(len(data)+1) {
				t.Fatalf("%d bytes expanded to %d values", len(data), n)
			}
			if _, ok := pos[""]; !ok && v != nil {
				t.Fatalf("no position for the document's value")
			}
		}
	})
}

func checkError(t *testing.T, err error) {
	e, ok := input.AsError(err)
	if !ok || e.Pos.File != "f.yml" {
		t.Fatalf("error %T %v does not name the file", err, err)
	}
}

// count is the number of values in v.
func count(v any) int {
	n := 1
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			n += count(e)
		}
	case []any:
		for _, e := range x {
			n += count(e)
		}
	}
	return n
}

package sbom

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Every SBOM format tracegate reads has a row in docs/formats.md's table,
// whose real example reads as that format.
func TestEveryFormatDocumented(t *testing.T) {
	data, err := os.ReadFile("../../../docs/formats.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## SBOMs\n")
	if !ok {
		t.Fatal("docs/formats.md has no SBOMs section")
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z0-9-]+)` \\|[^\\n]*\\| `(testdata/[^`]+)`")
	documented := map[Format]string{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		documented[Format(m[1])] = m[2]
	}
	formats := []Format{GitHubDependencyGraph}
	for f := range decoders {
		formats = append(formats, f)
	}
	slices.Sort(formats)
	for _, f := range formats {
		example, ok := documented[f]
		if !ok {
			t.Errorf("%s has no row in docs/formats.md's SBOM table", f)
			continue
		}
		delete(documented, f)
		t.Run(string(f), func(t *testing.T) {
			skipRDFUnderRace(t, example)
			data, err := os.ReadFile("../../../" + example)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := ReadBytes(example, data)
			if err != nil || doc.Format != f || len(doc.Components) == 0 {
				t.Errorf("its example %s read as %v, %v", example, doc, err)
			}
		})
	}
	for f := range documented {
		t.Errorf("the SBOM table documents %s, which tracegate does not read", f)
	}
}

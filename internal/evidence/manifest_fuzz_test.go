package evidence

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzManifest: reading any bytes as a manifest never panics; what it
// reads, written again with Manifest, reads back the same (paths with
// backslashes and line breaks included), and a path written by Manifest
// comes back as it was.
func FuzzManifest(f *testing.F) {
	sum := strings.Repeat("ab", 32)
	f.Add([]byte(sum+"  report.html\n"+sum+"  tables/inputs.csv\n"), "inputs/commit/x y.yml")
	f.Add([]byte("\\"+sum+"  a\\nb\\\\c\n"), "a\nb\\c")
	f.Add([]byte(sum+" report.html\n"), "")
	f.Add([]byte("\\"+sum+"  \\r\n"), "\r")
	f.Add([]byte(strings.ToUpper(sum)+"  x\n"), "  two spaces  ")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		files, err := ParseManifest(bytes.NewReader(data))
		if err == nil {
			again, err := ParseManifest(bytes.NewReader(Manifest(files)))
			if err != nil {
				t.Fatalf("re-reading a written manifest: %v", err)
			}
			if len(again) != len(files) {
				t.Fatalf("%d files, then %d", len(files), len(again))
			}
			seen := map[string]string{}
			for _, f := range files {
				seen[f.Path] = f.SHA256
			}
			for _, f := range again {
				if _, ok := seen[f.Path]; !ok {
					t.Fatalf("%q appeared", f.Path)
				}
			}
		}
		if name == "" {
			return
		}
		got, err := ParseManifest(bytes.NewReader(Manifest([]File{{Path: name, SHA256: sum}})))
		if err != nil || len(got) != 1 || got[0].Path != name || got[0].SHA256 != sum {
			t.Fatalf("%q: read back %+v, %v", name, got, err)
		}
	})
}

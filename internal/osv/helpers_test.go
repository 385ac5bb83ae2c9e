package osv

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// corpus is the OSV test data (copied byte for byte from shared/corpus/osv;
// see its SOURCES.md for origins).
const corpus = "../../testdata/osv"

func readCorpus(t testing.TB, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpus, rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func corpusFiles(t testing.TB, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(corpus, dir, "*.json"))
	if err != nil || len(m) == 0 {
		t.Fatalf("no files in %s: %v", dir, err)
	}
	return m
}

// entry is one file of a test all.zip.
type entry struct {
	name string
	data []byte
}

// recordEntries are the corpus records and the collections' records, one
// entry per record named <id>.json as osv.dev's exports name them.
func recordEntries(t testing.TB) []entry {
	t.Helper()
	var out []entry
	for _, f := range corpusFiles(t, "records") {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, entry{name: recordID(t, data) + ".json", data: data})
	}
	for _, f := range corpusFiles(t, "collections") {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var coll struct {
			Vulns []json.RawMessage `json:"vulns"`
		}
		if err := json.Unmarshal(data, &coll); err != nil {
			t.Fatal(err)
		}
		for _, v := range coll.Vulns {
			out = append(out, entry{name: recordID(t, v) + ".json", data: v})
		}
	}
	return out
}

func recordID(t testing.TB, data []byte) string {
	t.Helper()
	var r struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &r); err != nil || r.ID == "" {
		t.Fatalf("record without id: %v", err)
	}
	return r.ID
}

// bases are the base ecosystems a record names, which is where osv.dev
// exports it (a record affecting Maven and PyPI is in both all.zip files).
func bases(t testing.TB, data []byte) []string {
	t.Helper()
	var r struct {
		Affected []struct {
			Package *struct {
				Ecosystem string `json:"ecosystem"`
			} `json:"package"`
		} `json:"affected"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range r.Affected {
		if a.Package != nil && !slices.Contains(out, baseEcosystem(a.Package.Ecosystem)) {
			out = append(out, baseEcosystem(a.Package.Ecosystem))
		}
	}
	return out
}

// buildDB writes entries into <dir>/<layout>/<Ecosystem>/all.zip files by
// the ecosystems each record names, the way osv.dev's bucket is laid out.
func buildDB(t testing.TB, dir, layout string, entries []entry) {
	t.Helper()
	byBase := map[string][]entry{}
	for _, e := range entries {
		for _, b := range bases(t, e.data) {
			byBase[b] = append(byBase[b], e)
		}
	}
	for b, es := range byBase {
		writeZip(t, filepath.Join(dir, layout, b, "all.zip"), es)
	}
}

func writeZip(t testing.TB, path string, entries []entry) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, zipBytes(t, entries), 0o644); err != nil {
		t.Fatal(err)
	}
}

func zipBytes(t testing.TB, entries []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// mutate returns a copy of the JSON record data with f applied to its
// decoded form: tests derive edge cases from real records.
func mutate(t testing.TB, data []byte, f func(map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func ids(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Record.ID)
	}
	return out
}

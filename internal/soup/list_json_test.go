package soup

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/tracegate/tracegate/internal/ingest/sbom"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/osv"
)

// reflected is what encoding/json writes for an entry (without HTML
// escaping, as report.WriteJSONLines encodes).
func reflected(t testing.TB, e *ListEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func sameJSON(t testing.TB, e *ListEntry) {
	t.Helper()
	got, err := e.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := reflected(t, e); !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON:\n%s\nencoding/json:\n%s", got, want)
	}
}

// Every entry of the lists of the repository's SBOMs, with and without a
// register, encodes as encoding/json encodes it.
func TestListEntryJSON(t *testing.T) {
	repo := os.DirFS("../..")
	var files []string
	for _, pattern := range []string{"testdata/sbom/*/*/*", "testdata/sbom/*/*"} {
		m, _ := fs.Glob(repo, pattern)
		files = append(files, m...)
	}
	register := []model.SOUPItem{
		{Name: "lodash", PURL: "pkg:npm/lodash", Version: "4.17.21", Manufacturer: "OpenJS <foundation>", License: "MIT & more"},
		{Name: "requests", PURL: "pkg:pypi/requests"},
		{Name: "golang.org/x/net", Identifier: "cpe:2.3:a:golang:net"},
	}
	entries := 0
	for _, f := range files {
		data, err := fs.ReadFile(repo, f)
		if err != nil {
			continue // a directory
		}
		doc, err := sbom.ReadBytes(f, data)
		if err != nil {
			continue // the refusal tests' documents
		}
		for _, reg := range [][]model.SOUPItem{nil, register} {
			l := Build([]*model.SBOM{doc}, reg, "soup.yml")
			for i := range l.Components {
				sameJSON(t, &l.Components[i])
				entries++
			}
		}
	}
	if entries < 10000 {
		t.Fatalf("only %d entries compared", entries)
	}
	// Entries as the register alone makes them, and with anomalies.
	for _, e := range FromRegister(register, "soup.yml").Components {
		sameJSON(t, &e)
		e.Anomalies = &AnomalyLookup{Status: osv.Status("checked"), Anomalies: []osv.Match{}}
		sameJSON(t, &e)
	}
}

var jsonStrings = []string{"", "a", "lodash", "pkg:npm/%40babel/core@7.0.0", `quote " and \ backslash`, "<html> & 'x'",
	"tab\tnew\nline\r", "\x00\x01\x1f\x7f", "é ü 中文", "\u2028\u2029", "bad \xff utf-8", "emoji 😀", "a/b", "NOASSERTION"}

// FuzzListEntryJSON fills every field of an entry from the fuzzer's
// choices — strings that need escaping, empty and nil slices and maps,
// every dependency state — and compares the two encodings.
func FuzzListEntryJSON(f *testing.F) {
	for i := range 30 {
		f.Add(uint64(i), "", "é\x00")
	}
	f.Add(uint64(99), "\xed\xa0\x80", "<>&\u2028")
	f.Fuzz(func(t *testing.T, seed uint64, s1, s2 string) {
		rng := rand.New(rand.NewPCG(seed, 7))
		pool := append([]string{s1, s2}, jsonStrings...)
		str := func() string { return pool[rng.IntN(len(pool))] }
		strs := func() []string {
			switch rng.IntN(4) {
			case 0:
				return nil
			case 1:
				return []string{}
			}
			out := make([]string, 1+rng.IntN(3))
			for i := range out {
				out[i] = str()
			}
			return out
		}
		e := ListEntry{Name: str(), Group: str(), Version: str(), Supplier: str(), PURL: str(), CPEs: strs(), Licenses: strs(),
			Type: str(), NotSOUP: rng.IntN(2) == 0, SupplierFrom: str(), DownloadLocation: str(), Ecosystem: str(),
			Dependency: []model.Dependency{model.DependencyDirect, model.DependencyTransitive, model.DependencyUnknown, model.Dependency(str())}[rng.IntN(4)],
			ElementID:  str(), Source: input.Pos{File: str(), Line: rng.IntN(3) - 1, Col: rng.IntN(3)}, Elements: rng.IntN(5) - 1,
			MatchedBy: str(), Documents: strs()}
		switch rng.IntN(3) {
		case 0:
			b := true
			e.Direct = &b
		case 1:
			b := false
			e.Direct = &b
		}
		if n := rng.IntN(3); n > 0 {
			e.LicenseDetails = []model.License{}
			for range n - 1 {
				e.LicenseDetails = append(e.LicenseDetails, model.License{Expression: str(), Source: str(), ByName: rng.IntN(2) == 0})
			}
		}
		if n := rng.IntN(4); n > 0 {
			e.Hashes = map[string]string{}
			for range n - 1 {
				e.Hashes[str()] = str()
			}
		}
		if rng.IntN(3) == 0 {
			e.Register = &model.SOUPItem{Name: str(), Version: str(), Manufacturer: str()}
		}
		if rng.IntN(4) == 0 {
			e.Anomalies = &AnomalyLookup{Status: osv.Status(str()), Reason: str()}
		}
		sameJSON(t, &e)
	})
}

package osv

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/input"
)

// corpusDB builds an offline database from every corpus record and
// collection, in the given layout, and opens it.
func corpusDB(t testing.TB, layout string) (*DB, string) {
	t.Helper()
	dir := t.TempDir()
	buildDB(t, dir, layout, recordEntries(t))
	db, err := OpenDB(dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return db, dir
}

func queryOne(t *testing.T, src Source, p Package) Result {
	t.Helper()
	rep, err := src.Query(context.Background(), []Package{p})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 1 {
		t.Fatalf("%d results", len(rep.Results))
	}
	return rep.Results[0]
}

func TestDBMatching(t *testing.T) {
	db, _ := corpusDB(t, "")
	for _, tc := range []struct {
		name      string
		pkg       Package
		anomalies []string
		withdrawn []string
	}{
		// testdata/osv/SOURCES.md, "Ready-made matching cases".
		// (GHSA-qppj-fm5r-hxr3, HTTP/2 rapid reset, fixed in x/net 0.17.0,
		// is in the zeppelin collection and affects it too.)
		{"x/net pseudo-version", Package{PURL: "pkg:golang/golang.org/x/net@v0.0.0-20210525063256-abc453219eb5?type=module"}, []string{"GHSA-qppj-fm5r-hxr3", "GO-2022-1144"}, nil},
		{"gogo/protobuf at the fix", Package{PURL: "pkg:golang/github.com/gogo/protobuf@v1.3.2?type=module"}, nil, nil},
		{"requests at the fix", Package{PURL: "pkg:pypi/requests@2.31.0"}, nil, nil},
		// Their neighbours.
		{"gogo/protobuf before the fix", Package{PURL: "pkg:golang/github.com/gogo/protobuf@v1.3.1"}, []string{"GO-2021-0053"}, nil},
		{"requests before the fix", Package{PURL: "pkg:pypi/requests@2.30.0"}, []string{"PYSEC-2023-74"}, nil},
		{"stdlib", Package{Ecosystem: "Go", Name: "stdlib", Version: "go1.21.10"}, []string{"GO-2024-2887", "GO-2024-2963"}, nil},
		{"gradio by another spelling", Package{Ecosystem: "PyPI", Name: "Gradio", Version: "4.36.1"}, []string{"GHSA-9v2f-6vcg-3hgv"}, nil},
		{"malicious package", Package{PURL: "pkg:pypi/123bla@0.0.1"}, []string{"MAL-2024-10238"}, nil},
		{"alpine openssl in v3.8", Package{PURL: "pkg:apk/alpine/libssl1.0@1.0.2p-r0?upstream=openssl&distro=alpine-3.8.4"}, []string{"CVE-2018-5407"}, nil},
		{"snakeyaml 1.30 (maven classifier collection)", Package{PURL: "pkg:maven/org.yaml/snakeyaml@1.30?classifier=android"},
			[]string{"GHSA-3mc7-4q67-w48m", "GHSA-98wm-3w3q-mw94", "GHSA-9w3m-gqgf-c4p9", "GHSA-c4r9-r8fh-9vj2", "GHSA-hhhw-99gj-p3c3", "GHSA-mjmj-j48q-9wg2", "GHSA-w37g-rhq8-7m4j"}, nil},
		{"snakeyaml 2.0", Package{PURL: "pkg:maven/org.yaml/snakeyaml@2.0"}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := queryOne(t, db, tc.pkg)
			if r.Status != Checked {
				t.Fatalf("status %s: %s", r.Status, r.Reason)
			}
			if got := ids(r.Anomalies); !slices.Equal(got, tc.anomalies) {
				t.Errorf("anomalies = %v, want %v", got, tc.anomalies)
			}
			if got := ids(r.Withdrawn); !slices.Equal(got, tc.withdrawn) {
				t.Errorf("withdrawn = %v, want %v", got, tc.withdrawn)
			}
			for _, m := range r.Anomalies {
				if m.Evidence == "" || m.Indeterminate {
					t.Errorf("%s: evidence %q indeterminate %v", m.Record.ID, m.Evidence, m.Indeterminate)
				}
			}
		})
	}
}

// The layouts of osv-scanner's and osv-scalibr's caches are read too.
func TestDBLayouts(t *testing.T) {
	for _, layout := range []string{"osv-scalibr", "osv-scanner"} {
		t.Run(layout, func(t *testing.T) {
			db, _ := corpusDB(t, layout)
			r := queryOne(t, db, Package{PURL: "pkg:golang/github.com/gogo/protobuf@v1.3.1"})
			if r.Status != Checked || !slices.Equal(ids(r.Anomalies), []string{"GO-2021-0053"}) {
				t.Errorf("%+v", r)
			}
		})
	}
	t.Run("two copies", func(t *testing.T) {
		dir := t.TempDir()
		rec := readCorpus(t, "records/osv-scalibr__GO-2021-0053.json")
		buildDB(t, dir, "", []entry{{"GO-2021-0053.json", rec}})
		buildDB(t, dir, "osv-scanner", []entry{{"GO-2021-0053.json", rec}})
		db, _ := OpenDB(dir, Limits{})
		rep, err := db.Query(context.Background(), []Package{{PURL: "pkg:golang/github.com/gogo/protobuf@v1.3.1"}})
		if err != nil {
			t.Fatal(err)
		}
		if !hasWarning(rep.Warnings, filepath.Join(dir, "osv-scanner", "Go", "all.zip"), "is read instead") {
			t.Errorf("warnings = %v", rep.Warnings)
		}
	})
}

func hasWarning(ws []input.Warning, file, msg string) bool {
	return slices.ContainsFunc(ws, func(w input.Warning) bool {
		return (file == "" || w.Pos.File == file) && strings.Contains(w.Msg, msg)
	})
}

// Packages the database cannot answer for are not checked, never clean.
func TestDBNotChecked(t *testing.T) {
	db, dir := corpusDB(t, "")
	rep, err := db.Query(context.Background(), []Package{
		{PURL: "pkg:npm/left-pad@1.3.0"},
		{PURL: "pkg:apk/alpine/openssl@1.0.2p-r0?distro=alpine-3.99.0"},
		{PURL: "pkg:apk/alpine/openssl@1.0.2p-r0"},
		{PURL: "pkg:generic/openssl@1.0.2"},
		{PURL: "pkg:golang/github.com/gogo/protobuf@v1.3.1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		status Status
		reason string
	}{
		{NotChecked, "no offline database for ecosystem npm in " + dir},
		{NotChecked, "Alpine:v3.99"},
		{NotChecked, "no distro qualifier"},
		{NotChecked, `purl type "generic"`},
		{Checked, ""},
	}
	for i, w := range want {
		r := rep.Results[i]
		if r.Status != w.status || !strings.Contains(r.Reason, w.reason) {
			t.Errorf("%s: %s %q, want %s %q", r.Package, r.Status, r.Reason, w.status, w.reason)
		}
		if r.Status == NotChecked && len(r.Anomalies) > 0 {
			t.Errorf("%s: anomalies on a package not checked: %v", r.Package, ids(r.Anomalies))
		}
	}
	if _, err := OpenDB(filepath.Join(dir, "missing"), Limits{}); err == nil {
		t.Error("OpenDB of a missing directory succeeded")
	}
}

func TestDBWithdrawnAndDuplicates(t *testing.T) {
	orig := readCorpus(t, "records/osv-scalibr__GO-2021-0053.json")
	withdrawn := mutate(t, orig, func(m map[string]any) { m["withdrawn"] = "2024-05-01T00:00:00Z" })
	// A later modification of GO-2021-0053 that moves the fix down to 1.3.0.
	newer := mutate(t, orig, func(m map[string]any) {
		m["modified"] = "2030-01-01T00:00:00Z"
		evs := m["affected"].([]any)[0].(map[string]any)["ranges"].([]any)[0].(map[string]any)["events"].([]any)
		evs[1] = map[string]any{"fixed": "1.3.0"}
	})
	p := Package{PURL: "pkg:golang/github.com/gogo/protobuf@v1.3.1"}
	for _, tc := range []struct {
		name      string
		entries   []entry
		anomalies []string
		withdrawn []string
		warning   string
	}{
		{"withdrawn", []entry{{"GO-2021-0053.json", withdrawn}}, nil, []string{"GO-2021-0053"}, ""},
		{"newer copy last", []entry{{"a/GO-2021-0053.json", orig}, {"b/GO-2021-0053.json", newer}}, nil, nil, `kept "b/GO-2021-0053.json"`},
		{"newer copy first", []entry{{"b/GO-2021-0053.json", newer}, {"a/GO-2021-0053.json", orig}}, nil, nil, `kept "b/GO-2021-0053.json"`},
		{"older copy only", []entry{{"a/GO-2021-0053.json", orig}}, []string{"GO-2021-0053"}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeZip(t, filepath.Join(dir, "Go", "all.zip"), tc.entries)
			db, _ := OpenDB(dir, Limits{})
			rep, err := db.Query(context.Background(), []Package{p})
			if err != nil {
				t.Fatal(err)
			}
			r := rep.Results[0]
			if r.Status != Checked || !slices.Equal(ids(r.Anomalies), tc.anomalies) || !slices.Equal(ids(r.Withdrawn), tc.withdrawn) {
				t.Errorf("%s anomalies %v withdrawn %v", r.Status, ids(r.Anomalies), ids(r.Withdrawn))
			}
			if tc.warning != "" && !hasWarning(rep.Warnings, "", tc.warning) {
				t.Errorf("warnings = %v, want %q", rep.Warnings, tc.warning)
			}
		})
	}
}

// rawZip writes one entry whose header can lie about its size.
func rawZip(t *testing.T, name string, content []byte, declared uint64) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(content)
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(content),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	zw.Close()
	return buf.Bytes()
}

func TestDBBrokenArchives(t *testing.T) {
	rec := readCorpus(t, "records/osv-scalibr__GO-2021-0053.json")
	good := zipBytes(t, []entry{{"GO-2021-0053.json", rec}, {"GO-2022-1144.json", readCorpus(t, "records/osv-scalibr__GO-2022-1144.json")}})
	bomb := bytes.Repeat([]byte(" "), 4<<20)
	small := Limits{MaxEntryBytes: 1 << 20, MaxTotalBytes: 3 << 20, MaxEntries: 100}
	for _, tc := range []struct {
		name    string
		zip     []byte
		limits  Limits
		wantErr string // error naming the file
		warning string // or a warning, the query still answering
	}{
		{name: "0-byte", zip: nil, wantErr: "not a readable zip archive"},
		{name: "truncated", zip: good[:len(good)/2], wantErr: "not a readable zip archive"},
		{name: "corrupt entry", zip: func() []byte {
			b := bytes.Clone(good)
			i := bytes.Index(b, []byte("GO-2021-0053.json")) + len("GO-2021-0053.json") + 10
			for j := i; j < i+40; j++ {
				b[j] ^= 0xff
			}
			return b
		}(), wantErr: `entry "GO-2021-0053.json" cannot be read`},
		{name: "path traversal", zip: zipBytes(t, []entry{{"../../x.json", rec}}), wantErr: `"../../x.json" has an unsafe name`},
		{name: "absolute name", zip: zipBytes(t, []entry{{"/etc/x.json", rec}}), wantErr: "unsafe name"},
		{name: "bomb, declared", zip: zipBytes(t, []entry{{"big.json", bomb}}), limits: small, wantErr: "would expand to"},
		{name: "bomb, lying header", zip: rawZip(t, "big.json", bomb, 100), limits: small, wantErr: `entry "big.json" cannot be read`},
		{name: "total", zip: zipBytes(t, []entry{{"a.json", bomb[:1000000]}, {"b.json", bomb[:1000000]}, {"c.json", bomb[:1000000]}, {"d.json", bomb[:1000000]}}), limits: small, wantErr: "more than the 3145728 bytes"},
		{name: "too many entries", zip: zipBytes(t, []entry{{"a.json", rec}, {"b.json", rec}}), limits: Limits{MaxEntryBytes: 1 << 20, MaxTotalBytes: 1 << 20, MaxEntries: 1}, wantErr: "2 entries"},
		{name: "non-JSON entries", zip: zipBytes(t, []entry{{"README.txt", []byte("hi")}, {"GO-2021-0053.json", rec}, {"x/", nil}}), warning: `1 entries are not .json records and were ignored (the first: "README.txt")`},
		{name: "unparseable record", zip: zipBytes(t, []entry{{"BROKEN-1.json", []byte(`{"id": "BROKEN-1", "affected": {}}`)}, {"GO-2021-0053.json", rec}}), warning: `entry "BROKEN-1.json" is not a readable OSV record`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "Go", "all.zip")
			os.MkdirAll(filepath.Dir(file), 0o755)
			if err := os.WriteFile(file, tc.zip, 0o644); err != nil {
				t.Fatal(err)
			}
			db, _ := OpenDB(dir, tc.limits)
			rep, err := db.Query(context.Background(), []Package{{PURL: "pkg:golang/github.com/gogo/protobuf@v1.3.1"}})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), file) {
					t.Fatalf("err = %v, want one naming %s with %q", err, file, tc.wantErr)
				}
				if rep != nil {
					t.Error("a report came with the error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			r := rep.Results[0]
			if r.Status != Checked || !slices.Equal(ids(r.Anomalies), []string{"GO-2021-0053"}) {
				t.Errorf("%s %s %v", r.Status, r.Reason, ids(r.Anomalies))
			}
			if !hasWarning(rep.Warnings, file, tc.warning) {
				t.Errorf("warnings = %v, want %q", rep.Warnings, tc.warning)
			}
		})
	}
	t.Run("empty archive", func(t *testing.T) {
		dir := t.TempDir()
		writeZip(t, filepath.Join(dir, "Go", "all.zip"), nil)
		db, _ := OpenDB(dir, Limits{})
		r := queryOne(t, db, Package{PURL: "pkg:golang/github.com/gogo/protobuf@v1.3.1"})
		if r.Status != NotChecked || !strings.Contains(r.Reason, "holds no records") {
			t.Errorf("%s %q", r.Status, r.Reason)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		db, _ := corpusDB(t, "")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := db.Query(ctx, []Package{{PURL: "pkg:golang/github.com/gogo/protobuf@v1.3.1"}}); err == nil {
			t.Error("a cancelled query answered")
		}
	})
}

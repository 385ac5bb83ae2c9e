// Package osvtest makes offline OSV databases for tests, from the real
// records in testdata/osv.
package osvtest

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Archive is an all.zip of the OSV records the glob matches, as osv.dev
// publishes one per ecosystem.
func Archive(t testing.TB, glob string) []byte {
	t.Helper()
	records, err := filepath.Glob(glob)
	if err != nil || len(records) == 0 {
		t.Fatalf("no OSV records match %s (%v)", glob, err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, r := range records {
		data, err := os.ReadFile(r)
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(filepath.Base(r))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

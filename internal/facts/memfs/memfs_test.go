package memfs

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/facts"
)

func tarGz(t *testing.T, members ...tar.Header) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeXGlobalHeader, Name: "pax_global_header", PAXRecords: map[string]string{"comment": strings.Repeat("a", 40)}}); err != nil {
		t.Fatal(err)
	}
	for _, h := range members {
		body := h.Linkname
		if h.Typeflag == tar.TypeReg {
			body, h.Linkname = h.Linkname, ""
			h.Size = int64(len(body))
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			tw.Write([]byte(body))
		}
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// member is a regular member whose content rides in Linkname (see tarGz).
func member(name, content string, mode int64) tar.Header {
	return tar.Header{Typeflag: tar.TypeReg, Name: name, Linkname: content, Mode: mode}
}

func TestReadTarGz(t *testing.T) {
	data := tarGz(t,
		tar.Header{Typeflag: tar.TypeDir, Name: "octo-pump-abc1234/", Mode: 0o775},
		tar.Header{Typeflag: tar.TypeDir, Name: "octo-pump-abc1234/docs/", Mode: 0o775},
		member("octo-pump-abc1234/docs/a.yml", "id: A\n", 0o664),
		member("octo-pump-abc1234/run.sh", "#!/bin/sh\n", 0o775),
		member("octo-pump-abc1234/empty", "", 0o664),
		tar.Header{Typeflag: tar.TypeSymlink, Name: "octo-pump-abc1234/link", Linkname: "docs/a.yml"},
	)
	files, err := ReadTarGz(bytes.NewReader(data), true, Limits{MaxBytes: 1 << 20, MaxFiles: 10})
	if err != nil {
		t.Fatal(err)
	}
	t2, err := New(files, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(withoutLinks(t, t2), "docs/a.yml", "run.sh", "empty"); err != nil {
		t.Fatal(err)
	}
	if info, _ := t2.Stat("run.sh"); info.Mode() != 0o755 {
		t.Errorf("run.sh mode %v", info.Mode())
	}
	if target, err := fs.ReadLink(t2, "link"); err != nil || target != "docs/a.yml" {
		t.Errorf("link -> %q, %v", target, err)
	}
	if _, err := fs.ReadFile(t2, "link"); !errors.Is(err, ErrSymlink) {
		t.Errorf("a link was read: %v", err)
	}
	if _, err := t2.Open("missing"); !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, facts.ErrNotFound) {
		t.Errorf("missing: %v", err)
	}
}

func withoutLinks(t *testing.T, in *FS) *FS {
	var files []File
	for _, f := range in.Files() {
		if f.Mode&fs.ModeSymlink == 0 {
			files = append(files, *f)
		}
	}
	out, err := New(files, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Archives are read within their bounds and only inside themselves.
func TestArchiveBounds(t *testing.T) {
	big := strings.Repeat("x", 1000)
	tests := []struct {
		name    string
		members []tar.Header
		lim     Limits
		want    string
	}{
		{"bytes", []tar.Header{member("r/a", big, 0o644), member("r/b", big, 0o644)}, Limits{MaxBytes: 1500}, "more than 1500 bytes"},
		{"exact bytes", []tar.Header{member("r/a", big, 0o644)}, Limits{MaxBytes: 1000}, ""},
		{"files", []tar.Header{member("r/a", "", 0o644), member("r/b", "", 0o644), member("r/c", "", 0o644)}, Limits{MaxFiles: 2}, "more than 2 entries"},
		{"climbing", []tar.Header{member("r/../../etc/passwd", "", 0o644)}, Limits{}, "not a relative path"},
		{"absolute", []tar.Header{member("/etc/passwd", "", 0o644)}, Limits{}, "not a relative path"},
		{"hard link", []tar.Header{{Typeflag: tar.TypeLink, Name: "r/h", Linkname: "r/a"}}, Limits{}, "tar type"},
	}
	for _, tt := range tests {
		_, err := ReadTarGz(bytes.NewReader(tarGz(t, tt.members...)), true, tt.lim)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestReadZip(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{"reports/unit.xml": "<testsuites/>", "sbom.cdx.json": strings.Repeat("{}", 5000)} {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	files, err := ReadZip(buf.Bytes(), false, Limits{MaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t2, err := New(Under("test-reports", files), nil)
	if err != nil {
		t.Fatal(err)
	}
	if data, err := fs.ReadFile(t2, "test-reports/reports/unit.xml"); err != nil || string(data) != "<testsuites/>" {
		t.Errorf("%q, %v", data, err)
	}
	// A zip whose inflated size passes the bound, whatever it declares.
	if _, err := ReadZip(buf.Bytes(), false, Limits{MaxBytes: 5000}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("inflated past the bound: %v", err)
	}
	if _, err := ReadZip([]byte("not a zip"), false, Limits{}); err == nil {
		t.Error("not a zip: no error")
	}
}

func TestNewRefuses(t *testing.T) {
	for _, files := range [][]File{
		{{Path: "a", Data: []byte{}}, {Path: "a", Data: []byte{}}},
		{{Path: "a/../b", Data: []byte{}}},
		{{Path: "f", Data: []byte{}}, {Path: "f/g", Data: []byte{}}},
	} {
		if _, err := New(files, nil); err == nil {
			t.Errorf("%v: no error", files)
		}
	}
}

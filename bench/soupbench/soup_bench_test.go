// Package soupbench measures `tracegate soup list --format json` in
// process — read, normalise, build the list, render JSON — against a bare
// decode of the same file by the reference library, so that the ratio is
// not blurred by process start-up. Run by bench/soup.sh.
package soupbench

import (
	"bytes"
	"io"
	"os"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/spdx/tools-golang/tagvalue"

	"github.com/tracegate/tracegate/internal/ingest/sbom"
	"github.com/tracegate/tracegate/internal/report/soupdoc"
	"github.com/tracegate/tracegate/internal/soup"
)

const (
	istio   = "../../testdata/sbom/spdx/tagvalue/bom-shelter__istio-release-1.13.1.spdx"
	airflow = "../../testdata/sbom/cyclonedx/json/sbomqs__apache_airflow-sbom-2.8.0-python3.10.json"
)

func read(b *testing.B, path string) []byte {
	b.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// soupList is what the command does after reading the file.
func soupList(b *testing.B, name string, data []byte) {
	doc, err := sbom.ReadBytes(name, data)
	if err != nil {
		b.Fatal(err)
	}
	l := soup.Build([]*sbom.Document{doc}, nil, "")
	if err := soupdoc.Write(io.Discard, l, "json", soupdoc.Options{}); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkTracegate_Istio(b *testing.B) {
	data := read(b, istio)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		soupList(b, istio, data)
	}
}

func BenchmarkLibrary_Istio(b *testing.B) {
	data := read(b, istio)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := tagvalue.Read(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTracegate_Airflow(b *testing.B) {
	data := read(b, airflow)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		soupList(b, airflow, data)
	}
}

func BenchmarkLibrary_Airflow(b *testing.B) {
	data := read(b, airflow)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var bom cdx.BOM
		if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
			b.Fatal(err)
		}
	}
}

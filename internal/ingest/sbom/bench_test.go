package sbom

import (
	"bytes"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/spdx/tools-golang/tagvalue"
)

// The largest tag-value and CycloneDX JSON files of the corpus, read by
// tracegate and by the bare library call it builds on. Read does more than
// the library (sniffing, repairs, normalisation, the dependency graph,
// deduplication); the target is at most 1.5 times the library's cost.
const (
	istio   = "spdx/tagvalue/bom-shelter__istio-release-1.13.1.spdx"
	airflow = "cyclonedx/json/sbomqs__apache_airflow-sbom-2.8.0-python3.10.json"
)

func benchRead(b *testing.B, path string) {
	data := corpus(b, path)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := ReadBytes(path, data)
		if err != nil || doc.PackagesRead == 0 {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead_Istio(b *testing.B)   { benchRead(b, istio) }
func BenchmarkRead_Airflow(b *testing.B) { benchRead(b, airflow) }

func BenchmarkLibrary_Istio(b *testing.B) {
	data := corpus(b, istio)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := tagvalue.Read(bytes.NewReader(data))
		if err != nil || len(doc.Packages) == 0 {
			b.Fatal(err)
		}
	}
}

func BenchmarkLibrary_Airflow(b *testing.B) {
	data := corpus(b, airflow)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var bom cdx.BOM
		if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(&bom); err != nil || bom.Components == nil {
			b.Fatal(err)
		}
	}
}

package osv

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
)

// zeppelinPackages are n Maven packages drawn from the zeppelin collection:
// every package it names, at each version its records list (affected) and
// at versions past every fix, then packages it does not name.
func zeppelinPackages(b *testing.B, n int) []Package {
	var coll struct {
		Vulns []Record `json:"vulns"`
	}
	if err := json.Unmarshal(readCorpus(b, "collections/osv-scalibr__zeppelin-server-vulnerabilities.json"), &coll); err != nil {
		b.Fatal(err)
	}
	var pkgs []Package
	seen := map[Package]bool{}
	add := func(p Package) {
		if !seen[p] && len(pkgs) < n {
			seen[p] = true
			pkgs = append(pkgs, p)
		}
	}
	for round := 0; len(pkgs) < n && round < 50; round++ {
		for _, r := range coll.Vulns {
			for _, a := range r.Affected {
				if a.Package == nil || a.Package.Ecosystem != "Maven" {
					continue
				}
				switch {
				case round < len(a.Versions):
					add(Package{Ecosystem: "Maven", Name: a.Package.Name, Version: a.Versions[round]})
				case round == len(a.Versions):
					add(Package{Ecosystem: "Maven", Name: a.Package.Name, Version: "999.0"})
				}
			}
		}
	}
	for i := 0; len(pkgs) < n; i++ {
		add(Package{PURL: fmt.Sprintf("pkg:maven/org.example/unlisted-%d@1.0.%d", i, i)})
	}
	return pkgs
}

// BenchmarkOfflineZeppelin matches 1,000 Maven packages against the
// zeppelin collection (356 real GHSA records) as an offline database:
// reading the archive and matching, as one Query does.
func BenchmarkOfflineZeppelin(b *testing.B) {
	dir := b.TempDir()
	buildDB(b, dir, "", recordEntries(b))
	db, err := OpenDB(dir, Limits{})
	if err != nil {
		b.Fatal(err)
	}
	pkgs := zeppelinPackages(b, 1000)
	b.ResetTimer()
	for b.Loop() {
		rep, err := db.Query(context.Background(), pkgs)
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Results) != len(pkgs) {
			b.Fatal("results missing")
		}
	}
}

// BenchmarkMatchZeppelin is the matching alone, the archive already read.
func BenchmarkMatchZeppelin(b *testing.B) {
	dir := b.TempDir()
	buildDB(b, dir, "", recordEntries(b))
	db, err := OpenDB(dir, Limits{})
	if err != nil {
		b.Fatal(err)
	}
	pkgs := zeppelinPackages(b, 1000)
	p := newPlan(pkgs)
	idx, _, err := db.read(context.Background(), filepath.Join(dir, "Maven", "all.zip"), "Maven", p.coords)
	if err != nil {
		b.Fatal(err)
	}
	affected := 0
	b.ResetTimer()
	for b.Loop() {
		affected = 0
		vc := versionCache{}
		for _, c := range p.coords {
			if len(lookup(idx, "all.zip", c, vc).matches) > 0 {
				affected++
			}
		}
	}
	b.ReportMetric(float64(affected), "affected-packages")
}

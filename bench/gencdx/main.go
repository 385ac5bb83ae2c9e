// Command gencdx writes a deterministic CycloneDX 1.5 JSON BOM of N
// components (npm, PyPI, Maven and Go packages with licenses, hashes,
// suppliers and a dependency graph) for the SOUP benchmark.
//
//	go run ./bench/gencdx -n 20000 -out bench/out/big.cdx.json [-seed 1]
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
)

type component struct {
	Type     string              `json:"type"`
	BOMRef   string              `json:"bom-ref"`
	Group    string              `json:"group,omitempty"`
	Name     string              `json:"name"`
	Version  string              `json:"version"`
	PURL     string              `json:"purl"`
	Supplier *entity             `json:"supplier,omitempty"`
	Licenses []map[string]any    `json:"licenses,omitempty"`
	Hashes   []map[string]string `json:"hashes,omitempty"`
}

type entity struct {
	Name string `json:"name"`
}

type dependency struct {
	Ref       string   `json:"ref"`
	DependsOn []string `json:"dependsOn,omitempty"`
}

func main() {
	n := flag.Int("n", 20000, "components")
	out := flag.String("out", "bench/out/big.cdx.json", "output file")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if err := write(*out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gencdx:", err)
		os.Exit(1)
	}
}

func write(path string, n int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 8121))
	licenses := []string{"MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "MPL-2.0", "GPL-2.0-only"}
	comps := make([]component, n)
	deps := make([]dependency, 0, n+1)
	root := dependency{Ref: "pkg:generic/product@1.0.0"}
	for i := range comps {
		var c component
		switch i % 4 {
		case 0:
			c = component{Name: fmt.Sprintf("pkg-%05d", i), Version: fmt.Sprintf("%d.%d.%d", rng.IntN(9), rng.IntN(30), rng.IntN(20))}
			c.PURL = "pkg:npm/" + c.Name + "@" + c.Version
		case 1:
			c = component{Name: fmt.Sprintf("py_pkg_%05d", i), Version: fmt.Sprintf("%d.%d", rng.IntN(5), rng.IntN(40))}
			c.PURL = "pkg:pypi/" + c.Name + "@" + c.Version
		case 2:
			c = component{Group: fmt.Sprintf("org.example%d", i%50), Name: fmt.Sprintf("lib-%05d", i), Version: fmt.Sprintf("%d.%d.%d", rng.IntN(5), rng.IntN(12), rng.IntN(9))}
			c.PURL = "pkg:maven/" + c.Group + "/" + c.Name + "@" + c.Version
		default:
			c = component{Name: fmt.Sprintf("example.com/mod%05d", i), Version: fmt.Sprintf("v%d.%d.%d", rng.IntN(3), rng.IntN(20), rng.IntN(9))}
			c.PURL = "pkg:golang/" + c.Name + "@" + c.Version
		}
		c.Type, c.BOMRef = "library", c.PURL
		if rng.IntN(3) > 0 {
			c.Supplier = &entity{Name: fmt.Sprintf("Vendor %d", rng.IntN(500))}
		}
		c.Licenses = []map[string]any{{"license": map[string]string{"id": licenses[rng.IntN(len(licenses))]}}}
		c.Hashes = []map[string]string{{"alg": "SHA-256", "content": fmt.Sprintf("%064x", rng.Uint64())}}
		comps[i] = c
		if i < n/10 {
			root.DependsOn = append(root.DependsOn, c.BOMRef)
		}
	}
	deps = append(deps, root)
	for i := range comps {
		d := dependency{Ref: comps[i].BOMRef}
		for k := 0; k < 2; k++ {
			if j := rng.IntN(n); j != i {
				d.DependsOn = append(d.DependsOn, comps[j].BOMRef)
			}
		}
		deps = append(deps, d)
	}
	bom := map[string]any{
		"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
		"serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
		"metadata":     map[string]any{"component": map[string]any{"type": "application", "bom-ref": root.Ref, "name": "product", "version": "1.0.0"}},
		"components":   comps, "dependencies": deps,
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := json.NewEncoder(w).Encode(bom); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// Command gendhf writes a large, deterministic design history file for
// benchmarking tracegate: a policy, requirements, a risk analysis, JUnit
// reports from three producers and Go test sources with Verifies: tags.
// The same flags always produce the same bytes.
//
// Usage:
//
//	go run ./bench/gendhf -out DIR [-seed N] [-requirements 2000 -files 200 -hazards 500 -tests 20000 -junit-files 50]
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var p params
	out := flag.String("out", "", "directory to write the tree to (must be empty or missing)")
	flag.Uint64Var(&p.seed, "seed", 1, "random seed: the same seed gives the same tree")
	flag.IntVar(&p.requirements, "requirements", 2000, "number of requirements (5 % system, the rest software)")
	flag.IntVar(&p.files, "files", 200, "number of requirement files")
	flag.IntVar(&p.hazards, "hazards", 500, "number of hazards (risk controls: 1.2 per hazard)")
	flag.IntVar(&p.tests, "tests", 20000, "number of JUnit test cases")
	flag.IntVar(&p.junitFiles, "junit-files", 50, "number of JUnit files")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: gendhf -out DIR [flags]")
		flag.PrintDefaults()
		os.Exit(2)
	}
	if err := p.validate(); err != nil {
		fmt.Fprintln(os.Stderr, "gendhf:", err)
		os.Exit(2)
	}
	w, err := writeTree(generate(p), *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendhf:", err)
		os.Exit(1)
	}
	fmt.Printf("gendhf: wrote %d files, %d bytes, to %s\n", w.files, w.bytes, *out)
}

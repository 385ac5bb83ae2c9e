// Command sbomfloor decodes an SBOM with the reference library alone and
// prints how many packages it holds: the floor that `tracegate soup list`
// is measured against in bench/soup.sh.
//
//	go run ./bench/sbomfloor spdx-tag-value FILE
//	go run ./bench/sbomfloor cyclonedx-json FILE
package main

import (
	"fmt"
	"os"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/spdx/tools-golang/tagvalue"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: sbomfloor spdx-tag-value|cyclonedx-json FILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	switch os.Args[1] {
	case "spdx-tag-value":
		doc, err := tagvalue.Read(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(len(doc.Packages))
	case "cyclonedx-json":
		var bom cdx.BOM
		if err := cdx.NewBOMDecoder(f, cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		n := 0
		if bom.Components != nil {
			n = len(*bom.Components)
		}
		fmt.Println(n)
	default:
		fmt.Fprintln(os.Stderr, "unknown format", os.Args[1])
		os.Exit(2)
	}
}

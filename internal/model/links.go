package model

import (
	"slices"
	"strings"

	"github.com/tracegate/tracegate/internal/lazyre"
)

// SplitLinks splits a property value that may list several IDs
// ("SRS-001, SRS-002", "SRS-1;SRS-2", "SRS-1 SRS-2"). The parts are kept as
// written: the trace package checks them against the configured pattern and
// reports a part that is no ID.
func SplitLinks(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
}

// ketryxNameTag finds Ketryx's @tests:ID in a test's name: Jest titles
// carry it ("describe('Sensor module @tests:KXITM4XS…', …)"), and the
// report names the test after its titles.
var ketryxNameTag = lazyre.New(`(?i)(?:^|\s)@tests:([^\s,]+(?:,[^\s,]+)*)`)

// KetryxNameTags returns the IDs of the @tests: tags in a test's name, as
// written.
func KetryxNameTags(name string) []string {
	var out []string
	for _, m := range ketryxNameTag().FindAllStringSubmatch(name, -1) {
		for _, id := range strings.Split(m[1], ",") {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

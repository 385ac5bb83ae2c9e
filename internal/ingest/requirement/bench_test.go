package requirement

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkTracegateLargeFile reads one file of 2 000 requirements with 50
// parents each; reading must stay linear in the number of list entries.
func BenchmarkTracegateLargeFile(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("type: software\nrequirements:\n")
	for i := range 2000 {
		fmt.Fprintf(&sb, "  - id: SRS-%04d\n    title: Requirement %d\n    parents: [", i, i)
		for j := range 50 {
			fmt.Fprintf(&sb, "SYS-%03d, ", j)
		}
		sb.WriteString("SYS-000]\n    risk_controls: RC-001\n")
	}
	fsys := mapFS("r.yml", sb.String())
	b.SetBytes(int64(sb.Len()))
	b.ResetTimer()
	for b.Loop() {
		items, err := Tracegate{}.Read(fsys, "r.yml")
		if err != nil || len(items.Requirements) != 2000 || len(items.Warnings) != 2000 {
			b.Fatalf("%v %d", err, len(items.Requirements))
		}
	}
}

package soupreg

import (
	"fmt"
	"testing"

	"github.com/tracegate/tracegate/internal/model"
)

// BenchmarkSyncFirstRun adds an entry for each of 5000 components to an
// empty register: the first sync of a large product.
func BenchmarkSyncFirstRun(b *testing.B) {
	var comps []model.Component
	for i := range 5000 {
		comps = append(comps, model.Component{Name: fmt.Sprintf("pkg%d", i), Version: "1.0.0", PURL: fmt.Sprintf("pkg:npm/pkg%d@1.0.0", i)})
	}
	for b.Loop() {
		if _, added, err := Sync("soup.yml", []byte("soup: []\n"), comps); err != nil || len(added) != len(comps) {
			b.Fatal(err, len(added))
		}
	}
}

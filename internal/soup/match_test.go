package soup

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/model"
)

// Documents list components by name whatever its case, then group, then
// version, keeping the order of equal ones.
func TestSortEntries(t *testing.T) {
	e := func(name, group, version, purl string) Entry {
		return Entry{Component: model.Component{Name: name, Group: group, Version: version, PURL: purl}}
	}
	es := []Entry{
		e("zlib", "", "1.3", "a"), e("Django", "", "4.2", "b"), e("django", "", "4.1", "c"),
		e("commons-io", "org.apache", "2.11", "d"), e("commons-io", "commons-io", "2.11", "e"),
		e("django", "", "4.1", "f"), e("ZLIB", "", "1.2", "g"),
	}
	SortEntries(es)
	var got []string
	for _, x := range es {
		got = append(got, x.Component.PURL)
	}
	if want := "e d c f b g a"; strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
}

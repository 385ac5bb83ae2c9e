package soup

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
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

// SortEntries moves entries by permutation cycles: it must agree with a
// plain stable sort on any input.
func TestSortEntriesAgreesWithStableSort(t *testing.T) {
	names := []string{"a", "A", "b", "B", "zlib", "Zlib", "é", "É"}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		es := make([]Entry, rng.IntN(40))
		for i := range es {
			es[i] = Entry{Component: model.Component{Name: names[rng.IntN(len(names))], Group: names[rng.IntN(2)],
				Version: strconv.Itoa(rng.IntN(3)), PURL: strconv.Itoa(i)}}
		}
		want := slices.Clone(es)
		sort.SliceStable(want, func(i, j int) bool {
			a, b := &want[i].Component, &want[j].Component
			if !strings.EqualFold(a.Name, b.Name) {
				return strings.ToLower(a.Name) < strings.ToLower(b.Name)
			}
			if a.Group != b.Group {
				return a.Group < b.Group
			}
			return a.Version < b.Version
		})
		SortEntries(es)
		for i := range es {
			if es[i].Component.PURL != want[i].Component.PURL {
				t.Fatalf("round %d: position %d holds %+v, want %+v", round, i, es[i].Component, want[i].Component)
			}
		}
	}
}

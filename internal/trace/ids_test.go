package trace

import (
	"reflect"
	"testing"

	"github.com/tracegate/tracegate/internal/config"
)

func testIDs(t *testing.T) *IDs {
	t.Helper()
	c := config.Defaults()
	c.IDs.Requirement = `(?:SYS|SRS)-\d+`
	x, err := NewIDs(&c)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestFind(t *testing.T) {
	x := testIDs(t)
	cases := []struct {
		kind, text string
		want       []string
	}{
		{config.KindRequirement, "Implements SRS-001 and SYS-2.", []string{"SRS-001", "SYS-2"}},
		{config.KindRequirement, "SRS-1,SRS-2;SRS-1", []string{"SRS-1", "SRS-2"}},
		{config.KindRequirement, "test_SRS-012_bolus_limit", []string{"SRS-012"}}, // '_' separates words in test names
		{config.KindRequirement, "TestSRS012", nil},
		{config.KindRequirement, "test SRS-012 bolus", []string{"SRS-012"}},
		{config.KindRequirement, "XSRS-1 SRS-10x", nil},
		{config.KindRequirement, "feature/SRS-7-limit", []string{"SRS-7"}},
		{config.KindChangeRequest, "fixes CR-12 (see PRB-3)", []string{"CR-12"}},
		{config.KindProblemReport, "fixes CR-12 (see PRB-3)", []string{"PRB-3"}},
		{config.KindRequirement, "", nil},
	}
	for _, tc := range cases {
		if got := x.Find(tc.kind, tc.text); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Find(%s, %q) = %q, want %q", tc.kind, tc.text, got, tc.want)
		}
	}
}

func TestIs(t *testing.T) {
	x := testIDs(t)
	for s, want := range map[string]bool{"SRS-1": true, "SRS-1 ": false, "SRS-1,SRS-2": false, "srs-1": false, "HAZ-1": false} {
		if got := x.Is(config.KindRequirement, s); got != want {
			t.Errorf("Is(%q) = %v, want %v", s, got, want)
		}
	}
	if got := x.KindOf("HAZ-4"); !reflect.DeepEqual(got, []string{config.KindHazard}) {
		t.Errorf("KindOf(HAZ-4) = %v", got)
	}
}

// testIDsF builds the test patterns outside a *testing.T (fuzz bodies).
func testIDsF() *IDs {
	c := config.Defaults()
	c.IDs.Requirement = `(?:SYS|SRS)-\d+`
	x, err := NewIDs(&c)
	if err != nil {
		panic(err)
	}
	return x
}

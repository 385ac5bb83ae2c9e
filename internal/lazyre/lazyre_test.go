package lazyre

import (
	"slices"
	"testing"
)

func TestNew(t *testing.T) {
	before := len(All())
	re := New(`^a(b+)$`)
	if first, again := re(), re(); first != again {
		t.Error("compiled twice")
	}
	if m := re().FindStringSubmatch("abbb"); len(m) != 2 || m[1] != "bbb" {
		t.Errorf("match %q", m)
	}
	if got := All(); len(got) != before+1 || !slices.Contains(got, `^a(b+)$`) {
		t.Errorf("All() = %q", got)
	}
	bad := New(`(`)
	defer func() {
		if recover() == nil {
			t.Error("an expression that does not compile did not panic on first use")
		}
	}()
	bad()
}

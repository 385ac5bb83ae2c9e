package input

import (
	"errors"
	"strings"
	"testing"
)

// TestReserve: reads in flight share one budget; what one holds, another
// cannot take until it is released; a read larger than the budget is
// refused, naming the file.
func TestReserve(t *testing.T) {
	release, err := Reserve("a.yml", 1<<20, 400<<20)
	if err != nil {
		t.Fatal(err)
	}
	if budget.TryAcquire(200 << 20) {
		budget.Release(200 << 20)
		t.Errorf("200 MiB taken while 400 MiB of %d MiB are reserved", ReadBudget>>20)
	}
	release()
	if !budget.TryAcquire(ReadBudget) {
		t.Fatalf("the budget is not whole again after release")
	}
	budget.Release(ReadBudget)

	_, err = Reserve("big.yml", 11<<20, 11<<20*TreeFactor)
	if !errors.Is(err, ErrTooLarge) || !strings.HasPrefix(err.Error(), "big.yml: file is 11.0 MiB; reading it would take about 528.0 MiB of memory, more than the 512.0 MiB tracegate gives to reading") {
		t.Errorf("err = %v", err)
	}
}

package input

import (
	"context"
	"fmt"

	"golang.org/x/sync/semaphore"
)

// budget is the process's memory budget for reads in flight (ReadBudget).
var budget = semaphore.NewWeighted(ReadBudget)

// Reserve waits until n bytes of the read budget are free and takes them;
// release gives them back. n is what reading the file at path, of size
// bytes, may take (size times TreeFactor or StreamFactor). A read that
// would take more than the whole budget is refused with an error naming the
// file, so that no single file, and no set of files read at once, exhausts
// memory.
func Reserve(path string, size, n int64) (release func(), err error) {
	n = max(n, 1)
	if n > ReadBudget {
		return nil, &Error{Pos: Pos{File: path}, Err: ErrTooLarge,
			Msg: fmt.Sprintf("file is %s; reading it would take about %s of memory, more than the %s tracegate gives to reading",
				HumanSize(size), HumanSize(n), HumanSize(ReadBudget)),
			Hint: "split the file into smaller ones"}
	}
	if err := budget.Acquire(context.Background(), n); err != nil {
		return nil, err
	}
	return func() { budget.Release(n) }, nil
}

package facts

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/tracegate/tracegate/internal/model"
)

// Evidence is where CI leaves what it made of a commit — test reports and
// SBOMs — when it is not the work tree of the process that judges (the
// App judges a commit CI built elsewhere).
type Evidence interface {
	// Evidence returns the files CI made for commit sha, one top
	// directory per artifact (ARTIFACT/reports/unit/go-test.jsonl).
	// Until CI has made them it returns an error wrapping ErrPending
	// (a *PendingError says what is awaited); a run that ended without
	// them is another error, never an empty file system.
	Evidence(ctx context.Context, sha string) (fs.FS, error)
}

// ErrPending is the evidence of a commit not being there yet.
var ErrPending = errors.New("evidence not yet available")

// PendingError says what evidence a check waits for.
type PendingError struct {
	Workflow string // the workflow that makes it ("CI", ".github/workflows/ci.yml")
	SHA      string
	// Reason is what is missing: no run yet, a run still in progress, an
	// artifact not yet uploaded.
	Reason string
}

func (e *PendingError) Error() string {
	return fmt.Sprintf("waiting for workflow %s on commit %s: %s", e.Workflow, model.ShortSHA(e.SHA), e.Reason)
}

// Is makes errors.Is(err, ErrPending) true.
func (e *PendingError) Is(target error) bool { return target == ErrPending }

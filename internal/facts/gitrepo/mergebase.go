package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// MergeBase returns the best common ancestor of the commits a and b name
// (git merge-base; of several, the one git picks). Histories without a
// common ancestor give an error wrapping facts.ErrNotFound, with ShallowHint
// in a shallow clone, where the ancestor may only be missing.
func (r *Repo) MergeBase(ctx context.Context, a, b string) (string, error) {
	ca, err := r.Resolve(ctx, a)
	if err != nil {
		return "", err
	}
	cb, err := r.Resolve(ctx, b)
	if err != nil {
		return "", err
	}
	out, err := r.run.output(ctx, "merge-base", ca, cb)
	if err != nil {
		// Exit 1 without a message: no common ancestor.
		var ge *Error
		if errors.As(err, &ge) && ge.exitCode() == 1 && ge.Stderr == "" && ctx.Err() == nil {
			return "", r.notFound(ctx, fmt.Sprintf("a common ancestor of %q and %q", a, b), "")
		}
		return "", err
	}
	sha := strings.TrimSuffix(string(out), "\n")
	if !isHex(sha) {
		return "", fmt.Errorf("git merge-base %s %s: unexpected output %q", a, b, out)
	}
	return sha, nil
}

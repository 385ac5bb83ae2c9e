package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tracegate/tracegate/internal/facts"
)

// ShallowHint is what to do when a shallow clone lacks the history a gate
// needs.
const ShallowHint = "the repository is a shallow clone: " + facts.FetchHint

// Resolve turns a ref (branch, tag, SHA, HEAD~3) into the SHA of the commit
// it names. A ref that names nothing returns an error wrapping
// facts.ErrNotFound; one that names a tree or blob is an error of its own.
// A ref is never read as an option, whatever it starts with.
func (r *Repo) Resolve(ctx context.Context, ref string) (string, error) {
	if ref == "" {
		return "", errors.New("empty git ref")
	}
	if strings.ContainsAny(ref, "\x00\n") {
		return "", fmt.Errorf("git ref %q contains a NUL or newline", ref)
	}
	// -q makes "names nothing" exit 1 quietly, while a broken repository
	// still dies with status 128 and a message.
	out, err := r.run.output(ctx, "rev-parse", "-q", "--verify", "--end-of-options", ref+"^{commit}")
	if err == nil {
		sha := strings.TrimSuffix(string(out), "\n")
		if !isHex(sha) {
			return "", fmt.Errorf("git rev-parse %q: unexpected output %q", ref, out)
		}
		return sha, nil
	}
	var ge *Error
	if !errors.As(err, &ge) || ge.exitCode() != 1 || ctx.Err() != nil {
		return "", err
	}
	if typ := r.objectType(ctx, ref); typ != "" {
		return "", fmt.Errorf("git ref %q names a %s, not a commit", ref, typ)
	}
	return "", r.notFound(ctx, fmt.Sprintf("git ref %q", ref), ge.Stderr)
}

// objectType is the type of the object ref names, or "" when it names none.
func (r *Repo) objectType(ctx context.Context, ref string) string {
	out, err := r.run.output(ctx, "rev-parse", "-q", "--verify", "--end-of-options", ref)
	if err != nil {
		return ""
	}
	sha := strings.TrimSuffix(string(out), "\n")
	if !isHex(sha) {
		return ""
	}
	out, err = r.run.output(ctx, "cat-file", "-t", sha)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(out), "\n")
}

// notFound builds the error for something missing from the repository,
// with the shallow-clone hint when history may simply not be fetched.
func (r *Repo) notFound(ctx context.Context, what, detail string) error {
	msg := what
	if detail = strings.TrimSpace(detail); detail != "" {
		msg += " (" + detail + ")"
	}
	if shallow, _, err := r.shallow(ctx); err == nil && shallow {
		return fmt.Errorf("%s: %w; %s", msg, facts.ErrNotFound, ShallowHint)
	}
	return fmt.Errorf("%s: %w", msg, facts.ErrNotFound)
}

// shallow reports whether the clone is shallow and, if so, its boundary
// commits: the commits whose parents were not fetched.
func (r *Repo) shallow(ctx context.Context) (bool, map[string]bool, error) {
	out, err := r.run.output(ctx, "rev-parse", "--is-shallow-repository", "--git-path", "shallow")
	if err != nil {
		return false, nil, err
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 2 {
		return false, nil, fmt.Errorf("git rev-parse --is-shallow-repository: unexpected output %q", out)
	}
	if lines[0] != "true" {
		return false, nil, nil
	}
	path := lines[1]
	if !filepath.IsAbs(path) {
		path = filepath.Join(r.top, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return true, nil, fmt.Errorf("reading the list of shallow commits: %w", err)
	}
	boundary := make(map[string]bool)
	for _, sha := range strings.Fields(string(data)) {
		boundary[sha] = true
	}
	return true, boundary, nil
}

// isHex reports whether s is a full object ID: 40 (SHA-1) or 64 (SHA-256)
// lower-case hex digits.
func isHex(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Branch is the name of the branch the work tree has checked out, "" on a
// detached HEAD (a CI checkout of a commit).
func (r *Repo) Branch(ctx context.Context) (string, error) {
	out, err := r.run.output(ctx, "symbolic-ref", "-q", "--short", "HEAD")
	if err != nil {
		var ge *Error
		if errors.As(err, &ge) && ge.exitCode() == 1 && ctx.Err() == nil {
			return "", nil // detached
		}
		return "", err
	}
	return strings.TrimSuffix(string(out), "\n"), nil
}

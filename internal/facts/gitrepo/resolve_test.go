package gitrepo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/facts"
)

func TestResolve(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	outside := filepath.Join(t.TempDir(), "x")

	tests := []struct {
		ref      string
		want     string // commit SHA; "" when an error is expected
		notFound bool   // the error wraps facts.ErrNotFound
		msg      string // part of the error message
	}{
		{ref: "HEAD", want: f.c5},
		{ref: "main", want: f.c5},
		{ref: "refs/heads/feature", want: f.c2},
		{ref: "HEAD~1", want: f.c4},
		{ref: "HEAD~1^2", want: f.c2},
		{ref: "v1.0", want: f.c1},        // annotated: peeled
		{ref: "v1.1", want: f.c4},        // lightweight
		{ref: "v1.1-nested", want: f.c1}, // a tag of a tag
		{ref: f.c3, want: f.c3},
		{ref: f.c3[:12], want: f.c3},
		{ref: "--output=" + outside, notFound: true, msg: `"--output=` + outside + `"`},
		{ref: "-h", notFound: true, msg: `"-h"`},
		{ref: "--all", notFound: true},
		{ref: "v9.9", notFound: true, msg: `git ref "v9.9": not found`},
		{ref: "HEAD~99", notFound: true},
		{ref: "0000000000000000000000000000000000000001", notFound: true},
		{ref: "blob-tag", msg: "names a blob, not a commit"},
		{ref: "tree-tag", msg: "names a tag, not a commit"},
		{ref: "HEAD:README.md", msg: "names a blob"},
		{ref: "", msg: "empty git ref"},
		{ref: "a\nb", msg: "NUL or newline"},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			got, err := r.Resolve(context.Background(), tt.ref)
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Fatalf("Resolve(%q) = %q, %v; want %s", tt.ref, got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Resolve(%q) = %q, want an error", tt.ref, got)
			}
			if errors.Is(err, facts.ErrNotFound) != tt.notFound {
				t.Errorf("Resolve(%q) error %q: wraps ErrNotFound = %v, want %v", tt.ref, err, !tt.notFound, tt.notFound)
			}
			wantErr(t, err, tt.msg)
			if errors.Is(err, facts.ErrNotFound) {
				wantNoHint(t, err)
			}
		})
	}
	if _, err := os.Stat(outside); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a ref was read as an option: %s exists (%v)", outside, err)
	}
}

func wantNoHint(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), "fetch-depth") {
		t.Errorf("error %q has the shallow-clone hint in a full clone", err)
	}
}

func TestResolveShallow(t *testing.T) {
	f := newFixture(t)
	r := openDir(t, shallowClone(t, f.Repo))
	ctx := context.Background()
	if got, err := r.Resolve(ctx, "HEAD"); err != nil || got != f.c5 {
		t.Fatalf("Resolve(HEAD) = %q, %v; want %s", got, err, f.c5)
	}
	for _, ref := range []string{"HEAD~1", "v0.9", f.c1} {
		_, err := r.Resolve(ctx, ref)
		if !errors.Is(err, facts.ErrNotFound) {
			t.Errorf("Resolve(%q) = %v, want ErrNotFound", ref, err)
		}
		wantErr(t, err, ShallowHint)
	}
}

// Branch names the checked-out branch, and nothing on a detached HEAD.
func TestBranch(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	ctx := context.Background()
	if b, err := r.Branch(ctx); err != nil || b != "main" {
		t.Errorf("on main: Branch = %q, %v", b, err)
	}
	f.Checkout("feature")
	if b, err := r.Branch(ctx); err != nil || b != "feature" {
		t.Errorf("on feature: Branch = %q, %v", b, err)
	}
	f.Run("checkout", "-q", "--detach", f.c3)
	if b, err := r.Branch(ctx); err != nil || b != "" {
		t.Errorf("detached: Branch = %q, %v", b, err)
	}
}

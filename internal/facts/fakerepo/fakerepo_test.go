package fakerepo

import (
	"context"
	"errors"
	"io/fs"
	"testing"

	"github.com/tracegate/tracegate/internal/facts"
)

var _ facts.Repository = (*Repo)(nil)
var _ facts.Tracker = (*Tracker)(nil)
var _ facts.PullRequests = (*Tracker)(nil)
var _ facts.Evidence = Evidence(nil)

// The fake answers as git does for what check asks: files per commit,
// history newest first, changes, the merge base, refs.
func TestRepoAnswersAsGit(t *testing.T) {
	ctx := context.Background()
	r := New()
	c1 := r.Commit("main", "one", map[string]string{"a": "1", "b": "1"})
	r.Tag("v1", c1)
	r.Branch("topic", "main")
	c2 := r.Commit("main", "two", map[string]string{"a": "2"})
	t1 := r.Commit("topic", "topic", map[string]string{"b": Deleted, "c": "1"})
	m := r.Merge("main", "topic", "merge", nil)

	if sha, err := r.Resolve(ctx, "v1"); err != nil || sha != c1 {
		t.Errorf("Resolve(v1) = %s, %v", sha, err)
	}
	if _, err := r.Resolve(ctx, "nope"); !errors.Is(err, facts.ErrNotFound) {
		t.Errorf("Resolve(nope): %v", err)
	}
	tree, _ := r.Tree(ctx, m)
	if data, err := fs.ReadFile(tree, "a"); err != nil || string(data) != "2" {
		t.Errorf("a at the merge: %q, %v", data, err)
	}
	if _, err := fs.Stat(tree, "b"); err == nil {
		t.Error("b, deleted on topic, is at the merge")
	}
	cs, _ := r.Commits(ctx, c1, m)
	if len(cs) != 3 || cs[0].SHA != m || !cs[0].IsMerge() {
		t.Errorf("commits since v1: %+v", cs)
	}
	if base, _ := r.MergeBase(ctx, c2, t1); base != c1 {
		t.Errorf("merge base %s, want %s", base, c1)
	}
	ch, _ := r.Changes(ctx, c1, t1)
	if len(ch) != 2 || ch[0] != (facts.Change{Status: facts.Deleted, Path: "b"}) || ch[1] != (facts.Change{Status: facts.Added, Path: "c"}) {
		t.Errorf("changes: %+v", ch)
	}
	r.Err = map[string]error{"Tags": errors.New("broken")}
	if _, err := r.Tags(ctx); err == nil {
		t.Error("Err does not break Tags")
	}
}

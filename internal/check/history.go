package check

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

// MaxRevisions bounds the revision history of the documents: the release
// and the releases before it in its history, newest first.
const MaxRevisions = 20

// Revision is a release in the history of the evaluated one: a revision of
// its documents, with the changes that made it.
type Revision struct {
	Tag    string    `json:"tag"`
	Commit string    `json:"commit"`
	Date   time.Time `json:"date"` // the tag's date
	// Changes counts the commits (merges left out) since the revision
	// before it; Records are the IDs their messages name (requirements,
	// change requests, problem reports, issues), sorted.
	Changes int      `json:"changes"`
	Records []string `json:"records"`
	// First: no earlier release is in its history (or the history was cut
	// at MaxRevisions), so its changes are not counted.
	First bool `json:"first,omitempty"`
}

// revisionHistory lists the releases before the evaluated one in its
// history (tags matching the policy's pattern on its ancestors), newest
// first, at most MaxRevisions-1 of them, each with the changes since the
// one before. The evaluated release itself is the caller's (its changes
// are the gate's).
func revisionHistory(ctx context.Context, src *Sources, f *gate.ReleaseFacts) ([]Revision, error) {
	if src.Repo == nil || f.Commit == "" || f.Previous == nil {
		return nil, nil
	}
	cfg := f.Model.Config
	tags, err := src.Repo.Tags(ctx)
	if err != nil {
		return nil, err
	}
	ancestors, err := src.Repo.Commits(ctx, "", f.Commit)
	if err != nil {
		return nil, err
	}
	pos := make(map[string]int, len(ancestors))
	for i, c := range ancestors {
		pos[c.SHA] = i
	}
	var revs []facts.Tag
	for _, t := range tags {
		ok, _ := doublestar.Match(cfg.Release.TagPattern, t.Name)
		if _, in := pos[t.Commit]; ok && in && t.Name != f.Tag && t.Commit != f.Commit {
			revs = append(revs, t)
		}
	}
	// Newest first; tags of one commit by date, then name.
	sort.SliceStable(revs, func(i, j int) bool {
		a, b := revs[i], revs[j]
		if pos[a.Commit] != pos[b.Commit] {
			return pos[a.Commit] < pos[b.Commit]
		}
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		return a.Name > b.Name
	})
	if len(revs) > MaxRevisions-1 {
		revs = revs[:MaxRevisions-1]
	}
	ids, err := trace.NewIDs(cfg)
	if err != nil {
		return nil, err
	}
	lf := &trace.LinkFinder{IDs: ids, Repo: src.RepoName, Hosts: src.Hosts}
	out := make([]Revision, 0, len(revs))
	for i, t := range revs {
		r := Revision{Tag: t.Name, Commit: t.Commit, Date: t.Date, Records: []string{}}
		if i+1 == len(revs) {
			r.First = true
			out = append(out, r)
			break
		}
		commits, err := src.Repo.Commits(ctx, revs[i+1].Commit, t.Commit)
		if err != nil {
			return nil, fmt.Errorf("the changes of %s since %s: %w", t.Name, revs[i+1].Name, err)
		}
		seen := map[string]bool{}
		for _, c := range commits {
			if c.IsMerge() {
				continue
			}
			r.Changes++
			var l trace.Links
			lf.Text(&l, c.Message, "commit "+model.ShortSHA(c.SHA))
			for _, link := range l.List() {
				if !seen[link.ID] {
					seen[link.ID] = true
					r.Records = append(r.Records, link.ID)
				}
			}
		}
		sort.Slice(r.Records, func(a, b int) bool { return trace.IDLess(r.Records[a], r.Records[b]) })
		out = append(out, r)
	}
	return out, nil
}

package app

import (
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/store"
)

// releaseArgs are a release job's arguments: a tag (the release gate), or
// a branch and its commit (the readiness check of a release candidate).
// Release is the GitHub release's ID when a release event asked.
type releaseArgs struct {
	Tag     string `json:"tag,omitempty"`
	Branch  string `json:"branch,omitempty"`
	SHA     string `json:"sha,omitempty"`
	Release int64  `json:"release,omitempty"`
}

// addRelease enqueues the release gate. Jobs of one tag coalesce whatever
// asked for them (the tag's push, its create event, its release).
func (in *intake) addRelease(r releaseArgs) error {
	key := store.Key{Repository: in.repo}
	switch {
	case r.Tag != "":
		key.Ref = "tag:" + r.Tag
	case r.Branch != "" && isSHA(r.SHA):
		key.Ref, key.SHA = "branch:"+r.Branch, r.SHA
	default:
		return nil
	}
	return in.add(kindRelease, key, r)
}

// onPush: a push to the default branch → the tracegate/release readiness
// check on the pushed commit, so that a tag ruleset requiring it blocks a
// tag on a commit that is not ready; a tag pushed → the release gate on
// the tag.
func (a *App) onPush(payload any, in *intake) error {
	e := payload.(*github.PushEvent)
	if e.GetDeleted() || zeroSHA(e.GetAfter()) {
		return nil
	}
	if err := in.needRepo(); err != nil {
		return err
	}
	ref := e.GetRef()
	if tag, ok := strings.CutPrefix(ref, "refs/tags/"); ok {
		return in.addRelease(releaseArgs{Tag: tag})
	}
	branch, ok := strings.CutPrefix(ref, "refs/heads/")
	if !ok || branch != e.GetRepo().GetDefaultBranch() {
		return nil
	}
	return in.addRelease(releaseArgs{Branch: branch, SHA: e.GetAfter()})
}

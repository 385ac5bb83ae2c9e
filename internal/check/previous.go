package check

import (
	"context"
	"fmt"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/model"
)

// previousRelease finds the release before tag (empty for a release
// candidate): the given ref, or the nearest ancestor of the release commit
// carrying another tag that matches the policy's pattern. Tags on the
// release commit itself are not previous releases. When there is none,
// the release is a first release only as firstRelease allows: a first
// release leaves its changes unjudged, so it is never inferred from tags
// that were simply not fetched.
func previousRelease(ctx context.Context, repo facts.Repository, tag, sha, previous string, rel config.ReleasePolicy) (*facts.Tag, error) {
	if previous != "" {
		p, err := repo.Resolve(ctx, previous)
		if err != nil {
			return nil, &UsageError{fmt.Errorf("previous release %s: %w", previous, err)}
		}
		return &facts.Tag{Name: previous, Commit: p}, nil
	}
	isRelease := func(t facts.Tag) bool {
		ok, _ := doublestar.Match(rel.TagPattern, t.Name)
		return ok && t.Name != tag && t.Commit != sha
	}
	tags, err := repo.Tags(ctx)
	if err != nil {
		return nil, err
	}
	byCommit := map[string][]facts.Tag{}
	declared := rel.First.Declares(tag)
	for _, t := range tags {
		// Another tag of the first release's commit is the first release too.
		declared = declared || (t.Name == rel.First.Tag && t.Commit == sha)
		if isRelease(t) {
			byCommit[t.Commit] = append(byCommit[t.Commit], t)
		}
	}
	if len(byCommit) > 0 {
		ancestors, err := repo.Commits(ctx, "", sha)
		if err != nil {
			return nil, err
		}
		for _, c := range ancestors { // newest first
			if ts := byCommit[c.SHA]; len(ts) > 0 {
				best := ts[0]
				for _, t := range ts[1:] { // several tags on one commit: the latest made
					if t.Date.After(best.Date) {
						best = t
					}
				}
				return &best, nil
			}
		}
	}
	return nil, firstRelease(ctx, repo, tag, sha, rel, declared, isRelease)
}

// firstRelease accepts a release whose history holds no earlier release
// tag as a first release, or says why it cannot. In a clone (facts.Clone)
// the tags may only be missing: a shallow clone is refused; the tags each
// remote holds are listed, and one in the release's history that the clone
// lacks is an error. Then the policy decides: declared is set when it names
// this release the first (release.first); without it, every remote must
// have been listed, so that the absence is known rather than assumed.
// Anything in doubt is an error that says what to fetch.
func firstRelease(ctx context.Context, repo facts.Repository, tag, sha string, rel config.ReleasePolicy, declared bool, isRelease func(facts.Tag) bool) error {
	what, declare := "the release candidate", "release.first: true"
	if tag != "" {
		what, declare = "release "+tag, "release.first: "+tag
	}
	none := fmt.Sprintf("%s: no earlier tag matching %q is in its history", what, rel.TagPattern)
	clone, isClone := facts.AsClone(repo)
	var doubt string // why the clone may lack release tags, "" when it cannot
	if isClone {
		shallow, err := clone.Shallow(ctx)
		if err != nil {
			return err
		}
		if shallow {
			return fmt.Errorf("%s as fetched, and the clone is shallow, so the previous release may only be missing: %s", none, facts.FetchHint)
		}
		missing, why, err := unfetchedReleases(ctx, clone, repo, sha, isRelease)
		if err != nil {
			return err
		}
		if missing != "" {
			return fmt.Errorf("%s here, but %s: %s", none, missing, facts.FetchHint)
		}
		doubt = why
	}
	switch {
	case declared:
		return nil
	case rel.First.Tag != "" && tag != "":
		hint := "correct release.first"
		if isClone {
			hint = facts.FetchHint + ", or " + hint
		}
		return fmt.Errorf("%s, and the policy names %s as the first release (release.first): %s", none, rel.First.Tag, hint)
	case doubt != "":
		return fmt.Errorf("%s here, and %s, so a first release cannot be told from tags that were not fetched: %s; or, if this is the first release, say so in the policy (%s)",
			none, doubt, facts.FetchHint, declare)
	}
	return nil
}

// unfetchedReleases lists the tags of every remote of the clone and looks
// for a release tag in the history of sha that the clone lacks: missing
// names it. why is set when the remotes could not tell (none, or one that
// cannot be listed); err only for a failure of the clone itself.
func unfetchedReleases(ctx context.Context, clone facts.Clone, repo facts.Repository, sha string, isRelease func(facts.Tag) bool) (missing, why string, err error) {
	remotes, err := clone.Remotes(ctx)
	if err != nil {
		return "", "", err
	}
	if len(remotes) == 0 {
		return "", "the repository has no remote to fetch tags from", nil
	}
	var history map[string]bool // the ancestors of sha, listed once needed
	var unlisted []string
	for _, remote := range remotes {
		tags, err := clone.RemoteTags(ctx, remote)
		if err != nil {
			unlisted = append(unlisted, err.Error())
			continue
		}
		for _, t := range tags {
			if !isRelease(t) {
				continue
			}
			if history == nil {
				commits, err := repo.Commits(ctx, "", sha)
				if err != nil {
					return "", "", err
				}
				history = make(map[string]bool, len(commits))
				for _, c := range commits {
					history[c.SHA] = true
				}
			}
			if history[t.Commit] {
				return fmt.Sprintf("remote %s holds release tag %s (commit %s) in that history, which this clone lacks", remote, t.Name, model.ShortSHA(t.Commit)), "", nil
			}
		}
	}
	if len(unlisted) > 0 {
		return "", strings.Join(unlisted, "; "), nil
	}
	return "", "", nil
}

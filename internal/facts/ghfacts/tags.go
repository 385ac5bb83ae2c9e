package ghfacts

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/logctx"
)

// Tags lists the repository's tags with the commits they point to
// (annotated tags peeled), from GitHub's tags list: one request per 100
// tags. A tag's Date — the tagger date, or the commit date of a
// lightweight tag — is what chooses between several tags on one commit,
// and only there does it decide anything, so it is read (two requests a
// tag, kept by SHA) only for tags that share their commit with another;
// it is zero for the others.
func (r *Repo) Tags(ctx context.Context) ([]facts.Tag, error) {
	start := time.Now()
	list, err := githubapi.All(ctx, r.maxPages, func(ctx context.Context, page int) ([]*github.RepositoryTag, *github.Response, error) {
		ts, resp, err := r.client.Repositories.ListTags(ctx, r.owner, r.name, &github.ListOptions{Page: page, PerPage: githubapi.PerPage})
		if err != nil {
			return nil, resp, apiError("tags of "+r.repo, resp, err)
		}
		return ts, resp, nil
	})
	if err != nil {
		return nil, err
	}
	var tags []facts.Tag
	byCommit := map[string]int{}
	for _, t := range list {
		sha := t.GetCommit().GetSHA()
		if t.GetName() == "" || !fullSHA().MatchString(sha) {
			return nil, fmt.Errorf("tags of %s: GitHub listed a tag without a name or commit (%q, %q)", r.repo, t.GetName(), sha)
		}
		r.known(sha)
		tags = append(tags, facts.Tag{Name: t.GetName(), Commit: sha})
		byCommit[sha]++
	}
	for i := range tags {
		if byCommit[tags[i].Commit] < 2 {
			continue
		}
		if tags[i].Date, err = r.tagDate(ctx, tags[i]); err != nil {
			return nil, err
		}
	}
	sort.Slice(tags, func(i, j int) bool {
		if c := tags[i].Date.Compare(tags[j].Date); c != 0 {
			return c < 0
		}
		return tags[i].Name < tags[j].Name
	})
	logctx.From(ctx).Debug("github: listed tags", "repo", r.repo, "tags", len(tags), "took", time.Since(start))
	return tags, nil
}

// tagDate is the tagger date of an annotated tag, the committer date of
// the commit a lightweight tag names.
func (r *Repo) tagDate(ctx context.Context, t facts.Tag) (time.Time, error) {
	what := fmt.Sprintf("tag %s of %s", t.Name, r.repo)
	ref, resp, err := r.client.Git.GetRef(ctx, r.owner, r.name, "tags/"+t.Name)
	if err != nil {
		return time.Time{}, apiError(what, resp, err)
	}
	obj := ref.GetObject()
	switch obj.GetType() {
	case "commit":
		return cached0(ctx, r.cache, r.key("commitdate", obj.GetSHA()), func(ctx context.Context) (time.Time, error) {
			c, resp, err := r.client.Git.GetCommit(ctx, r.owner, r.name, obj.GetSHA())
			if err != nil {
				return time.Time{}, apiError(what, resp, err)
			}
			return c.GetCommitter().GetDate().Time, nil
		})
	case "tag":
		return cached0(ctx, r.cache, r.key("tagdate", obj.GetSHA()), func(ctx context.Context) (time.Time, error) {
			tag, resp, err := r.client.Git.GetTag(ctx, r.owner, r.name, obj.GetSHA())
			if err != nil {
				return time.Time{}, apiError(what, resp, err)
			}
			return tag.GetTagger().GetDate().Time, nil
		})
	}
	return time.Time{}, fmt.Errorf("%s: it names a %s, neither a commit nor a tag", what, strings.TrimSpace(obj.GetType()))
}

// cached0 keeps a small value.
func cached0[T any](ctx context.Context, c *Cache, key string, fetch func(ctx context.Context) (T, error)) (T, error) {
	v, _, err := cached(ctx, c, key, func(ctx context.Context) (T, int64, error) {
		v, err := fetch(ctx)
		return v, 64, err
	})
	return v, err
}

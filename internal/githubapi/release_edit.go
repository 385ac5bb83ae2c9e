package githubapi

import (
	"context"
	"fmt"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/logctx"
)

// DraftRelease turns the published release id back into a draft: the App
// does so, when the policy asks, to a release whose gate failed, so that
// it is not offered as released. Nothing else of the release changes.
func (p *Publisher) DraftRelease(ctx context.Context, id int64) error {
	if _, _, err := p.client.Repositories.EditRelease(ctx, p.owner, p.name, id, &github.RepositoryRelease{Draft: github.Bool(true)}); err != nil {
		return fmt.Errorf("turning release %d of %s back into a draft: %w", id, p.repo, err)
	}
	logctx.From(ctx).Info("github: release drafted", "repo", p.repo, "release", id)
	return nil
}

// CommentCommit comments on a commit (a release's, to say why it was
// turned back into a draft: releases take no comments of their own) and
// returns the comment's web address.
func (p *Publisher) CommentCommit(ctx context.Context, sha, body string) (string, error) {
	if !FullSHA(sha) {
		return "", fmt.Errorf("a commit comment needs a commit SHA, not %q", sha)
	}
	c, _, err := p.client.Repositories.CreateComment(ctx, p.owner, p.name, sha, &github.RepositoryComment{Body: &body})
	if err != nil {
		return "", fmt.Errorf("commenting on %s in %s: %w", sha, p.repo, err)
	}
	return c.GetHTMLURL(), nil
}

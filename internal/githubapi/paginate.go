package githubapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/go-github/v60/github"
)

// DefaultMaxPages bounds All when the caller gives no bound: 100 pages of
// 100 are 10,000 items, far more than a repository's gate needs.
const DefaultMaxPages = 100

// PerPage is the largest page GitHub's REST API serves.
const PerPage = 100

// ErrTooManyPages is returned by All when the list is longer than its page
// bound allows: a list cut short would be a silently incomplete fact.
var ErrTooManyPages = errors.New("more pages than allowed")

// All fetches every page of a page-numbered list: page 0 (GitHub's first)
// and then each Response.NextPage, which go-github reads from the Link
// header, until it is 0. fetch asks for one page; it should ask for
// PerPage items. More than maxPages pages (DefaultMaxPages when <= 0) is
// an error wrapping ErrTooManyPages; a Link header that does not move
// forward is an error too.
func All[T any](ctx context.Context, maxPages int, fetch func(ctx context.Context, page int) ([]T, *github.Response, error)) ([]T, error) {
	if maxPages <= 0 {
		maxPages = DefaultMaxPages
	}
	var all []T
	page := 0
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		items, resp, err := fetch(ctx, page)
		if err != nil {
			return nil, err
		}
		if resp == nil {
			return nil, errors.New("githubapi: a page came without its response")
		}
		all = append(all, items...)
		next := resp.NextPage
		switch {
		case next == 0:
			return all, nil
		case next <= max(page, 1):
			return nil, fmt.Errorf("githubapi: page %d links to page %d as the next; refusing to loop", max(page, 1), next)
		case n >= maxPages:
			return nil, fmt.Errorf("githubapi: the list goes on past %d pages (%d items so far): %w; narrow the query", maxPages, len(all), ErrTooManyPages)
		}
		page = next
	}
}

// Package githubapi builds the go-github client tracegate talks to GitHub
// with, on github.com, GitHub Enterprise Cloud with data residency
// (api.SUBDOMAIN.ghe.com) and GitHub Enterprise Server (HOST/api/v3): the
// API and upload URLs from GITHUB_API_URL, a bearer token that is sent to
// those hosts only, a transport that retries what GitHub asks to be
// retried (429, secondary and primary rate limits, 5xx on idempotent
// requests) within bounds, and a pagination helper that fails rather than
// truncates.
//
// Every failure fails closed: when the transport gives up it returns a
// *RetryError saying why and, for rate limits, when GitHub will accept
// requests again (see RetryAt); it never hands back a partial answer.
package githubapi

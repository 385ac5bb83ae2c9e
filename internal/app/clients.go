package app

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/cpuslot"
	"github.com/tracegate/tracegate/internal/githubapi"
)

// Clients is the installation client creator: it hands out go-github
// clients authenticated as the App (a JWT, for the App's own endpoints)
// or as one installation for one repository. An installation's token is
// asked for that repository alone (POST
// /app/installations/{id}/access_tokens with "repositories": [name]), so
// that GitHub itself refuses to issue it when the repository is not the
// installation's, and a token can never reach another repository, let
// alone another installation's; ghinstallation keeps it until a minute
// before it expires. Every client of an installation shares its entity
// tags (conditional requests) and its rate-limit account.
type Clients struct {
	api   string // the API root, https://api.github.com/ or https://HOST/api/v3/
	appID int64
	key   *rsa.PrivateKey
	base  http.RoundTripper
	m     *appMetrics
	// Sleep replaces the retrying transport's waits (tests).
	sleep func(ctx context.Context, d time.Duration) error

	app *github.Client

	mu    sync.Mutex
	insts map[int64]*installation
}

// maxRepoClients bounds the clients kept per installation; past it they
// are dropped and made again (a token each).
const maxRepoClients = 4096

type installation struct {
	id    int64
	etags *githubapi.ETags
	rate  *rateAccount

	mu    sync.Mutex
	repos map[string]*github.Client // by lower-case owner/name
}

func newClients(api string, appID int64, key *rsa.PrivateKey, base http.RoundTripper, m *appMetrics) (*Clients, error) {
	ep, err := githubapi.ParseAPIURL(api)
	if err != nil {
		return nil, err
	}
	// The retries' back-off is a wait: a job makes it without its CPU
	// slot (see cpuslot), as it makes its requests (Repo, Download).
	c := &Clients{api: ep.API.String(), appID: appID, key: key, base: base, m: m, sleep: cpuslot.Sleep,
		insts: map[int64]*installation{}}
	apps := ghinstallation.NewAppsTransportFromPrivateKey(c.observed(0, nil), appID, key)
	apps.BaseURL = strings.TrimSuffix(c.api, "/")
	c.app, err = githubapi.NewClient(githubapi.Options{APIURL: api, HTTPClient: &http.Client{Transport: apps}})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// App is the client authenticated as the App itself (a JWT signed with
// its key, RS256, valid two minutes): the hook deliveries.
func (c *Clients) App() *github.Client { return c.app }

func (c *Clients) installation(id int64) *installation {
	c.mu.Lock()
	defer c.mu.Unlock()
	in, ok := c.insts[id]
	if !ok {
		in = &installation{id: id, etags: githubapi.NewETags(0), rate: &rateAccount{}, repos: map[string]*github.Client{}}
		c.insts[id] = in
	}
	return in
}

// ErrNotInstalled is a repository its installation does not hold (or an
// installation that is gone): GitHub refuses a token for it.
var ErrNotInstalled = errors.New("the repository is not the installation's")

// ErrNoInstallation is a job without an installation: the App acts on a
// repository only as an installation that holds it.
var ErrNoInstallation = errors.New("the delivery names no installation of the App")

// Repo returns the client of installation id for repo (owner/name). Its
// token is scoped to repo: GitHub refuses to issue one for a repository
// the installation does not hold. A job calls it as a wait (cpuslot.Off):
// it may wait for another job's token request, under the installation's
// lock.
func (c *Clients) Repo(ctx context.Context, id int64, repo string) (*github.Client, error) {
	if id <= 0 {
		return nil, ErrNoInstallation
	}
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.ContainsAny(name, "/?#%\\ ") {
		return nil, fmt.Errorf("repository %q is not owner/name", repo)
	}
	in := c.installation(id)
	key := strings.ToLower(repo)
	in.mu.Lock()
	defer in.mu.Unlock()
	if gh, ok := in.repos[key]; ok {
		return gh, nil
	}
	apps := ghinstallation.NewAppsTransportFromPrivateKey(c.observed(id, in.rate), c.appID, c.key)
	apps.BaseURL = strings.TrimSuffix(c.api, "/")
	tr := ghinstallation.NewFromAppsTransport(apps, id)
	tr.InstallationTokenOptions = &github.InstallationTokenOptions{Repositories: []string{name}}
	// The token first (the first request would ask for it anyway): a
	// repository the installation does not hold ends here.
	if _, err := tr.Token(ctx); err != nil {
		var he *ghinstallation.HTTPError
		if errors.As(err, &he) && he.Response != nil {
			if he.Response.Body != nil {
				he.Response.Body.Close()
			}
			if code := he.Response.StatusCode; code >= 400 && code < 500 && code != http.StatusTooManyRequests {
				return nil, fmt.Errorf("%w: GitHub refused installation %d a token for %s (%s)", ErrNotInstalled, id, repo, he.Response.Status)
			}
		}
		return nil, fmt.Errorf("installation %d: a token for %s: %w", id, repo, err)
	}
	// A request is a wait without the job's CPU slot, from above the
	// installation's transport: a job that finds another refreshing the
	// token waits for it under ghinstallation's lock.
	hc := &http.Client{Transport: cpuslot.Transport{Base: tokenAnswers{tr}}}
	gh, err := githubapi.NewClient(githubapi.Options{APIURL: c.api, HTTPClient: hc, ETags: in.etags, Sleep: c.sleep})
	if err != nil {
		return nil, err
	}
	if len(in.repos) >= maxRepoClients {
		clear(in.repos)
	}
	in.repos[key] = gh
	return gh, nil
}

// tokenAnswers hands on GitHub's answer to a token request that failed as
// the answer to the request that needed the token: ghinstallation returns
// it as an error, which the retrying transport would take for a network
// error and retry for a quarter of a minute, where GitHub said why it
// refused (422: the repository is not the installation's; 404: the App is
// not installed) or asked to wait (5xx, 429: retried as any answer).
type tokenAnswers struct{ base http.RoundTripper }

func (t tokenAnswers) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	var he *ghinstallation.HTTPError
	if err != nil && errors.As(err, &he) && he.Response != nil && he.Response.Body != nil {
		r := *he.Response
		r.Request = req
		return &r, nil
	}
	return resp, err
}

// Download is the client for the short-lived URLs archives and artifacts
// redirect to: no credentials. A download, its body read as it comes, is
// a wait without the job's CPU slot; what is done with it is not.
func (c *Clients) Download() *http.Client {
	hc := githubapi.NewDownloadClient(githubapi.Options{Sleep: c.sleep})
	hc.Transport = cpuslot.Transport{Base: hc.Transport, Body: true}
	return hc
}

// RateLow reports when installation id's rate limit resets, if its last
// answer said that little of it is left: the App defers the
// installation's jobs until then rather than spend the rest.
func (c *Clients) RateLow(id int64) (time.Time, bool) {
	return c.installation(id).rate.low(time.Now())
}

// observed is the base transport of installation id (0: the App), which
// counts every request GitHub answered in the metrics and keeps the
// installation's rate-limit account.
func (c *Clients) observed(id int64, rate *rateAccount) http.RoundTripper {
	return &observer{base: c.base, m: c.m, inst: strconv.FormatInt(id, 10), rate: rate}
}

type observer struct {
	base http.RoundTripper
	m    *appMetrics
	inst string
	rate *rateAccount
}

// callCounter counts the requests made with a context: one evaluation's.
type callCounter struct{}

// countCalls returns ctx counting the GitHub requests made with it.
func countCalls(ctx context.Context) (context.Context, *atomic.Int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, callCounter{}, n), n
}

func (o *observer) RoundTrip(req *http.Request) (*http.Response, error) {
	if n, ok := req.Context().Value(callCounter{}).(*atomic.Int64); ok {
		n.Add(1)
	}
	resp, err := o.base.RoundTrip(req)
	if err != nil {
		o.m.apiCalls.WithLabelValues(apiRoute(req.URL.Path), "error").Inc()
		return nil, err
	}
	o.m.apiCalls.WithLabelValues(apiRoute(req.URL.Path), strconv.Itoa(resp.StatusCode)).Inc()
	if rem, err := strconv.Atoi(resp.Header.Get("X-RateLimit-Remaining")); err == nil {
		o.m.rateLimit.WithLabelValues(o.inst).Set(float64(rem))
		if o.rate != nil {
			limit, _ := strconv.Atoi(resp.Header.Get("X-RateLimit-Limit"))
			reset, _ := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64)
			o.rate.note(rem, limit, time.Unix(reset, 0))
		}
	}
	return resp, nil
}

// rateAccount is what an installation's last answer said of its rate
// limit.
type rateAccount struct {
	mu        sync.Mutex
	remaining int
	limit     int
	reset     time.Time
}

func (r *rateAccount) note(remaining, limit int, reset time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.remaining, r.limit, r.reset = remaining, limit, reset
}

// lowWater is the share of an installation's hourly limit kept in reserve
// (at least 50 requests): below it, evaluations wait for the reset.
const lowWater = 0.02

func (r *rateAccount) low(now time.Time) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.limit == 0 || !r.reset.After(now) {
		return time.Time{}, false
	}
	reserve := max(int(float64(r.limit)*lowWater), 50)
	return r.reset, r.remaining < reserve
}

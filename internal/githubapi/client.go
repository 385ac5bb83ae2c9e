package githubapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/version"
)

// Options configure NewClient. Zero fields take defaults.
type Options struct {
	// APIURL is GITHUB_API_URL (see ParseAPIURL); github.com when empty.
	APIURL string
	// Token is sent as a bearer token to the API and upload hosts only.
	// Give either Token or HTTPClient; with neither, requests are
	// anonymous (public repositories on github.com, 60 an hour).
	Token string
	// HTTPClient is an authenticating client made elsewhere (the App's
	// installation transport). Its Transport is wrapped in the retrying
	// one; the client itself is copied, not changed.
	HTTPClient *http.Client
	// UserAgent; "tracegate/<version>" when empty.
	UserAgent string
	// MaxAttempts and MaxWait bound the retries (see Transport).
	MaxAttempts int
	MaxWait     time.Duration
	// Sleep replaces the transport's wait (see Transport.Sleep); tests
	// set it.
	Sleep func(ctx context.Context, d time.Duration) error
	// ETags, when set, makes repeated GETs conditional (see ETags).
	ETags *ETags
}

// NewClient returns a go-github client for opts: the endpoints of
// opts.APIURL, authenticated by opts.Token or opts.HTTPClient, over a
// retrying Transport.
func NewClient(opts Options) (*github.Client, error) {
	ep, err := ParseAPIURL(opts.APIURL)
	if err != nil {
		return nil, err
	}
	if opts.Token != "" && opts.HTTPClient != nil {
		return nil, errors.New("githubapi: give a token or an authenticating HTTP client, not both")
	}
	if strings.ContainsAny(opts.Token, " \t\r\n") {
		// Never echo it: this is a token, however malformed.
		return nil, errors.New("githubapi: the GitHub token contains white space or a line break; check how it is passed (a trailing newline from a file or secret is common)")
	}
	hc := &http.Client{}
	var base http.RoundTripper
	if opts.HTTPClient != nil {
		c := *opts.HTTPClient
		hc = &c
		base = c.Transport
	} else {
		base = defaultBase()
	}
	if base == nil {
		base = http.DefaultTransport
	}
	if opts.Token != "" {
		base = newBearer(opts.Token, ep, base)
	}
	if opts.ETags != nil {
		// Inside the retries: a 304 is an answer like any other.
		base = &conditional{tags: opts.ETags, base: base}
	}
	hc.Transport = &Transport{Base: base, MaxAttempts: opts.MaxAttempts, MaxWait: opts.MaxWait, Sleep: opts.Sleep}
	gh := github.NewClient(hc)
	if !ep.DotCom {
		if gh, err = gh.WithEnterpriseURLs(ep.API.String(), ep.Upload.String()); err != nil {
			return nil, err
		}
		// WithEnterpriseURLs appends /api/uploads/ to an uploads.* host
		// (go-github#3985); the URLs computed by ParseAPIURL are final.
		gh.BaseURL, gh.UploadURL = ep.API, ep.Upload
	}
	gh.UserAgent = opts.UserAgent
	if gh.UserAgent == "" {
		gh.UserAgent = "tracegate/" + buildVersion()
	}
	return gh, nil
}

// defaultBase is http.DefaultTransport with a bound on the wait for an
// answer's headers, so that a stalled connection fails (and is retried)
// instead of hanging a CI job.
func defaultBase() http.RoundTripper {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	t = t.Clone()
	t.ResponseHeaderTimeout = time.Minute
	return t
}

func buildVersion() string {
	v, _ := version.Get()
	return v
}

package githubapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// RetryError is the transport giving up on a request: GitHub kept failing
// it, or asked for a longer wait than allowed. http.Client wraps it in a
// *url.Error, which names the method and URL; errors.As finds it there.
type RetryError struct {
	Method string
	URL    string // query parameters that can hold secrets are redacted
	// Attempts is how many times the request was sent; 0 when it was not
	// sent because an earlier rate limit has not ended.
	Attempts   int
	StatusCode int    // of the last answer; 0 after a network error or when nothing was sent
	Status     string // "503 Service Unavailable"
	Message    string // GitHub's message in the last answer
	// RateLimited is set when GitHub refused the request for a rate limit;
	// Until is when it ends, if known, and Wait the wait GitHub asked for
	// when it was longer than the transport's limit.
	RateLimited bool
	Until       time.Time
	Wait        time.Duration
	Reason      string
	Err         error // the last network error
}

func (e *RetryError) Error() string {
	var b strings.Builder
	switch {
	case e.RateLimited:
		b.WriteString("GitHub rate limit")
		if e.Status != "" {
			b.WriteString(" (" + e.Status + ")")
		}
	case e.Status != "":
		b.WriteString("GitHub answered " + e.Status)
	default:
		b.WriteString("GitHub did not answer")
	}
	b.WriteString(": " + e.Reason)
	if e.RateLimited && !e.Until.IsZero() && e.Attempts > 0 {
		fmt.Fprintf(&b, "; try again after %s", e.Until.UTC().Format(time.RFC3339))
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %q", e.Message)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *RetryError) Unwrap() error { return e.Err }

// secretParams are query parameters that carry credentials in the URLs
// GitHub and the storage services it redirects to use.
var secretParams = []string{"access_token", "client_secret", "token", "jwt", "sig", "signature", "x-amz-signature", "x-amz-credential", "x-amz-security-token"}

func redactURL(req *http.Request) string {
	u := *req.URL
	u.User = nil
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			for _, s := range secretParams {
				if strings.EqualFold(k, s) {
					q.Set(k, "REDACTED")
				}
			}
		}
		u.RawQuery = q.Encode()
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath, RawQuery: u.RawQuery}).String()
}

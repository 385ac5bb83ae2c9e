package githubapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
)

// GitHub's rate-limit headers (docs.github.com, "Rate limits for the REST
// API": exceeding the primary or a secondary rate limit gives 403 or 429;
// retry-after, when present, is the seconds to wait; otherwise, when
// x-ratelimit-remaining is 0, x-ratelimit-reset is the UTC epoch second
// the window resets; otherwise wait at least a minute, then exponentially
// longer).
const (
	headerRetryAfter = "Retry-After"
	headerRemaining  = "X-RateLimit-Remaining"
	headerReset      = "X-RateLimit-Reset"
)

// apiMessage is the body of GitHub's error answers.
type apiMessage struct {
	Message          string `json:"message"`
	DocumentationURL string `json:"documentation_url"`
}

func parseMessage(body []byte) apiMessage {
	var m apiMessage
	if json.Unmarshal(body, &m) != nil {
		// Proxies in front of GitHub Enterprise answer in HTML or text.
		m.Message = snippet(body)
	}
	return m
}

// isSecondaryMessage recognises a secondary rate limit that came without
// headers by its message or documentation link, the way go-github's
// CheckResponse does (documentation_url ending "secondary-rate-limits", or
// the older "#abuse-rate-limits").
func (m apiMessage) isSecondary() bool {
	return strings.Contains(strings.ToLower(m.Message), "secondary rate limit") ||
		strings.Contains(m.DocumentationURL, "secondary-rate-limits") ||
		strings.Contains(m.DocumentationURL, "abuse-rate-limits")
}

// resetAt reads X-RateLimit-Reset, a UTC epoch second.
func resetAt(h string) (time.Time, bool) {
	s, err := strconv.ParseInt(strings.TrimSpace(h), 10, 64)
	if err != nil || s <= 0 {
		return time.Time{}, false
	}
	return time.Unix(s, 0), true
}

// serverNow is the response's Date, so that a reset time GitHub gives in
// its clock is turned into a wait without the local clock's skew; now when
// the header is missing.
func serverNow(resp *http.Response, now time.Time) time.Time {
	if t, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		return t
	}
	return now
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(bytes.ToValidUTF8(b, []byte("\uFFFD"))))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// RetryAt reports when GitHub will accept requests again after err, an
// error from a client of this package, was caused by a rate limit: the
// transport's *RetryError, or go-github's own *RateLimitError and
// *AbuseRateLimitError, which go-github returns without sending the
// request while the last answer it saw said the limit is exhausted. The
// App schedules its retry of a job with it. ok is false for any other
// error and for a rate limit whose end is unknown.
func RetryAt(err error) (time.Time, bool) {
	var re *RetryError
	if errors.As(err, &re) && re.RateLimited && !re.Until.IsZero() {
		return re.Until, true
	}
	var rl *github.RateLimitError
	if errors.As(err, &rl) && !rl.Rate.Reset.Time.IsZero() {
		return rl.Rate.Reset.Time, true
	}
	var ab *github.AbuseRateLimitError
	if errors.As(err, &ab) && ab.RetryAfter != nil {
		return time.Now().Add(*ab.RetryAfter), true
	}
	return time.Time{}, false
}

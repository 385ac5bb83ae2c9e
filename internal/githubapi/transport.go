package githubapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/tracegate/tracegate/internal/backoff"
)

// Defaults of Transport.
const (
	DefaultMaxAttempts = 5
	DefaultMaxWait     = 2 * time.Minute
)

// peekLimit bounds how much of an error answer is read to learn why it
// failed; GitHub's error bodies are a few hundred bytes.
const peekLimit = 64 << 10

// Transport retries the requests GitHub asks to be retried:
//
//   - 429 Too Many Requests, which go-github v60 does not recognise as a
//     rate limit, and 403 Forbidden with Retry-After, with
//     X-RateLimit-Remaining: 0 and X-RateLimit-Reset, or with a secondary
//     rate-limit message: for any method, since GitHub did not act on a
//     rate-limited request. The wait is the one GitHub asks for (Retry-After
//     in seconds or as an HTTP date; one second past the reset, measured on
//     the response's Date; else a minute, doubling).
//   - 5xx, for idempotent methods (GET, HEAD, OPTIONS, TRACE, PUT, DELETE)
//     and for requests marked safe (WithRetrySafe, or an Idempotency-Key
//     header), waiting Retry-After or an exponential backoff with jitter.
//   - network errors, for the same requests.
//
// Other 403s (permissions) and all other answers are returned as they are.
// A request whose body cannot be replayed (no GetBody) is sent once.
//
// It gives up with a *RetryError after MaxAttempts tries, or at once when
// GitHub asks for a longer wait than MaxWait; after a rate limit it will
// not wait for, it sends nothing more until the limit's end, failing each
// request with a *RetryError instead, as GitHub asks of clients (requests
// made while rate limited can get an integration banned).
//
// go-github keeps its own account: after any answer that says
// X-RateLimit-Remaining: 0 it refuses further requests of that category,
// without calling the transport, with a *github.RateLimitError until the
// reset. Since the transport hands go-github only its final answer, a
// rate limit it waited out leaves no such mark; one it gave up on never
// reaches go-github at all. RetryAt reads either kind.
//
// Set http.Client.Timeout, if at all, knowing that it spans every try and
// wait of a request.
//
// github.com/gofri/go-github-ratelimit/v2 (v2.0.2, what resolves here) was
// tried in its place against the fake GitHub and not adopted: it does not
// retry a 429 whose body lacks the secondary-limit message; it retries a
// POST by sending the consumed request again, so the retry carries an
// empty body (0 of 78 bytes for a check run); for a secondary limit
// without Retry-After it sleeps until X-RateLimit-Reset, the primary
// window's end (an hour in the test), where GitHub's documentation says
// to wait a minute and back off; it retries no 5xx or network error; and
// its use with go-github wants the BypassRateLimitCheck context key,
// which v60 does not export.
type Transport struct {
	Base        http.RoundTripper // http.DefaultTransport when nil
	MaxAttempts int               // tries per request, the first included; DefaultMaxAttempts when <= 0
	MaxWait     time.Duration     // longest wait between tries; DefaultMaxWait when <= 0
	// Sleep waits d, returning early with ctx's error when it is done. Nil
	// waits on a timer; tests replace it to observe the waits without
	// spending them.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock; nil is time.Now.
	Now func() time.Time

	mu    sync.Mutex
	until time.Time // rate limited: send nothing before this
}

type safeKey struct{}

// WithRetrySafe marks the requests made with ctx as safe to repeat after a
// server error although their method is not idempotent, because repeating
// them has no further effect (a POST that creates a check run with the
// same external id, say).
func WithRetrySafe(ctx context.Context) context.Context {
	return context.WithValue(ctx, safeKey{}, true)
}

func repeatable(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodPut, http.MethodDelete:
		return true
	}
	if v, _ := req.Context().Value(safeKey{}).(bool); v {
		return true
	}
	// net/http treats these headers the same way (Transport docs, "idempotent").
	_, k1 := req.Header["Idempotency-Key"]
	_, k2 := req.Header["X-Idempotency-Key"]
	return k1 || k2
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if until := t.blockedUntil(); t.now().Before(until) {
		closeBody(req)
		return nil, &RetryError{Method: req.Method, URL: redactURL(req), RateLimited: true, Until: until,
			Reason: fmt.Sprintf("GitHub's rate limit is exhausted until %s; nothing is sent before then", until.UTC().Format(time.RFC3339))}
	}
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	safe := repeatable(req)
	maxAttempts, maxWait := t.maxAttempts(), t.maxWait()
	limited := 0 // rate-limit answers so far, for the doubling minute
	for attempt := 1; ; attempt++ {
		r := req
		if attempt > 1 {
			r = req.Clone(ctx)
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, fmt.Errorf("replaying the request body: %w", err)
				}
				r.Body = body
			}
		}
		resp, err := t.base().RoundTrip(r)
		if err != nil {
			if ctx.Err() != nil || !safe || !replayable {
				return nil, err
			}
			if attempt >= maxAttempts {
				return nil, &RetryError{Method: req.Method, URL: redactURL(req), Attempts: attempt, Err: err,
					Reason: fmt.Sprintf("no answer after %d attempts", attempt)}
			}
			if err := t.sleep(ctx, min(backoff.Exponential(attempt), maxWait)); err != nil {
				return nil, err
			}
			continue
		}
		d := t.decide(resp, safe, limited)
		if !d.retry || !replayable {
			return resp, nil
		}
		if d.rateLimited {
			limited++
		}
		body := drain(resp)
		msg := parseMessage(body).Message
		fail := func(reason string) *RetryError {
			return &RetryError{Method: req.Method, URL: redactURL(req), Attempts: attempt, StatusCode: resp.StatusCode,
				Status: resp.Status, RateLimited: d.rateLimited, Until: d.until, Message: msg, Reason: reason}
		}
		if d.serverWait && d.wait > maxWait {
			e := fail(fmt.Sprintf("GitHub asks to wait %s, longer than the %s tracegate waits", d.wait, maxWait))
			e.Wait = d.wait
			if d.rateLimited {
				t.block(d.until)
			}
			return nil, e
		}
		if attempt >= maxAttempts {
			return nil, fail(fmt.Sprintf("still failing after %d attempts", attempt))
		}
		wait := d.wait
		if !d.serverWait {
			wait = min(backoff.Exponential(attempt), maxWait)
		}
		if err := t.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// decision is what to do about one answer.
type decision struct {
	retry       bool
	rateLimited bool
	// wait before the next try. serverWait marks a wait GitHub asked for,
	// which is never shortened: longer than MaxWait means giving up.
	wait       time.Duration
	serverWait bool
	until      time.Time // when the rate limit ends, if known
}

// decide reads an answer. It peeks at the body of a 403 or 429 (restoring
// it) to tell a secondary rate limit without headers from a permission
// error.
func (t *Transport) decide(resp *http.Response, safe bool, limited int) decision {
	now := t.now()
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests || code == http.StatusForbidden:
		if wait, ok := backoff.RetryAfter(resp.Header.Get(headerRetryAfter), serverNow(resp, now)); ok {
			return decision{retry: true, rateLimited: true, wait: wait, serverWait: true, until: now.Add(wait)}
		}
		if resp.Header.Get(headerRemaining) == "0" {
			if reset, ok := resetAt(resp.Header.Get(headerReset)); ok {
				wait := max(reset.Sub(serverNow(resp, now)), 0) + time.Second
				return decision{retry: true, rateLimited: true, wait: wait, serverWait: true, until: now.Add(wait)}
			}
		}
		if code == http.StatusTooManyRequests || parseMessage(peek(resp)).isSecondary() {
			wait := time.Minute << min(limited, 10)
			return decision{retry: true, rateLimited: true, wait: wait, serverWait: true, until: now.Add(wait)}
		}
		return decision{}
	case code >= 500 && safe:
		if wait, ok := backoff.RetryAfter(resp.Header.Get(headerRetryAfter), serverNow(resp, now)); ok {
			return decision{retry: true, wait: wait, serverWait: true}
		}
		return decision{retry: true}
	}
	return decision{}
}

// peek reads the start of resp's body and puts it back in front of the
// rest, so that the caller still reads the whole body.
func peek(resp *http.Response) []byte {
	head, _ := io.ReadAll(io.LimitReader(resp.Body, peekLimit))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	return head
}

// drain reads what is worth reading of an answer that is about to be
// retried (its message, and enough to let the connection be reused) and
// closes it.
func drain(resp *http.Response) []byte {
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, peekLimit))
	return b
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

func (t *Transport) block(until time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if until.After(t.until) {
		t.until = until
	}
}

func (t *Transport) blockedUntil() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.until
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

func (t *Transport) maxAttempts() int {
	if t.MaxAttempts <= 0 {
		return DefaultMaxAttempts
	}
	return t.MaxAttempts
}

func (t *Transport) maxWait() time.Duration {
	if t.MaxWait <= 0 {
		return DefaultMaxWait
	}
	return t.MaxWait
}

func (t *Transport) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func (t *Transport) sleep(ctx context.Context, d time.Duration) error {
	if t.Sleep != nil {
		return t.Sleep(ctx, d)
	}
	return backoff.Sleep(ctx, d)
}

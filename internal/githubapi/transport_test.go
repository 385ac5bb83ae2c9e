package githubapi_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// serverTime is the Date the faults below answer with, so that waits
// derived from reset times are exact.
var serverTime = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

func dated(h http.Header) http.Header {
	h.Set("Date", serverTime.Format(http.TimeFormat))
	return h
}

const issuePath = "/api/v3/repos/o/r/issues/1"

// TestRetries: each kind of answer GitHub asks to be retried is, with the
// wait it asks for, and then the request succeeds.
func TestRetries(t *testing.T) {
	secondaryBody := `{"message":"You have exceeded a secondary rate limit.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`
	tests := []struct {
		name      string
		faults    []fakegithub.Fault
		wantWaits []time.Duration
	}{
		{"429 with Retry-After seconds",
			[]fakegithub.Fault{{Status: 429, Header: http.Header{"Retry-After": {"7"}}}},
			[]time.Duration{7 * time.Second}},
		{"429 with Retry-After as an HTTP date",
			[]fakegithub.Fault{{Status: 429, Header: dated(http.Header{"Retry-After": {serverTime.Add(30 * time.Second).Format(http.TimeFormat)}})}},
			[]time.Duration{30 * time.Second}},
		{"429 with a reset time",
			[]fakegithub.Fault{{Status: 429, Header: dated(http.Header{"X-RateLimit-Remaining": {"0"}, "X-RateLimit-Reset": {unix(serverTime.Add(20 * time.Second))}})}},
			[]time.Duration{21 * time.Second}},
		{"429 without headers: a minute, then two",
			[]fakegithub.Fault{{Status: 429, Count: 2}},
			[]time.Duration{time.Minute, 2 * time.Minute}},
		{"403 secondary rate limit with Retry-After",
			[]fakegithub.Fault{{Status: 403, Header: http.Header{"Retry-After": {"3"}}, Count: 2}},
			[]time.Duration{3 * time.Second, 3 * time.Second}},
		{"403 primary rate limit, reset measured on the server's clock",
			[]fakegithub.Fault{{Status: 403, Header: dated(http.Header{"X-RateLimit-Remaining": {"0"}, "X-RateLimit-Reset": {unix(serverTime.Add(45 * time.Second))}})}},
			[]time.Duration{46 * time.Second}},
		{"403 primary rate limit whose reset has passed",
			[]fakegithub.Fault{{Status: 403, Header: dated(http.Header{"X-RateLimit-Remaining": {"0"}, "X-RateLimit-Reset": {unix(serverTime.Add(-time.Hour))}})}},
			[]time.Duration{time.Second}},
		{"403 secondary rate limit told by its message only",
			[]fakegithub.Fault{{Status: 403, Body: secondaryBody}},
			[]time.Duration{time.Minute}},
		{"503 with Retry-After",
			[]fakegithub.Fault{{Status: 503, Header: http.Header{"Retry-After": {"5"}}}},
			[]time.Duration{5 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakegithub.New(t)
			srv.AddIssue("o/r", fakegithub.Issue{Number: 1, Title: "x"})
			for _, f := range tt.faults {
				f.Path = issuePath
				srv.Inject(f)
			}
			gh, w := client(t, srv, githubapi.Options{})
			is, _, err := gh.Issues.Get(context.Background(), "o", "r", 1)
			if err != nil {
				t.Fatal(err)
			}
			if is.GetNumber() != 1 {
				t.Errorf("issue %d", is.GetNumber())
			}
			if got := w.get(); !reflect.DeepEqual(got, tt.wantWaits) {
				t.Errorf("waits %v, want %v", got, tt.wantWaits)
			}
			if n := len(srv.Requests()); n != len(tt.wantWaits)+1 {
				t.Errorf("%d requests, want %d", n, len(tt.wantWaits)+1)
			}
			// The limit was waited out: go-github holds no mark of it and
			// the next call goes through.
			if _, _, err := gh.Issues.Get(context.Background(), "o", "r", 1); err != nil {
				t.Errorf("the next call: %v", err)
			}
		})
	}
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

func TestServerErrorBackoff(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddIssue("o/r", fakegithub.Issue{Number: 1, Title: "x"})
	srv.FailNext(issuePath, 500, nil, 2)
	srv.FailNext(issuePath, 502, nil, 1)
	gh, w := client(t, srv, githubapi.Options{})
	if _, _, err := gh.Issues.Get(context.Background(), "o", "r", 1); err != nil {
		t.Fatal(err)
	}
	got := w.get()
	if len(got) != 3 || len(srv.Requests()) != 4 {
		t.Fatalf("waits %v after %d requests; want 3 waits, 4 requests", got, len(srv.Requests()))
	}
	// 1 s, 2 s, 4 s, each with up to 25 % jitter.
	for i, base := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
		if got[i] < base || got[i] > base+base/4 {
			t.Errorf("wait %d is %v, want %v to %v", i+1, got[i], base, base+base/4)
		}
	}
}

// TestGivingUp: the transport stops, with an error that says why, after
// MaxAttempts tries or when GitHub asks for longer than MaxWait.
func TestGivingUp(t *testing.T) {
	tests := []struct {
		name         string
		fault        fakegithub.Fault
		wantRequests int
		wantWaits    int
		wantErr      []string
		rateLimited  bool
		wantWait     time.Duration
	}{
		{"500 until the attempts run out", fakegithub.Fault{Status: 500, Count: 10}, 3, 2,
			[]string{"GitHub answered 500 Internal Server Error: still failing after 3 attempts", `"Server Error"`}, false, 0},
		{"429 until the attempts run out", fakegithub.Fault{Status: 429, Header: http.Header{"Retry-After": {"1"}}, Count: 10}, 3, 2,
			[]string{"GitHub rate limit (429 Too Many Requests): still failing after 3 attempts", "try again after", "secondary rate limit"}, true, 0},
		{"Retry-After longer than MaxWait", fakegithub.Fault{Status: 429, Header: http.Header{"Retry-After": {"600"}}}, 1, 0,
			[]string{"GitHub asks to wait 10m0s, longer than the 2m0s tracegate waits"}, true, 10 * time.Minute},
		{"reset later than MaxWait", fakegithub.Fault{Status: 403, Header: dated(http.Header{"X-RateLimit-Remaining": {"0"}, "X-RateLimit-Reset": {unix(serverTime.Add(time.Hour))}})}, 1, 0,
			[]string{"GitHub rate limit (403 Forbidden): GitHub asks to wait 1h0m1s", "API rate limit exceeded"}, true, time.Hour + time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakegithub.New(t)
			srv.AddIssue("o/r", fakegithub.Issue{Number: 1, Title: "x"})
			tt.fault.Path = issuePath
			srv.Inject(tt.fault)
			gh, w := client(t, srv, githubapi.Options{MaxAttempts: 3})
			is, _, err := gh.Issues.Get(context.Background(), "o", "r", 1)
			if err == nil {
				t.Fatalf("no error; got issue %v", is)
			}
			noToken(t, err)
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			var re *githubapi.RetryError
			if !errors.As(err, &re) {
				t.Fatalf("error %T is not a *RetryError", err)
			}
			if re.RateLimited != tt.rateLimited || re.Wait != tt.wantWait || re.Attempts != tt.wantRequests {
				t.Errorf("RetryError %+v", re)
			}
			if n := len(srv.Requests()); n != tt.wantRequests {
				t.Errorf("%d requests, want %d", n, tt.wantRequests)
			}
			if n := len(w.get()); n != tt.wantWaits {
				t.Errorf("%d waits, want %d", n, tt.wantWaits)
			}
			at, ok := githubapi.RetryAt(err)
			if ok != tt.rateLimited {
				t.Errorf("RetryAt = %v, %v", at, ok)
			}
		})
	}
}

// TestRateLimitBlocks: after a rate limit it would not wait for, the
// transport sends nothing until it ends.
func TestRateLimitBlocks(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddIssue("o/r", fakegithub.Issue{Number: 1, Title: "x"})
	srv.FailNext(issuePath, 429, http.Header{"Retry-After": {"3600"}}, 1)
	gh, _ := client(t, srv, githubapi.Options{})
	_, _, first := gh.Issues.Get(context.Background(), "o", "r", 1)
	_, _, second := gh.Issues.Get(context.Background(), "o", "r", 1)
	if first == nil || second == nil {
		t.Fatalf("errors %v, %v", first, second)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests reached GitHub, want 1", n)
	}
	var re *githubapi.RetryError
	if !errors.As(second, &re) || re.Attempts != 0 || !strings.Contains(second.Error(), "nothing is sent before then") {
		t.Errorf("second error %v", second)
	}
	at1, _ := githubapi.RetryAt(first)
	at2, ok := githubapi.RetryAt(second)
	if !ok || !at1.Equal(at2) {
		t.Errorf("RetryAt %v then %v", at1, at2)
	}
}

// TestGoGitHubRateLimitCheck: an answer saying the limit is spent makes
// go-github refuse the next request itself, before the transport; the
// error says until when.
func TestGoGitHubRateLimitCheck(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddIssue("o/r", fakegithub.Issue{Number: 1, Title: "x"})
	reset := time.Now().Add(40 * time.Minute).Truncate(time.Second)
	srv.SetRateLimit(0, reset)
	gh, w := client(t, srv, githubapi.Options{})
	if _, _, err := gh.Issues.Get(context.Background(), "o", "r", 1); err != nil {
		t.Fatalf("the last request of the window: %v", err)
	}
	_, _, err := gh.Issues.Get(context.Background(), "o", "r", 1)
	var rl *github.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("error %v (%T), want *github.RateLimitError", err, err)
	}
	if n := len(srv.Requests()); n != 1 || len(w.get()) != 0 {
		t.Errorf("%d requests, %d waits; go-github should refuse without sending", n, len(w.get()))
	}
	if at, ok := githubapi.RetryAt(err); !ok || !at.Equal(reset) {
		t.Errorf("RetryAt = %v, %v; want %v", at, ok, reset)
	}
}

// TestNotRetried: answers that are not GitHub asking to retry come back
// at once.
func TestNotRetried(t *testing.T) {
	tests := []struct {
		name   string
		fault  fakegithub.Fault
		status int
	}{
		{"403 permission", fakegithub.Fault{Status: 403}, 403},
		{"404", fakegithub.Fault{Status: 404}, 404},
		{"422", fakegithub.Fault{Status: 422}, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakegithub.New(t)
			tt.fault.Path = issuePath
			srv.Inject(tt.fault)
			gh, w := client(t, srv, githubapi.Options{})
			_, resp, err := gh.Issues.Get(context.Background(), "o", "r", 1)
			var er *github.ErrorResponse
			if !errors.As(err, &er) || resp == nil || resp.StatusCode != tt.status {
				t.Fatalf("error %v", err)
			}
			noToken(t, err)
			if len(srv.Requests()) != 1 || len(w.get()) != 0 {
				t.Errorf("%d requests, %d waits", len(srv.Requests()), len(w.get()))
			}
		})
	}
}

// TestMethods: a server error is retried only where repeating the request
// is harmless; a rate limit for every method, since GitHub did nothing.
// The body is sent again in full.
func TestMethods(t *testing.T) {
	tests := []struct {
		name         string
		method       string
		ctx          func(context.Context) context.Context
		header       string
		status       int
		wantRequests int
	}{
		{"GET 500", "GET", nil, "", 500, 2},
		{"PUT 500", "PUT", nil, "", 500, 2},
		{"DELETE 503", "DELETE", nil, "", 503, 2},
		{"POST 500", "POST", nil, "", 500, 1},
		{"PATCH 502", "PATCH", nil, "", 502, 1},
		{"POST 500 marked safe", "POST", githubapi.WithRetrySafe, "", 500, 2},
		{"POST 500 with an idempotency key", "POST", nil, "Idempotency-Key", 500, 2},
		{"POST 429", "POST", nil, "", 429, 2},
		{"PATCH 403 secondary", "PATCH", nil, "", 403, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakegithub.New(t)
			var mu sync.Mutex
			var bodies []string
			srv.Handle(tt.method+" /repos/o/r/check-runs", func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				bodies = append(bodies, string(b))
				mu.Unlock()
				w.Write([]byte(`{"id": 1}`))
			})
			h := http.Header{}
			if tt.status == 429 || tt.status == 403 {
				h.Set("Retry-After", "1")
			}
			srv.FailNext("/api/v3/repos/o/r/check-runs", tt.status, h, 1)
			gh, _ := client(t, srv, githubapi.Options{})
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = tt.ctx(ctx)
			}
			req, err := gh.NewRequest(tt.method, "repos/o/r/check-runs", map[string]string{"name": "tracegate", "head_sha": "abc"})
			if err != nil {
				t.Fatal(err)
			}
			if tt.header != "" {
				req.Header.Set(tt.header, "k1")
			}
			_, err = gh.Do(ctx, req, nil)
			if n := len(srv.Requests()); n != tt.wantRequests {
				t.Errorf("%d requests, want %d (error %v)", n, tt.wantRequests, err)
			}
			if (err == nil) != (tt.wantRequests == 2) {
				t.Errorf("error %v", err)
			}
			if tt.wantRequests == 2 && (len(bodies) != 1 || bodies[0] != `{"head_sha":"abc","name":"tracegate"}`+"\n") {
				t.Errorf("the retried request's body: %q", bodies)
			}
		})
	}
}

// TestUnreplayableBody: a body that cannot be sent again is sent once,
// and its answer returned as it is.
func TestUnreplayableBody(t *testing.T) {
	srv := fakegithub.New(t)
	srv.FailNext("/api/v3/upload", 429, http.Header{"Retry-After": {"1"}}, 1)
	tr := &githubapi.Transport{Sleep: (&waits{}).sleep}
	req, _ := http.NewRequest("POST", srv.APIURL()+"/upload", io.NopCloser(strings.NewReader("stream")))
	req.Header.Set("Authorization", "Bearer "+fakegithub.DefaultToken)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 429 || !bytes.Contains(body, []byte("secondary rate limit")) || len(srv.Requests()) != 1 {
		t.Errorf("%d %s after %d requests", resp.StatusCode, body, len(srv.Requests()))
	}
}

func TestCancelledWhileWaiting(t *testing.T) {
	srv := fakegithub.New(t)
	srv.FailNext(issuePath, 429, http.Header{"Retry-After": {"30"}}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	gh, _ := client(t, srv, githubapi.Options{Sleep: func(ctx context.Context, d time.Duration) error {
		cancel()
		<-ctx.Done()
		return ctx.Err()
	}})
	_, _, err := gh.Issues.Get(ctx, "o", "r", 1)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if len(srv.Requests()) != 1 {
		t.Errorf("%d requests after cancelling", len(srv.Requests()))
	}
}

// TestRealSleepHonoursContext uses the transport's own timer: a done
// context ends a long wait at once.
func TestRealSleepHonoursContext(t *testing.T) {
	srv := fakegithub.New(t)
	srv.FailNext(issuePath, 429, http.Header{"Retry-After": {"100"}}, 1)
	tr := &githubapi.Transport{}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL()+issuePath, nil)
	_, err := tr.RoundTrip(req)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// TestNetworkErrors: a request that got no answer is retried when it can
// be repeated, not otherwise.
func TestNetworkErrors(t *testing.T) {
	refused := errors.New("connection refused")
	for _, method := range []string{"GET", "POST"} {
		calls := 0
		tr := &githubapi.Transport{MaxAttempts: 3, Sleep: (&waits{}).sleep,
			Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				calls++
				if calls < 3 {
					return nil, refused
				}
				return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
			})}
		req, _ := http.NewRequest(method, "https://ghe.example.com/api/v3/x", strings.NewReader("{}"))
		resp, err := tr.RoundTrip(req)
		switch method {
		case "GET":
			if err != nil || resp.StatusCode != 200 || calls != 3 {
				t.Errorf("GET: %v after %d calls", err, calls)
			}
		case "POST":
			if !errors.Is(err, refused) || calls != 1 {
				t.Errorf("POST: %v after %d calls", err, calls)
			}
		}
	}
	// Out of attempts: the last network error, wrapped.
	tr := &githubapi.Transport{MaxAttempts: 2, Sleep: (&waits{}).sleep,
		Base: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, refused })}
	req, _ := http.NewRequest("GET", "https://ghe.example.com/api/v3/x", nil)
	_, err := tr.RoundTrip(req)
	var re *githubapi.RetryError
	if !errors.Is(err, refused) || !errors.As(err, &re) || re.Attempts != 2 || !strings.Contains(err.Error(), "GitHub did not answer: no answer after 2 attempts: connection refused") {
		t.Errorf("error %v", err)
	}
}

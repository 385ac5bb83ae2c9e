package githubapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

func TestNewClientURLs(t *testing.T) {
	tests := []struct {
		apiURL, base, upload string
	}{
		{"", "https://api.github.com/", "https://uploads.github.com/"},
		{"https://api.github.com", "https://api.github.com/", "https://uploads.github.com/"},
		{"https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/uploads/"},
		{"https://ghe.example.com", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/uploads/"},
		// go-github v60's WithEnterpriseURLs would make this
		// https://uploads.acme.ghe.com/api/uploads/ (go-github#3985).
		{"https://api.acme.ghe.com", "https://api.acme.ghe.com/", "https://uploads.acme.ghe.com/"},
	}
	for _, tt := range tests {
		gh, err := githubapi.NewClient(githubapi.Options{APIURL: tt.apiURL, Token: "t"})
		if err != nil {
			t.Errorf("%q: %v", tt.apiURL, err)
			continue
		}
		if gh.BaseURL.String() != tt.base || gh.UploadURL.String() != tt.upload {
			t.Errorf("%q: base %s, upload %s; want %s, %s", tt.apiURL, gh.BaseURL, gh.UploadURL, tt.base, tt.upload)
		}
		if !strings.HasPrefix(gh.UserAgent, "tracegate/") {
			t.Errorf("user agent %q", gh.UserAgent)
		}
	}
}

func TestNewClientErrors(t *testing.T) {
	const secret = "ghp_secretsecretsecret"
	tests := []struct {
		opts githubapi.Options
		want string
	}{
		{githubapi.Options{Token: secret, HTTPClient: &http.Client{}}, "not both"},
		{githubapi.Options{Token: secret + "\n"}, "white space or a line break"},
		{githubapi.Options{Token: secret, APIURL: "http://ghe.example.com/api/v3"}, "refusing plain http"},
	}
	for _, tt := range tests {
		_, err := githubapi.NewClient(tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: error %v, want %q", tt.opts.APIURL, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error shows the token: %v", err)
		}
	}
}

// TestEnterpriseClient talks to the fake through the URLs NewClient
// derives from GITHUB_API_URL, with the token on the wire.
func TestEnterpriseClient(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddIssue("octo/hello", fakegithub.Issue{Number: 7, Title: "Pump stalls"})
	for _, apiURL := range []string{srv.APIURL(), srv.APIURL() + "/", srv.URL()} {
		gh, _ := client(t, srv, githubapi.Options{APIURL: apiURL})
		is, _, err := gh.Issues.Get(context.Background(), "octo", "hello", 7)
		if err != nil {
			t.Fatalf("%s: %v", apiURL, err)
		}
		if is.GetTitle() != "Pump stalls" {
			t.Errorf("%s: title %q", apiURL, is.GetTitle())
		}
	}
	if n := srv.Count("GET", "/api/v3/repos/octo/hello/issues/7"); n != 3 {
		t.Errorf("%d requests reached /api/v3/repos/octo/hello/issues/7, want 3", n)
	}
}

func TestBadToken(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddIssue("o/r", fakegithub.Issue{Number: 1, Title: "x"})
	srv.SetToken("the-right-one")
	gh, w := client(t, srv, githubapi.Options{})
	_, resp, err := gh.Issues.Get(context.Background(), "o", "r", 1)
	if err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("want a 401, got %v", err)
	}
	noToken(t, err)
	if len(w.get()) != 0 || len(srv.Requests()) != 1 {
		t.Errorf("a 401 is not retried: %d waits, %d requests", len(w.get()), len(srv.Requests()))
	}
}

// TestTokenStaysHome: a redirect to another host does not take the token
// along; GitHub redirects downloads to storage hosts.
func TestTokenStaysHome(t *testing.T) {
	var mu sync.Mutex
	var foreignAuth []string
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		foreignAuth = append(foreignAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Write([]byte("{}"))
	}))
	t.Cleanup(foreign.Close)
	srv := fakegithub.New(t)
	srv.Handle("GET /repos/{owner}/{repo}/tarball/{ref}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, foreign.URL+"/archive.tar.gz", http.StatusFound)
	})
	gh, _ := client(t, srv, githubapi.Options{})
	req, err := gh.NewRequest("GET", "repos/o/r/tarball/main", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gh.Do(context.Background(), req, nil); err != nil {
		t.Fatal(err)
	}
	if len(foreignAuth) != 1 || foreignAuth[0] != "" {
		t.Errorf("the other host received Authorization %q", foreignAuth)
	}
	if r := srv.Requests(); len(r) != 1 || r[0].Status != http.StatusFound {
		t.Errorf("the fake saw %+v; want one authorised request answered 302", r)
	}
}

// TestHTTPClientFromElsewhere: an authenticating client (the App's
// installation transport) is wrapped, not replaced, and still retried.
func TestHTTPClientFromElsewhere(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddIssue("o/r", fakegithub.Issue{Number: 1, Title: "x"})
	srv.FailNext("/api/v3/repos/o/r/issues/1", 429, http.Header{"Retry-After": {"2"}}, 1)
	var calls int
	var mu sync.Mutex
	installation := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		calls++
		mu.Unlock()
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "token "+fakegithub.DefaultToken)
		return http.DefaultTransport.RoundTrip(r)
	})}
	gh, w := client(t, srv, githubapi.Options{HTTPClient: installation})
	if _, _, err := gh.Issues.Get(context.Background(), "o", "r", 1); err != nil {
		t.Fatal(err)
	}
	if calls != 2 || len(w.get()) != 1 {
		t.Errorf("installation transport called %d times, %d waits; want 2 and 1", calls, len(w.get()))
	}
	if installation.Transport == nil || gh.Client() == installation {
		t.Error("the caller's client was changed or reused")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

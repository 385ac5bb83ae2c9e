package fakegithub_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/golang-jwt/jwt/v4"
	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

func appKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func enterprise(t *testing.T, srv *fakegithub.Server, hc *http.Client) *github.Client {
	t.Helper()
	gh, err := github.NewClient(hc).WithEnterpriseURLs(srv.URL(), srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	return gh
}

// installationClient is a client of installation id through
// ghinstallation, its token narrowed to repos when given.
func installationClient(t *testing.T, srv *fakegithub.Server, key *rsa.PrivateKey, id int64, repos ...string) (*github.Client, *ghinstallation.Transport) {
	t.Helper()
	apps := ghinstallation.NewAppsTransportFromPrivateKey(http.DefaultTransport, 7, key)
	apps.BaseURL = srv.APIURL()
	tr := ghinstallation.NewFromAppsTransport(apps, id)
	if len(repos) > 0 {
		tr.InstallationTokenOptions = &github.InstallationTokenOptions{Repositories: repos}
	}
	return enterprise(t, srv, &http.Client{Transport: tr}), tr
}

// The App's JWT is verified: RS256 under the App's key, its ID as the
// issuer, at most ten minutes long; anything else is 401.
func TestAppJWT(t *testing.T) {
	srv := fakegithub.New(t)
	key := appKey(t)
	srv.SetApp(7, &key.PublicKey)
	srv.AddInstallation(fakegithub.Installation{ID: 70, Account: "acme", Repos: []string{"acme/a"}})
	sign := func(method jwt.SigningMethod, k any, iss string, iat, exp time.Time) string {
		tok := jwt.NewWithClaims(method, jwt.RegisteredClaims{Issuer: iss, IssuedAt: jwt.NewNumericDate(iat), ExpiresAt: jwt.NewNumericDate(exp)})
		s, err := tok.SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	now := time.Now()
	other := appKey(t)
	for _, tt := range []struct {
		name  string
		token string
		want  int
	}{
		{"valid", sign(jwt.SigningMethodRS256, key, "7", now.Add(-30*time.Second), now.Add(2*time.Minute)), http.StatusOK},
		{"another key", sign(jwt.SigningMethodRS256, other, "7", now, now.Add(time.Minute)), http.StatusUnauthorized},
		{"another app", sign(jwt.SigningMethodRS256, key, "8", now, now.Add(time.Minute)), http.StatusUnauthorized},
		{"HS256", sign(jwt.SigningMethodHS256, []byte("secret"), "7", now, now.Add(time.Minute)), http.StatusUnauthorized},
		{"expired", sign(jwt.SigningMethodRS256, key, "7", now.Add(-20*time.Minute), now.Add(-11*time.Minute)), http.StatusUnauthorized},
		{"too long", sign(jwt.SigningMethodRS256, key, "7", now, now.Add(20*time.Minute)), http.StatusUnauthorized},
		{"an installation token", "ghs_nothing", http.StatusUnauthorized},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if a := get(t, srv, "/api/v3/app/hook/deliveries", "Bearer "+tt.token); a.status != tt.want {
				t.Errorf("%d, want %d: %s", a.status, tt.want, a.body)
			}
		})
	}
}

// Installation tokens: issued to the App's JWT, narrowed to the
// repositories asked for (422 for one the installation lacks), refused
// with 404 on any other repository, 401 once expired.
func TestInstallationTokens(t *testing.T) {
	srv := fakegithub.New(t)
	key := appKey(t)
	srv.SetApp(7, &key.PublicKey)
	srv.AddInstallation(fakegithub.Installation{ID: 70, Account: "acme", Repos: []string{"acme/a", "acme/b"}})
	srv.AddInstallation(fakegithub.Installation{ID: 71, Account: "other", Repos: []string{"other/c"}})
	for _, r := range []string{"acme/a", "acme/b", "other/c"} {
		srv.AddIssue(r, fakegithub.Issue{Number: 1, Title: "x"})
	}
	ctx := context.Background()
	status := func(gh *github.Client, repo string) int {
		owner, name, _ := strings.Cut(repo, "/")
		_, resp, err := gh.Issues.Get(ctx, owner, name, 1)
		if resp == nil {
			t.Fatalf("%s: %v", repo, err)
		}
		return resp.StatusCode
	}
	all, _ := installationClient(t, srv, key, 70)
	onlyA, _ := installationClient(t, srv, key, 70, "a")
	for _, tt := range []struct {
		gh   *github.Client
		repo string
		want int
	}{
		{all, "acme/a", 200}, {all, "acme/b", 200}, {all, "other/c", 404},
		{onlyA, "acme/a", 200}, {onlyA, "acme/b", 404}, {onlyA, "other/c", 404},
	} {
		if got := status(tt.gh, tt.repo); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.repo, got, tt.want)
		}
	}
	foreign, _ := installationClient(t, srv, key, 70, "c")
	_, _, err := foreign.Issues.Get(ctx, "other", "c", 1)
	var he *ghinstallation.HTTPError
	if !errors.As(err, &he) || he.Response.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a token for another installation's repository: %v", err)
	}
	srv.SetTokenTTL(time.Millisecond)
	short, tr := installationClient(t, srv, key, 70, "a")
	tok, err := tr.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	req, _ := http.NewRequest("GET", srv.APIURL()+"/repos/acme/a/issues/1", nil)
	req.Header.Set("Authorization", "token "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("an expired token: %d, want 401", resp.StatusCode)
	}
	// ghinstallation asks for a new one before the old expires.
	if got := status(short, "acme/a"); got != 200 {
		t.Errorf("after renewal: %d", got)
	}
	if n := srv.TokensIssued(); n != 4 { // all, onlyA, the short one twice; none for the foreign repository
		t.Errorf("%d tokens issued", n)
	}
}

// Deliveries are signed, recorded with the App's answer, listed newest
// first page by page through the cursor, and redelivered on request.
func TestHookDeliveries(t *testing.T) {
	srv := fakegithub.New(t)
	key := appKey(t)
	srv.SetApp(7, &key.PublicKey)
	var got atomic.Int64
	secret := []byte("s3cret")
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, r.ContentLength)
		r.Body.Read(body)
		if r.Header.Get("X-Hub-Signature-256") != fakegithub.Sign(secret, body) || r.Header.Get("X-GitHub-Event") != "ping" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if got.Add(1) <= 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer hook.Close()
	srv.SetWebhook(hook.URL, secret, hook.Client())
	for i := range 5 {
		srv.Deliver("ping", "guid-"+strconv.Itoa(i), []byte(`{"zen":"x"}`))
	}
	apps := ghinstallation.NewAppsTransportFromPrivateKey(http.DefaultTransport, 7, key)
	apps.BaseURL = srv.APIURL()
	gh := enterprise(t, srv, &http.Client{Transport: apps})
	ctx := context.Background()
	var all []*github.HookDelivery
	opts := &github.ListCursorOptions{PerPage: 2}
	for pages := 0; ; pages++ {
		ds, resp, err := gh.Apps.ListHookDeliveries(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ds...)
		if resp.Cursor == "" {
			if pages != 2 {
				t.Errorf("%d pages, want 3", pages+1)
			}
			break
		}
		opts.Cursor = resp.Cursor
	}
	if len(all) != 5 || all[0].GetGUID() != "guid-4" || all[4].GetGUID() != "guid-0" {
		t.Fatalf("deliveries %v", all)
	}
	if all[4].GetStatusCode() != 503 || all[4].GetStatus() == "OK" || all[0].GetStatus() != "OK" || all[0].GetStatusCode() != 202 {
		t.Errorf("statuses %v", all)
	}
	_, _, err := gh.Apps.RedeliverHookDelivery(ctx, all[4].GetID())
	var acc *github.AcceptedError
	if !errors.As(err, &acc) {
		t.Fatalf("redelivery: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(srv.HookDeliveries()) < 6 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	hs := srv.HookDeliveries()
	if len(hs) != 6 || hs[5].GUID != "guid-0" || !hs[5].Redelivery || hs[5].StatusCode != 202 {
		t.Errorf("after the redelivery: %+v", hs)
	}
	// Old deliveries cannot be redelivered.
	id := srv.AddHookDelivery(fakegithub.HookDelivery{GUID: "old", DeliveredAt: time.Now().Add(-73 * time.Hour), Event: "ping", StatusCode: 502}, []byte(`{}`))
	if _, resp, _ := gh.Apps.RedeliverHookDelivery(ctx, id); resp == nil || resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a delivery older than three days was redelivered")
	}
}

// A release can be turned back into a draft, and a commit commented on;
// a fault can slow an answer without changing it.
func TestReleaseEditAndSlowAnswers(t *testing.T) {
	srv := fakegithub.New(t)
	id := srv.AddRelease("acme/a", fakegithub.Release{Tag: "v1"})
	gh := enterprise(t, srv, &http.Client{Transport: bearerTransport{}})
	ctx := context.Background()
	if _, _, err := gh.Repositories.EditRelease(ctx, "acme", "a", id, &github.RepositoryRelease{Draft: github.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	if r, ok := srv.Release("acme/a", "v1"); !ok || !r.Draft {
		t.Errorf("release %+v", r)
	}
	sha := strings.Repeat("ab", 20)
	c, _, err := gh.Repositories.CreateComment(ctx, "acme", "a", sha, &github.RepositoryComment{Body: github.String("why")})
	if err != nil || c.GetHTMLURL() == "" {
		t.Fatal(err)
	}
	if cs := srv.CommitComments("acme/a"); len(cs) != 1 || cs[0].SHA != sha || cs[0].Body != "why" {
		t.Errorf("comments %+v", cs)
	}
	srv.Inject(fakegithub.Fault{Path: "/api/v3/repos/acme/a/releases", Delay: 300 * time.Millisecond})
	start := time.Now()
	rels, _, err := gh.Repositories.ListReleases(ctx, "acme", "a", nil)
	if err != nil || len(rels) != 1 || time.Since(start) < 300*time.Millisecond {
		t.Errorf("slow answer: %v %d after %s", err, len(rels), time.Since(start))
	}
}

type bearerTransport struct{}

func (bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+fakegithub.DefaultToken)
	return http.DefaultTransport.RoundTrip(r)
}

package githubapi_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// waits records the transport's waits instead of spending them.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.d = append(w.d, d)
	return nil
}

func (w *waits) get() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

// client is a go-github client for the fake, as NewClient makes it for
// GITHUB_API_URL on GitHub Enterprise Server.
func client(t *testing.T, srv *fakegithub.Server, opts githubapi.Options) (*github.Client, *waits) {
	t.Helper()
	w := &waits{}
	if opts.APIURL == "" {
		opts.APIURL = srv.APIURL()
	}
	if opts.Token == "" && opts.HTTPClient == nil {
		opts.Token = fakegithub.DefaultToken
	}
	if opts.Sleep == nil {
		opts.Sleep = w.sleep
	}
	gh, err := githubapi.NewClient(opts)
	if err != nil {
		t.Fatal(err)
	}
	return gh, w
}

// noToken fails the test when an error shows the token.
func noToken(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), fakegithub.DefaultToken) {
		t.Errorf("the error shows the token: %v", err)
	}
}

package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/tracegate/tracegate/internal/backoff"
	"github.com/tracegate/tracegate/internal/cpuslot"
	"github.com/tracegate/tracegate/internal/facts/ghfacts"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/logctx"
	"github.com/tracegate/tracegate/internal/store"
)

// App is a running tracegate serve: the store, the installation clients,
// the HTTP handler and the workers.
type App struct {
	ctx     context.Context // carries the logger
	cfg     *Config
	secret  []byte
	store   store.Store
	clients *Clients
	m       *appMetrics
	runner  *store.Runner
	cpu     *cpuslot.Slots // the evaluations computing at once
	// cache keeps what GitHub said about immutable things (commits' files,
	// comparisons, completed runs' artifacts) for every installation: its
	// keys name the repository.
	cache *ghfacts.Cache
	web   string // the web root (https://github.com, https://HOST)
	host  string // its host, whose issue URLs count as links
	// RecoverEvery is how often the recovery looks for failed deliveries.
	recoverEvery time.Duration
}

// Options are what tests and benchmarks change; the zero value is the
// production default.
type Options struct {
	// Transport is the base of every request to GitHub
	// (http.DefaultTransport's clone, with a bound on the wait for an
	// answer's headers, when nil).
	Transport http.RoundTripper
	// RecoverEvery is the recovery's period (10 minutes when 0; negative
	// turns the timer off, leaving the run at start).
	RecoverEvery time.Duration
	// Store tunes the store.
	Store store.Options
	// Lease and Poll tune the workers (see store.Runner).
	Lease, Poll time.Duration
}

// New opens the store and sets the App up. Close it with Close.
func New(ctx context.Context, cfg *Config, opts Options) (*App, error) {
	key, err := parseKey(cfg.PrivateKey)
	if err != nil {
		return nil, err
	}
	ep, err := githubapi.ParseAPIURL(cfg.GitHubURL)
	if err != nil {
		return nil, err
	}
	sopts := opts.Store
	if sopts.MaxAttempts == 0 {
		sopts.MaxAttempts = cfg.Attempts
	}
	if sopts.Synchronous == "" {
		sopts.Synchronous = cfg.SQLiteSync
	}
	if sopts.Backoff == nil && cfg.RetryDelay > 0 {
		sopts.Backoff = func(attempt int) time.Duration { return backoff.Between(attempt, cfg.RetryDelay, 10*time.Minute) }
	}
	st, err := store.Open(ctx, cfg.DB, sopts)
	if err != nil {
		return nil, err
	}
	a := &App{ctx: ctx, cfg: cfg, secret: cfg.WebhookSecret, store: st, cache: ghfacts.NewCache(0), recoverEvery: opts.RecoverEvery}
	if a.recoverEvery == 0 {
		a.recoverEvery = 10 * time.Minute
	}
	a.web, a.host = webRoot(ep)
	a.m = newMetrics(st)
	slots := cfg.CPUSlots
	if slots <= 0 {
		slots = cpuslot.Default()
	}
	a.cpu = cpuslot.New(slots)
	a.m.cpuSlots(a.cpu)
	base := opts.Transport
	if base == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = time.Minute
		t.MaxIdleConnsPerHost = 32
		base = t
	}
	if a.clients, err = newClients(cfg.GitHubURL, cfg.AppID, key, base, a.m); err != nil {
		st.Close()
		return nil, err
	}
	lease := opts.Lease
	if lease == 0 {
		lease = cfg.Lease
	}
	a.runner = &store.Runner{Queue: st, Handle: a.handle, Workers: cfg.Workers, Lease: lease, Poll: opts.Poll}
	return a, nil
}

// webRoot is the web address of the GitHub the API belongs to.
func webRoot(ep githubapi.Endpoints) (string, string) {
	if ep.DotCom {
		return "https://github.com", "github.com"
	}
	host := ep.API.Host
	if h := ep.API.Hostname(); len(h) > 4 && h[:4] == "api." {
		host = host[4:] // GHE.com: api.SUB.ghe.com serves SUB.ghe.com
	}
	return ep.API.Scheme + "://" + host, ep.API.Hostname()
}

// Close closes the store.
func (a *App) Close() error { return a.store.Close() }

// Serve listens on cfg.Listen and works the queue until ctx ends, then
// stops taking deliveries, lets the jobs in flight finish (the drain) and
// returns.
func (a *App) Serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s (%s): %w", a.cfg.Listen, EnvListen, err)
	}
	return a.ServeListener(ctx, ln)
}

// ServeListener is Serve on a listener the caller made.
func (a *App) ServeListener(ctx context.Context, ln net.Listener) error {
	log := logctx.From(a.ctx)
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("serving", "listen", ln.Addr().String(), "github", a.cfg.GitHubURL, "database", a.dbKind(), "workers", a.cfg.Workers,
		"cpu_slots", a.cpu.Cap())
	worked := make(chan error, 1)
	go func() { worked <- a.runner.Run(logctx.With(ctx, log)) }()
	recovered := make(chan struct{})
	go func() { defer close(recovered); a.recoverLoop(ctx) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-served:
		err = fmt.Errorf("HTTP server: %w", err)
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if serr := srv.Shutdown(shut); serr != nil && err == nil {
		err = serr
	}
	<-recovered
	if werr := <-worked; werr != nil && err == nil {
		err = werr
	}
	log.Info("stopped")
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

func (a *App) dbKind() string {
	if store.IsPostgres(a.cfg.DB) {
		return "postgresql"
	}
	return "sqlite"
}

package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/store/pgtest"
)

// The PostgreSQL cluster the package's tests share, started by the first
// test that needs it and stopped by TestMain; each test gets its own
// database.
var (
	pgOnce    sync.Once
	pgCluster *pgtest.Cluster
	pgErr     error
	pgDBs     atomic.Int64
)

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(helperMain())
	}
	code := m.Run()
	for _, c := range []*pgtest.Cluster{pgCluster, pgDurable} {
		if c == nil {
			continue
		}
		if err := c.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// postgresURL is a new, empty schema on the shared cluster.
func postgresURL(t testing.TB) string {
	t.Helper()
	pgOnce.Do(func() { pgCluster, pgErr = pgtest.Start(context.Background(), pgtest.Options{}) })
	if pgErr != nil {
		if !pgtest.Required() {
			t.Skip(pgErr)
		}
		t.Fatal(pgErr)
	}
	url, err := pgCluster.CreateSchema(context.Background(), fmt.Sprintf("test_%d", pgDBs.Add(1)))
	if err != nil {
		t.Fatal(err)
	}
	return url
}

// backend is a database kind every test runs against.
type backend struct {
	name string
	// fresh names a new, empty database (TRACEGATE_DB).
	fresh func(t testing.TB) string
}

var backends = []backend{
	{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "tracegate.db") }},
	{"postgres", postgresURL},
}

// forEach runs test against every backend.
func forEach(t *testing.T, test func(t *testing.T, db string)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, b.fresh(t)) })
	}
}

// clock is a test clock, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// open opens db for t and closes it at t's end.
func open(t testing.TB, dsn string, opts Options) *dbStore {
	t.Helper()
	s, err := Open(context.Background(), dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return &dbStore{s.(*db), t}
}

// dbStore adds test queries to a store.
type dbStore struct {
	*db
	t testing.TB
}

// count counts rows of table matching where (a constant condition).
func (s *dbStore) count(table, where string, args ...any) int {
	s.t.Helper()
	var n int
	if err := s.r.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table+" WHERE "+where, args...).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

// states maps job IDs to their states.
func (s *dbStore) states() map[int64]string {
	s.t.Helper()
	rows, err := s.r.QueryContext(context.Background(), "SELECT id, state FROM jobs")
	if err != nil {
		s.t.Fatal(err)
	}
	out := map[int64]string{}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var st string
		if err := rows.Scan(&id, &st); err != nil {
			s.t.Fatal(err)
		}
		out[id] = st
	}
	return out
}

func delivery(id string) Delivery {
	return Delivery{ID: id, Event: "pull_request", Action: "opened", InstallationID: 7, Repository: "Acme/Device", Payload: []byte(`{"n":1}`)}
}

func prJob(n int, sha string) JobSpec {
	return JobSpec{Kind: "pr", Key: Key{Repository: "Acme/Device", Number: n, SHA: sha}, Args: []byte(fmt.Sprintf(`{"pr":%d}`, n))}
}

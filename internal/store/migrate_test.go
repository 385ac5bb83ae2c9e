package store

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestMigrations(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		// Replicas starting together migrate once.
		var wg sync.WaitGroup
		errs := make([]error, 3)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := Open(ctx, dsn, Options{})
				if err == nil {
					err = s.Close()
				}
				errs[i] = err
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		s := open(t, dsn, Options{})
		if n := s.count("schema_migrations", "1 = 1"); n != len(migrations)-1 {
			t.Fatalf("%d migrations recorded, want %d", n, len(migrations)-1)
		}
		// A database a newer tracegate migrated is refused.
		if _, err := s.w.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, 0)`, len(migrations)); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(ctx, dsn, Options{}); err == nil || !strings.Contains(err.Error(), "run a newer tracegate") {
			t.Fatalf("opening a newer schema: %v", err)
		}
	})
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct{ db, want string }{
		{"", "no database given"},
		{"file:x.db?mode=memory", "plain file path"},
		{t.TempDir() + "/x.db?_pragma=foo", "plain file path"},
		{t.TempDir() + "/missing/dir/x.db", "no such file"},
		// The password never reaches the error.
		{"postgres://app:s3cr3t-pw@127.0.0.1:1/tracegate?connect_timeout=2", "127.0.0.1"},
		{"postgresql://app:s3cr3t-pw@[::1/tracegate", "postgres"},
	} {
		_, err := Open(ctx, c.db, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Open(%q) = %v, want an error with %q", c.db, err, c.want)
		} else if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("Open(%q): the error shows the password: %v", c.db, err)
		}
	}
	if _, err := Open(ctx, t.TempDir()+"/x.db", Options{Synchronous: "OFF"}); err == nil {
		t.Error("synchronous OFF accepted")
	}
}

func TestSQLiteSettings(t *testing.T) {
	for _, sync := range []string{"FULL", "NORMAL"} {
		path := t.TempDir() + "/x.db"
		s := open(t, path, Options{Synchronous: sync})
		var mode string
		var level int
		if err := s.w.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := s.w.QueryRow("PRAGMA synchronous").Scan(&level); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" || level != map[string]int{"NORMAL": 1, "FULL": 2}[sync] {
			t.Errorf("%s: journal_mode %s, synchronous %d", sync, mode, level)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("the database file's mode: %v, %v; want 0600", fi.Mode(), err)
		}
	}
}

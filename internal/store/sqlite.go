package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"syscall"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" driver
)

var sqliteDialect = dialect{
	name:   "sqlite",
	autoID: "INTEGER PRIMARY KEY AUTOINCREMENT", // AUTOINCREMENT: an ID is never reused after a prune
	blob:   "BLOB",
	appendOnly: `
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;`,
	// One write connection: a transaction never meets another one of this
	// process, and another process's is waited for by busy_timeout.
	retryable: func(error) bool { return false },
}

// openBusyFor bounds how long openSQLite waits for other openers of the
// same file: switching a new database to WAL takes an exclusive lock, and
// SQLite answers SQLITE_BUSY to a concurrent switch without calling the
// busy handler, so busy_timeout does not cover it.
const openBusyFor = 30 * time.Second

// openSQLite opens (creating it with mode 0600 if absent) a SQLite file in
// WAL mode, waiting while other processes or goroutines set the same file
// up. Writes go through one connection with immediate transactions, reads
// through a pool of query-only connections.
func openSQLite(ctx context.Context, path string, opts Options) (Store, error) {
	deadline := time.Now().Add(openBusyFor)
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, 500*time.Millisecond) {
		s, err := openSQLiteOnce(ctx, path, opts)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return s, err
		}
		select {
		case <-ctx.Done():
			return nil, errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
	}
}

// isBusy reports whether err is SQLite's "database is locked" (SQLITE_BUSY,
// with any extended code).
func isBusy(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == 5
}

func openSQLiteOnce(ctx context.Context, path string, opts Options) (Store, error) {
	if strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("open sqlite: %q: a plain file path, without '?', '#' or 'file:'", path)
	}
	sync := strings.ToUpper(opts.Synchronous)
	if sync != "FULL" && sync != "NORMAL" {
		return nil, fmt.Errorf("open sqlite: synchronous %q: FULL or NORMAL", opts.Synchronous)
	}
	// Payloads are not public: create the file owner-only; SQLite gives its
	// -wal and -shm files the same mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	switch {
	case err == nil:
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
	case !errors.Is(err, fs.ErrExist):
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}

	// A plain path: the driver cuts the parameters off at the '?'. The
	// writer leaves checkpoints to the checkpointer below (a commit that
	// checkpoints copies up to 4 MB back into the database and syncs it:
	// tens of milliseconds that the webhook would wait for); at 10,000
	// pages of WAL it checkpoints itself, should the checkpointer fall
	// behind.
	const common = "?_pragma=busy_timeout(10000)&_pragma=journal_size_limit(67108864)"
	w, err := sql.Open("sqlite", path+common+"&_pragma=wal_autocheckpoint(10000)&_journal_mode=WAL&_synchronous="+sync+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	single(w)
	r, err := sql.Open("sqlite", path+common+"&_query_only=1")
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite %s: %w", path, err), w.Close())
	}
	readers := opts.MaxConns
	if readers <= 0 {
		readers = 4
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	ck, err := sql.Open("sqlite", path+common+"&_synchronous="+sync)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite %s: %w", path, err), r.Close(), w.Close())
	}
	single(ck)
	stop := make(chan struct{})
	stopped := make(chan struct{})
	var s *db
	s = newDB(ctx, sqliteDialect, w, r, opts, func() error {
		s.writer.close()
		close(stop)
		<-stopped
		return errors.Join(s.stmts.close(), ck.Close(), r.Close(), w.Close())
	})
	s.writer = newCommitter(s)
	go func() { defer close(stopped); s.checkpoint(ck, stop) }()
	if err := s.checkWAL(ctx, sync); err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite %s: %w", path, err), s.close())
	}
	if err := s.migrate(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite %s: %w", path, err), s.close())
	}
	if err := s.stmts.prepare(ctx, w, insertDelivery, upsertJob, s.claimSQL, s.reclaimSQL); err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite %s: %w", path, err), s.close())
	}
	return s, nil
}

// checkWAL makes sure the settings durability rests on took effect: a file
// system without shared memory support, say, leaves SQLite in another
// journal mode without failing.
func (s *db) checkWAL(ctx context.Context, sync string) error {
	var mode string
	if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read journal mode: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, not WAL", mode)
	}
	var level int
	if err := s.w.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&level); err != nil {
		return fmt.Errorf("read synchronous: %w", err)
	}
	if want := map[string]int{"NORMAL": 1, "FULL": 2}[sync]; level != want {
		return fmt.Errorf("synchronous is %d, not %d (%s)", level, want, sync)
	}
	return nil
}

// single makes a pool of one connection that stays open.
func single(p *sql.DB) {
	p.SetMaxOpenConns(1)
	p.SetMaxIdleConns(1)
	p.SetConnMaxLifetime(0)
	p.SetConnMaxIdleTime(0)
}

// checkpointEvery is how often the checkpointer copies the WAL back into
// the database.
const checkpointEvery = 250 * time.Millisecond

// checkpoint runs passive checkpoints on its own connection until stop is
// closed: they copy committed pages while the writer goes on appending, so
// that no commit waits for one.
func (s *db) checkpoint(ck *sql.DB, stop <-chan struct{}) {
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if _, err := ck.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
			s.bg.LogAttrs(ctx, slog.LevelWarn, "sqlite checkpoint", slog.String("error", err.Error()))
		}
		cancel()
	}
}

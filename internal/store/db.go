package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/tracegate/tracegate/internal/logctx"
)

// dialect is what differs between SQLite and PostgreSQL. Statements are
// written once, with $n parameters, which both drivers bind positionally.
type dialect struct {
	name string
	// lockSkip follows a SELECT whose rows a claim takes: PostgreSQL locks
	// them and skips rows another replica has locked; SQLite's one writer
	// needs nothing.
	lockSkip string
	// lock follows a SELECT of a row the transaction is about to finish:
	// PostgreSQL locks it against a concurrent reclaim.
	lock string
	// types fill the schema's placeholders.
	autoID, blob string
	// appendOnly is the DDL that makes the audit table reject UPDATE and
	// DELETE.
	appendOnly string
	// retryable tells a transaction that failed only because another one
	// ran at the same time (PostgreSQL: serialization failure, deadlock).
	retryable func(error) bool
	// lockMigrations serialises replicas migrating at the same start.
	lockMigrations string
}

// db implements Store over database/sql.
type db struct {
	d     dialect
	w     *sql.DB // writes; for SQLite one connection, so that writers queue in Go, not in busy-wait sleeps
	r     *sql.DB // reads; the same pool as w for PostgreSQL
	opts  Options
	bg    *slog.Logger // for what runs in the background: the logger Open's context carried
	close func() error

	closeOnce sync.Once
	closeErr  error

	claimSQL, reclaimSQL string
	// stmts are SQLite's hottest writes, prepared once.
	stmts prepared
	// writer is SQLite's one writer, which every write goes through; nil
	// for PostgreSQL, whose server groups commits itself.
	writer *committer
}

func newDB(ctx context.Context, d dialect, w, r *sql.DB, opts Options, closeFn func() error) *db {
	return &db{d: d, w: w, r: r, opts: opts, bg: logctx.From(ctx), close: closeFn, claimSQL: claimSQL(d), reclaimSQL: reclaimSQL(d)}
}

func (s *db) now() time.Time { return s.opts.Now().UTC() }

func (s *db) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s: %w", s.d.name, err)
	}
	return nil
}

// Close closes the store; closing it again does nothing.
func (s *db) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.close() })
	return s.closeErr
}

// write runs fn in a transaction and commits it. fn must run its
// statements under the context it is given, which is not always ctx. On
// SQLite the writer runs it, in the next group commit; on PostgreSQL it
// runs in a transaction of its own, again a few times when it lost a race
// with a concurrent one. what names the operation in errors.
func (s *db) write(ctx context.Context, what string, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.writeIn(ctx, false, what, fn)
}

// writeIn is write in the writer's delivery lane when intake is set.
func (s *db) writeIn(ctx context.Context, intake bool, what string, fn func(ctx context.Context, tx *sql.Tx) error) error {
	if s.writer != nil {
		if err := s.writer.write(ctx, intake, fn); err != nil {
			return fmt.Errorf("%s (%s): %w", what, s.d.name, err)
		}
		return nil
	}
	const tries = 5
	for try := 1; ; try++ {
		err := s.tryWrite(ctx, fn)
		if err == nil {
			return nil
		}
		if try < tries && ctx.Err() == nil && s.d.retryable(err) {
			continue
		}
		return fmt.Errorf("%s (%s): %w", what, s.d.name, err)
	}
}

// querier runs statements: a transaction, or PostgreSQL's pool.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// writeOne is write for fn of one statement, which on PostgreSQL commits
// by itself, without the round trips of a transaction around it.
func (s *db) writeOne(ctx context.Context, what string, fn func(ctx context.Context, q querier) error) error {
	if s.writer != nil {
		return s.write(ctx, what, func(ctx context.Context, tx *sql.Tx) error { return fn(ctx, tx) })
	}
	if err := fn(ctx, s.w); err != nil {
		return fmt.Errorf("%s (%s): %w", what, s.d.name, err)
	}
	return nil
}

func (s *db) tryWrite(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(ctx, tx); err != nil {
		return errors.Join(err, rollback(tx))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func rollback(tx *sql.Tx) error {
	if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("rollback: %w", err)
	}
	return nil
}

// execOne runs a statement that must change exactly one row; none means the
// row is not in the state the statement expects, reported as missing.
func execOne(ctx context.Context, tx querier, missing error, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return missing
	}
	return nil
}

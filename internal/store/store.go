// Package store is the GitHub App's durable state: the webhook deliveries it
// acknowledged, the queue of jobs derived from them, the audit log of every
// decision and the installations it serves. One implementation over
// database/sql speaks two dialects: SQLite (modernc.org/sqlite, a file, the
// embedded default for one replica) and PostgreSQL (jackc/pgx, for several
// replicas sharing one queue). The schema is migrated when a store opens.
//
// The store logs its own events (migrations, retried and dead-lettered
// jobs, pruning) to the logger the context carries (internal/logctx), never
// payloads; what runs in the background logs to the one Open's context
// carries.
//
// Times are kept as Unix microseconds (UTC) in both dialects, taken from the
// replica's clock: leases compare the clocks of the replicas that share a
// queue, which must be synchronised (the App's JWTs need that already).
package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/backoff"
)

// Intake stores webhook deliveries durably, once each.
type Intake interface {
	// Accept stores the delivery and, when it is new, the jobs derived from
	// it, in one transaction that is durable when Accept returns: the
	// webhook handler answers 202 only after that. A delivery whose ID is
	// already stored is a duplicate: nothing is written and no job is
	// enqueued.
	Accept(ctx context.Context, d Delivery, jobs ...JobSpec) (Accepted, error)
	// Known tells which of the delivery IDs are stored.
	Known(ctx context.Context, ids []string) (map[string]bool, error)
}

// Queue is the job queue. A worker claims jobs with a lease, extends the
// lease while it works and completes, fails or releases each job it
// claimed. Jobs of the same kind and key never run at the same time, and
// those waiting at once merge into one (see Key).
type Queue interface {
	// Enqueue adds jobs that do not come from a delivery as it is accepted
	// (a re-run request, the fan-out of an issue event).
	Enqueue(ctx context.Context, jobs ...JobSpec) ([]Enqueued, error)
	// Claim leases up to n ready jobs to owner for lease. It first
	// reclaims the jobs whose lease expired (their worker died or stalled):
	// each is retried, or dead-lettered once it used its attempts.
	Claim(ctx context.Context, owner string, n int, lease time.Duration) ([]Job, error)
	// Extend moves a claimed job's lease to now + lease and returns it.
	Extend(ctx context.Context, job Job, lease time.Duration) (time.Time, error)
	// Complete marks a claimed job done.
	Complete(ctx context.Context, job Job) error
	// Fail records why a claimed job failed and schedules its retry with
	// exponential backoff and jitter, or dead-letters it when cause is
	// Permanent or the job used its attempts.
	Fail(ctx context.Context, job Job, cause error) (Failure, error)
	// Release gives a claimed job that did not run back to the queue
	// without counting an attempt (a graceful shutdown).
	Release(ctx context.Context, job Job) error
	// Stats is the queue's depth and age, for metrics.
	Stats(ctx context.Context) (QueueStats, error)
}

// AuditLog is the append-only record of every decision.
type AuditLog interface {
	Record(ctx context.Context, d Decision) (Decision, error)
	// Audit calls each with the decisions q selects, oldest first, one at
	// a time, so that a long log is never held in memory; an error from
	// each stops the query and is returned.
	Audit(ctx context.Context, q AuditQuery, each func(Decision) error) error
}

// Installations records the App's installations and their repositories
// from `installation` and `installation_repositories` events.
type Installations interface {
	PutInstallation(ctx context.Context, in Installation) error
	ChangeRepositories(ctx context.Context, installationID int64, added, removed []string) error
	Installation(ctx context.Context, id int64) (Installation, error)
}

// Store is everything the App keeps.
type Store interface {
	Intake
	Queue
	AuditLog
	Installations
	// Prune deletes deliveries received, and finished jobs finished, more
	// than olderThan ago. The audit log is kept.
	Prune(ctx context.Context, olderThan time.Duration) (Pruned, error)
	// Ping tells whether the database answers (readiness).
	Ping(ctx context.Context) error
	Close() error
}

// ErrLeaseLost is returned for a job that is no longer claimed by the caller:
// its lease expired and another worker reclaimed it, or it was finished.
var ErrLeaseLost = errors.New("job lease lost")

// ErrNotFound is returned by lookups of something the store does not hold.
var ErrNotFound = errors.New("not found")

// Options tune a store; the zero value is the production default.
type Options struct {
	// Now is the clock; default time.Now.
	Now func() time.Time
	// MaxAttempts bounds the attempts of a job before it is dead-lettered;
	// default 8.
	MaxAttempts int
	// Backoff is the delay before retry n (n ≥ 1); default exponential from
	// 10 s, doubling up to 10 min, with up to 25 % jitter.
	Backoff func(attempt int) time.Duration
	// Synchronous is SQLite's synchronous setting in WAL mode: "FULL"
	// (default: a commit is on disk before Accept returns, surviving power
	// loss) or "NORMAL" (a commit survives the process being killed, not
	// the machine losing power).
	Synchronous string
	// MaxConns bounds PostgreSQL connections per replica (default 10) and
	// SQLite's read connections (default 4); SQLite writes use one.
	MaxConns int
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.Backoff == nil {
		o.Backoff = func(attempt int) time.Duration {
			return backoff.Between(attempt, 10*time.Second, 10*time.Minute)
		}
	}
	if o.Synchronous == "" {
		o.Synchronous = "FULL"
	}
	return o
}

// Open opens the store TRACEGATE_DB names and migrates its schema: a
// postgres:// or postgresql:// URL is PostgreSQL, anything else a SQLite
// file path (created if absent).
func Open(ctx context.Context, db string, opts Options) (Store, error) {
	opts = opts.withDefaults()
	switch {
	case db == "":
		return nil, errors.New("open store: no database given (TRACEGATE_DB: a SQLite file path or a postgres:// URL)")
	case IsPostgres(db):
		return openPostgres(ctx, db, opts)
	default:
		return openSQLite(ctx, db, opts)
	}
}

// IsPostgres tells whether a TRACEGATE_DB value names PostgreSQL.
func IsPostgres(db string) bool {
	l := strings.ToLower(db)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// permanent marks an error that retrying cannot fix.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent wraps err so that Fail dead-letters the job at once instead of
// retrying it (a policy that cannot be read will not become readable).
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent tells whether err was wrapped by Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}

// micros is how times are stored.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

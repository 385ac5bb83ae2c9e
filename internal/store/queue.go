package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/logctx"
)

// jobCols are the columns a Job is scanned from, in scanJob's order.
const jobCols = `id, kind, repository, number, ref, sha, installation_id, delivery_id, args, dead_letter,
reason, attempts, merged, previous, enqueued_at, lease_owner, lease_until, facts_at`

func scanJob(sc interface{ Scan(...any) error }) (Job, error) {
	var j Job
	var dead int
	var enq, until, facts int64
	err := sc.Scan(&j.ID, &j.Kind, &j.Key.Repository, &j.Key.Number, &j.Key.Ref, &j.Key.SHA, &j.InstallationID,
		&j.DeliveryID, &j.Args, &dead, &j.Reason, &j.Attempt, &j.Merged, &j.Previous, &enq, &j.Owner, &until, &facts)
	j.DeadLetter = dead != 0
	j.Attempt++ // stored: the attempts that failed before this one
	j.EnqueuedAt, j.LeaseUntil, j.factsAt = fromMicros(enq), fromMicros(until), facts
	return j, err
}

// jobRow is a job to insert.
type jobRow struct {
	JobSpec
	deadLetter bool
	reason     string
	attempts   int // failed before this row
	previous   int64
	factsAt    int64
	available  time.Time
}

func specRows(specs []JobSpec, now time.Time) []jobRow {
	rows := make([]jobRow, len(specs))
	for i, sp := range specs {
		rows[i] = jobRow{JobSpec: sp, factsAt: micros(now), available: now.Add(sp.Delay)}
	}
	return rows
}

// again is the row that carries job j on: its retry, its released copy or
// its dead-letter notice.
func again(j Job, attempts int, reason string, available time.Time) jobRow {
	return jobRow{
		JobSpec:    JobSpec{Kind: j.Kind, Key: j.Key, InstallationID: j.InstallationID, DeliveryID: j.DeliveryID, Args: j.Args},
		deadLetter: j.DeadLetter,
		reason:     reason,
		attempts:   attempts, previous: j.ID, factsAt: j.factsAt, available: available,
	}
}

// upsertJob inserts a waiting job or merges it into the waiting job of its
// key. The merged job takes the winner's facts — a regular job wins over a
// dead-letter notice (the new evaluation will report for itself); a new
// job's facts are the newest there are; a retry, reclaim or release carries
// older facts and wins only with strictly newer ones — keeps the larger
// attempt count, so that a retry merged into a new delivery's job still
// dead-letters in bound, and the earlier ready time.
var upsertJob = upsertJobFrom(`VALUES (` + jobValues(nil) + `)`)

// jobValueTypes are the PostgreSQL types of upsertJob's parameters, $1 to
// $16 (see jobValues).
var jobValueTypes = []string{"text", "text", "text", "bigint", "text", "text", "bigint", "text", "bytea", "integer",
	"integer", "text", "bigint", "bigint", "bigint", "bigint"}

// jobValues is a new job row's values, its parameters $1 to $16 cast with
// cast(type) (none when nil).
func jobValues(cast func(string) string) string {
	p := make([]any, len(jobValueTypes))
	for i, t := range jobValueTypes {
		p[i] = fmt.Sprintf("$%d", i+1)
		if cast != nil {
			p[i] = fmt.Sprintf("$%d%s", i+1, cast(t))
		}
	}
	return fmt.Sprintf("%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'queued', %s, 0, %s, %s, %s, %s, %s, 0, '', 0, 0", p...)
}

// upsertJobFrom is the statement that inserts a job row, or merges it
// into the waiting job of its key, from rows (VALUES, or a SELECT).
func upsertJobFrom(rows string) string {
	const win = `CASE WHEN excluded.dead_letter <> jobs.dead_letter THEN excluded.dead_letter = 0
	WHEN excluded.previous = 0 THEN TRUE ELSE excluded.facts_at > jobs.facts_at END`
	var set []string
	for _, c := range []string{"repository", "installation_id", "delivery_id", "args", "dead_letter", "reason", "previous", "facts_at"} {
		set = append(set, fmt.Sprintf("%s = CASE WHEN %s THEN excluded.%[1]s ELSE jobs.%[1]s END", c, win))
	}
	set = append(set,
		"attempts = CASE WHEN excluded.attempts > jobs.attempts THEN excluded.attempts ELSE jobs.attempts END",
		"available_at = CASE WHEN excluded.available_at < jobs.available_at THEN excluded.available_at ELSE jobs.available_at END",
		"merged = jobs.merged + excluded.merged + 1")
	return `INSERT INTO jobs (kind, job_key, repository, number, ref, sha, installation_id, delivery_id, args, dead_letter,
	state, attempts, merged, reason, previous, facts_at, enqueued_at, available_at, started_at, lease_owner, lease_until, finished_at)
` + rows + `
ON CONFLICT (job_key) WHERE state = 'queued' DO UPDATE SET
	` + strings.Join(set, ",\n\t") + `
RETURNING id, merged, available_at`
}

// enqueue inserts or merges rows in the order of their keys, so that two
// transactions enqueueing the same keys take their locks in the same order.
// The outcomes are in the rows' order.
func (s *db) enqueue(ctx context.Context, tx *sql.Tx, now time.Time, rows []jobRow) ([]Enqueued, error) {
	keys := make([]string, len(rows))
	order := make([]int, len(rows))
	for i, r := range rows {
		keys[i], order[i] = r.Key.canonical(r.Kind), i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
	out := make([]Enqueued, len(rows))
	for _, i := range order {
		r := rows[i]
		var err error
		if out[i], err = scanEnqueued(s.stmts.in(ctx, tx, upsertJob).QueryRowContext(ctx, r.params(keys[i], now)...)); err != nil {
			return nil, fmt.Errorf("enqueue %s job: %w", r.Kind, err)
		}
	}
	return out, nil
}

// params are upsertJob's parameters for r under its canonical key, $1 to
// $16.
func (r jobRow) params(key string, now time.Time) []any {
	args := r.Args
	if args == nil {
		args = []byte{}
	}
	dead := 0
	if r.deadLetter {
		dead = 1
	}
	return []any{r.Kind, key, r.Key.Repository, r.Key.Number, r.Key.Ref, strings.ToLower(r.Key.SHA),
		r.InstallationID, r.DeliveryID, args, dead, r.attempts, r.reason, r.previous, r.factsAt, micros(now), micros(r.available)}
}

// scanEnqueued reads what upsertJob returns.
func scanEnqueued(row *sql.Row) (Enqueued, error) {
	var e Enqueued
	var merged int
	var ready int64
	if err := row.Scan(&e.ID, &merged, &ready); err != nil {
		return Enqueued{}, err
	}
	e.Merged, e.ReadyAt = merged > 0, fromMicros(ready)
	return e, nil
}

func (s *db) Enqueue(ctx context.Context, specs ...JobSpec) ([]Enqueued, error) {
	for _, sp := range specs {
		if err := sp.validate(); err != nil {
			return nil, fmt.Errorf("enqueue: %w", err)
		}
	}
	now := s.now()
	var out []Enqueued
	err := s.write(ctx, "enqueue jobs", func(ctx context.Context, tx *sql.Tx) (err error) {
		out, err = s.enqueue(ctx, tx, now, specRows(specs, now))
		return err
	})
	return out, err
}

func (s *db) Claim(ctx context.Context, owner string, n int, lease time.Duration) ([]Job, error) {
	switch {
	case !validToken(owner, 128):
		return nil, fmt.Errorf("claim jobs: owner %q: want 1–128 letters, digits, '-', '_' or '.'", owner)
	case n < 1 || n > 1000:
		return nil, fmt.Errorf("claim jobs: %d at once: want 1–1000", n)
	case lease <= 0:
		return nil, fmt.Errorf("claim jobs: lease %v: want a positive duration", lease)
	}
	now := s.now()
	var jobs []Job
	var retired []retirement
	err := s.write(ctx, "claim jobs", func(ctx context.Context, tx *sql.Tx) error {
		var err error
		if retired, err = s.reclaim(ctx, tx, now); err != nil {
			return err
		}
		rows, err := s.stmts.in(ctx, tx, s.claimSQL).QueryContext(ctx, micros(now), n, owner, micros(now.Add(lease)))
		if err != nil {
			return err
		}
		jobs, err = collect(rows, scanJob)
		return err
	})
	s.logRetired(ctx, retired)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(jobs, func(a, b Job) int { return cmp.Compare(a.ID, b.ID) })
	return jobs, nil
}

// claimSQL picks the oldest ready jobs whose key has no running job and
// leases them. PostgreSQL locks what it picks and skips rows other replicas
// are picking; only one job of a key waits at a time, so two replicas can
// never start two jobs of one key (and the running-key index would refuse).
func claimSQL(d dialect) string {
	return `WITH picked AS MATERIALIZED (
	SELECT j.id FROM jobs j
	WHERE j.state = 'queued' AND j.available_at <= $1
		AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.job_key = j.job_key AND r.state = 'running')
	ORDER BY j.available_at, j.id
	LIMIT $2 ` + d.lockSkip + `)
UPDATE jobs SET state = 'running', started_at = $1, lease_owner = $3, lease_until = $4
WHERE id IN (SELECT id FROM picked)
RETURNING ` + jobCols
}

// reclaimSQL finds running jobs whose lease expired, a batch at a time.
func reclaimSQL(d dialect) string {
	return `SELECT ` + jobCols + ` FROM jobs WHERE state = 'running' AND lease_until < $1 ORDER BY id LIMIT 100 ` + d.lockSkip
}

// reclaim retires the jobs whose lease expired before now: their worker
// died or stalled. Each counts as a failed attempt (a job that kills its
// worker must not kill workers forever) and is retried at once — the lease
// was the wait — or dead-lettered.
func (s *db) reclaim(ctx context.Context, tx *sql.Tx, now time.Time) ([]retirement, error) {
	rows, err := s.stmts.in(ctx, tx, s.reclaimSQL).QueryContext(ctx, micros(now))
	if err != nil {
		return nil, fmt.Errorf("find expired leases: %w", err)
	}
	expired, err := collect(rows, scanJob)
	if err != nil {
		return nil, fmt.Errorf("find expired leases: %w", err)
	}
	var out []retirement
	for _, j := range expired {
		reason := fmt.Sprintf("attempt %d: the lease of worker %s expired at %s (the worker died or stalled)",
			j.Attempt, j.Owner, j.LeaseUntil.Format(time.RFC3339))
		r, err := s.retire(ctx, tx, j, now, stateExpired, reason, false)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// retirement is what happened to a job that failed, for the log.
type retirement struct {
	job     Job
	state   string
	failure Failure
}

// retire finishes the attempt of running job j that failed (state failed)
// or lost its lease (state expired), and enqueues its retry — or, when it
// used its attempts or cannot succeed, dead-letters it and enqueues the
// notice that reports it.
func (s *db) retire(ctx context.Context, tx *sql.Tx, j Job, now time.Time, state, reason string, permanent bool) (retirement, error) {
	failed := j.Attempt
	retryAt := now.Add(s.opts.Backoff(failed))
	if state == stateExpired {
		retryAt = now // the lease was the wait
	}
	if permanent || failed >= s.opts.MaxAttempts {
		state = stateDead
	}
	if err := execOne(ctx, tx, ErrLeaseLost, `UPDATE jobs SET state = $2, reason = $3, finished_at = $4 WHERE id = $1 AND state = 'running'`,
		j.ID, state, reason, micros(now)); err != nil {
		return retirement{}, fmt.Errorf("job %d: %w", j.ID, err)
	}
	out := retirement{job: j, state: state}
	if state == stateDead {
		out.failure.Dead = true
		if j.DeadLetter {
			return out, nil // a notice that cannot be delivered: nothing left to tell
		}
		notice := again(j, 0, reason, now)
		notice.deadLetter = true
		_, err := s.enqueue(ctx, tx, now, []jobRow{notice})
		return out, err
	}
	e, err := s.enqueue(ctx, tx, now, []jobRow{again(j, failed, reason, retryAt)})
	if err != nil {
		return retirement{}, err
	}
	out.failure.RetryID, out.failure.RetryAt = e[0].ID, e[0].ReadyAt
	return out, nil
}

func (s *db) logRetired(ctx context.Context, rs []retirement) {
	for _, r := range rs {
		attrs := []slog.Attr{slog.Int64("job", r.job.ID), slog.String("kind", r.job.Kind),
			slog.String("repository", r.job.Key.Repository), slog.Int("attempt", r.job.Attempt), slog.String("owner", r.job.Owner)}
		if r.failure.Dead {
			logctx.From(ctx).LogAttrs(ctx, slog.LevelError, "job dead-lettered", attrs...)
		} else {
			logctx.From(ctx).LogAttrs(ctx, slog.LevelWarn, "job retried", append(attrs, slog.Int64("retry", r.failure.RetryID), slog.Time("retry_at", r.failure.RetryAt))...)
		}
	}
}

// running loads job j as the database has it, provided it is still running
// under the caller's lease, locking it against a concurrent reclaim.
func (s *db) running(ctx context.Context, tx *sql.Tx, j Job) (Job, error) {
	row, err := scanJob(tx.QueryRowContext(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = $1 AND state = 'running' AND lease_owner = $2 `+s.d.lock, j.ID, j.Owner))
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, fmt.Errorf("job %d: %w", j.ID, ErrLeaseLost)
	}
	return row, err
}

func (s *db) Fail(ctx context.Context, j Job, cause error) (Failure, error) {
	now := s.now()
	var r retirement
	err := s.write(ctx, fmt.Sprintf("fail job %d", j.ID), func(ctx context.Context, tx *sql.Tx) error {
		cur, err := s.running(ctx, tx, j)
		if err != nil {
			return err
		}
		r, err = s.retire(ctx, tx, cur, now, stateFailed, fmt.Sprintf("attempt %d: %s", cur.Attempt, reasonText(cause)), IsPermanent(cause))
		return err
	})
	if err != nil {
		return Failure{}, err
	}
	s.logRetired(ctx, []retirement{r})
	return r.failure, nil
}

func (s *db) Release(ctx context.Context, j Job) error {
	now := s.now()
	return s.write(ctx, fmt.Sprintf("release job %d", j.ID), func(ctx context.Context, tx *sql.Tx) error {
		cur, err := s.running(ctx, tx, j)
		if err != nil {
			return err
		}
		if err := execOne(ctx, tx, ErrLeaseLost, `UPDATE jobs SET state = 'released', finished_at = $2 WHERE id = $1 AND state = 'running'`, cur.ID, micros(now)); err != nil {
			return err
		}
		_, err = s.enqueue(ctx, tx, now, []jobRow{again(cur, cur.Attempt-1, cur.Reason, now)})
		return err
	})
}

func (s *db) Complete(ctx context.Context, j Job) error {
	now := micros(s.now())
	return s.writeOne(ctx, fmt.Sprintf("complete job %d", j.ID), func(ctx context.Context, q querier) error {
		return execOne(ctx, q, ErrLeaseLost, `UPDATE jobs SET state = 'done', finished_at = $3 WHERE id = $1 AND state = 'running' AND lease_owner = $2`,
			j.ID, j.Owner, now)
	})
}

func (s *db) Extend(ctx context.Context, j Job, lease time.Duration) (time.Time, error) {
	if lease <= 0 {
		return time.Time{}, fmt.Errorf("extend job %d: lease %v: want a positive duration", j.ID, lease)
	}
	until := s.now().Add(lease)
	err := s.writeOne(ctx, fmt.Sprintf("extend job %d", j.ID), func(ctx context.Context, q querier) error {
		return execOne(ctx, q, ErrLeaseLost, `UPDATE jobs SET lease_until = $3 WHERE id = $1 AND state = 'running' AND lease_owner = $2`,
			j.ID, j.Owner, micros(until))
	})
	if err != nil {
		return time.Time{}, err
	}
	return fromMicros(micros(until)), nil
}

func (s *db) Stats(ctx context.Context) (QueueStats, error) {
	now := micros(s.now())
	var st QueueStats
	var oldest sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT
	COALESCE(SUM(CASE WHEN state = 'queued' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN state = 'queued' AND available_at <= $1 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN state = 'dead' THEN 1 ELSE 0 END), 0),
	MIN(CASE WHEN state = 'queued' AND available_at <= $1 THEN available_at END)
FROM jobs WHERE state IN ('queued', 'running', 'dead')`, now).Scan(&st.Waiting, &st.Ready, &st.Running, &st.Dead, &oldest)
	if err != nil {
		return QueueStats{}, fmt.Errorf("queue stats (%s): %w", s.d.name, err)
	}
	if oldest.Valid {
		st.OldestReady = time.Duration(now-oldest.Int64) * time.Microsecond
	}
	return st, nil
}

// collect scans every row and closes rows.
func collect[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

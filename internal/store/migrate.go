package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"

	"github.com/tracegate/tracegate/internal/logctx"
)

// migrations are the schema's versions, applied in order at open in one
// transaction, each version recorded. Append only: a migration
// that shipped is never edited.
var migrations = []string{
	1: `
CREATE TABLE deliveries (
	id             TEXT PRIMARY KEY,   -- X-GitHub-Delivery
	event          TEXT NOT NULL,      -- X-GitHub-Event
	event_action   TEXT NOT NULL,      -- the payload's "action", '' when none
	installation_id BIGINT NOT NULL,   -- 0 when none
	repository     TEXT NOT NULL,      -- owner/name, '' when none
	payload        {{blob}} NOT NULL,
	received_at    BIGINT NOT NULL     -- Unix µs
);
CREATE INDEX deliveries_received ON deliveries (received_at);

CREATE TABLE jobs (
	id             {{id}},
	kind           TEXT NOT NULL,
	job_key        TEXT NOT NULL,      -- Key.canonical(kind): coalescing and mutual exclusion
	repository     TEXT NOT NULL,
	number         BIGINT NOT NULL,
	ref            TEXT NOT NULL,
	sha            TEXT NOT NULL,
	installation_id BIGINT NOT NULL,
	delivery_id    TEXT NOT NULL,
	args           {{blob}} NOT NULL,
	dead_letter    INTEGER NOT NULL,   -- 1: the notice of a dead-lettered job
	state          TEXT NOT NULL,      -- queued running done failed expired released dead
	attempts       INTEGER NOT NULL,   -- attempts that failed before this row
	merged         INTEGER NOT NULL,   -- enqueues merged into this row
	reason         TEXT NOT NULL,
	previous       BIGINT NOT NULL,    -- the row this one retries or reports, 0 for none
	facts_at       BIGINT NOT NULL,    -- when the facts in args were received: newest wins a merge
	enqueued_at    BIGINT NOT NULL,
	available_at   BIGINT NOT NULL,
	started_at     BIGINT NOT NULL,
	lease_owner    TEXT NOT NULL,
	lease_until    BIGINT NOT NULL,
	finished_at    BIGINT NOT NULL
);
-- One waiting and one running job per key at most: waiting ones merge, and a
-- claim never runs two of a key at once.
CREATE UNIQUE INDEX jobs_waiting_key ON jobs (job_key) WHERE state = 'queued';
CREATE UNIQUE INDEX jobs_running_key ON jobs (job_key) WHERE state = 'running';
CREATE INDEX jobs_state ON jobs (state, available_at, id);
CREATE INDEX jobs_finished ON jobs (finished_at);

CREATE TABLE audit (
	id             {{id}},
	repository     TEXT NOT NULL,
	ref            TEXT NOT NULL,
	sha            TEXT NOT NULL,
	gate           TEXT NOT NULL,
	verdict        TEXT NOT NULL,
	policy_digest  TEXT NOT NULL,
	inputs_digest  TEXT NOT NULL,
	delivery_id    TEXT NOT NULL,
	job_id         BIGINT NOT NULL,
	decided_at     BIGINT NOT NULL,
	detail         TEXT NOT NULL
);
CREATE INDEX audit_repository ON audit (lower(repository), decided_at);
CREATE INDEX audit_sha ON audit (sha);
CREATE INDEX audit_decided ON audit (decided_at);
{{append-only}}

CREATE TABLE installations (
	id             BIGINT PRIMARY KEY,
	account        TEXT NOT NULL,
	account_type   TEXT NOT NULL,      -- User or Organization
	suspended      INTEGER NOT NULL,
	deleted        INTEGER NOT NULL,
	updated_at     BIGINT NOT NULL
);
CREATE TABLE installation_repositories (
	installation_id BIGINT NOT NULL,
	repository     TEXT NOT NULL,      -- owner/name
	PRIMARY KEY (installation_id, repository)
);
`,
}

// migrate brings the schema to the newest version. A database migrated by a
// newer tracegate is refused: this one does not know what changed.
func (s *db) migrate(ctx context.Context) error {
	fill := strings.NewReplacer("{{id}}", s.d.autoID, "{{blob}}", s.d.blob, "{{append-only}}", s.d.appendOnly)
	var applied []int
	err := s.write(ctx, "migrate schema", func(ctx context.Context, tx *sql.Tx) error {
		applied = applied[:0]
		if s.d.lockMigrations != "" {
			if _, err := tx.ExecContext(ctx, s.d.lockMigrations); err != nil {
				return fmt.Errorf("lock: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
			return err
		}
		var have int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
			return err
		}
		newest := len(migrations) - 1
		if have > newest {
			return fmt.Errorf("the database is at schema version %d, this tracegate knows up to %d: run a newer tracegate", have, newest)
		}
		for v := have + 1; v <= newest; v++ {
			if _, err := tx.ExecContext(ctx, fill.Replace(migrations[v])); err != nil {
				return fmt.Errorf("version %d: %w", v, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, v, micros(s.now())); err != nil {
				return fmt.Errorf("version %d: %w", v, err)
			}
			applied = append(applied, v)
		}
		return nil
	})
	for _, v := range applied {
		logctx.From(ctx).LogAttrs(ctx, slog.LevelInfo, "store schema migrated", slog.String("db", s.d.name), slog.Int("version", v))
	}
	return err
}

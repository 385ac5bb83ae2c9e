package store

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/tracegate/tracegate/internal/logctx"
)

// Pruned counts what Prune deleted.
type Pruned struct {
	Deliveries int64
	Jobs       int64
}

// pruneBatch bounds one delete, so that a large prune never holds the
// single SQLite writer (or PostgreSQL row locks) for long: 200 deliveries
// of 25 KB take about 4 ms to delete here, 1,000 took 18 ms, which a
// webhook waiting behind them would feel.
const pruneBatch = 200

// Prune deletes deliveries received, and finished jobs (done, failed,
// expired, released, dead) finished, more than olderThan ago, in batches.
// Waiting and running jobs and the audit log are kept. A delivery pruned
// can no longer be recognised as a duplicate: keep at least GitHub's
// redelivery window (3 days).
func (s *db) Prune(ctx context.Context, olderThan time.Duration) (Pruned, error) {
	if olderThan <= 0 {
		return Pruned{}, fmt.Errorf("prune: age %v: want a positive duration", olderThan)
	}
	cutoff := micros(s.now().Add(-olderThan))
	var out Pruned
	for _, p := range []struct {
		what  string
		query string
		n     *int64
	}{
		{"deliveries", `DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE received_at < $1 LIMIT $2)`, &out.Deliveries},
		{"jobs", `DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE finished_at > 0 AND finished_at < $1
	AND state NOT IN ('queued', 'running') LIMIT $2)`, &out.Jobs},
	} {
		for {
			var n int64
			err := s.writeOne(ctx, "prune "+p.what, func(ctx context.Context, q querier) error {
				res, err := q.ExecContext(ctx, p.query, cutoff, pruneBatch)
				if err != nil {
					return err
				}
				n, err = res.RowsAffected()
				return err
			})
			if err != nil {
				return out, err
			}
			*p.n += n
			if n < pruneBatch {
				break
			}
		}
	}
	logctx.From(ctx).LogAttrs(ctx, slog.LevelInfo, "store pruned", slog.Duration("older_than", olderThan),
		slog.Int64("deliveries", out.Deliveries), slog.Int64("jobs", out.Jobs))
	return out, nil
}

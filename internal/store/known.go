package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// maxKnownBatch bounds the IDs of one query (both dialects take far more
// parameters; this keeps a statement small).
const maxKnownBatch = 500

// Known tells which of the delivery IDs the store holds: the recovery of
// missed deliveries asks GitHub to redeliver only those it does not. A
// pruned delivery is not known.
func (s *db) Known(ctx context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for len(ids) > 0 {
		batch := ids
		if len(batch) > maxKnownBatch {
			batch = batch[:maxKnownBatch]
		}
		ids = ids[len(batch):]
		ph := make([]string, len(batch))
		args := make([]any, len(batch))
		for i, id := range batch {
			ph[i] = "$" + strconv.Itoa(i+1)
			args[i] = id
		}
		rows, err := s.r.QueryContext(ctx, `SELECT id FROM deliveries WHERE id IN (`+strings.Join(ph, ", ")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("look up deliveries (%s): %w", s.d.name, err)
		}
		got, err := collect(rows, func(sc interface{ Scan(...any) error }) (id string, err error) { return id, sc.Scan(&id) })
		if err != nil {
			return nil, fmt.Errorf("look up deliveries (%s): %w", s.d.name, err)
		}
		for _, id := range got {
			out[id] = true
		}
	}
	return out, nil
}

package store

import (
	"context"
	"fmt"
	"testing"
)

// Known answers which deliveries are stored, across batches, and nothing
// for IDs it has never seen.
func TestKnown(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn, Options{})
		var ids []string
		for i := range 1200 {
			id := fmt.Sprintf("d-%d", i)
			ids = append(ids, id)
			if i%3 == 0 {
				if _, err := s.Accept(ctx, delivery(id)); err != nil {
					t.Fatal(err)
				}
			}
		}
		got, err := s.Known(ctx, append(ids, "never"))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 400 {
			t.Errorf("%d known, want 400", len(got))
		}
		for i, id := range ids {
			if got[id] != (i%3 == 0) {
				t.Errorf("%s known = %v", id, got[id])
			}
		}
		if got["never"] {
			t.Error("an ID never stored is known")
		}
	})
}

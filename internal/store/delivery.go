package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Delivery is one webhook delivery as GitHub sent it.
type Delivery struct {
	ID             string // X-GitHub-Delivery (a GUID)
	Event          string // X-GitHub-Event
	Action         string // the payload's "action", if any
	InstallationID int64
	Repository     string // owner/name, if any
	Payload        []byte
	ReceivedAt     time.Time // default: now
}

// MaxPayload is the largest payload stored: GitHub caps webhook payloads at
// 25 MB.
const MaxPayload = 25 << 20

// Accepted is the outcome of Accept.
type Accepted struct {
	New  bool       // false: a duplicate, nothing was written
	Jobs []Enqueued // the jobs enqueued for a new delivery, in the order given
}

// validToken tells whether s is 1–max of letters, digits, '-', '_' and '.':
// what GitHub's delivery GUIDs and event names are made of. Anything else is
// refused before it can reach a log line or an error.
func validToken(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' && r != '_' && r != '.' {
			return false
		}
	}
	return true
}

func (d Delivery) validate() error {
	switch {
	case !validToken(d.ID, 64):
		return fmt.Errorf("delivery ID %q: want 1–64 letters, digits, '-', '_' or '.'", d.ID)
	case !validToken(d.Event, 64):
		return fmt.Errorf("delivery %s: event %q: want 1–64 letters, digits, '-', '_' or '.'", d.ID, d.Event)
	case d.Action != "" && !validToken(d.Action, 64):
		return fmt.Errorf("delivery %s: action %q: want letters, digits, '-', '_' or '.'", d.ID, d.Action)
	case d.InstallationID < 0:
		return fmt.Errorf("delivery %s: negative installation ID", d.ID)
	case d.Payload == nil:
		return fmt.Errorf("delivery %s: no payload", d.ID)
	case len(d.Payload) > MaxPayload:
		return fmt.Errorf("delivery %s: payload of %d bytes exceeds %d", d.ID, len(d.Payload), MaxPayload)
	}
	return nil
}

func (s *db) Accept(ctx context.Context, d Delivery, jobs ...JobSpec) (Accepted, error) {
	if err := d.validate(); err != nil {
		return Accepted{}, fmt.Errorf("store delivery: %w", err)
	}
	for i := range jobs {
		if jobs[i].DeliveryID == "" {
			jobs[i].DeliveryID = d.ID
		}
		if jobs[i].InstallationID == 0 {
			jobs[i].InstallationID = d.InstallationID
		}
		if err := jobs[i].validate(); err != nil {
			return Accepted{}, fmt.Errorf("store delivery %s: %w", d.ID, err)
		}
	}
	now := s.now()
	if d.ReceivedAt.IsZero() {
		d.ReceivedAt = now
	}
	rows := specRows(jobs, now)
	var out Accepted
	if s.writer == nil && len(rows) <= 1 { // PostgreSQL
		err := s.writeOne(ctx, "store delivery "+d.ID, func(ctx context.Context, q querier) (err error) {
			out, err = acceptOne(ctx, q, d, now, rows)
			return err
		})
		return out, err
	}
	err := s.writeIn(ctx, true, "store delivery "+d.ID, func(ctx context.Context, tx *sql.Tx) (err error) {
		out, err = s.accept(ctx, tx, d, now, rows)
		return err
	})
	if err != nil {
		return Accepted{}, err
	}
	return out, nil
}

// insertDelivery inserts a delivery unless its ID is known: parameters
// $1 to $7 (deliveryParams).
const insertDelivery = `INSERT INTO deliveries (id, event, event_action, installation_id, repository, payload, received_at)
VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`

func deliveryParams(d Delivery) []any {
	return []any{d.ID, d.Event, d.Action, d.InstallationID, d.Repository, d.Payload, micros(d.ReceivedAt)}
}

// acceptOneJob is PostgreSQL's Accept of a delivery with one job in one
// statement, which commits by itself: the delivery inserted unless known
// (parameters $17 to $23), and the job (upsertJob's $1 to $16) inserted or
// merged only when it was — one round trip, where a transaction around the
// two statements takes four. No row: a duplicate.
var acceptOneJob = `WITH delivery AS (
	INSERT INTO deliveries (id, event, event_action, installation_id, repository, payload, received_at)
	VALUES ($17, $18, $19, $20, $21, $22, $23) ON CONFLICT (id) DO NOTHING RETURNING id)
` + upsertJobFrom(`SELECT `+jobValues(func(t string) string { return "::" + t })+` WHERE EXISTS (SELECT 1 FROM delivery)`)

// acceptOne is Accept of a delivery with at most one job in one statement
// (PostgreSQL: q commits it by itself).
func acceptOne(ctx context.Context, q querier, d Delivery, now time.Time, rows []jobRow) (Accepted, error) {
	if len(rows) == 0 {
		res, err := q.ExecContext(ctx, insertDelivery, deliveryParams(d)...)
		if err != nil {
			return Accepted{}, err
		}
		n, err := res.RowsAffected()
		return Accepted{New: n > 0}, err
	}
	r := rows[0]
	job, err := scanEnqueued(q.QueryRowContext(ctx, acceptOneJob, append(r.params(r.Key.canonical(r.Kind), now), deliveryParams(d)...)...))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Accepted{}, nil // a duplicate
	case err != nil:
		return Accepted{}, fmt.Errorf("enqueue %s job: %w", r.Kind, err)
	}
	return Accepted{New: true, Jobs: []Enqueued{job}}, nil
}

// accept inserts delivery d and, when it is new, its jobs, in tx.
func (s *db) accept(ctx context.Context, tx *sql.Tx, d Delivery, now time.Time, rows []jobRow) (Accepted, error) {
	res, err := s.stmts.in(ctx, tx, insertDelivery).ExecContext(ctx, deliveryParams(d)...)
	if err != nil {
		return Accepted{}, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return Accepted{}, err // a duplicate: nothing more to do
	}
	jobs, err := s.enqueue(ctx, tx, now, rows)
	if err != nil {
		return Accepted{}, err
	}
	return Accepted{New: true, Jobs: jobs}, nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// committer is SQLite's one writer. Every write — the webhook's Accepts and
// the workers' claims, completions, failures, lease extensions and audit
// records alike — is a request to it, and the requests that wait while a
// transaction commits go together into the next one, each under a
// savepoint so that one's error undoes only its own work, with one sync of
// the WAL for the lot (group commit). A caller is answered only after the
// commit, so what it was told is on disk.
//
// Deliveries come first: each transaction takes every waiting Accept (up
// to maxIntake) before at most maxOther other writes, so that a webhook
// waits for at most the transaction in flight and its own, never behind a
// queue of the workers' bookkeeping; the workers' writes still get into
// every transaction and never starve. Idle, a request commits alone at
// once, with no timer.
type committer struct {
	s       *db
	intake  chan *writeRequest
	other   chan *writeRequest
	stop    chan struct{}
	stopped chan struct{}
}

// writeRequest is one write: fn runs in the group's transaction.
type writeRequest struct {
	// ctx is the caller's: a request whose caller left before the group
	// began is skipped. fn gets the group's context instead, which no
	// caller can cancel — a statement SQLite interrupts rolls the whole
	// transaction back, everyone's work with it.
	ctx  context.Context
	fn   func(ctx context.Context, tx *sql.Tx) error
	done chan error
}

// Bounds on a transaction: the deliveries it takes first, and the other
// writes after them.
const (
	maxIntake = 64
	maxOther  = 16
)

var errClosed = errors.New("the store is closed")

func newCommitter(s *db) *committer {
	c := &committer{s: s, intake: make(chan *writeRequest, maxIntake), other: make(chan *writeRequest, maxOther),
		stop: make(chan struct{}), stopped: make(chan struct{})}
	go c.run()
	return c
}

// close stops the committer after the transaction in flight; requests
// still queued fail with errClosed.
func (c *committer) close() {
	close(c.stop)
	<-c.stopped
}

// write runs fn in a transaction of the committer, in the delivery lane
// when intake is set, and returns fn's error or the commit's. Once the
// request is queued the caller waits for its answer whatever its context
// says: the transaction that takes it is bounded, and the caller must know
// whether its write was committed.
func (c *committer) write(ctx context.Context, intake bool, fn func(ctx context.Context, tx *sql.Tx) error) error {
	r := &writeRequest{ctx: ctx, fn: fn, done: make(chan error, 1)}
	lane := c.other
	if intake {
		lane = c.intake
	}
	select {
	case lane <- r:
	case <-c.stopped:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-c.stopped:
		select { // answered as the committer stopped
		case err := <-r.done:
			return err
		default:
			return errClosed
		}
	}
}

func (c *committer) run() {
	defer close(c.stopped)
	group := make([]*writeRequest, 0, maxIntake+maxOther)
	for {
		group = group[:0]
		var other *writeRequest
		select { // wait for a request of either lane
		case r := <-c.intake:
			group = append(group, r)
		case other = <-c.other:
		case <-c.stop:
			return
		}
		group = take(group, c.intake, maxIntake)
		n := len(group) + maxOther
		if other != nil {
			group = append(group, other)
		}
		group = take(group, c.other, n)
		c.commit(group)
	}
}

// take appends the requests waiting in lane to group, up to n in all.
func take(group []*writeRequest, lane chan *writeRequest, n int) []*writeRequest {
	for len(group) < n {
		select {
		case r := <-lane:
			group = append(group, r)
		default:
			return group
		}
	}
	return group
}

// commit runs a group's requests in one transaction and answers each. A
// request whose caller left before the group began is skipped; one whose
// caller leaves later is committed all the same (for a delivery, its
// redelivery will be a duplicate).
func (c *committer) commit(group []*writeRequest) {
	ctx := context.WithoutCancel(group[0].ctx) // no Done: no watcher per statement, no interrupt
	errs := make([]error, len(group))
	err := c.s.tryWrite(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for i, r := range group {
			errs[i] = r.ctx.Err()
			if errs[i] != nil {
				continue
			}
			if _, err := tx.ExecContext(ctx, "SAVEPOINT request"); err != nil {
				return err
			}
			if errs[i] = r.fn(ctx, tx); errs[i] != nil {
				if _, err := tx.ExecContext(ctx, "ROLLBACK TO request"); err != nil {
					return errors.Join(errs[i], err)
				}
			}
			if _, err := tx.ExecContext(ctx, "RELEASE request"); err != nil {
				return err
			}
		}
		return nil
	})
	for i, r := range group {
		if err != nil {
			errs[i] = fmt.Errorf("group commit: %w", err)
		}
		r.done <- errs[i]
	}
}

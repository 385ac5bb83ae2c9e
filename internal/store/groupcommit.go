package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// groupCommit commits the deliveries that wait for SQLite's one writer
// together: while one transaction commits, the Accepts that arrive queue
// here, and the next transaction takes them all, each under a savepoint so
// that one's error does not undo the others, with one sync of the WAL for
// the lot. Idle, a delivery commits alone at once, with no timer; when the
// disk stalls, the deliveries behind the stall wait for one sync, not one
// each.
type groupCommit struct {
	s       *db
	queue   chan *acceptRequest
	stop    chan struct{}
	stopped chan struct{}
}

// acceptRequest is one Accept.
type acceptRequest struct {
	ctx  context.Context
	d    Delivery
	rows []jobRow
	now  time.Time
	done chan acceptResult
}

type acceptResult struct {
	out Accepted
	err error
}

// maxGroup bounds a transaction, so that the first of a group does not
// wait for a very large one.
const maxGroup = 64

// groupTimeout bounds a group's transaction, which runs on behalf of many
// callers and so under none's context.
const groupTimeout = time.Minute

var errClosed = errors.New("the store is closed")

func newGroupCommit(s *db) *groupCommit {
	g := &groupCommit{s: s, queue: make(chan *acceptRequest, maxGroup), stop: make(chan struct{}), stopped: make(chan struct{})}
	go g.run()
	return g
}

// close stops the committer after the group in flight; Accepts still
// queued fail with errClosed.
func (g *groupCommit) close() {
	close(g.stop)
	<-g.stopped
}

func (g *groupCommit) submit(r *acceptRequest) (Accepted, error) {
	r.done = make(chan acceptResult, 1)
	select {
	case g.queue <- r:
	case <-g.stopped:
		return Accepted{}, fmt.Errorf("store delivery %s: %w", r.d.ID, errClosed)
	case <-r.ctx.Done():
		return Accepted{}, fmt.Errorf("store delivery %s: %w", r.d.ID, r.ctx.Err())
	}
	select {
	case res := <-r.done:
		return res.out, res.err
	case <-g.stopped:
		select { // answered as the committer stopped
		case res := <-r.done:
			return res.out, res.err
		default:
			return Accepted{}, fmt.Errorf("store delivery %s: %w", r.d.ID, errClosed)
		}
	}
}

func (g *groupCommit) run() {
	defer close(g.stopped)
	for {
		var group []*acceptRequest
		select {
		case r := <-g.queue:
			group = append(group, r)
		case <-g.stop:
			return
		}
	more:
		for len(group) < maxGroup {
			select {
			case r := <-g.queue:
				group = append(group, r)
			default:
				break more
			}
		}
		g.commit(group)
	}
}

// commit stores a group in one transaction and answers each request. A
// request whose caller left before the group began is skipped; one whose
// caller leaves later is committed all the same (a redelivery of it will be
// a duplicate).
func (g *groupCommit) commit(group []*acceptRequest) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(group[0].ctx), groupTimeout)
	defer cancel()
	results := make([]acceptResult, len(group))
	err := g.s.write(ctx, "store deliveries", func(tx *sql.Tx) error {
		for i, r := range group {
			results[i] = acceptResult{}
			if err := r.ctx.Err(); err != nil {
				results[i].err = fmt.Errorf("store delivery %s: %w", r.d.ID, err)
				continue
			}
			if _, err := tx.ExecContext(ctx, "SAVEPOINT delivery"); err != nil {
				return err
			}
			out, err := g.s.accept(ctx, tx, r)
			if err != nil {
				results[i].err = fmt.Errorf("store delivery %s (%s): %w", r.d.ID, g.s.d.name, err)
				if _, err := tx.ExecContext(ctx, "ROLLBACK TO delivery"); err != nil {
					return err
				}
			}
			results[i].out = out
			if _, err := tx.ExecContext(ctx, "RELEASE delivery"); err != nil {
				return err
			}
		}
		return nil
	})
	for i, r := range group {
		if err != nil {
			results[i] = acceptResult{err: fmt.Errorf("store delivery %s: %w", r.d.ID, err)}
		}
		r.done <- results[i]
	}
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// prepared keeps SQLite's hottest write statements prepared on its one
// write connection, where every acknowledgement's commit runs: parsing
// them at each call — the job upsert's CASEs above all, then the claim —
// was a tenth of tracegate serve's CPU under bench/app.sh, on the
// writer's goroutine that the webhook waits for. PostgreSQL's driver
// keeps its own statement cache per connection, and a statement prepared
// on its pool would be prepared again on each transaction's connection:
// there the statements run as they are.
//
// They are prepared when the store opens, outside any transaction: the
// write connection is SQLite's only one, and a transaction holds it.
type prepared struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt // none: run the statements unprepared
}

// statement is a statement of a transaction: prepared once, or not.
type statement interface {
	ExecContext(ctx context.Context, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, args ...any) *sql.Row
}

// prepare prepares queries on db.
func (p *prepared) prepare(ctx context.Context, db *sql.DB, queries ...string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]*sql.Stmt{}
	}
	for _, q := range queries {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		p.m[q] = st
	}
	return nil
}

// in returns query as a statement of tx: the prepared one (database/sql
// prepares it again, on tx's connection, if that is not the one it was
// prepared on), else the query itself.
func (p *prepared) in(ctx context.Context, tx *sql.Tx, query string) statement {
	p.mu.Lock()
	st, ok := p.m[query]
	p.mu.Unlock()
	if !ok {
		return unprepared{tx, query}
	}
	return tx.StmtContext(ctx, st)
}

// close closes the prepared statements.
func (p *prepared) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, st := range p.m {
		errs = append(errs, st.Close())
	}
	clear(p.m)
	return errors.Join(errs...)
}

type unprepared struct {
	tx    *sql.Tx
	query string
}

func (u unprepared) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	return u.tx.ExecContext(ctx, u.query, args...)
}

func (u unprepared) QueryContext(ctx context.Context, args ...any) (*sql.Rows, error) {
	return u.tx.QueryContext(ctx, u.query, args...)
}

func (u unprepared) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	return u.tx.QueryRowContext(ctx, u.query, args...)
}

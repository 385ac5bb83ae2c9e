package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Installation is one installation of the App, as its last event left it.
// Events may arrive out of order; the last one stored wins.
type Installation struct {
	ID          int64
	Account     string // the user or organisation login
	AccountType string // "User" or "Organization"
	// Repositories are owner/name, lower-cased and sorted. PutInstallation replaces them
	// when the field is not nil (the event listed them) and keeps them
	// when it is.
	Repositories []string
	Suspended    bool
	Deleted      bool
	UpdatedAt    time.Time
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// PutInstallation records an `installation` event: created, deleted,
// suspend, unsuspend, new_permissions_accepted. A deleted installation keeps
// its row, without repositories.
func (s *db) PutInstallation(ctx context.Context, in Installation) error {
	if in.ID <= 0 {
		return fmt.Errorf("record installation: ID %d: want a positive ID", in.ID)
	}
	if in.Deleted {
		in.Repositories = []string{}
	}
	now := micros(s.now())
	return s.write(ctx, fmt.Sprintf("record installation %d", in.ID), func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO installations (id, account, account_type, suspended, deleted, updated_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (id) DO UPDATE SET account = excluded.account, account_type = excluded.account_type,
	suspended = excluded.suspended, deleted = excluded.deleted, updated_at = excluded.updated_at`,
			in.ID, in.Account, in.AccountType, b2i(in.Suspended), b2i(in.Deleted), now); err != nil {
			return err
		}
		if in.Repositories == nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM installation_repositories WHERE installation_id = $1`, in.ID); err != nil {
			return err
		}
		return addRepositories(ctx, tx, in.ID, in.Repositories)
	})
}

func addRepositories(ctx context.Context, tx *sql.Tx, id int64, repos []string) error {
	for _, r := range repos {
		if _, err := tx.ExecContext(ctx, `INSERT INTO installation_repositories (installation_id, repository) VALUES ($1, $2)
ON CONFLICT (installation_id, repository) DO NOTHING`, id, strings.ToLower(r)); err != nil {
			return err
		}
	}
	return nil
}

// ChangeRepositories records an `installation_repositories` event. An
// installation not seen yet gets a row without account, filled in by its
// own event when that arrives.
func (s *db) ChangeRepositories(ctx context.Context, id int64, added, removed []string) error {
	if id <= 0 {
		return fmt.Errorf("change installation repositories: ID %d: want a positive ID", id)
	}
	now := micros(s.now())
	return s.write(ctx, fmt.Sprintf("change repositories of installation %d", id), func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO installations (id, account, account_type, suspended, deleted, updated_at)
VALUES ($1, '', '', 0, 0, $2) ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at`, id, now); err != nil {
			return err
		}
		for _, r := range removed {
			if _, err := tx.ExecContext(ctx, `DELETE FROM installation_repositories WHERE installation_id = $1 AND repository = $2`, id, strings.ToLower(r)); err != nil {
				return err
			}
		}
		return addRepositories(ctx, tx, id, added)
	})
}

// Installation returns installation id, or an error wrapping ErrNotFound.
func (s *db) Installation(ctx context.Context, id int64) (Installation, error) {
	in := Installation{ID: id, Repositories: []string{}}
	var susp, del int
	var at int64
	err := s.r.QueryRowContext(ctx, `SELECT account, account_type, suspended, deleted, updated_at FROM installations WHERE id = $1`, id).
		Scan(&in.Account, &in.AccountType, &susp, &del, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Installation{}, fmt.Errorf("installation %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Installation{}, fmt.Errorf("read installation %d (%s): %w", id, s.d.name, err)
	}
	in.Suspended, in.Deleted, in.UpdatedAt = susp != 0, del != 0, fromMicros(at)
	rows, err := s.r.QueryContext(ctx, `SELECT repository FROM installation_repositories WHERE installation_id = $1 ORDER BY repository`, id)
	if err != nil {
		return Installation{}, fmt.Errorf("read repositories of installation %d (%s): %w", id, s.d.name, err)
	}
	repos, err := collect(rows, func(sc interface{ Scan(...any) error }) (r string, err error) { return r, sc.Scan(&r) })
	if err != nil {
		return Installation{}, fmt.Errorf("read repositories of installation %d (%s): %w", id, s.d.name, err)
	}
	in.Repositories = append(in.Repositories, repos...)
	slices.Sort(in.Repositories) // ORDER BY follows the database's collation; owner/name sorts bytewise everywhere
	return in, nil
}

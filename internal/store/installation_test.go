package store

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestInstallations(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn, Options{})
		get := func(id int64) Installation {
			t.Helper()
			in, err := s.Installation(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return in
		}
		if _, err := s.Installation(ctx, 1); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown installation: %v, want ErrNotFound", err)
		}
		if err := s.PutInstallation(ctx, Installation{ID: 1, Account: "acme", AccountType: "Organization", Repositories: []string{"acme/b", "Acme/A"}}); err != nil {
			t.Fatal(err)
		}
		if in := get(1); in.Account != "acme" || in.AccountType != "Organization" || !slices.Equal(in.Repositories, []string{"acme/a", "acme/b"}) || in.Suspended || in.Deleted {
			t.Fatalf("created: %+v", in)
		}
		if err := s.ChangeRepositories(ctx, 1, []string{"acme/c"}, []string{"ACME/A"}); err != nil {
			t.Fatal(err)
		}
		// suspend: the event lists no repositories, which are kept
		if err := s.PutInstallation(ctx, Installation{ID: 1, Account: "acme", AccountType: "Organization", Suspended: true}); err != nil {
			t.Fatal(err)
		}
		if in := get(1); !in.Suspended || !slices.Equal(in.Repositories, []string{"acme/b", "acme/c"}) {
			t.Fatalf("suspended: %+v", in)
		}
		if err := s.PutInstallation(ctx, Installation{ID: 1, Account: "acme", AccountType: "Organization", Deleted: true}); err != nil {
			t.Fatal(err)
		}
		if in := get(1); !in.Deleted || len(in.Repositories) != 0 {
			t.Fatalf("deleted: %+v", in)
		}
		// installation_repositories before its installation event
		if err := s.ChangeRepositories(ctx, 2, []string{"octo/x"}, nil); err != nil {
			t.Fatal(err)
		}
		if in := get(2); in.Account != "" || !slices.Equal(in.Repositories, []string{"octo/x"}) {
			t.Fatalf("repositories before the installation: %+v", in)
		}
		if err := s.PutInstallation(ctx, Installation{ID: 0}); err == nil {
			t.Error("installation 0 accepted")
		}
	})
}

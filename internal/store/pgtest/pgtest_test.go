package pgtest

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestCluster(t *testing.T) {
	ctx := context.Background()
	c := New(t, Options{})
	for _, create := range []func(context.Context, string) (string, error){c.CreateDatabase, c.CreateSchema} {
		url, err := create(ctx, "tg_one")
		if err != nil {
			t.Fatal(err)
		}
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		var db, schema, user string
		if err := conn.QueryRow(ctx, "SELECT current_database(), current_schema(), current_user").Scan(&db, &schema, &user); err != nil {
			t.Fatal(err)
		}
		if (db != "tg_one" && schema != "tg_one") || user != "postgres" {
			t.Errorf("connected to database %s, schema %s as %s", db, schema, user)
		}
		if err := conn.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.CreateDatabase(ctx, `x"; DROP`); err == nil {
		t.Error("a database name that is not an identifier was accepted")
	}
	dir := c.dir
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s left behind: %v", dir, err)
	}
	if _, err := pgx.Connect(ctx, c.URL("postgres")); err == nil {
		t.Error("the server still answers after Stop")
	}
}

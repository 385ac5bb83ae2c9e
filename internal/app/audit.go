package app

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tracegate/tracegate/internal/store"
)

// AuditOptions select and format the audit log for `tracegate audit`.
type AuditOptions struct {
	DB     string // TRACEGATE_DB
	Query  store.AuditQuery
	Format string // text (default), json (one object a line), csv
}

// AuditFormats are the formats Audit writes.
var AuditFormats = []string{"text", "json", "csv"}

// ParseSince reads --since: an RFC 3339 time, a date, or a duration back
// from now (72h).
func ParseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--since %q: want a time (2024-05-01 or 2024-05-01T10:00:00Z) or a duration back from now (72h)", s)
}

// Audit prints the decisions the query selects, oldest first, from the
// store TRACEGATE_DB names. The text comes from repositories and events:
// the caller's writer neutralises it for a terminal, JSON and CSV encode
// it.
func Audit(ctx context.Context, w io.Writer, o AuditOptions) error {
	format := orDefault(o.Format, "text")
	switch format {
	case "text", "json", "csv":
	default:
		return fmt.Errorf("--format %q: use %s", o.Format, strings.Join(AuditFormats, ", "))
	}
	if o.DB == "" {
		return fmt.Errorf("no database: set %s (or --db) to the App's SQLite file or postgres:// URL", EnvDB)
	}
	st, err := store.Open(ctx, o.DB, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	var each func(store.Decision) error
	var flush func() error
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		each = func(d store.Decision) error { return enc.Encode(d) }
		flush = func() error { return nil }
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(store.AuditHeader); err != nil {
			return err
		}
		each = func(d store.Decision) error { return cw.Write(d.Fields()) }
		flush = func() error { cw.Flush(); return cw.Error() }
	default:
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "AT\tREPOSITORY\tREF\tSHA\tGATE\tVERDICT\tPOLICY\tINPUTS\tDELIVERY\tDETAIL")
		each = func(d store.Decision) error {
			_, err := fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.At.UTC().Format(time.RFC3339), cell(d.Repository), cell(d.Ref),
				short(d.SHA, 12), cell(d.Gate), cell(d.Verdict), short(d.PolicyDigest, 19), short(d.InputsDigest, 19), cell(d.DeliveryID), cell(d.Detail))
			return err
		}
		flush = tw.Flush
	}
	if err := st.Audit(ctx, o.Query, each); err != nil {
		return err
	}
	return flush()
}

// cell keeps a text table's cell on its line.
func cell(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
}

func short(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

package store

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestAudit(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := newClock()
		s := open(t, dsn, Options{Now: clk.Now})
		t0 := clk.Now()
		shaA, shaB := strings.Repeat("a1", 20), strings.Repeat("b2", 20)
		for i, d := range []Decision{
			{Repository: "Acme/Device", Ref: "refs/pull/1/head", SHA: shaA, Gate: "pr", Verdict: "fail", PolicyDigest: "sha256:p1", InputsDigest: "sha256:i1", DeliveryID: "d-1", JobID: 1, Detail: "2 findings"},
			{Repository: "Acme/Device", Ref: "refs/pull/1/head", SHA: strings.ToUpper(shaA), Gate: "pr", Verdict: "pass", DeliveryID: "d-2", JobID: 2},
			{Repository: "acme/other", Ref: "v1.0.0", SHA: shaB, Gate: "release", Verdict: "pass"},
			{Repository: "Acme/Device", Ref: "v2.0.0", SHA: shaB, Gate: "release", Verdict: "error", Detail: "the SBOM could not be read"},
		} {
			got, err := s.Record(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID == 0 || !got.At.Equal(t0.Add(time.Duration(i)*time.Hour)) {
				t.Fatalf("recorded %+v", got)
			}
			clk.Advance(time.Hour)
		}
		audit := func(q AuditQuery) []Decision {
			t.Helper()
			var ds []Decision
			if err := s.Audit(ctx, q, func(d Decision) error { ds = append(ds, d); return nil }); err != nil {
				t.Fatal(err)
			}
			return ds
		}
		ids := func(q AuditQuery) []int64 {
			var out []int64
			for _, d := range audit(q) {
				out = append(out, d.ID)
			}
			return out
		}
		for _, c := range []struct {
			q    AuditQuery
			want []int64
		}{
			{AuditQuery{}, []int64{1, 2, 3, 4}},
			{AuditQuery{Repository: "ACME/device"}, []int64{1, 2, 4}},
			{AuditQuery{SHA: shaA}, []int64{1, 2}},
			{AuditQuery{SHA: "B2B2B2B"}, []int64{3, 4}},
			{AuditQuery{Gate: "release", Repository: "acme/device"}, []int64{4}},
			{AuditQuery{Since: t0.Add(90 * time.Minute)}, []int64{3, 4}},
			{AuditQuery{Limit: 2}, []int64{3, 4}}, // the newest, oldest first
			{AuditQuery{Repository: "acme/none"}, nil},
		} {
			if got := ids(c.q); !slices.Equal(got, c.want) {
				t.Errorf("Audit(%+v) = %v, want %v", c.q, got, c.want)
			}
		}
		all := audit(AuditQuery{SHA: shaA[:10]})
		want := Decision{ID: 1, At: t0, Repository: "Acme/Device", Ref: "refs/pull/1/head", SHA: shaA, Gate: "pr", Verdict: "fail",
			PolicyDigest: "sha256:p1", InputsDigest: "sha256:i1", DeliveryID: "d-1", JobID: 1, Detail: "2 findings"}
		if all[0] != want || all[1].SHA != shaA {
			t.Fatalf("Audit read back %+v, want %+v", all[0], want)
		}
		js, err := json.Marshal(all[0])
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"id":1,"at":"2026-11-21T12:00:00Z","repository":"Acme/Device","ref":"refs/pull/1/head","sha":"` + shaA +
			`","gate":"pr","verdict":"fail","policy_digest":"sha256:p1","inputs_digest":"sha256:i1","delivery_id":"d-1","job_id":1,"detail":"2 findings"}`; string(js) != want {
			t.Errorf("JSON %s\nwant %s", js, want)
		}
		if f := all[0].Fields(); len(f) != len(AuditHeader) || f[1] != "2026-11-21T12:00:00Z" || f[10] != "1" {
			t.Errorf("Fields() = %q", f)
		}

		// Append-only, whatever the SQL.
		stmts := []string{`UPDATE audit SET verdict = 'pass' WHERE id = 1`, `DELETE FROM audit WHERE id = 1`, `DELETE FROM audit`}
		if IsPostgres(dsn) {
			stmts = append(stmts, `TRUNCATE audit`)
		}
		for _, stmt := range stmts {
			if _, err := s.w.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused as append-only", stmt, err)
			}
		}
		if _, err := s.Prune(ctx, time.Minute); err != nil {
			t.Fatal(err)
		}
		if got := ids(AuditQuery{}); len(got) != 4 {
			t.Errorf("after Prune the audit log holds %v, want all 4", got)
		}

		for _, bad := range []Decision{{SHA: shaA, Gate: "pr", Verdict: "pass"}, {Repository: "a/b", SHA: "xyz1234", Gate: "pr", Verdict: "pass"},
			{Repository: "a/b", SHA: shaA, Verdict: "pass"}, {Repository: "a/b", SHA: shaA, Gate: "pr", Verdict: "pass", Detail: strings.Repeat("x", maxDetail+1)}} {
			if _, err := s.Record(ctx, bad); err == nil {
				t.Errorf("Record(%+v) accepted", bad)
			}
		}
		stop := errors.New("enough")
		n := 0
		if err := s.Audit(ctx, AuditQuery{}, func(Decision) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
			t.Errorf("an error from each: %v after %d decisions, want it at once", err, n)
		}
		for _, bad := range []AuditQuery{{SHA: "abc"}, {SHA: "not-hex"}, {Limit: -1}, {Limit: maxAuditN + 1}} {
			if err := s.Audit(ctx, bad, func(Decision) error { return nil }); err == nil {
				t.Errorf("Audit(%+v) accepted", bad)
			}
		}
	})
}

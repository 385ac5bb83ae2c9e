package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Decision is one entry of the audit log: a gate's verdict on a commit and
// what it was judged on. Text fields come from repositories and events:
// whoever renders them neutralises them for the medium.
type Decision struct {
	ID           int64     `json:"id"`
	At           time.Time `json:"at"`
	Repository   string    `json:"repository"`
	Ref          string    `json:"ref,omitempty"` // the tag, branch or pull request ref judged
	SHA          string    `json:"sha"`
	Gate         string    `json:"gate"`    // "pr", "release" …
	Verdict      string    `json:"verdict"` // "pass", "fail", "error" …
	PolicyDigest string    `json:"policy_digest,omitempty"`
	InputsDigest string    `json:"inputs_digest,omitempty"`
	DeliveryID   string    `json:"delivery_id,omitempty"`
	JobID        int64     `json:"job_id,omitempty"`
	Detail       string    `json:"detail,omitempty"` // a summary, or the reason of an error
}

// AuditHeader names the columns of Decision.Fields, for text tables and CSV.
var AuditHeader = []string{"id", "at", "repository", "ref", "sha", "gate", "verdict", "policy digest", "inputs digest", "delivery", "job", "detail"}

// Fields is the decision as text, in AuditHeader's order.
func (d Decision) Fields() []string {
	job := ""
	if d.JobID != 0 {
		job = strconv.FormatInt(d.JobID, 10)
	}
	return []string{strconv.FormatInt(d.ID, 10), d.At.UTC().Format(time.RFC3339), d.Repository, d.Ref, d.SHA, d.Gate, d.Verdict,
		d.PolicyDigest, d.InputsDigest, d.DeliveryID, job, d.Detail}
}

// AuditQuery selects decisions; empty fields do not filter.
type AuditQuery struct {
	Repository string    // owner/name, case-insensitive
	SHA        string    // a commit, or a prefix of one (at least 4 hex digits)
	Gate       string    // exact
	Since      time.Time // decided at or after
	// Limit keeps the newest Limit decisions; default 1,000, at most 100,000.
	Limit int
}

const (
	maxDetail      = 64 << 10
	defaultAuditN  = 1000
	maxAuditN      = 100_000
	minSHAPrefix   = 4
	maxSHA         = 64 // SHA-256 object names
	maxAuditString = 1024
)

func isHex(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}

func (d Decision) validate() error {
	switch {
	case d.Repository == "" || d.Gate == "" || d.Verdict == "":
		return fmt.Errorf("a decision needs a repository, a gate and a verdict")
	case len(d.SHA) < 7 || len(d.SHA) > maxSHA || !isHex(d.SHA):
		return fmt.Errorf("decision on %s: SHA %q: want 7–64 lower-case hex digits", d.Repository, d.SHA)
	case len(d.Detail) > maxDetail:
		return fmt.Errorf("decision on %s@%s: detail of %d bytes exceeds %d", d.Repository, d.SHA, len(d.Detail), maxDetail)
	case d.JobID < 0:
		return fmt.Errorf("decision on %s@%s: negative job ID", d.Repository, d.SHA)
	}
	for _, f := range []string{d.Repository, d.Ref, d.Gate, d.Verdict, d.PolicyDigest, d.InputsDigest, d.DeliveryID} {
		if len(f) > maxAuditString {
			return fmt.Errorf("decision on %s: a field exceeds %d bytes", d.SHA, maxAuditString)
		}
	}
	return nil
}

// Record appends d to the audit log (at now when d.At is zero) and returns
// it with its ID. The table refuses updates and deletes.
func (s *db) Record(ctx context.Context, d Decision) (Decision, error) {
	d.SHA = strings.ToLower(d.SHA)
	d.Detail = strings.ToValidUTF8(d.Detail, "\uFFFD")
	if err := d.validate(); err != nil {
		return Decision{}, fmt.Errorf("record decision: %w", err)
	}
	if d.At.IsZero() {
		d.At = s.now()
	}
	d.At = fromMicros(micros(d.At))
	err := s.writeOne(ctx, fmt.Sprintf("record decision on %s@%s", d.Repository, d.SHA), func(ctx context.Context, q querier) error {
		return q.QueryRowContext(ctx, `INSERT INTO audit (repository, ref, sha, gate, verdict, policy_digest, inputs_digest, delivery_id, job_id, decided_at, detail)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			d.Repository, d.Ref, d.SHA, d.Gate, d.Verdict, d.PolicyDigest, d.InputsDigest, d.DeliveryID, d.JobID, micros(d.At), d.Detail).Scan(&d.ID)
	})
	if err != nil {
		return Decision{}, err
	}
	return d, nil
}

// Audit streams the decisions q selects, oldest first: the newest Limit are
// selected and then put back in time order.
func (s *db) Audit(ctx context.Context, q AuditQuery, each func(Decision) error) error {
	n := q.Limit
	switch {
	case n == 0:
		n = defaultAuditN
	case n < 0 || n > maxAuditN:
		return fmt.Errorf("audit query: limit %d: want 1–%d", q.Limit, maxAuditN)
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q.Repository != "" {
		where = append(where, "lower(repository) = lower("+arg(q.Repository)+")")
	}
	if q.SHA != "" {
		sha := strings.ToLower(q.SHA)
		if len(sha) < minSHAPrefix || len(sha) > maxSHA || !isHex(sha) {
			return fmt.Errorf("audit query: SHA %q: want %d–%d hex digits", q.SHA, minSHAPrefix, maxSHA)
		}
		if len(sha) == 40 || len(sha) == 64 {
			where = append(where, "sha = "+arg(sha))
		} else {
			where = append(where, "substr(sha, 1, "+arg(len(sha))+") = "+arg(sha))
		}
	}
	if q.Gate != "" {
		where = append(where, "gate = "+arg(q.Gate))
	}
	if !q.Since.IsZero() {
		where = append(where, "decided_at >= "+arg(micros(q.Since)))
	}
	const cols = `id, repository, ref, sha, gate, verdict, policy_digest, inputs_digest, delivery_id, job_id, decided_at, detail`
	inner := `SELECT ` + cols + ` FROM audit`
	if len(where) > 0 {
		inner += " WHERE " + strings.Join(where, " AND ")
	}
	inner += " ORDER BY decided_at DESC, id DESC LIMIT " + arg(n)
	rows, err := s.r.QueryContext(ctx, `SELECT `+cols+` FROM (`+inner+`) newest ORDER BY decided_at, id`, args...)
	if err != nil {
		return fmt.Errorf("audit query (%s): %w", s.d.name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var d Decision
		var at int64
		if err := rows.Scan(&d.ID, &d.Repository, &d.Ref, &d.SHA, &d.Gate, &d.Verdict, &d.PolicyDigest, &d.InputsDigest, &d.DeliveryID, &d.JobID, &at, &d.Detail); err != nil {
			return fmt.Errorf("audit query (%s): %w", s.d.name, err)
		}
		d.At = fromMicros(at)
		if err := each(d); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("audit query (%s): %w", s.d.name, err)
	}
	return nil
}

package osv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tracegate/tracegate/internal/input"
)

// Record is an OSV record (https://ossf.github.io/osv-schema/), reduced to
// what the SOUP register and the anomaly reports use. It marshals back to
// OSV JSON, so a report can carry the record an auditor can look up.
type Record struct {
	SchemaVersion    string          `json:"schema_version,omitempty"`
	ID               string          `json:"id"`
	Modified         Timestamp       `json:"modified"`
	Published        Timestamp       `json:"published,omitzero"`
	Withdrawn        Timestamp       `json:"withdrawn,omitzero"`
	Aliases          []string        `json:"aliases,omitempty"`
	Related          []string        `json:"related,omitempty"`
	Upstream         []string        `json:"upstream,omitempty"`
	Summary          string          `json:"summary,omitempty"`
	Details          string          `json:"details,omitempty"`
	Severity         []Severity      `json:"severity,omitempty"`
	Affected         []Affected      `json:"affected,omitempty"`
	References       []Reference     `json:"references,omitempty"`
	DatabaseSpecific json.RawMessage `json:"database_specific,omitempty"`

	// DetailsTruncated says Details was cut to MaxDetails bytes; the full
	// text is in the database under ID.
	DetailsTruncated bool `json:"-"`
}

// Severity is a CVSS vector (CVSS_V2, CVSS_V3, CVSS_V4) or another scale
// the schema defines (Ubuntu).
type Severity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

// Affected is one package (or, for GIT-only records, one repository) and
// the versions of it the record concerns.
type Affected struct {
	Package           *PackageRef     `json:"package,omitempty"`
	Severity          []Severity      `json:"severity,omitempty"`
	Ranges            []Range         `json:"ranges,omitempty"`
	Versions          []string        `json:"versions,omitempty"`
	EcosystemSpecific json.RawMessage `json:"ecosystem_specific,omitempty"`
	DatabaseSpecific  json.RawMessage `json:"database_specific,omitempty"`
}

// PackageRef names a package in an OSV ecosystem.
type PackageRef struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	PURL      string `json:"purl,omitempty"`
}

// Range is a timeline of events over one version ordering: SEMVER,
// ECOSYSTEM (the package ecosystem's own) or GIT (commits).
type Range struct {
	Type             string          `json:"type"`
	Repo             string          `json:"repo,omitempty"`
	Events           []Event         `json:"events"`
	DatabaseSpecific json.RawMessage `json:"database_specific,omitempty"`
}

// Event is one status change; the schema allows exactly one field per event.
type Event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
	Limit        string `json:"limit,omitempty"`
}

// Reference is a link the record cites (ADVISORY, FIX, REPORT, WEB …).
type Reference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// Timestamp is an RFC 3339 time as the record wrote it. Raw keeps the text
// so that a time that does not parse is still seen (and written back) as
// set, rather than vanishing.
type Timestamp struct {
	Time time.Time
	Raw  string
}

// IsZero reports whether the field was absent (or null); omitzero uses it.
func (t Timestamp) IsZero() bool { return t.Raw == "" && t.Time.IsZero() }

// Valid reports whether the field is set and parsed as RFC 3339.
func (t Timestamp) Valid() bool { return (t.Raw != "" && !t.Time.IsZero()) || t.Raw == zeroTime }

// zeroTime is Go's zero time.Time as encoding/json writes it. Go vulndb
// fixtures carry it for unset dates (osv-scalibr GO-2024-2887).
const zeroTime = "0001-01-01T00:00:00Z"

func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*t = Timestamp{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		// Not wrapped: encoding/json would report the inner offset as the
		// record's.
		return fmt.Errorf("a timestamp must be a string, found %.40s", b)
	}
	*t = Timestamp{Raw: s}
	if tm, err := time.Parse(time.RFC3339Nano, s); err == nil {
		t.Time = tm
	}
	return nil
}

func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.Raw != "" {
		return json.Marshal(t.Raw)
	}
	return json.Marshal(t.Time.UTC().Format(time.RFC3339Nano))
}

func (t Timestamp) String() string {
	if t.Raw != "" {
		return t.Raw
	}
	if t.Time.IsZero() {
		return ""
	}
	return t.Time.UTC().Format(time.RFC3339)
}

// MaxDetails bounds the details text kept per record: reports quote it,
// the database keeps the rest. Records of the Linux kernel run to hundreds
// of kilobytes.
const MaxDetails = 16 << 10

// supportedSchemaMajor is the OSV schema major version this reader knows.
// Minor versions only add fields (the schema promises backward-compatible
// changes within a major version).
const supportedSchemaMajor = 1

// ParseRecord reads one OSV record. It is tolerant where the data is
// tolerable: unknown fields, records without affected, null lists and
// unparseable dates are accepted, and notes says what was read differently
// from what the record said. A record that is not a JSON object, has no id
// or whose fields have the wrong JSON types is an error.
func ParseRecord(data []byte) (rec *Record, notes []string, err error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return nil, nil, errors.New("not a JSON object")
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, nil, describeJSONError(data, err)
	}
	r.ID = strings.TrimSpace(r.ID)
	if r.ID == "" {
		return nil, nil, errors.New("record has no id")
	}
	if !r.Modified.Valid() {
		if r.Modified.Raw == "" {
			notes = append(notes, "no modified date")
		} else {
			notes = append(notes, fmt.Sprintf("modified date %q is not RFC 3339", r.Modified.Raw))
		}
	}
	if r.Withdrawn.Raw != "" && !r.Withdrawn.Valid() {
		notes = append(notes, fmt.Sprintf("withdrawn date %q is not RFC 3339: the record is kept as not withdrawn", r.Withdrawn.Raw))
	}
	if major, ok := schemaMajor(r.SchemaVersion); ok && major > supportedSchemaMajor {
		notes = append(notes, fmt.Sprintf("schema_version %s is newer than the %d.x this reader knows: read as %d.x", r.SchemaVersion, supportedSchemaMajor, supportedSchemaMajor))
	}
	if len(r.Details) > MaxDetails {
		cut := MaxDetails
		for cut > 0 && !utf8.RuneStart(r.Details[cut]) {
			cut--
		}
		r.Details = r.Details[:cut]
		r.DetailsTruncated = true
	}
	return &r, notes, nil
}

func schemaMajor(v string) (int, bool) {
	if v == "" {
		return 0, false
	}
	head, _, _ := strings.Cut(v, ".")
	n, err := strconv.Atoi(head)
	return n, err == nil
}

// describeJSONError turns encoding/json's error into one that says where
// in the record the problem is.
func describeJSONError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		p := input.PosAt("", data, se.Offset)
		line, col := p.Line, p.Col
		return fmt.Errorf("invalid JSON at line %d, column %d: %v", line, col, se)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		p := input.PosAt("", data, te.Offset)
		line, col := p.Line, p.Col
		return fmt.Errorf("field %s at line %d, column %d: %s where the OSV schema has %s", te.Field, line, col, te.Value, te.Type)
	}
	return err
}

// IsWithdrawn reports whether the record was withdrawn by its database.
// Withdrawn records are not anomalies of anything, but they are reported
// as such so the review shows they were seen. A zero or unparseable date
// does not count: Go's zero time is what an unset date serialises to, and
// a record hidden because of a date nobody can read would be a missed
// anomaly.
func (r *Record) IsWithdrawn() bool {
	return r.Withdrawn.Raw != zeroTime && !r.Withdrawn.Time.IsZero() && !r.Withdrawn.Time.After(time.Now())
}

// DatabaseSeverity is the severity word the source database assigned
// (database_specific.severity, as GitHub's advisories carry "HIGH"), or "".
func (r *Record) DatabaseSeverity() string {
	if len(r.DatabaseSpecific) == 0 {
		return ""
	}
	var ds struct {
		Severity json.RawMessage `json:"severity"`
	}
	if json.Unmarshal(r.DatabaseSpecific, &ds) != nil {
		return ""
	}
	var s string
	if json.Unmarshal(ds.Severity, &s) != nil {
		return ""
	}
	return s
}

// kind returns the event's one field, or "" when it has none or several
// (both are schema violations that make the range unusable).
func (e Event) kind() (kind, value string) {
	n := 0
	for _, f := range [...]struct{ k, v string }{
		{"introduced", e.Introduced}, {"fixed", e.Fixed},
		{"last_affected", e.LastAffected}, {"limit", e.Limit},
	} {
		if f.v != "" {
			n++
			kind, value = f.k, f.v
		}
	}
	if n != 1 {
		return "", ""
	}
	return kind, value
}

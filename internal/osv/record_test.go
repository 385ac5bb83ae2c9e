package osv

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tracegate/tracegate/internal/yamlsrc/schematest"
)

func osvSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	sch, err := schematest.Compile("https://raw.githubusercontent.com/ossf/osv-schema/main/validation/schema.json",
		readCorpus(t, "schema/ossf-osv-schema__schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validate(sch *jsonschema.Schema, data []byte) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(doc)
}

// Every real record parses, and what the parser kept is still a valid OSV
// record when written back: the fields the register and reports use are
// the schema's, not an approximation of them.
func TestParseRecordCorpus(t *testing.T) {
	sch := osvSchema(t)
	for _, f := range corpusFiles(t, "records") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data := readCorpus(t, "records/"+filepath.Base(f))
			if err := validate(sch, data); err != nil {
				t.Fatalf("the corpus record itself fails the schema: %v", err)
			}
			rec, notes, err := ParseRecord(data)
			if err != nil {
				t.Fatal(err)
			}
			if len(notes) > 0 {
				t.Errorf("notes on a valid record: %v", notes)
			}
			if rec.ID != recordID(t, data) {
				t.Errorf("id = %q", rec.ID)
			}
			out, err := json.Marshal(rec)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(sch, out); err != nil {
				t.Errorf("written back, the record fails the schema: %v\n%s", err, out)
			}
			// Nothing the register needs is lost on the way.
			var orig, back map[string]any
			json.Unmarshal(data, &orig)
			json.Unmarshal(out, &back)
			for _, k := range []string{"id", "modified", "published", "withdrawn", "aliases", "related", "summary", "details", "severity", "affected", "references", "schema_version", "database_specific"} {
				if !jsonEqual(orig[k], back[k]) {
					t.Errorf("field %s changed:\n was %v\n now %v", k, orig[k], back[k])
				}
			}
		})
	}
}

// jsonEqual compares decoded JSON values; an empty list and no list say
// the same.
func jsonEqual(a, b any) bool {
	if l, ok := a.([]any); ok && len(l) == 0 && b == nil {
		return true
	}
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// The osv-linter's negative fixtures: one breaks the schema, two break
// rules only the linter knows. All three are read; what they mean for
// matching is tested with the matcher.
func TestParseRecordLinterFixtures(t *testing.T) {
	sch := osvSchema(t)
	for _, tc := range []struct {
		file        string
		schemaValid bool
	}{
		{"ossf-osv-schema__nointroduced-CVE-2023-41045.json", false},
		{"ossf-osv-schema__nondistinct-CVE-2018-5407.json", true},
		{"ossf-osv-schema__nopackage-GHSA-9v2f-6vcg-3hgv.json", true},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data := readCorpus(t, "records-invalid/"+tc.file)
			if err := validate(sch, data); (err == nil) != tc.schemaValid {
				t.Errorf("schema validation error = %v, want valid = %v", err, tc.schemaValid)
			}
			if _, _, err := ParseRecord(data); err != nil {
				t.Errorf("ParseRecord: %v", err)
			}
		})
	}
}

func TestParseRecordTolerance(t *testing.T) {
	long := strings.Repeat("é", MaxDetails) // two bytes per rune: cut mid-rune
	for _, tc := range []struct {
		name      string
		json      string
		wantErr   string
		wantNote  string
		check     func(t *testing.T, r *Record)
		withdrawn bool
	}{
		{name: "no affected", json: `{"id":"RHSA-2022:0216","modified":"2022-01-20T00:00:00Z"}`,
			check: func(t *testing.T, r *Record) {
				if r.Affected != nil {
					t.Errorf("affected = %v", r.Affected)
				}
			}},
		{name: "empty affected", json: `{"id":"SUSE-FU-2022:0444-1","modified":"2022-02-16T00:00:00Z","affected":[]}`},
		{name: "null lists", json: `{"id":"X-1","modified":"2022-02-16T00:00:00Z","affected":null,"aliases":null,"severity":null,"references":null}`},
		{name: "affected without package", json: `{"id":"CVE-1","modified":"2022-02-16T00:00:00Z","affected":[{"ranges":[{"type":"GIT","repo":"r","events":[{"introduced":"0"}]}]}]}`,
			check: func(t *testing.T, r *Record) {
				if r.Affected[0].Package != nil {
					t.Error("package invented")
				}
			}},
		{name: "unknown fields", json: `{"id":"X-2","modified":"2022-02-16T00:00:00Z","x_new":{"a":[1]},"affected":[{"package":{"ecosystem":"npm","name":"a","x":1},"x_range":true}]}`},
		{name: "zero dates", json: `{"id":"GO-2024-2887","modified":"0001-01-01T00:00:00Z","published":"0001-01-01T00:00:00Z"}`},
		{name: "zero withdrawn is not a withdrawal", json: `{"id":"X-3","modified":"2022-02-16T00:00:00Z","withdrawn":"0001-01-01T00:00:00Z"}`},
		{name: "withdrawn", json: `{"id":"X-4","modified":"2022-02-16T00:00:00Z","withdrawn":"2022-03-01T10:00:00.123Z"}`, withdrawn: true},
		{name: "unreadable withdrawn is kept", json: `{"id":"X-5","modified":"2022-02-16T00:00:00Z","withdrawn":"last week"}`,
			wantNote: "kept as not withdrawn"},
		{name: "no modified", json: `{"id":"X-6"}`, wantNote: "no modified date"},
		{name: "bad modified", json: `{"id":"X-7","modified":"2022-02-16"}`, wantNote: "not RFC 3339"},
		{name: "newer schema", json: `{"id":"X-8","modified":"2022-02-16T00:00:00Z","schema_version":"2.0.0"}`, wantNote: "newer than the 1.x"},
		{name: "long details", json: `{"id":"X-9","modified":"2022-02-16T00:00:00Z","details":"` + long + `"}`,
			check: func(t *testing.T, r *Record) {
				if !r.DetailsTruncated || len(r.Details) > MaxDetails || !utf8.ValidString(r.Details) {
					t.Errorf("details: truncated=%v len=%d valid=%v", r.DetailsTruncated, len(r.Details), utf8.ValidString(r.Details))
				}
			}},
		{name: "database severity", json: `{"id":"GHSA-x","modified":"2022-02-16T00:00:00Z","database_specific":{"severity":"HIGH","cwe_ids":[]}}`,
			check: func(t *testing.T, r *Record) {
				if r.DatabaseSeverity() != "HIGH" {
					t.Errorf("DatabaseSeverity = %q", r.DatabaseSeverity())
				}
			}},
		{name: "not an object", json: `[]`, wantErr: "not a JSON object"},
		{name: "empty", json: ``, wantErr: "not a JSON object"},
		{name: "no id", json: `{"modified":"2022-02-16T00:00:00Z"}`, wantErr: "no id"},
		{name: "id not a string", json: `{"id":5}`, wantErr: "field id"},
		{name: "affected not a list", json: "{\"id\":\"X\",\n \"affected\":{}}", wantErr: "line 2"},
		{name: "broken JSON", json: `{"id":"X",}`, wantErr: "invalid JSON at line 1"},
		{name: "date not a string", json: `{"id":"X","modified":20220216}`, wantErr: "timestamp must be a string, found 20220216"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, notes, err := ParseRecord([]byte(tc.json))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantNote == "" && len(notes) > 0 {
				t.Errorf("notes = %v", notes)
			}
			if tc.wantNote != "" && !slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, tc.wantNote) }) {
				t.Errorf("notes = %v, want one with %q", notes, tc.wantNote)
			}
			if rec.IsWithdrawn() != tc.withdrawn {
				t.Errorf("IsWithdrawn = %v", rec.IsWithdrawn())
			}
			if tc.check != nil {
				tc.check(t, rec)
			}
		})
	}
}

// The ecosystem list is the schema's: a package in an ecosystem OSV
// added later is not checked until tracegate knows it, rather than being
// matched against nothing.
func TestEcosystemsAreTheSchemas(t *testing.T) {
	var s struct {
		Defs struct {
			EcosystemName struct {
				Enum []string `json:"enum"`
			} `json:"ecosystemName"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(readCorpus(t, "schema/ossf-osv-schema__schema.json"), &s); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Defs.EcosystemName.Enum, ecosystems) {
		t.Errorf("ecosystems differ from the schema's:\n schema %v\n code   %v", s.Defs.EcosystemName.Enum, ecosystems)
	}
}

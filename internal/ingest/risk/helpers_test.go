package risk

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
)

// repo is the repository root, where the fixtures under testdata/formats
// live with the paths the policy would give them.
var repo = os.DirFS("../../..")

// mustRead returns the content of a fixture.
func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	data, err := fs.ReadFile(repo, path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// readText reads content as the file name with r.
func readText(t testing.TB, r ingest.Reader, name, content string) (*ingest.Items, error) {
	t.Helper()
	return r.Read(fstest.MapFS{name: {Data: []byte(content)}}, name)
}

// wantErr is an expected error: its position and a part of its message.
type wantErr struct {
	pos string // file:line[:col]
	msg string
}

// checkErrs asserts that err holds exactly the expected errors, in order.
func checkErrs(t *testing.T, err error, want []wantErr) {
	t.Helper()
	var got input.Errors
	var one *input.Error
	switch {
	case err == nil:
	case errors.As(err, &got):
	case errors.As(err, &one):
		got = input.Errors{one}
	default:
		t.Fatalf("error %v (%T) is not an input error", err, err)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(got), len(want), err)
	}
	for i, w := range want {
		if p := got[i].Pos.String(); p != w.pos {
			t.Errorf("error %d at %s, want %s: %v", i, p, w.pos, got[i])
		}
		if !strings.Contains(got[i].Error(), w.msg) {
			t.Errorf("error %d = %q, want it to contain %q", i, got[i].Error(), w.msg)
		}
	}
}

// checkWarns asserts that warns are exactly the expected ones, in order.
func checkWarns(t *testing.T, warns []input.Warning, want []wantErr) {
	t.Helper()
	if len(warns) != len(want) {
		t.Fatalf("got %d warnings, want %d: %v", len(warns), len(want), warns)
	}
	for i, w := range want {
		if p := warns[i].Pos.String(); p != w.pos {
			t.Errorf("warning %d at %s, want %s: %v", i, p, w.pos, warns[i])
		}
		if !strings.Contains(warns[i].Msg, w.msg) {
			t.Errorf("warning %d = %q, want it to contain %q", i, warns[i].Msg, w.msg)
		}
	}
}

// checkWellFormed is the property of every fuzz target: a reader returns
// either an input error naming the file, or items that are well formed.
func checkWellFormed(t *testing.T, file, format string, items *ingest.Items, err error) {
	t.Helper()
	if err != nil {
		var es input.Errors
		var e *input.Error
		switch {
		case errors.As(err, &es):
			if len(es) == 0 {
				t.Fatal("empty input.Errors")
			}
			for _, e := range es {
				if e.Pos.File != file {
					t.Fatalf("error names %q, not %q: %v", e.Pos.File, file, e)
				}
			}
		case errors.As(err, &e):
			if e.Pos.File != file {
				t.Fatalf("error names %q, not %q: %v", e.Pos.File, file, e)
			}
		default:
			t.Fatalf("error %v (%T) is not an input error", err, err)
		}
		if items != nil {
			t.Fatalf("items returned with an error: %+v", items)
		}
		return
	}
	if items == nil {
		t.Fatal("no items and no error")
	}
	trimmed := func(what, s string) {
		if strings.TrimSpace(s) != s {
			t.Fatalf("%s %q is not trimmed", what, s)
		}
	}
	ids := func(what string, list []string) {
		seen := map[string]bool{}
		for _, id := range list {
			if !isIDToken(id) || seen[id] {
				t.Fatalf("%s: bad or repeated ID %q in %q", what, id, list)
			}
			seen[id] = true
		}
	}
	source := func(what string, p input.Pos, f string) {
		if p.File != file || p.Line <= 0 || f != format {
			t.Fatalf("%s: source %v, format %q", what, p, f)
		}
	}
	for _, h := range items.Hazards {
		if !isIDToken(h.ID) {
			t.Fatalf("hazard ID %q", h.ID)
		}
		source(h.ID, h.Source, h.Format)
		for _, s := range []string{h.Title, h.Hazard, h.Cause, h.Situation, h.Harm, h.BenefitRisk,
			h.Initial.Severity, h.Initial.Probability, h.Residual.Severity, h.Residual.Probability} {
			trimmed(h.ID, s)
		}
		if h.Initial.Acceptability != "" || h.Residual.Acceptability != "" {
			t.Fatalf("%s: a reader filled the computed acceptability", h.ID)
		}
		ids(h.ID, h.Controls)
	}
	for _, c := range items.RiskControls {
		if !isIDToken(c.ID) {
			t.Fatalf("control ID %q", c.ID)
		}
		source(c.ID, c.Source, c.Format)
		if c.Kind != "" && !slices.Contains(Kinds, c.Kind) {
			t.Fatalf("%s: kind %q", c.ID, c.Kind)
		}
		for _, s := range []string{c.Title, c.Description} {
			trimmed(c.ID, s)
		}
		ids(c.ID, c.Hazards)
		ids(c.ID, c.Requirements)
	}
	for _, w := range items.Warnings {
		if w.Pos.File != file || w.Msg == "" {
			t.Fatalf("warning %v", w)
		}
	}
}

// fuzzRead runs r over data as file, never letting a panic pass.
func fuzzRead(t *testing.T, r ingest.Reader, file string, data []byte) {
	items, err := r.Read(fstest.MapFS{file: {Data: data}}, file)
	checkWellFormed(t, file, r.Format(), items, err)
	// Detect must not panic on any head either.
	r.Detect(nil, file, data)
}

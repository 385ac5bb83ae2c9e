package requirement

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// repo is the repository root, where the fixtures live under
// testdata/formats; paths in results are relative to it, as in a real run.
var repo = os.DirFS("../../..")

// summary renders the fields of a requirement that the tables compare, so
// that a failing case shows every difference at once.
func summary(r model.Requirement) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s@%d:%d", r.ID, r.Source.Line, r.Source.Col)
	for _, f := range []struct{ k, v string }{
		{"type", r.Type}, {"item", r.Item}, {"class", string(r.Class)}, {"status", r.Status},
		{"verification", r.Verification},
		{"parents", strings.Join(r.Parents, ",")}, {"rc", strings.Join(r.RiskControls, ",")},
		{"introduces", strings.Join(r.Introduces, ",")},
		{"evidence", strings.Join(r.Evidence, ",")}, {"tests", strings.Join(r.Tests, ",")},
	} {
		if f.v != "" {
			fmt.Fprintf(&b, " %s=%s", f.k, f.v)
		}
	}
	return b.String()
}

func summaries(rs []model.Requirement) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = summary(r)
	}
	return out
}

func warnings(ws []input.Warning) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.String()
	}
	return out
}

// errorList flattens what a reader returned into its input errors, failing
// the test when the error is of another kind: every reader error must name
// a file.
func errorList(t *testing.T, err error) []*input.Error {
	t.Helper()
	var es input.Errors
	if errors.As(err, &es) {
		return es
	}
	if e, ok := input.AsError(err); ok {
		return []*input.Error{e}
	}
	t.Fatalf("error %v (%T) is not an input error", err, err)
	return nil
}

// wantErr is an expected error: its position (file:line:col) and a part of
// its message.
type wantErr struct{ at, msg string }

func checkErrors(t *testing.T, err error, want []wantErr) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", want)
	}
	got := errorList(t, err)
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(got), len(want), err)
	}
	for i, w := range want {
		if got[i].Pos.String() != w.at || !strings.Contains(got[i].Msg, w.msg) {
			t.Errorf("error %d = %q at %s, want %q at %s", i, got[i].Msg, got[i].Pos, w.msg, w.at)
		}
	}
}

// readCase is one inline input of a reader table.
type readCase struct {
	name  string
	files fstest.MapFS
	path  string
	want  []string  // summaries, when the file reads
	warns []string  // warnings (their String()), when the file reads
	errs  []wantErr // errors, when it does not
}

func runReadCases(t *testing.T, r ingest.Reader, cases []readCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			items, err := r.Read(c.files, c.path)
			if c.errs != nil {
				checkErrors(t, err, c.errs)
				if items != nil {
					t.Errorf("items %v returned with an error", summaries(items.Requirements))
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			checkWellFormed(t, r, c.path, items)
			if got := summaries(items.Requirements); !slices.Equal(got, c.want) {
				t.Errorf("requirements:\n got %q\nwant %q", got, c.want)
			}
			if got := warnings(items.Warnings); !slices.Equal(got, c.warns) {
				t.Errorf("warnings:\n got %q\nwant %q", got, c.warns)
			}
		})
	}
}

// mapFS builds a file system from path/content pairs.
func mapFS(pairs ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = &fstest.MapFile{Data: []byte(pairs[i+1])}
	}
	return m
}

// checkWellFormed asserts what every reader promises of a result: IDs,
// strings and list entries trimmed and non-empty, lists without duplicates,
// the item's file and line, the reader's name, and values the model allows.
func checkWellFormed(t testing.TB, r ingest.Reader, path string, items *ingest.Items) {
	t.Helper()
	if items == nil {
		t.Fatalf("%s: nil items without an error", path)
	}
	for _, q := range items.Requirements {
		if q.ID == "" || q.ID != strings.TrimSpace(q.ID) {
			t.Errorf("%s: ID %q is blank or untrimmed", path, q.ID)
		}
		if q.Source.File != path || q.Source.Line < 1 {
			t.Errorf("%s: %s has source %v", path, q.ID, q.Source)
		}
		if q.Format != r.Format() {
			t.Errorf("%s: %s has format %q, want %q", path, q.ID, q.Format, r.Format())
		}
		for _, s := range []string{q.Title, q.Text, q.Item} {
			if s != strings.TrimSpace(s) {
				t.Errorf("%s: %s has untrimmed text %q", path, q.ID, s)
			}
		}
		for _, s := range []string{q.Type, q.Status} {
			if s != strings.ToLower(strings.TrimSpace(s)) {
				t.Errorf("%s: %s has %q, want it trimmed and lower-cased", path, q.ID, s)
			}
		}
		if q.Class != "" && q.Class != model.ClassA && q.Class != model.ClassB && q.Class != model.ClassC {
			t.Errorf("%s: %s has class %q", path, q.ID, q.Class)
		}
		if q.Verification != "" && !slices.Contains(model.VerificationMethods, q.Verification) {
			t.Errorf("%s: %s has verification %q", path, q.ID, q.Verification)
		}
		for _, list := range [][]string{q.Parents, q.RiskControls, q.Evidence, q.Tests} {
			for i, s := range list {
				if s == "" || s != strings.TrimSpace(s) || slices.Contains(list[:i], s) {
					t.Errorf("%s: %s has a blank, untrimmed or repeated entry %q in %q", path, q.ID, s, list)
				}
			}
		}
	}
	for _, w := range items.Warnings {
		if w.Pos.File == "" || w.Msg == "" {
			t.Errorf("%s: warning %q names no file", path, w)
		}
	}
}

// readFile reads one file of the repository with r.
func readFile(t *testing.T, r ingest.Reader, path string) *ingest.Items {
	t.Helper()
	items, err := r.Read(repo, path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	checkWellFormed(t, r, path, items)
	return items
}

var _ fs.FS = fstest.MapFS{}

// docBlocks reads the yaml and markdown code blocks of one section of
// docs/formats.md, from its heading to the next heading of the page (a
// "#" inside a code block is the example's own), so that tests can hold
// the documented examples to the readers.
func docBlocks(t *testing.T, heading string) (yamls, markdowns []string) {
	t.Helper()
	doc, err := fs.ReadFile(repo, "docs/formats.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, _ := strings.Cut(string(doc), heading)
	blocks := strings.Split(sec, "```")
	for i := 0; i < len(blocks); i++ {
		if i%2 == 0 {
			if j := strings.Index(blocks[i], "\n#"); j >= 0 {
				break // the next section
			}
			continue
		}
		lang, body, _ := strings.Cut(blocks[i], "\n")
		switch lang {
		case "yaml":
			yamls = append(yamls, body)
		case "markdown":
			markdowns = append(markdowns, body)
		}
	}
	return yamls, markdowns
}

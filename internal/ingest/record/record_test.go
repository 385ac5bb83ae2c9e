package record

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/model"
)

func read(t *testing.T, src string) ([]model.Record, error) {
	t.Helper()
	recs, _, err := Reader{}.Read(fstest.MapFS{"r.yml": {Data: []byte(src)}}, "r.yml", model.KindProblemReport)
	return recs, err
}

func TestRead(t *testing.T) {
	recs, err := read(t, `id: PRB-7
title: Rounding
state: Open
criticality: minor
investigation: |
  float
scope: ""
count: 3
`)
	if err != nil {
		t.Fatal(err)
	}
	r := recs[0]
	if r.ID != "PRB-7" || r.State != "open" || r.Fields["criticality"] != "minor" || r.Fields["investigation"] != "float" ||
		r.Fields["count"] != "3" || len(r.Fields) != 3 || r.Kind != model.KindProblemReport || r.Source.Line != 1 {
		t.Errorf("record = %+v", r)
	}
	recs, err = read(t, "- id: CR-1\n  approved: true\n  approved_by: QA\n- id: CR-2\n")
	if err != nil || len(recs) != 2 || !recs[0].Approved || recs[0].ApprovedBy != "QA" || recs[1].Source.Line != 4 {
		t.Errorf("list: %+v, %v", recs, err)
	}
}

func TestReadErrors(t *testing.T) {
	for src, want := range map[string]string{
		"title: no id\n":               "r.yml:1:1",
		"id: PRB-1\nstate: pending\n":  "r.yml:2:8: state",
		"id: PRB-1\nlabels: bug\n":     "r.yml:2:9: labels",
		"id: PRB-1\nnotes: [a, b]\n":   "r.yml:2:8: notes",
		"id: PRB-1\napproved: yes-ish": "r.yml:2:11: approved",
		"id: [\n":                      "r.yml:1:5: invalid YAML",
	} {
		_, err := read(t, src)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", src, err, want)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, s := range []string{"id: PRB-1\nstate: open\ncriticality: high\n", "- id: CR-1\n  approved: true\n", "", "---\n---\n", "id: 5\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, _, err := Reader{}.Read(fstest.MapFS{"r.yml": {Data: data}}, "r.yml", model.KindChangeRequest)
		if err != nil {
			if !strings.Contains(err.Error(), "r.yml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, r := range recs {
			if r.ID == "" || r.Kind != model.KindChangeRequest {
				t.Fatalf("record without ID or kind: %+v", r)
			}
		}
	})
}

// A change request's commits list: SHAs it traces after the fact; a
// list item that is no SHA is an error at its line.
func TestReadCommits(t *testing.T) {
	recs, err := read(t, "id: CR-9\napproved: true\ncommits:\n  - 3f2a9c1\n  - 0123456789abcdef0123456789abcdef01234567\n")
	if err != nil || len(recs) != 1 {
		t.Fatalf("%+v, %v", recs, err)
	}
	r := recs[0]
	if len(r.Commits) != 2 || r.Commits[0] != "3f2a9c1" || len(r.Fields) != 0 {
		t.Errorf("record = %+v", r)
	}
	if !r.ListsCommit("3F2A9C1d0000000000000000000000000000000") || !r.ListsCommit("0123456789abcdef0123456789abcdef01234567") || r.ListsCommit("3f2a9c2000000000000000000000000000000000") {
		t.Errorf("ListsCommit: %+v", r.Commits)
	}
	if _, err := read(t, "id: CR-9\ncommits: [abc]\n"); err == nil || !strings.Contains(err.Error(), "r.yml:2:") {
		t.Errorf("a 3-digit SHA: %v", err)
	}
}

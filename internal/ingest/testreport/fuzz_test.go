package testreport

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// seedFixtures adds every fixture under dir to the corpus.
func seedFixtures(f *testing.F, dir string) {
	entries, err := fs.ReadDir(repo, dir)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		data, err := fs.ReadFile(repo, dir+"/"+e.Name())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// checkItems is the property of every reader: an error that names the
// file, or cases that are well formed.
func checkItems(t *testing.T, format, p string, items *ingest.Items, err error) {
	if err != nil {
		e, ok := input.AsError(err)
		if !ok {
			t.Fatalf("error is %T, not *input.Error: %v", err, err)
		}
		if e.Pos.File != p {
			t.Fatalf("error names %q: %v", e.Pos.File, err)
		}
		return
	}
	if items == nil {
		t.Fatal("nil items without an error")
	}
	for _, c := range items.Tests {
		switch c.Outcome {
		case model.Passed, model.Failed, model.Errored, model.Skipped:
		default:
			t.Fatalf("outcome %q", c.Outcome)
		}
		if c.Format != format || c.Source.File != p || c.Source.Line < 1 {
			t.Fatalf("case %q: format %q source %v", c.Name, c.Format, c.Source)
		}
		if len(c.Message) > input.MaxMessage+256 {
			t.Fatalf("message of %d bytes", len(c.Message))
		}
		if c.Outcome.Bad() && c.Message == "" {
			t.Fatalf("case %q is %s without a message", c.Name, c.Outcome)
		}
		if c.Duration < 0 {
			t.Fatalf("duration %v", c.Duration)
		}
		for _, r := range c.Requirements {
			if r == "" || strings.ContainsAny(r, ",; \t\r\n") {
				t.Fatalf("requirement link %q", r)
			}
		}
	}
	for _, w := range items.Warnings {
		if w.Pos.File != p {
			t.Fatalf("warning names %q", w.Pos.File)
		}
	}
}

// checkKept is the property of a streaming read: keeping only the bad
// cases reads the same file to the same verdicts — every bad case kept,
// the others counted — as keeping all.
func checkKept(t *testing.T, r ingest.Streamer, fsys fs.FS, p string, all *ingest.Items, err error) {
	kept, err2 := r.ReadCases(fsys, p, func(tc *model.TestCase) bool { return tc.Outcome.Bad() })
	if (err == nil) != (err2 == nil) {
		t.Fatalf("keeping all: %v; keeping the bad: %v", err, err2)
	}
	if err != nil {
		return
	}
	var want, got model.TestTotals
	for _, c := range all.Tests {
		want.Add(c.Outcome)
	}
	got = kept.Unkept
	for _, c := range kept.Tests {
		got.Add(c.Outcome)
		if !c.Outcome.Bad() && len(c.Requirements) == 0 {
			t.Fatalf("case %q kept: it is %s and links nothing", c.Name, c.Outcome)
		}
	}
	if got != want || kept.Unkept.Failed+kept.Unkept.Errored > 0 {
		t.Fatalf("keeping the bad: %+v (unkept %+v); keeping all: %+v", got, kept.Unkept, want)
	}
}

func FuzzJUnit(f *testing.F) {
	seedFixtures(f, "testdata/formats/junit")
	for _, s := range []string{
		`<testsuite><testcase name="a" status="notrun"><skipped message="x"/></testcase></testsuite>`,
		`<testsuites><testsuite><testsuite><properties><property name="verifies">A B</property></properties><testcase/></testsuite></testsuite></testsuites>`,
		`<testsuite><testcase><rerunError/><flakyFailure><stackTrace>s</stackTrace></flakyFailure></testcase></testsuite>`,
		`<!DOCTYPE a [<!ENTITY b "c">]><testsuite name="&b;"/>`,
		`<testsuite/><testsuite/>`,
		`<?xml version="1.0" encoding="latin1"?><testsuite><testcase time="1e400"/></testsuite>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"r.xml": {Data: data}}
		_ = JUnit{}.Detect(fsys, "r.xml", data)
		items, err := JUnit{}.Read(fsys, "r.xml")
		checkItems(t, "junit", "r.xml", items, err)
		checkKept(t, JUnit{}, fsys, "r.xml", items, err)
	})
}

func FuzzGoTestJSON(f *testing.F) {
	seedFixtures(f, "testdata/formats/gotest-json")
	for _, s := range []string{
		ev("run", "p", "TestA", "") + ev("fail", "p", "", ""),
		ev("output", "p", "", "FAIL\tp [build failed]\n") + ev("fail", "p", "", ""),
		`{"ImportPath":"p [p.test]","Action":"build-output","Output":"x"}` + "\n" + `{"Action":"fail","Package":"p","FailedBuild":"p [p.test]"}`,
		ev("run", "p", "TestA", "") + ev("pass", "p", "TestA", "") + ev("run", "p", "TestA", "") + "garbage\n",
		`{"Action":"pass","Package":"p","Test":"T","Elapsed":1e308}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"r.jsonl": {Data: data}}
		_ = GoTestJSON{}.Detect(fsys, "r.jsonl", data)
		items, err := GoTestJSON{}.Read(fsys, "r.jsonl")
		checkItems(t, "gotest-json", "r.jsonl", items, err)
		checkKept(t, GoTestJSON{}, fsys, "r.jsonl", items, err)
	})
}

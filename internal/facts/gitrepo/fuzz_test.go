package gitrepo

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/facts"
)

// realOutput is what git prints for the fixture, for seeding the fuzzers.
type realOutput struct{ log, lsTree, diff, tags [][]byte }

func captureOutput(f *testing.F) realOutput {
	f.Helper()
	fx := newFixture(f)
	r := fx.open(f)
	run := func(args ...string) []byte {
		out, err := r.run.output(context.Background(), args...)
		if err != nil {
			f.Fatal(err)
		}
		return out
	}
	return realOutput{
		log:    [][]byte{run(logArgs(fx.c5, "")...), run(logArgs(fx.c4, fx.c1)...)},
		lsTree: [][]byte{run(lsTreeArgs(fx.c1)...), run(lsTreeArgs(fx.c5)...)},
		diff:   [][]byte{run(diffArgs(fx.c1, fx.c5)...), run(diffArgs(fx.c5, fx.c2)...)},
		tags:   [][]byte{run(tagArgs...)},
	}
}

// FuzzParseLog: no panic; either an error or commits that are well formed
// and read back the same when written out again.
func FuzzParseLog(f *testing.F) {
	for _, seed := range captureOutput(f).log {
		f.Add(seed)
	}
	sha := strings.Repeat("a", 40)
	f.Add([]byte("\x1e" + sha + "\x00\x00A <a>\x002024-01-02T03:04:05.5-07:00\x00msg\x1e\x00"))
	f.Add([]byte("\x1e" + sha + "\x00" + sha + " " + sha + "\x00\x00x\x00\x00"))
	f.Add([]byte("\x1e\x1e\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var commits []facts.Commit
		err := parseLog(bytes.NewReader(data), func(c facts.Commit) error {
			commits = append(commits, c)
			return nil
		})
		if err != nil {
			return
		}
		var again bytes.Buffer
		for _, c := range commits {
			if !isHex(c.SHA) || strings.HasSuffix(c.Message, "\n") {
				t.Fatalf("malformed commit %+v", c)
			}
			for _, p := range c.Parents {
				if !isHex(p) || len(p) != len(c.SHA) {
					t.Fatalf("malformed parent in %+v", c)
				}
			}
			fmt.Fprintf(&again, "\x1e%s\x00%s\x00%s\x00%s\x00%s\x00", c.SHA, strings.Join(c.Parents, " "),
				c.Author, c.Committed.Format(time.RFC3339Nano), c.Message)
		}
		var back []facts.Commit
		if err := parseLog(&again, func(c facts.Commit) error {
			back = append(back, c)
			return nil
		}); err != nil {
			t.Fatalf("written back, the commits do not parse: %v", err)
		}
		if !slices.EqualFunc(commits, back, commitEqual) {
			t.Fatalf("round trip changed the commits:\n%+v\n%+v", commits, back)
		}
	})
}

// FuzzParseLsTree: no panic; either an error or entries that round-trip,
// and a tree built from them is either refused or consistent.
func FuzzParseLsTree(f *testing.F) {
	for _, seed := range captureOutput(f).lsTree {
		f.Add(seed)
	}
	oid := strings.Repeat("a", 40)
	f.Add([]byte("100644 blob " + oid + " 12345678\tx\ty\x00"))
	f.Add([]byte("040000 tree " + oid + "       -\td\x00100644 blob " + oid + "       1\td/..\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var entries []lsEntry
		if err := parseLsTree(bytes.NewReader(data), func(e lsEntry) error {
			entries = append(entries, e)
			return nil
		}); err != nil {
			return
		}
		var again bytes.Buffer
		for _, e := range entries {
			size := "-"
			if e.size >= 0 {
				size = strconv.FormatInt(e.size, 10)
			}
			fmt.Fprintf(&again, "%06o %s %s %7s\t%s\x00", e.mode, e.typ, e.oid, size, e.path)
		}
		var back []lsEntry
		if err := parseLsTree(&again, func(e lsEntry) error {
			back = append(back, e)
			return nil
		}); err != nil || !slices.Equal(entries, back) {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, entries, back)
		}
		tree, err := buildTree(entries)
		if err != nil {
			return
		}
		checkTree(t, tree, len(entries))
	})
}

// checkTree walks a built tree: every node is found by its path, and every
// directory lists its children once, sorted.
func checkTree(t *testing.T, tree *treeFS, want int) {
	seen := 0
	var walk func(n *node)
	walk = func(n *node) {
		if !slices.IsSortedFunc(n.children, func(a, b *node) int { return strings.Compare(a.name, b.name) }) {
			t.Fatalf("%q: children not sorted", n.entry.Path)
		}
		for _, c := range n.children {
			seen++
			got, err := tree.Stat(c.entry.Path)
			if err != nil || got != fs.FileInfo(c) {
				t.Fatalf("Stat(%q) = %v, %v", c.entry.Path, got, err)
			}
			walk(c)
		}
	}
	walk(tree.root)
	if seen != want {
		t.Fatalf("walk found %d nodes, listing had %d", seen, want)
	}
}

// FuzzParseDiff: no panic; either an error or well-formed changes.
func FuzzParseDiff(f *testing.F) {
	for _, seed := range captureOutput(f).diff {
		f.Add(seed)
	}
	a := strings.Repeat("a", 40)
	f.Add([]byte(":100644 100644 " + a + " " + a + " R100\x00x\x00y\x00-\t-\t\x00x\x00y\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		changes, err := parseDiff(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, c := range changes {
			two := c.Status == facts.Renamed || c.Status == facts.Copied
			switch {
			case c.Path == "",
				two != (c.OldPath != ""),
				!slices.Contains([]facts.ChangeStatus{facts.Added, facts.Modified, facts.Deleted, facts.Renamed, facts.Copied}, c.Status),
				strings.Contains(c.Path+c.OldPath, "\x00"):
				t.Fatalf("malformed change %+v", c)
			}
		}
	})
}

// FuzzParseTagRefs: no panic; either an error or refs that resolve to tags
// with a commit each, and a warning for every ref left out.
func FuzzParseTagRefs(f *testing.F) {
	for _, seed := range captureOutput(f).tags {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var refs []tagRef
		if err := parseTagRefs(bytes.NewReader(data), func(r tagRef) error {
			refs = append(refs, r)
			return nil
		}); err != nil {
			return
		}
		tags, warnings, undated := resolveTags(refs, nil)
		for k, tg := range tags {
			if !isHex(tg.Commit) || tg.Name == "" || (slices.Contains(undated, k) && !tg.Date.IsZero()) {
				t.Fatalf("malformed tag %+v (undated %v)", tg, undated)
			}
		}
		skipped := 0
		for _, w := range warnings {
			if strings.Contains(w.Msg, "left out") {
				skipped++
			}
		}
		if len(tags)+skipped != len(refs) {
			t.Fatalf("%d refs gave %d tags and %d left out", len(refs), len(tags), skipped)
		}
	})
}

package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
	"github.com/tracegate/tracegate/internal/input"
)

func TestTreeEntries(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	tree, err := r.Tree(context.Background(), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path    string
		mode    fs.FileMode
		gitMode uint32
		content string // for files; the target for links
	}{
		{path: ".", mode: fs.ModeDir | 0o755, gitMode: 0o040000},
		{path: "README.md", mode: 0o644, gitMode: 0o100644, content: readme},
		{path: "docs", mode: fs.ModeDir | 0o755, gitMode: 0o040000},
		{path: "docs/requirements.yml", mode: 0o644, gitMode: 0o100644, content: reqYAML},
		{path: "data.bin", mode: 0o644, gitMode: 0o100644, content: dataBin2},
		{path: "tools/run.sh", mode: 0o755, gitMode: 0o100755, content: script},
		{path: unicode, mode: 0o644, gitMode: 0o100644, content: "unicode\n"},
		{path: latin1, mode: 0o644, gitMode: 0o100644, content: "latin-1 name\n"},
		{path: "link", mode: fs.ModeSymlink | 0o777, gitMode: 0o120000, content: "docs/requirements.yml"},
		{path: "kind", mode: fs.ModeSymlink | 0o777, gitMode: 0o120000, content: "README.md"},
		{path: "vendor/lib", mode: fs.ModeIrregular, gitMode: 0o160000},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			st, err := fs.Stat(tree, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode() != tt.mode {
				t.Errorf("mode %v, want %v", st.Mode(), tt.mode)
			}
			e, ok := st.Sys().(Entry)
			if !ok {
				t.Fatalf("Sys() is %T, want Entry", st.Sys())
			}
			if e.Mode != tt.gitMode || e.Path != tt.path {
				t.Errorf("Entry %+v, want mode %06o and path %q", e, tt.gitMode, tt.path)
			}
			if e.Path != "." && !isHex(e.Object) {
				t.Errorf("Entry object %q", e.Object)
			}
			if int64(len(tt.content)) != st.Size() {
				t.Errorf("size %d, want %d", st.Size(), len(tt.content))
			}
			switch {
			case tt.mode.IsRegular():
				data, err := fs.ReadFile(tree, tt.path)
				if err != nil || string(data) != tt.content {
					t.Errorf("ReadFile = %q, %v; want %q", data, err, tt.content)
				}
			case tt.mode&fs.ModeSymlink != 0:
				target, err := fs.ReadLink(tree, tt.path)
				if err != nil || target != tt.content {
					t.Errorf("ReadLink = %q, %v; want %q", target, err, tt.content)
				}
				wantPathErr(t, tree, tt.path, ErrSymlink)
			case tt.mode&fs.ModeIrregular != 0:
				if e.Object != f.submodule {
					t.Errorf("submodule commit %s, want %s", e.Object, f.submodule)
				}
				wantPathErr(t, tree, tt.path, ErrSubmodule)
			}
		})
	}
}

// wantPathErr checks that the entry can be neither opened nor read.
func wantPathErr(t *testing.T, tree fs.FS, name string, want error) {
	t.Helper()
	if f, err := tree.Open(name); !errors.Is(err, want) {
		t.Errorf("Open(%q) = %v, want %v", name, err, want)
		if err == nil {
			f.Close()
		}
	}
	if _, err := fs.ReadFile(tree, name); !errors.Is(err, want) {
		t.Errorf("ReadFile(%q) = %v, want %v", name, err, want)
	}
}

func TestTreeWalk(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	tests := []struct {
		ref  string
		want []string
	}{
		{ref: "v1.0", want: []string{".", "README.md", latin1, "data.bin", "docs", "docs/req.yml", "kind", "link", "old.txt",
			"tools", "tools/run.sh", "vendor", "vendor/lib", "ünïcödé", unicode}},
		{ref: "HEAD", want: []string{".", "README.md", latin1, "data.bin", "docs", "docs/requirements.yml", "kind", "link", "notes.md",
			"tools", "tools/run.sh", "vendor", "vendor/lib", "ünïcödé", unicode}},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			tree, err := r.Tree(context.Background(), tt.ref)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			err = fs.WalkDir(tree, ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				got = append(got, p)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("WalkDir:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestTreeErrors(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	tree, err := r.Tree(context.Background(), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		op   func(string) error
		want []error
	}{
		{"missing.txt", open(tree), []error{fs.ErrNotExist, facts.ErrNotFound}},
		{"docs/missing.txt", stat(tree), []error{fs.ErrNotExist, facts.ErrNotFound}},
		{"link/x", open(tree), []error{fs.ErrNotExist}}, // never through a link
		{"README.md/x", open(tree), []error{fs.ErrNotExist}},
		{"../etc/passwd", open(tree), []error{fs.ErrInvalid}},
		{"/README.md", stat(tree), []error{fs.ErrInvalid}},
		{"docs/", open(tree), []error{fs.ErrInvalid}},
		{"./README.md", open(tree), []error{fs.ErrInvalid}},
		{"README.md", readDir(tree), []error{errNotDir}},
		{"docs", readFile(tree), []error{errIsDir}},
		{"README.md", readLink(tree), []error{fs.ErrInvalid}},
	}
	for _, tt := range tests {
		err := tt.op(tt.name)
		var pe *fs.PathError
		if !errors.As(err, &pe) || pe.Path != tt.name {
			t.Errorf("%q: error %v (%T), want an *fs.PathError naming it", tt.name, err, err)
		}
		for _, w := range tt.want {
			if !errors.Is(err, w) {
				t.Errorf("%q: error %v is not %v", tt.name, err, w)
			}
		}
	}
}

func open(fsys fs.FS) func(string) error {
	return func(name string) error {
		f, err := fsys.Open(name)
		if err == nil {
			f.Close()
		}
		return err
	}
}

func stat(fsys fs.FS) func(string) error {
	return func(name string) error { _, err := fs.Stat(fsys, name); return err }
}

func readDir(fsys fs.FS) func(string) error {
	return func(name string) error { _, err := fs.ReadDir(fsys, name); return err }
}

func readFile(fsys fs.FS) func(string) error {
	return func(name string) error { _, err := fs.ReadFile(fsys, name); return err }
}

func readLink(fsys fs.FS) func(string) error {
	return func(name string) error { _, err := fs.ReadLink(fsys, name); return err }
}

// testing/fstest checks the fs.FS contracts: Open, ReadDir, Stat and
// ReadFile agree, directory reading in chunks, closed files.
func TestTreeFSContract(t *testing.T) {
	g := gittest.New(t)
	want := []string{"a.txt", "dir/b.txt", "dir/sub/c.txt", "ünï/d.txt", "big.txt"}
	for i, p := range want[:4] {
		g.Write(p, strings.Repeat(fmt.Sprintf("line %d\n", i), i+1))
	}
	g.Write("big.txt", strings.Repeat("x", streamMin+10)) // streamed
	g.Commit("files")
	r := openDir(t, g.Dir())
	tree, err := r.Tree(context.Background(), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(tree, want...); err != nil {
		t.Fatal(err)
	}
}

// The loader reads files in parallel from one Tree; one cat-file process
// serves them all.
func TestTreeConcurrentReads(t *testing.T) {
	g := gittest.New(t)
	const n = 100
	content := func(i int) string { return strings.Repeat(fmt.Sprintf("file %d\n", i), i%7+1) }
	for i := range n {
		g.Write(fmt.Sprintf("d%d/f%03d.txt", i%5, i), content(i))
	}
	g.Commit("many")
	r := openDir(t, g.Dir())
	tree, err := r.Tree(context.Background(), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8*n)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range n {
				i := (k + w*13) % n
				name := fmt.Sprintf("d%d/f%03d.txt", i%5, i)
				var data []byte
				var err error
				if w%2 == 0 {
					data, err = fs.ReadFile(tree, name)
				} else {
					data, err = input.ReadAll(tree, name, 0)
				}
				if err != nil {
					errs <- err
				} else if string(data) != content(i) {
					errs <- fmt.Errorf("%s: got %q, want %q", name, data, content(i))
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	r.cat.mu.Lock()
	defer r.cat.mu.Unlock()
	if r.cat.starts != 1 || r.cat.requests != 8*n {
		t.Errorf("%d cat-file processes for %d requests, want 1 for %d", r.cat.starts, r.cat.requests, 8*n)
	}
}

// The size guard of internal/input refuses a file by its Stat size, so a
// huge file in the tree is never read.
func TestTreeSizeGuard(t *testing.T) {
	g := gittest.New(t)
	g.Write("huge.json", strings.Repeat("{}", 4096))
	g.Write("small.json", "{}")
	g.Commit("files")
	r := openDir(t, g.Dir())
	tree, err := r.Tree(context.Background(), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	_, err = input.Open(tree, "huge.json", 1024)
	if !errors.Is(err, input.ErrTooLarge) {
		t.Fatalf("input.Open(huge.json) = %v, want ErrTooLarge", err)
	}
	wantErr(t, err, "huge.json", "8.0 KiB")
	if r.cat.starts != 0 || r.cat.requests != 0 {
		t.Errorf("refusing by size read the file: %d processes, %d requests", r.cat.starts, r.cat.requests)
	}
	data, err := input.ReadAll(tree, "small.json", 1024)
	if err != nil || string(data) != "{}" {
		t.Errorf("input.ReadAll(small.json) = %q, %v", data, err)
	}
}

// Files from streamMin up are streamed by a process of their own.
func TestTreeLargeFile(t *testing.T) {
	g := gittest.New(t)
	var b strings.Builder
	for i := 0; b.Len() < streamMin+streamMin/2; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	big := b.String()
	g.Write("big.txt", big)
	g.Commit("big")
	r := openDir(t, g.Dir())
	tree, err := r.Tree(context.Background(), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(tree, "big.txt")
	if err != nil || string(data) != big {
		t.Fatalf("ReadFile: %d bytes, %v; want %d bytes", len(data), err, len(big))
	}
	data, err = input.ReadAll(tree, "big.txt", 0)
	if err != nil || string(data) != big {
		t.Fatalf("input.ReadAll: %d bytes, %v; want %d bytes", len(data), err, len(big))
	}
	// Closing half-way ends the process.
	file, err := tree.Open("big.txt")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(file, make([]byte, 100)); err != nil {
		t.Fatal(err)
	}
	sf := file.(*streamFile)
	cmd := sf.cmd
	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
	if cmd == nil || cmd.ProcessState == nil {
		t.Errorf("Close left the git process running")
	}
	if r.cat.requests != 0 {
		t.Errorf("large file went through cat-file --batch: %d requests", r.cat.requests)
	}
}

// A cat-file process that dies between reads is replaced.
func TestTreeCatFileRestart(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	tree, err := r.Tree(context.Background(), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if data, err := fs.ReadFile(tree, "README.md"); err != nil || string(data) != readme {
			t.Fatalf("read %d: %q, %v", i, data, err)
		}
		r.cat.mu.Lock()
		if err := r.cat.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_ = r.cat.cmd.Wait()
		r.cat.mu.Unlock()
	}
	if r.cat.starts != 3 {
		t.Errorf("%d processes started, want 3", r.cat.starts)
	}
}

func TestTreeClose(t *testing.T) {
	f := newFixture(t)
	r, err := Open(context.Background(), f.Dir())
	if err != nil {
		t.Fatal(err)
	}
	tree, err := r.Tree(context.Background(), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.ReadFile(tree, "README.md"); err != nil {
		t.Fatal(err)
	}
	cmd := r.cat.cmd
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if cmd.ProcessState == nil {
		t.Error("Close left cat-file running")
	}
	if _, err := fs.ReadFile(tree, "README.md"); !errors.Is(err, errClosed) {
		t.Errorf("ReadFile after Close = %v, want errClosed", err)
	}
	if _, err := fs.ReadFile(tree, "README.md"); !errors.Is(err, errClosed) {
		t.Errorf("ReadFile after Close = %v, want errClosed", err)
	}
}

func TestTreeContextEndsReads(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	ctx, cancel := context.WithCancel(context.Background())
	tree, err := r.Tree(ctx, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := fs.ReadFile(tree, "README.md"); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadFile after cancel = %v, want context.Canceled", err)
	}
	// Another Tree of the same Repo still reads.
	tree2, err := r.Tree(context.Background(), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if data, err := fs.ReadFile(tree2, "README.md"); err != nil || string(data) != readme {
		t.Errorf("ReadFile = %q, %v", data, err)
	}
}

func TestTreeOpenRead(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	tree, err := r.Tree(context.Background(), "v1.0")
	if err != nil {
		t.Fatal(err)
	}
	file, err := tree.Open("data.bin")
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	buf := make([]byte, 3) // several reads of a small file
	for {
		n, err := file.Read(buf)
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if got.String() != dataBin {
		t.Errorf("read %q, want %q", got.String(), dataBin)
	}
	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := file.Read(buf); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Read after Close = %v, want fs.ErrClosed", err)
	}
	if err := file.Close(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("second Close = %v, want fs.ErrClosed", err)
	}
	// input refuses the binary file by its content, naming it.
	_, err = input.Open(tree, "data.bin", 0)
	if !errors.Is(err, input.ErrBinary) {
		t.Errorf("input.Open(data.bin) = %v, want ErrBinary", err)
	}
}

func TestTreeUnknownRef(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	_, err := r.Tree(context.Background(), "v7")
	if !errors.Is(err, facts.ErrNotFound) {
		t.Errorf("Tree(v7) = %v, want ErrNotFound", err)
	}
}

func TestBuildTree(t *testing.T) {
	blob := func(p string) lsEntry {
		return lsEntry{mode: 0o100644, typ: "blob", oid: strings.Repeat("a", 40), size: 1, path: p}
	}
	dir := func(p string) lsEntry {
		return lsEntry{mode: 0o040000, typ: "tree", oid: strings.Repeat("b", 40), size: -1, path: p}
	}
	tests := []struct {
		name    string
		entries []lsEntry
		wantErr string
		want    []string // ReadDir(".") names
	}{
		{name: "empty", want: []string{}},
		{name: "sorted by name, not git's order", entries: []lsEntry{dir("a"), blob("a.txt"), blob("a/x"), blob("B")},
			want: []string{"B", "a", "a.txt"}},
		{name: "any order", entries: []lsEntry{blob("d/x"), dir("d")}, want: []string{"d"}},
		{name: "dot dot", entries: []lsEntry{blob("..")}, wantErr: `".." cannot be a file path`},
		{name: "dot", entries: []lsEntry{dir("a"), blob("a/./b")}, wantErr: "cannot be a file path"},
		{name: "the root itself", entries: []lsEntry{dir(".")}, wantErr: `"." cannot be a file path`},
		{name: "duplicate", entries: []lsEntry{blob("a"), blob("a")}, wantErr: "listed twice"},
		{name: "no parent", entries: []lsEntry{blob("d/x")}, wantErr: "not inside a listed directory"},
		{name: "file as parent", entries: []lsEntry{blob("d"), blob("d/x")}, wantErr: "not inside a listed directory"},
		{name: "mode and type disagree", entries: []lsEntry{{mode: 0o040000, typ: "blob", oid: strings.Repeat("a", 40), path: "x"}},
			wantErr: "does not fit a blob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := buildTree(tt.entries)
			if tt.wantErr != "" {
				wantErr(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range tree.root.children {
				got = append(got, c.name)
			}
			if !slices.Equal(got, tt.want) && len(got)+len(tt.want) > 0 {
				t.Errorf("root lists %q, want %q", got, tt.want)
			}
		})
	}
}

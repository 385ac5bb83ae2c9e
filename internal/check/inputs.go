package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/input"
)

// Where an input file was read from.
const (
	// OriginCommit: the evaluated commit (the release tag's tree).
	OriginCommit = "commit"
	// OriginWorkTree: the checkout, where CI leaves the test reports and
	// SBOMs it made, and a release candidate's files.
	OriginWorkTree = "work tree"
	// OriginEvidence: an evidence source other than the work tree (a
	// workflow run's artifacts).
	OriginEvidence = "evidence"
)

// Input is one file an evaluation read, or whose presence it judged.
type Input struct {
	Path   string `json:"path"`
	Origin string `json:"origin"` // OriginCommit, OriginWorkTree or OriginEvidence
	// Kind is what the file is to the gate: policy, requirements, risks,
	// tests, test-sources, sbom, soup-register, problem_report,
	// change_request, plan, evidence-record; "other" for a file that was
	// opened but yielded nothing (a file a glob matched that no reader
	// recognised).
	Kind   string `json:"kind"`
	Format string `json:"format,omitempty"`
	Items  int    `json:"items,omitempty"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// inputKey names a file read: the same path may be read from the commit
// and from the work tree, with different contents.
type inputKey struct{ origin, path string }

// recorder notes every regular file opened through the file systems it
// wraps, so that the documents can list — and hash — exactly what an
// evaluation read, without the readers knowing.
type recorder struct {
	mu     sync.Mutex
	opened map[inputKey]fs.FS // the unwrapped file system
}

func newRecorder() *recorder { return &recorder{opened: map[inputKey]fs.FS{}} }

func (r *recorder) note(origin, name string, inner fs.FS) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.opened[inputKey{origin, name}] = inner
}

// wrap returns fsys, with its links followed (input.FollowLinks), recording
// what is opened through it as origin: under the name asked for, a link's
// own name included.
func (r *recorder) wrap(fsys fs.FS, origin string) fs.FS {
	if fsys == nil {
		return nil
	}
	return &recordingFS{inner: input.FollowLinks(fsys), origin: origin, rec: r}
}

// recordingFS passes every call through to inner, noting the regular
// files opened or read. It implements the optional interfaces by
// delegating to the fs package's helpers, which fall back as they would
// on inner itself, so that readers see the same behaviour with and
// without it (links are not followed where inner does not follow them).
type recordingFS struct {
	inner  fs.FS
	origin string
	rec    *recorder
}

func (f *recordingFS) Open(name string) (fs.File, error) {
	file, err := f.inner.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := file.Stat(); err == nil && st.Mode().IsRegular() {
		f.rec.note(f.origin, name, f.inner)
	}
	return file, nil
}

func (f *recordingFS) ReadFile(name string) ([]byte, error) {
	data, err := fs.ReadFile(f.inner, name)
	if err == nil {
		f.rec.note(f.origin, name, f.inner)
	}
	return data, err
}

func (f *recordingFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(f.inner, name) }
func (f *recordingFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(f.inner, name) }
func (f *recordingFS) Lstat(name string) (fs.FileInfo, error)     { return fs.Lstat(f.inner, name) }
func (f *recordingFS) ReadLink(name string) (string, error)       { return fs.ReadLink(f.inner, name) }

// ResolveLinks passes the inner file system's on: it follows links.
func (f *recordingFS) ResolveLinks(name string) (string, error) {
	if l, ok := f.inner.(input.LinkResolver); ok {
		return l.ResolveLinks(name)
	}
	return name, nil
}

// recordingRepo is a repository whose trees record what is read from them.
type recordingRepo struct {
	facts.Repository
	rec *recorder
}

// Unwrap lets facts.AsClone see the clone behind the recorder.
func (r recordingRepo) Unwrap() facts.Repository { return r.Repository }

func (r recordingRepo) Tree(ctx context.Context, ref string) (fs.FS, error) {
	t, err := r.Repository.Tree(ctx, ref)
	if err != nil {
		return nil, err
	}
	return r.rec.wrap(t, OriginCommit), nil
}

// recordingEvidence is an evidence source whose files record what is read
// from them.
type recordingEvidence struct {
	source facts.Evidence
	rec    *recorder
}

func (e recordingEvidence) Evidence(ctx context.Context, sha string) (fs.FS, error) {
	f, err := e.source.Evidence(ctx, sha)
	if err != nil {
		return nil, err
	}
	return e.rec.wrap(f, OriginEvidence), nil
}

// originOf says where a file system wrapped by a recorder reads from.
func originOf(fsys fs.FS) (fs.FS, string) {
	if rf, ok := fsys.(*recordingFS); ok {
		return rf.inner, rf.origin
	}
	return fsys, ""
}

// hashFile reads a file whole and returns its size and SHA-256.
func hashFile(fsys fs.FS, name string) (int64, string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", fmt.Errorf("%s: %w", name, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// InputsDigest is the SHA-256 of the inputs, independent of the order they
// were read in: over one line per input, sorted by path and then origin,
//
//	<sha256 of the file>  <origin>:<path>\n
//
// where origin is "commit" or "work tree" and a backslash or line break in
// the path is written \\ or \n. Two evaluations read the same bytes from
// the same places exactly when their digests are equal.
func InputsDigest(inputs []Input) string {
	sorted := append([]Input(nil), inputs...)
	sortInputs(sorted)
	h := sha256.New()
	for _, in := range sorted {
		fmt.Fprintf(h, "%s  %s:%s\n", in.SHA256, in.Origin, escapePath(in.Path))
	}
	return hex.EncodeToString(h.Sum(nil))
}

var pathEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`)

func escapePath(p string) string { return pathEscaper.Replace(p) }

func sortInputs(in []Input) {
	sort.SliceStable(in, func(i, j int) bool {
		if in[i].Path != in[j].Path {
			return in[i].Path < in[j].Path
		}
		return in[i].Origin < in[j].Origin
	})
}

package check

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/model"
)

// ReleaseDocs is a release evaluation together with what the documents of
// the design history file are made from: the facts the gate judged (the
// policy, the design history file and its trace graph, the SOUP list, the
// records, the commits), and every input file with its SHA-256. The
// documents render these; they gather nothing of their own.
type ReleaseDocs struct {
	Result *gate.Result
	// Facts are what the release gate judged; nil when the evaluation could
	// not complete.
	Facts *gate.ReleaseFacts
	// Inputs are the files read (and the plans and evidence records whose
	// presence was judged), sorted by path and origin; InputsDigest is
	// their InputsDigest.
	Inputs       []Input
	InputsDigest string
	// CommitDate is the committer date of the evaluated commit; zero
	// without git history.
	CommitDate time.Time
	// History are the releases before this one in its history, newest
	// first: the revision history of the documents.
	History []Revision

	files map[inputKey]fs.FS
}

// ReleaseWithDocs runs the release gate as Release does, keeping the facts
// and recording the inputs. The result is never nil; an evaluation that
// cannot complete returns an errored result, no facts, and the error.
func ReleaseWithDocs(ctx context.Context, src *Sources, tag, previous string, opts Options) (*ReleaseDocs, error) {
	rec := newRecorder()
	s := *src // a copy: the caller's sources are not touched
	if s.Repo != nil {
		s.Repo = recordingRepo{Repository: s.Repo, rec: rec}
	}
	if s.Evidence != nil {
		s.Evidence = recordingEvidence{source: s.Evidence, rec: rec}
	}
	s.WorkTree = rec.wrap(s.WorkTree, OriginWorkTree)
	kept, tree, err := gatherRelease(ctx, &s, tag, previous, opts)
	if err != nil {
		return &ReleaseDocs{Result: Errored(gate.GateRelease, err)}, err
	}
	d := &ReleaseDocs{Result: gate.EvaluateRelease(kept, opts.FailOn)}
	d.Facts = kept
	d.files = rec.opened
	if d.Inputs, err = inputsOf(kept, tree, rec); err != nil {
		return d, fmt.Errorf("hashing the inputs: %w", err)
	}
	d.InputsDigest = InputsDigest(d.Inputs)
	if kept.Commit != "" && src.Repo != nil {
		if d.CommitDate, err = commitDate(ctx, src, kept); err != nil {
			return d, err
		}
	}
	if d.History, err = revisionHistory(ctx, src, kept); err != nil {
		return d, fmt.Errorf("the revision history: %w", err)
	}
	return d, nil
}

// ReadInput returns the content of an input file, read again from where
// the evaluation read it.
func (d *ReleaseDocs) ReadInput(in Input) ([]byte, error) {
	fsys, ok := d.files[inputKey{in.Origin, in.Path}]
	if !ok {
		return nil, fmt.Errorf("%s (%s) is not an input of this evaluation", in.Path, in.Origin)
	}
	return fs.ReadFile(fsys, in.Path)
}

// commitDate is the evaluated commit's date: among the commits since the
// previous release (newest first), else from the history.
func commitDate(ctx context.Context, src *Sources, f *gate.ReleaseFacts) (time.Time, error) {
	for _, c := range f.Commits {
		if c.SHA == f.Commit {
			return c.Committed, nil
		}
	}
	cs, err := src.Repo.Commits(ctx, "", f.Commit)
	if err != nil {
		return time.Time{}, fmt.Errorf("reading the date of commit %s: %w", model.ShortSHA(f.Commit), err)
	}
	if len(cs) == 0 || cs[0].SHA != f.Commit {
		return time.Time{}, fmt.Errorf("reading the date of commit %s: git listed no such commit", model.ShortSHA(f.Commit))
	}
	return cs[0].Committed, nil
}

// inputsOf describes every file the recorder saw opened, with the kind
// the facts give it, and adds the plans and evidence records whose
// presence the gate judged without reading them.
func inputsOf(f *gate.ReleaseFacts, tree fs.FS, rec *recorder) ([]Input, error) {
	m := f.Model
	treeFS, treeOrigin := originOf(tree)
	type desc struct {
		kind, format string
		items        int
	}
	// What the facts say about files, by path. A path read from both
	// origins is the same kind of input in both.
	known := map[string]desc{}
	for _, in := range m.DHF.Files {
		known[in.Path] = desc{in.Kind, in.Format, in.Items}
	}
	for _, r := range m.DHF.Records {
		if _, ok := known[r.Source.File]; !ok && r.Source.File != "" {
			known[r.Source.File] = desc{kind: r.Kind, format: "record", items: 1}
		}
	}
	if m.Config.File != "" {
		known[m.Config.File] = desc{kind: "policy", format: "tracegate"}
	}
	if f.SOUP != nil {
		l := f.SOUP.List
		for _, d := range l.Documents {
			known[d.File] = desc{"sbom", d.Format, d.Components}
		}
		if l.Register != "" {
			n := 0
			for _, c := range l.Components {
				if c.Register != nil {
					n++
				}
			}
			known[l.Register] = desc{"soup-register", "", n + len(l.Stale)}
		}
	}

	rec.mu.Lock()
	opened := make(map[inputKey]fs.FS, len(rec.opened))
	for k, v := range rec.opened {
		opened[k] = v
	}
	rec.mu.Unlock()
	// Plans and evidence records are judged by their presence: they are
	// inputs too, hashed from the tree the gate looked in.
	if treeOrigin != "" {
		add := func(p string) {
			k := inputKey{treeOrigin, p}
			if _, ok := opened[k]; !ok {
				opened[k] = treeFS
				rec.note(k.origin, k.path, treeFS)
			}
		}
		for _, p := range f.Plans {
			for _, file := range p.Files {
				known[file] = desc{kind: "plan"}
				add(file)
			}
		}
		for e, ok := range m.DHF.Evidence {
			if ok {
				e = path.Clean(e)
				if _, seen := known[e]; !seen {
					known[e] = desc{kind: "evidence-record"}
				}
				add(e)
			}
		}
	}

	out := make([]Input, 0, len(opened))
	for k, fsys := range opened {
		size, sum, err := hashFile(fsys, k.path)
		if err != nil {
			return nil, err
		}
		d, ok := known[k.path]
		if !ok {
			// Read, but yielding nothing: a test source without tags, a
			// file a glob matched that no reader recognised. Its kind is
			// the policy entry that matched it.
			d.kind = policyKind(m.Config, k.path)
		}
		out = append(out, Input{Path: k.path, Origin: k.origin, Kind: d.kind, Format: d.format, Items: d.items, Size: size, SHA256: sum})
	}
	sortInputs(out)
	return out, nil
}

// policyKind names the policy entry whose glob matches a file read but not
// described by the facts; "other" when none does.
func policyKind(cfg *config.Config, file string) string {
	match := func(srcs []config.Source) bool {
		for _, s := range srcs {
			if ok, _ := doublestar.Match(s.Path, file); ok {
				return true
			}
		}
		return false
	}
	globs := func(gs []string) bool {
		for _, g := range gs {
			if ok, _ := doublestar.Match(g, file); ok {
				return true
			}
		}
		return false
	}
	switch {
	case match(cfg.Requirements):
		return "requirements"
	case match(cfg.Risks):
		return "risks"
	case match(cfg.Tests):
		return "tests"
	case globs(cfg.TestSources):
		return "test-sources"
	case globs(cfg.ProblemReports.Files):
		return model.KindProblemReport
	case globs(cfg.ChangeRequests.Files):
		return model.KindChangeRequest
	case globs(cfg.SOUP.SBOMs):
		return "sbom"
	}
	return "other"
}

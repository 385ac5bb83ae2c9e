package check

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/logctx"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

// evidenceFS is where the test reports and the extra SBOMs of commit sha
// are read: the evidence source's files for it; else the work tree, with a
// warning when the work tree is at another commit; else nil, and the
// reports are read from the evaluated commit itself.
func evidenceFS(ctx context.Context, src *Sources, sha string) (fs.FS, []input.Warning, error) {
	switch {
	case src.Evidence != nil && sha != "":
		start := time.Now()
		fsys, err := src.Evidence.Evidence(ctx, sha)
		if err != nil {
			return nil, nil, fmt.Errorf("evidence of commit %s: %w", model.ShortSHA(sha), err)
		}
		logctx.From(ctx).Info("evidence", "commit", model.ShortSHA(sha), "from", "evidence source", "took", time.Since(start))
		return fsys, nil, nil
	case src.WorkTree == nil:
		return nil, nil, nil
	case src.WorkHead != "" && sha != "" && src.WorkHead != sha:
		return src.WorkTree, []input.Warning{input.Warnf(input.Pos{},
			"test reports were read from the working tree, which is at commit %s, not at the evaluated commit %s: they may not be this commit's evidence",
			model.ShortSHA(src.WorkHead), model.ShortSHA(sha))}, nil
	}
	return src.WorkTree, nil, nil
}

func testSources(cfg *config.Config, opts Options) []config.Source {
	out := append([]config.Source{}, cfg.Tests...)
	for _, g := range opts.Tests {
		out = append(out, config.Source{Path: g, Format: "auto"})
	}
	return out
}

// modelTree is a tree to read a model from, and how messages name it.
type modelTree struct {
	fsys  fs.FS
	where string
}

// loaded is one tree's model, or why it could not be read (with the model
// as far as it was read: Config and DHF, no Graph).
type loaded struct {
	m   *gate.Model
	err error
}

// loadModels reads the design history file of each tree, at the same time,
// and resolves each graph. The test reports come from evFS when there is
// one (the evidence CI made), read once for every tree (a pull request's
// base and head) after the trees: which of their test cases matter depends
// on every tree's requirements and tags (ingest.Keeper). Without evidence,
// each tree's own reports are read with it.
func loadModels(ctx context.Context, evFS fs.FS, src *Sources, cfg *config.Config, ids *trace.IDs, opts Options, trees ...modelTree) []loaded {
	finder := ids.Finder(config.KindRequirement)
	c := *cfg
	c.Tests = testSources(cfg, opts)
	if evFS != nil {
		c.Tests = nil
	}
	out := make([]loaded, len(trees))
	issues, issuesErr := readIssueItems(ctx, src, cfg)
	var wg sync.WaitGroup
	for i, t := range trees {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			defer func() { logctx.From(ctx).Debug("model", "at", t.where, "took", time.Since(start)) }()
			dhf, err := ingest.Load(t.fsys, &c, src.Readers, finder)
			if dhf != nil && issues != nil {
				issues.add(dhf)
			}
			if issuesErr != nil {
				var all input.Errors
				if err != nil {
					all = asInputErrors(err)
				}
				err = append(all, asInputErrors(issuesErr)...)
			}
			logRead(ctx, "design history file", t.where, dhf, start)
			out[i] = loaded{m: &gate.Model{Config: cfg, DHF: dhf, IDs: ids}, err: err}
		}()
	}
	wg.Wait()
	if evFS != nil {
		var reqs []model.Requirement
		var tags []model.TestTag
		for _, l := range out {
			if l.m.DHF != nil {
				reqs = append(reqs, l.m.DHF.Requirements...)
				tags = append(tags, l.m.DHF.Tags...)
			}
		}
		start := time.Now()
		ev := config.Config{IDs: cfg.IDs, Tests: testSources(cfg, opts)}
		ev.File = cfg.File
		d, err := ingest.LoadEvidence(evFS, &ev, ingest.Set{Readers: src.Readers.Readers}, ingest.Keeper(finder, reqs, tags))
		logRead(ctx, "test reports", "evidence", d, start)
		for i := range out {
			dhf := out[i].m.DHF
			if out[i].err != nil || dhf == nil {
				continue
			}
			if d != nil {
				dhf.Tests = append(dhf.Tests, d.Tests...)
				dhf.Unkept.Merge(d.Unkept)
				dhf.Files = append(dhf.Files, d.Files...)
				dhf.Warnings = append(dhf.Warnings, d.Warnings...)
			}
			out[i].err = err
		}
	}
	for i, l := range out {
		if l.err != nil {
			continue
		}
		c, warns, err := declared(cfg, l.m.DHF)
		l.m.DHF.Warnings = append(l.m.DHF.Warnings, warns...)
		if err != nil {
			out[i].err = err
			continue
		}
		l.m.Config = c
		l.m.Graph = trace.Build(l.m.DHF, c, ids)
	}
	return out
}

// recordsOf returns the DHF's file records of a kind.
func recordsOf(dhf *model.DHF, kind string) []model.Record {
	var out []model.Record
	for _, r := range dhf.Records {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}

func kindName(kind string) string { return strings.ReplaceAll(kind, "_", " ") }

// treeAt returns the files of a commit with their links followed by the
// rule the work tree follows too (input.FollowLinks): a link inside the
// repository is followed, one that leaves it is an error naming it.
func treeAt(ctx context.Context, repo facts.Repository, sha string) (fs.FS, error) {
	t, err := repo.Tree(ctx, sha)
	if err != nil {
		return nil, err
	}
	return input.FollowLinks(t), nil
}

// logRead says what a load read: each file at debug, the count at info.
func logRead(ctx context.Context, what, where string, d *model.DHF, start time.Time) {
	l := logctx.From(ctx)
	if d == nil {
		return
	}
	for _, f := range d.Files {
		l.Debug("read", "file", f.Path, "kind", f.Kind, "format", f.Format, "items", f.Items, "from", where)
	}
	l.Info("read "+what, "from", where, "files", len(d.Files), "warnings", len(d.Warnings), "took", time.Since(start))
}

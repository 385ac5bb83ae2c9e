package check

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
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

// evidence is the test reports CI made, read once and shared by every
// model a check loads (a pull request's base and head).
type evidence struct {
	dhf *model.DHF
	err error
}

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

// loadEvidence reads the test reports the policy and opts.Tests name from
// the evidence; nil when there is none (reports then come from each
// evaluated tree).
func loadEvidence(ctx context.Context, fsys fs.FS, src *Sources, cfg *config.Config, ids *trace.IDs, opts Options) *evidence {
	if fsys == nil {
		return nil
	}
	start := time.Now()
	ev := config.Config{IDs: cfg.IDs, Tests: testSources(cfg, opts)}
	ev.File = cfg.File
	d, err := ingest.Load(fsys, &ev, ingest.Set{Readers: src.Readers.Readers}, ids.Finder(config.KindRequirement))
	logRead(ctx, "test reports", "evidence", d, start)
	return &evidence{dhf: d, err: err}
}

func testSources(cfg *config.Config, opts Options) []config.Source {
	out := append([]config.Source{}, cfg.Tests...)
	for _, g := range opts.Tests {
		out = append(out, config.Source{Path: g, Format: "auto"})
	}
	return out
}

// loadModel reads the design history file from tree and takes the test
// reports from ev (or from tree when ev is nil), then resolves the graph.
func loadModel(ctx context.Context, tree fs.FS, where string, src *Sources, cfg *config.Config, ids *trace.IDs, opts Options, ev *evidence) (*gate.Model, error) {
	start := time.Now()
	defer func() { logctx.From(ctx).Debug("model", "at", where, "took", time.Since(start)) }()
	finder := ids.Finder(config.KindRequirement)
	c := *cfg
	if ev == nil {
		c.Tests = testSources(cfg, opts)
	} else {
		c.Tests = nil
	}
	dhf, err := ingest.Load(tree, &c, src.Readers, finder)
	logRead(ctx, "design history file", where, dhf, start)
	if err != nil {
		return &gate.Model{Config: cfg, DHF: dhf, IDs: ids}, err
	}
	if ev != nil {
		if ev.dhf != nil {
			dhf.Tests = append(dhf.Tests, ev.dhf.Tests...)
			dhf.Files = append(dhf.Files, ev.dhf.Files...)
			dhf.Warnings = append(dhf.Warnings, ev.dhf.Warnings...)
		}
		if ev.err != nil {
			return &gate.Model{Config: cfg, DHF: dhf, IDs: ids}, ev.err
		}
	}
	return &gate.Model{Config: cfg, DHF: dhf, Graph: trace.Build(dhf, cfg, ids), IDs: ids}, nil
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

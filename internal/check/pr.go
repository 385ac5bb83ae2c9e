package check

import (
	"context"
	"fmt"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

// PR runs the pull request gate. base and head are refs; pr carries what is
// known of the pull request (from an event file, the API or flags). The
// policy is read from base, never from head.
//
// The result is never nil: an evaluation that cannot complete returns an
// errored result (verdict error) together with the error.
func PR(ctx context.Context, src *Sources, pr facts.PullRequest, base, head string, opts Options) (*gate.Result, error) {
	res, err := runPR(ctx, src, pr, base, head, opts)
	if err != nil && res == nil {
		res = errored(gate.GatePR, nil, err)
	}
	return res, err
}

func runPR(ctx context.Context, src *Sources, pr facts.PullRequest, base, head string, opts Options) (*gate.Result, error) {
	baseSHA, err := src.Repo.Resolve(ctx, base)
	if err != nil {
		return nil, &UsageError{fmt.Errorf("base %s: %w", base, err)}
	}
	headSHA, err := src.Repo.Resolve(ctx, head)
	if err != nil {
		return nil, &UsageError{fmt.Errorf("head %s: %w", head, err)}
	}
	pr.BaseSHA, pr.HeadSHA = baseSHA, headSHA
	if pr.BaseRef == "" {
		pr.BaseRef = base
	}
	if pr.HeadRef == "" {
		pr.HeadRef = head
	}
	baseTree, err := treeAt(ctx, src.Repo, baseSHA)
	if err != nil {
		return nil, err
	}
	headTree, err := treeAt(ctx, src.Repo, headSHA)
	if err != nil {
		return nil, err
	}
	// The pull request cannot weaken its own gate: the policy is the base's.
	cfg, err := policy(baseTree, opts, "base "+model.ShortSHA(baseSHA))
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*gate.Result, error) { return errored(gate.GatePR, cfg, err), err }
	ids, err := trace.NewIDs(cfg)
	if err != nil {
		return nil, &UsageError{err}
	}
	// The work tree's test reports are read once for both sides, and the
	// two trees are read at the same time.
	ev := loadEvidence(src, cfg, ids, opts)
	var baseModel *gate.Model
	var baseErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		baseModel, baseErr = loadModel(baseTree, src, cfg, ids, opts, ev)
	}()
	headModel, err := loadModel(headTree, src, cfg, ids, opts, ev)
	<-done
	if err != nil {
		return fail(fmt.Errorf("head %s: %w", model.ShortSHA(headSHA), err))
	}
	headModel.DHF.Warnings = append(headModel.DHF.Warnings, evidenceWarning(src, headSHA)...)
	if err = baseErr; err != nil {
		// The base's own problems are not the pull request's: judge every
		// lint finding at the head as new, and say why.
		headModel.DHF.Warnings = append(headModel.DHF.Warnings, input.Warnf(input.Pos{},
			"the design history file at the base %s could not be read (%v); every model finding at the head is counted as new", model.ShortSHA(baseSHA), err))
		baseModel = nil
	}
	mergeBase, err := src.Repo.MergeBase(ctx, baseSHA, headSHA)
	if err != nil {
		return fail(err)
	}
	commits, err := src.Repo.Commits(ctx, baseSHA, headSHA)
	if err != nil {
		return fail(err)
	}
	changes, err := src.Repo.Changes(ctx, mergeBase, headSHA)
	if err != nil {
		return fail(err)
	}

	lf := &trace.LinkFinder{IDs: ids, Repo: src.RepoName, Hosts: src.Hosts}
	var links trace.Links
	lf.Text(&links, pr.Title, "title")
	lf.Text(&links, pr.Body, "body")
	lf.Branch(&links, pr.HeadRef)
	for _, c := range commits {
		lf.Text(&links, c.Message, "commit "+model.ShortSHA(c.SHA))
	}

	// Change requests come from the base: a pull request cannot approve its
	// own change by editing the record. Problem reports may be filed with
	// the fix, so the head's count too.
	var files []model.Record
	if baseModel != nil {
		files = append(files, recordsOf(baseModel.DHF, model.KindChangeRequest)...)
		files = append(files, recordsOf(baseModel.DHF, model.KindProblemReport)...)
	}
	files = append(files, recordsOf(headModel.DHF, model.KindProblemReport)...)
	rv := newResolver(cfg, ids, src, files)
	if err := rv.resolve(ctx, links.List()); err != nil {
		return fail(err)
	}

	if src.Anomalies, err = anomalySource(src, cfg, headTree); err != nil {
		return fail(err)
	}
	sf, err := soupFacts(ctx, src, cfg, headTree, baseTree, opts)
	if err != nil {
		return fail(err)
	}
	if sf != nil {
		headModel.DHF.Warnings = append(headModel.DHF.Warnings, sf.List.Warnings...)
	}
	policyFile := opts.ConfigPath
	if policyFile == "" {
		policyFile = config.DefaultPath
	}
	f := &gate.PRFacts{
		Head: headModel, Base: baseModel, PR: pr, Commits: commits, Changes: changes, Links: links.List(),
		Records: rv.records, Issues: rv.issues, Unresolvable: rv.unresolvable,
		Evidence: len(headModel.DHF.Tests) > 0, PolicyFile: policyFile, SOUP: sf,
	}
	return gate.EvaluatePR(f, opts.FailOn), nil
}

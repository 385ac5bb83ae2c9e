package check

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/logctx"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

// PR runs the pull request gate: GatherPR, then gate.EvaluatePR. The
// result is never nil: an evaluation that cannot complete returns an
// errored result (verdict error) together with the error.
func PR(ctx context.Context, src *Sources, pr facts.PullRequest, base, head string, opts Options) (*gate.Result, error) {
	f, err := GatherPR(ctx, src, pr, base, head, opts)
	if err != nil {
		return Errored(gate.GatePR, err), err
	}
	return gate.EvaluatePR(f, opts.FailOn), nil
}

// headBranch is the branch name a pull request whose head was given as a
// ref is known by: the checked-out branch when the head is the work tree's
// HEAD (check pr run on a feature branch), else the ref as given.
func headBranch(src *Sources, head, headSHA string) string {
	if src.WorkBranch != "" && headSHA == src.WorkHead && (head == "HEAD" || head == src.WorkBranch || head == "refs/heads/"+src.WorkBranch) {
		return src.WorkBranch
	}
	return head
}

// GatherPR gathers what the pull request gate judges. base and head are
// refs; pr carries what is known of the pull request (from an event file,
// the API or flags). The policy is read from base, never from head. An
// error is a *UsageError, or an *IncompleteError carrying the policy when
// it was read.
func GatherPR(ctx context.Context, src *Sources, pr facts.PullRequest, base, head string, opts Options) (*gate.PRFacts, error) {
	start := time.Now()
	log := logctx.From(ctx)
	baseSHA, err := src.Repo.Resolve(ctx, base)
	if err != nil {
		return nil, &UsageError{fmt.Errorf("base %s: %w", base, err)}
	}
	headSHA, err := src.Repo.Resolve(ctx, head)
	if err != nil {
		return nil, &UsageError{fmt.Errorf("head %s: %w", head, err)}
	}
	log.Info("pull request", "base", base, "base_sha", model.ShortSHA(baseSHA), "head", head, "head_sha", model.ShortSHA(headSHA))
	pr.BaseSHA, pr.HeadSHA = baseSHA, headSHA
	if pr.BaseRef == "" {
		pr.BaseRef = base
	}
	if pr.HeadRef == "" {
		pr.HeadRef = headBranch(src, head, headSHA)
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
	baseWhere, headWhere := "base "+model.ShortSHA(baseSHA), "head "+model.ShortSHA(headSHA)
	cfg, err := policy(ctx, baseTree, opts, baseWhere)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*gate.PRFacts, error) { return nil, incomplete(cfg, err) }
	ids, err := trace.NewIDs(cfg)
	if err != nil {
		return nil, &UsageError{err}
	}
	evFS, evWarns, err := evidenceFS(ctx, src, headSHA)
	if err != nil {
		return fail(err)
	}
	// The two trees are read at the same time, and the evidence's test
	// reports once for both.
	ms := loadModels(ctx, evFS, src, cfg, ids, opts, modelTree{baseTree, baseWhere}, modelTree{headTree, headWhere})
	baseModel, baseErr := ms[0].m, ms[0].err
	headModel, err := ms[1].m, ms[1].err
	if err != nil {
		return fail(fmt.Errorf("head %s: %w", model.ShortSHA(headSHA), err))
	}
	headModel.DHF.Warnings = append(headModel.DHF.Warnings, evWarns...)
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
	log.Info("history", "commits", len(commits), "changes", len(changes), "merge_base", model.ShortSHA(mergeBase))

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
	headOnly := map[string]bool{}
	for _, r := range recordsOf(headModel.DHF, model.KindChangeRequest) {
		if baseModel == nil || len(kindOf(rv.file[r.ID], model.KindChangeRequest)) == 0 {
			headOnly[r.ID] = true
		}
	}
	noTracker := ""
	if src.Tracker == nil {
		noTracker = rv.noTracker()
	}

	sf, err := soupFacts(ctx, src, cfg, headTree, baseTree, evFS, opts)
	if err != nil {
		return fail(err)
	}
	if sf != nil {
		headModel.DHF.Warnings = append(headModel.DHF.Warnings, sf.List.Warnings...)
	}
	if cfg.Reviews.Required() && pr.Author == "" && pr.Number > 0 && src.PRs != nil {
		// Who may not approve: the author, which flags and some events
		// leave out.
		p, err := src.PRs.PullRequest(ctx, "", pr.Number)
		if err != nil && !errors.Is(err, facts.ErrNotFound) {
			return fail(fmt.Errorf("reading pull request #%d: %w", pr.Number, err))
		}
		if p != nil {
			pr.Author = p.Author
		}
	}
	reviews, err := prReviews(ctx, src, cfg, pr)
	if err != nil {
		return fail(err)
	}
	policyFile := opts.ConfigPath
	if policyFile == "" {
		policyFile = config.DefaultPath
	}
	log.Info("gathered", "gate", gate.GatePR, "links", len(links.List()), "took", time.Since(start))
	return &gate.PRFacts{
		Head: headModel, Base: baseModel, PR: pr, Commits: commits, Changes: changes, Links: links.List(),
		Records: rv.records, Issues: rv.issues, Unresolvable: rv.unresolvable, HeadOnly: headOnly, NoTracker: noTracker,
		Evidence: len(headModel.DHF.Tests) > 0 || headModel.DHF.Unkept.Total > 0, PolicyFile: policyFile, SOUP: sf, Reviews: reviews,
	}, nil
}

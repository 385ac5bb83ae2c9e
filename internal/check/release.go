package check

import (
	"context"
	"errors"
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

// Release runs the release gate: GatherRelease, then gate.EvaluateRelease.
// The result is never nil: an evaluation that cannot complete returns an
// errored result together with the error.
func Release(ctx context.Context, src *Sources, tag, previous string, opts Options) (*gate.Result, error) {
	f, err := GatherRelease(ctx, src, tag, previous, opts)
	if err != nil {
		return Errored(gate.GateRelease, err), err
	}
	return gate.EvaluateRelease(f, opts.FailOn), nil
}

// GatherRelease gathers what the release gate judges of a tag (or any ref
// naming the release candidate). previous is the previous release; empty
// finds it: the nearest ancestor carrying a tag that matches the policy's
// release.tag_pattern.
//
// With no tag, the release candidate is the work tree as it is: the gate
// judges its files, and — when src.Repo is set (the work tree is a git
// repository's top) — the history of its HEAD since the previous release.
// An error is a *UsageError, or an *IncompleteError carrying the policy
// when it was read.
func GatherRelease(ctx context.Context, src *Sources, tag, previous string, opts Options) (*gate.ReleaseFacts, error) {
	f, _, err := gatherRelease(ctx, src, tag, previous, opts)
	return f, err
}

// gatherRelease is GatherRelease, also returning the tree the release's
// files were read from.
func gatherRelease(ctx context.Context, src *Sources, tag, previous string, opts Options) (*gate.ReleaseFacts, fs.FS, error) {
	if tag == "" {
		if src.WorkTree == nil {
			return nil, nil, usage("a release candidate is judged in its work tree, and none was given")
		}
		// Judge the files as they are; HEAD only places them in history.
		f, err := gatherReleaseAt(ctx, src, src.WorkTree, "", src.WorkHead, previous, opts)
		return f, src.WorkTree, err
	}
	if src.Repo == nil {
		return nil, nil, usage("release %s: a tag needs a git repository: --dir must be the top of a git work tree", tag)
	}
	sha, err := src.Repo.Resolve(ctx, tag)
	if err != nil {
		return nil, nil, &UsageError{fmt.Errorf("release %s: %w", tag, err)}
	}
	logctx.From(ctx).Info("release", "tag", tag, "commit", model.ShortSHA(sha))
	tree, err := treeAt(ctx, src.Repo, sha)
	if err != nil {
		return nil, nil, err
	}
	f, err := gatherReleaseAt(ctx, src, tree, tag, sha, previous, opts)
	return f, tree, err
}

// gatherReleaseAt gathers the facts of the release at tree. tag is empty
// for a release candidate; sha is empty when there is no git history to
// judge.
func gatherReleaseAt(ctx context.Context, src *Sources, tree fs.FS, tag, sha, previous string, opts Options) (*gate.ReleaseFacts, error) {
	start := time.Now()
	where := tag
	if where == "" {
		where = "the work tree"
	}
	cfg, err := policy(ctx, tree, opts, where)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*gate.ReleaseFacts, error) { return nil, incomplete(cfg, err) }
	ids, err := trace.NewIDs(cfg)
	if err != nil {
		return nil, &UsageError{err}
	}
	evFS, evWarns, err := evidenceFS(ctx, src, sha)
	if err != nil {
		return fail(err)
	}
	l := loadModels(ctx, evFS, src, cfg, ids, opts, modelTree{tree, where})[0]
	m, err := l.m, l.err
	if err != nil {
		return fail(fmt.Errorf("%s: %w", where, err))
	}
	if tag != "" {
		m.DHF.Warnings = append(m.DHF.Warnings, evWarns...)
	}

	var prev *facts.Tag
	var commits []facts.Commit
	history := src.Repo != nil && sha != ""
	if history {
		if prev, err = previousRelease(ctx, src.Repo, tag, sha, previous, cfg.Release); err != nil {
			if IsUsage(err) {
				return nil, err
			}
			return fail(err)
		}
		from := ""
		if prev != nil {
			from = prev.Commit
		}
		if commits, err = src.Repo.Commits(ctx, from, sha); err != nil {
			return fail(err)
		}
	} else if previous != "" {
		return nil, usage("--previous-tag %s needs a git repository: --dir must be the top of a git work tree", previous)
	}

	lf := &trace.LinkFinder{IDs: ids, Repo: src.RepoName, Hosts: src.Hosts}
	commitLinks := map[string][]trace.Link{}
	var all []trace.Link
	for _, c := range commits {
		var l trace.Links
		lf.Text(&l, c.Message, "commit "+model.ShortSHA(c.SHA))
		commitLinks[c.SHA] = l.List()
		all = append(all, l.List()...)
	}
	rv := newResolver(cfg, ids, src, m.DHF.Records)
	if err := rv.resolve(ctx, all); err != nil {
		return fail(err)
	}
	// Squash merges write "Title (#123)": the pull request's own links
	// trace the commit.
	prLinks := map[string][]trace.Link{}
	for id, iss := range rv.issues {
		if !iss.IsPullRequest || src.PRs == nil {
			continue
		}
		pr, err := src.PRs.PullRequest(ctx, iss.Ref.Repo, iss.Ref.Number)
		if errors.Is(err, facts.ErrNotFound) {
			continue
		}
		if err != nil {
			return fail(fmt.Errorf("looking up pull request %s: %w", id, err))
		}
		var l trace.Links
		lf.Text(&l, pr.Title, "pull request "+id+" title")
		lf.Text(&l, pr.Body, "pull request "+id+" body")
		lf.Branch(&l, pr.HeadRef)
		prLinks[id] = l.List()
		if err := rv.resolve(ctx, l.List()); err != nil {
			return fail(err)
		}
	}

	// Change requests that list commits trace them after the fact; only
	// a release with changes to judge needs them.
	var listing []model.Record
	if prev != nil && len(commits) > 0 {
		if listing, err = rv.listingCommits(ctx, m.DHF); err != nil {
			return fail(err)
		}
	}
	labels, w := problemLabels(cfg, rv)
	if w != nil {
		m.DHF.Warnings = append(m.DHF.Warnings, *w)
	}
	open, err := openProblems(ctx, src, labels, m, rv)
	if err != nil {
		return fail(err)
	}
	var plans []gate.PlanFiles
	for _, p := range cfg.Release.Plans {
		files, err := ingest.Glob(tree, p.Path, nil)
		if err != nil {
			return fail(fmt.Errorf("release plan %s: %w", p.Name, err))
		}
		plans = append(plans, gate.PlanFiles{Plan: p, Files: files})
	}
	sf, err := soupFacts(ctx, src, cfg, tree, nil, evFS, opts)
	if err != nil {
		return fail(err)
	}
	if sf != nil {
		m.DHF.Warnings = append(m.DHF.Warnings, sf.List.Warnings...)
	}
	var commitChanges map[string][]facts.Change
	var commitPRs map[string][]int
	var reviews *gate.ReviewFacts
	if prev != nil {
		if commitChanges, commitPRs, reviews, err = changeReviews(ctx, src, cfg, commits, opts.ReviewRecords); err != nil {
			return fail(err)
		}
	}
	approval, err := releaseApproval(ctx, src, cfg, sha)
	if err != nil {
		return fail(err)
	}
	logctx.From(ctx).Info("gathered", "gate", gate.GateRelease, "commits", len(commits), "open_problems", len(open), "took", time.Since(start))
	return &gate.ReleaseFacts{
		Model: m, Tag: tag, Commit: sha, Previous: prev, Commits: commits, Links: commitLinks, PRLinks: prLinks,
		Records: rv.records, Issues: rv.issues, Unresolvable: rv.unresolvable, Listing: listing, OpenProblems: open, Plans: plans,
		NoHistory: !history, SOUP: sf, CommitChanges: commitChanges, CommitPRs: commitPRs, Reviews: reviews, Approval: approval,
	}, nil
}

// problemLabels are the labels of the GitHub issues that are problem
// reports. Without GitHub access, labels the policy does not set — the
// built-in defaults — are not used: a fresh repository is judged on its
// files, and a warning says so. Labels the policy sets need GitHub, and
// their absence is an error (openProblems).
func problemLabels(cfg *config.Config, rv *resolver) ([]string, *input.Warning) {
	labels := cfg.ProblemReports.Labels
	if rv.src.Tracker != nil || len(labels) == 0 || !cfg.IsDefault("problem_reports.labels") {
		return labels, nil
	}
	w := input.Warnf(cfg.Pos("problem_reports"), "problem reports were read from files only (%s): %s, and the policy does not say they are GitHub issues; "+
		"give a token to list the open issues labelled %s as known anomalies too, or set problem_reports.labels ([] for files only)",
		strings.Join(cfg.ProblemReports.Files, ", "), rv.noTracker(), strings.Join(labels, ", "))
	return nil, &w
}

// openProblems lists the problem reports open at the release: the record
// files at the release commit and, when problem reports are GitHub issues,
// the open labelled issues. Without GitHub access the list cannot be
// known, which is an error, not an empty list.
func openProblems(ctx context.Context, src *Sources, labels []string, m *gate.Model, rv *resolver) ([]model.Record, error) {
	var out []model.Record
	seen := map[string]bool{}
	for _, r := range recordsOf(m.DHF, model.KindProblemReport) {
		if r.Open() && !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	if len(labels) == 0 {
		return out, nil
	}
	if src.Tracker == nil {
		return nil, fmt.Errorf("problem reports are GitHub issues labelled %s, and the open ones cannot be listed: %s (set problem_reports.labels: [] to keep them in files only)",
			strings.Join(labels, ", "), rv.noTracker())
	}
	issues, err := src.Tracker.Labelled(ctx, labels, "open")
	if err != nil {
		return nil, fmt.Errorf("listing open problem reports: %w", err)
	}
	for _, iss := range issues {
		r := facts.RecordFromIssue(iss, model.KindProblemReport, m.Config)
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	return out, nil
}

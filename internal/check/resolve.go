package check

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

// resolver looks links up: typed IDs among the record files and the
// titles of labelled issues, issue references through the tracker.
type resolver struct {
	cfg  *config.Config
	ids  *trace.IDs
	src  *Sources
	file map[string][]model.Record // by ID

	titled map[string]map[string][]model.Record // kind → ID in title → records
	listed map[string][]*facts.Issue            // kind → its labelled issues

	records      map[string][]model.Record
	issues       map[string]*facts.Issue
	unresolvable map[string]string
}

func newResolver(cfg *config.Config, ids *trace.IDs, src *Sources, files []model.Record) *resolver {
	r := &resolver{cfg: cfg, ids: ids, src: src, file: map[string][]model.Record{},
		records: map[string][]model.Record{}, issues: map[string]*facts.Issue{}, unresolvable: map[string]string{}}
	for _, f := range files {
		r.file[f.ID] = append(r.file[f.ID], f)
	}
	return r
}

// resolve looks up every link not yet known. Tracker failures other than
// "not found" are errors: an evaluation that cannot look a link up must
// not pass.
func (r *resolver) resolve(ctx context.Context, links []trace.Link) error {
	for _, l := range links {
		if _, done := r.records[l.ID]; done {
			continue
		}
		if _, done := r.unresolvable[l.ID]; done {
			continue
		}
		switch l.Kind {
		case config.KindChangeRequest, config.KindProblemReport:
			if recs := kindOf(r.file[l.ID], l.Kind); len(recs) > 0 {
				r.records[l.ID] = recs
				continue
			}
			recs, err := r.fromTitles(ctx, l.Kind, l.ID)
			if err != nil {
				return err
			}
			if recs != nil {
				r.records[l.ID] = recs
			}
		case trace.LinkIssue:
			if r.src.Tracker == nil {
				r.unresolvable[l.ID] = r.noTracker()
				continue
			}
			iss, err := r.src.Tracker.Issue(ctx, facts.IssueRef{Repo: l.Repo, Number: l.Number})
			if errors.Is(err, facts.ErrNotFound) {
				continue
			}
			if err != nil {
				return fmt.Errorf("looking up issue %s: %w", l.ID, err)
			}
			r.issues[l.ID] = iss
			for _, kind := range facts.RecordKinds(iss, r.cfg) {
				r.records[l.ID] = append(r.records[l.ID], facts.RecordFromIssue(iss, kind, r.cfg))
			}
		}
	}
	return nil
}

func (r *resolver) noTracker() string {
	if r.src.NoTracker != "" {
		return r.src.NoTracker
	}
	return "no GitHub access was configured"
}

// fromTitles finds records held as issues whose title carries the ID
// ("PRB-7: rate rounds down"). Each kind's labelled issues are listed once.
func (r *resolver) fromTitles(ctx context.Context, kind, id string) ([]model.Record, error) {
	labels := r.cfg.ProblemReports.Labels
	if kind == model.KindChangeRequest {
		labels = r.cfg.ChangeRequests.Labels
	}
	if len(labels) == 0 || r.src.Tracker == nil {
		return nil, nil
	}
	if r.titled == nil {
		r.titled = map[string]map[string][]model.Record{}
	}
	idx, ok := r.titled[kind]
	if !ok {
		issues, err := r.labelled(ctx, kind)
		if err != nil {
			return nil, err
		}
		idx = map[string][]model.Record{}
		for _, iss := range issues {
			for _, tid := range r.ids.Find(kind, iss.Title) {
				rec := facts.RecordFromIssue(iss, kind, r.cfg)
				rec.ID = tid
				idx[tid] = append(idx[tid], rec)
			}
		}
		r.titled[kind] = idx
	}
	return idx[id], nil
}

// labelled lists the issues that carry a kind's labels, open and closed,
// once per evaluation; none without a tracker or labels.
func (r *resolver) labelled(ctx context.Context, kind string) ([]*facts.Issue, error) {
	labels := r.cfg.ProblemReports.Labels
	if kind == model.KindChangeRequest {
		labels = r.cfg.ChangeRequests.Labels
	}
	if len(labels) == 0 || r.src.Tracker == nil {
		return nil, nil
	}
	if issues, ok := r.listed[kind]; ok {
		return issues, nil
	}
	issues, err := r.src.Tracker.Labelled(ctx, labels, "all")
	if err != nil {
		return nil, fmt.Errorf("listing %ss (labels %s): %w", kindName(kind), strings.Join(labels, ", "), err)
	}
	if r.listed == nil {
		r.listed = map[string][]*facts.Issue{}
	}
	r.listed[kind] = issues
	return issues, nil
}

// listingCommits are the change requests that list commits they trace
// (model.Record.Commits): record files at the evaluated commit and,
// with GitHub access, the issues labelled as change requests. The gate
// decides whether each counts (it must be approved).
func (r *resolver) listingCommits(ctx context.Context, dhf *model.DHF) ([]model.Record, error) {
	var out []model.Record
	for _, rec := range recordsOf(dhf, model.KindChangeRequest) {
		if len(rec.Commits) > 0 {
			out = append(out, rec)
		}
	}
	issues, err := r.labelled(ctx, model.KindChangeRequest)
	if err != nil {
		return nil, err
	}
	for _, iss := range issues {
		if iss.IsPullRequest {
			continue
		}
		if rec := facts.RecordFromIssue(iss, model.KindChangeRequest, r.cfg); len(rec.Commits) > 0 {
			out = append(out, rec)
		}
	}
	return out, nil
}

func kindOf(rs []model.Record, kind string) []model.Record {
	var out []model.Record
	for _, r := range rs {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}

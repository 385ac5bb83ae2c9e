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
		issues, err := r.src.Tracker.Labelled(ctx, labels, "all")
		if err != nil {
			return nil, fmt.Errorf("listing %ss (labels %s): %w", kindName(kind), strings.Join(labels, ", "), err)
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

func kindOf(rs []model.Record, kind string) []model.Record {
	var out []model.Record
	for _, r := range rs {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}

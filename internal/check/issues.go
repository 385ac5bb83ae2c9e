package check

import (
	"context"
	"fmt"
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/ingest/soupreg"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// issueItems are the design-history items the policy keeps as GitHub
// issues (requirements and harm risks written from issue forms), read
// once per evaluation through the tracker and added to every model read:
// an issue is the same item at a pull request's base and head.
type issueItems struct {
	requirements []model.Requirement
	hazards      []model.Hazard
	controls     []model.RiskControl
	files        []model.InputFile
	warnings     []input.Warning
}

// hasIssueSources reports whether the policy reads any kind from issues.
func hasIssueSources(cfg *config.Config) bool {
	for _, s := range append(append([]config.Source{}, cfg.Requirements...), cfg.Risks...) {
		if s.Issues != nil {
			return true
		}
	}
	return false
}

// readIssueItems lists the labelled issues of every issue source. Without
// a tracker the evaluation fails: the policy says the items are there, and
// a gate that cannot read them must not judge without them.
func readIssueItems(ctx context.Context, src *Sources, cfg *config.Config) (*issueItems, error) {
	if !hasIssueSources(cfg) {
		return &issueItems{}, nil
	}
	out := &issueItems{}
	var errs input.Errors
	// Issue numbers of requirement issues, for the links of risk controls.
	reqIDs := map[int]string{}
	list := func(key string, i int, s *config.IssueSource) ([]*facts.Issue, bool) {
		issues, file, err := listIssues(ctx, src, cfg.Pos(fmt.Sprintf("%s.%d.issues", key, i)), fmt.Sprintf("%s[%d]", key, i), key, s)
		if err != nil {
			errs = append(errs, asInputErrors(err)...)
			return nil, false
		}
		out.files = append(out.files, file)
		return issues, true
	}
	for i, s := range cfg.Requirements {
		if s.Issues == nil {
			continue
		}
		issues, ok := list("requirements", i, s.Issues)
		if !ok {
			continue
		}
		for _, iss := range issues {
			r, err := facts.RequirementFromIssue(iss, *s.Issues)
			if err != nil {
				errs = append(errs, asInputErrors(err)...)
				continue
			}
			reqIDs[iss.Ref.Number] = r.ID
			out.requirements = append(out.requirements, r)
		}
	}
	requirementID := func(n int) (string, bool) { id, ok := reqIDs[n]; return id, ok }
	for i, s := range cfg.Risks {
		if s.Issues == nil {
			continue
		}
		issues, ok := list("risks", i, s.Issues)
		if !ok {
			continue
		}
		for _, iss := range issues {
			hz, rcs, warns := facts.HazardFromIssue(iss, *s.Issues, requirementID)
			out.hazards = append(out.hazards, hz)
			out.controls = append(out.controls, rcs...)
			out.warnings = append(out.warnings, warns...)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// listIssues lists the issues of an issue source (what names it in
// messages, at its place in the policy), pull requests left out, and the
// input they are. Without a tracker it is an error: the policy says the
// items are there, and a gate that cannot read them must not judge without
// them.
func listIssues(ctx context.Context, src *Sources, at input.Pos, what, kind string, s *config.IssueSource) ([]*facts.Issue, model.InputFile, error) {
	labels := strings.Join(s.Labels, ", ")
	if src.Tracker == nil {
		return nil, model.InputFile{}, input.Errorf(at, "%s are GitHub issues (labels %s), and they cannot be read: %s", what, labels, noTrackerReason(src)).
			WithHint("give a GitHub token (--github-token or GITHUB_TOKEN) so that the issues are read; a gate never judges without items the policy names")
	}
	issues, err := src.Tracker.Labelled(ctx, s.Labels, "all")
	if err != nil {
		return nil, model.InputFile{}, input.Errorf(at, "%s: listing the issues labelled %s: %v", what, labels, err)
	}
	var kept []*facts.Issue
	for _, iss := range issues {
		if !iss.IsPullRequest {
			kept = append(kept, iss)
		}
	}
	return kept, model.InputFile{Path: "issues labelled " + labels, Kind: kind, Format: facts.IssueFormat, Items: len(kept)}, nil
}

// readSOUPIssues reads the SOUP register the policy keeps as issues
// (soup.issues): each issue one entry, as a register file's entry. An
// entry that cannot be read fails the evaluation, naming the issue and its
// section; none is dropped. file names the register in messages.
func readSOUPIssues(ctx context.Context, src *Sources, cfg *config.Config) (items []model.SOUPItem, file string, warns []input.Warning, err error) {
	s := cfg.SOUP.Issues
	issues, in, err := listIssues(ctx, src, cfg.Pos("soup.issues"), "soup.issues: the SOUP register's entries", "soup", s)
	if err != nil {
		return nil, "", nil, err
	}
	var errs input.Errors
	for _, iss := range issues {
		it, w, err := facts.SOUPFromIssue(iss, *s)
		warns = append(warns, w...)
		if err != nil {
			errs = append(errs, asInputErrors(err)...)
			continue
		}
		items = append(items, it)
	}
	if len(errs) > 0 {
		return nil, "", nil, errs
	}
	return items, in.Path, append(warns, soupreg.Duplicates(items)...), nil
}

func noTrackerReason(src *Sources) string {
	if src.NoTracker != "" {
		return src.NoTracker
	}
	return "no GitHub access was configured"
}

func asInputErrors(err error) input.Errors {
	if es, ok := err.(input.Errors); ok {
		return es
	}
	if e, ok := input.AsError(err); ok {
		return input.Errors{e}
	}
	return input.Errors{&input.Error{Msg: err.Error(), Err: err}}
}

// add puts the items into a model's design history file.
func (it *issueItems) add(dhf *model.DHF) {
	dhf.Requirements = append(dhf.Requirements, it.requirements...)
	dhf.Hazards = append(dhf.Hazards, it.hazards...)
	dhf.RiskControls = append(dhf.RiskControls, it.controls...)
	dhf.Files = append(dhf.Files, it.files...)
	dhf.Warnings = append(dhf.Warnings, it.warnings...)
}

package gate

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/model"
)

// ReviewFacts are the review records of pull requests, as GitHub keeps
// them, for the review rules and the evidence.
type ReviewFacts struct {
	// Unavailable says why the records could not be read ("no GitHub
	// token was given"); "" when they were. A rule that needs them then
	// fails: a review that cannot be seen is not a review.
	Unavailable string
	// PRs are the records by pull request number.
	PRs map[int]*ReviewedPR
	// Members says which reviewers are active members of each team the
	// policy names (org/slug → lower-case login → member).
	Members map[string]map[string]bool
}

// ReviewedPR is a pull request (with its final head commit) and its
// reviews.
type ReviewedPR struct {
	PR      facts.PullRequest
	Reviews facts.PullRequestReviews
}

// ReviewRecord is a pull request's reviews as judged: what the evidence
// shows of each change's review.
type ReviewRecord struct {
	Number int    `json:"number"`
	Title  string `json:"title,omitempty"`
	URL    string `json:"url,omitempty"`
	Author string `json:"author,omitempty"`
	// Created is when the pull request was opened.
	Created time.Time `json:"created,omitzero"`
	// Head is the pull request's final head commit: what was merged, or
	// what is evaluated. An approval covers the change only on it.
	Head        string         `json:"head"`
	Merged      bool           `json:"merged,omitempty"`
	MergedAt    time.Time      `json:"merged_at,omitzero"`
	MergeCommit string         `json:"merge_commit,omitempty"`
	Reviews     []JudgedReview `json:"reviews"`
	// Requested are the reviews asked for and not given (users, org/team).
	Requested []string `json:"requested,omitempty"`
	// Approvals counts the approving reviews that count: on the final
	// head, by a named reviewer, not the author, still in force; Needed
	// is the policy's number (0 when it requires none).
	Approvals int `json:"approvals"`
	Needed    int `json:"needed"`
	// Covered: an approving review covers the final head.
	Covered      bool `json:"covered"`
	SelfApproved bool `json:"self_approved,omitempty"`
	// Class is the highest class of the items the change touches and
	// Touches what it changes of them; Commits are the commits of the
	// release that came in by it.
	Class   model.Class `json:"class,omitempty"`
	Touches []string    `json:"touches,omitempty"`
	Commits []string    `json:"commits,omitempty"`
}

// JudgedReview is one review and whether it counts as an approval of the
// change; Note says why not.
type JudgedReview struct {
	facts.Review
	Counts bool   `json:"counts"`
	Note   string `json:"note,omitempty"`
}

// judgeReviews judges a pull request's reviews against its final head:
// per reviewer, the latest approving or changes-requested review is in
// force (as on GitHub; comments change nothing and a dismissed review is
// none); an approval counts when it is in force, was given on the final
// head, by one of the reviewers (anyone when the list is empty) and not by
// the pull request's author. The record's Approvals counts reviewers.
// whose names the list in the note of an approval by someone not on it
// ("the policy's reviewers", "the release approvers").
func judgeReviews(pr *ReviewedPR, reviewers []config.Reviewer, whose string, members map[string]map[string]bool, needed int) ReviewRecord {
	p := pr.PR
	rec := ReviewRecord{Number: p.Number, Title: p.Title, URL: p.URL, Author: p.Author, Created: p.Created, Head: p.HeadSHA, Merged: p.Merged,
		MergedAt: p.MergedAt, MergeCommit: p.MergeCommit, Needed: needed, Reviews: []JudgedReview{}}
	rec.Requested = append(append(rec.Requested, pr.Reviews.RequestedUsers...), pr.Reviews.RequestedTeams...)
	inForce := map[string]int{} // lower-case login → index of the review in force
	for i, r := range pr.Reviews.Reviews {
		if r.State == facts.ReviewApproved || r.State == facts.ReviewChangesRequested {
			inForce[strings.ToLower(r.Reviewer)] = i
		}
	}
	counted := map[string]bool{}
	for i, r := range pr.Reviews.Reviews {
		jr := JudgedReview{Review: r}
		login := strings.ToLower(r.Reviewer)
		switch r.State {
		case facts.ReviewApproved:
			switch {
			case login == strings.ToLower(p.Author) && p.Author != "":
				jr.Note = "approval by the pull request's own author"
				rec.SelfApproved = true
			case r.Commit != p.HeadSHA:
				jr.Note = fmt.Sprintf("stale: it reviewed %s, the final head is %s", shortOr(r.Commit, "an unknown commit"), model.ShortSHA(p.HeadSHA))
			case inForce[login] != i:
				jr.Note = "superseded by a later review of " + r.Reviewer
			case !named(r.Reviewer, reviewers, members):
				jr.Note = "not one of " + whose + " (" + reviewerList(reviewers) + ")"
			default:
				jr.Counts = true
				if !counted[login] {
					counted[login] = true
					rec.Approvals++
				}
			}
		case facts.ReviewChangesRequested:
			if inForce[login] == i {
				jr.Note = "changes requested, not withdrawn"
			} else {
				jr.Note = "superseded by a later review of " + r.Reviewer
			}
		case facts.ReviewDismissed:
			jr.Note = "dismissed"
		case facts.ReviewCommented:
			jr.Note = "comment, not a decision"
		case facts.ReviewPending:
			jr.Note = "not submitted"
		default:
			jr.Note = "state " + r.State + " is not an approval"
		}
		rec.Reviews = append(rec.Reviews, jr)
	}
	rec.Covered = rec.Approvals > 0
	return rec
}

// objections are the changes-requested reviews in force by reviewers
// whose approval would count.
func objections(rec ReviewRecord, reviewers []config.Reviewer, members map[string]map[string]bool) []string {
	var out []string
	for _, r := range rec.Reviews {
		if r.State == facts.ReviewChangesRequested && r.Note == "changes requested, not withdrawn" && named(r.Reviewer, reviewers, members) {
			out = append(out, r.Reviewer)
		}
	}
	return out
}

// named reports whether login is one of the reviewers: listed as a user,
// or an active member of a listed team. An empty list names everyone.
func named(login string, reviewers []config.Reviewer, members map[string]map[string]bool) bool {
	if len(reviewers) == 0 {
		return true
	}
	l := strings.ToLower(login)
	for _, r := range reviewers {
		if r.Login != "" && strings.ToLower(r.Login) == l {
			return true
		}
		if r.Team != "" && members[strings.ToLower(r.Org+"/"+r.Team)][l] {
			return true
		}
	}
	return false
}

func reviewerList(reviewers []config.Reviewer) string {
	s := make([]string, len(reviewers))
	for i, r := range reviewers {
		s[i] = r.String()
	}
	return strings.Join(s, ", ")
}

func shortOr(sha, none string) string {
	if sha == "" {
		return none
	}
	return model.ShortSHA(sha)
}

// reviewProblems says what keeps a judged record from satisfying the
// policy: too few approvals on the final head (naming the reviews that
// did not count), an approval by the author, an objection in force.
func reviewProblems(rec ReviewRecord, reviewers []config.Reviewer, members map[string]map[string]bool) []string {
	var out []string
	if rec.Approvals < rec.Needed {
		why := fmt.Sprintf("%s on its final head %s, of %d required", pluralN(rec.Approvals, "approving review counts", "approving reviews count"),
			model.ShortSHA(rec.Head), rec.Needed)
		if len(reviewers) > 0 {
			why += " from " + reviewerList(reviewers)
		}
		var not []string
		for _, r := range rec.Reviews {
			if r.State == facts.ReviewApproved && !r.Counts || r.State == facts.ReviewDismissed {
				not = append(not, fmt.Sprintf("%s's %s", r.Reviewer, r.Note))
			}
		}
		if len(not) > 0 {
			why += " (" + strings.Join(not, "; ") + ")"
		}
		out = append(out, why)
	}
	if rec.Author == "" {
		out = append(out, "its author is not known, so an approval by its author cannot be ruled out")
	}
	if rec.SelfApproved {
		out = append(out, "it was approved by its own author "+rec.Author+", which the policy does not accept")
	}
	if obj := objections(rec, reviewers, members); len(obj) > 0 {
		out = append(out, "changes requested by "+strings.Join(obj, ", ")+" are not withdrawn")
	}
	return out
}

func pluralN(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// itemTouches lists what changes touch of the policy's software items,
// with the class of each: a file under an item's paths. When the policy
// declares no items, the software system is one item of its class (IEC
// 62304 4.3), as for the risk-impact rule: every changed file is of it.
func itemTouches(cfg *config.Config, changes []facts.Change) []touch {
	var out []touch
	for _, ch := range changes {
		for _, p := range []string{ch.Path, ch.OldPath} {
			if p == "" {
				continue
			}
			if len(cfg.Items) == 0 {
				out = append(out, touch{fmt.Sprintf("changes %s of the class %s software system", p, cfg.SafetyClass), cfg.SafetyClass})
				break
			}
			for _, it := range cfg.Items {
				if it.Owns(p) {
					out = append(out, touch{fmt.Sprintf("changes %s of class %s item %s", p, it.Class, it.Name), it.Class})
				}
			}
		}
	}
	return out
}

// touchSummary is the highest class touched and the descriptions, unique
// and sorted.
func touchSummary(ts []touch) (model.Class, []string) {
	class := model.Class("")
	var whys []string
	for _, t := range ts {
		class = model.Max(class, t.class)
		whys = append(whys, t.what)
	}
	sort.Strings(whys)
	return class, unique(whys)
}

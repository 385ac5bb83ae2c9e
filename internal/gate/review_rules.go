package gate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/model"
)

// The review rules: a change to a class B or C item is reviewed (IEC 62304
// 5.5.5 unit verification, 8.2.3 verification of changes) — judged on the
// pull request (pr-reviewed) and on every change of a release
// (changes-reviewed).

// policyReviewers is how a note names the policy's reviews.reviewers.
const policyReviewers = "the policy's reviewers"

var ruleReviewed = Rule{ID: "TG209", Name: "pr-reviewed", Title: "Changes to class B/C items are approved on their final head by the policy's reviewers",
	Clauses: []string{"IEC 62304 5.5.5", "IEC 62304 8.2.3"}, MinClass: model.ClassB, Severity: SevError,
	Description: "A pull request that changes files of a class B or C software item needs the policy's number of approving reviews (reviews.approvals) on its final head commit, from the named users or team members (reviews.reviewers), and no approval by its own author. An approval of an earlier commit is stale, a dismissed one is none, and a reviewer's later request for changes takes back their approval, as on GitHub. The reviews are read from GitHub; without them the rule fails.",
	Remediation: "have the pull request approved on its latest commit by the policy's reviewers (re-request review after pushing), or give tracegate a GitHub token so that it can read the reviews"}

var ruleChangesReviewed = Rule{ID: "TG310", Name: "changes-reviewed", Title: "Every change since the previous release to a class B/C item was approved on its final head",
	Clauses: []string{"IEC 62304 5.5.5", "IEC 62304 8.2.3"}, MinClass: model.ClassB, Severity: SevError,
	Description: "Each commit since the previous release that changes files of a class B or C software item came in by a pull request that had, on its final head commit, the policy's approving reviews (reviews.approvals, reviews.reviewers) and no approval by its author; a commit pushed without a pull request has no review record. The pull requests are found through GitHub (the pull requests of each commit); without access the rule fails.",
	Remediation: "for history already written, record the review in a follow-up change request and have it approved; from now on merge only approved pull requests (a branch ruleset requiring reviews)"}

// prReviewed judges the pull request's own reviews.
func checkPRReviewed(f *PRFacts, c *check) {
	cfg := f.Head.Config
	if !cfg.Reviews.Required() {
		c.notApplicable("the policy requires no review of changes (reviews.approvals)")
		return
	}
	ts := itemTouches(cfg, f.Changes)
	if len(ts) == 0 {
		c.notApplicable("the pull request changes no file of a software item")
		return
	}
	class, whys := touchSummary(ts)
	if !c.applies(class) {
		return
	}
	subject := prSubject(f.PR)
	what := strings.Join(limit(whys, 3), "; ")
	needs := pluralN(cfg.Reviews.Approvals, "approving review", "approving reviews")
	switch {
	case f.Reviews == nil || f.Reviews.Unavailable != "":
		why := "they were not gathered"
		if f.Reviews != nil {
			why = f.Reviews.Unavailable
		}
		c.report(class, subject, noPos, "the pull request %s, so the policy requires %s on its final head, and its reviews could not be read: %s", what, needs, why)
		return
	case f.PR.Number <= 0:
		c.report(class, subject, noPos, "the pull request %s, so the policy requires %s on its final head, and no pull request number was given to read its reviews by", what, needs)
		return
	case f.Reviews.PRs[f.PR.Number] == nil:
		c.report(class, subject, noPos, "the pull request %s, so the policy requires %s on its final head, and no review record of #%d was read", what, needs, f.PR.Number)
		return
	}
	rec := prReviewRecord(f)
	if problems := reviewProblems(*rec, config.ParseReviewers(cfg.Reviews.Reviewers), f.Reviews.Members); len(problems) > 0 {
		c.report(class, subject, noPos, "the pull request %s: %s", what, strings.Join(problems, "; "))
	}
}

// prReviewRecord judges the reviews of the pull request under evaluation
// against the head evaluated; nil when none were read.
func prReviewRecord(f *PRFacts) *ReviewRecord {
	if f.Reviews == nil || f.Reviews.PRs[f.PR.Number] == nil || f.PR.Number <= 0 {
		return nil
	}
	cfg := f.Head.Config
	rec := judgeReviews(&ReviewedPR{PR: f.PR, Reviews: f.Reviews.PRs[f.PR.Number].Reviews}, config.ParseReviewers(cfg.Reviews.Reviewers), policyReviewers, f.Reviews.Members, cfg.Reviews.Approvals)
	rec.Class, rec.Touches = touchSummary(itemTouches(cfg, f.Changes))
	return &rec
}

// prChanges are the commits of the release grouped by the pull request
// they came in by.
type prChanges struct {
	touches []touch
	commits []string
}

func checkChangesReviewed(f *ReleaseFacts, c *check, st *releaseState) {
	cfg := f.Model.Config
	byPR := map[int]*prChanges{}
	var direct []facts.Commit
	for _, cm := range f.Commits {
		prs := f.CommitPRs[cm.SHA]
		var ts []touch
		if !cm.IsMerge() { // a merge's changes are those of the commits it brings in
			ts = itemTouches(cfg, f.CommitChanges[cm.SHA])
		}
		for _, n := range prs {
			if byPR[n] == nil {
				byPR[n] = &prChanges{}
			}
			byPR[n].touches = append(byPR[n].touches, ts...)
			byPR[n].commits = append(byPR[n].commits, cm.SHA)
		}
		if len(prs) == 0 && len(ts) > 0 {
			direct = append(direct, cm)
		}
	}
	reviewers := config.ParseReviewers(cfg.Reviews.Reviewers)
	var members map[string]map[string]bool
	if f.Reviews != nil {
		members = f.Reviews.Members
	}
	numbers := make([]int, 0, len(byPR))
	for n := range byPR {
		numbers = append(numbers, n)
	}
	sort.Ints(numbers)
	var recs []ReviewRecord
	for _, n := range numbers {
		if f.Reviews == nil || f.Reviews.PRs[n] == nil {
			continue
		}
		rec := judgeReviews(f.Reviews.PRs[n], reviewers, policyReviewers, members, cfg.Reviews.Approvals)
		rec.Class, rec.Touches = touchSummary(byPR[n].touches)
		rec.Commits = byPR[n].commits
		recs = append(recs, rec)
	}
	st.reviews = recs

	switch {
	case !cfg.Reviews.Required():
		c.notApplicable("the policy requires no review of changes (reviews.approvals)")
		return
	case noChangesToJudge(f) != "":
		c.notApplicable(noChangesToJudge(f))
		return
	}
	if f.Reviews == nil || f.Reviews.Unavailable != "" {
		why := "they were not gathered"
		if f.Reviews != nil {
			why = f.Reviews.Unavailable
		}
		var all []touch
		n := 0
		for _, cm := range f.Commits {
			if ts := itemTouches(cfg, f.CommitChanges[cm.SHA]); len(ts) > 0 && !cm.IsMerge() {
				all = append(all, ts...)
				n++
			}
		}
		if len(all) == 0 {
			c.notApplicable("no change since the previous release touches a software item")
			return
		}
		class, whys := touchSummary(all)
		if c.applies(class) {
			c.report(class, releaseName(f), noPos, "%s since %s %s (%s), so the policy requires their review, and the review records could not be read: %s",
				pluralN(n, "commit", "commits"), f.Previous.Name, "change class B/C items", strings.Join(limit(whys, 3), "; "), why)
		}
		return
	}
	for _, rec := range recs {
		if len(rec.Touches) == 0 || !c.applies(rec.Class) {
			continue
		}
		if problems := reviewProblems(rec, reviewers, members); len(problems) > 0 {
			c.report(rec.Class, fmt.Sprintf("pull request #%d", rec.Number), noPos, "pull request #%d %s (%s) %s: %s", rec.Number, strconvQuote(oneLine(rec.Title, 120)),
				mergedAs(rec), strings.Join(limit(rec.Touches, 3), "; "), strings.Join(problems, "; "))
		}
	}
	for _, n := range numbers {
		if (f.Reviews.PRs[n] == nil) && len(byPR[n].touches) > 0 {
			class, whys := touchSummary(byPR[n].touches)
			if c.applies(class) {
				c.report(class, fmt.Sprintf("pull request #%d", n), noPos, "pull request #%d %s, and its review record was not read", n, strings.Join(limit(whys, 3), "; "))
			}
		}
	}
	for _, cm := range direct {
		class, whys := touchSummary(itemTouches(cfg, f.CommitChanges[cm.SHA]))
		if !c.applies(class) {
			continue
		}
		c.report(class, model.ShortSHA(cm.SHA), noPos, "commit %s %s (%s) %s, and came in by no pull request: there is no review record of it",
			model.ShortSHA(cm.SHA), strconvQuote(oneLine(cm.Subject(), 120)), cm.Author, strings.Join(limit(whys, 3), "; "))
	}
	if c.checked == 0 && c.skipped == 0 {
		c.notApplicable("no change since the previous release touches a software item")
	}
}

func mergedAs(rec ReviewRecord) string {
	if rec.Merged && rec.MergeCommit != "" {
		return "merged as " + model.ShortSHA(rec.MergeCommit)
	}
	return "commits " + strings.Join(shortAll(rec.Commits), ", ")
}

func shortAll(shas []string) []string {
	out := make([]string, len(shas))
	for i, s := range shas {
		out[i] = model.ShortSHA(s)
	}
	return out
}

// noChangesToJudge says why a release has no changes since a previous
// release for a rule to judge, or "" when it has.
func noChangesToJudge(f *ReleaseFacts) string {
	switch {
	case f.NoHistory:
		return "the release candidate has no git history here; the gate on the release tag judges its changes"
	case f.Previous == nil:
		return "first release: there are no changes since a previous release to judge"
	}
	return ""
}

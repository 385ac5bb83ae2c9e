package releasedoc

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/model"
)

// The review records of the changes since the previous release (IEC 62304
// 5.5.5, 8.2.3): each pull request the changes came in by, its reviews
// (reviewer, decision, the commit reviewed, when) and whether an approval
// covers its final head; the commits that came in by none; and the
// release approval with who, when, for which commit and its meaning.

// prRow is a pull request of the release with its judged reviews.
type prRow struct {
	gate.ReviewRecord
	Anchor   string
	Link     string
	Required bool // the policy requires its review (a class B/C item changed)
	Findings []*findingRow
}

// unreviewedRow is a commit of the release that came in by no pull
// request.
type unreviewedRow struct {
	SHA, Short, Subject, Author, URL string
	Touches                          []string
	Findings                         []*findingRow
}

// reviewRow is one review of a pull request, a row of the reviews table.
type reviewRow struct {
	PR *prRow
	gate.JudgedReview
}

// approvalView is the release approval as the report shows it.
type approvalView struct {
	*gate.ReleaseApproval
	Findings []*findingRow
}

// reviewsIntro says what the review records are, and why there are none.
func (v *releaseView) reviewsIntro() string {
	pol := v.Cfg.Reviews
	req := "The policy requires no review of changes (reviews.approvals); the records are shown as GitHub keeps them."
	if pol.Required() {
		req = fmt.Sprintf("The policy requires %s on the final head of every pull request that changes a class B or C item", plural(pol.Approvals, "approving review", "approving reviews"))
		if len(pol.Reviewers) > 0 {
			req += ", from " + strings.Join(pol.Reviewers, ", ")
		}
		req += ", and no approval by its author. An approval of an earlier commit is stale."
	}
	switch {
	case v.F.NoHistory:
		return req + " The release candidate has no git history here: its changes are judged on the release tag."
	case v.S.PreviousTag == "":
		return req + " A first release has no changes since a previous release to show."
	case v.F.Reviews == nil:
		return req + " The review records were not read: give a GitHub token (and the repository) so that they can be."
	case v.F.Reviews.Unavailable != "":
		return req + " The review records could not be read: " + v.F.Reviews.Unavailable + "."
	}
	return req
}

func (v *releaseView) buildReviews() {
	for i := range v.S.Reviews {
		rec := v.S.Reviews[i]
		subject := fmt.Sprintf("pull request #%d", rec.Number)
		row := prRow{ReviewRecord: rec, Anchor: fmt.Sprintf("pr-%d", rec.Number), Link: safeURL(rec.URL), Findings: v.bySubject[subject],
			Required: v.Cfg.Reviews.Required() && len(rec.Touches) > 0 && rec.Class.AtLeast(model.ClassB)}
		v.PRs = append(v.PRs, row)
	}
	for i := range v.PRs {
		for _, r := range v.PRs[i].Reviews {
			v.ReviewRows = append(v.ReviewRows, reviewRow{PR: &v.PRs[i], JudgedReview: r})
		}
		if len(v.PRs[i].Reviews) == 0 {
			v.ReviewRows = append(v.ReviewRows, reviewRow{PR: &v.PRs[i]})
		}
	}
	if v.F.CommitPRs != nil || v.F.CommitChanges != nil {
		for _, ch := range v.S.Changes {
			if ch.Merge || len(v.F.CommitPRs[ch.SHA]) > 0 || v.F.CommitPRs == nil {
				continue
			}
			row := unreviewedRow{SHA: ch.SHA, Short: model.ShortSHA(ch.SHA), Subject: ch.Subject, Author: ch.Author, URL: v.commitURL(ch.SHA),
				Findings: v.bySubject[model.ShortSHA(ch.SHA)]}
			row.Touches = touchesOf(v.Cfg.Items, v.F.CommitChanges[ch.SHA])
			v.Unreviewed = append(v.Unreviewed, row)
		}
	}
	if a := v.S.Approval; a != nil {
		v.Approval = &approvalView{ReleaseApproval: a}
		for i := range v.Findings {
			if v.Findings[i].Rule == "TG311" {
				v.Approval.Findings = append(v.Approval.Findings, &v.Findings[i])
			}
		}
	}
}

// touchesOf lists the items a commit's files belong to, for a reader.
func touchesOf(items []config.Item, changes []facts.Change) []string {
	seen := map[string]bool{}
	var out []string
	for _, ch := range changes {
		for _, it := range items {
			if it.Owns(ch.Path) && !seen[it.Name] {
				seen[it.Name] = true
				out = append(out, fmt.Sprintf("%s (class %s)", it.Name, it.Class))
			}
		}
	}
	sort.Strings(out)
	return out
}

// prOf is the pull requests a commit came in by, for the changes table.
func (v *releaseView) prOf(sha string) []docLink {
	var out []docLink
	for _, n := range v.F.CommitPRs[sha] {
		out = append(out, docLink{Text: fmt.Sprintf("#%d", n), Href: fmt.Sprintf("#pr-%d", n)})
	}
	return out
}

func reviewState(s string) string { return strings.ReplaceAll(s, "_", " ") }

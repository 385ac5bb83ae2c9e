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

// ApprovalFacts are the records a release approval is read from: the
// release pull requests (the pull request the release commit was merged
// by, or whose head it is) with their reviews, and the deployment reviews
// of the policy's protected environment for the release commit.
type ApprovalFacts struct {
	// Unavailable says why the records could not be read; "" when read.
	Unavailable  string
	PullRequests []*ReviewedPR
	Deployments  []facts.DeploymentApproval
	// Members: team (org/slug) → lower-case login → active member.
	Members map[string]map[string]bool
}

// ReleaseApproval is the release approval as judged: what the evidence
// records beside the signature block.
type ReleaseApproval struct {
	Approvers []string `json:"approvers"`
	Needed    int      `json:"needed"`
	Meaning   string   `json:"meaning"`
	Commit    string   `json:"commit"`
	// Approvals are every approval and rejection found, with whether it
	// counts; Count is how many approvers' approvals count.
	Approvals []Approval `json:"approvals"`
	Count     int        `json:"count"`
	// PullRequests are the release pull requests' reviews, judged as
	// reviews of a change (anyone's approval on the final head counts but
	// the author's): the "reviewed by" of the signature block.
	PullRequests []ReviewRecord `json:"pull_requests,omitempty"`
	Unavailable  string         `json:"unavailable,omitempty"`
}

// Approval is one approval (or rejection) of the release.
type Approval struct {
	Approver string `json:"approver"`
	// Kind is "review" (of a release pull request) or "deployment" (of
	// the protected environment); Via says which, for a reader.
	Kind string    `json:"kind"`
	Via  string    `json:"via"`
	At   time.Time `json:"at,omitzero"`
	// Commit is what was approved: the pull request's final head, or the
	// commit deployed.
	Commit  string `json:"commit"`
	URL     string `json:"url,omitempty"`
	Comment string `json:"comment,omitempty"`
	State   string `json:"state"`
	Counts  bool   `json:"counts"`
	Note    string `json:"note,omitempty"`
}

var ruleReleaseApproved = Rule{ID: "TG311", Name: "release-approved", Title: "The release is approved by the policy's release approvers",
	Clauses: []string{"IEC 62304 5.8.6", "ISO 13485 8.2.6"}, MinClass: model.ClassA, Severity: SevError,
	Description: "The release commit must be approved by the approvers the policy names (release.approval), as many as it requires: by an approving review, on its final head, of the pull request the release commit was merged by (or whose head it is), or by approving the deployment of the policy's protected environment for the release commit (GitHub's required reviewers). The evidence records each approver, when, for which commit, and what the approval means (ISO 13485 8.2.6: the identity of the person authorising release is recorded).",
	Remediation: "have a release approver approve the release pull request on its latest commit, or approve the release workflow's deployment to the protected environment; give tracegate a GitHub token to read the approvals"}

func checkReleaseApproved(f *ReleaseFacts, c *check, st *releaseState) {
	cfg := f.Model.Config
	pol := cfg.Release.Approval
	switch {
	case pol == nil:
		c.notApplicable("the policy requires no release approval (release.approval)")
		return
	case f.Commit == "":
		c.notApplicable("a release candidate without git history: the gate on the release tag checks its approval")
		return
	}
	class := cfg.SafetyClass
	if !c.applies(class) {
		return
	}
	subject := releaseName(f)
	rec := judgeApproval(f.Approval, pol, f.Commit)
	st.approval = rec
	if rec.Unavailable != "" {
		c.report(class, subject, noPos, "the policy requires %s of the release by %s, and the approval records could not be read: %s",
			pluralN(rec.Needed, "approval", "approvals"), strings.Join(pol.Approvers, ", "), rec.Unavailable)
		return
	}
	if rec.Count >= rec.Needed {
		return
	}
	var not []string
	for _, a := range rec.Approvals {
		if !a.Counts {
			not = append(not, fmt.Sprintf("%s's %s: %s", a.Approver, a.Via, a.Note))
		}
	}
	detail := "no approving review of a release pull request"
	if pol.Environment != "" {
		detail += " and no approved deployment to " + pol.Environment
	}
	detail += " for commit " + model.ShortSHA(f.Commit)
	if len(not) > 0 {
		detail = strings.Join(not, "; ")
	}
	c.report(class, subject, noPos, "%s has %d of the %s it needs from %s (%s)", strings.TrimSpace(subjectRelease(f)), rec.Count,
		pluralN(rec.Needed, "approval", "approvals"), strings.Join(pol.Approvers, ", "), detail)
}

// releaseName is the subject of a finding about the release: its tag, or
// the release candidate and its commit.
func releaseName(f *ReleaseFacts) string {
	if f.Tag == "" {
		return "release candidate " + model.ShortSHA(f.Commit)
	}
	return f.Tag
}

func subjectRelease(f *ReleaseFacts) string {
	if f.Tag == "" {
		return "the release candidate at " + model.ShortSHA(f.Commit)
	}
	return "release " + f.Tag + " at " + model.ShortSHA(f.Commit)
}

// judgeApproval reads the approvals of the release commit from the
// records: approving reviews of the release pull requests on their final
// heads, and approved deployments of the environment for the commit, by
// the approvers. An approver counts once however many times they approved.
func judgeApproval(af *ApprovalFacts, pol *config.ApprovalPolicy, commit string) *ReleaseApproval {
	rec := &ReleaseApproval{Approvers: pol.Approvers, Needed: pol.Needed(), Meaning: pol.Meaning, Commit: commit, Approvals: []Approval{}}
	if af == nil {
		rec.Unavailable = "they were not gathered"
		return rec
	}
	if af.Unavailable != "" {
		rec.Unavailable = af.Unavailable
		return rec
	}
	approvers := config.ParseReviewers(pol.Approvers)
	counted := map[string]bool{}
	for _, pr := range af.PullRequests {
		judged := judgeReviews(pr, approvers, "the release approvers", af.Members, rec.Needed)
		how := fmt.Sprintf("review of pull request #%d", pr.PR.Number)
		if pr.PR.Merged && pr.PR.MergeCommit == commit && pr.PR.HeadSHA != commit {
			how += " (merged as the release commit)"
		}
		for _, r := range judged.Reviews {
			if r.State != facts.ReviewApproved {
				continue
			}
			a := Approval{Approver: r.Reviewer, Kind: "review", Via: how, At: r.Submitted, Commit: r.Commit, URL: r.URL, State: r.State, Counts: r.Counts, Note: r.Note}
			if a.Counts && counted[strings.ToLower(a.Approver)] {
				a.Counts, a.Note = false, "counted once already"
			}
			if a.Counts {
				counted[strings.ToLower(a.Approver)] = true
			}
			rec.Approvals = append(rec.Approvals, a)
		}
		anyone := judgeReviews(pr, nil, "", nil, 0)
		rec.PullRequests = append(rec.PullRequests, anyone)
	}
	for _, d := range af.Deployments {
		a := Approval{Approver: d.Reviewer, Kind: "deployment", Via: fmt.Sprintf("deployment to %s (run %d)", d.Environment, d.RunID),
			At: d.At, Commit: d.Commit, URL: d.RunURL, Comment: d.Comment, State: d.State}
		switch {
		case d.State != facts.DeploymentApproved:
			a.Note = "the deployment was " + d.State
		case d.Commit != commit:
			a.Note = "it deployed " + model.ShortSHA(d.Commit) + ", not the release commit"
		case d.Environment != pol.Environment:
			a.Note = "environment " + d.Environment + " is not the policy's " + pol.Environment
		case !named(d.Reviewer, approvers, af.Members):
			a.Note = "not one of the release approvers (" + reviewerList(approvers) + ")"
		case counted[strings.ToLower(d.Reviewer)]:
			a.Note = "counted once already"
		default:
			a.Counts = true
			counted[strings.ToLower(d.Reviewer)] = true
		}
		rec.Approvals = append(rec.Approvals, a)
	}
	sort.SliceStable(rec.Approvals, func(i, j int) bool { return rec.Approvals[i].At.Before(rec.Approvals[j].At) })
	rec.Count = len(counted)
	return rec
}

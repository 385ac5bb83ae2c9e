package config

import "strings"

// ReviewPolicy requires review of changes to class B and C items (IEC
// 62304 5.5, 8.2.3). The zero value requires none.
type ReviewPolicy struct {
	// Approvals is how many approving reviews a pull request needs on its
	// final head commit; 0: no review is required.
	Approvals int `json:"approvals,omitempty"`
	// Reviewers are whose approvals count (Reviewers.Parse); anyone's but
	// the author's when empty.
	Reviewers []string `json:"reviewers,omitempty"`
}

// Required reports whether the policy requires reviews.
func (r ReviewPolicy) Required() bool { return r.Approvals > 0 }

// ApprovalPolicy is the release approval: who approves a release, how many
// approvals it needs, what an approval means, and the protected
// environment whose deployment approvals count.
type ApprovalPolicy struct {
	Approvers   []string `json:"approvers"`
	Approvals   int      `json:"approvals,omitempty"`
	Meaning     string   `json:"meaning"`
	Environment string   `json:"environment,omitempty"`
	Workflow    string   `json:"workflow,omitempty"`
}

// Needed is how many approvals a release needs (1 unless the policy says).
func (a ApprovalPolicy) Needed() int {
	if a.Approvals < 1 {
		return 1
	}
	return a.Approvals
}

// Reviewer is one entry of a reviewers list: a user, or a team of an
// organisation.
type Reviewer struct {
	// Login is the user; empty for a team.
	Login string
	// Org and Team (its slug) name a team.
	Org, Team string
}

// String writes the reviewer as the policy does, without the @.
func (r Reviewer) String() string {
	if r.Login != "" {
		return r.Login
	}
	return r.Org + "/" + r.Team
}

// ParseReviewers reads a reviewers list: "login" or "@login" for a user,
// "org/slug" or "@org/slug" for a team. The schema has checked the shape.
func ParseReviewers(list []string) []Reviewer {
	out := make([]Reviewer, 0, len(list))
	for _, s := range list {
		s = strings.TrimPrefix(strings.TrimSpace(s), "@")
		if org, slug, ok := strings.Cut(s, "/"); ok {
			out = append(out, Reviewer{Org: org, Team: slug})
		} else {
			out = append(out, Reviewer{Login: s})
		}
	}
	return out
}

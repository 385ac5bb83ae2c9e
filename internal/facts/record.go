package facts

import (
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/lazyre"
	"github.com/tracegate/tracegate/internal/model"
)

// RecordKinds returns the record kinds an issue is, by its labels: a
// problem report, a change request, both, or neither.
func RecordKinds(iss *Issue, cfg *config.Config) []string {
	if iss.IsPullRequest {
		return nil
	}
	var kinds []string
	if anyLabel(iss.Labels, cfg.ProblemReports.Labels) {
		kinds = append(kinds, model.KindProblemReport)
	}
	if anyLabel(iss.Labels, cfg.ChangeRequests.Labels) {
		kinds = append(kinds, model.KindChangeRequest)
	}
	return kinds
}

// IssueID is how a record held as an issue is referenced: #12 in its own
// repository, owner/repo#12 elsewhere.
func IssueID(ref IssueRef) string {
	id := "#" + strconv.Itoa(ref.Number)
	if ref.Repo != "" {
		id = ref.Repo + id
	}
	return id
}

// RecordFromIssue reads a problem report or change request from a GitHub
// issue: each field the policy requires from the issue-form section with
// its heading, or else from a label "field: value" (also "field/value",
// "field::value"); approval from the approved labels.
func RecordFromIssue(iss *Issue, kind string, cfg *config.Config) model.Record {
	r := model.Record{Kind: kind, ID: IssueID(iss.Ref), Title: iss.Title, State: strings.ToLower(iss.State),
		Labels: iss.Labels, URL: iss.URL, Fields: map[string]string{}}
	var fields map[string]string
	switch kind {
	case model.KindProblemReport:
		fields = cfg.ProblemReports.Fields
	case model.KindChangeRequest:
		fields = cfg.ChangeRequests.Fields
		r.Approved = anyLabel(iss.Labels, cfg.ChangeRequests.ApprovedLabels)
		r.Commits = commitSHAs(Section(iss.Body, CommitsHeading))
	}
	for key, heading := range fields {
		v := Section(iss.Body, heading)
		if v == "" {
			v = labelValue(iss.Labels, key, heading)
		}
		if v != "" {
			r.Fields[key] = v
		}
	}
	return r
}

// CommitsHeading is the issue-form section of a change request that lists
// the commits it traces after the fact (model.Record.Commits).
const CommitsHeading = "Commits"

var shaRE = lazyre.New(`\b[0-9a-fA-F]{7,40}\b`)

// commitSHAs are the SHAs a section names, in order, each once.
func commitSHAs(section string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range shaRE().FindAllString(section, -1) {
		s = strings.ToLower(s)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// labelValue finds a "key: value" label for a field, by its key or heading.
func labelValue(labels []string, key, heading string) string {
	for _, l := range labels {
		for _, sep := range []string{"::", ":", "/"} {
			k, v, ok := strings.Cut(l, sep)
			if !ok {
				continue
			}
			k = normHeading(k)
			if (k == normHeading(key) || k == normHeading(heading)) && strings.TrimSpace(v) != "" {
				return strings.TrimSpace(v)
			}
		}
	}
	return ""
}

func anyLabel(have, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(w)) {
				return true
			}
		}
	}
	return false
}

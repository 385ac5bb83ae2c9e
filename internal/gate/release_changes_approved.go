package gate

import (
	"strings"

	"github.com/tracegate/tracegate/internal/model"
)

// TG312 judges in the release gate what TG204 judges in the pull request
// gate: a change request must be approved before the change is made. A
// repository whose pull request gate is advice (nobody requires the check)
// can merge a change under a change request nobody approved; the release
// would otherwise count it as traced (TG301 asks for a trace, not for an
// approval) and ship it.
var ruleReleaseChangesApproved = Rule{ID: "TG312", Name: "release-changes-approved",
	Title:   "The change requests the release's changes implement are approved",
	Clauses: []string{"IEC 62304 8.2.1"}, MinClass: model.ClassA, Severity: SevError,
	Description: "A change request must be approved before the change is made (8.2.1). Every change request that a change since the previous release traces to — through its message, the pull request it names or the merge commit that brought it in — must be approved at the release: one of the policy's approved labels, or approved: true in a change request file. The pull request gate judges the same at merge time (TG204); this rule holds when that gate was not required.",
	Remediation: "have the change request approved (its approver's label, or approved: true in its file) or, if the change was made without an approved change request, record the decision in an approved one that lists the commits"}

func checkReleaseChangesApproved(f *ReleaseFacts, c *check, st *releaseState) {
	class := f.Model.Config.SafetyClass
	if why := noChangesToJudge(f); why != "" {
		c.notApplicable(why)
		return
	}
	// The change requests the changes trace to, in the order first met,
	// with the commits that trace to each (TG301 worked the traces out).
	var order []string
	commits := map[string][]string{}
	for _, ct := range st.changes {
		if ct.Merge { // a merge's links are those of the commits it brought in
			continue
		}
		for _, id := range ct.Links {
			if _, seen := commits[id]; !seen {
				order = append(order, id)
			}
			commits[id] = append(commits[id], model.ShortSHA(ct.SHA))
		}
	}
	for _, id := range order {
		for _, rec := range f.Records[id] {
			if rec.Kind != model.KindChangeRequest || !c.applies(class) {
				continue
			}
			if !rec.Approved {
				shas := commits[id]
				c.report(class, rec.ID, rec.Source, "change request %s %s is not approved (approved labels: %s), and the release holds %s that implement it: %s",
					rec.ID, strconvQuote(rec.Title), orNone(f.Model.Config.ChangeRequests.ApprovedLabels),
					pluralN(len(shas), "commit", "commits"), strings.Join(limit(shas, 5), ", "))
			}
		}
	}
	if c.checked == 0 {
		c.applies(class)
	}
}

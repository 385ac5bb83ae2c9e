package resultdoc

import (
	"fmt"
	"strings"

	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/report"
)

// contextSection says what the gate judged: the pull request's links, or
// the release, its previous release and its known residual anomalies (IEC
// 62304 5.8.2), which a release's summary must list.
func (d *mdDoc) contextSection(allow int) string {
	if pr := d.r.PullRequest; pr != nil {
		var items []string
		for _, l := range pr.Links {
			items = append(items, fmt.Sprintf("- %s (%s)\n", report.MDInline(l.ID, 120), report.MDInline(strings.Join(l.Where, ", "), 200)))
		}
		if len(items) == 0 {
			items = []string{"- none\n"}
		}
		head := fmt.Sprintf("### Pull request\n\n%s, %s. Links found:\n\n",
			report.Plural(pr.Commits, "commit", "commits"), report.Plural(pr.Changes, "changed file", "changed files"))
		tail := "\n"
		if pr.Exemption != "" {
			tail = fmt.Sprintf("\nExempted from the link rule by label `%s` (see TG202).\n\n", report.MDInline(pr.Exemption, 100))
		}
		if !pr.Evidence {
			tail += "No verification evidence (test reports) was given.\n\n"
		}
		return fitList(allow, head, items, func(k int) string { return "- " + d.more(k, "link", "links", "") }, tail)
	}
	rel := d.r.Release
	if rel == nil {
		return ""
	}
	untraced := 0
	for _, c := range rel.Changes {
		if !c.Traced {
			untraced++
		}
	}
	var head string
	switch {
	case rel.Tag != "":
		prev := "none (first release)"
		if rel.PreviousTag != "" {
			prev = fmt.Sprintf("`%s` (`%s`)", report.MDInline(rel.PreviousTag, 100), model.ShortSHA(rel.PreviousCommit))
		}
		head = fmt.Sprintf("### Release `%s`\n\nCommit `%s`; previous release %s; %s, %d not traced.\n\n",
			report.MDInline(rel.Tag, 100), model.ShortSHA(rel.Commit), prev, report.Plural(len(rel.Changes), "change", "changes"), untraced)
	default:
		head = "### Release candidate\n\n"
	}
	missing := 0
	for _, p := range rel.Plans {
		if len(p.Files) == 0 {
			missing++
		}
	}
	if len(rel.Plans) > 0 {
		head += fmt.Sprintf("Plans: %d required, %d missing.\n\n", len(rel.Plans), missing)
	}
	if len(rel.KnownAnomalies) == 0 {
		s := head + "**Known residual anomalies:** none.\n\n"
		if len(s) > allow {
			return ""
		}
		return s
	}
	head += fmt.Sprintf("**Known residual anomalies** (%s):\n\n", report.Plural(len(rel.KnownAnomalies), "open problem report", "open problem reports"))
	items := make([]string, len(rel.KnownAnomalies))
	for i, a := range rel.KnownAnomalies {
		crit := a.Fields["criticality"]
		if crit == "" {
			crit = "criticality not stated"
		}
		eval := a.Fields["evaluation"]
		if eval == "" {
			eval = "not evaluated"
		}
		items[i] = fmt.Sprintf("- **%s** %s — %s; evaluation: %s\n", report.MDInline(a.ID, 60), report.MDInline(a.Title, 200), report.MDInline(crit, 40), report.MDInline(eval, 300))
	}
	return fitList(allow, head, items, func(k int) string { return "- " + d.more(k, "anomaly", "anomalies", "") }, "\n")
}

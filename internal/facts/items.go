package facts

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
	"github.com/tracegate/tracegate/internal/model"
)

// Design-history items kept as GitHub issues written from issue forms (the
// Forschungsgruppe Digital Health template's way): each issue carrying one
// of a source's labels is one item, its ID made from the issue number, its
// fields the form's sections (### Heading, as GitHub writes a form's
// answers into the body). The same functions read issues however they were
// fetched (the GitHub API, a fake), so that every face reads them alike.

// IssueFormat is the format name of items read from issues.
const IssueFormat = "issue-form"

// itemPos is where an item held as an issue is: its URL, else its number.
func itemPos(iss *Issue) input.Pos {
	if iss.URL != "" {
		return input.Pos{File: iss.URL}
	}
	return input.Pos{File: IssueID(iss.Ref)}
}

// formTitle is the issue title without the form's tag ("[REQ] Stop the
// pump" → "Stop the pump").
var formTag = lazyre.New(`^\s*\[[A-Za-z-]+\]\s*`)

func formTitle(t string) string { return strings.TrimSpace(formTag().ReplaceAllString(t, "")) }

// issueRefs are the issue numbers a text references (#12, owner/repo#12 in
// the same repository is not told apart: only bare #12 is taken).
var issueRefRE = lazyre.New(`(?:^|[^\w/])#(\d+)\b`)

func issueRefs(text string) []int {
	var out []int
	for _, m := range issueRefRE().FindAllStringSubmatch(text, -1) {
		n, err := strconv.Atoi(m[1])
		if err == nil && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// listItems splits a section into its entries: one per list item or line,
// or comma-separated.
func listItems(section string) []string {
	var out []string
	for _, line := range strings.Split(section, "\n") {
		for _, part := range strings.Split(line, ",") {
			part = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(part), "-*+"))
			if part != "" && !slices.Contains(out, part) {
				out = append(out, part)
			}
		}
	}
	return out
}

// RequirementFromIssue reads a requirement from an issue of a requirement
// source: its ID from the number, its title from the issue title without the
// form's tag, its text from the Requirement section (with the acceptance
// criteria, which say how it is verified), its verification method from the
// Planned verification method dropdown. A method that is not one, or a
// class that is not one, is an error: the item would be judged by a guess.
// Status is the Status section when the form has one; else empty, which the
// policy counts as active (an issue is closed when the requirement is
// implemented, not when it is withdrawn).
func RequirementFromIssue(iss *Issue, src config.IssueSource) (model.Requirement, error) {
	sec := func(f string) string { return Section(iss.Body, src.Heading(f, config.RequirementIssueFields)) }
	r := model.Requirement{
		ID:           src.ItemID(iss.Ref.Number),
		Title:        formTitle(iss.Title),
		Type:         strings.ToLower(sec("type")),
		Item:         sec("item"),
		Parents:      listItems(sec("parents")),
		RiskControls: listItems(sec("risk_controls")),
		Status:       strings.ToLower(sec("status")),
		Source:       itemPos(iss),
		Format:       IssueFormat,
	}
	r.Text = sec("text")
	if a := sec("acceptance"); a != "" {
		r.Text = strings.TrimSpace(r.Text + "\n\nAcceptance criteria:\n\n" + a)
	}
	var errs input.Errors
	if v := strings.ToLower(sec("verification")); v != "" {
		if !slices.Contains(model.VerificationMethods, v) {
			errs = append(errs, input.Errorf(r.Source, "%s: %q in section %q is not a verification method", r.ID, v, src.Heading("verification", config.RequirementIssueFields)).
				WithHint("choose one of "+strings.Join(model.VerificationMethods, ", ")))
		}
		r.Verification = v
	}
	if c := sec("class"); c != "" {
		cl, err := model.ParseClass(c)
		if err != nil {
			errs = append(errs, input.Errorf(r.Source, "%s: section %q: %v", r.ID, src.Heading("class", config.RequirementIssueFields), err))
		}
		r.Class = cl
	}
	return r, errs.Err()
}

// TierKinds maps the template's hierarchy tiers (ISO 14971 7.1, in its
// order) to the control options.
// (The values are ingest/risk's Kind constants, which this layer cannot
// import; a test in package check holds them equal.)
var TierKinds = map[string]string{"1": "inherent-safety", "2": "protective-measure", "3": "information-for-safety"}

var (
	tierRE     = lazyre.New(`(?i)\(\s*tier\s*([123])\s*\)`)
	numberedRE = lazyre.New(`^\s*(?:\d+[.)]|[-*+])\s+`)
	scoreRE    = lazyre.New(`(?i)\b([SP])\s*[=:]\s*(\d+)\b`)
)

// HazardFromIssue reads a harm risk from an issue of a risk source: the
// hazard, sequence of events, hazardous situation and harm sections, the
// severity and probability dropdowns (the levels of the policy's matrix,
// or their numbers), the benefit-risk note. Each measure the Risk control
// measure(s) section lists (a numbered or bulleted line) is a risk control
// of its own, ID the hazard's and its number (HARM-7.1), kind from its
// "(tier N)", implemented by the requirements the Design element / ADR /
// requirement section references (#12, as the requirement source's ID).
// The residual estimate is read from the Residual risk evaluation section
// when it writes S=n and P=n once each; otherwise it is left unestimated,
// with a warning, for the gate to report.
func HazardFromIssue(iss *Issue, src config.IssueSource, requirementID func(int) (string, bool)) (model.Hazard, []model.RiskControl, []input.Warning) {
	sec := func(f string) string { return Section(iss.Body, src.Heading(f, config.HazardIssueFields)) }
	id := src.ItemID(iss.Ref.Number)
	pos := itemPos(iss)
	hz := model.Hazard{
		ID:          id,
		Title:       formTitle(iss.Title),
		Hazard:      sec("hazard"),
		Cause:       sec("cause"),
		Situation:   sec("hazardous_situation"),
		Harm:        sec("harm"),
		Initial:     model.RiskEstimate{Severity: sec("severity"), Probability: sec("probability")},
		BenefitRisk: sec("benefit_risk"),
		Source:      pos,
		Format:      IssueFormat,
	}
	var warns []input.Warning
	if res := sec("residual"); res != "" {
		scores := map[string][]string{}
		for _, m := range scoreRE().FindAllStringSubmatch(res, -1) {
			k := strings.ToUpper(m[1])
			scores[k] = append(scores[k], m[2])
		}
		if len(scores["S"]) == 1 && len(scores["P"]) == 1 {
			hz.Residual = model.RiskEstimate{Severity: scores["S"][0], Probability: scores["P"][0]}
		} else {
			warns = append(warns, input.Warnf(pos, "%s: the residual risk is not estimated: section %q does not write S=n and P=n once each",
				id, src.Heading("residual", config.HazardIssueFields)))
		}
	}
	var reqs []string
	for _, n := range issueRefs(sec("control_links")) {
		if rid, ok := requirementID(n); ok {
			reqs = append(reqs, rid)
		} else {
			warns = append(warns, input.Warnf(pos, "%s: #%d in section %q is not a requirement issue (no requirement source's labels); not linked",
				id, n, src.Heading("control_links", config.HazardIssueFields)))
		}
	}
	var controls []model.RiskControl
	n := 0
	for _, line := range strings.Split(sec("risk_controls"), "\n") {
		if !numberedRE().MatchString(line) && n > 0 {
			continue // a continuation of the measure above
		}
		text := strings.TrimSpace(numberedRE().ReplaceAllString(line, ""))
		if text == "" {
			continue
		}
		n++
		rc := model.RiskControl{ID: fmt.Sprintf("%s.%d", id, n), Description: text, Hazards: []string{id}, Requirements: reqs, Source: pos, Format: IssueFormat}
		if m := tierRE().FindStringSubmatch(text); m != nil {
			rc.Kind = TierKinds[m[1]]
			rc.Title = strings.TrimSpace(tierRE().ReplaceAllString(text, ""))
		}
		controls = append(controls, rc)
		hz.Controls = append(hz.Controls, rc.ID)
	}
	return hz, controls, warns
}

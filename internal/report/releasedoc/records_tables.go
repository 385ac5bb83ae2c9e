package releasedoc

import (
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/report"
)

// The columns of the tables of the trace both ways, the architecture, the
// review and approval records and the document control.

var testColumns = []tableColumn[*testRow]{
	{Name: "test", Width: 50, Value: func(t *testRow) string { return t.Name }},
	{Name: "result", Width: 10, Value: func(t *testRow) string { return string(t.Result) }},
	{Name: "requirements", Width: 24, Value: func(t *testRow) string {
		s := make([]string, len(t.Verifies))
		for i, l := range t.Verifies {
			s[i] = l.ID
		}
		return strings.Join(s, report.ListSep)
	}},
	{Name: "linked_by", Width: 20, Value: func(t *testRow) string {
		s := make([]string, len(t.Verifies))
		for i, l := range t.Verifies {
			s[i] = l.ID + ": " + l.Via
		}
		return strings.Join(s, report.ListSep)
	}},
	{Name: "risk_controls", Width: 18, Value: func(t *testRow) string { return strings.Join(t.Controls, report.ListSep) }},
	{Name: "verifies_nothing", Width: 10, Value: func(t *testRow) string { return strconv.FormatBool(len(t.Verifies) == 0) }},
	{Name: "message", Width: 50, Value: func(t *testRow) string { return t.Message }},
	{Name: "source", Width: 30, Value: func(t *testRow) string { return report.PosText(t.Source.String(), t.Source.IsZero()) }},
	{Name: "findings", Width: 16, Value: func(t *testRow) string { return findingRefs(t.Findings) }},
}

var architectureColumns = []tableColumn[*itemRow]{
	{Name: "item", Width: 18, Value: func(i *itemRow) string { return i.Name }},
	{Name: "class", Width: 6, Value: func(i *itemRow) string { return string(i.Class) }},
	{Name: "in_policy", Width: 8, Value: func(i *itemRow) string { return strconv.FormatBool(i.Known) }},
	{Name: "description", Width: 40, Value: func(i *itemRow) string { return i.Description }},
	{Name: "paths", Width: 24, Value: func(i *itemRow) string { return strings.Join(i.Paths, report.ListSep) }},
	{Name: "sboms", Width: 24, Value: func(i *itemRow) string { return strings.Join(i.SBOMs, report.ListSep) }},
	{Name: "requirements", Width: 40, Value: func(i *itemRow) string { return strings.Join(i.Requirements, report.ListSep) }},
	{Name: "active_requirements", Width: 10, Num: true, Value: func(i *itemRow) string { return itoa(i.Active) }},
	{Name: "soup", Width: 60, Value: func(i *itemRow) string {
		s := make([]string, len(i.SOUP))
		for k, u := range i.SOUP {
			s[k] = u.label() + ": " + u.how()
		}
		return strings.Join(s, report.ListSep)
	}},
}

var reviewColumns = []tableColumn[*reviewRow]{
	{Name: "pull_request", Width: 10, Value: func(r *reviewRow) string { return "#" + itoa(r.PR.Number) }},
	{Name: "title", Width: 36, Value: func(r *reviewRow) string { return r.PR.Title }},
	{Name: "author", Width: 14, Value: func(r *reviewRow) string { return r.PR.Author }},
	{Name: "final_head", Width: 42, Value: func(r *reviewRow) string { return r.PR.Head }},
	{Name: "merged_as", Width: 42, Value: func(r *reviewRow) string { return r.PR.MergeCommit }},
	{Name: "merged_at", Width: 22, Value: func(r *reviewRow) string { return report.Stamp(r.PR.MergedAt) }},
	{Name: "class", Width: 6, Value: func(r *reviewRow) string { return string(r.PR.Class) }},
	{Name: "touches", Width: 40, Value: func(r *reviewRow) string { return strings.Join(r.PR.Touches, report.ListSep) }},
	{Name: "commits", Width: 30, Value: func(r *reviewRow) string { return strings.Join(r.PR.Commits, report.ListSep) }},
	{Name: "reviewer", Width: 14, Value: func(r *reviewRow) string { return r.Reviewer }},
	{Name: "state", Width: 18, Value: func(r *reviewRow) string { return r.State }},
	{Name: "commit_reviewed", Width: 42, Value: func(r *reviewRow) string { return r.Commit }},
	{Name: "submitted", Width: 22, Value: func(r *reviewRow) string { return report.Stamp(r.Submitted) }},
	{Name: "counts", Width: 8, Value: func(r *reviewRow) string {
		if r.Reviewer == "" {
			return ""
		}
		return strconv.FormatBool(r.Counts)
	}},
	{Name: "note", Width: 40, Value: func(r *reviewRow) string { return r.Note }},
	{Name: "approvals", Width: 10, Num: true, Value: func(r *reviewRow) string { return itoa(r.PR.Approvals) }},
	{Name: "needed", Width: 8, Num: true, Value: func(r *reviewRow) string { return itoa(r.PR.Needed) }},
	{Name: "review_required", Width: 10, Value: func(r *reviewRow) string { return strconv.FormatBool(r.PR.Required) }},
	{Name: "url", Width: 50, Value: func(r *reviewRow) string {
		if r.URL != "" {
			return r.URL
		}
		return r.PR.URL
	}},
	{Name: "findings", Width: 16, Value: func(r *reviewRow) string { return findingRefs(r.PR.Findings) }},
}

// approvalRow is an approval of the release with the policy's meaning.
type approvalRow struct {
	approvalView
	i int
}

var approvalColumns = []tableColumn[*approvalRow]{
	{Name: "approver", Width: 14, Value: func(a *approvalRow) string { return a.Approvals[a.i].Approver }},
	{Name: "kind", Width: 10, Value: func(a *approvalRow) string { return a.Approvals[a.i].Kind }},
	{Name: "via", Width: 36, Value: func(a *approvalRow) string { return a.Approvals[a.i].Via }},
	{Name: "state", Width: 10, Value: func(a *approvalRow) string { return a.Approvals[a.i].State }},
	{Name: "at", Width: 22, Value: func(a *approvalRow) string { return report.Stamp(a.Approvals[a.i].At) }},
	{Name: "commit", Width: 42, Value: func(a *approvalRow) string { return a.Approvals[a.i].Commit }},
	{Name: "release_commit", Width: 42, Value: func(a *approvalRow) string { return a.Commit }},
	{Name: "counts", Width: 8, Value: func(a *approvalRow) string { return strconv.FormatBool(a.Approvals[a.i].Counts) }},
	{Name: "note", Width: 40, Value: func(a *approvalRow) string { return a.Approvals[a.i].Note }},
	{Name: "comment", Width: 30, Value: func(a *approvalRow) string { return a.Approvals[a.i].Comment }},
	{Name: "meaning", Width: 50, Value: func(a *approvalRow) string { return a.Meaning }},
	{Name: "url", Width: 50, Value: func(a *approvalRow) string { return a.Approvals[a.i].URL }},
}

func (v *releaseView) approvalRows() []*approvalRow {
	if v.Approval == nil {
		return nil
	}
	out := make([]*approvalRow, len(v.Approval.Approvals))
	for i := range out {
		out[i] = &approvalRow{approvalView: *v.Approval, i: i}
	}
	return out
}

// signatureLine is a signer of a row of the signature block, or the row
// alone when nobody signed it.
type signatureLine struct {
	Row *signatureRow
	signer
}

var signatureColumns = []tableColumn[*signatureLine]{
	{Name: "role", Width: 16, Value: func(s *signatureLine) string { return s.Row.Role }},
	{Name: "signer", Width: 12, Value: func(s *signatureLine) string { return s.Row.Signer }},
	{Name: "name", Width: 16, Value: func(s *signatureLine) string {
		if s.Name == "" {
			return s.Row.Missing
		}
		return s.Name
	}},
	{Name: "date", Width: 22, Value: func(s *signatureLine) string { return report.Stamp(s.At) }},
	{Name: "commit", Width: 42, Value: func(s *signatureLine) string { return s.Commit }},
	{Name: "record", Width: 40, Value: func(s *signatureLine) string { return s.Record }},
	{Name: "meaning", Width: 50, Value: func(s *signatureLine) string { return s.Row.Meaning }},
	{Name: "url", Width: 50, Value: func(s *signatureLine) string { return s.URL }},
}

func (v *releaseView) signatureLines() []*signatureLine {
	var out []*signatureLine
	for i := range v.Control.Signatures {
		row := &v.Control.Signatures[i]
		if len(row.Signers) == 0 {
			out = append(out, &signatureLine{Row: row})
		}
		for _, s := range row.Signers {
			out = append(out, &signatureLine{Row: row, signer: s})
		}
	}
	return out
}

var revisionColumns = []tableColumn[*historyRow]{
	{Name: "revision", Width: 14, Value: func(h *historyRow) string { return h.Revision }},
	{Name: "date", Width: 22, Value: func(h *historyRow) string { return report.Stamp(h.Date) }},
	{Name: "commit", Width: 42, Value: func(h *historyRow) string { return h.Commit }},
	{Name: "changes", Width: 8, Num: true, Value: func(h *historyRow) string { return itoa(h.Changes) }},
	{Name: "records", Width: 40, Value: func(h *historyRow) string { return strings.Join(h.Records, report.ListSep) }},
	{Name: "description", Width: 50, Value: func(h *historyRow) string { return h.Description }},
}

var documentColumns = []tableColumn[*registerRow]{
	{Name: "document_id", Width: 24, Value: func(r *registerRow) string { return r.ID }},
	{Name: "revision", Width: 14, Value: func(r *registerRow) string { return r.Revision }},
	{Name: "file", Width: 36, Value: func(r *registerRow) string { return r.File }},
	{Name: "title", Width: 50, Value: func(r *registerRow) string { return r.Title }},
}

func testResults(ts []MatrixTest) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.Name + " (" + string(t.Result) + ", via " + t.Via + ")"
	}
	return strings.Join(s, report.ListSep)
}

package releasedoc

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

// Document control: every document of the bundle carries an ID and a
// revision from the policy's templates and the release, the report shows
// the revision history (the releases before this one in its history, with
// their changes) and a signature block filled from the review and approval
// records GitHub keeps — who prepared, reviewed and approved the release,
// when, on which commit and what the signature means. An empty row says
// why it is empty; nothing is signed that no record shows.

// Revision is a release before this one (check.Revision).
type Revision struct {
	Tag     string
	Commit  string
	Date    time.Time
	Changes int
	Records []string
	First   bool
}

// BundleFiles name the documents of the bundle, for the document
// register: the report, the workbook, the directory of the tables and
// the SOUP list's files (none when there is no SOUP list).
type BundleFiles struct {
	Report, Workbook, Tables string
	SOUP                     []string
}

// DefaultBundleFiles are the names internal/evidence writes.
var DefaultBundleFiles = BundleFiles{Report: "report.html", Workbook: "evidence.xlsx", Tables: "tables"}

type docControl struct {
	ID, Revision, SRSID, SOUPID string
	// Supersedes is the revision this one replaces; "" for a first release.
	Supersedes string
	Signatures []signatureRow
	History    []historyRow
	Register   []registerRow
}

// signatureRow is a row of the signature block: a role, what signing it
// means, who signed (from the records), or why nobody did.
type signatureRow struct {
	Role, Signer, Meaning string
	Signers               []signer
	Missing               string
}

type signer struct {
	Name   string
	At     time.Time
	Commit string
	Record string // what the signature is read from
	URL    string
}

type historyRow struct {
	Revision, Commit string
	Date             time.Time
	Changes          int
	Records          []string
	Description      string
	Current          bool
}

type registerRow struct {
	ID, Revision, File, Title string
}

// productName is {product} in the document IDs: the policy's, or the
// repository's name.
func productName(cfg *config.Config, product string) string {
	if cfg.Documents.Product != "" {
		return cfg.Documents.Product
	}
	if i := strings.LastIndexByte(product, '/'); i >= 0 {
		product = product[i+1:]
	}
	product = strings.TrimSpace(product)
	if product == "" {
		return "product"
	}
	return product
}

func (v *releaseView) documentControl() docControl {
	cfg := v.Cfg
	d := cfg.Documents
	product := productName(cfg, v.E.Product)
	rev := d.RevisionOf(v.F.Tag, model.ShortSHA(v.F.Commit))
	c := docControl{ID: d.ID(config.DocReport, product, ""), Revision: rev, SRSID: d.ID(config.DocSRS, product, ""), SOUPID: d.ID(config.DocSOUP, product, ""),
		Supersedes: v.S.PreviousTag}

	// This release, then the ones before it.
	cur := historyRow{Revision: rev, Commit: v.F.Commit, Date: v.E.Generated, Current: true, Records: []string{}}
	seen := map[string]bool{}
	untraced := 0
	for _, ch := range v.S.Changes {
		if ch.Merge {
			continue
		}
		cur.Changes++
		if !ch.Traced {
			untraced++
		}
		for _, id := range ch.Links {
			if !seen[id] {
				seen[id] = true
				cur.Records = append(cur.Records, id)
			}
		}
	}
	sort.Slice(cur.Records, func(i, j int) bool { return trace.IDLess(cur.Records[i], cur.Records[j]) })
	switch {
	case v.F.NoHistory:
		cur.Description = "this release candidate; its history is not available here"
	case v.S.PreviousTag == "":
		cur.Description = "this release: the first release"
	default:
		cur.Description = fmt.Sprintf("this release: %s since %s, %d not traced; verdict %s", plural(cur.Changes, "change", "changes"), v.S.PreviousTag, untraced, v.R.Verdict)
	}
	c.History = append(c.History, cur)
	for _, h := range v.E.History {
		row := historyRow{Revision: d.RevisionOf(h.Tag, model.ShortSHA(h.Commit)), Commit: h.Commit, Date: h.Date, Changes: h.Changes, Records: h.Records}
		if h.First {
			row.Description = "earliest release in this history"
		} else {
			row.Description = plural(h.Changes, "change", "changes") + " since the release before"
		}
		c.History = append(c.History, row)
	}

	c.Signatures = v.signatures(d.SignatureRows())

	files := v.E.Files
	if files.Report == "" {
		files = DefaultBundleFiles
	}
	reg := func(id, file, title string) {
		c.Register = append(c.Register, registerRow{ID: id, Revision: rev, File: file, Title: title})
	}
	reg(c.ID, files.Report, "Release evidence report")
	reg(c.SRSID, files.Report+"#srs", "Software requirements specification (a section of the report)")
	reg(d.ID(config.DocWorkbook, product, ""), files.Workbook, "Release evidence workbook: every table as a sheet")
	for _, t := range releaseTables {
		reg(d.ID(config.DocTable, product, t.Name), path.Join(files.Tables, t.Name+".csv"), t.Sheet+" (table)")
	}
	for _, f := range files.SOUP {
		reg(c.SOUPID, f, "SOUP list")
	}
	return c
}

// SOUPDocument is the SOUP list's document ID and the revision, for the
// SOUP documents written beside the report.
func (d *ReleaseDocuments) SOUPDocument() (id, revision string) {
	return d.v.Control.SOUPID, d.v.Control.Revision
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Default meanings of the rows whose policy gives none.
var defaultMeaning = map[string]string{
	config.SignerAuthor:    "Prepared the release: authored its release pull request",
	config.SignerReviewers: "Reviewed the release pull request and approved it on its final head",
}

// signatures fills the policy's rows of the signature block from the
// release approval records.
func (v *releaseView) signatures(rows []config.Signature) []signatureRow {
	a := v.S.Approval
	var out []signatureRow
	for _, r := range rows {
		row := signatureRow{Role: r.Role, Signer: r.Signer, Meaning: r.Meaning}
		if row.Meaning == "" {
			row.Meaning = defaultMeaning[r.Signer]
			if r.Signer == config.SignerApprovers && a != nil {
				row.Meaning = a.Meaning
			}
		}
		switch {
		case a == nil && v.Cfg.Release.Approval == nil:
			row.Missing = "not recorded: the policy names no release approval (release.approval), so no approval record was read"
		case a == nil:
			row.Missing = "not recorded: the release approval was not judged"
		case a.Unavailable != "":
			row.Missing = "not recorded: the approval records could not be read (" + a.Unavailable + ")"
		default:
			row.Signers = approvalSigners(a, r.Signer)
			if len(row.Signers) == 0 {
				row.Missing = missingSigner(a, r.Signer)
			}
		}
		out = append(out, row)
	}
	return out
}

func approvalSigners(a *gate.ReleaseApproval, kind string) []signer {
	var out []signer
	approvers := map[string]bool{}
	for _, ap := range a.Approvals {
		if ap.Counts {
			approvers[strings.ToLower(ap.Approver)] = true
		}
	}
	switch kind {
	case config.SignerAuthor:
		for _, pr := range a.PullRequests {
			out = append(out, signer{Name: pr.Author, At: pr.Created, Commit: pr.Head, Record: fmt.Sprintf("pull request #%d, opened", pr.Number), URL: safeURL(pr.URL)})
		}
	case config.SignerReviewers:
		for _, pr := range a.PullRequests {
			for _, r := range pr.Reviews {
				if r.Counts && !approvers[strings.ToLower(r.Reviewer)] {
					out = append(out, signer{Name: r.Reviewer, At: r.Submitted, Commit: r.Commit, Record: fmt.Sprintf("approving review of pull request #%d", pr.Number), URL: safeURL(r.URL)})
				}
			}
		}
	case config.SignerApprovers:
		for _, ap := range a.Approvals {
			if ap.Counts {
				rec := "approving " + ap.Via
				if ap.Comment != "" {
					rec += ": “" + ap.Comment + "”"
				}
				out = append(out, signer{Name: ap.Approver, At: ap.At, Commit: ap.Commit, Record: rec, URL: safeURL(ap.URL)})
			}
		}
	}
	return out
}

func missingSigner(a *gate.ReleaseApproval, kind string) string {
	switch {
	case kind == config.SignerApprovers:
		return fmt.Sprintf("not signed: %d of the %s the release needs", a.Count, plural(a.Needed, "approval", "approvals"))
	case len(a.PullRequests) == 0:
		return "not recorded: no release pull request was merged as, or ends at, the release commit"
	case kind == config.SignerReviewers:
		return "not recorded: no approving review of the release pull request on its final head, other than the approvers'"
	}
	return "not recorded"
}

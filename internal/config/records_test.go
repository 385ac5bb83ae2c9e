package config

import (
	"reflect"
	"strings"
	"testing"
)

// The review, release-approval and document-control sections: read as
// written, their defaults, and the shapes the schema refuses.
func TestReviewsApprovalDocuments(t *testing.T) {
	src := `version: 1
items:
  - {name: fw, class: C, paths: ['src/**'], sboms: ['sbom/fw.spdx']}
reviews:
  approvals: 2
  reviewers: ['@acme/dose-reviewers', mkeller]
release:
  approval:
    approvers: [acme/qa-ra]
    meaning: Approved for release under SOP-012.
    environment: production
    workflow: release.yml
documents:
  product: SP1
  ids: {srs: 'SRS-{product}-001', table: 'TBL-{product}-{table}'}
  revision: 'rev {tag}'
  signatures:
    - {role: Approved by, signer: approvers}
`
	c, err := Parse("p.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Reviews.Required() || c.Reviews.Approvals != 2 {
		t.Errorf("reviews = %+v", c.Reviews)
	}
	want := []Reviewer{{Org: "acme", Team: "dose-reviewers"}, {Login: "mkeller"}}
	if got := ParseReviewers(c.Reviews.Reviewers); !reflect.DeepEqual(got, want) || got[0].String() != "acme/dose-reviewers" {
		t.Errorf("reviewers = %+v", got)
	}
	a := c.Release.Approval
	if a == nil || a.Needed() != 1 || a.Environment != "production" || a.Meaning == "" || a.Approvers[0] != "acme/qa-ra" {
		t.Errorf("approval = %+v", a)
	}
	if c.Items[0].SBOMs[0] != "sbom/fw.spdx" {
		t.Errorf("items = %+v", c.Items)
	}
	d := c.Documents
	for _, tc := range []struct{ doc, table, want string }{
		{DocSRS, "", "SRS-SP1-001"}, {DocTable, "changes", "TBL-SP1-changes"}, {DocReport, "", "EVD-SP1"}, {DocWorkbook, "", "EVD-SP1-XLSX"},
	} {
		if got := d.ID(tc.doc, "syringeflow", tc.table); got != tc.want {
			t.Errorf("ID(%s) = %q, want %q", tc.doc, got, tc.want)
		}
	}
	if got := d.RevisionOf("v2.4.0", "0123456789ab"); got != "rev v2.4.0" {
		t.Errorf("revision = %q", got)
	}
	if rows := d.SignatureRows(); len(rows) != 1 || rows[0].Signer != SignerApprovers {
		t.Errorf("signature rows = %+v", rows)
	}

	// Without the sections: no review, no approval, the default IDs and
	// block.
	c, err = Parse("p.yml", []byte("version: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Reviews.Required() || c.Release.Approval != nil {
		t.Errorf("defaults require reviews %+v or approval %+v", c.Reviews, c.Release.Approval)
	}
	if got := c.Documents.ID(DocSOUP, "syringeflow", ""); got != "SOUP-syringeflow" {
		t.Errorf("default SOUP ID = %q", got)
	}
	if got := c.Documents.RevisionOf("", "0123456789ab"); got != "candidate-0123456789ab" {
		t.Errorf("candidate revision = %q", got)
	}
	if rows := c.Documents.SignatureRows(); len(rows) != 3 || rows[0].Role != "Prepared by" || rows[2].Signer != SignerApprovers {
		t.Errorf("default signature rows = %+v", rows)
	}

	for _, bad := range []struct{ src, msg string }{
		{"version: 1\nreviews: {approvals: 0}\n", "reviews.approvals"},
		{"version: 1\nreviews: {reviewers: [x]}\n", "approvals"},
		{"version: 1\nreviews: {approvals: 1, reviewers: ['a b']}\n", "reviews.reviewers[0]"},
		{"version: 1\nrelease: {approval: {approvers: [qa]}}\n", "meaning"},
		{"version: 1\ndocuments: {signatures: [{role: Approved, signer: boss}]}\n", "signer"},
		{"version: 1\nitems: [{name: x, class: B, sboms: ['../x']}]\n", "leaves the repository"},
	} {
		_, err := Parse("p.yml", []byte(bad.src))
		if err == nil || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("%q: %v, want an error naming %s", bad.src, err, bad.msg)
		}
	}
}

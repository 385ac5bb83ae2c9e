package config

import "strings"

// DocumentPolicy is the document control of the evidence bundle: the
// templates of document IDs and of the revision, and the rows of the
// signature block. The zero value takes the defaults (see ID, Revision,
// SignatureRows).
type DocumentPolicy struct {
	Product    string      `json:"product,omitempty"`
	IDs        DocumentIDs `json:"ids,omitzero"`
	Revision   string      `json:"revision,omitempty"`
	Signatures []Signature `json:"signatures,omitempty"`
}

// DocumentIDs are the ID templates, by document.
type DocumentIDs struct {
	Report   string `json:"report,omitempty"`
	Workbook string `json:"workbook,omitempty"`
	SRS      string `json:"srs,omitempty"`
	SOUP     string `json:"soup,omitempty"`
	Table    string `json:"table,omitempty"`
}

// Signature is a row of the signature block: its role, who signs it and
// what a signature means.
type Signature struct {
	Role    string `json:"role"`
	Signer  string `json:"signer"`
	Meaning string `json:"meaning,omitempty"`
}

// Signers of a signature row.
const (
	SignerAuthor    = "author"    // the release pull request's author
	SignerReviewers = "reviewers" // its approving reviewers on its final head
	SignerApprovers = "approvers" // the release approvals
)

// Documents of the bundle, for DocumentPolicy.ID.
const (
	DocReport   = "report"
	DocWorkbook = "workbook"
	DocSRS      = "srs"
	DocSOUP     = "soup"
	DocTable    = "table"
)

var defaultIDs = map[string]string{
	DocReport:   "EVD-{product}",
	DocWorkbook: "EVD-{product}-XLSX",
	DocSRS:      "SRS-{product}",
	DocSOUP:     "SOUP-{product}",
	DocTable:    "EVD-{product}-{table}",
}

// ID is the document ID of doc (a Doc constant) for product (the policy's
// product when it names one) and, for a table, its name.
func (d DocumentPolicy) ID(doc, product, table string) string {
	tmpl := map[string]string{DocReport: d.IDs.Report, DocWorkbook: d.IDs.Workbook, DocSRS: d.IDs.SRS, DocSOUP: d.IDs.SOUP, DocTable: d.IDs.Table}[doc]
	if tmpl == "" {
		tmpl = defaultIDs[doc]
	}
	if d.Product != "" {
		product = d.Product
	}
	return strings.NewReplacer("{product}", product, "{table}", table).Replace(tmpl)
}

// RevisionOf is the revision of the documents of a release: the policy's
// template with {tag} and {commit} (a short SHA) filled in; a release
// candidate, which has no tag, is candidate-{commit}.
func (d DocumentPolicy) RevisionOf(tag, commit string) string {
	if tag == "" {
		if commit == "" {
			return "candidate"
		}
		return "candidate-" + commit
	}
	tmpl := d.Revision
	if tmpl == "" {
		tmpl = "{tag}"
	}
	return strings.NewReplacer("{tag}", tag, "{commit}", commit).Replace(tmpl)
}

// SignatureRows are the rows of the signature block: the policy's, or
// prepared by the author, reviewed by the reviewers and approved by the
// approvers.
func (d DocumentPolicy) SignatureRows() []Signature {
	if len(d.Signatures) > 0 {
		return d.Signatures
	}
	return []Signature{
		{Role: "Prepared by", Signer: SignerAuthor},
		{Role: "Reviewed by", Signer: SignerReviewers},
		{Role: "Approved by", Signer: SignerApprovers},
	}
}

package releasedoc

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/report/soupdoc"
	"github.com/tracegate/tracegate/internal/trace"
)

// ReleaseEvidence is what the release documents (the HTML report, the
// tables, the workbook) are made from: the release gate's result and the
// facts it judged, and the inputs it read. Renderers never read the clock
// or the environment: the same evidence gives the same bytes.
type ReleaseEvidence struct {
	Result *gate.Result
	Facts  *gate.ReleaseFacts
	// Inputs are the files read, with their SHA-256; InputsDigest is the
	// digest over them (check.InputsDigest).
	Inputs       []Input
	InputsDigest string
	// Product names what was released in headings (owner/name, or the
	// directory); "" leaves it out.
	Product string
	// Generated is the documents' date, and GeneratedFrom says where it
	// was taken from ("the release commit's date", "SOURCE_DATE_EPOCH");
	// zero: not stated.
	Generated     time.Time
	GeneratedFrom string
	// RepoURL is the repository's web address (https://github.com/o/r):
	// commits and record files link to it. "" links nothing outside the
	// document.
	RepoURL string
	// History are the releases before this one in its history, newest
	// first: the documents' revision history.
	History []Revision
	// Files name the bundle's documents in the document register;
	// DefaultBundleFiles when zero.
	Files BundleFiles
}

// Input is one file the evaluation read (check.Input).
type Input struct {
	Path   string `json:"path"`
	Origin string `json:"origin"`
	Kind   string `json:"kind"`
	Format string `json:"format,omitempty"`
	Items  int    `json:"items,omitempty"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// releaseView is the release evidence with every cross-reference a reader
// follows taken once — which finding concerns which row, which link goes
// where — so that the HTML report and the tables cannot disagree.
type releaseView struct {
	E   *ReleaseEvidence
	R   *gate.Result
	F   *gate.ReleaseFacts
	Cfg *config.Config
	S   *gate.ReleaseSummary

	Title, Tool string
	// Footer is the line printed at the foot of every page.
	Footer string

	Findings []findingRow
	// bySubject indexes findings by their subject, for the rows they
	// concern.
	bySubject map[string][]*findingRow

	Matrix   *Matrix
	Reqs     []reqRow
	Hazards  []hazardRow
	Controls []controlRow
	Heat     [2]heatMap // before and after control

	SOUP *soupdoc.View

	Anomalies []anomalyRow
	Changes   []changeRow
	Plans     []planRow
	Inputs    []Input
	Warnings  []string

	// Control is the document control: IDs, revision, history,
	// signatures, the register of the bundle's documents.
	Control docControl
	// PRs are the pull requests of the changes with their reviews,
	// ReviewRows one row per review, Unreviewed the commits that came in
	// by no pull request; Approval the release approval.
	PRs        []prRow
	ReviewRows []reviewRow
	Unreviewed []unreviewedRow
	Approval   *approvalView
	// Tests are the test cases with what they verify, Orphans those that
	// verify nothing, Unkept the cases counted but not kept by name.
	Tests   []testRow
	Orphans []testRow
	Unkept  model.TestTotals
	// SRS are the requirements with their text, by software item.
	SRS []srsGroup
	// Items and Arch are the architecture view.
	Items []itemRow
	Arch  archDiagram

	Counts releaseCounts
}

// releaseCounts are the figures of the summary lines.
type releaseCounts struct {
	ControlsUnverified, HazardsUnacceptable, HazardsUnplaced int
	Untraced, PlansMissing, AnomalyGaps                      int
}

// findingRow is a finding with its place in the document.
type findingRow struct {
	gate.Finding
	N      int // 1-based, the anchor f-N
	Anchor string
	// Target is the anchor of the row the finding concerns, "" when the
	// document has none.
	Target string
}

type reqRow struct {
	MatrixReq
	// Text is the requirement's statement as written (Markdown).
	Text     string
	Anchor   string
	Gap      string // "failed", "unverified" for an active requirement not verified
	Passed   int
	Bad      int
	Skipped  int
	Findings []*findingRow
}

type hazardRow struct {
	*trace.Hazard
	// Text is the hazard itself (model.Hazard.Hazard), the potential
	// source of harm.
	Text     string
	Anchor   string
	Controls []string
	// Unverified are the hazard's controls that are not verified.
	Unverified []string
	// Introducers are the requirements and specifications whose design
	// introduces the hazard.
	Introducers []string
	Findings    []*findingRow
}

type controlRow struct {
	MatrixControl
	Anchor     string
	Unverified []string // implementing requirements not verified
	// Tests verify it, through the requirements implementing it.
	Tests    []MatrixTest
	Findings []*findingRow
}

type anomalyRow struct {
	model.Record
	Anchor   string
	Fields   []recordField
	Findings []*findingRow
	Link     string
}

type recordField struct {
	Label, Value string
	Missing      bool
}

type changeRow struct {
	gate.ChangeTrace
	Short string
	URL   string
	Links []docLink
	PRs   []docLink // the pull requests it came in by, when read
	// Approvals say, for each change request it traces to, whether and by
	// whom the request was approved (its approved_by, as recorded).
	Approvals []string
	Findings  []*findingRow
}

// docLink is an ID and where it leads: an anchor of the document ("#…"),
// a web page, or nowhere.
type docLink struct {
	Text, Href string
}

type planRow struct {
	gate.PlanStatus
	Links    []docLink
	Findings []*findingRow
}

func newReleaseView(e *ReleaseEvidence) (*releaseView, error) {
	if e == nil || e.Result == nil || e.Facts == nil || e.Facts.Model == nil || e.Facts.Model.Graph == nil {
		return nil, errors.New("no release evaluation to render: the release gate could not complete")
	}
	f, r := e.Facts, e.Result
	v := &releaseView{E: e, R: r, F: f, Cfg: f.Model.Config, S: r.Release, Inputs: e.Inputs, bySubject: map[string][]*findingRow{}}
	if v.S == nil {
		v.S = &gate.ReleaseSummary{}
	}
	v.Tool = toolName(r.Tool)
	v.Title = "Release evidence"
	switch {
	case f.Tag != "":
		v.Title += " — " + f.Tag
	default:
		v.Title += " — release candidate"
	}
	if p := strings.TrimSpace(e.Product); p != "" {
		v.Title += " (" + p + ")"
	}
	v.Footer = v.footer()

	v.Findings = make([]findingRow, len(r.Findings))
	for i, fd := range r.Findings {
		v.Findings[i] = findingRow{Finding: fd, N: i + 1, Anchor: fmt.Sprintf("f-%d", i+1)}
		v.bySubject[fd.Subject] = append(v.bySubject[fd.Subject], &v.Findings[i])
	}

	v.Matrix = NewMatrix(f.Model.Graph, v.Cfg.SafetyClass, nil)
	for _, mr := range v.Matrix.Requirements {
		row := reqRow{MatrixReq: mr, Anchor: anchor("req", mr.ID), Findings: v.bySubject[mr.ID]}
		if r := f.Model.Graph.Requirement(mr.ID); r != nil {
			row.Text = r.Text
		}
		if mr.Active && mr.Status != trace.Verified {
			row.Gap = string(mr.Status)
		}
		for _, t := range mr.Tests {
			switch {
			case t.Result.Bad():
				row.Bad++
			case t.Result == model.Passed:
				row.Passed++
			default:
				row.Skipped++
			}
		}
		v.Reqs = append(v.Reqs, row)
	}
	ctrlStatus := map[string]trace.Status{}
	for _, mc := range v.Matrix.RiskControls {
		row := controlRow{MatrixControl: mc, Anchor: anchor("rc", mc.ID), Findings: v.bySubject[mc.ID]}
		ctrlStatus[mc.ID] = mc.Status
		if mc.Status != trace.Verified {
			v.Counts.ControlsUnverified++
		}
		if g := f.Model.Graph.RiskControl(mc.ID); g != nil {
			row.Tests = controlTests(g)
			for _, rq := range g.Requirements {
				if rq.Active && rq.Outcome != trace.Verified {
					row.Unverified = append(row.Unverified, rq.ID)
				}
			}
		}
		v.Controls = append(v.Controls, row)
	}
	for _, h := range f.Model.Graph.Hazards {
		row := hazardRow{Hazard: h, Text: h.Hazard.Hazard, Anchor: anchor("haz", h.ID), Findings: v.bySubject[h.ID]}
		for _, c := range h.Controls {
			row.Controls = append(row.Controls, c.ID)
			if ctrlStatus[c.ID] != trace.Verified {
				row.Unverified = append(row.Unverified, c.ID)
			}
		}
		for _, r := range h.IntroducedBy {
			row.Introducers = append(row.Introducers, r.ID)
		}
		if h.Residual.Acceptability == model.Unacceptable {
			v.Counts.HazardsUnacceptable++
		}
		v.Hazards = append(v.Hazards, row)
	}
	v.Heat = [2]heatMap{
		newHeatMap(v.Cfg.RiskMatrix, f.Model.Graph.Hazards, func(h *trace.Hazard) model.RiskEstimate { return h.Initial }, "Before risk control", "initial"),
		newHeatMap(v.Cfg.RiskMatrix, f.Model.Graph.Hazards, func(h *trace.Hazard) model.RiskEstimate { return h.Residual }, "After risk control", "residual"),
	}
	v.Counts.HazardsUnplaced = len(v.Heat[1].Unplaced)

	if f.SOUP != nil && f.SOUP.List != nil {
		v.SOUP = soupdoc.NewView(f.SOUP.List, soupdoc.Options{Title: e.Product, ToolVersion: r.Tool.Version, Commit: r.Tool.Commit, Generated: e.Generated})
	}

	for _, rec := range v.S.KnownAnomalies {
		row := anomalyRow{Record: rec, Anchor: anchor("prb", rec.ID), Findings: v.bySubject[rec.ID], Link: v.recordURL(rec)}
		for _, k := range recordFieldOrder(v.Cfg) {
			label := v.Cfg.ProblemReports.Fields[k]
			if label == "" {
				label = k
			}
			val := strings.TrimSpace(rec.Fields[k])
			row.Fields = append(row.Fields, recordField{Label: label, Value: val, Missing: val == ""})
		}
		if len(row.Findings) > 0 {
			v.Counts.AnomalyGaps++
		}
		v.Anomalies = append(v.Anomalies, row)
	}

	for _, c := range v.S.Changes {
		row := changeRow{ChangeTrace: c, Short: model.ShortSHA(c.SHA), URL: v.commitURL(c.SHA), Findings: v.bySubject[model.ShortSHA(c.SHA)], PRs: v.prOf(c.SHA)}
		for _, id := range c.Links {
			row.Links = append(row.Links, v.idLink(id))
			row.Approvals = append(row.Approvals, changeApprovals(f.Records[id])...)
		}
		if !c.Traced {
			v.Counts.Untraced++
		}
		v.Changes = append(v.Changes, row)
	}

	for _, p := range v.S.Plans {
		row := planRow{PlanStatus: p, Findings: v.bySubject[p.Name]}
		for _, file := range p.Files {
			row.Links = append(row.Links, docLink{Text: file, Href: v.blobURL(file)})
		}
		if len(p.Files) == 0 {
			v.Counts.PlansMissing++
		}
		v.Plans = append(v.Plans, row)
	}

	v.buildReviews()
	v.buildTests()
	v.buildSRS()
	v.buildArchitecture()
	v.Control = v.documentControl()

	// Where each finding leads: the row of its subject.
	targets := map[string]string{}
	for _, row := range v.Reqs {
		targets[row.ID] = row.Anchor
	}
	for _, row := range v.Controls {
		targets[row.ID] = row.Anchor
	}
	for _, row := range v.Hazards {
		targets[row.ID] = row.Anchor
	}
	for _, row := range v.Anomalies {
		targets[row.ID] = row.Anchor
	}
	for _, row := range v.Changes {
		targets[row.Short] = "chg-" + row.Short
	}
	for _, row := range v.PRs {
		targets[fmt.Sprintf("pull request #%d", row.Number)] = row.Anchor
	}
	for i := range v.Findings {
		v.Findings[i].Target = targets[v.Findings[i].Subject]
	}

	for _, w := range r.Warnings {
		v.Warnings = append(v.Warnings, w.String())
	}
	return v, nil
}

// footer is what every printed page carries: the tool, the release and
// its commit, the inputs digest.
func (v *releaseView) footer() string {
	parts := []string{v.Tool}
	switch {
	case v.F.Tag != "":
		parts = append(parts, v.F.Tag+" at "+orNone(v.F.Commit))
	case v.F.Commit != "":
		parts = append(parts, "candidate at "+v.F.Commit)
	default:
		parts = append(parts, "candidate without git history")
	}
	parts = append(parts, "inputs sha256:"+orNone(v.E.InputsDigest))
	return report.VisibleText(strings.Join(parts, " · "))
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// toolName names the tracegate build that judged.
func toolName(t gate.Tool) string {
	return soupdoc.Options{ToolVersion: t.Version, Commit: t.Commit}.ToolName()
}

// recordFieldOrder lists the policy's problem report fields in the order a
// reader expects them.
func recordFieldOrder(cfg *config.Config) []string {
	out := []string{config.FieldCriticality, config.FieldType, config.FieldScope, config.FieldInvestigation, config.FieldEvaluation}
	var extra []string
	for k := range cfg.ProblemReports.Fields {
		known := false
		for _, o := range out {
			known = known || o == k
		}
		if !known {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// anchor makes an element ID from an item ID, injectively: letters,
// digits and "-" are kept, any other byte is written _XX (hex), so that
// two IDs never share an anchor and a link can be made from the ID alone.
func anchor(kind, id string) string {
	var b strings.Builder
	b.Grow(len(kind) + 1 + len(id))
	b.WriteString(kind)
	b.WriteByte('-')
	for i := 0; i < len(id); i++ {
		c := id[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "_%02x", c)
		}
	}
	return b.String()
}

// idLink is where a change's link leads: the requirement's row, the
// record's issue or file.
func (v *releaseView) idLink(id string) docLink {
	if v.F.Model.Graph.Requirement(id) != nil {
		return docLink{Text: id, Href: "#" + anchor("req", id)}
	}
	if iss, ok := v.F.Issues[id]; ok && iss != nil && iss.URL != "" {
		return docLink{Text: id, Href: safeURL(iss.URL)}
	}
	for _, rec := range v.F.Records[id] {
		if u := v.recordURL(rec); u != "" {
			return docLink{Text: id, Href: u}
		}
	}
	return docLink{Text: id}
}

// recordURL is a record's issue, or its file at the evaluated commit.
func (v *releaseView) recordURL(rec model.Record) string {
	if rec.URL != "" {
		return safeURL(rec.URL)
	}
	if rec.Source.File != "" {
		return v.blobURL(rec.Source.File)
	}
	return ""
}

func (v *releaseView) commitURL(sha string) string {
	if v.E.RepoURL == "" || sha == "" {
		return ""
	}
	return safeURL(strings.TrimRight(v.E.RepoURL, "/") + "/commit/" + url.PathEscape(sha))
}

func (v *releaseView) blobURL(file string) string {
	if v.E.RepoURL == "" || v.F.Commit == "" || file == "" {
		return ""
	}
	segs := strings.Split(file, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return safeURL(strings.TrimRight(v.E.RepoURL, "/") + "/blob/" + url.PathEscape(v.F.Commit) + "/" + strings.Join(segs, "/"))
}

// safeURL keeps http(s) URLs only: a link in an evidence document must not
// lead anywhere else (html/template would also refuse javascript:).
func safeURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return u.String()
}

// changeApprovals says of each change request among records whether it
// was approved (8.2.1) and by whom, as its record states.
func changeApprovals(records []model.Record) []string {
	var out []string
	for _, r := range records {
		if r.Kind != model.KindChangeRequest {
			continue
		}
		switch {
		case !r.Approved:
			out = append(out, r.ID+" not approved")
		case r.ApprovedBy != "":
			out = append(out, r.ID+" approved by "+r.ApprovedBy)
		default:
			out = append(out, r.ID+" approved (by whom is not recorded)")
		}
	}
	return out
}

package check_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/fakerepo"
	"github.com/tracegate/tracegate/internal/facts/ghfacts"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
	"github.com/tracegate/tracegate/internal/ingest/readers"
	"github.com/tracegate/tracegate/internal/ingest/risk"
	"github.com/tracegate/tracegate/internal/ingest/soupreg"
	"github.com/tracegate/tracegate/internal/model"
)

// issuePolicy keeps requirements and harm risks as issues written from the
// risk-management template's forms, and its SOUP in the template's
// soup.yaml; a JUnit report verifies REQ-12.
const issuePolicy = `version: 1
safety_class: B
ids: { requirement: 'REQ-\d+', hazard: 'HARM-\d+', risk_control: 'HARM-\d+\.\d+' }
requirements:
  - issues: { labels: [requirement], id: "REQ-{number}" }
risks:
  - issues: { labels: [harm-risk], id: "HARM-{number}" }
tests:
  - path: reports/*.xml
risk_matrix:
  severity: ["1", "2", "3", "4", "5"]
  probability: ["1", "2", "3", "4", "5"]
  acceptability:
    "1": [acceptable, acceptable, acceptable, acceptable, alarp]
    "2": [acceptable, acceptable, acceptable, alarp, unacceptable]
    "3": [acceptable, acceptable, alarp, unacceptable, unacceptable]
    "4": [acceptable, alarp, unacceptable, unacceptable, unacceptable]
    "5": [alarp, unacceptable, unacceptable, unacceptable, unacceptable]
soup:
  register: soup.yaml
`

const issueReport = `<testsuite name="views" tests="1"><testcase classname="views" name="banner on every view">` +
	`<properties><property name="requirement" value="REQ-12"/></properties></testcase></testsuite>`

// formIssues are the issues as GitHub wrote them from the template's forms
// (testdata/formats/issue-forms), with a pull request labelled like a
// requirement, which is not one.
func formIssues(t *testing.T) []fakegithub.Issue {
	t.Helper()
	body := func(name string) string {
		return readFile(t, filepath.Join("../../testdata/formats/issue-forms", name))
	}
	return []fakegithub.Issue{
		{Number: 12, Title: "[REQ] Patient banner on every clinical view", Body: body("requirement-12.md"), State: "closed", Labels: []string{"requirement"}},
		{Number: 13, Title: "[REQ] Store answers only when acknowledged", Body: body("requirement-13.md"), Labels: []string{"requirement"}},
		{Number: 21, Title: "[HARM] Score shown for the wrong patient", Body: body("harm-risk-21.md"), Labels: []string{"harm-risk", "harm-risk:open"}},
	}
}

func issueWorkTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string]string{
		".github/tracegate.yml": issuePolicy,
		"reports/junit.xml":     issueReport,
		"soup.yaml":             readFile(t, "../../testdata/formats/soup/components-soup.yaml"),
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Requirements and harm risks kept as issues are read through the tracker,
// the same whether the tracker is GitHub's API (the fake GitHub) or held
// in memory: IDs from the issue numbers, fields from the form's sections,
// each listed control measure a risk control implemented by the
// requirement the form links, and the trace judges them.
func TestIssueFormItems(t *testing.T) {
	dir := issueWorkTree(t)
	issues := formIssues(t)

	var models []*gate.Model
	both := trackers(t, issues, fakegithub.PullRequest{Number: 30, Title: "[REQ] not an issue", Labels: []string{"requirement"}})
	for _, tracker := range both {
		src := &check.Sources{WorkTree: os.DirFS(dir), Tracker: tracker, Readers: readers.All(), Register: soupreg.Read}
		m, err := check.GatherModel(context.Background(), src, check.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// Where an item is differs (the issue's URL on GitHub, its number
		// in memory); what it says must not.
		for i := range m.DHF.Requirements {
			m.DHF.Requirements[i].Source = model.Requirement{}.Source
		}
		for i := range m.DHF.Hazards {
			m.DHF.Hazards[i].Source = model.Hazard{}.Source
		}
		for i := range m.DHF.RiskControls {
			m.DHF.RiskControls[i].Source = model.RiskControl{}.Source
		}
		models = append(models, m)
	}
	gh0, mem0 := models[0].DHF, models[1].DHF
	if !slices.EqualFunc(gh0.Requirements, mem0.Requirements, func(a, b model.Requirement) bool { return reqString(a) == reqString(b) }) {
		t.Errorf("requirements differ:\n github %v\n memory %v", gh0.Requirements, mem0.Requirements)
	}

	m := models[0]
	var ids []string
	for _, r := range m.DHF.Requirements {
		ids = append(ids, r.ID)
	}
	if !slices.Equal(ids, []string{"REQ-12", "REQ-13"}) {
		t.Fatalf("requirements %v", ids)
	}
	r12 := m.DHF.Requirements[0]
	if r12.Title != "Patient banner on every clinical view" || r12.Verification != "test" || r12.Format != facts.IssueFormat ||
		!strings.HasPrefix(r12.Text, "The system shall show the patient's name") || !strings.Contains(r12.Text, "Acceptance criteria:\n\n- Every view") {
		t.Errorf("REQ-12: %+v", r12)
	}
	if v := m.DHF.Requirements[1].Verification; v != "inspection" {
		t.Errorf("REQ-13 verification %q", v)
	}
	if len(m.DHF.Hazards) != 1 {
		t.Fatalf("hazards %v", m.DHF.Hazards)
	}
	hz := m.DHF.Hazards[0]
	if hz.ID != "HARM-21" || hz.Hazard != "Questionnaire score displayed for the wrong patient" || hz.Initial.Severity != "4" || hz.Initial.Probability != "3" ||
		hz.Residual.Severity != "4" || hz.Residual.Probability != "1" || !slices.Equal(hz.Controls, []string{"HARM-21.1", "HARM-21.2"}) ||
		!strings.HasPrefix(hz.Cause, "The clinician switches tabs") || hz.BenefitRisk != "" {
		t.Errorf("HARM-21: %+v", hz)
	}
	var kinds []string
	for _, rc := range gh0.RiskControls {
		kinds = append(kinds, rc.ID+" "+rc.Kind+" "+strings.Join(rc.Requirements, ","))
	}
	if want := []string{"HARM-21.1 " + risk.KindInherentSafety + " REQ-12", "HARM-21.2 " + risk.KindProtectiveMeasure + " REQ-12"}; !slices.Equal(kinds, want) {
		t.Errorf("controls %q, want %q", kinds, want)
	}
	// The policy's SOUP register in the template's layout is read too.
	srcGH := &check.Sources{WorkTree: os.DirFS(dir), Tracker: both[0], Readers: readers.All(), Register: soupreg.Read}
	res, err := check.Validate(context.Background(), srcGH, check.Options{FailOn: gate.SevError})
	if err != nil {
		t.Fatal(err)
	}
	var findings []string
	for _, f := range res.Findings {
		findings = append(findings, string(f.Rule)+" "+f.Subject)
	}
	all := strings.Join(findings, "\n")
	// The SOUP entries have no anomaly review of their version (the
	// template's list names none) and REQ-13 no inspection record; the
	// harm risk's controls are implemented by REQ-12, which its test verifies.
	for _, want := range []string{"TG407", "REQ-13"} {
		if !strings.Contains(all, want) {
			t.Errorf("findings lack %s:\n%s", want, all)
		}
	}
	if strings.Contains(all, "TG116") || strings.Contains(all, "REQ-12") {
		t.Errorf("a control reads as unimplemented, or REQ-12 as unverified:\n%s", all)
	}
}

func reqString(r model.Requirement) string {
	return r.ID + "|" + r.Title + "|" + r.Text + "|" + r.Verification + "|" + r.Status + "|" + strings.Join(r.RiskControls, ",")
}

// Without GitHub access the items the policy keeps as issues cannot be
// read, and the evaluation fails saying so, never judging without them.
func TestIssueFormItemsNeedTheTracker(t *testing.T) {
	dir := issueWorkTree(t)
	src := &check.Sources{WorkTree: os.DirFS(dir), Readers: readers.All(), Register: soupreg.Read, NoTracker: "no GitHub token was given"}
	_, err := check.GatherModel(context.Background(), src, check.Options{})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{".github/tracegate.yml:5:13: requirements[0] are GitHub issues (labels requirement), and they cannot be read: no GitHub token was given",
		"risks[0] are GitHub issues (labels harm-risk)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	// The tier kinds the issue reader writes are the risk reader's.
	for tier, kind := range facts.TierKinds {
		if !slices.Contains(risk.Kinds, kind) {
			t.Errorf("tier %s: %q is not a control kind", tier, kind)
		}
	}
}

// The SOUP register kept as issues is read alike through GitHub's API (the
// fake GitHub: the CLI, the Action and the App) and a tracker in memory:
// the same entries, judged the same, each issue one entry, pull requests
// none.
func TestSOUPIssuesReadAlike(t *testing.T) {
	dir := t.TempDir()
	policy := "version: 1\nsafety_class: B\nsoup:\n  issues: { labels: [soup], id: 'SOUP-{number}' }\n"
	if err := os.MkdirAll(filepath.Join(dir, ".github"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".github/tracegate.yml"), []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	body := readFile(t, "../../testdata/formats/issue-forms/soup-7.md")
	issues := []fakegithub.Issue{
		{Number: 7, Title: "[SOUP] zlib compression library", Body: body, State: "closed", Labels: []string{"soup"}},
		{Number: 8, Title: "[SOUP] libpng", Body: strings.Replace(strings.Replace(body, "\nzlib\n", "\nlibpng\n", 1), "madler/zlib\n", "glennrp/libpng\n", 1), Labels: []string{"soup"}},
		{Number: 10, Title: "[SOUP] zlib again", Body: body, Labels: []string{"soup"}},
	}
	var lists []string
	for _, tracker := range trackers(t, issues, fakegithub.PullRequest{Number: 9, Title: "[SOUP] bump zlib", Labels: []string{"soup"}}) {
		src := &check.Sources{WorkTree: os.DirFS(dir), Tracker: tracker, Readers: readers.All(), Register: soupreg.Read}
		l, err := check.GatherSOUP(context.Background(), src, check.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var entries []string
		for _, c := range l.Components {
			r, rev := *c.Register, *c.Register.AnomalyReview
			r.Source, rev.Source, r.AnomalyReview = model.SOUPItem{}.Source, model.SOUPItem{}.Source, nil
			entries = append(entries, fmt.Sprintf("%s %s %+v %+v", c.Name, c.Version, r, rev))
		}
		if len(entries) != 3 || l.Register != "issues labelled soup" || !l.FromRegister {
			t.Fatalf("list %+v", l)
		}
		// Two issues for one package: both kept, with a warning, as in a
		// register file.
		if len(l.Warnings) != 1 || !strings.Contains(l.Warnings[0].String(), `10: entry "zlib" duplicates the entry "zlib" at `) {
			t.Errorf("warnings %v", l.Warnings)
		}
		lists = append(lists, strings.Join(entries, "\n"))
	}
	if lists[0] != lists[1] {
		t.Errorf("github:\n%s\nmemory:\n%s", lists[0], lists[1])
	}
}

// trackers are the same issues (and a pull request, which is no issue) in
// the two trackers an evaluation may read them from: GitHub's, through the
// fake GitHub, and one in memory.
func trackers(t *testing.T, issues []fakegithub.Issue, pr fakegithub.PullRequest) []facts.Tracker {
	t.Helper()
	srv := fakegithub.New(t)
	for _, is := range issues {
		srv.AddIssue(sampleRepo, is)
	}
	srv.AddPullRequest(sampleRepo, pr)
	gh, err := githubapi.NewClient(githubapi.Options{APIURL: srv.APIURL(), Token: fakegithub.DefaultToken, Sleep: noSleep})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ghfacts.New(gh, sampleRepo)
	if err != nil {
		t.Fatal(err)
	}
	mem := &fakerepo.Tracker{}
	for _, is := range issues {
		state := is.State
		if state == "" {
			state = "open"
		}
		mem.Issues = append(mem.Issues, facts.Issue{Ref: facts.IssueRef{Number: is.Number}, Title: is.Title, Body: is.Body, State: state, Labels: is.Labels})
	}
	return []facts.Tracker{tr, mem}
}

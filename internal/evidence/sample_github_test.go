package evidence

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// reviewedSample is the sample device released as 2.4.0 through pull
// requests, with the review and approval records GitHub keeps of them on a
// fake GitHub (the sample's policy requires one approval of changes to
// class B/C items from acme/dose-reviewers or acme/software-leads, and the
// release approval of acme/qa-ra):
//
//   - #31 “Cap the bolus rate” (mona; class C dose-engine): lisa approved
//     an earlier head (stale), mkeller's approval was dismissed, lisa
//     approved the final head — accepted;
//   - #32 “Louder default alarm” (hubot; class C alarms): approved by its
//     own author, and by mkeller on an earlier head (stale) — refused;
//   - “Tweak” pushed to main without a pull request, changing no item;
//   - #33 “Release 2.4.0”, the release pull request (mona), whose head is
//     the release commit: approved by jdoe and by rosei (QA/RA), and the
//     release workflow's deployment to production approved by rosei.
type reviewedSample struct {
	g                                *gittest.Repo
	srv                              *fakegithub.Server
	capSHA, alarmSHA, tweak, release string
	selfApproval                     int64 // hubot's approval of its own #32
}

func sha40(c byte) string { return strings.Repeat(string(c), 40) }

func makeReviewedSample(t *testing.T) reviewedSample {
	t.Helper()
	g := gittest.New(t)
	g.CopyDir(sample)
	g.Commit("SyringeFlow SP-1 2.3.0\n\nCloses CR-017.")
	g.Tag("v2.3.0", true, "SyringeFlow SP-1 2.3.0")
	appendTo := func(file, text string) {
		g.Write(file, string(mustRead(t, filepath.Join(g.Dir(), file)))+text)
	}
	appendTo("src/dose/limits.go", "\n// Bolus rate cap, see CR-021.\n")
	s := reviewedSample{g: g}
	s.capSHA = g.Commit("Cap the bolus rate (CR-021) (#31)")
	appendTo("src/alarm/manager.go", "\n// Louder default volume, CR-022.\n")
	s.alarmSHA = g.Commit("Louder default alarm (CR-022) (#32)")
	appendTo("README.md", "\nService notes.\n")
	s.tweak = g.Commit("Tweak")
	appendTo("README.md", "\nRelease 2.4.0.\n")
	s.release = g.Commit("Release 2.4.0 (#33)\n\nCloses CR-022.")
	g.Tag("v2.4.0", true, "SyringeFlow SP-1 2.4.0")

	srv := fakegithub.New(t)
	srv.AddGitRepo(ghRepo, g.Dir())
	srv.AddTeam("acme", "dose-reviewers", "lisa")
	srv.AddTeam("acme", "software-leads", "mkeller")
	srv.AddTeam("acme", "qa-ra", "rosei")
	day := time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }
	srv.AddPullRequest(ghRepo, fakegithub.PullRequest{Number: 31, Title: "Cap the bolus rate (CR-021)", Author: "mona", State: "closed",
		Merged: true, MergeCommitSHA: s.capSHA, HeadRef: "bolus-cap", HeadSHA: sha40('a'), BaseRef: "main", Created: at(0), Updated: at(5)})
	srv.AddReview(ghRepo, 31, fakegithub.Review{User: "lisa", State: "APPROVED", CommitID: sha40('b'), Submitted: at(1)})
	dismissed := srv.AddReview(ghRepo, 31, fakegithub.Review{User: "mkeller", State: "APPROVED", CommitID: sha40('b'), Submitted: at(2)})
	srv.DismissReview(ghRepo, 31, dismissed)
	srv.AddReview(ghRepo, 31, fakegithub.Review{User: "lisa", State: "APPROVED", CommitID: sha40('a'), Submitted: at(4)})
	srv.AddPullRequest(ghRepo, fakegithub.PullRequest{Number: 32, Title: "Louder default alarm (CR-022)", Author: "hubot", State: "closed",
		Merged: true, MergeCommitSHA: s.alarmSHA, HeadRef: "alarm-volume", HeadSHA: sha40('c'), BaseRef: "main", Created: at(6), Updated: at(9)})
	srv.AddReview(ghRepo, 32, fakegithub.Review{User: "mkeller", State: "APPROVED", CommitID: sha40('d'), Submitted: at(7)})
	s.selfApproval = srv.AddReview(ghRepo, 32, fakegithub.Review{User: "hubot", State: "APPROVED", CommitID: sha40('c'), Submitted: at(8)})
	srv.AddPullRequest(ghRepo, fakegithub.PullRequest{Number: 33, Title: "Release 2.4.0", Body: "Closes CR-022.", Author: "mona", State: "closed",
		Merged: true, MergeCommitSHA: s.release, HeadRef: "release/2.4.0", HeadSHA: s.release, BaseRef: "main", Created: at(24), Updated: at(30)})
	srv.AddReview(ghRepo, 33, fakegithub.Review{User: "jdoe", State: "APPROVED", CommitID: s.release, Submitted: at(26)})
	srv.AddReview(ghRepo, 33, fakegithub.Review{User: "rosei", State: "APPROVED", CommitID: s.release, Submitted: at(28), Body: "Released under SOP-012."})
	run := srv.AddWorkflowRun(ghRepo, fakegithub.WorkflowRun{Name: "Release", Path: ".github/workflows/release.yml", HeadSHA: s.release, Event: "push"})
	srv.AddDeployment(ghRepo, fakegithub.Deployment{SHA: s.release, Ref: "v2.4.0", Environment: "production", RunID: run, Created: at(31),
		Statuses: []fakegithub.DeploymentStatus{{State: "waiting", Created: at(31)}, {State: "queued", Created: at(33)}, {State: "success", Created: at(34)}}})
	srv.AddDeploymentReview(run, fakegithub.DeploymentReview{Environments: []string{"production"}, State: "approved", User: "rosei", Comment: "Ship 2.4.0"})
	s.srv = srv
	return s
}

// sources are the sample's repository with its GitHub, as the command
// line opens them with a token.
func (s reviewedSample) sources(t *testing.T) *check.Sources {
	t.Helper()
	src, closeFn, err := check.Open(context.Background(), check.Local{Dir: s.g.Dir(), NeedGit: true,
		Token: fakegithub.DefaultToken, APIURL: s.srv.APIURL(), Repo: ghRepo})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeFn)
	return src
}

// build builds the bundle of tag with the sample's GitHub.
func (s reviewedSample) build(t *testing.T, tag, out string, opts Options) *Bundle {
	t.Helper()
	opts.Tool, opts.WorkDir, opts.Check.FailOn = testTool, s.g.Dir(), gate.SevError
	if opts.Product == "" {
		opts.Product = ghRepo
	}
	b, err := Build(context.Background(), s.sources(t), tag, out, opts)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return b
}

func table(t *testing.T, b *Bundle, name string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(mustRead(t, filepath.Join(b.Dir, "tables", name+".csv")))).ReadAll()
	if err != nil {
		t.Fatalf("%s.csv: %v", name, err)
	}
	return recs
}

// column reads a CSV row by its header's names.
func column(head, row []string, name string) string {
	i := slices.Index(head, name)
	if i < 0 || i >= len(row) {
		return "<no column " + name + ">"
	}
	return row[i]
}

// The sample's release through pull requests: the review rule refuses the
// pull request approved by its own author and on a stale head, accepts
// the other, and the release approval passes; the bundle records every
// review, the approvals with who, when, which commit and the meaning, the
// signature block, the revision history and the document IDs.
func TestSampleReviewRecords(t *testing.T) {
	s := makeReviewedSample(t)
	dir := os.Getenv("TRACEGATE_SAMPLE_BUNDLE") // to look at the sample's bundle: a directory to write it to
	if dir == "" {
		dir = t.TempDir()
	}
	b := s.build(t, "v2.4.0", dir, Options{RepoURL: "https://github.com/" + ghRepo})

	outcome := map[string]gate.RuleStatus{}
	for _, o := range b.Result.Rules {
		outcome[o.Rule] = o.Status
	}
	if outcome["TG310"] != gate.RuleFailed || outcome["TG311"] != gate.RulePassed {
		t.Errorf("TG310 %s, TG311 %s; want fail, pass", outcome["TG310"], outcome["TG311"])
	}
	var tg310 []gate.Finding
	for _, f := range b.Result.Findings {
		if f.Rule == "TG310" {
			tg310 = append(tg310, f)
		}
	}
	if len(tg310) != 1 || tg310[0].Subject != "pull request #32" || !strings.Contains(tg310[0].Message, "approved by its own author hubot") ||
		!strings.Contains(tg310[0].Message, "mkeller's stale: it reviewed dddddddddddd, the final head is cccccccccccc") {
		t.Errorf("TG310 findings: %+v", tg310)
	}

	// CR-022 is not approved (approved: false in its file): the release
	// holds changes that implement it, which TG312 refuses.
	var tg312 []gate.Finding
	for _, f := range b.Result.Findings {
		if f.Rule == "TG312" {
			tg312 = append(tg312, f)
		}
	}
	if outcome["TG312"] != gate.RuleFailed || len(tg312) != 1 || tg312[0].Subject != "CR-022" || !strings.Contains(tg312[0].Message, "is not approved") {
		t.Errorf("TG312 %s: %+v", outcome["TG312"], tg312)
	}

	reviews := table(t, b, "reviews")
	head := reviews[0]
	got := map[string]string{}
	for _, r := range reviews[1:] {
		key := column(head, r, "pull_request") + " " + column(head, r, "reviewer") + " " + column(head, r, "submitted")
		got[key] = column(head, r, "counts") + " " + column(head, r, "note")
	}
	for key, want := range map[string]string{
		"#31 lisa 2026-10-05 10:00:00Z":    "false stale: it reviewed bbbbbbbbbbbb, the final head is aaaaaaaaaaaa",
		"#31 mkeller 2026-10-05 11:00:00Z": "false dismissed",
		"#31 lisa 2026-10-05 13:00:00Z":    "true ",
		"#32 hubot 2026-10-05 17:00:00Z":   "false approval by the pull request's own author",
		// The release pull request changes no item: its approvals are
		// records, not the dose reviewers' (and not required).
		"#33 rosei 2026-10-06 13:00:00Z": "false not one of the policy's reviewers (acme/dose-reviewers, acme/software-leads)",
	} {
		if got[key] != want {
			t.Errorf("reviews.csv %s: %q, want %q", key, got[key], want)
		}
	}
	for _, r := range reviews[1:] {
		if column(head, r, "pull_request") == "#31" && (column(head, r, "final_head") != sha40('a') || column(head, r, "merged_as") != s.capSHA ||
			column(head, r, "class") != "C" || column(head, r, "commits") != s.capSHA || column(head, r, "review_required") != "true") {
			t.Errorf("reviews.csv row of #31: %q", r)
		}
	}

	approvals := table(t, b, "approvals")
	ah := approvals[0]
	if len(approvals) != 4 {
		t.Fatalf("approvals.csv: %q", approvals)
	}
	if column(ah, approvals[1], "approver") != "jdoe" || column(ah, approvals[1], "counts") != "false" ||
		column(ah, approvals[1], "note") != "not one of the release approvers (acme/qa-ra)" {
		t.Errorf("a review by someone who does not approve releases: %q", approvals[1])
	}
	first, second := approvals[2], approvals[3]
	if column(ah, first, "approver") != "rosei" || column(ah, first, "kind") != "review" || column(ah, first, "counts") != "true" ||
		column(ah, first, "at") != "2026-10-06 13:00:00Z" || column(ah, first, "commit") != s.release ||
		!strings.HasPrefix(column(ah, first, "meaning"), "Approved for release: the design history file of this version is complete") {
		t.Errorf("the approving review: %q", first)
	}
	if column(ah, second, "kind") != "deployment" || column(ah, second, "at") != "2026-10-06 18:00:00Z" || column(ah, second, "counts") != "false" ||
		column(ah, second, "note") != "counted once already" || column(ah, second, "comment") != "Ship 2.4.0" {
		t.Errorf("the deployment approval: %q", second)
	}

	sigs := table(t, b, "signatures")
	sh := sigs[0]
	var rows []string
	for _, r := range sigs[1:] {
		rows = append(rows, column(sh, r, "role")+": "+column(sh, r, "name")+" "+column(sh, r, "date")+" "+column(sh, r, "commit"))
	}
	want := []string{
		"Prepared by: mona 2026-10-06 09:00:00Z " + s.release,
		"Reviewed by: jdoe 2026-10-06 11:00:00Z " + s.release,
		"Approved by: rosei 2026-10-06 13:00:00Z " + s.release,
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("signatures:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}

	revs := table(t, b, "revisions")
	if len(revs) != 3 || revs[1][0] != "v2.4.0" || revs[1][3] != "4" || revs[2][0] != "v2.3.0" {
		t.Errorf("revisions.csv: %q", revs)
	}
	docs := table(t, b, "documents")
	ids := map[string]string{}
	for _, r := range docs[1:] {
		ids[r[2]] = r[0] + " " + r[1]
	}
	for file, want := range map[string]string{
		"report.html": "DHF-SP1-REL v2.4.0", "report.html#srs": "SRS-SP1 v2.4.0", "evidence.xlsx": "DHF-SP1-REL-XLSX v2.4.0",
		"tables/reviews.csv": "DHF-SP1-REL-reviews v2.4.0", "soup/soup-list.md": "SOUP-SP1 v2.4.0",
	} {
		if ids[file] != want {
			t.Errorf("documents.csv %s: %q, want %q", file, ids[file], want)
		}
	}

	if md := string(mustRead(t, filepath.Join(b.Dir, SOUPMarkdown))); !strings.Contains(md, "\nDocument SOUP-SP1 rev v2.4.0\n") {
		t.Errorf("the SOUP list does not name its document ID and revision:\n%.300s", md)
	}

	changes := table(t, b, "changes")
	approved := map[string]string{}
	for _, r := range changes[1:] {
		approved[column(changes[0], r, "commit")] = column(changes[0], r, "change_approvals")
	}
	for sha, want := range map[string]string{s.capSHA: "CR-021 approved by M. Keller (software lead), R. Osei (risk manager)", s.alarmSHA: "CR-022 not approved", s.tweak: ""} {
		if approved[sha] != want {
			t.Errorf("changes.csv %s: change_approvals %q, want %q", sha[:12], approved[sha], want)
		}
	}

	// The trace both ways and the architecture, on the sample's own files.
	tests := table(t, b, "tests")
	found := false
	for _, r := range tests[1:] {
		if column(tests[0], r, "test") == "example.com/syringeflow/dose.TestProgrammedRateRoundsHalfUp" {
			found = true
			if got := column(tests[0], r, "result") + " " + column(tests[0], r, "requirements") + " " + column(tests[0], r, "linked_by") + " " +
				column(tests[0], r, "risk_controls"); got != "failed SRS-008 SRS-008: tag RC-001" {
				t.Errorf("tests.csv: the rounding test %q", got)
			}
		}
	}
	if !found {
		t.Error("tests.csv has no row of the rounding test")
	}
	arch := table(t, b, "architecture")
	if len(arch) != 6 {
		t.Errorf("architecture.csv has %d items, want the policy's 5", len(arch)-1)
	}
	for _, r := range arch[1:] {
		if column(arch[0], r, "item") == "dose-engine" && (column(arch[0], r, "class") != "C" || !strings.Contains(column(arch[0], r, "requirements"), "SRS-008") ||
			!strings.HasPrefix(column(arch[0], r, "soup"), "FreeRTOS-Kernel V11.2.0: SOUP register, SBOM sbom/firmware-freertos.spdx")) {
			t.Errorf("architecture.csv dose-engine: %q", r)
		}
	}

	page := string(mustRead(t, filepath.Join(b.Dir, ReportFile)))
	for _, want := range []string{`id="signatures"`, "<strong>rosei</strong>", `id="pr-32"`, "approval by the pull request&#39;s own author",
		`id="srs-SRS-008"`, `id="architecture-diagram"`, `id="verifies-nothing"`, "DHF-SP1-REL"} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %s", want)
		}
	}

	wb, err := excelize.OpenFile(filepath.Join(b.Dir, WorkbookFile))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	t.Logf("workbook sheets: %s", strings.Join(wb.GetSheetList(), ", "))
	for _, sheet := range []string{"About", "Tests", "Architecture", "Reviews", "Release approval", "Signatures", "Revision history", "Documents"} {
		if idx, _ := wb.GetSheetIndex(sheet); idx < 0 {
			t.Errorf("the workbook has no sheet %s", sheet)
		}
	}
}

// Without a GitHub token the review and approval rules of the sample
// fail closed and say why; the bundle says so in its signature block.
func TestSampleReviewsWithoutGitHub(t *testing.T) {
	s := makeReviewedSample(t)
	b := build(t, s.g.Dir(), "v2.4.0", t.TempDir(), Options{})
	msgs := map[string]string{}
	for _, f := range b.Result.Findings {
		msgs[f.Rule] = f.Message
	}
	for _, rule := range []string{"TG310", "TG311"} {
		if !strings.Contains(msgs[rule], "could not be read: no GitHub token was given") {
			t.Errorf("%s: %q", rule, msgs[rule])
		}
	}
	sigs := table(t, b, "signatures")
	if len(sigs) != 4 || !strings.Contains(sigs[3][2], "the approval records could not be read (no GitHub token was given)") {
		t.Errorf("signatures.csv: %q", sigs)
	}
}

// The review and approval rules on the sample's own history and GitHub
// records, in each outcome: the first release (v2.3.0) is not judged for
// its changes (TG310 not applicable) and nobody approved it (TG311 fails);
// 2.4.0 fails TG310 on #32 until its author's approval is dismissed and a
// dose reviewer approves its final head, and then passes.
func TestSampleReviewRuleOutcomes(t *testing.T) {
	s := makeReviewedSample(t)
	release := func(tag string) map[string]gate.RuleOutcome {
		t.Helper()
		res, err := check.Release(context.Background(), s.sources(t), tag, "", check.Options{FailOn: gate.SevError})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]gate.RuleOutcome{}
		for _, o := range res.Rules {
			out[o.Rule] = o
		}
		for _, f := range res.Findings {
			if f.Rule == "TG311" {
				o := out[f.Rule]
				o.Reason = f.Message
				out[f.Rule] = o
			}
		}
		return out
	}

	first := release("v2.3.0")
	if o := first["TG310"]; o.Status != gate.RuleNotApplicable || !strings.Contains(o.Reason, "first release") {
		t.Errorf("v2.3.0 TG310: %s (%s), want not applicable as the first release", o.Status, o.Reason)
	}
	if o := first["TG311"]; o.Status != gate.RuleFailed || !strings.Contains(o.Reason, "has 0 of the 1 approval it needs from @acme/qa-ra") {
		t.Errorf("v2.3.0 TG311: %s (%s), want failed: nobody approved it", o.Status, o.Reason)
	}

	if o := release("v2.4.0")["TG310"]; o.Status != gate.RuleFailed || o.Findings != 1 {
		t.Errorf("v2.4.0 TG310 as recorded: %s with %d findings, want failed on #32", o.Status, o.Findings)
	}
	s.srv.DismissReview(ghRepo, 32, s.selfApproval)
	s.srv.AddReview(ghRepo, 32, fakegithub.Review{User: "lisa", State: "APPROVED", CommitID: sha40('c'), Submitted: time.Date(2026, 10, 5, 19, 0, 0, 0, time.UTC)})
	fixed := release("v2.4.0")
	for rule, want := range map[string]gate.RuleStatus{"TG310": gate.RulePassed, "TG311": gate.RulePassed} {
		if o := fixed[rule]; o.Status != want {
			t.Errorf("v2.4.0 %s once #32 is approved by lisa and not by its author: %s (%s), want %s", rule, o.Status, o.Reason, want)
		}
	}
}

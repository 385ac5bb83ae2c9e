package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/cli"
	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// The sample's own policy requires an approval of changes to its class B
// and C items on the final head, by acme/dose-reviewers or
// acme/software-leads: from the command line, a pull request changing the
// dose engine fails closed without GitHub, saying why; with GitHub it
// fails on an approval of an earlier head and passes on the head's; a
// pull request that changes no class B/C item needs no review.
func TestCheckReviewsOfTheSample(t *testing.T) {
	cli.Getenv = func(string) string { return "" }
	t.Cleanup(func() { cli.Getenv = func(string) string { return "" } })
	r := gittest.New(t)
	r.CopyDir(sample)
	r.Commit("SyringeFlow SP-1 2.3.0")
	r.Branch("bolus-cap")
	r.Checkout("bolus-cap")
	r.Write("src/dose/limits.go", readFile(t, filepath.Join(r.Dir(), "src/dose/limits.go"))+"\n// Bolus rate cap, see CR-021.\n")
	first := r.Commit("Cap the bolus rate (CR-021)")
	r.Write("src/dose/limits.go", readFile(t, filepath.Join(r.Dir(), "src/dose/limits.go"))+"// Reviewed.\n")
	head := r.Commit("Address the review (CR-021)")
	args := []string{"check", "pr", "--dir", r.Dir(), "--base", "main", "--head", "bolus-cap", "--number", "40",
		"--title", "Cap the bolus rate (CR-021)", "--body", "## Risk impact\nNarrows the bolus rate; RC-003 unchanged."}
	tg209 := func(res gateResult) string {
		for _, f := range res.Findings {
			if f.Rule == "TG209" {
				return f.Message
			}
		}
		return ""
	}

	code, res, _ := runCheck(t, args...)
	if code != 1 || !strings.Contains(tg209(res), "its reviews could not be read: no GitHub token was given") {
		t.Errorf("without GitHub: exit %d, TG209 %q", code, tg209(res))
	}

	gh := fakegithub.New(t)
	gh.AddRepo(ghRepo)
	gh.AddTeam("acme", "dose-reviewers", "lisa")
	gh.AddTeam("acme", "software-leads", "mkeller")
	gh.AddPullRequest(ghRepo, fakegithub.PullRequest{Number: 40, Title: "Cap the bolus rate (CR-021)", Author: "mona", HeadRef: "bolus-cap", HeadSHA: head, BaseRef: "main"})
	gh.AddReview(ghRepo, 40, fakegithub.Review{User: "lisa", State: "APPROVED", CommitID: first})
	withGitHub(gh)
	code, res, errs := runCheck(t, args...)
	if code != 1 || !strings.Contains(tg209(res), "lisa's stale: it reviewed "+first[:12]+", the final head is "+head[:12]) {
		t.Errorf("a stale approval: exit %d, TG209 %q\n%s", code, tg209(res), errs)
	}
	gh.AddReview(ghRepo, 40, fakegithub.Review{User: "mkeller", State: "APPROVED", CommitID: head})
	code, res, errs = runCheck(t, args...)
	if tg209(res) != "" || res.status("TG209") != "pass" {
		t.Errorf("approved on the head: exit %d, TG209 %s %q\n%s", code, res.status("TG209"), tg209(res), errs)
	}

	r.Checkout("main")
	r.Branch("notes")
	r.Checkout("notes")
	r.Write("README.md", readFile(t, filepath.Join(r.Dir(), "README.md"))+"\nService notes.\n")
	notes := r.Commit("Service notes (CR-021)")
	gh.AddPullRequest(ghRepo, fakegithub.PullRequest{Number: 41, Title: "Service notes (CR-021)", Author: "mona", HeadRef: "notes", HeadSHA: notes, BaseRef: "main"})
	_, res, errs = runCheck(t, "check", "pr", "--dir", r.Dir(), "--base", "main", "--head", "notes", "--number", "41", "--title", "Service notes (CR-021)")
	if st := res.status("TG209"); !strings.HasPrefix(st, "not_applicable") || !strings.Contains(st, "changes no file of a software item") {
		t.Errorf("a change of no class B/C item: TG209 %s\n%s", st, errs)
	}
}

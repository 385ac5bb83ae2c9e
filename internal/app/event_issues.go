package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/logctx"
	"github.com/tracegate/tracegate/internal/store"
	"github.com/tracegate/tracegate/internal/trace"
)

// issueActions change what a pull request linking the issue is judged on:
// its text (a problem report's triage sections), labels (approval, kind)
// and state.
var issueActions = map[string]bool{"edited": true, "labeled": true, "unlabeled": true, "closed": true, "reopened": true}

// issueArgs are an issue job's arguments.
type issueArgs struct {
	Number int    `json:"number"`
	Title  string `json:"title"`
	// DefaultBranch is where the policy that says what an ID looks like
	// is read when a pull request's base cannot be.
	DefaultBranch string `json:"default_branch,omitempty"`
}

// onIssues: an issue's edit, labels or state → re-evaluate the open pull
// requests that link it (see runIssue). A pull request is an issue too:
// its own edits come as pull_request events and are not fanned out here.
func (a *App) onIssues(payload any, in *intake) error {
	e := payload.(*github.IssuesEvent)
	if !issueActions[e.GetAction()] {
		return nil
	}
	is := e.GetIssue()
	if is.GetNumber() <= 0 {
		// go-github's IsPullRequest dereferences the issue (found by
		// FuzzIntake: an issues payload without its issue panicked).
		return fmt.Errorf("no issue number in the %s payload", e.GetAction())
	}
	if is.IsPullRequest() {
		return nil
	}
	if err := in.needRepo(); err != nil {
		return err
	}
	return in.add(kindIssue, store.Key{Repository: in.repo, Number: is.GetNumber()},
		issueArgs{Number: is.GetNumber(), Title: is.GetTitle(), DefaultBranch: e.GetRepo().GetDefaultBranch()})
}

// runIssue re-evaluates the open pull requests that link the issue. They
// are found by listing the repository's open pull requests and finding
// their links exactly as the PR gate does — in the title, the body, the
// head branch's name and every commit message, with the ID patterns of
// the policy at each pull request's base — rather than with the search
// API: search matches words, not links (it cannot tell "#12" from "PR
// 12" or find CR-021 in a commit message), lags behind edits, and has its
// own rate limit of 30 requests a minute. The list is one request per 100
// open pull requests, each comparison is kept by SHA, and repeated reads
// are conditional.
func (a *App) runIssue(ctx context.Context, job store.Job) error {
	var args issueArgs
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return store.Permanent(fmt.Errorf("issue job %d: %w", job.ID, err))
	}
	ra, err := a.access(ctx, job.InstallationID, job.Key.Repository)
	if err != nil {
		return permanentUnless(err)
	}
	owner, name, _ := strings.Cut(ra.name, "/")
	pulls, err := githubapi.All(ctx, 0, func(ctx context.Context, page int) ([]*github.PullRequest, *github.Response, error) {
		return ra.gh.PullRequests.List(ctx, owner, name, &github.PullRequestListOptions{State: "open", ListOptions: github.ListOptions{Page: page, PerPage: githubapi.PerPage}})
	})
	if err != nil {
		return permanentUnless(fmt.Errorf("listing the open pull requests of %s: %w", ra.name, err))
	}
	in := &intake{installation: job.InstallationID, repo: ra.name}
	for _, p := range pulls {
		pr := pullRequest(ra.name, p)
		links, err := a.prLinks(ctx, ra, pr)
		if err != nil {
			// Unknowable links: evaluate it, the gate will say what fails.
			logctx.From(ctx).Warn("links of a pull request unknown; evaluating it", "number", pr.Number, "error", err.Error())
			if err := in.addPR(pr, true); err != nil {
				return err
			}
			continue
		}
		if linksIssue(links, ra.name, args.Number, args.Title) {
			if err := in.addPR(pr, true); err != nil {
				return err
			}
		}
	}
	logctx.From(ctx).Info("issue fan-out", "issue", args.Number, "open_pulls", len(pulls), "linking", len(in.jobs))
	return a.fanOut(ctx, job, in)
}

// prLinks finds the links of a pull request as the PR gate does, with the
// policy at its base.
func (a *App) prLinks(ctx context.Context, ra *repoAccess, pr facts.PullRequest) (*prLinkSet, error) {
	pol, err := ra.policy(ctx, pr.BaseSHA)
	if err != nil {
		return nil, err
	}
	if pol.err != nil {
		return nil, pol.err
	}
	ids, err := trace.NewIDs(pol.cfg)
	if err != nil {
		return nil, err
	}
	commits, err := ra.repo.Commits(ctx, pr.BaseSHA, pr.HeadSHA)
	if err != nil {
		return nil, err
	}
	lf := &trace.LinkFinder{IDs: ids, Repo: ra.name, Hosts: []string{a.host}}
	var links trace.Links
	lf.Text(&links, pr.Title, "title")
	lf.Text(&links, pr.Body, "body")
	lf.Branch(&links, pr.HeadRef)
	for _, c := range commits {
		lf.Text(&links, c.Message, "commit")
	}
	return &prLinkSet{links: links.List(), lf: lf}, nil
}

type prLinkSet struct {
	links []trace.Link
	lf    *trace.LinkFinder
}

// linksIssue tells whether a pull request's links reach issue n of repo:
// by number or URL, or by an ID the issue's title carries (a record
// issue, "CR-021: …", is linked by its ID).
func linksIssue(s *prLinkSet, repo string, n int, issueTitle string) bool {
	var own trace.Links
	s.lf.Text(&own, issueTitle, "issue title")
	ids := map[string]bool{}
	for _, l := range own.List() {
		if l.Kind != trace.LinkIssue {
			ids[l.ID] = true
		}
	}
	for _, l := range s.links {
		if l.Kind == trace.LinkIssue && l.Number == n && (l.Repo == "" || strings.EqualFold(l.Repo, repo)) {
			return true
		}
		if l.Kind != trace.LinkIssue && ids[l.ID] {
			return true
		}
	}
	return false
}

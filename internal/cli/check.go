package cli

import (
	"context"
	"os"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/event"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/report/resultdoc"
)

// CheckOptions are the flags of `check pr` and `check release`.
type CheckOptions struct {
	FailOn string
	Tests  []string // more test report globs in the working tree
	SBOMs  []string // more SBOM globs in the working tree (CI's), as the Action's sbom input

	// GitHub access: a token (--github-token, else $GITHUB_TOKEN), the API
	// ($GITHUB_API_URL) and the repository (--repo, else the event's, else
	// $GITHUB_REPOSITORY).
	Token  string
	APIURL string
	Repo   string

	// check pr: the refs, and the pull request from an event payload
	// (--event, as $GITHUB_EVENT_PATH holds it) or from flags.
	Base, Head string
	Event      string
	Number     int
	Title      string
	Body       string
	Branch     string
	Labels     []string

	// check release.
	Tag, Previous string
}

// Getenv is how the commands read the environment; tests replace it.
var Getenv = os.Getenv

func (c *CheckOptions) fromEnv() {
	if c.Token == "" {
		c.Token = Getenv("GITHUB_TOKEN")
	}
	if c.APIURL == "" {
		c.APIURL = Getenv("GITHUB_API_URL")
	}
	if c.Repo == "" {
		c.Repo = Getenv("GITHUB_REPOSITORY")
	}
}

// CheckPR runs the pull request gate (tracegate check pr).
func CheckPR(o Options, c CheckOptions) int {
	ctx, err := o.context()
	if err != nil {
		return o.fail(err)
	}
	sev, err := o.checkFlags(c)
	if err != nil {
		return o.fail(err)
	}
	var pr facts.PullRequest
	if c.Event != "" {
		ev, err := event.Load(c.Event, event.PullRequest)
		if err != nil {
			return o.fail(&check.UsageError{Err: err})
		}
		if ev.PullRequest == nil {
			return o.fail(usagef("--event %s: not a pull_request event", c.Event))
		}
		pr = *ev.PullRequest
		if c.Repo == "" {
			c.Repo = ev.Repo
		}
		if c.Base == "" {
			c.Base = pr.BaseSHA
		}
		if c.Head == "" {
			c.Head = pr.HeadSHA
		}
	}
	// Flags complete or override what the event says.
	if c.Number != 0 {
		pr.Number = c.Number
	}
	if c.Title != "" {
		pr.Title = c.Title
	}
	if c.Body != "" {
		pr.Body = c.Body
	}
	if c.Branch != "" {
		pr.HeadRef = c.Branch
	}
	if len(c.Labels) > 0 {
		pr.Labels = c.Labels
	}
	c.fromEnv()
	if c.Head == "" {
		c.Head = "HEAD" // the checkout: its branch's name is searched for links
	}
	if c.Base == "" {
		return o.fail(usagef("check pr needs --base: the branch the pull request merges into (origin/main, say), or --event with a pull_request payload"))
	}
	src, closeRepo, err := o.sources(ctx, c, true)
	if err != nil {
		return o.fail(err)
	}
	defer closeRepo()
	if pr.Repo == "" {
		pr.Repo = c.Repo
	}
	return o.finish(check.PR(ctx, src, pr, c.Base, c.Head, check.Options{ConfigPath: o.Config, Tests: c.Tests, FailOn: sev, SOUP: check.SOUPOptions{SBOMs: c.SBOMs}}))
}

// CheckRelease runs the release gate (tracegate check release).
func CheckRelease(o Options, c CheckOptions) int {
	ctx, err := o.context()
	if err != nil {
		return o.fail(err)
	}
	sev, err := o.checkFlags(c)
	if err != nil {
		return o.fail(err)
	}
	c.fromEnv()
	// Without --tag the release candidate is the directory as it is; git
	// history is used when the directory is a repository's top.
	src, closeRepo, err := o.sources(ctx, c, c.Tag != "")
	if err != nil {
		return o.fail(err)
	}
	defer closeRepo()
	return o.finish(check.Release(ctx, src, c.Tag, c.Previous, check.Options{ConfigPath: o.Config, Tests: c.Tests, FailOn: sev, SOUP: check.SOUPOptions{SBOMs: c.SBOMs}}))
}

func (o *Options) checkFlags(c CheckOptions) (gate.Severity, error) {
	sev, err := failOn(c.FailOn)
	if err != nil {
		return "", err
	}
	return sev, checkFormat(o.Format, "check", resultdoc.Formats)
}

// sources opens the repository and, with a token, GitHub. The repository
// root is the top of the git work tree: with needGit, --dir must be it;
// without, git is used only when it is.
func (o *Options) sources(ctx context.Context, c CheckOptions, needGit bool) (*check.Sources, func(), error) {
	dir, err := o.dir()
	if err != nil {
		return nil, nil, err
	}
	return check.Open(ctx, check.Local{
		Dir: dir, NeedGit: needGit, Token: c.Token, APIURL: c.APIURL, Repo: c.Repo,
		NoToken: "no GitHub token was given (--github-token or GITHUB_TOKEN)",
		OSVURL:  Getenv("TRACEGATE_OSV_URL"),
	})
}

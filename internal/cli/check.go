package cli

import (
	"context"
	"fmt"
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
	ctx := context.Background()
	sev, err := o.checkFlags(c)
	if err != nil {
		return o.fail(err)
	}
	var pr facts.PullRequest
	if c.Event != "" {
		ev, err := event.Load(c.Event, event.PullRequest)
		if err != nil {
			return o.fail(usageError{err})
		}
		if ev.PullRequest == nil {
			return o.fail(usageError{fmt.Errorf("--event %s: not a pull_request event", c.Event)})
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
	if c.Base == "" || c.Head == "" {
		return o.fail(usageError{fmt.Errorf("check pr needs --base and --head (or --event with a pull_request payload)")})
	}
	src, closeRepo, err := o.sources(ctx, c, true)
	if err != nil {
		return o.fail(err)
	}
	defer closeRepo()
	if pr.Repo == "" {
		pr.Repo = c.Repo
	}
	res, err := check.PR(ctx, src, pr, c.Base, c.Head, check.Options{ConfigPath: o.Config, Tests: c.Tests, FailOn: sev})
	return o.finish(res, err)
}

// CheckRelease runs the release gate (tracegate check release).
func CheckRelease(o Options, c CheckOptions) int {
	ctx := context.Background()
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
	res, err := check.Release(ctx, src, c.Tag, c.Previous, check.Options{ConfigPath: o.Config, Tests: c.Tests, FailOn: sev})
	return o.finish(res, err)
}

func (o *Options) checkFlags(c CheckOptions) (gate.Severity, error) {
	sev, ok := gate.ParseSeverity(c.FailOn)
	if !ok {
		return "", usageError{fmt.Errorf("--fail-on %q: use error, warning, note or never", c.FailOn)}
	}
	if err := checkFormat(o.Format, "check", resultdoc.Formats); err != nil {
		return "", err
	}
	return sev, nil
}

// sources opens the repository and, with a token, GitHub. The repository
// root is the top of the git work tree: with needGit, --dir must be it;
// without, git is used only when it is.
func (o *Options) sources(ctx context.Context, c CheckOptions, needGit bool) (*check.Sources, func(), error) {
	if _, err := o.repo(); err != nil {
		return nil, nil, err
	}
	src, closeRepo, err := check.Open(ctx, check.Local{
		Dir: o.Dir, NeedGit: needGit, Token: c.Token, APIURL: c.APIURL, Repo: c.Repo,
		NoToken: "no GitHub token was given (--github-token or GITHUB_TOKEN)",
	})
	if err != nil {
		if check.IsUsage(err) {
			return nil, nil, usageError{err}
		}
		return nil, nil, err
	}
	return src, closeRepo, nil
}

// finish writes the result and maps it to the exit code. An evaluation
// error is reported in the result (so JSON and SARIF consumers see the
// verdict) and exits 3; a usage error exits 2.
func (o *Options) finish(res *gate.Result, err error) int {
	if err != nil && check.IsUsage(err) {
		return o.fail(usageError{err})
	}
	res.Tool = tool()
	if werr := o.write(func(w writer) error { return resultdoc.Write(w, res, o.Format) }); werr != nil {
		return o.fail(werr)
	}
	if err != nil {
		return o.failed(err, o.Output != "" && o.Output != "-")
	}
	return verdictCode(res.Verdict)
}

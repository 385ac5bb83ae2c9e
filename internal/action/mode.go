package action

import (
	"fmt"
	"strings"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/event"
	"github.com/tracegate/tracegate/internal/gate"
)

// Context is what the run reads of the GitHub context, from the variables
// the runner sets for every step.
type Context struct {
	EventName  string // GITHUB_EVENT_NAME
	EventPath  string // GITHUB_EVENT_PATH
	Ref        string // GITHUB_REF: refs/heads/main, refs/tags/v1.2.0, refs/pull/7/merge
	SHA        string // GITHUB_SHA
	Repository string // GITHUB_REPOSITORY, owner/name
	Workspace  string // GITHUB_WORKSPACE: the checkout
	APIURL     string // GITHUB_API_URL: https://api.github.com, or https://HOST/api/v3 on GHES
	ServerURL  string // GITHUB_SERVER_URL, for links
	RunnerTemp string // RUNNER_TEMP
	Output     string // GITHUB_OUTPUT: the file outputs are appended to
	Summary    string // GITHUB_STEP_SUMMARY
}

func readContext(getenv func(string) string) Context {
	c := Context{
		EventName: getenv("GITHUB_EVENT_NAME"), EventPath: getenv("GITHUB_EVENT_PATH"),
		Ref: getenv("GITHUB_REF"), SHA: getenv("GITHUB_SHA"), Repository: getenv("GITHUB_REPOSITORY"),
		Workspace: getenv("GITHUB_WORKSPACE"), APIURL: getenv("GITHUB_API_URL"), ServerURL: getenv("GITHUB_SERVER_URL"),
		RunnerTemp: getenv("RUNNER_TEMP"), Output: getenv("GITHUB_OUTPUT"), Summary: getenv("GITHUB_STEP_SUMMARY"),
	}
	if c.ServerURL == "" {
		c.ServerURL = "https://github.com"
	}
	return c
}

// Plan is what a run evaluates, and why.
type Plan struct {
	Gate string // gate.GatePR, gate.GateRelease or gate.GateValidate
	Why  string // for the log: "pull_request event", "push of tag v1.2.0"
	// PR, Base and Head: the pull request gate, from the event.
	PR         *facts.PullRequest
	Base, Head string
	// Tag: the release gate's tag; "" judges the checkout as a release
	// candidate.
	Tag string
}

// usagef is a problem with the step's configuration or the event it runs
// on (exit 2): nothing could be evaluated.
func usagef(format string, args ...any) error {
	return &check.UsageError{Err: fmt.Errorf(format, args...)}
}

// plan picks the gate. Mode auto: pull_request and pull_request_target run
// the pull request gate; a push of a tag and a release run the release gate
// on that tag; anything else (a branch push, a schedule, a manual run)
// validates the design history file. An explicit mode must fit the event:
// pr needs a pull request event; release uses the event's tag when there is
// one and otherwise judges the checkout as a release candidate.
func plan(mode Mode, c Context) (Plan, error) {
	name := event.Name(strings.TrimSpace(c.EventName))
	isPR := name == event.PullRequest || name == event.PullRequestTarget
	switch mode {
	case ModeValidate:
		return Plan{Gate: gate.GateValidate, Why: "mode validate"}, nil
	case ModePR:
		if !isPR {
			return Plan{Gate: gate.GatePR}, usagef("mode pr needs a pull_request or pull_request_target event, and this run is a %s event", orNone(c.EventName))
		}
		return prPlan(name, c, "mode pr")
	case ModeRelease:
		p, ok, err := tagPlan(name, c)
		if err != nil || ok {
			return p, err
		}
		return Plan{Gate: gate.GateRelease, Why: "mode release on " + orNone(c.Ref) + ": the checkout as a release candidate"}, nil
	}
	if isPR {
		return prPlan(name, c, string(name)+" event")
	}
	p, ok, err := tagPlan(name, c)
	if err != nil || ok {
		return p, err
	}
	return Plan{Gate: gate.GateValidate, Why: orNone(c.EventName) + " event on " + orNone(c.Ref) + " (not a pull request, tag or release)"}, nil
}

func prPlan(name event.Name, c Context, why string) (Plan, error) {
	ev, err := event.Load(c.EventPath, name)
	if err != nil {
		return Plan{Gate: gate.GatePR}, usagef("%v", err)
	}
	pr := ev.PullRequest
	return Plan{Gate: gate.GatePR, Why: fmt.Sprintf("%s: pull request #%d", why, pr.Number), PR: pr, Base: pr.BaseSHA, Head: pr.HeadSHA}, nil
}

// tagPlan is the release gate on the event's tag: a push of a tag, a
// release, or else GITHUB_REF when it names a tag (a manual run on a tag).
// ok is false when the run is on no tag.
func tagPlan(name event.Name, c Context) (Plan, bool, error) {
	release := func(tag, why string) (Plan, bool, error) {
		return Plan{Gate: gate.GateRelease, Tag: tag, Why: why}, true, nil
	}
	switch name {
	case event.Push:
		ev, err := event.Load(c.EventPath, name)
		if err != nil {
			return Plan{Gate: gate.GateRelease}, false, usagef("%v", err)
		}
		tag, isTag := ev.Push.Tag()
		switch {
		case isTag && ev.Push.Deleted:
			return Plan{Gate: gate.GateRelease}, false, usagef("the push deleted the tag %s: there is no release to judge; run the workflow on tag pushes that create or move a tag (on: push: tags)", tag)
		case isTag:
			return release(tag, "push of tag "+tag)
		}
		return Plan{}, false, nil
	case event.Release:
		ev, err := event.Load(c.EventPath, name)
		if err != nil {
			return Plan{Gate: gate.GateRelease}, false, usagef("%v", err)
		}
		return release(ev.Release.TagName, fmt.Sprintf("release %s (%s)", ev.Release.TagName, orNone(ev.Action)))
	}
	if tag, ok := strings.CutPrefix(c.Ref, "refs/tags/"); ok && tag != "" {
		return release(tag, orNone(c.EventName)+" event on tag "+tag)
	}
	return Plan{}, false, nil
}

func orNone(s string) string {
	if s == "" {
		return "(unset)"
	}
	return s
}

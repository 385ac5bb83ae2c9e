package event

import (
	"fmt"
	"strings"

	"github.com/tracegate/tracegate/internal/facts"
)

// Name is an event's name, as GITHUB_EVENT_NAME gives it.
type Name string

// The events tracegate evaluates.
const (
	PullRequest       Name = "pull_request"
	PullRequestTarget Name = "pull_request_target"
	Push              Name = "push"
	Release           Name = "release"
)

var names = []Name{PullRequest, PullRequestTarget, Push, Release}

// Detect reads GITHUB_EVENT_NAME.
func Detect(name string) (Name, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", fmt.Errorf("GITHUB_EVENT_NAME is not set: tracegate's GitHub mode runs in a GitHub Actions workflow (on: %s)", list())
	}
	for _, n := range names {
		if string(n) == name {
			return n, nil
		}
	}
	return "", fmt.Errorf("GITHUB_EVENT_NAME is %q: tracegate evaluates the events %s; run it on one of them, or without GitHub mode", name, list())
}

func list() string {
	var s []string
	for _, n := range names {
		s = append(s, string(n))
	}
	return strings.Join(s, ", ")
}

// Event is an event payload, read.
type Event struct {
	Name Name
	// Action is the activity type (opened, synchronize, published …);
	// empty for push, which has none.
	Action string
	// Repo is the repository the workflow runs in (owner/name).
	Repo string
	// PullRequest is set for pull_request and pull_request_target.
	PullRequest *facts.PullRequest
	Push        *PushEvent
	Release     *ReleaseEvent
}

// PushEvent is a push of a branch or tag.
type PushEvent struct {
	Ref    string // refs/heads/main, refs/tags/v1.2.0
	Before string // the ref's commit before the push; zeros when created
	After  string // the ref's commit after the push; zeros when deleted
	// Created and Deleted say the push created or deleted the ref; Forced
	// that it was a force push.
	Created, Deleted, Forced bool
}

// Tag is the tag the push is of, if it is of a tag.
func (p *PushEvent) Tag() (string, bool) { return strings.CutPrefix(p.Ref, "refs/tags/") }

// Branch is the branch the push is of, if it is of a branch.
func (p *PushEvent) Branch() (string, bool) { return strings.CutPrefix(p.Ref, "refs/heads/") }

// ReleaseEvent is a release's activity.
type ReleaseEvent struct {
	ID      int64
	TagName string
	Name    string
	// TargetCommitish is the branch or commit the tag is created from
	// when it does not exist yet.
	TargetCommitish   string
	Draft, Prerelease bool
	URL               string // html_url
}

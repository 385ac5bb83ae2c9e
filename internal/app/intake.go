package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/store"
)

// intake is what a delivery becomes: its envelope and the jobs its event
// calls for (none for an event or action tracegate does not act on).
type intake struct {
	delivery     string
	action       string
	installation int64
	repo         string // owner/name
	jobs         []store.JobSpec
}

// eventHandler turns a parsed payload into jobs. Each lives in the
// event_*.go file of its event.
type eventHandler func(a *App, payload any, in *intake) error

// knownEvents are the events the App acts on; app.yml subscribes to
// these.
var knownEvents = map[string]eventHandler{
	"pull_request":              (*App).onPullRequest,
	"issues":                    (*App).onIssues,
	"check_run":                 (*App).onCheckRun,
	"check_suite":               (*App).onCheckSuite,
	"workflow_run":              (*App).onWorkflowRun,
	"push":                      (*App).onPush,
	"create":                    (*App).onCreate,
	"release":                   (*App).onRelease,
	"installation":              (*App).onInstallation,
	"installation_repositories": (*App).onInstallationRepositories,
	"ping":                      nil,
}

// envelope is what every payload carries, read alone for the events the
// App does not parse.
type envelope struct {
	Action       string `json:"action"`
	Installation *struct {
		ID int64 `json:"id"`
	} `json:"installation"`
	Repository *struct {
		FullName string `json:"full_name"`
	} `json:"repository"`
}

// intake reads a signed delivery. A payload that is not JSON, or not the
// event's shape, is refused; an event the App does not act on is kept
// without jobs. The payload is decoded once: on the webhook's path to its
// 202, a second pass over 25 KB costs a third of the reading.
func (a *App) intake(event, delivery string, body []byte) (*intake, error) {
	if event == "" {
		return nil, errors.New("no X-GitHub-Event header")
	}
	in := &intake{delivery: delivery}
	h, ok := knownEvents[event]
	if !ok || h == nil {
		var env envelope
		if err := json.Unmarshal(body, &env); err != nil {
			return nil, fmt.Errorf("the payload is not a JSON object: %v", err)
		}
		in.action = env.Action
		if env.Installation != nil {
			in.installation = env.Installation.ID
		}
		if env.Repository != nil {
			in.repo = env.Repository.FullName
		}
		return in, nil
	}
	payload, err := github.ParseWebHook(event, body)
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax):
		return nil, fmt.Errorf("the payload is not a JSON object: %v", err)
	case err != nil:
		return nil, fmt.Errorf("%s payload: %v", event, err)
	}
	in.action, in.installation, in.repo = envelopeOf(payload)
	if err := h(a, payload, in); err != nil {
		return nil, fmt.Errorf("%s payload: %w", event, err)
	}
	return in, nil
}

// envelopeOf is the envelope of a parsed event: its action, installation
// and repository (push events name theirs in a type of their own).
func envelopeOf(payload any) (action string, installation int64, repo string) {
	if e, ok := payload.(interface{ GetAction() string }); ok {
		action = e.GetAction()
	}
	if e, ok := payload.(interface{ GetInstallation() *github.Installation }); ok {
		installation = e.GetInstallation().GetID()
	}
	switch e := payload.(type) {
	case interface{ GetRepo() *github.Repository }:
		repo = e.GetRepo().GetFullName()
	case *github.PushEvent:
		repo = e.GetRepo().GetFullName()
	}
	return action, installation, repo
}

// Job kinds.
const (
	kindPR           = "pr"           // the PR gate on a head SHA
	kindRelease      = "release"      // the release gate on a tag, or readiness on a default-branch commit
	kindIssue        = "issue"        // re-evaluate the open PRs that link an issue
	kindWaiting      = "waiting"      // evaluate what waited for a workflow run's artifacts
	kindInstallation = "installation" // record an installation event
)

// add appends a job whose arguments are args as JSON.
func (in *intake) add(kind string, key store.Key, args any) error {
	b, err := json.Marshal(args)
	if err != nil {
		return err
	}
	in.jobs = append(in.jobs, store.JobSpec{Kind: kind, Key: key, InstallationID: in.installation, Args: b})
	return nil
}

// needRepo is the check every repository event passes: an installation
// and an owner/name.
func (in *intake) needRepo() error {
	if in.installation <= 0 {
		return errors.New("no installation in the payload: the App acts on repositories through an installation")
	}
	if o, n, ok := strings.Cut(in.repo, "/"); !ok || o == "" || n == "" {
		return fmt.Errorf("repository %q is not owner/name", in.repo)
	}
	return nil
}

// isSHA tells a whole commit SHA.
func isSHA(s string) bool { return githubapi.FullSHA(s) }

// zeroSHA is the "after" of a push that deleted its ref.
func zeroSHA(s string) bool { return strings.Trim(s, "0") == "" }

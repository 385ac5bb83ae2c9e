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

// envelope is what every payload carries.
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
// without jobs.
func (a *App) intake(event, delivery string, body []byte) (*intake, error) {
	if event == "" {
		return nil, errors.New("no X-GitHub-Event header")
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("the payload is not a JSON object: %v", err)
	}
	in := &intake{delivery: delivery, action: env.Action}
	if env.Installation != nil {
		in.installation = env.Installation.ID
	}
	if env.Repository != nil {
		in.repo = env.Repository.FullName
	}
	h, ok := knownEvents[event]
	if !ok || h == nil {
		return in, nil
	}
	payload, err := github.ParseWebHook(event, body)
	if err != nil {
		return nil, fmt.Errorf("%s payload: %v", event, err)
	}
	if err := h(a, payload, in); err != nil {
		return nil, fmt.Errorf("%s payload: %w", event, err)
	}
	return in, nil
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

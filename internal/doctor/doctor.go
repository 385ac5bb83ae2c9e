// Package doctor is tracegate doctor: it asks GitHub whether the gates
// are enforced or only advice — a branch ruleset (or classic branch
// protection) requiring tracegate/pr from the expected source, a tag
// ruleset requiring tracegate/release, the App installed with app.yml's
// permissions or the workflows present and pinned, the policy valid at
// the default branch, nobody allowed to bypass those rules, the
// organisation requiring two-factor authentication — and says how to
// close each gap. What it cannot find out is never taken for enforced:
// it is Unknown, and the run fails.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/go-github/v60/github"
)

// Status is a check's outcome.
type Status string

const (
	OK      Status = "ok"
	Gap     Status = "gap"     // advice, not enforced: exit 1
	Unknown Status = "unknown" // GitHub could not tell: exit 3
)

// Check is one thing doctor asked, what it found and how to fix it.
type Check struct {
	Name   string
	Status Status
	Detail string
	Fix    string
}

// The checks a gate's enforcement requires, by the names rulesets use.
const (
	PRCheck      = "tracegate/pr"
	ReleaseCheck = "tracegate/release"
)

// Via says where the checks come from.
const (
	ViaAction = "action" // the workflows tracegate init writes
	ViaApp    = "app"    // tracegate serve
)

// Options configure Run.
type Options struct {
	Repo   string         // owner/name
	Client *github.Client // with a token that can read the repository's settings
	// Via is ViaAction or ViaApp.
	Via string
	// AppClient is authenticated as the App (its JWT), for its
	// installation; needed with ViaApp.
	AppClient *github.Client
	// PolicyPath is the policy's path in the repository.
	PolicyPath string
}

// ExitCode is 0 when every check is OK, 3 when one could not be found out
// (fail closed: an unanswered question is never "enforced"), else 1.
func ExitCode(checks []Check) int {
	code := 0
	for _, c := range checks {
		switch c.Status {
		case Unknown:
			return 3
		case Gap:
			code = 1
		}
	}
	return code
}

// get GETs an API path into v; status is GitHub's answer, 0 when none came.
func get(ctx context.Context, c *github.Client, u string, v any) (int, error) {
	req, err := c.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(ctx, req, v)
	if resp != nil {
		return resp.StatusCode, err
	}
	return 0, err
}

// apiError says what GitHub answered, for an Unknown check: never the
// token, only the status and GitHub's message.
func apiError(what string, status int, err error) string {
	var er *github.ErrorResponse
	if errors.As(err, &er) {
		return fmt.Sprintf("%s: GitHub answered %d %s", what, status, er.Message)
	}
	if status != 0 {
		return fmt.Sprintf("%s: GitHub answered %d", what, status)
	}
	return fmt.Sprintf("%s: %v", what, err)
}

// message is GitHub's message of an error answer.
func message(err error) string {
	var er *github.ErrorResponse
	if errors.As(err, &er) {
		return er.Message
	}
	return ""
}

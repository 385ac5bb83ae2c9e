package githubapi

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"
)

// Publisher posts what tracegate decided to one repository on GitHub:
// release assets (the evidence bundle) and check runs. It only publishes;
// what it posts is built elsewhere (internal/evidence, internal/report).
type Publisher struct {
	client            *github.Client
	repo, owner, name string
}

// NewPublisher returns the publisher of repo (owner/name) over client,
// which NewClient makes.
func NewPublisher(client *github.Client, repo string) (*Publisher, error) {
	if client == nil {
		return nil, errors.New("githubapi: no GitHub client")
	}
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || !segment(owner) || !segment(name) {
		return nil, fmt.Errorf("repository %q is not owner/name", repo)
	}
	return &Publisher{client: client, repo: repo, owner: owner, name: name}, nil
}

// segment refuses what would steer an API path elsewhere.
func segment(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/?#%\\ \t\r\n")
}

func isStatus(err error, status int) bool {
	var e *github.ErrorResponse
	return errors.As(err, &e) && e.Response != nil && e.Response.StatusCode == status
}

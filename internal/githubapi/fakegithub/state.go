package fakegithub

import (
	"strings"
	"time"
)

// Epoch is the time stamp of everything created without one.
var Epoch = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// Issue is an issue as the test sets it up.
type Issue struct {
	Number int
	Title  string
	Body   string // served as null when empty, as GitHub does
	State  string // "open" when empty, or "closed"
	Labels []string
	Author string // login; "octocat" when empty
	// Created and Updated default to Epoch; Closed is set for closed
	// issues (Updated when zero).
	Created, Updated, Closed time.Time
}

// PullRequest is a pull request as the test sets it up. It is also an
// issue of its repository, as on GitHub: the issues API lists it with a
// pull_request key.
type PullRequest struct {
	Number           int
	Title            string
	Body             string // served as null when empty
	State            string // "open" when empty, or "closed"
	Draft            bool
	Labels           []string
	Author           string // login; "octocat" when empty
	HeadRef, HeadSHA string
	BaseRef, BaseSHA string
	// HeadRepo is the owner/name the head branch is in, for a pull
	// request from a fork; the pull request's own repository when empty.
	HeadRepo       string
	Merged         bool
	MergeCommitSHA string
	// Commits is the commit count GitHub reports; the number of commits
	// added with AddPRCommits when 0.
	Commits          int
	Created, Updated time.Time
}

// Commit is a commit of a pull request.
type Commit struct {
	SHA     string
	Parents []string
	Message string
	// Author and committer of the git commit; the committer is the author
	// when CommitterName is empty.
	AuthorName, AuthorEmail       string
	CommitterName, CommitterEmail string
	Date                          time.Time // author date, and committer date unless CommitterDate is set; Epoch when zero
	CommitterDate                 time.Time
	// Tree is the commit's tree; a stand-in derived from SHA when empty.
	Tree string
	// Login is the GitHub account the author's e-mail belongs to; the
	// commit's author is null when empty, as for unknown e-mails.
	Login string
}

// Label is a repository label.
type Label struct {
	Name        string
	Color       string // "ededed" when empty
	Description string // null when empty
}

// maxPRCommits is how many commits GitHub lists for a pull request
// (docs.github.com, "List commits on a pull request": "a maximum of 250
// commits").
const maxPRCommits = 250

type issueRec struct {
	Issue
	id   int64
	pull bool
}

type repo struct {
	owner, name string
	id          int64
	issues      map[int]*issueRec
	pulls       map[int]*PullRequest
	commits     map[int][]Commit
	labels      map[string]*labelRec // by lower-case name
	moved       map[int]movedTo
	gone        map[int]bool
	git         string // the git repository serving its content (AddGitRepo)
}

type labelRec struct {
	Label
	id int64
}

type movedTo struct {
	repo   string
	number int
}

func (r *repo) fullName() string { return r.owner + "/" + r.name }

// repo returns the repository, created on first use. Callers hold s.mu.
func (s *Server) repo(fullName string) *repo {
	key := strings.ToLower(fullName)
	if r, ok := s.repos[key]; ok {
		return r
	}
	owner, name, ok := strings.Cut(fullName, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		s.tb.Helper()
		s.tb.Fatalf("fakegithub: repository %q is not owner/name", fullName)
	}
	r := &repo{owner: owner, name: name, id: s.id(),
		issues: map[int]*issueRec{}, pulls: map[int]*PullRequest{}, commits: map[int][]Commit{},
		labels: map[string]*labelRec{}, moved: map[int]movedTo{}, gone: map[int]bool{}}
	s.repos[key] = r
	s.byID[r.id] = r
	return r
}

func (s *Server) id() int64 {
	s.nextID++
	return s.nextID
}

// AddRepo creates an empty repository (owner/name), so that its lists
// answer with nothing rather than 404.
func (s *Server) AddRepo(fullName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repo(fullName)
}

// AddLabel adds or replaces a label of the repository. Labels that issues
// and pull requests name are added with defaults.
func (s *Server) AddLabel(fullName string, l Label) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.label(s.repo(fullName), l)
}

func (s *Server) label(r *repo, l Label) *labelRec {
	key := strings.ToLower(l.Name)
	if old, ok := r.labels[key]; ok {
		if l.Color != "" || l.Description != "" {
			old.Label = l
		}
		return old
	}
	rec := &labelRec{Label: l, id: s.id()}
	r.labels[key] = rec
	return rec
}

// AddIssue adds or replaces an issue.
func (s *Server) AddIssue(fullName string, is Issue) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(fullName)
	for _, l := range is.Labels {
		s.label(r, Label{Name: l})
	}
	r.issues[is.Number] = &issueRec{Issue: is, id: s.id()}
	delete(r.moved, is.Number)
	delete(r.gone, is.Number)
}

// AddPullRequest adds or replaces a pull request, and the issue GitHub
// keeps under the same number.
func (s *Server) AddPullRequest(fullName string, pr PullRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(fullName)
	for _, l := range pr.Labels {
		s.label(r, Label{Name: l})
	}
	if pr.HeadRepo != "" {
		s.repo(pr.HeadRepo)
	}
	p := pr
	r.pulls[pr.Number] = &p
	r.issues[pr.Number] = &issueRec{Issue: Issue{Number: pr.Number, Title: pr.Title, Body: pr.Body, State: pr.State,
		Labels: pr.Labels, Author: pr.Author, Created: pr.Created, Updated: pr.Updated}, id: s.id(), pull: true}
}

// AddPRCommits appends commits to a pull request's list, oldest first.
func (s *Server) AddPRCommits(fullName string, number int, commits ...Commit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(fullName)
	r.commits[number] = append(r.commits[number], commits...)
}

// TransferIssue moves an issue to another repository and number: its old
// URL answers 301 Moved Permanently with the new one, as GitHub does for
// transferred issues and renamed repositories.
func (s *Server) TransferIssue(fullName string, number int, toRepo string, toNumber int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from := s.repo(fullName)
	to := s.repo(toRepo)
	if is, ok := from.issues[number]; ok {
		moved := *is
		moved.Number = toNumber
		moved.id = s.id()
		to.issues[toNumber] = &moved
	}
	delete(from.issues, number)
	from.moved[number] = movedTo{repo: to.fullName(), number: toNumber}
}

// DeleteIssue deletes an issue: its URL answers 410 Gone.
func (s *Server) DeleteIssue(fullName string, number int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(fullName)
	delete(r.issues, number)
	delete(r.moved, number)
	r.gone[number] = true
}

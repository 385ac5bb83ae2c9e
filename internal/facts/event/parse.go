package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
)

// MaxSize is the largest payload Load reads (input.MaxEvent).
const MaxSize = input.MaxEvent

// Load reads the payload of event name from path, GITHUB_EVENT_PATH.
func Load(path string, name Name) (*Event, error) {
	if path == "" {
		return nil, errors.New("GITHUB_EVENT_PATH is not set: tracegate's GitHub mode reads the event payload GitHub Actions writes there")
	}
	data, err := input.ReadAll(os.DirFS(filepath.Dir(path)), filepath.Base(path), MaxSize)
	if err != nil {
		// input names the file by its base name, relative to the
		// repository; this one is outside it.
		if e, ok := input.AsError(err); ok {
			e.Pos.File = path
			return nil, e
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return Parse(path, data, name)
}

var sha = lazyre.New(`^(?:[0-9a-f]{40}|[0-9a-f]{64})$`)

// Parse reads the payload data of event name; file names it in errors.
func Parse(file string, data []byte, name Name) (*Event, error) {
	name, err := Detect(string(name))
	if err != nil {
		return nil, err
	}
	pos := input.Pos{File: file}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, input.Errorf(pos, "the event payload is empty").
			WithHint("GitHub Actions writes the event's JSON payload to GITHUB_EVENT_PATH; check that the file is the one it wrote")
	}
	if trimmed[0] != '{' {
		return nil, &input.Error{Pos: input.PosAt(file, data, int64(len(data)-len(bytes.TrimLeft(data, " \t\r\n")))),
			Msg: "the event payload is not a JSON object"}
	}
	// go-github's webhook types; their pointers tell a missing field from
	// an empty one.
	payload, err := github.ParseWebHook(string(name), data)
	if err != nil {
		return nil, jsonError(file, data, err)
	}
	m := fields{file: file}
	ev := &Event{Name: name}
	pull := func(action *string, number *int, pr *github.PullRequest, repo *github.Repository) {
		if repo != nil {
			ev.Repo = m.str(repo.FullName, "repository.full_name")
		} else {
			m.add("repository.full_name", "is missing or empty")
		}
		ev.Action = m.str(action, "action")
		ev.PullRequest = m.pull(pr, ev.Repo)
		if ev.PullRequest != nil && number != nil && *number != ev.PullRequest.Number {
			m.errs = append(m.errs, input.Errorf(pos, "number is %d but pull_request.number is %d", *number, ev.PullRequest.Number))
		}
	}
	switch p := payload.(type) {
	case *github.PullRequestEvent:
		pull(p.Action, p.Number, p.PullRequest, p.Repo)
	case *github.PullRequestTargetEvent:
		pull(p.Action, p.Number, p.PullRequest, p.Repo)
	case *github.PushEvent:
		if p.Repo != nil {
			ev.Repo = m.str(p.Repo.FullName, "repository.full_name")
		} else {
			m.add("repository.full_name", "is missing or empty")
		}
		ev.Push = &PushEvent{
			Ref:     m.str(p.Ref, "ref"),
			Before:  m.sha(p.Before, "before"),
			After:   m.sha(p.After, "after"),
			Created: m.bool(p.Created, "created"),
			Deleted: m.bool(p.Deleted, "deleted"),
			Forced:  p.GetForced(),
		}
	case *github.ReleaseEvent:
		if p.Repo != nil {
			ev.Repo = m.str(p.Repo.FullName, "repository.full_name")
		} else {
			m.add("repository.full_name", "is missing or empty")
		}
		ev.Action = m.str(p.Action, "action")
		ev.Release = m.release(p.Release)
	default:
		return nil, fmt.Errorf("%s: go-github read the %s payload as %T", file, name, payload)
	}
	if err := m.errs.Err(); err != nil {
		return nil, err
	}
	return ev, nil
}

// fields reads the fields a payload must have and collects those it lacks,
// so that one error lists them all.
type fields struct {
	file string
	errs input.Errors
}

func (m *fields) add(field, what string) {
	m.errs = append(m.errs, &input.Error{Pos: input.Pos{File: m.file}, Msg: field + " " + what,
		Hint: "the file does not look like the payload of this event; check GITHUB_EVENT_NAME and GITHUB_EVENT_PATH"})
}

// str reads a required string field.
func (m *fields) str(s *string, field string) string {
	if s == nil || *s == "" {
		m.add(field, "is missing or empty")
		return ""
	}
	return *s
}

func (m *fields) sha(s *string, field string) string {
	v := m.str(s, field)
	if v != "" && !sha().MatchString(v) {
		m.add(field, fmt.Sprintf("is %q, not a commit SHA", v))
	}
	return v
}

func (m *fields) bool(b *bool, field string) bool {
	if b == nil {
		m.add(field, "is missing")
		return false
	}
	return *b
}

func (m *fields) pull(pr *github.PullRequest, repo string) *facts.PullRequest {
	if pr == nil {
		m.add("pull_request", "is missing")
		return nil
	}
	out := &facts.PullRequest{
		Repo:   repo,
		Title:  m.str(pr.Title, "pull_request.title"),
		URL:    m.str(pr.HTMLURL, "pull_request.html_url"),
		Draft:  pr.Draft != nil && *pr.Draft,
		Labels: []string{},
	}
	if pr.Number == nil || *pr.Number <= 0 {
		m.add("pull_request.number", "is missing or not positive")
	} else {
		out.Number = *pr.Number
	}
	if pr.Body != nil {
		out.Body = *pr.Body
	}
	if pr.User == nil {
		m.add("pull_request.user", "is missing")
	} else {
		out.Author = m.str(pr.User.Login, "pull_request.user.login")
	}
	for i, l := range pr.Labels {
		field := fmt.Sprintf("pull_request.labels[%d].name", i)
		if l == nil {
			m.add(field, "is missing or empty")
			continue
		}
		out.Labels = append(out.Labels, m.str(l.Name, field))
	}
	if pr.Head == nil {
		m.add("pull_request.head", "is missing")
	} else {
		out.HeadRef = m.str(pr.Head.Ref, "pull_request.head.ref")
		out.HeadSHA = m.sha(pr.Head.SHA, "pull_request.head.sha")
	}
	if pr.Base == nil {
		m.add("pull_request.base", "is missing")
	} else {
		out.BaseRef = m.str(pr.Base.Ref, "pull_request.base.ref")
		out.BaseSHA = m.sha(pr.Base.SHA, "pull_request.base.sha")
	}
	return out
}

func (m *fields) release(r *github.RepositoryRelease) *ReleaseEvent {
	if r == nil {
		m.add("release", "is missing")
		return nil
	}
	out := &ReleaseEvent{
		TagName:    m.str(r.TagName, "release.tag_name"),
		Draft:      m.bool(r.Draft, "release.draft"),
		Prerelease: m.bool(r.Prerelease, "release.prerelease"),
	}
	if r.ID == nil || *r.ID <= 0 {
		m.add("release.id", "is missing or not positive")
	} else {
		out.ID = *r.ID
	}
	if r.Name != nil {
		out.Name = *r.Name
	}
	if r.TargetCommitish != nil {
		out.TargetCommitish = *r.TargetCommitish
	}
	if r.HTMLURL != nil {
		out.URL = *r.HTMLURL
	}
	return out
}

// jsonError places encoding/json's error in the file.
func jsonError(file string, data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &input.Error{Pos: input.PosAt(file, data, syn.Offset-1), Msg: "invalid JSON: " + syn.Error(), Err: err}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the payload"
		}
		return &input.Error{Pos: input.PosAt(file, data, typ.Offset-1), Err: err,
			Msg: fmt.Sprintf("%s must be %s, found a JSON %s", field, jsonType(typ.Type), typ.Value)}
	}
	return &input.Error{Pos: input.Pos{File: file}, Msg: "invalid JSON: " + err.Error(), Err: err}
}

func jsonType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64:
		return "an integer"
	case reflect.Slice:
		return "an array"
	}
	return "an object"
}

// at is the line and column of byte offset off of data.

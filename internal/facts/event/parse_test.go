package event

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/input"
)

const webhooks = "../../../testdata/webhooks"

const (
	headSHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
	baseSHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"
	pushSHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246"
	zeroSHA = "0000000000000000000000000000000000000000"
)

// examplePR is the pull request of the @octokit/webhooks-examples
// payloads, with the fields that vary between them left to each case.
func examplePR(body string, labels []string, draft bool) *facts.PullRequest {
	return &facts.PullRequest{
		Repo: "Codertocat/Hello-World", Number: 2, Title: "Update the README with new information.",
		Body: body, Labels: labels, Author: "Codertocat", URL: "https://github.com/Codertocat/Hello-World/pull/2",
		Draft: draft, HeadRef: "changes", HeadSHA: headSHA, BaseRef: "master", BaseSHA: baseSHA,
	}
}

const exampleBody = "This is a pretty simple change that we need to pull into master."

func TestLoadWebhookExamples(t *testing.T) {
	release := func(pre bool) *ReleaseEvent {
		return &ReleaseEvent{ID: 17372790, TagName: "0.0.1", TargetCommitish: "master", Prerelease: pre,
			URL: "https://github.com/Codertocat/Hello-World/releases/tag/0.0.1"}
	}
	ghes := examplePR(exampleBody, []string{}, false)
	ghes.URL = "https://octocoders.github.io/Codertocat/Hello-World/pull/2"
	ghes.HeadSHA, ghes.BaseSHA = "14977a7b5485400124827221a04bfb474bcd72d1", "78a96099c3f442d7f6e8d1a7d07090091993e65a"

	tests := []struct {
		file string
		name Name
		want Event
	}{
		{"pull_request.opened.json", PullRequest, Event{Action: "opened", PullRequest: examplePR(exampleBody, []string{}, false)}},
		{"pull_request.opened.body-null.json", PullRequest, Event{Action: "opened", PullRequest: examplePR("", []string{"bug"}, false)}},
		{"pull_request.labeled.json", PullRequest, Event{Action: "labeled", PullRequest: examplePR(exampleBody, []string{"bug"}, false)}},
		{"pull_request.synchronize.json", PullRequest, Event{Action: "synchronize", PullRequest: examplePR(exampleBody, []string{"bug"}, false)}},
		{"pull_request.converted_to_draft.json", PullRequest, Event{Action: "converted_to_draft", PullRequest: examplePR(exampleBody, []string{"bug"}, true)}},
		{"ghes-35.pull_request.opened.json", PullRequest, Event{Action: "opened", PullRequest: ghes}},
		// pull_request_target carries the pull_request payload.
		{"pull_request.opened.json", PullRequestTarget, Event{Action: "opened", PullRequest: examplePR(exampleBody, []string{}, false)}},
		{"pull_request.opened.body-null.json", PullRequestTarget, Event{Action: "opened", PullRequest: examplePR("", []string{"bug"}, false)}},
		{"pull_request.synchronize.json", PullRequestTarget, Event{Action: "synchronize", PullRequest: examplePR(exampleBody, []string{"bug"}, false)}},
		{"push.tag-created.json", Push, Event{Push: &PushEvent{Ref: "refs/tags/simple-tag", Before: zeroSHA, After: pushSHA, Created: true}}},
		{"push.tag-deleted.json", Push, Event{Push: &PushEvent{Ref: "refs/tags/simple-tag", Before: pushSHA, After: zeroSHA, Deleted: true}}},
		{"push.branch-created.json", Push, Event{Push: &PushEvent{Ref: "refs/heads/master", Before: zeroSHA, After: pushSHA, Created: true}}},
		{"release.published.json", Release, Event{Action: "published", Release: release(false)}},
		{"release.created.json", Release, Event{Action: "created", Release: release(false)}},
		{"release.prereleased.json", Release, Event{Action: "prereleased", Release: release(true)}},
	}
	for _, tt := range tests {
		t.Run(string(tt.name)+"/"+tt.file, func(t *testing.T) {
			got, err := Load(filepath.Join(webhooks, tt.file), tt.name)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.Name, want.Repo = tt.name, "Codertocat/Hello-World"
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got  %s\nwant %s", dump(got), dump(&want))
			}
		})
	}
}

func dump(e *Event) string {
	b, _ := json.MarshalIndent(e, "", "  ")
	return string(b)
}

// TestWebhookExamplesUnchanged checks the copied payloads against the
// checksums SOURCES.md records, so that an edit to them is noticed.
func TestWebhookExamplesUnchanged(t *testing.T) {
	f, err := os.Open(filepath.Join(webhooks, "SOURCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	checked := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cells := strings.Split(sc.Text(), "|")
		if len(cells) != 7 || !strings.HasSuffix(strings.TrimSpace(cells[1]), ".json`") {
			continue
		}
		name := strings.Trim(strings.TrimSpace(cells[1]), "`")
		want := strings.Trim(strings.TrimSpace(cells[5]), "`")
		data, err := os.ReadFile(filepath.Join(webhooks, name))
		if err != nil {
			t.Error(err)
			continue
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: sha256 %s, SOURCES.md says %s", name, got, want)
		}
		checked++
	}
	files, _ := filepath.Glob(filepath.Join(webhooks, "*.json"))
	if checked != len(files) || checked == 0 {
		t.Errorf("SOURCES.md lists %d payloads, the folder holds %d", checked, len(files))
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		event   Name
		data    string
		wantErr []string // substrings, in order of appearance not required
		wantPos input.Pos
	}{
		{"empty", PullRequest, "", []string{"ev.json: the event payload is empty"}, input.Pos{File: "ev.json"}},
		{"blank", Push, " \n\t", []string{"the event payload is empty"}, input.Pos{File: "ev.json"}},
		{"array", Push, "\n [1]", []string{"ev.json:2:2: the event payload is not a JSON object"}, input.Pos{File: "ev.json", Line: 2, Col: 2}},
		{"null", Release, "null", []string{"not a JSON object"}, input.Pos{File: "ev.json", Line: 1, Col: 1}},
		{"syntax error", PullRequest, "{\n  \"action\": \"opened\",\n}", []string{"ev.json:3:1: invalid JSON"}, input.Pos{File: "ev.json", Line: 3, Col: 1}},
		{"truncated", PullRequest, `{"action": "open`, []string{"ev.json:", "invalid JSON"}, input.Pos{}},
		{"trailing garbage", Push, `{} {}`, []string{"ev.json:1:4: invalid JSON"}, input.Pos{File: "ev.json", Line: 1, Col: 4}},
		{"number as string", PullRequest, "{\n\"number\": \"2\"}", []string{"ev.json:2:", "number must be an integer, found a JSON string"}, input.Pos{}},
		{"action as number", Release, `{"action": 5}`, []string{"ev.json:1:12: action must be a string, found a JSON number"}, input.Pos{File: "ev.json", Line: 1, Col: 12}},
		{"labels not an array", PullRequest, `{"pull_request": {"labels": {}}}`, []string{"pull_request.labels must be an array"}, input.Pos{}},
		{"pull request missing", PullRequest, `{"action": "opened", "repository": {"full_name": "o/r"}}`,
			[]string{"ev.json: pull_request is missing", "check GITHUB_EVENT_NAME and GITHUB_EVENT_PATH"}, input.Pos{File: "ev.json"}},
		{"pull request incomplete", PullRequestTarget, `{"action": "opened", "repository": {"full_name": "o/r"},
			"pull_request": {"number": 0, "title": "t", "html_url": "u", "user": {"login": "me"}, "head": {"ref": "x", "sha": "nope"}, "labels": [{"name": ""}]}}`,
			[]string{"pull_request.number is missing or not positive", `pull_request.head.sha is "nope", not a commit SHA`, "pull_request.base is missing", "pull_request.labels[0].name is missing or empty"}, input.Pos{File: "ev.json"}},
		{"numbers disagree", PullRequest, `{"action": "opened", "number": 3, "repository": {"full_name": "o/r"},
			"pull_request": {"number": 2, "title": "t", "html_url": "u", "user": {"login": "me"}, "head": {"ref": "x", "sha": "` + headSHA + `"}, "base": {"ref": "main", "sha": "` + baseSHA + `"}}}`,
			[]string{"number is 3 but pull_request.number is 2"}, input.Pos{File: "ev.json"}},
		{"push of the wrong event", Push, `{"action": "opened", "repository": {"full_name": "o/r"}}`,
			[]string{"ref is missing or empty", "before is missing or empty", "after is missing or empty", "created is missing", "deleted is missing"}, input.Pos{File: "ev.json"}},
		{"release without a tag", Release, `{"action": "published", "repository": {"full_name": "o/r"}, "release": {"id": 1, "tag_name": "", "draft": false, "prerelease": false}}`,
			[]string{"release.tag_name is missing or empty"}, input.Pos{File: "ev.json"}},
		{"no repository", Release, `{"action": "published", "release": {"id": 1, "tag_name": "v1", "draft": false, "prerelease": false}}`,
			[]string{"repository.full_name is missing or empty"}, input.Pos{File: "ev.json"}},
		{"unknown event", "issues", `{}`, []string{`GITHUB_EVENT_NAME is "issues"`}, input.Pos{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := Parse("ev.json", []byte(tt.data), tt.event)
			if err == nil {
				t.Fatalf("no error; got %+v", ev)
			}
			if ev != nil {
				t.Errorf("an event came with the error: %+v", ev)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if tt.wantPos != (input.Pos{}) {
				var e *input.Error
				var es input.Errors
				switch {
				case errors.As(err, &es):
					e = es[0]
				case errors.As(err, &e):
				default:
					t.Fatalf("error %T is not an input error", err)
				}
				if e.Pos != tt.wantPos {
					t.Errorf("position %v, want %v", e.Pos, tt.wantPos)
				}
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "binary.json")
	if err := os.WriteFile(bin, []byte("{\x00}"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.json")
	tests := []struct {
		path    string
		wantErr string
	}{
		{"", "GITHUB_EVENT_PATH is not set"},
		{missing, missing + ": cannot open"},
		{bin, bin + ":1:2: binary content"}, // at its line and column
		{dir, dir + ": is a directory"},
	}
	for _, tt := range tests {
		_, err := Load(tt.path, Push)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("Load(%q) error = %v, want one containing %q", tt.path, err, tt.wantErr)
		}
	}
}

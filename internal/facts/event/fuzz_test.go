package event

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: whatever the bytes and event, Parse does not panic and
// returns either an error or an event with every field its kind requires.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(webhooks, "*.json"))
	for i, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(i))
	}
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `{"pull_request": null}`, `{"release": {"id": -1}}`,
		`{"action": "opened", "number": 1, "repository": {"full_name": "o/r"}, "pull_request": {"number": 1, "title": "t", "body": null, "html_url": "u", "user": {"login": "me"}, "labels": [], "head": {"ref": "h", "sha": "` + headSHA + `"}, "base": {"ref": "b", "sha": "` + baseSHA + `"}}}`,
		`{"ref": "refs/tags/v1.2.0", "before": "` + zeroSHA + `", "after": "` + pushSHA + `", "created": true, "deleted": false, "repository": {"full_name": "o/r"}}`,
		`{"number": 1e400}`, `{"number": 9223372036854775808}`, "{\"action\": \"\xff\"}", `{"a": "\ud800"}`,
	} {
		f.Add([]byte(s), uint8(len(s)))
	}
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		name := names[int(which)%len(names)]
		ev, err := Parse("fuzz.json", data, name)
		if err != nil {
			if ev != nil {
				t.Fatalf("an event came with the error %v", err)
			}
			return
		}
		if ev == nil {
			t.Fatal("neither an event nor an error")
		}
		if ev.Name != name || ev.Repo == "" {
			t.Fatalf("event %q of repo %q", ev.Name, ev.Repo)
		}
		switch name {
		case PullRequest, PullRequestTarget:
			pr := ev.PullRequest
			if pr == nil || ev.Push != nil || ev.Release != nil || ev.Action == "" {
				t.Fatalf("pull request event %+v", ev)
			}
			if pr.Number <= 0 || pr.Title == "" || pr.URL == "" || pr.Author == "" || pr.HeadRef == "" || pr.BaseRef == "" ||
				!sha().MatchString(pr.HeadSHA) || !sha().MatchString(pr.BaseSHA) || pr.Repo != ev.Repo {
				t.Fatalf("incomplete pull request %+v", pr)
			}
			for _, l := range pr.Labels {
				if l == "" {
					t.Fatal("an empty label")
				}
			}
		case Push:
			p := ev.Push
			if p == nil || ev.PullRequest != nil || ev.Release != nil || p.Ref == "" || !sha().MatchString(p.Before) || !sha().MatchString(p.After) {
				t.Fatalf("push event %+v", ev)
			}
		case Release:
			r := ev.Release
			if r == nil || ev.PullRequest != nil || ev.Push != nil || ev.Action == "" || r.TagName == "" || r.ID <= 0 {
				t.Fatalf("release event %+v", ev)
			}
		}
	})
}

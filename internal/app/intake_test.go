package app

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

const (
	sha1 = "0123456789abcdef0123456789abcdef01234567"
	sha2 = "89abcdef0123456789abcdef0123456789abcdef"
)

// Each event becomes the jobs it calls for, and nothing for the actions
// and refs the App does not act on; a payload that is not the event's
// shape, or lacks an installation, is refused.
func TestIntake(t *testing.T) {
	repo := `"repository":{"full_name":"acme/mini","default_branch":"main"},"installation":{"id":7}`
	pr := func(action, state string) string {
		return `{"action":"` + action + `","number":3,"pull_request":{"number":3,"state":"` + state + `","title":"T","head":{"sha":"` + sha2 + `","ref":"f"},"base":{"sha":"` + sha1 + `","ref":"main"}},` + repo + `}`
	}
	for _, tt := range []struct {
		name, event, body string
		jobs              []string // kind:key
		err               string
	}{
		{"pr opened", "pull_request", pr("opened", "open"), []string{"pr:3@" + sha2}, ""},
		{"pr edited", "pull_request", pr("edited", "open"), []string{"pr:3@" + sha2}, ""},
		{"pr closed", "pull_request", pr("closed", "closed"), nil, ""},
		{"pr assigned", "pull_request", pr("assigned", "open"), nil, ""},
		{"issue labeled", "issues", `{"action":"labeled","issue":{"number":5,"title":"CR-1"},` + repo + `}`, []string{"issue:5@"}, ""},
		{"issue of a pr", "issues", `{"action":"edited","issue":{"number":5,"pull_request":{"url":"x"}},` + repo + `}`, nil, ""},
		{"issue opened", "issues", `{"action":"opened","issue":{"number":5},` + repo + `}`, nil, ""},
		{"rerun button", "check_run", `{"action":"requested_action","requested_action":{"identifier":"rerun"},"check_run":{"name":"tracegate/pr","head_sha":"` + sha2 + `","external_id":"pr:3"},` + repo + `}`, []string{"pr:3@" + sha2}, ""},
		{"another button", "check_run", `{"action":"requested_action","requested_action":{"identifier":"other"},"check_run":{"name":"tracegate/pr","head_sha":"` + sha2 + `","external_id":"pr:3"},` + repo + `}`, nil, ""},
		{"another check", "check_run", `{"action":"rerequested","check_run":{"name":"lint","head_sha":"` + sha2 + `"},` + repo + `}`, nil, ""},
		{"release rerequested", "check_run", `{"action":"rerequested","check_run":{"name":"tracegate/release","head_sha":"` + sha1 + `","external_id":"release:tag:v1.0"},` + repo + `}`, []string{"release:0@"}, ""},
		{"suite", "check_suite", `{"action":"rerequested","check_suite":{"head_sha":"` + sha2 + `","head_branch":"f","pull_requests":[{"number":3,"head":{"sha":"` + sha2 + `"},"base":{"sha":"` + sha1 + `"}}]},` + repo + `}`, []string{"pr:3@" + sha2}, ""},
		{"suite on main", "check_suite", `{"action":"requested","check_suite":{"head_sha":"` + sha1 + `","head_branch":"main","pull_requests":[]},` + repo + `}`, []string{"release:0@" + sha1}, ""},
		{"run completed", "workflow_run", `{"action":"completed","workflow_run":{"head_sha":"` + sha2 + `"},` + repo + `}`, []string{"waiting:0@" + sha2}, ""},
		{"run requested", "workflow_run", `{"action":"requested","workflow_run":{"head_sha":"` + sha2 + `"},` + repo + `}`, nil, ""},
		{"push main", "push", `{"ref":"refs/heads/main","after":"` + sha1 + `",` + repo + `}`, []string{"release:0@" + sha1}, ""},
		{"push branch", "push", `{"ref":"refs/heads/f","after":"` + sha1 + `",` + repo + `}`, nil, ""},
		{"push tag", "push", `{"ref":"refs/tags/v1.0","after":"` + sha1 + `",` + repo + `}`, []string{"release:0@"}, ""},
		{"push deleted", "push", `{"ref":"refs/heads/main","after":"0000000000000000000000000000000000000000","deleted":true,` + repo + `}`, nil, ""},
		{"create tag", "create", `{"ref":"v1.0","ref_type":"tag",` + repo + `}`, []string{"release:0@"}, ""},
		{"create branch", "create", `{"ref":"f","ref_type":"branch",` + repo + `}`, nil, ""},
		{"release published", "release", `{"action":"published","release":{"id":9,"tag_name":"v1.0"},` + repo + `}`, []string{"release:0@"}, ""},
		{"release edited", "release", `{"action":"edited","release":{"id":9,"tag_name":"v1.0"},` + repo + `}`, nil, ""},
		{"installation", "installation", `{"action":"created","installation":{"id":7,"account":{"login":"acme"}},"repositories":[{"full_name":"acme/mini"}]}`, []string{"installation:7@"}, ""},
		{"ping", "ping", `{"zen":"Keep it logically awesome."}`, nil, ""},
		{"unknown event", "star", `{"action":"created",` + repo + `}`, nil, ""},
		{"no installation", "pull_request", `{"action":"opened","pull_request":{"number":3,"head":{"sha":"` + sha2 + `"}},"repository":{"full_name":"acme/mini"}}`, nil, "no installation"},
		{"not json", "pull_request", `{"action":`, nil, "not a JSON object"},
		{"wrong shape", "pull_request", `{"action":"opened","pull_request":[]}`, nil, "pull_request payload"},
		{"no event", "", `{}`, nil, "no X-GitHub-Event"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, err := (&App{}).intake(tt.event, "d-1", []byte(tt.body))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, j := range in.jobs {
				got = append(got, j.Kind+":"+itoa(j.Key.Number)+"@"+j.Key.SHA)
				if !json.Valid(j.Args) {
					t.Errorf("arguments %s", j.Args)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.jobs, ",") {
				t.Errorf("jobs %v, want %v", got, tt.jobs)
			}
			// The envelope stored with the delivery.
			var env envelope
			if err := json.Unmarshal([]byte(tt.body), &env); err != nil {
				t.Fatal(err)
			}
			wantInst, wantRepo := int64(0), ""
			if env.Installation != nil {
				wantInst = env.Installation.ID
			}
			if env.Repository != nil {
				wantRepo = env.Repository.FullName
			}
			if in.action != env.Action || in.installation != wantInst || in.repo != wantRepo || in.delivery != "d-1" {
				t.Errorf("envelope: action %q, installation %d, repository %q; want %q, %d, %q", in.action, in.installation, in.repo, env.Action, wantInst, wantRepo)
			}
		})
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// BenchmarkIntake is what the webhook does with a signed pull_request
// payload of @octokit/webhooks-examples (24 KB) before it stores it: on
// the path to the 202, on the CPU the evaluations share.
func BenchmarkIntake(b *testing.B) {
	data, err := os.ReadFile("../../.tools/webhooks-examples/api.github.com/index.json")
	if err != nil {
		b.Fatalf("%v (scripts/deps.d/webhooks-examples.sh installs it)", err)
	}
	var index []struct {
		Name     string           `json:"name"`
		Examples []map[string]any `json:"examples"`
	}
	if err := json.Unmarshal(data, &index); err != nil {
		b.Fatal(err)
	}
	var body []byte
	for _, e := range index {
		for _, ex := range e.Examples {
			if e.Name == "pull_request" && ex["action"] == "opened" && body == nil {
				ex["installation"] = map[string]any{"id": 7}
				body, _ = json.Marshal(ex)
			}
		}
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for range b.N {
		in, err := (&App{}).intake("pull_request", "d-1", body)
		if err != nil || len(in.jobs) != 1 {
			b.Fatal(err, in)
		}
	}
}

package app

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzIntake: any signed delivery, whatever its event name and body, is
// refused with an error or becomes jobs the workers can run — each of a
// known kind, under an installation, on an owner/name repository, a pull
// request job on a whole head SHA, with JSON arguments; never a panic on
// the webhook's path to its 202.
func FuzzIntake(f *testing.F) {
	repo := `"repository":{"full_name":"acme/mini","default_branch":"main"},"installation":{"id":7}`
	for _, s := range []struct{ event, body string }{
		{"pull_request", `{"action":"opened","number":3,"pull_request":{"number":3,"state":"open","head":{"sha":"` + sha2 + `","ref":"f"},"base":{"sha":"` + sha1 + `","ref":"main"}},` + repo + `}`},
		{"issues", `{"action":"labeled","issue":{"number":5,"title":"CR-1"},` + repo + `}`},
		{"check_run", `{"action":"requested_action","requested_action":{"identifier":"rerun"},"check_run":{"name":"tracegate/pr","head_sha":"` + sha2 + `","external_id":"pr:3"},` + repo + `}`},
		{"check_run", `{"action":"rerequested","check_run":{"name":"tracegate/release","head_sha":"` + sha1 + `","external_id":"release:tag:v1.0"},` + repo + `}`},
		{"check_suite", `{"action":"rerequested","check_suite":{"head_sha":"` + sha2 + `","head_branch":"f","pull_requests":[{"number":3,"head":{"sha":"` + sha2 + `"},"base":{"sha":"` + sha1 + `"}}]},` + repo + `}`},
		{"workflow_run", `{"action":"completed","workflow_run":{"head_sha":"` + sha2 + `"},` + repo + `}`},
		{"push", `{"ref":"refs/heads/main","after":"` + sha1 + `",` + repo + `}`},
		{"push", `{"ref":"refs/tags/v1.0","after":"` + sha1 + `",` + repo + `}`},
		{"create", `{"ref":"v1.0","ref_type":"tag",` + repo + `}`},
		{"release", `{"action":"published","release":{"id":9,"tag_name":"v1.0"},` + repo + `}`},
		{"installation", `{"action":"created","installation":{"id":7,"account":{"login":"acme"}},"repositories":[{"full_name":"acme/mini"}]}`},
		{"installation_repositories", `{"action":"added","installation":{"id":7},"repositories_added":[{"full_name":"acme/mini"}]}`},
		{"ping", `{"zen":"Keep it logically awesome."}`},
		{"star", `{"action":"created",` + repo + `}`},
		{"pull_request", `{"action":`},
	} {
		f.Add(s.event, []byte(s.body))
	}
	known := map[string]bool{kindPR: true, kindRelease: true, kindIssue: true, kindWaiting: true, kindInstallation: true}
	f.Fuzz(func(t *testing.T, event string, body []byte) {
		in, err := (&App{}).intake(event, "d-1", body)
		if err != nil {
			if in != nil {
				t.Fatalf("an intake with an error: %v", err)
			}
			return
		}
		for _, j := range in.jobs {
			if !known[j.Kind] {
				t.Fatalf("job of kind %q", j.Kind)
			}
			if !json.Valid(j.Args) {
				t.Fatalf("%s job's arguments %q", j.Kind, j.Args)
			}
			if j.InstallationID <= 0 {
				t.Fatalf("%s job without an installation: %+v", j.Kind, j)
			}
			if j.Kind == kindInstallation {
				continue
			}
			if o, n, ok := strings.Cut(j.Key.Repository, "/"); !ok || o == "" || n == "" {
				t.Fatalf("%s job on repository %q", j.Kind, j.Key.Repository)
			}
			if j.Kind == kindPR && (j.Key.Number <= 0 || !isSHA(j.Key.SHA)) {
				t.Fatalf("pr job %+v", j.Key)
			}
		}
	})
}

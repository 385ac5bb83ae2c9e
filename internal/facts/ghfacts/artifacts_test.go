package ghfacts_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/ghfacts"
	"github.com/tracegate/tracegate/internal/facts/memfs"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

func artifacts(t *testing.T, srv *fakegithub.Server, opts ghfacts.ArtifactsOptions) *ghfacts.Artifacts {
	t.Helper()
	gh, err := githubapi.NewClient(githubapi.Options{APIURL: srv.APIURL(), Token: fakegithub.DefaultToken, Sleep: noSleep, MaxAttempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	opts.Download = githubapi.NewDownloadClient(githubapi.Options{Sleep: noSleep, MaxAttempts: 2})
	a, err := ghfacts.NewArtifacts(gh, repo, opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var reports = map[string]string{"reports/unit/go-test.jsonl": `{"Action":"pass","Test":"TestX"}` + "\n", "reports/system/pytest.xml": "<testsuites/>"}

// The evidence of a commit is the named workflow's latest run's
// artifacts, each under its name, downloaded without GitHub's token.
func TestArtifactsEvidence(t *testing.T) {
	srv := fakegithub.New(t)
	sha := sha(0xabc)
	// An older run of the same workflow, another workflow's run, and a
	// run of another commit are not read.
	old := srv.AddWorkflowRun(repo, fakegithub.WorkflowRun{Name: "CI", Path: ".github/workflows/ci.yml", HeadSHA: sha, Conclusion: "failure"})
	srv.AddArtifact(old, fakegithub.Artifact{Name: "test-reports", Files: map[string]string{"reports/old.xml": "<testsuites/>"}})
	other := srv.AddWorkflowRun(repo, fakegithub.WorkflowRun{Name: "Lint", Path: ".github/workflows/lint.yml", HeadSHA: sha})
	srv.AddArtifact(other, fakegithub.Artifact{Name: "test-reports", Files: map[string]string{"lint.txt": "x"}})
	run := srv.AddWorkflowRun(repo, fakegithub.WorkflowRun{Name: "CI", Path: ".github/workflows/ci.yml", HeadSHA: sha})
	srv.AddArtifact(run, fakegithub.Artifact{Name: "test-reports", Files: reports})
	srv.AddArtifact(run, fakegithub.Artifact{Name: "sbom", Files: map[string]string{"app.cdx.json": "{}"}})
	srv.AddArtifact(run, fakegithub.Artifact{Name: "logs", Files: map[string]string{"build.log": "noise"}})
	for _, wf := range []string{"CI", "ci.yml", ".github/workflows/ci.yml"} {
		a := artifacts(t, srv, ghfacts.ArtifactsOptions{Workflow: wf, Names: []string{"test-reports", "sbom"}})
		ev, err := a.Evidence(context.Background(), sha)
		if err != nil {
			t.Fatalf("%s: %v", wf, err)
		}
		var got []string
		fs.WalkDir(ev, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				got = append(got, p)
			}
			return err
		})
		want := "sbom/app.cdx.json test-reports/reports/system/pytest.xml test-reports/reports/unit/go-test.jsonl"
		if strings.Join(got, " ") != want {
			t.Errorf("%s: files %v", wf, got)
		}
		data, _ := fs.ReadFile(ev, "test-reports/reports/system/pytest.xml")
		if string(data) != "<testsuites/>" {
			t.Errorf("%s: content %q", wf, data)
		}
	}
	for _, r := range srv.Requests() {
		if r.Host == "download" && (r.Auth || r.Status != 200) {
			t.Errorf("download %s: status %d, authorization sent %v", r.Path, r.Status, r.Auth)
		}
	}
	// Mounted, the files sit where a checkout has them; two artifacts
	// holding one path are an error.
	mounted := artifacts(t, srv, ghfacts.ArtifactsOptions{Workflow: "ci.yml", Names: []string{"test-reports", "sbom"},
		Mount: map[string]string{"test-reports": "", "sbom": "sbom"}})
	ev, err := mounted.Evidence(context.Background(), sha)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(ev, "reports/unit/go-test.jsonl"); err != nil {
		t.Error(err)
	}
	if _, err := fs.Stat(ev, "sbom/app.cdx.json"); err != nil {
		t.Error(err)
	}
	clash := artifacts(t, srv, ghfacts.ArtifactsOptions{Workflow: "ci.yml", Names: []string{"test-reports", "logs"},
		Mount: map[string]string{"test-reports": "x", "logs": "x/reports/unit/go-test.jsonl"}})
	if _, err := clash.Evidence(context.Background(), sha); err == nil {
		t.Error("two artifacts at one path: no error")
	}
	// A second read of a completed run comes from the cache: only the run
	// list is asked again.
	a := artifacts(t, srv, ghfacts.ArtifactsOptions{Workflow: "ci.yml"})
	a.Evidence(context.Background(), sha)
	srv.ResetLog()
	if _, err := a.Evidence(context.Background(), sha); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests for evidence read before", n)
	}
}

// Until the run completes the evidence is pending and says what it waits
// for; a run that ended without it, or with it expired, is an error.
func TestArtifactsPendingAndMissing(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddRepo(repo)
	ctx := context.Background()
	a := artifacts(t, srv, ghfacts.ArtifactsOptions{Workflow: "ci.yml", Names: []string{"test-reports"}})
	var pe *facts.PendingError
	if _, err := a.Evidence(ctx, sha(1)); !errors.As(err, &pe) || !errors.Is(err, facts.ErrPending) || !strings.Contains(err.Error(), "no run of the workflow") {
		t.Errorf("no run: %v", err)
	}
	run := srv.AddWorkflowRun(repo, fakegithub.WorkflowRun{Name: "CI", Path: ".github/workflows/ci.yml", HeadSHA: sha(1), Status: "in_progress"})
	if _, err := a.Evidence(ctx, sha(1)); !errors.Is(err, facts.ErrPending) || !strings.Contains(err.Error(), "is in progress") {
		t.Errorf("running: %v", err)
	}
	srv.SetRunStatus(repo, run, "completed", "failure")
	if _, err := a.Evidence(ctx, sha(1)); err == nil || errors.Is(err, facts.ErrPending) || !strings.Contains(err.Error(), `without an artifact "test-reports"`) {
		t.Errorf("completed without the artifact: %v", err)
	}
	srv.AddArtifact(run, fakegithub.Artifact{Name: "test-reports", Expired: true})
	if _, err := a.Evidence(ctx, sha(1)); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("expired: %v", err)
	}
	run2 := srv.AddWorkflowRun(repo, fakegithub.WorkflowRun{Name: "CI", Path: ".github/workflows/ci.yml", HeadSHA: sha(2)})
	srv.AddArtifact(run2, fakegithub.Artifact{Name: "test-reports", Files: map[string]string{"big": strings.Repeat("x", 4096)}})
	small := artifacts(t, srv, ghfacts.ArtifactsOptions{Workflow: "ci.yml", Limits: memfs.Limits{MaxBytes: 1024}})
	if _, err := small.Evidence(ctx, sha(2)); err == nil || !strings.Contains(err.Error(), "larger than allowed") {
		t.Errorf("past the bound: %v", err)
	}
	srv.AddWorkflowRun(repo, fakegithub.WorkflowRun{Name: "CI", Path: ".github/workflows/ci.yml", HeadSHA: sha(3)})
	srv.AddArtifact(run2, fakegithub.Artifact{Name: "broken", Zip: []byte("PK not really")})
	broken := artifacts(t, srv, ghfacts.ArtifactsOptions{Workflow: "ci.yml", Names: []string{"broken"}})
	if _, err := broken.Evidence(ctx, sha(2)); err == nil || !strings.Contains(err.Error(), "not a zip") {
		t.Errorf("broken zip: %v", err)
	}
}

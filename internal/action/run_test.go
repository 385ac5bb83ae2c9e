package action

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// prStep is a pull_request event for branch head of r against main, with
// the repository's real SHAs in a real payload, and a fake GitHub that
// serves the pull request with the given current title and body.
func prStep(t *testing.T, r *gittest.Repo, gh *fakegithub.Server, number int, head, title, body string) *step {
	t.Helper()
	base, headSHA := r.Run("rev-parse", "main"), r.Run("rev-parse", head)
	ev := payload(t, "pull_request.opened.json", map[string]any{
		"number": number, "pull_request.number": number, "pull_request.title": title, "pull_request.body": body,
		"pull_request.head.ref": head, "pull_request.head.sha": headSHA,
		"pull_request.base.ref": "main", "pull_request.base.sha": base,
		"repository.full_name": ghRepo,
	})
	s := newStep(t, r.Dir(), "pull_request", ev).set("GITHUB_REF", "refs/pull/7/merge", "GITHUB_SHA", headSHA)
	if gh != nil {
		gh.AddPullRequest(ghRepo, fakegithub.PullRequest{Number: number, Title: title, Body: body, HeadRef: head, HeadSHA: headSHA, BaseRef: "main", BaseSHA: base})
		s.set("INPUT_GITHUB_TOKEN", fakegithub.DefaultToken, "GITHUB_API_URL", gh.APIURL())
	}
	return s
}

func fakeGitHub(t *testing.T) *fakegithub.Server {
	gh := fakegithub.New(t)
	gh.AddRepo(ghRepo)
	gh.AddIssue(ghRepo, fakegithub.Issue{Number: 14, Title: "Night mode", Labels: []string{"change-request", "approved"}, Body: "Dim the display at night."})
	return gh
}

func TestRunPullRequest(t *testing.T) {
	r := sampleRepo(t, true)
	r.Branch("readme")
	r.Checkout("readme")
	r.Write("README.md", readFile(t, filepath.Join(r.Dir(), "README.md"))+"\nA change.\n")
	r.Commit("Change the readme")
	gh := fakeGitHub(t)

	t.Run("no link fails the step", func(t *testing.T) {
		s := prStep(t, r, gh, 7, "readme", "Tidy the readme", "")
		if code := s.run(); code != check.ExitFail {
			t.Fatalf("exit %d\n%s", code, s.out.String())
		}
		out := s.outputs()
		if out["result"] != "fail" || !strings.HasSuffix(out["findings-json"], "tracegate-pr.json") || out["soup-list"] == "" {
			t.Errorf("outputs %q", out)
		}
		if got := strings.Join(s.rules(), "; "); got != "TG201 pull request #7 “Tidy the readme”" {
			t.Errorf("findings %s", got)
		}
		for _, f := range []string{out["findings-json"], out["sarif"], out["soup-list"], filepath.Join(out["evidence-dir"], "tracegate-pr.md")} {
			if _, err := os.Stat(f); err != nil || filepath.Dir(f) != out["evidence-dir"] {
				t.Errorf("result file %s: %v", f, err)
			}
		}
		var sarif struct{ Version string }
		if err := json.Unmarshal([]byte(readFile(t, out["sarif"])), &sarif); err != nil || sarif.Version != "2.1.0" {
			t.Errorf("SARIF: %v %q", err, sarif.Version)
		}
		log := s.out.String()
		if !strings.HasPrefix(log, "::add-mask::"+fakegithub.DefaultToken+"\n") || strings.Count(log, fakegithub.DefaultToken) != 1 {
			t.Errorf("the token is not masked first, or printed again:\n%s", log)
		}
		if !strings.Contains(log, "::error title=TG201 pr-linked::pull request #7 “Tidy the readme”: ") {
			t.Errorf("no annotation for TG201:\n%s", log)
		}
		if !strings.Contains(s.summary(), "TG201") {
			t.Errorf("summary:\n%s", s.summary())
		}
		if gh.Count("GET", "/api/v3/repos/acme/syringeflow/pulls/7") != 1 {
			t.Error("the pull request was not read from the API")
		}
	})

	t.Run("a link to an approved change request passes", func(t *testing.T) {
		s := prStep(t, r, gh, 8, "readme", "Readme for night mode", "Implements #14.")
		if code := s.run(); code != check.ExitPass {
			t.Fatalf("exit %d\n%s", code, s.out.String())
		}
		if out := s.outputs(); out["result"] != "pass" {
			t.Errorf("outputs %q", out)
		}
	})

	// A re-run reuses the first run's event: the description edited since
	// then is read from the API.
	t.Run("a link added after the event counts", func(t *testing.T) {
		s := prStep(t, r, nil, 9, "readme", "Readme", "")
		gh.AddPullRequest(ghRepo, fakegithub.PullRequest{Number: 9, Title: "Readme", Body: "Implements #14.", HeadRef: "readme", BaseRef: "main"})
		s.set("INPUT_GITHUB_TOKEN", fakegithub.DefaultToken, "GITHUB_API_URL", gh.APIURL())
		if code := s.run(); code != check.ExitPass {
			t.Fatalf("exit %d\n%s", code, s.out.String())
		}
	})

	t.Run("GitHub failing is an error whatever fail-on says", func(t *testing.T) {
		s := prStep(t, r, gh, 10, "readme", "Readme", "Implements #14.").set("INPUT_FAIL_ON", "never")
		gh.FailNext("/api/v3/repos/acme/syringeflow/issues/14", http.StatusUnauthorized, nil, 1)
		if code := s.run(); code != check.ExitError {
			t.Fatalf("exit %d\n%s", code, s.out.String())
		}
		if out := s.outputs(); out["result"] != "error" {
			t.Errorf("outputs %q", out)
		}
		if res := s.result(); res.Verdict != "error" || len(res.Errors) == 0 {
			t.Errorf("result %+v", res)
		}
		if strings.Count(s.out.String(), fakegithub.DefaultToken) != 1 || strings.Contains(s.summary()+readFile(t, s.outputs()["findings-json"]), fakegithub.DefaultToken) {
			t.Error("the token leaked")
		}
	})

	t.Run("without a token the event is judged and issues cannot be looked up", func(t *testing.T) {
		s := prStep(t, r, nil, 11, "readme", "Readme", "Implements #14.")
		if code := s.run(); code != check.ExitFail {
			t.Fatalf("exit %d\n%s", code, s.out.String())
		}
		res := s.result()
		if len(res.Findings) == 0 || !strings.Contains(strings.Join(func() []string {
			var m []string
			for _, f := range res.Findings {
				m = append(m, f.Message)
			}
			return m
		}(), " "), "the github-token input is empty") {
			t.Errorf("findings %+v", res.Findings)
		}
	})
}

// A shallow clone (actions/checkout's default fetch-depth: 1) lacks the
// base: the step errors and says to fetch the history.
func TestRunPullRequestShallowClone(t *testing.T) {
	r := sampleRepo(t, false)
	r.Branch("readme")
	r.Checkout("readme")
	r.Write("README.md", "changed\n")
	r.Commit("Change the readme (CR-021)")
	r.Write("README.md", "changed again\n")
	r.Commit("Change it again (CR-021)")
	clone := filepath.Join(t.TempDir(), "clone")
	cmd := exec.Command("git", "clone", "-q", "--depth", "1", "--branch", "readme", "file://"+r.Dir(), clone)
	cmd.Env = gittest.Env()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	s := prStep(t, r, nil, 7, "readme", "CR-021: readme", "")
	s.set("GITHUB_WORKSPACE", clone)
	code := s.run()
	if code == check.ExitPass || code == check.ExitFail {
		t.Fatalf("exit %d\n%s", code, s.out.String())
	}
	res := s.result()
	if s.outputs()["result"] != "error" || len(res.Errors) == 0 || !strings.Contains(res.Errors[0], "fetch-depth: 0") {
		t.Errorf("result %+v\n%s", res, s.out.String())
	}
}

func TestRunRelease(t *testing.T) {
	r := sampleRepo(t, false)
	r.Write("docs/notes.md", "Release notes (CR-021).\n")
	sha := r.Commit("Release notes (CR-021)")
	r.Tag("v2.4.0", true, "SyringeFlow SP-1 2.4.0")
	ev := payload(t, "push.tag-created.json", map[string]any{"ref": "refs/tags/v2.4.0", "after": sha, "repository.full_name": ghRepo})

	// The sample's release fails on purpose: SRS-008 fails its test,
	// SRS-046 has none (testdata/sample-device/README.md).
	for _, tc := range []struct {
		failOn string
		code   int
	}{{"error", check.ExitFail}, {"never", check.ExitPass}} {
		s := newStep(t, r.Dir(), "push", ev).set("GITHUB_REF", "refs/tags/v2.4.0", "GITHUB_SHA", sha, "INPUT_FAIL_ON", tc.failOn,
			"INPUT_EVIDENCE_DIR", "evidence", "INPUT_SARIF_FILE", "out/gate.sarif")
		if code := s.run(); code != tc.code {
			t.Fatalf("fail-on %s: exit %d\n%s", tc.failOn, code, s.out.String())
		}
		out := s.outputs()
		if out["result"] != "fail" {
			t.Errorf("fail-on %s: result %q: the verdict must not depend on fail-on never", tc.failOn, out["result"])
		}
		if out["evidence-dir"] != filepath.Join(r.Dir(), "evidence") || out["sarif"] != filepath.Join(r.Dir(), "out/gate.sarif") || out["soup-list"] != filepath.Join(r.Dir(), "evidence/soup-list.json") {
			t.Errorf("paths %q", out)
		}
		got := strings.Join(s.rules(), "; ")
		if !strings.Contains(got, "TG302 SRS-008") || !strings.Contains(got, "TG302 SRS-046") {
			t.Errorf("findings %s", got)
		}
		var list struct{ Components []json.RawMessage }
		if err := json.Unmarshal([]byte(readFile(t, out["soup-list"])), &list); err != nil || len(list.Components) == 0 {
			t.Errorf("SOUP list: %v, %d components", err, len(list.Components))
		}
		if tc.failOn == "never" && !strings.Contains(s.out.String(), "::notice::tracegate release: the gate failed; fail-on is never") {
			t.Errorf("log:\n%s", s.out.String())
		}
	}
}

// The release gate fetches the history and tags it needs itself: in a
// checkout with actions/checkout's defaults (one commit, no tags) it finds
// the previous release and judges the changes since, instead of failing
// for want of them or taking the release for a first one.
func TestRunReleaseFetchesHistoryAndTags(t *testing.T) {
	r := sampleRepo(t, false)
	r.Write("docs/notes.md", "Notes.\n")
	sha := r.Commit("Untraced notes")
	r.Tag("v2.4.0", true, "SyringeFlow SP-1 2.4.0")
	clone := gittest.Clone(t, r, "--depth", "1", "--no-tags", "--branch", "v2.4.0")
	ev := payload(t, "push.tag-created.json", map[string]any{"ref": "refs/tags/v2.4.0", "after": sha, "repository.full_name": ghRepo})
	s := newStep(t, clone.Dir(), "push", ev).set("GITHUB_REF", "refs/tags/v2.4.0", "GITHUB_SHA", sha)
	if code := s.run(); code != check.ExitFail {
		t.Fatalf("exit %d\n%s", code, s.out.String())
	}
	if got := strings.Join(s.rules(), "; "); !strings.Contains(got, "TG301 "+sha[:12]) {
		t.Errorf("the untraced change is not judged: %s\n%s", got, s.out.String())
	}
	if shallow := clone.Run("rev-parse", "--is-shallow-repository"); shallow != "false" || clone.Run("tag", "-l", "v2.3.0") != "v2.3.0" {
		t.Errorf("the clone was not completed: shallow %s, tags %q", shallow, clone.Run("tag"))
	}
}

// No file the Action writes follows a link: not a link the checkout holds
// where the evidence directory goes, nor one planted where a result file
// goes (an earlier step of the job runs the pull request's code).
func TestRunWritesDoNotFollowLinks(t *testing.T) {
	ev := payload(t, "push.branch-created.json", map[string]any{"repository.full_name": ghRepo})
	for _, tt := range []struct {
		name  string
		plant func(t *testing.T, r *gittest.Repo, s *step, outside string)
	}{
		{"the evidence directory is a link in the checkout", func(t *testing.T, r *gittest.Repo, s *step, outside string) {
			r.Symlink(outside, "evidence")
			r.Commit("a link where the evidence goes")
			s.set("INPUT_EVIDENCE_DIR", "evidence")
		}},
		{"the SARIF file's directory is a link in the checkout", func(t *testing.T, r *gittest.Repo, s *step, outside string) {
			r.Symlink(outside, "out")
			r.Commit("a link where the SARIF goes")
			s.set("INPUT_SARIF_FILE", "out/gate.sarif")
		}},
		{"a result file is a link", func(t *testing.T, r *gittest.Repo, s *step, outside string) {
			dir := filepath.Join(s.env["RUNNER_TEMP"], "tracegate")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(outside, "victim"), filepath.Join(dir, "tracegate-validate.json")); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := sampleRepo(t, false)
			outside := t.TempDir()
			victim := filepath.Join(outside, "victim")
			if err := os.WriteFile(victim, []byte("precious"), 0o644); err != nil {
				t.Fatal(err)
			}
			s := newStep(t, r.Dir(), "push", ev).set("GITHUB_REF", "refs/heads/main")
			tt.plant(t, r, s, outside)
			code := s.run()
			if code != check.ExitError && code != check.ExitUsage {
				t.Errorf("exit %d, want the step to fail\n%s", code, s.out.String())
			}
			entries, _ := os.ReadDir(outside)
			if b, _ := os.ReadFile(victim); string(b) != "precious" || len(entries) != 1 {
				t.Errorf("a file was written through the link: %v, %q", entries, b)
			}
			if !strings.Contains(s.out.String(), "symbolic link") {
				t.Errorf("the log does not say why:\n%s", s.out.String())
			}
		})
	}
}

func TestRunValidateAndMisconfiguration(t *testing.T) {
	r := sampleRepo(t, false)
	ev := payload(t, "push.branch-created.json", map[string]any{"repository.full_name": ghRepo})
	s := newStep(t, r.Dir(), "push", ev).set("GITHUB_REF", "refs/heads/main")
	if code := s.run(); code != check.ExitPass {
		t.Fatalf("exit %d\n%s", code, s.out.String())
	}
	if res := s.result(); res.Gate != "validate" || res.Verdict != "pass" {
		t.Errorf("result %+v", res)
	}

	// Nothing can be evaluated: the step still says so in its outputs and
	// files, and fails.
	for name, set := range map[string][]string{
		"not in a workflow":   {"GITHUB_WORKSPACE", ""},
		"bad input":           {"INPUT_FAIL_ON", "maybe"},
		"policy missing":      {"INPUT_CONFIG", "no/such.yml"},
		"mode pr on a push":   {"INPUT_MODE", "pr"},
		"release of no tag":   {"INPUT_MODE", "release", "GITHUB_EVENT_NAME", "workflow_dispatch", "GITHUB_REF", "refs/tags/v9"},
		"workspace not a dir": {"GITHUB_WORKSPACE", filepath.Join(r.Dir(), "README.md"), "INPUT_MODE", "release", "GITHUB_REF", "refs/tags/v2.3.0", "GITHUB_EVENT_NAME", "workflow_dispatch"},
	} {
		t.Run(name, func(t *testing.T) {
			s := newStep(t, r.Dir(), "push", ev).set("GITHUB_REF", "refs/heads/main").set(set...)
			if code := s.run(); code != check.ExitUsage {
				t.Fatalf("exit %d\n%s", code, s.out.String())
			}
			if res := s.result(); s.outputs()["result"] != "error" || res.Verdict != "error" || len(res.Errors) != 1 {
				t.Errorf("result %+v", res)
			}
			if !strings.Contains(s.out.String(), "::error title=tracegate%3A evaluation error::") {
				t.Errorf("no error annotation:\n%s", s.out.String())
			}
		})
	}
}

// Text from the pull request reaches the log only between stop-commands
// markers, so that it cannot issue workflow commands.
func TestRunLogCannotIssueCommands(t *testing.T) {
	r := sampleRepo(t, false)
	r.Branch("x")
	r.Checkout("x")
	r.Write("README.md", "x\n")
	r.Commit("x")
	s := prStep(t, r, nil, 7, "x", "::add-mask::pass", "")
	s.run()
	log := s.out.String()
	start := strings.Index(log, "::stop-commands::tracegate-")
	if start < 0 {
		t.Fatalf("no stop-commands:\n%s", log)
	}
	tok := strings.TrimPrefix(strings.SplitN(log[start:], "\n", 2)[0], "::stop-commands::")
	end := strings.Index(log, "::"+tok+"::")
	title := strings.Index(log, "“::add-mask::pass”")
	if end < 0 || title < start || title > end {
		t.Errorf("the title is printed outside the fence:\n%s", log)
	}
}

// The release gate writes the evidence bundle of its own evaluation and
// attaches it to the tag's release; a re-run replaces the assets. Without
// a release, auto notes it and true fails the step.
func TestRunReleaseEvidence(t *testing.T) {
	r := sampleRepo(t, false)
	sha := r.Run("rev-parse", "HEAD")
	gh := fakeGitHub(t)
	gh.AddRelease(ghRepo, fakegithub.Release{Tag: "v2.3.0"})
	gh.AddReleaseAsset(ghRepo, "v2.3.0", fakegithub.ReleaseAsset{Name: "firmware.bin", ContentType: "application/octet-stream", Data: []byte{1}})
	ev := payload(t, "release.published.json", map[string]any{"release.tag_name": "v2.3.0", "repository.full_name": ghRepo})
	step := func(set ...string) *step {
		return newStep(t, r.Dir(), "release", ev).set("GITHUB_REF", "refs/tags/v2.3.0", "GITHUB_SHA", sha,
			"INPUT_GITHUB_TOKEN", fakegithub.DefaultToken, "GITHUB_API_URL", gh.APIURL()).set(set...)
	}

	var first map[string]string
	for run := 1; run <= 2; run++ {
		s := step()
		// The sample's release fails on purpose (SRS-008, SRS-046).
		if code := s.run(); code != check.ExitFail {
			t.Fatalf("run %d: exit %d\n%s", run, code, s.out.String())
		}
		out := s.outputs()
		if out["result"] != "fail" || filepath.Base(out["evidence-bundle"]) != "tracegate-evidence-v2.3.0" || out["evidence-zip"] != out["evidence-bundle"]+".zip" || filepath.Dir(out["evidence-bundle"]) != out["evidence-dir"] {
			t.Fatalf("run %d: outputs %q", run, out)
		}
		// The bundle records the evaluation that gated: the same findings.
		var bundled, gated struct {
			Verdict  string
			Findings []json.RawMessage
		}
		if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out["evidence-bundle"], "result.json"))), &bundled); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(readFile(t, out["findings-json"])), &gated); err != nil {
			t.Fatal(err)
		}
		if bundled.Verdict != "fail" || len(bundled.Findings) != len(gated.Findings) || len(gated.Findings) == 0 {
			t.Errorf("run %d: bundle %s with %d findings, gate %s with %d", run, bundled.Verdict, len(bundled.Findings), gated.Verdict, len(gated.Findings))
		}
		for _, f := range []string{"report.html", "evidence.xlsx", "MANIFEST.sha256"} {
			if _, err := os.Stat(filepath.Join(out["evidence-bundle"], f)); err != nil {
				t.Errorf("run %d: %v", run, err)
			}
		}
		verb := map[int]string{1: "attached", 2: "replaced"}[run]
		if !strings.Contains(s.out.String(), "::"+verb+" tracegate-evidence-v2.3.0.zip to the release v2.3.0") &&
			!strings.Contains(s.out.String(), verb+" tracegate-evidence-v2.3.0.zip to the release v2.3.0") {
			t.Errorf("run %d: log does not say %q:\n%s", run, verb, s.out.String())
		}
		var names []string
		for _, a := range gh.ReleaseAssets(ghRepo, "v2.3.0") {
			names = append(names, a.Name)
			if a.Name == "tracegate-evidence-v2.3.0.zip" && string(a.Data) != readFile(t, out["evidence-zip"]) {
				t.Errorf("run %d: the attached zip is not the one written", run)
			}
		}
		if len(names) != 7 || !slices.Contains(names, "firmware.bin") {
			t.Errorf("run %d: assets %v", run, names)
		}
		if run == 1 {
			first = out
		} else if readFile(t, out["evidence-zip"]) != readFile(t, first["evidence-zip"]) {
			t.Errorf("a re-run on the same inputs wrote a different zip")
		}
	}

	// A tag without a release: auto says so and the verdict decides; true
	// fails the step and the result says error, so that no later step
	// gated on the result publishes a release without its evidence.
	r.Tag("v2.3.1", true, "2.3.1")
	push := payload(t, "push.tag-created.json", map[string]any{"ref": "refs/tags/v2.3.1", "after": sha, "repository.full_name": ghRepo})
	for _, tc := range []struct {
		upload string
		code   int
		result string
		log    string
	}{
		{"auto", check.ExitFail, "fail", "::notice::there is no GitHub release for v2.3.1 yet"},
		{"true", check.ExitError, "error", "::error::tracegate could not attach the evidence bundle to the release v2.3.1"},
		{"false", check.ExitFail, "fail", ""},
	} {
		s := newStep(t, r.Dir(), "push", push).set("GITHUB_REF", "refs/tags/v2.3.1", "GITHUB_SHA", sha,
			"INPUT_GITHUB_TOKEN", fakegithub.DefaultToken, "GITHUB_API_URL", gh.APIURL(), "INPUT_UPLOAD_EVIDENCE", tc.upload)
		gh.ResetLog()
		if code := s.run(); code != tc.code {
			t.Errorf("upload-evidence %s: exit %d, want %d\n%s", tc.upload, code, tc.code, s.out.String())
		}
		if got := s.outputs()["result"]; got != tc.result {
			t.Errorf("upload-evidence %s: result %q, want %q", tc.upload, got, tc.result)
		}
		if tc.log != "" && !strings.Contains(s.out.String(), tc.log) {
			t.Errorf("upload-evidence %s: log lacks %q:\n%s", tc.upload, tc.log, s.out.String())
		}
		asked := 0
		for _, req := range gh.Requests() {
			if strings.Contains(req.Path, "/releases") {
				asked++
			}
		}
		if (asked == 0) != (tc.upload == "false") {
			t.Errorf("upload-evidence %s: %d release requests", tc.upload, asked)
		}
	}
}

// The engine's log reaches the workflow log only with debug logging on
// (RUNNER_DEBUG=1), as ::debug:: lines naming what was read.
func TestDebugLog(t *testing.T) {
	r := sampleRepo(t, false)
	s := newStep(t, r.Dir(), "workflow_dispatch", nil).set("GITHUB_REF", "refs/heads/main")
	if code := s.run(); code == check.ExitUsage || code == check.ExitError {
		t.Fatalf("exit %d\n%s", code, s.out.String())
	}
	if strings.Contains(s.out.String(), "::debug::") {
		t.Errorf("debug lines without RUNNER_DEBUG:\n%s", s.out.String())
	}
	s.set("RUNNER_DEBUG", "1")
	if code := s.run(); code == check.ExitUsage || code == check.ExitError {
		t.Fatalf("exit %d\n%s", code, s.out.String())
	}
	if !strings.Contains(s.out.String(), "::debug::") || !strings.Contains(s.out.String(), "docs/requirements/dose-engine.yml") {
		t.Errorf("no debug line naming a file read:\n%s", s.out.String())
	}
}

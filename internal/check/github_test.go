package check_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/ghfacts"
	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
	"github.com/tracegate/tracegate/internal/ingest/readers"
	"github.com/tracegate/tracegate/internal/ingest/soupreg"
)

const (
	sampleDir  = "../../testdata/sample-device"
	sampleRepo = "acme/syringeflow"
)

// sampleHistory is the sample device in git: v2.3.0, v2.4.0 with a traced
// and an untraced change, and a pull request branch on top that changes a
// class C item, adds a requirement and removes a file.
type sampleHistory struct {
	g          *gittest.Repo
	base, head string
}

func makeSample(t testing.TB) sampleHistory {
	t.Helper()
	g := gittest.New(t)
	g.CopyDir(sampleDir)
	g.Commit("SyringeFlow SP-1 2.3.0\n\nCloses CR-017.")
	g.Tag("v2.3.0", true, "SyringeFlow SP-1 2.3.0")
	readme := readFile(t, filepath.Join(g.Dir(), "README.md"))
	g.Write("README.md", readme+"\nService notes.\n")
	g.Commit("Document the service tool (CR-022)")
	g.Write("README.md", readme+"\nService notes, reworded.\n")
	base := g.Commit("Tweak")
	g.Tag("v2.4.0", true, "SyringeFlow SP-1 2.4.0")
	g.Branch("feature/bolus-cap")
	g.Checkout("feature/bolus-cap")
	limits := readFile(t, filepath.Join(g.Dir(), "src/dose/limits.go"))
	g.Write("src/dose/limits.go", limits+"\n// Bolus rate cap, see CR-021.\n")
	g.Commit("Cap the bolus rate (CR-021)")
	g.Remove("tools/service/README.md")
	g.Write("docs/requirements/dose-engine.yml", readFile(t, filepath.Join(g.Dir(), "docs/requirements/dose-engine.yml")))
	head := g.Commit("Drop the service tool notes")
	return sampleHistory{g: g, base: base, head: head}
}

func readFile(t testing.TB, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// ciArtifact uploads the test reports of the checkout as the artifact of a
// CI run for sha, as a workflow's actions/upload-artifact step would.
func ciArtifact(t testing.TB, srv *fakegithub.Server, dir, sha string) {
	t.Helper()
	files := map[string]string{}
	for _, p := range []string{"reports/unit/go-test.jsonl", "reports/system/pytest-system.xml"} {
		files[p] = readFile(t, filepath.Join(dir, filepath.FromSlash(p)))
	}
	run := srv.AddWorkflowRun(sampleRepo, fakegithub.WorkflowRun{Name: "CI", Path: ".github/workflows/ci.yml", HeadSHA: sha})
	srv.AddArtifact(run, fakegithub.Artifact{Name: "test-reports", Files: files})
}

// sampleServer is the sample's history served by a fake GitHub, with the
// issue the pull request links, the pull request itself (no review yet),
// the teams the sample's policy names, and a CI run with the test reports
// for the pull request's head and for v2.4.0.
func sampleServer(t testing.TB) (sampleHistory, *fakegithub.Server) {
	t.Helper()
	h := makeSample(t)
	srv := fakegithub.New(t)
	srv.AddGitRepo(sampleRepo, h.g.Dir())
	srv.AddIssue(sampleRepo, fakegithub.Issue{Number: 12, Title: "Bolus too fast", Labels: []string{"bug"}})
	// The pull request of the branch, not yet reviewed (the sample's
	// policy requires an approval of its change to the dose engine).
	srv.AddPullRequest(sampleRepo, fakegithub.PullRequest{Number: samplePR.Number, Title: samplePR.Title, Body: samplePR.Body, Author: samplePR.Author,
		HeadRef: samplePR.HeadRef, HeadSHA: h.head, BaseRef: samplePR.BaseRef, BaseSHA: h.base})
	srv.AddTeam("acme", "dose-reviewers", "lisa")
	srv.AddTeam("acme", "software-leads", "mkeller")
	srv.AddTeam("acme", "qa-ra", "rosei")
	ciArtifact(t, srv, h.g.Dir(), h.head)
	ciArtifact(t, srv, h.g.Dir(), h.base)
	return h, srv
}

// localSources is today's path: the checkout, git, and a tracker on the
// fake GitHub.
func localSources(t testing.TB, srv *fakegithub.Server, dir string) *check.Sources {
	t.Helper()
	src, closeFn, err := check.Open(context.Background(), check.Local{Dir: dir, NeedGit: true,
		Token: fakegithub.DefaultToken, APIURL: srv.APIURL(), Repo: sampleRepo})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeFn)
	return src
}

// githubSources are the same facts through GitHub's API only: the
// repository, the tracker, and the test reports from the artifact of the
// CI run for the evaluated commit.
func githubSources(t testing.TB, srv *fakegithub.Server, files ghfacts.FileSource) *check.Sources {
	t.Helper()
	return githubSourcesCached(t, srv, files, nil, nil)
}

// githubSourcesCached keeps what is immutable in cache (a new one when
// nil), as the App keeps it between evaluations.
func githubSourcesCached(t testing.TB, srv *fakegithub.Server, files ghfacts.FileSource, cache *ghfacts.Cache, etags *githubapi.ETags) *check.Sources {
	t.Helper()
	gh, err := githubapi.NewClient(githubapi.Options{APIURL: srv.APIURL(), Token: fakegithub.DefaultToken, Sleep: noSleep, ETags: etags})
	if err != nil {
		t.Fatal(err)
	}
	dl := githubapi.NewDownloadClient(githubapi.Options{Sleep: noSleep})
	repo, err := ghfacts.NewRepo(gh, sampleRepo, ghfacts.RepoOptions{Files: files, Download: dl, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ghfacts.New(gh, sampleRepo)
	if err != nil {
		t.Fatal(err)
	}
	// The CI run's artifact holds the reports at the paths a checkout has
	// them, mounted at the top of the evidence.
	store, err := ghfacts.NewArtifacts(gh, sampleRepo, ghfacts.ArtifactsOptions{Workflow: "ci.yml", Names: []string{"test-reports"},
		Mount: map[string]string{"test-reports": ""}, Download: dl, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	return &check.Sources{Repo: repo, Tracker: tr, PRs: tr, Reviews: tr, Evidence: store,
		Readers: readers.All(), Register: soupreg.Read, RepoName: sampleRepo, Hosts: []string{"127.0.0.1"}}
}

// outcome is what a gate decided: the verdict, the findings and the rules'
// outcomes, without what says where the inputs were read from.
type outcome struct {
	Verdict  gate.Verdict
	Summary  gate.Summary
	Findings []string
	Rules    []gate.RuleOutcome
	Errors   []string
	Warnings []string
}

func outcomeOf(res *gate.Result) outcome {
	o := outcome{Verdict: res.Verdict, Summary: res.Summary, Rules: res.Rules, Errors: res.Errors}
	for _, f := range res.Findings {
		o.Findings = append(o.Findings, fmt.Sprintf("%s %s %s: %s", f.Rule, f.Severity, f.Subject, f.Message))
	}
	for _, w := range res.Warnings {
		o.Warnings = append(o.Warnings, w.String())
	}
	return o
}

// samplePR is the pull request of the sample's branch: it links a
// requirement that exists, one that does not and an issue.
var samplePR = facts.PullRequest{Repo: sampleRepo, Number: 7, Title: "Cap the bolus rate", Body: "Implements SRS-011 and SRS-999; see #12.",
	Author: "mona", HeadRef: "feature/bolus-cap", BaseRef: "main"}

func evalPR(t testing.TB, src *check.Sources, h sampleHistory) *gate.Result {
	t.Helper()
	res, err := check.PR(context.Background(), src, samplePR, h.base, h.head, check.Options{FailOn: gate.SevError})
	if err != nil {
		t.Fatalf("PR gate: %v", err)
	}
	return res
}

func evalRelease(t testing.TB, src *check.Sources, tag string) *gate.Result {
	t.Helper()
	res, err := check.Release(context.Background(), src, tag, "", check.Options{FailOn: gate.SevError})
	if err != nil {
		t.Fatalf("release gate %s: %v", tag, err)
	}
	return res
}

// The PR and release gates judge the sample alike through local git and
// through GitHub's API (the fake GitHub serving the same repository, the
// test reports from a CI run's artifact), whichever way the files of a
// commit are read.
func TestGitHubSourcesMatchLocal(t *testing.T) {
	h, srv := sampleServer(t)

	// Locally the test reports are the checkout's, as in CI.
	h.g.Checkout(h.head)
	wantPR := outcomeOf(evalPR(t, localSources(t, srv, h.g.Dir()), h))
	h.g.Checkout("v2.4.0")
	wantRel := outcomeOf(evalRelease(t, localSources(t, srv, h.g.Dir()), "v2.4.0"))
	t.Logf("local: PR %s with %d findings, release %s with %d", wantPR.Verdict, len(wantPR.Findings), wantRel.Verdict, len(wantRel.Findings))
	if wantPR.Verdict == gate.Pass || len(wantPR.Findings) == 0 || len(wantRel.Findings) == 0 {
		t.Fatalf("the sample should fail both gates with findings: PR %s (%d), release %s (%d)",
			wantPR.Verdict, len(wantPR.Findings), wantRel.Verdict, len(wantRel.Findings))
	}
	// The API calls of a cold evaluation (the CI run's evidence included):
	// with tarballs, per commit read the SHA (PR) or tag (release), its
	// tree and its tarball, one comparison, the linked issue (PR), the
	// tags and the history to find the previous release (release), and
	// three for the artifact; with blobs, one request per file read in
	// place of each tarball. The sample's policy requires reviews and a
	// release approval: the pull request's reviews and requested
	// reviewers, and at the release the
	// files (one comparison) and pull requests of each of its two
	// commits, the pull requests of the release commit and the release
	// workflow's runs for it.
	for _, tt := range []struct {
		name              string
		files             ghfacts.FileSource
		prCalls, relCalls int
	}{
		{"tarball", ghfacts.Tarball, 13, 15},
		{"blobs", ghfacts.Blobs, 51, 54},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetLog()
			got := outcomeOf(evalPR(t, githubSources(t, srv, tt.files), h))
			diff(t, "PR gate", got, wantPR)
			if n := logRequests(t, srv, "PR"); n != tt.prCalls {
				t.Errorf("PR gate: %d API calls, want %d", n, tt.prCalls)
			}
			srv.ResetLog()
			got = outcomeOf(evalRelease(t, githubSources(t, srv, tt.files), "v2.4.0"))
			diff(t, "release gate", got, wantRel)
			if n := logRequests(t, srv, "release"); n != tt.relCalls {
				t.Errorf("release gate: %d API calls, want %d", n, tt.relCalls)
			}
		})
	}
}

// diff reports how an outcome through GitHub differs from the local one,
// part by part.
func diff(t *testing.T, what string, got, want outcome) {
	t.Helper()
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := 0; i < g.NumField(); i++ {
		if !reflect.DeepEqual(g.Field(i).Interface(), w.Field(i).Interface()) {
			t.Errorf("%s through GitHub, %s:\n got  %+v\n want %+v", what, g.Type().Field(i).Name, g.Field(i).Interface(), w.Field(i).Interface())
		}
	}
}

// A warm re-evaluation of the same commits (a pull request's title
// edited) asks only what can change — the linked issue, the CI runs of
// the head and the pull request's reviews; the release's tag, tags and
// runs, the pull requests of its commits (the records of their reviews)
// and the release workflow's runs (the deployment approvals) — and asks
// conditionally.
func TestGitHubSourcesWarm(t *testing.T) {
	h, srv := sampleServer(t)
	cache, etags := ghfacts.NewCache(0), githubapi.NewETags(0)
	src := func() *check.Sources { return githubSourcesCached(t, srv, ghfacts.Tarball, cache, etags) }
	cold := outcomeOf(evalPR(t, src(), h))
	coldRel := outcomeOf(evalRelease(t, src(), "v2.4.0"))
	// Each asked again with its entity tag, and answered 304: GitHub
	// counts none of them against the rate limit.
	notModified := func(what string) {
		for _, r := range srv.Requests() {
			if r.Status != http.StatusNotModified {
				t.Errorf("%s: %s %s answered %d, not 304", what, r.Method, r.Path, r.Status)
			}
		}
	}
	srv.ResetLog()
	diff(t, "warm PR gate", outcomeOf(evalPR(t, src(), h)), cold)
	if n := logRequests(t, srv, "warm PR"); n != 4 {
		t.Errorf("warm PR evaluation: %d API calls, want 4 (the issue, the runs, the reviews and requested reviewers)", n)
	}
	notModified("warm PR")
	srv.ResetLog()
	diff(t, "warm release gate", outcomeOf(evalRelease(t, src(), "v2.4.0")), coldRel)
	if n := logRequests(t, srv, "warm release"); n != 7 {
		t.Errorf("warm release evaluation: %d API calls, want 7 (the tag, the tags, the runs, the pull requests of its two commits and of the release commit, the release workflow's runs)", n)
	}
	notModified("warm release")
	hits, misses, bytes := cache.Stats()
	t.Logf("cache: %d hits, %d misses, %d bytes held", hits, misses, bytes)
}

// logRequests reports the API calls an evaluation made and returns their
// number; downloads (archives, artifacts) are not API calls.
func logRequests(t testing.TB, srv *fakegithub.Server, what string) int {
	t.Helper()
	api, dl, bytes := 0, 0, 0
	byRoute := map[string]int{}
	for _, r := range srv.Requests() {
		bytes += r.Bytes
		if r.Host == "download" {
			dl++
			continue
		}
		api++
		byRoute[route(r.Path)]++
	}
	t.Logf("%s: %d API calls, %d downloads, %d bytes: %v", what, api, dl, bytes, byRoute)
	return api
}

// BenchmarkGitHubSources times a cold PR and release evaluation of the
// sample through GitHub's API (the fake on loopback), reading files by
// tarball or by blob, and reports the requests and bytes each takes.
func BenchmarkGitHubSources(b *testing.B) {
	h, srv := sampleServer(b)
	for _, bb := range []struct {
		name  string
		files ghfacts.FileSource
	}{{"tarball", ghfacts.Tarball}, {"blobs", ghfacts.Blobs}} {
		b.Run(bb.name, func(b *testing.B) {
			requests, bytes := 0, 0
			for i := 0; i < b.N; i++ {
				srv.ResetLog()
				evalPR(b, githubSources(b, srv, bb.files), h)
				evalRelease(b, githubSources(b, srv, bb.files), "v2.4.0")
				for _, r := range srv.Requests() {
					requests++
					bytes += r.Bytes
				}
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(bytes)/float64(b.N), "bytes-served/op")
		})
	}
}

// route names an API path by its endpoint.
func route(p string) string {
	p = strings.TrimPrefix(p, "/api/v3/repos/"+sampleRepo)
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) > 2 {
		parts = parts[:2]
	}
	for i, s := range parts {
		if len(s) >= 40 || strings.Contains(s, "...") {
			parts[i] = "{sha}"
		}
	}
	return strings.Join(parts, "/")
}

// Until CI has made the evidence of the commit, the gate does not judge
// it: the evaluation fails with the pending error the App turns into an
// in-progress check run, never with a verdict.
func TestGitHubSourcesPendingEvidence(t *testing.T) {
	h := makeSample(t)
	srv := fakegithub.New(t)
	srv.AddGitRepo(sampleRepo, h.g.Dir())
	srv.AddWorkflowRun(sampleRepo, fakegithub.WorkflowRun{Name: "CI", Path: ".github/workflows/ci.yml", HeadSHA: h.head, Status: "in_progress"})
	pr := facts.PullRequest{Repo: sampleRepo, Number: 7, Title: "Cap the bolus rate (CR-021)", HeadRef: "feature/bolus-cap", BaseRef: "main"}
	res, err := check.PR(context.Background(), githubSources(t, srv, ghfacts.Tarball), pr, h.base, h.head, check.Options{FailOn: gate.SevError})
	var pe *facts.PendingError
	if !errors.As(err, &pe) || !errors.Is(err, facts.ErrPending) || !strings.Contains(err.Error(), "is in progress") {
		t.Fatalf("error %v", err)
	}
	if res == nil || res.Verdict != gate.Error {
		t.Errorf("result %+v", res)
	}
}

// One set of GitHub sources serves many evaluations at once, as the App's
// workers share it: 16 of them, pull request and release in turn, judge
// as one at a time does (scripts/test runs this with -race).
func TestGitHubSourcesConcurrent(t *testing.T) {
	h, srv := sampleServer(t)
	src := githubSources(t, srv, ghfacts.Tarball)
	wantPR := outcomeOf(evalPR(t, githubSources(t, srv, ghfacts.Tarball), h))
	wantRel := outcomeOf(evalRelease(t, githubSources(t, srv, ghfacts.Tarball), "v2.4.0"))
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			// No Fatal off the test's goroutine: errors are reported.
			var res *gate.Result
			var err error
			want := wantRel
			if i%2 == 0 {
				res, err = check.PR(context.Background(), src, samplePR, h.base, h.head, check.Options{FailOn: gate.SevError})
				want = wantPR
			} else {
				res, err = check.Release(context.Background(), src, "v2.4.0", "", check.Options{FailOn: gate.SevError})
			}
			if err != nil {
				t.Error(err)
				return
			}
			diff(t, "concurrent evaluation", outcomeOf(res), want)
		}(i)
	}
	wg.Wait()
}

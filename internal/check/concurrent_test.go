package check_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/fakerepo"
	"github.com/tracegate/tracegate/internal/gate"
)

// job is one evaluation: a release on a tag, or a pull request from a
// branch.
type job struct {
	tag          string
	base, branch string
	pr           facts.PullRequest
}

func (j job) String() string {
	if j.tag != "" {
		return "release " + j.tag
	}
	return "pull request " + j.branch
}

func (j job) run(src *check.Sources) outcome {
	ctx := context.Background()
	opts := check.Options{FailOn: gate.SevError}
	var res *gate.Result
	var err error
	if j.tag != "" {
		res, err = check.Release(ctx, src, j.tag, "", opts)
	} else {
		res, err = check.PR(ctx, src, j.pr, j.base, j.branch, opts)
	}
	o := outcomeOf(res)
	if err != nil {
		o.Errors = append(o.Errors, "error: "+err.Error())
	}
	return o
}

// concurrently runs the jobs at once on one Sources and checks that each
// comes out as it does alone.
func concurrently(t *testing.T, src *check.Sources, jobs []job) {
	t.Helper()
	want := make([]outcome, len(jobs))
	for i, j := range jobs {
		want[i] = j.run(src)
	}
	got := make([]outcome, len(jobs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			got[i] = j.run(src)
		}()
	}
	close(start)
	wg.Wait()
	distinct := map[string]bool{}
	for i, j := range jobs {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("%s at the same time as the others:\n got  %+v\n want %+v", j, got[i], want[i])
		}
		distinct[fmt.Sprint(want[i])] = true
	}
	if len(distinct) < len(jobs)/2 {
		t.Errorf("only %d distinct outcomes of %d evaluations: the refs do not differ enough to tell them apart", len(distinct), len(jobs))
	}
}

// Sixteen evaluations of different refs run at once on one Sources — a
// fake repository, tracker and evidence store, the policy's offline OSV
// database opened in the work tree by each — give what each gives alone,
// and leave the Sources as they were. Run with -race (scripts/test does).
func TestConcurrentEvaluations(t *testing.T) {
	r := fakerepo.New()
	files := baseFiles()
	files[".github/tracegate.yml"] = policyB + "  osv_db: osv\n"
	r.Commit("main", "Initial (CR-1)", files)
	ev := fakerepo.Evidence{}
	var jobs []job
	for i := range 8 {
		// Each release adds a requirement, verified at every other one, and
		// a component; each pull request branches from it.
		id := fmt.Sprintf("SRS-%03d", 10+i)
		req := fmt.Sprintf("requirements:\n  - id: %s\n    title: Requirement %d\n    text: The pump shall do %d.\n    status: approved\n", id, i, i)
		comps := []string{"zlib@1.3"}
		for k := range i {
			comps = append(comps, fmt.Sprintf("lib%d@1.%d.0", k, i))
		}
		sha := r.Commit("main", fmt.Sprintf("Add %s", id), map[string]string{
			fmt.Sprintf("docs/requirements/r%d.yml", i): req,
			"sbom/app.cdx.json":                         sbomOf(comps...),
		})
		tag := fmt.Sprintf("v1.%d.0", i)
		r.Tag(tag, sha)
		tested := []string{"SRS-001", "SRS-002"}
		if i%2 == 0 {
			tested = append(tested, id)
		}
		ev[sha] = fakerepo.Files(map[string]string{"reports/ci.xml": junit(tested...)})
		jobs = append(jobs, job{tag: tag})

		branch := fmt.Sprintf("feature-%d", i)
		r.Branch(branch, sha)
		head := r.Commit(branch, fmt.Sprintf("Change %d", i), map[string]string{"src/rate.go": fmt.Sprintf("package rate // %d\n", i)})
		ev[head] = ev[sha]
		title := "Tidy"
		if i%3 != 0 {
			title = "Implements " + id
		}
		jobs = append(jobs, job{base: tag, branch: branch, pr: facts.PullRequest{Number: 100 + i, Title: title, Body: "See #12."}})
	}
	src := sources(r, &fakerepo.Tracker{Issues: []facts.Issue{openIssue}})
	src.Evidence = ev
	db := goOSVDB(t, "osv")
	src.WorkTree = fakerepo.Files(db)
	before := *src
	if len(jobs) != 16 {
		t.Fatalf("%d jobs", len(jobs))
	}
	concurrently(t, src, jobs)
	if src.Anomalies != nil || src.Repo != before.Repo || src.Tracker != before.Tracker || src.WorkHead != before.WorkHead || src.NoTracker != before.NoTracker {
		t.Errorf("the evaluations changed the Sources they were given: Anomalies %v, Repo %v, Tracker %v", src.Anomalies, src.Repo != before.Repo, src.Tracker != before.Tracker)
	}
	// Each evaluation consulted the policy's database through the work tree.
	f, err := check.GatherRelease(context.Background(), src, "v1.3.0", "", check.Options{FailOn: gate.SevError})
	if err != nil {
		t.Fatal(err)
	}
	if !f.SOUP.LookedUp || f.SOUP.List.Anomalies == nil || !strings.Contains(f.SOUP.List.Anomalies.Source, "offline OSV database osv") {
		t.Errorf("the policy's offline database was not consulted: %+v", f.SOUP.List.Anomalies)
	}
}

// The same on a real git repository: the sample's pull request and two
// releases, sixteen evaluations at once on one check.Open.
func TestConcurrentEvaluationsLocal(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the git-backed variant of TestConcurrentEvaluations")
	}
	h := makeSample(t)
	src, closeFn, err := check.Open(context.Background(), check.Local{Dir: h.g.Dir(), NeedGit: true})
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	pr := facts.PullRequest{Repo: sampleRepo, Number: 7, Title: "Cap the bolus rate", Body: "Implements SRS-011.", HeadRef: "feature/bolus-cap", BaseRef: "main"}
	var jobs []job
	for i := range 16 {
		switch i % 3 {
		case 0:
			jobs = append(jobs, job{base: h.base, branch: h.head, pr: pr})
		case 1:
			jobs = append(jobs, job{tag: "v2.3.0"})
		default:
			jobs = append(jobs, job{tag: "v2.4.0"})
		}
	}
	want := make([]outcome, 3)
	for i := range want {
		want[i] = jobs[i].run(src)
	}
	got := make([]outcome, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = j.run(src)
		}()
	}
	wg.Wait()
	for i, j := range jobs {
		if !reflect.DeepEqual(got[i], want[i%3]) {
			t.Errorf("%s (#%d) at the same time as the others:\n got  %+v\n want %+v", j, i, got[i], want[i%3])
		}
	}
}

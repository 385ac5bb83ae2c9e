package check_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/fakerepo"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/model"
)

// history is the fake repository of the release tests: v1.0.0, a
// commit tagged x-1 (not a release), v1.1.0, then two commits tagged
// v1.2.0 and rc-1 (not a release).
type history struct {
	r                      *fakerepo.Repo
	c1, c2, c3, c4, c5     string
	v100, v110, v120, head string
}

func makeHistory() history {
	r := fakerepo.New()
	h := history{r: r}
	h.c1 = r.Commit("main", "Initial", baseFiles())
	r.Tag("v1.0.0", h.c1)
	h.c2 = r.Commit("main", "Range check (SRS-002)", map[string]string{"src/rate.go": "package rate // 2\n"})
	r.Tag("x-1", h.c2)
	h.c3 = r.Commit("main", "Fix the rounding (PRB-1)", map[string]string{"src/rate.go": "package rate // 3\n"})
	r.Tag("v1.1.0", h.c3)
	h.c4 = r.Commit("main", "Tidy", map[string]string{"src/rate.go": "package rate // 4\n"})
	h.c5 = r.Commit("main", "Rate display (CR-1)", map[string]string{"src/rate.go": "package rate // 5\n"})
	r.Tag("v1.2.0", h.c5)
	r.Tag("rc-1", h.c5)
	h.v100, h.v110, h.v120, h.head = h.c1, h.c3, h.c5, h.c5
	return h
}

type releaseCase struct {
	name, tag, previous string
	tracker             *fakerepo.Tracker
	setup               func(src *check.Sources, h history)
	breakRepo           map[string]error
	check               func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error)
}

func (c releaseCase) run(t *testing.T) {
	h := makeHistory()
	src := sources(h.r, c.tracker)
	if c.setup != nil {
		c.setup(src, h)
	}
	h.r.Err = c.breakRepo
	ctx := context.Background()
	opts := check.Options{FailOn: gate.SevError}
	f, gerr := check.GatherRelease(ctx, src, c.tag, c.previous, opts)
	res, err := check.Release(ctx, src, c.tag, c.previous, opts)
	if (gerr == nil) != (err == nil) {
		t.Fatalf("GatherRelease: %v, Release: %v", gerr, err)
	}
	if err != nil && res.Verdict != gate.Error {
		t.Fatalf("an evaluation that failed (%v) has the verdict %s, want error", err, res.Verdict)
	}
	c.check(t, h, f, res, err)
}

func subjects(cs []facts.Commit) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Subject())
	}
	return out
}

func TestReleaseGather(t *testing.T) {
	cases := []releaseCase{
		{name: "the previous release is the nearest ancestor tag matching the pattern", tag: "v1.2.0",
			tracker: &fakerepo.Tracker{},
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if f.Previous == nil || f.Previous.Name != "v1.1.0" || f.Commit != h.v120 {
					t.Fatalf("previous %+v, commit %s", f.Previous, f.Commit)
				}
				if got := subjects(f.Commits); !slices.Equal(got, []string{"Rate display (CR-1)", "Tidy"}) {
					t.Errorf("commits since v1.1.0: %q", got)
				}
				if subjects := findings(res)["TG301"]; len(subjects) != 1 {
					t.Errorf("the untraced Tidy commit: TG301 %v", subjects)
				}
			}},
		{name: "a tag that does not match the pattern is no release", tag: "v1.1.0", tracker: &fakerepo.Tracker{},
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if f.Previous == nil || f.Previous.Name != "v1.0.0" || len(f.Commits) != 2 {
					t.Errorf("previous %+v, %d commits (x-1 is not a release)", f.Previous, len(f.Commits))
				}
			}},
		{name: "an explicit previous release", tag: "v1.2.0", previous: "v1.0.0", tracker: &fakerepo.Tracker{},
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if f.Previous == nil || f.Previous.Name != "v1.0.0" || len(f.Commits) != 4 {
					t.Errorf("previous %+v, %d commits", f.Previous, len(f.Commits))
				}
			}},
		{name: "a first release", tag: "v1.0.0", tracker: &fakerepo.Tracker{},
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if f.Previous != nil || len(f.Commits) != 1 {
					t.Errorf("previous %+v, %d commits", f.Previous, len(f.Commits))
				}
			}},
		{name: "an unknown tag is a usage error", tag: "v9",
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if !check.IsUsage(err) || !errors.Is(err, facts.ErrNotFound) {
					t.Errorf("err %v", err)
				}
			}},
		{name: "open problem reports: the files at the release and the open labelled issues", tag: "v1.2.0",
			tracker: &fakerepo.Tracker{Issues: []facts.Issue{openIssue,
				{Ref: facts.IssueRef{Number: 13}, Title: "PRB-13: closed", State: "closed", Labels: []string{"bug"}},
				{Ref: facts.IssueRef{Number: 14}, Title: "A feature", State: "open", Labels: []string{"enhancement"}}}},
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, r := range f.OpenProblems {
					ids = append(ids, r.ID)
				}
				slices.Sort(ids)
				if !slices.Equal(ids, []string{"#12", "PRB-1"}) {
					t.Errorf("open problem reports %q, want the file's PRB-1 and the issue #12", ids)
				}
			}},
		{name: "problem reports kept as issues cannot be listed without a tracker: an error, never a pass", tag: "v1.2.0",
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err == nil || check.IsUsage(err) || res.SafetyClass != model.ClassB || !warned(res.Errors, "the open ones cannot be listed") {
					t.Errorf("err %v, errors %q", err, res.Errors)
				}
			}},
		{name: "problem reports the policy does not place: files only without a tracker, and a warning says so", tag: "v1.3.0",
			setup: func(src *check.Sources, h history) {
				policy := strings.Replace(policyB, "  labels: [bug]\n", "", 1)
				c := h.r.Commit("main", "Policy without problem report labels (CR-1)", map[string]string{".github/tracegate.yml": policy})
				h.r.Tag("v1.3.0", c)
			},
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if len(f.OpenProblems) != 1 || f.OpenProblems[0].ID != "PRB-1" {
					t.Errorf("open problem reports %+v, want the file's PRB-1", f.OpenProblems)
				}
				if !warned(warningsOf(res), "problem reports were read from files only (docs/problem-reports/*.yml): no GitHub token was given, and the policy does not say they are GitHub issues") {
					t.Errorf("warnings %q", warningsOf(res))
				}
			}},
		{name: "an untraced commit listed by an approved change request at the release is traced", tag: "v1.3.0", previous: "v1.1.0", tracker: &fakerepo.Tracker{},
			setup: func(src *check.Sources, h history) {
				cr := "id: CR-2\ntitle: Trace the tidy-up\nstate: closed\napproved: true\ncommits: [" + h.c4[:10] + "]\n"
				c := h.r.Commit("main", "Record the trace of the tidy-up (CR-1)", map[string]string{"docs/change-requests/CR-2.yml": cr})
				h.r.Tag("v1.3.0", c)
			},
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if len(f.Listing) != 1 || f.Listing[0].ID != "CR-2" {
					t.Errorf("change requests listing commits: %+v", f.Listing)
				}
				if subjects := findings(res)["TG301"]; len(subjects) != 0 {
					t.Errorf("TG301 %v: the Tidy commit is listed by CR-2", subjects)
				}
			}},
		{name: "a policy that asks OSV online, where no OSV service is reached, cannot be evaluated", tag: "v1.3.0", tracker: &fakerepo.Tracker{},
			setup: func(src *check.Sources, h history) {
				c := h.r.Commit("main", "Ask OSV (CR-1)", map[string]string{".github/tracegate.yml": policyB + "  anomalies: osv\n"})
				h.r.Tag("v1.3.0", c)
				src.OSV = nil
			},
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err == nil || check.IsUsage(err) || !warned(res.Errors, "soup.anomalies: osv") {
					t.Errorf("err %v, errors %q", err, res.Errors)
				}
			}},
		{name: "the tracker failing is an evaluation error", tag: "v1.2.0", tracker: &fakerepo.Tracker{Err: errors.New("403 rate limited")},
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err == nil || check.IsUsage(err) || check.ExitCode(res.Verdict, err) != check.ExitError {
					t.Errorf("err %v", err)
				}
			}},
		{name: "the tags failing to list is an evaluation error", tag: "v1.2.0", tracker: &fakerepo.Tracker{},
			breakRepo: map[string]error{"Tags": errors.New("git for-each-ref: broken")},
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err == nil || !warned(res.Errors, "broken") || res.SafetyClass != model.ClassB {
					t.Errorf("err %v, errors %q, class %q", err, res.Errors, res.SafetyClass)
				}
			}},
		{name: "the release's own evidence without a work tree", tag: "v1.1.0", tracker: &fakerepo.Tracker{},
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if len(f.Model.DHF.Tests) != 2 {
					t.Errorf("%d tests, want the tag's 2", len(f.Model.DHF.Tests))
				}
			}},
		{name: "the work tree's evidence at another commit warns", tag: "v1.1.0", tracker: &fakerepo.Tracker{},
			setup: func(src *check.Sources, h history) {
				src.WorkTree = fakerepo.Files(map[string]string{"reports/ci.xml": junit("SRS-001")})
				src.WorkHead = h.head
			},
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if len(f.Model.DHF.Tests) != 1 || !warned(warningsOf(res), "which is at commit "+model.ShortSHA(h.head)) {
					t.Errorf("%d tests, warnings %q", len(f.Model.DHF.Tests), warningsOf(res))
				}
			}},
		{name: "the evidence source's files for the tag's commit", tag: "v1.1.0", tracker: &fakerepo.Tracker{},
			setup: func(src *check.Sources, h history) {
				src.Evidence = fakerepo.Evidence{h.v110: fakerepo.Files(map[string]string{"reports/ci.xml": junit("SRS-001", "SRS-002", "SRS-003")})}
			},
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if len(f.Model.DHF.Tests) != 3 {
					t.Errorf("%d tests, want the evidence's 3", len(f.Model.DHF.Tests))
				}
			}},
		{name: "a release candidate is the work tree, placed in history by its HEAD", tracker: &fakerepo.Tracker{},
			setup: func(src *check.Sources, h history) {
				src.WorkTree = h.r.Files(h.c4)
				src.WorkHead = h.c4
			},
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if f.Tag != "" || f.Commit != h.c4 || f.Previous == nil || f.Previous.Name != "v1.1.0" || len(f.Commits) != 1 {
					t.Errorf("tag %q, commit %s, previous %+v, %d commits", f.Tag, f.Commit, f.Previous, len(f.Commits))
				}
			}},
		{name: "a release candidate without history", tracker: &fakerepo.Tracker{},
			setup: func(src *check.Sources, h history) {
				src.Repo = nil
				src.WorkTree = h.r.Files(h.c4)
			},
			check: func(t *testing.T, h history, f *gate.ReleaseFacts, res *gate.Result, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if !f.NoHistory || len(f.Commits) != 0 {
					t.Errorf("no history: %v, %d commits", f.NoHistory, len(f.Commits))
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}

package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
)

// verifiedPolicy is the policy of verifiedRepo; release holds the keys of
// its release section.
func verifiedPolicy(release string) string {
	return `version: 1
safety_class: A
requirements: [{path: "docs/req/**/*.yml"}]
tests: [{path: "reports/*.xml", format: junit}]
risks: []
test_sources: []
problem_reports: {labels: [], files: []}
change_requests: {labels: [], files: []}
soup: {sboms: ["sbom/*.json"], register: docs/soup/soup.yml}
release: {plans: [{name: Development plan, path: docs/plan.md}]` + release + `}
`
}

// verifiedRepo is a class A repository whose one requirement, SRS-001,
// has a passing test, with its plan, SBOM and register: a release of it
// passes unless something is added.
func verifiedRepo(t *testing.T, release string) *gittest.Repo {
	t.Helper()
	r := gittest.New(t)
	r.Write(".github/tracegate.yml", verifiedPolicy(release))
	r.Write("docs/req/a.yml", "- id: SRS-001\n  title: Dose\n  status: approved\n  text: The pump doses.\n")
	r.Write("reports/junit.xml", junitSRS001)
	r.Write("docs/plan.md", "# Development plan\n")
	r.Write("docs/soup/soup.yml", "soup: []\n")
	r.Write("sbom/bom.json", `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[]}`)
	return r
}

const junitSRS001 = `<testsuite name="s" tests="1"><testcase name="TestDose SRS-001" classname="x"/></testsuite>`

// releasedRepo is verifiedRepo released twice: v1.0.0, then v1.1.0 after
// a traced change and an untraced one. first is written as release.first
// when not empty.
func releasedRepo(t *testing.T, first string) *gittest.Repo {
	t.Helper()
	release := `, tag_pattern: "v*"`
	if first != "" {
		release += ", first: " + first
	}
	r := verifiedRepo(t, release)
	r.Commit("SRS-001 initial")
	r.Tag("v1.0.0", true, "1.0.0")
	r.Write("a.txt", "a")
	r.Commit("SRS-001 traced change")
	r.Write("b.txt", "b")
	r.Commit("untraced change")
	r.Tag("v1.1.0", true, "1.1.0")
	return r
}

// releaseRun is the outcome of check release: exit code, verdict, the
// evaluation errors, and whether TG301 judged the changes.
type releaseRun struct {
	code     int
	verdict  string
	errors   string
	tg301    string // the status of TG301 in the rules list
	previous string
}

func checkRelease(t *testing.T, dir string, args ...string) releaseRun {
	t.Helper()
	code, out, errs := tracegate(t, append([]string{"check", "release", "--dir", dir, "--format", "json"}, args...)...)
	var res struct {
		Verdict string
		Errors  []string
		Rules   []struct{ Rule, Status string }
		Release *struct {
			PreviousTag string `json:"previous_tag"`
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("exit %d, %v\n%s\n%s", code, err, out, errs)
	}
	run := releaseRun{code: code, verdict: res.Verdict, errors: strings.Join(res.Errors, "\n")}
	for _, r := range res.Rules {
		if r.Rule == "TG301" {
			run.tg301 = r.Status
		}
	}
	if res.Release != nil {
		run.previous = res.Release.PreviousTag
	}
	return run
}

// A release is a first release only when the policy says so or when the
// tags were fetched and none precedes it: a clone without tags or with a
// cut history is an evaluation error that says how to fetch them, never a
// first release whose untraced changes pass.
func TestFirstReleaseNotInferredFromMissingTags(t *testing.T) {
	const fetch = "fetch-depth: 0"
	const tags = "fetch-tags: true"
	origin := releasedRepo(t, "")

	t.Run("a full clone finds the previous release and fails the untraced change", func(t *testing.T) {
		c := gittest.Clone(t, origin)
		got := checkRelease(t, c.Dir(), "--tag", "v1.1.0")
		if got.code != 1 || got.previous != "v1.0.0" || got.tg301 != "fail" {
			t.Errorf("%+v", got)
		}
	})

	noTags := func(t *testing.T) *gittest.Repo {
		c := gittest.Clone(t, origin, "--no-tags")
		c.Run("fetch", "-q", "--no-tags", "origin", "tag", "v1.1.0") // what a tag push checks out
		return c
	}
	for _, tt := range []struct {
		name  string
		clone func(t *testing.T) *gittest.Repo
		args  []string
		want  []string
	}{
		{"git clone --no-tags", noTags, []string{"--tag", "v1.1.0"}, []string{fetch, tags, "origin", "v1.0.0"}},
		{"git clone --no-tags, release candidate", func(t *testing.T) *gittest.Repo {
			return gittest.Clone(t, origin, "--no-tags")
		}, nil, []string{fetch, tags, "v1.0.0"}},
		{"actions/checkout defaults (depth 1, no tags)", func(t *testing.T) *gittest.Repo {
			return gittest.Clone(t, origin, "--no-tags", "--depth", "1", "--branch", "v1.1.0")
		}, []string{"--tag", "HEAD"}, []string{fetch, tags, "shallow"}},
		{"no remote to fetch tags from", func(t *testing.T) *gittest.Repo {
			c := noTags(t)
			c.Run("remote", "remove", "origin")
			return c
		}, []string{"--tag", "v1.1.0"}, []string{"no remote", "release.first"}},
		{"a remote that cannot be listed", func(t *testing.T) *gittest.Repo {
			c := noTags(t)
			c.Run("remote", "set-url", "origin", "file://"+filepath.ToSlash(filepath.Join(t.TempDir(), "gone")))
			return c
		}, []string{"--tag", "v1.1.0"}, []string{"origin", fetch, tags, "release.first"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := checkRelease(t, tt.clone(t).Dir(), tt.args...)
			if got.code != 3 || got.verdict != "error" {
				t.Fatalf("exit %d, verdict %s (TG301 %s), want an evaluation error", got.code, got.verdict, got.tg301)
			}
			for _, w := range tt.want {
				if !strings.Contains(got.errors, w) {
					t.Errorf("the error does not say %q:\n%s", w, got.errors)
				}
			}
		})
	}

	t.Run("the evidence bundle of a clone without tags", func(t *testing.T) {
		code, _, errs := tracegate(t, "evidence", "--dir", noTags(t).Dir(), "--tag", "v1.1.0", "--out", t.TempDir())
		if code != 3 || !strings.Contains(errs, tags) {
			t.Errorf("exit %d\n%s", code, errs)
		}
	})

	t.Run("the previous release given by hand needs no tags", func(t *testing.T) {
		c := noTags(t)
		c.Run("remote", "remove", "origin")
		got := checkRelease(t, c.Dir(), "--tag", "v1.1.0", "--previous-tag", "v1.1.0~2")
		if got.code != 1 || got.tg301 != "fail" {
			t.Errorf("%+v", got)
		}
	})
}

// A real first release: declared in the policy, or proven by the remote's
// tags.
func TestFirstRelease(t *testing.T) {
	firstOnly := func(t *testing.T, first string) *gittest.Repo {
		r := releasedRepo(t, first)
		r.Run("tag", "-d", "v1.0.0")
		return r
	}
	isFirst := func(t *testing.T, got releaseRun) {
		t.Helper()
		if got.code == 3 || got.tg301 != "not_applicable" || got.previous != "" {
			t.Errorf("not judged as a first release: %+v", got)
		}
	}
	t.Run("release.first names the tag", func(t *testing.T) {
		isFirst(t, checkRelease(t, firstOnly(t, "v1.1.0").Dir(), "--tag", "v1.1.0"))
	})
	t.Run("another tag of the first release's commit", func(t *testing.T) {
		r := firstOnly(t, "v1.1.0")
		r.Tag("v1.1.1", true, "the same commit")
		isFirst(t, checkRelease(t, r.Dir(), "--tag", "v1.1.1"))
	})
	t.Run("release.first: true", func(t *testing.T) {
		isFirst(t, checkRelease(t, firstOnly(t, "true").Dir(), "--tag", "v1.1.0"))
	})
	t.Run("release.first: true for a release candidate", func(t *testing.T) {
		isFirst(t, checkRelease(t, firstOnly(t, "true").Dir()))
	})
	t.Run("the remote holds no earlier release tag", func(t *testing.T) {
		c := gittest.Clone(t, firstOnly(t, ""), "--no-tags")
		c.Run("fetch", "-q", "--no-tags", "origin", "tag", "v1.1.0")
		isFirst(t, checkRelease(t, c.Dir(), "--tag", "v1.1.0"))
	})
	t.Run("release.first names an earlier release that the clone lacks", func(t *testing.T) {
		c := gittest.Clone(t, releasedRepo(t, "v1.0.0"), "--no-tags")
		c.Run("fetch", "-q", "--no-tags", "origin", "tag", "v1.1.0")
		c.Run("remote", "remove", "origin")
		got := checkRelease(t, c.Dir(), "--tag", "v1.1.0")
		if got.code != 3 || !strings.Contains(got.errors, "v1.0.0") || !strings.Contains(got.errors, "fetch-tags: true") {
			t.Errorf("%+v", got)
		}
	})
	t.Run("release.first: true contradicted by the remote's tags", func(t *testing.T) {
		c := gittest.Clone(t, releasedRepo(t, "true"), "--no-tags")
		c.Run("fetch", "-q", "--no-tags", "origin", "tag", "v1.1.0")
		got := checkRelease(t, c.Dir(), "--tag", "v1.1.0")
		if got.code != 3 || !strings.Contains(got.errors, "v1.0.0") {
			t.Errorf("%+v", got)
		}
	})
	t.Run("release.first: true with the tags fetched is the earlier tag's", func(t *testing.T) {
		got := checkRelease(t, releasedRepo(t, "true").Dir(), "--tag", "v1.1.0")
		if got.code != 1 || got.previous != "v1.0.0" || got.tg301 != "fail" {
			t.Errorf("%+v", got)
		}
	})
}

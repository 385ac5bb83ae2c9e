package testreport_test

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/ingest/testreport"
	"github.com/tracegate/tracegate/internal/ingest/testtag"
	"github.com/tracegate/tracegate/internal/model"
)

// TestLoad reads every test report fixture with format: auto and every tag
// fixture through ingest.Load, the way the CLI does.
func TestLoad(t *testing.T) {
	cfg, err := config.Parse(".github/tracegate.yml", []byte(`version: 1
ids: { requirement: '(?:SRS|SYS)-\d+' }
requirements: []
risks: []
tests:
  - path: testdata/formats/junit/*.xml
  - path: testdata/formats/gotest-json/*.jsonl
test_sources: ['testdata/formats/testtags/**']
`))
	if err != nil {
		t.Fatal(err)
	}
	pats, err := cfg.Patterns()
	if err != nil {
		t.Fatal(err)
	}
	re := pats[config.KindRequirement]
	ids := func(text string) []string {
		var out []string
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			out = append(out, m[1])
		}
		return out
	}
	set := ingest.Set{Readers: testreport.Readers(), Tags: testtag.Scanner{}}
	dhf, err := ingest.Load(os.DirFS("../../.."), cfg, set, ids)
	if err != nil {
		t.Fatal(err)
	}

	var files []string
	for _, f := range dhf.Files {
		files = append(files, f.Path+" "+f.Kind+" "+f.Format)
	}
	sort.Strings(files)
	want := []string{
		"testdata/formats/gotest-json/report.jsonl tests gotest-json",
		"testdata/formats/junit/cargo-nextest.xml tests junit",
		"testdata/formats/junit/ctest.xml tests junit",
		"testdata/formats/junit/go-junit-report.xml tests junit",
		"testdata/formats/junit/gotestsum.xml tests junit",
		"testdata/formats/junit/gtest.xml tests junit",
		"testdata/formats/junit/jest-junit.xml tests junit",
		"testdata/formats/junit/phpunit.xml tests junit",
		"testdata/formats/junit/pytest.xml tests junit",
		"testdata/formats/junit/surefire.xml tests junit",
		"testdata/formats/testtags/BolusTest.java test-sources tags",
		"testdata/formats/testtags/dose_test.go test-sources tags",
		"testdata/formats/testtags/pump.test.js test-sources tags",
		"testdata/formats/testtags/pump_test.cpp test-sources tags",
		"testdata/formats/testtags/src/dose.rs test-sources tags",
		"testdata/formats/testtags/test_pump.py test-sources tags",
	}
	if strings.Join(files, "\n") != strings.Join(want, "\n") {
		t.Errorf("files:\n%s\nwant\n%s", strings.Join(files, "\n"), strings.Join(want, "\n"))
	}

	// 74 JUnit cases in nine reports, 14 from go test -json; those that
	// passed or were skipped and can link nothing are counted, not kept.
	if n := len(dhf.Tests) + dhf.Unkept.Total; n != 88 || dhf.Unkept.Total != 20 {
		t.Errorf("%d test cases, %d of them not kept; want 88, 20", n, dhf.Unkept.Total)
	}
	count := map[model.Outcome]int{model.Passed: dhf.Unkept.Passed, model.Skipped: dhf.Unkept.Skipped}
	links := 0
	for _, c := range dhf.Tests {
		count[c.Outcome]++
		links += len(c.Requirements)
		if !c.Outcome.Bad() && len(c.Requirements) == 0 && len(ids(c.ClassName+" "+c.Name)) == 0 && !tagged(dhf.Tags, c) {
			t.Errorf("%s kept, but it can link nothing", c.FullName())
		}
	}
	wantCount := map[model.Outcome]int{model.Passed: 32, model.Failed: 30, model.Errored: 12, model.Skipped: 14}
	for o, n := range wantCount {
		if count[o] != n {
			t.Errorf("%s: %d cases, want %d (all: %v)", o, count[o], n, count)
		}
	}
	// pytest 14, Surefire 6, go-junit-report 14, gtest 5.
	if links != 39 {
		t.Errorf("%d requirement links from reports, want 39", links)
	}

	if len(dhf.Tags) != 40 {
		t.Errorf("%d tags, want 40", len(dhf.Tags))
	}
	for _, tg := range dhf.Tags {
		for _, id := range tg.IDs {
			if !re.MatchString(id) {
				t.Errorf("tag %s holds %q", tg.Function, id)
			}
		}
	}
	var tagWarnings, flaky int
	for _, w := range dhf.Warnings {
		if strings.Contains(w.Msg, "Verifies tag") {
			tagWarnings++
		}
		if strings.Contains(w.Msg, "flaky") {
			flaky++
		}
	}
	if tagWarnings != 12 || flaky != 2 {
		t.Errorf("%d tag warnings (want 12), %d flaky warnings (want 2): %v", tagWarnings, flaky, dhf.Warnings)
	}
}

// tagged reports whether a Verifies: tag names one of the functions the
// case may have been written as.
func tagged(tags []model.TestTag, c model.TestCase) bool {
	for _, n := range c.NameCandidates() {
		for _, tg := range tags {
			if tg.Function == n {
				return true
			}
		}
	}
	return false
}

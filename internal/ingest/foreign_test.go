package ingest_test

import (
	"os"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/input"
)

func realFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile("../../testdata/formats/" + p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestForeignConventions: a file under the tests glob that holds another
// tool's convention is named for what it is. Test results tracegate does
// not read stay an evaluation error (they may hold a failure), with advice
// that gets the same results as JUnit XML; a file that holds no test result
// is skipped with a warning saying why.
func TestForeignConventions(t *testing.T) {
	const trx = `<?xml version="1.0" encoding="utf-8"?>
<TestRun id="1" name="ci" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results/></TestRun>`
	cases := []struct {
		name, path, data string
		want             string // the error's or warning's start
		advice           string // in the hint, or the warning
		evidence         bool
	}{
		{"Cucumber JSON report (cucumber-js 11.3.0)", "reports/cucumber-report.json", realFile(t, "foreign/cucumber-report.json"),
			"reports/cucumber-report.json: matched by tests[0] but a Cucumber JSON report (--format json), which tracegate does not read", "--format junit:reports/cucumber.xml", true},
		{"TAP (node --test, Node.js 20.20.2)", "reports/results.tap", realFile(t, "foreign/node-test.tap"),
			"reports/results.tap: matched by tests[0] but a TAP stream", "--test-reporter=junit", true},
		{"TAP without a version line", "reports/results.tap", "1..2\nok 1 - a\nnot ok 2 - b\n", "reports/results.tap: matched by tests[0] but a TAP stream", "junit", true},
		{"Visual Studio TRX", "reports/ci.trx", trx, "reports/ci.trx: matched by tests[0] but a Visual Studio test results file (.trx)", "JunitXml.TestLogger", true},
		{"Allure result", "reports/allure-results/0a1b-result.json", `{"uuid":"0a1b","historyId":"9f","fullName":"tests.test_a#test_b","status":"failed"}`,
			"reports/allure-results/0a1b-result.json: matched by tests[0] but an Allure result", "--junitxml", true},
		{"Jest JSON report", "reports/jest.json", `{"numFailedTestSuites":1,"numFailedTests":1,"testResults":[]}`, "reports/jest.json: matched by tests[0] but a Jest JSON report", "jest-junit", true},
		{"Cucumber messages", "reports/messages.json", `{"meta":{"protocolVersion":"26.0.1"}}` + "\n" + `{"gherkinDocument":{}}`, "reports/messages.json: matched by tests[0] but Cucumber messages", "junit", true},
		{"Cucumber configuration profile", "reports/cucumber.json", realFile(t, "foreign/cucumber.json"),
			"reports/cucumber.json: matched by tests[0] but a Cucumber configuration profile, not a test report; not read", "exclude:", false},
		{"Allure container", "reports/allure-results/1-container.json", `{"uuid":"1","children":["0a1b"],"befores":[]}`,
			"reports/allure-results/1-container.json: matched by tests[0] but an Allure container, executor or categories file, which holds no test result; not read", "exclude:", false},
		{"Istanbul coverage", "reports/coverage-final.json", `{"/src/a.js":{"path":"/src/a.js","statementMap":{},"fnMap":{}}}`,
			"reports/coverage-final.json: matched by tests[0] but an Istanbul coverage report", "exclude:", false},
		{"Cobertura coverage", "reports/coverage.xml", `<?xml version="1.0"?><coverage line-rate="0.9" branch-rate="0.8" version="7.4"></coverage>`,
			"reports/coverage.xml: matched by tests[0] but a Cobertura coverage report", "exclude:", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dhf, err := load(t, map[string]string{c.path: c.data, "reports/ok.xml": junit})
			if !c.evidence {
				if err != nil {
					t.Fatalf("error %v: a file that holds no test result is skipped with a warning", err)
				}
				for _, w := range dhf.Warnings {
					if strings.HasPrefix(w.String(), c.want) && strings.Contains(w.String(), c.advice) {
						if n := len(dhf.Tests) + dhf.Unkept.Total; n != 2 {
							t.Errorf("%d tests read, want the 2 of reports/ok.xml", n)
						}
						return
					}
				}
				t.Fatalf("no warning %q (with %q) in %v", c.want, c.advice, dhf.Warnings)
			}
			es, ok := err.(input.Errors)
			if !ok || len(es) != 1 {
				t.Fatalf("err = %#v, want one input error: test results that cannot be read fail the evaluation", err)
			}
			if !strings.HasPrefix(es[0].Error(), c.want) || !strings.Contains(es[0].Hint, c.advice) {
				t.Errorf("error\n  %s\n  hint %s\nwant it to start with\n  %s\nand the hint to say %q", es[0], es[0].Hint, c.want, c.advice)
			}
		})
	}
}

// TestForeignAdviceWorks: what the advice says to write is read. The files
// are what cucumber-js 11.3.0 (--format junit:FILE) and Node.js 20.20.2
// (--test-reporter=junit) wrote for the same runs as the files above.
func TestForeignAdviceWorks(t *testing.T) {
	for _, c := range []struct {
		file                         string
		passed, failed, skipped, all int
	}{
		{"ketryx-projects/aignostics-typescript-sdk/reports/cucumber-junit.xml", 3, 1, 1, 5},
		{"foreign/node-test-junit.xml", 1, 1, 1, 3},
	} {
		dhf, err := load(t, map[string]string{"reports/a.xml": realFile(t, c.file)})
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		var n = map[string]int{}
		for _, tc := range dhf.Tests {
			n[string(tc.Outcome)]++
		}
		n["passed"] += dhf.Unkept.Passed
		n["skipped"] += dhf.Unkept.Skipped
		if n["passed"] != c.passed || n["failed"] != c.failed || n["skipped"] != c.skipped {
			t.Errorf("%s: %v (unkept %+v), want %d passed, %d failed, %d skipped", c.file, n, dhf.Unkept, c.passed, c.failed, c.skipped)
		}
	}
}

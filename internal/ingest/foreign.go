package ingest

import (
	"bytes"
	"path"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
)

// Files a tests glob may match that hold a convention of another tool, one
// that tracegate does not read. Two kinds, told apart because fail-closed
// depends on it:
//
//   - test results in another format (a Cucumber JSON report, a .trx, TAP,
//     an Allure result, a Jest or Playwright JSON report): they may hold a
//     failing test, so the file stays an evaluation error (exit 3), and the
//     error names the convention and how to get the same results as JUnit
//     XML, which tracegate reads;
//   - files that are no test results at all (a Cucumber configuration
//     profile, a coverage report, Allure's containers, executor and
//     categories files): skipping them drops no evidence, so they are
//     skipped with a warning that names them and how to keep them out of
//     the glob.
//
// Anything else that no reader recognises stays an error (notRecognised).

// foreign is one convention found in a file.
type foreign struct {
	name     string // what the file is, for messages
	evidence bool   // it holds test results
	advice   string // what to do, for the message's hint
}

// junitAdvice is the end of every evidence hint: where the JUnit file goes.
const junitAdvice = " and let the policy's tests: glob (or --tests) match that file instead"

// foreignConvention tells which foreign convention the file at p holds,
// judging from its name and its first bytes.
func foreignConvention(p string, head []byte) (foreign, bool) {
	base := strings.ToLower(path.Base(p))
	t := bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))
	has := func(s ...string) bool {
		for _, x := range s {
			if !bytes.Contains(t, []byte(x)) {
				return false
			}
		}
		return true
	}
	starts := func(s string) bool { return bytes.HasPrefix(t, []byte(s)) }
	switch {
	case starts("[") && has(`"elements"`, `"keyword"`) && (has(`"steps"`) || has(`"uri"`)):
		return foreign{name: "a Cucumber JSON report (--format json)", evidence: true,
			advice: "let Cucumber write JUnit XML as well: cucumber-js --format junit:reports/cucumber.xml, cucumber-jvm --plugin junit:reports/cucumber.xml, behave --junit" + junitAdvice}, true
	case starts("{") && (has(`"gherkinDocument"`) || has(`"testRunStarted"`) || starts(`{"meta":`) && has(`"protocolVersion"`)):
		return foreign{name: "Cucumber messages (--format message)", evidence: true,
			advice: "let Cucumber write JUnit XML as well: cucumber-js --format junit:reports/cucumber.xml, cucumber-jvm --plugin junit:reports/cucumber.xml" + junitAdvice}, true
	case (base == "cucumber.json" || base == "cucumber.yaml" || base == "cucumber.yml") && (has(`"default"`) || starts("default:")):
		return foreign{name: "a Cucumber configuration profile, not a test report",
			advice: "leave it out of the tests glob (exclude: in the policy); the reports Cucumber writes are read as JUnit XML (--format junit:FILE)"}, true
	case has("<TestRun") && has("microsoft.com/schemas/VisualStudio/TeamTest"):
		return foreign{name: "a Visual Studio test results file (.trx)", evidence: true,
			advice: "let dotnet test write JUnit XML: add the JunitXml.TestLogger package and run dotnet test --logger \"junit;LogFilePath=reports/junit.xml\"" + junitAdvice}, true
	case has("<test-run") && has("testcasecount"):
		return foreign{name: "an NUnit 3 result file", evidence: true,
			advice: "let dotnet test write JUnit XML: add the JunitXml.TestLogger package and run dotnet test --logger \"junit;LogFilePath=reports/junit.xml\"" + junitAdvice}, true
	case starts("<?xml") && has("<assemblies") || starts("<assemblies"):
		return foreign{name: "an xUnit.net result file", evidence: true,
			advice: "let dotnet test write JUnit XML: add the JunitXml.TestLogger package and run dotnet test --logger \"junit;LogFilePath=reports/junit.xml\"" + junitAdvice}, true
	case starts("TAP version") || tapPlan(t):
		return foreign{name: "a TAP stream (Test Anything Protocol)", evidence: true,
			advice: "let the runner write JUnit XML (node --test --test-reporter=junit --test-reporter-destination=reports/junit.xml; prove --formatter TAP::Formatter::JUnit)" + junitAdvice}, true
	case strings.HasSuffix(base, "-result.json") && has(`"uuid"`, `"status"`) && (has(`"historyId"`) || has(`"fullName"`)):
		return foreign{name: "an Allure result (allure-results/*-result.json)", evidence: true,
			advice: "Allure results are the raw data of an Allure report; let the runner write JUnit XML beside them (pytest --junitxml, Jest with jest-junit, Surefire's reports)" + junitAdvice}, true
	case strings.HasSuffix(base, "-container.json") && has(`"uuid"`, `"children"`) || base == "executor.json" && has(`"buildName"`) || base == "categories.json" && has(`"matchedStatuses"`):
		return foreign{name: "an Allure container, executor or categories file, which holds no test result",
			advice: "leave the allure-results folder out of the tests glob (exclude: in the policy) and read JUnit XML instead"}, true
	case starts("{") && has(`"numFailedTests"`, `"testResults"`):
		return foreign{name: "a Jest JSON report (--json)", evidence: true,
			advice: "let Jest write JUnit XML with jest-junit (jest --reporters=default --reporters=jest-junit)" + junitAdvice}, true
	case starts("{") && has(`"suites"`, `"config"`) && has(`"stats"`):
		return foreign{name: "a Playwright JSON report", evidence: true,
			advice: "let Playwright write JUnit XML (--reporter=junit with PLAYWRIGHT_JUNIT_OUTPUT_NAME=reports/junit.xml)" + junitAdvice}, true
	case starts("{") && has(`"statementMap"`, `"fnMap"`) || starts("{") && has(`"total"`, `"lines"`, `"pct"`):
		return foreign{name: "an Istanbul coverage report, which holds no test result",
			advice: "leave coverage output out of the tests glob (exclude: in the policy)"}, true
	case has("<coverage") && (has("line-rate") || has("cobertura")):
		return foreign{name: "a Cobertura coverage report, which holds no test result",
			advice: "leave coverage output out of the tests glob (exclude: in the policy)"}, true
	case has("JACOCO") && has("<report"):
		return foreign{name: "a JaCoCo coverage report, which holds no test result",
			advice: "leave coverage output out of the tests glob (exclude: in the policy)"}, true
	}
	return foreign{}, false
}

// tapPlan reports whether t starts like a TAP stream without a version
// line: a plan ("1..4") followed by a test line.
func tapPlan(t []byte) bool {
	first, rest, _ := bytes.Cut(t, []byte("\n"))
	first = bytes.TrimSpace(first)
	n, m, ok := bytes.Cut(first, []byte(".."))
	if !ok || len(n) == 0 || len(m) == 0 || !allDigits(n) || !allDigits(m) {
		return false
	}
	rest = bytes.TrimSpace(rest)
	return len(rest) == 0 || bytes.HasPrefix(rest, []byte("ok")) || bytes.HasPrefix(rest, []byte("not ok")) || bytes.HasPrefix(rest, []byte("#"))
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// foreignOutcome is what reading a file of a foreign convention yields: an
// error naming the convention for test results, a warning for a file that
// holds none.
func foreignOutcome(j job, f foreign) outcome {
	if f.evidence {
		return outcome{err: input.Errorf(input.Pos{File: j.path},
			"matched by %s but %s, which tracegate does not read: its test results (failures included) cannot be judged", j.key, f.name).
			WithHint(f.advice)}
	}
	return outcome{items: &Items{Warnings: []input.Warning{input.Warnf(input.Pos{File: j.path},
		"matched by %s but %s; not read (%s)", j.key, f.name, f.advice)}}}
}

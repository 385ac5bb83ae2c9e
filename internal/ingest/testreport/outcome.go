package testreport

import (
	"fmt"
	"strings"

	"github.com/tracegate/tracegate/internal/model"
)

// resultElem is one result child of a JUnit <testcase>: failure, error,
// skipped, or a Surefire/nextest rerun element.
type resultElem struct {
	kind    string // element name as written: failure, error, skipped, flakyFailure, …
	message string // the message attribute
	typ     string // the type attribute
	text    string // the element's text (or its <stackTrace>), bounded
}

// summary is the one-line-first text a finding shows for the element.
func (r resultElem) summary() string {
	switch {
	case strings.TrimSpace(r.message) != "":
		return clip(r.message)
	case strings.TrimSpace(r.text) != "":
		return clip(r.text)
	}
	return clip(r.typ)
}

// caseResult is what a <testcase> said about its outcome.
type caseResult struct {
	status string // status attribute (ctest, GoogleTest)
	result string // result attribute (GoogleTest ≥ 1.10)
	elems  []resultElem
	output tailText // end of <system-out>, for a failure that carries no message
}

func (c *caseResult) first(kinds ...string) (resultElem, bool) {
	for _, e := range c.elems {
		for _, k := range kinds {
			if e.kind == k {
				return e, true
			}
		}
	}
	return resultElem{}, false
}

func (c *caseResult) count(kinds ...string) int {
	n := 0
	for _, e := range c.elems {
		for _, k := range kinds {
			if e.kind == k {
				n++
			}
		}
	}
	return n
}

// ctestSkip reports whether a ctest "notrun" reason is one ctest itself
// counts as skipped (SKIP_RETURN_CODE=77, SKIP_REGULAR_EXPRESSION_MATCHED,
// Disabled). Any other reason ("Unable to find executable", "Fixture
// dependency failed", "Required Files Missing") is a test ctest lists under
// "The following tests FAILED", and so is tracegate.
func ctestSkip(reason string) bool {
	r := strings.TrimSpace(reason)
	return strings.HasPrefix(r, "SKIP_") || strings.EqualFold(r, "Disabled")
}

// decide maps a test case to an outcome, following the producers:
//
//  1. <failure> → failed; <error> → error. A case that holds both (pytest: a
//     failing test whose teardown also errs) is failed.
//  2. <rerunFailure>/<rerunError> with no final <failure>/<error> → failed.
//     Surefire and nextest write the final failure first and the reruns after
//     it; a rerun element alone means the final verdict is missing, and a
//     missing verdict never counts as a pass.
//  3. status attribute: ctest writes run|fail|notrun|disabled, GoogleTest
//     run|notrun with result completed|skipped|suppressed. fail → failed;
//     disabled, and GoogleTest's suppressed (DISABLED_ tests) → skipped;
//     notrun → skipped when ctest says why it skipped (SKIP_…, Disabled) or
//     gives no reason (GoogleTest), else error (ctest could not run it).
//  4. <skipped> → skipped (pytest's xfail is a skip of type pytest.xfail).
//  5. only <flakyFailure>/<flakyError> → passed: the test failed, was rerun
//     and passed, and Surefire, nextest and the build all count it as
//     passed. The message says so, and the caller warns, so that the
//     flakiness is visible in the output instead of read as a clean pass.
//  6. nothing → passed.
//
// note is a warning to report with the case ("" for none).
func (c *caseResult) decide() (o model.Outcome, msg, note string) {
	if e, ok := c.first("failure"); ok {
		return model.Failed, c.orOutput(e.summary()), ""
	}
	if e, ok := c.first("error"); ok {
		return model.Errored, c.orOutput(e.summary()), ""
	}
	if n := c.count("rerunFailure", "rerunError"); n > 0 {
		e, _ := c.first("rerunFailure", "rerunError")
		return model.Failed, c.orOutput(e.summary()),
			fmt.Sprintf("%d rerun failure(s) but no final <failure> or <error>; counted as failed", n)
	}
	skip, hasSkip := c.first("skipped")
	switch st := strings.ToLower(strings.TrimSpace(c.status)); st {
	case "fail", "failed", "failure":
		return model.Failed, c.orOutput(""), ""
	case "error", "errored":
		return model.Errored, c.orOutput(""), ""
	case "disabled":
		return model.Skipped, orText(skip.summary(), "disabled"), ""
	case "notrun":
		if hasSkip && !ctestSkip(skip.message) {
			return model.Errored, "not run: " + orText(skip.summary(), "no reason given"), ""
		}
		if hasSkip {
			return model.Skipped, skip.summary(), ""
		}
		return model.Skipped, orText(c.resultText(), "not run"), ""
	case "skipped", "skip":
		return model.Skipped, orText(skip.summary(), "skipped"), ""
	case "", "run", "passed", "pass", "success", "completed", "ok":
	default:
		note = fmt.Sprintf("unknown status %q; the outcome is taken from the case's elements", c.status)
	}
	switch strings.ToLower(strings.TrimSpace(c.result)) {
	case "suppressed":
		return model.Skipped, orText(skip.summary(), "disabled (suppressed)"), note
	case "skipped":
		return model.Skipped, orText(skip.summary(), "skipped"), note
	// QtTest's -xunitxml writes the function's incident as result:
	case "fail":
		return model.Failed, c.orOutput("the result says fail"), note
	case "xpass":
		return model.Failed, qtXPass, note
	case "xfail":
		return model.Skipped, qtXFail, note
	case "bpass", "bfail", "bxpass", "bxfail":
		return model.Skipped, "blacklisted (QtTest " + strings.ToLower(strings.TrimSpace(c.result)) + "): its result is not counted", note
	}
	if hasSkip {
		return model.Skipped, skip.summary(), note
	}
	if n := c.count("flakyFailure", "flakyError"); n > 0 {
		e, _ := c.first("flakyFailure", "flakyError")
		msg := fmt.Sprintf("passed on rerun after %d failed attempt(s); first failure: %s", n, orText(e.summary(), "no message"))
		return model.Passed, clip(msg), joinNote(note,
			fmt.Sprintf("flaky: passed only on rerun after %d failed attempt(s); counted as passed", n))
	}
	return model.Passed, "", note
}

// resultText describes GoogleTest's result attribute for a case not run.
func (c *caseResult) resultText() string {
	if c.result == "suppressed" {
		return "disabled (suppressed)"
	}
	return ""
}

// orOutput falls back to the end of the case's output: ctest writes
// <failure message=""/> and puts what went wrong in <system-out>.
func (c *caseResult) orOutput(msg string) string {
	if msg != "" {
		return msg
	}
	if out := c.output.String(); out != "" {
		return out
	}
	return "no message in the report"
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// QtTest's expected failures, as its readers show them: an xfail (a check
// that failed as QEXPECT_FAIL said it would) verifies nothing, so it is
// skipped, as pytest's xfail is; an xpass is a failure, as QtTest counts it.
const (
	qtXFail = "expected failure (QtTest xfail): what it checks is not verified"
	qtXPass = "passed unexpectedly (QtTest xpass: an expected failure did not occur)"
)

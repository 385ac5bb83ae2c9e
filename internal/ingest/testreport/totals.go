package testreport

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// A JUnit suite declares its totals in attributes (tests, failures,
// errors). A report truncated by a crashed runner or a full disk, or merged
// from several runs by a tool that kept the totals but not every case,
// declares more than it holds; the cases it lacks may be the ones that
// failed. The reader compares each suite's declared totals with the cases
// read inside it, nested suites included, and adds an errored case for a
// suite that lacks some, so that the gate fails on it. Only a surplus
// counts: producers disagree on whether tests counts skipped cases, so
// holding more than declared is no sign of a lost case.
//
// Producers also count failures and errors their own way: gotestsum's root
// counts a package's build failure both as a failure and as an error while
// the report holds one failed case for it. So a surplus of failures and
// errors alone marks a suite incomplete when none of its cases failed, or
// when it declares no tests count that would show a lost case; a suite that
// holds every case it declares and some failures is judged by those.

// declared is what a suite's attributes declare; -1 when an attribute is
// absent (absent is not zero: many producers write none).
type declared struct{ tests, failures, errors int }

func (d declared) any() bool { return d.tests >= 0 || d.failures >= 0 || d.errors >= 0 }

// tally counts what the reader holds: test cases, and failures plus errors
// as producers count them (a case with both a <failure> and an <error>,
// pytest's failing test whose teardown errs, counts twice).
type tally struct{ cases, bad int }

func (t *tally) add(bad int) {
	t.cases++
	t.bad += bad
}

// declaredBad is how many of failures + errors this case accounts for.
func (c *caseResult) declaredBad(o model.Outcome) int {
	n := 0
	if _, ok := c.first("failure"); ok {
		n++
	}
	if _, ok := c.first("error"); ok {
		n++
	}
	if n == 0 && o.Bad() {
		n = 1 // told by a status attribute, or by reruns alone
	}
	return n
}

// declared reads the totals a suite's start tag declares. what names the
// suite in warnings.
func (r *junitReader) declared(t xml.StartElement, pos input.Pos, what string) declared {
	count := func(name string) int {
		v, ok := attrOK(t, name)
		if !ok {
			return -1
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			r.warn(pos, "suite %s: %s=%q is not a count; the report's completeness is not checked against it", what, name, v)
			return -1
		}
		return n
	}
	return declared{tests: count("tests"), failures: count("failures"), errors: count("errors")}
}

// checkTotals compares what the closing frame declares with what was read
// inside it, and adds an errored case when the frame lacks cases. The
// shortfall is credited to the enclosing frames, so that a suite that lost
// cases is reported once, not again by each of its parents.
func (r *junitReader) checkTotals(fr *frame) {
	if !fr.decl.any() {
		return
	}
	held := tally{cases: r.held.cases - fr.at.cases, bad: r.held.bad - fr.at.bad}
	lostCases, lostBad := 0, 0
	if fr.decl.tests >= 0 {
		lostCases = max(fr.decl.tests-held.cases, 0)
	}
	if d := max(fr.decl.failures, 0) + max(fr.decl.errors, 0); d > held.bad && (held.bad == 0 || fr.decl.tests < 0 || lostCases > 0) {
		lostBad = d - held.bad
	}
	if lostCases == 0 && lostBad == 0 {
		return
	}
	r.held.cases += lostCases
	r.held.bad += lostBad

	name, what := fr.name, "suite "+strconv.Quote(fr.name)
	if !fr.suite {
		name, what = "<testsuites>", "the report's <testsuites>"
	} else if name == "" {
		name, what = "<testsuite>", "a suite without a name"
	}
	var decl []string
	for _, d := range []struct {
		n         int
		one, many string
	}{{fr.decl.tests, "test", "tests"}, {fr.decl.failures, "failure", "failures"}, {fr.decl.errors, "error", "errors"}} {
		if d.n >= 0 {
			decl = append(decl, plural(d.n, d.one, d.many))
		}
	}
	bad := "no failure or error"
	if held.bad > 0 {
		bad = plural(held.bad, "failure or error", "failures or errors")
	}
	suite := ""
	if fr.suite {
		suite = fr.name
	}
	r.items.Tests = append(r.items.Tests, model.TestCase{
		Suite:   suite,
		Name:    name + " (report incomplete)",
		Outcome: model.Errored,
		Message: fmt.Sprintf("%s declares %s, but holds %s and %s: the report is incomplete (truncated, or merged from runs it does not hold all of), and the cases it lacks may have failed",
			what, joinAnd(decl), plural(held.cases, "test case", "test cases"), bad),
		Source: fr.pos,
		Format: "junit",
	})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(parts []string) string {
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

package testreport

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/model"
)

// TestJUnitDeclaredTotals: a suite whose tests, failures or errors
// attributes declare more than the cases it holds is an incomplete report
// (truncated, or merged from runs it does not hold all of): the missing
// cases may have failed, so the reader adds an errored case that says so,
// carrying the suite's links. An attribute that is absent declares nothing.
func TestJUnitDeclaredTotals(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want []string // rows of the incomplete cases: suite|class|name|outcome|links
		msg  string   // substring of the first incomplete case's message
		warn string   // substring of the only warning, "" for none
	}{
		{name: "truncated: more tests declared than held",
			src:  `<testsuite name="s" tests="3" failures="0" errors="0"><testcase name="a"/></testsuite>`,
			want: []string{"s||s (report incomplete)|error|"},
			msg:  `suite "s" declares 3 tests, 0 failures and 0 errors, but holds 1 test case and no failure or error`},
		{name: "more failures declared than held, no tests count",
			src:  `<testsuite name="s" failures="2"><testcase name="a"/><testcase name="b"><failure/></testcase></testsuite>`,
			want: []string{"s||s (report incomplete)|error|"},
			msg:  `suite "s" declares 2 failures, but holds 2 test cases and 1 failure or error`},
		{name: "failures declared and tests held, none failed",
			src:  `<testsuite name="s" tests="1" failures="1"><testcase name="a"/></testsuite>`,
			want: []string{"s||s (report incomplete)|error|"}},
		{name: "every declared case held, one counted twice (gotestsum's build failure)",
			src: `<testsuites tests="2" failures="1" errors="1"><testsuite name="p" tests="0" failures="0"><testcase name="TestMain"><failure/></testcase></testsuite><testsuite name="q" tests="1"><testcase name="a"/></testsuite></testsuites>`},
		{name: "errors declared, none held",
			src:  `<testsuite name="s" errors="1"><testcase name="a"/></testsuite>`,
			want: []string{"s||s (report incomplete)|error|"},
			msg:  "declares 1 error"},
		{name: "the root's totals count too",
			src:  `<testsuites tests="10" failures="1"><testsuite name="s"><testcase name="a"/></testsuite></testsuites>`,
			want: []string{"||<testsuites> (report incomplete)|error|"}},
		{name: "absent attributes declare nothing",
			src: `<testsuite name="s"><testcase name="a"/></testsuite>`},
		{name: "totals that agree",
			src: `<testsuite name="s" tests="3" failures="1" errors="1" skipped="1"><testcase name="a"><failure/></testcase><testcase name="b"><error/></testcase><testcase name="c"><skipped/></testcase></testsuite>`},
		{name: "fewer declared than held is not incomplete",
			src: `<testsuite name="s" tests="1" failures="0"><testcase name="a"/><testcase name="b"><failure/></testcase></testsuite>`},
		{name: "a case with a failure and an error counts for both (pytest's failing test whose teardown errs)",
			src: `<testsuite name="s" tests="1" failures="1" errors="1"><testcase name="a"><failure/><error/></testcase></testsuite>`},
		{name: "a failure told by a status attribute counts (ctest)",
			src: `<testsuite name="s" tests="1" failures="1"><testcase name="a" status="fail"/></testsuite>`},
		{name: "nested suites: the inner suite that lost cases is reported, not its parents again",
			src: `<testsuites tests="4" failures="1"><testsuite name="outer" tests="4" failures="1">
<testsuite name="inner" tests="3" failures="1"><testcase name="a"/></testsuite><testcase name="b"/></testsuite></testsuites>`,
			want: []string{"inner||inner (report incomplete)|error|"}},
		{name: "nested suites: a parent that declares more than its children hold",
			src:  `<testsuite name="outer" tests="5"><testsuite name="inner" tests="2"><testcase name="a"/><testcase name="b"/></testsuite></testsuite>`,
			want: []string{"outer||outer (report incomplete)|error|"}},
		{name: "the incomplete case carries the suite's links",
			src:  `<testsuite name="s" tests="2"><properties><property name="requirement" value="SRS-1"/></properties><testcase name="a"/></testsuite>`,
			want: []string{"s||s (report incomplete)|error|SRS-1"}},
		{name: "a count that is not a number is said, not read as zero",
			src:  `<testsuite name="s" tests="many"><testcase name="a"/></testsuite>`,
			warn: `suite "s": tests="many" is not a count; the report's completeness is not checked against it`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			items, err := readJUnit(c.src)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			var first *model.TestCase
			for i, tc := range items.Tests {
				if strings.HasSuffix(tc.Name, "(report incomplete)") {
					r := row(tc)
					got = append(got, r[strings.IndexByte(r, '|')+1:])
					if first == nil {
						first = &items.Tests[i]
					}
				}
			}
			diffLines(t, got, c.want)
			if c.msg != "" && (first == nil || !strings.Contains(first.Message, c.msg)) {
				t.Errorf("message %+v, want it to contain %q", first, c.msg)
			}
			if first != nil && !strings.Contains(first.Message, "the report is incomplete") {
				t.Errorf("message %q does not say the report is incomplete", first.Message)
			}
			var want []string
			if c.warn != "" {
				want = []string{c.warn}
			}
			checkWarnings(t, items.Warnings, want)
		})
	}
}

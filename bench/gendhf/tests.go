package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// shapes cycles the producers of the JUnit files: two pytest, two Maven
// Surefire, one go-junit-report in every five.
var shapes = []string{"pytest", "pytest", "surefire", "surefire", "gojunit"}

// reportEpoch is the (fixed) time of the first test run.
var reportEpoch = time.Date(2025, 3, 3, 9, 30, 0, 0, time.UTC)

func (d *dhf) genTests(r *rand.Rand) {
	// The pool of requirements tests link to leaves out about 1 % of the
	// active ones, so that the trace shows unverified requirements as a
	// real project's does.
	var pool []string
	for _, i := range d.activeTested() {
		if r.IntN(100) == 0 {
			continue
		}
		pool = append(pool, d.reqs[i].id)
	}
	if len(pool) == 0 {
		pool = []string{d.reqs[0].id}
	}
	link := func() string { return pool[r.IntN(len(pool))] }

	funcSeq := 0
	for f := 0; f < d.p.junitFiles; f++ {
		n := d.p.tests*(f+1)/d.p.junitFiles - d.p.tests*f/d.p.junitFiles
		it := items[f%len(items)]
		jf := junitFile{shape: shapes[f%len(shapes)], timestamp: reportEpoch.Add(time.Duration(f) * 7 * time.Minute)}
		switch jf.shape {
		case "pytest":
			jf.path = fmt.Sprintf("reports/junit/system-%02d.xml", f+1)
			jf.suite = "pytest"
			xunit1 := f%10 == 0
			var module, file string
			for k := 0; k < n; k++ {
				if k%25 == 0 {
					topic := it.topics[r.IntN(len(it.topics))]
					base := "test_" + it.pkg + "_" + snake(topic) + fmt.Sprintf("_%02d", k/25+1)
					module = "tests.system." + base
					file = "tests/system/" + base + ".py"
				}
				tc := testCase{classname: module, name: "test_" + snake(srsTitle(r, "")), duration: ms(r, 4000)}
				if xunit1 {
					tc.file, tc.line = file, 10+k%25*14
				}
				switch u := r.IntN(100); {
				case u < 60:
					tc.props = append(tc.props, [2]string{"requirement", link()})
				case u < 66:
					tc.props = append(tc.props, [2]string{"requirement", link()}, [2]string{"requirement", link()})
				case u < 70:
					tc.props = append(tc.props, [2]string{"requirement", link() + " " + link()})
				case u < 85:
					tc.name += "[" + link() + "]"
				default:
					tc.name += fmt.Sprintf("[case%d]", k%7)
				}
				tc.outcome = draw(r, true)
				jf.cases = append(jf.cases, tc)
			}
		case "surefire":
			topic := it.topics[r.IntN(len(it.topics))]
			jf.suite = "com.syringeflow." + it.javaPkg + "." + camel(topic) + fmt.Sprintf("Test%02d", f+1)
			jf.path = "reports/junit/TEST-" + jf.suite + ".xml"
			method := camelLower(srsTitle(r, topic))
			for k := 0; k < n; k++ {
				if k%40 == 0 {
					method = camelLower(srsTitle(r, topic))
				}
				tc := testCase{classname: jf.suite, duration: ms(r, 300)}
				if r.IntN(4) != 0 {
					tc.name = fmt.Sprintf("[%d] %s, %s", k%40+1, link(), argument(r))
				} else {
					tc.name = fmt.Sprintf("%s(String, double)[%d]", method, k%40+1)
				}
				tc.outcome = draw(r, false)
				jf.cases = append(jf.cases, tc)
			}
		case "gojunit":
			jf.goPackage = "src/" + it.name
			jf.suite = "example.com/benchdhf/src/" + it.name
			jf.path = fmt.Sprintf("reports/junit/go-%s-%02d.xml", it.pkg, f+1)
			for k := 0; k < n; {
				funcSeq++
				fn := goFunc{name: "Test" + camel(srsAction(r, it.topics[r.IntN(len(it.topics))])) + fmt.Sprintf("%04d", funcSeq)}
				if r.IntN(10) < 7 {
					fn.verifies = []string{link()}
					if r.IntN(7) == 0 {
						fn.verifies = append(fn.verifies, link())
					}
					fn.inside = r.IntN(10) < 3
				}
				skip := r.IntN(50) == 0
				if !skip && n-k >= 4 && r.IntN(2) == 0 {
					fn.subtests = 3
				}
				parent := testCase{classname: jf.suite, name: fn.name, duration: ms(r, 50)}
				switch {
				case skip:
					parent.outcome = skipped
				case fn.subtests == 0 && r.IntN(100) == 0:
					parent.outcome = failed
				}
				var subs []testCase
				for s := 1; s <= fn.subtests; s++ {
					sub := testCase{classname: jf.suite, name: fmt.Sprintf("%s/case_%d", fn.name, s), duration: ms(r, 20)}
					if r.IntN(100) == 0 {
						sub.outcome = failed
						parent.outcome = failed // a failed subtest fails its parent
					}
					subs = append(subs, sub)
				}
				jf.cases = append(jf.cases, parent)
				jf.cases = append(jf.cases, subs...)
				jf.goFuncs = append(jf.goFuncs, fn)
				k += 1 + fn.subtests
			}
		}
		d.junit = append(d.junit, jf)
	}
}

// draw picks an outcome: about 1 % failures and 2 % skips; Surefire runs
// also see the odd error (a test that could not run to a verdict).
func draw(r *rand.Rand, pytest bool) outcome {
	switch u := r.IntN(1000); {
	case u < 10:
		return failed
	case u < 30:
		return skipped
	case u < 32 && !pytest:
		return errored
	}
	return passed
}

func ms(r *rand.Rand, maxMS int) time.Duration {
	return time.Duration(r.IntN(maxMS*1000)) * time.Microsecond
}

func snake(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(strings.ToLower(s), notAlnum) {
		if b.Len() > 0 {
			b.WriteByte('_')
		}
		b.WriteString(w)
	}
	return b.String()
}

func camel(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(s, notAlnum) {
		b.WriteString(strings.ToUpper(w[:1]) + strings.ToLower(w[1:]))
	}
	return b.String()
}

func camelLower(s string) string {
	c := camel(s)
	if c == "" {
		return c
	}
	return strings.ToLower(c[:1]) + c[1:]
}

func notAlnum(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

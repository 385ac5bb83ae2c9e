package main

import (
	"fmt"
	"strings"
	"time"
)

// The three JUnit shapes follow what the producers write:
//   - pytest ≥ 7 (_pytest/junitxml.py): ElementTree output on one line after
//     the declaration, <testsuites><testsuite name="pytest" …>, empty
//     elements as " />", user properties inside the testcase, <skipped
//     type="pytest.skip" message=…>path:line: reason</skipped>;
//   - Maven Surefire 3 (surefire-test-report-3.0.xsd): one <testsuite> root
//     per class, JVM properties, failures with type and a CDATA stack trace;
//   - go-junit-report v2: tab-indented <testsuites>, go.version property,
//     subtests as TestX/case, message="Failed"/"Skipped" with CDATA output.

func (d *dhf) writeJUnit(w *writer) error {
	for _, jf := range d.junit {
		var s string
		switch jf.shape {
		case "pytest":
			s = pytestXML(jf)
		case "surefire":
			s = surefireXML(jf)
		default:
			s = goJUnitXML(jf)
		}
		if err := w.write(jf.path, s); err != nil {
			return err
		}
	}
	return nil
}

// attr escapes an attribute value as ElementTree and encoding/xml do.
var attr = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\n", "&#10;", "\r", "&#13;", "\t", "&#09;").Replace

var text = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

func secs(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

func counts(cs []testCase) (failures, errors, skips int, total time.Duration) {
	for _, c := range cs {
		switch c.outcome {
		case failed:
			failures++
		case errored:
			errors++
		case skipped:
			skips++
		}
		total += c.duration
	}
	return
}

func pytestXML(jf junitFile) string {
	f, e, s, total := counts(jf.cases)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><testsuites>`)
	fmt.Fprintf(&b, `<testsuite name="pytest" errors="%d" failures="%d" skipped="%d" tests="%d" time="%s" timestamp="%s" hostname="ci-runner-07">`,
		e, f, s, len(jf.cases), secs(total+1234*time.Millisecond), jf.timestamp.Format("2006-01-02T15:04:05.000000"))
	for _, c := range jf.cases {
		fmt.Fprintf(&b, `<testcase classname="%s" name="%s"`, attr(c.classname), attr(c.name))
		if c.file != "" {
			fmt.Fprintf(&b, ` file="%s" line="%d"`, attr(c.file), c.line)
		}
		fmt.Fprintf(&b, ` time="%s"`, secs(c.duration))
		if len(c.props) == 0 && c.outcome == passed {
			b.WriteString(" />")
			continue
		}
		b.WriteString(">")
		if len(c.props) > 0 {
			b.WriteString("<properties>")
			for _, p := range c.props {
				fmt.Fprintf(&b, `<property name="%s" value="%s" />`, attr(p[0]), attr(p[1]))
			}
			b.WriteString("</properties>")
		}
		src := strings.ReplaceAll(strings.TrimPrefix(c.classname, "tests.system."), ".", "/")
		switch c.outcome {
		case failed:
			msg := "AssertionError: assert 1.3 == 1.4"
			fmt.Fprintf(&b, `<failure message="%s">%s</failure>`, attr(msg),
				text(fmt.Sprintf("tests/system/%s.py:%d: in %s\n    assert status[\"rate_mlh\"] == 1.4\nE   %s", src, 40+c.line, c.name, msg)))
		case skipped:
			reason := "requires hardware: HIL rig (set SYRINGEFLOW_HIL)"
			fmt.Fprintf(&b, `<skipped type="pytest.skip" message="%s">%s</skipped>`, attr(reason),
				text(fmt.Sprintf("/builds/syringeflow/sp1/tests/system/%s.py:%d: %s", src, 12+c.line, reason)))
		}
		b.WriteString("</testcase>")
	}
	b.WriteString("</testsuite></testsuites>")
	return b.String()
}

var jvmProperties = [][2]string{
	{"java.version", "17.0.15"}, {"java.vendor", "Eclipse Adoptium"}, {"os.name", "Linux"},
	{"os.arch", "amd64"}, {"file.encoding", "UTF-8"}, {"user.timezone", "UTC"},
	{"maven.version", "3.9.9"}, {"surefire.test.class.path", "target/test-classes:target/classes"},
}

func surefireXML(jf junitFile) string {
	f, e, s, total := counts(jf.cases)
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	fmt.Fprintf(&b, `<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd" version="3.0" name="%s" time="%s" tests="%d" errors="%d" skipped="%d" failures="%d">`+"\n",
		attr(jf.suite), secs(total), len(jf.cases), e, s, f)
	b.WriteString("  <properties>\n")
	for _, p := range jvmProperties {
		fmt.Fprintf(&b, "    <property name=\"%s\" value=\"%s\"/>\n", attr(p[0]), attr(p[1]))
	}
	b.WriteString("  </properties>\n")
	for _, c := range jf.cases {
		fmt.Fprintf(&b, `  <testcase name="%s" classname="%s" time="%s"`, attr(c.name), attr(c.classname), secs(c.duration))
		simple := c.classname[strings.LastIndex(c.classname, ".")+1:]
		switch c.outcome {
		case passed:
			b.WriteString("/>\n")
		case skipped:
			b.WriteString(">\n    <skipped message=\"Disabled until CR-0042: drug library 2025.1\"/>\n  </testcase>\n")
		case failed:
			msg := "expected: <Rejected> but was: <NeedsConfirmation>"
			fmt.Fprintf(&b, ">\n    <failure message=\"%s\" type=\"org.opentest4j.AssertionFailedError\"><![CDATA[org.opentest4j.AssertionFailedError: %s\n\tat %s.rejectsDoseAboveHardLimit(%s.java:58)\n]]></failure>\n    <system-out><![CDATA[limits: entry loaded from library 2024.2\n]]></system-out>\n  </testcase>\n",
				attr(msg), msg, c.classname, simple)
		case errored:
			msg := "Connection refused: localhost/127.0.0.1:5432"
			fmt.Fprintf(&b, ">\n    <error message=\"%s\" type=\"java.net.ConnectException\"><![CDATA[java.net.ConnectException: %s\n\tat %s.setUp(%s.java:31)\n]]></error>\n  </testcase>\n",
				attr(msg), msg, c.classname, simple)
		}
	}
	b.WriteString("</testsuite>\n")
	return b.String()
}

func goJUnitXML(jf junitFile) string {
	f, _, s, total := counts(jf.cases)
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	fmt.Fprintf(&b, "<testsuites tests=\"%d\"%s%s>\n", len(jf.cases), optCount("failures", f), optCount("skipped", s))
	fmt.Fprintf(&b, "\t<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" hostname=\"ci-runner-03\"%s time=\"%s\" timestamp=\"%s\">\n",
		attr(jf.suite), len(jf.cases), f, optCount("skipped", s), secs(total), jf.timestamp.Format(time.RFC3339))
	b.WriteString("\t\t<properties>\n\t\t\t<property name=\"go.version\" value=\"go1.22.5 linux/amd64\"></property>\n\t\t</properties>\n")
	file := goSourceName(jf)
	for i, c := range jf.cases {
		fmt.Fprintf(&b, "\t\t<testcase name=\"%s\" classname=\"%s\" time=\"%s\">", attr(c.name), attr(c.classname), secs(c.duration))
		switch c.outcome {
		case failed:
			if strings.Contains(c.name, "/") || i+1 == len(jf.cases) || !strings.HasPrefix(jf.cases[i+1].name, c.name+"/") {
				fmt.Fprintf(&b, "\n\t\t\t<failure message=\"Failed\"><![CDATA[    %s:%d: got 3, want 4]]></failure>\n\t\t", file, 20+i%40)
			} else {
				b.WriteString("\n\t\t\t<failure message=\"Failed\"></failure>\n\t\t") // the parent of a failed subtest
			}
		case skipped:
			fmt.Fprintf(&b, "\n\t\t\t<skipped message=\"Skipped\"><![CDATA[    %s:%d: requires hardware: SP-1 drive board]]></skipped>\n\t\t", file, 12+i%40)
		}
		b.WriteString("</testcase>\n")
	}
	b.WriteString("\t</testsuite>\n</testsuites>\n")
	return b.String()
}

func optCount(name string, n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" %s=\"%d\"", name, n)
}

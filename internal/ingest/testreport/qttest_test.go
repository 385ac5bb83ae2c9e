package testreport

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

const qtDir = "testdata/formats/qttest/"

// QtTest's own XML and its -xunitxml of the same run (Qt 5.15.8, the
// fixture's tst_pump.cpp) read to the same verdicts: the failed data row
// fails, the QSKIP is skipped (the xunit form writes it only as a comment),
// the QEXPECT_FAIL is skipped (what it checks is not verified), the rest
// pass. The own XML has a case per data row.
func TestQtTestReal(t *testing.T) {
	summary := func(cases []model.TestCase) []string {
		var out []string
		for _, c := range cases {
			out = append(out, c.FullName()+" "+string(c.Outcome))
		}
		return out
	}
	p := qtDir + "qttest.xml"
	if !(QtTest{}).Detect(repo, p, mustRead(t, p)) || (JUnit{}).Detect(repo, p, mustRead(t, p)) {
		t.Error("QtTest's XML is not told from JUnit")
	}
	items, err := QtTest{}.Read(repo, p)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"TestPump.initTestCase passed", "TestPump.bolusLimit passed", "TestPump.rateRounding passed",
		"TestPump.occlusionAlarm[low] passed", "TestPump.occlusionAlarm[high] passed", "TestPump.occlusionAlarm[limit] failed",
		"TestPump.batteryGauge skipped", "TestPump.knownDisplayBug skipped", "TestPump.cleanupTestCase passed",
	}
	if got := summary(items.Tests); !reflect.DeepEqual(got, want) {
		t.Errorf("cases:\n%q\nwant\n%q", got, want)
	}
	fail := items.Tests[5]
	if !strings.HasPrefix(fail.Message, "Compared values are not the same") || fail.Source.Line != 20 {
		t.Errorf("failure: %q at %v", fail.Message, fail.Source)
	}
	if xf := items.Tests[7].Message; !strings.Contains(xf, "PRB-007: the display truncates long drug names") || !strings.HasPrefix(xf, "expected failure (QtTest xfail)") {
		t.Errorf("xfail message %q", xf)
	}
	// The bracketed data tag is a parametrisation: a Verifies: tag on the
	// function links every row.
	if c := items.Tests[3].NameCandidates(); c[0] != "occlusionAlarm" {
		t.Errorf("name candidates %q", c)
	}

	x, err := JUnit{}.Read(repo, qtDir+"qttest-xunit.xml")
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"initTestCase passed", "bolusLimit passed", "rateRounding passed", "occlusionAlarm failed",
		"batteryGauge skipped", "knownDisplayBug skipped", "cleanupTestCase passed"}
	if got := summary(x.Tests); !reflect.DeepEqual(got, want) {
		t.Errorf("xunit cases:\n%q\nwant\n%q", got, want)
	}
	if x.Tests[4].Message != "no battery simulator on this bench" {
		t.Errorf("skip message %q", x.Tests[4].Message)
	}
}

// QtTest 5.7.1's XML from a project kept with rdm (rdm's own test data):
// messages between functions, a failure with a multi-line description.
func TestQtTestRDMFixture(t *testing.T) {
	items, err := QtTest{}.Read(repo, qtDir+"rdm__integration.xml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range items.Tests {
		got = append(got, c.FullName()+" "+string(c.Outcome))
	}
	want := []string{"some_module.SomeName::someTestCase passed", "some_module.SomeName::someOtherTestCase failed",
		"some_module.ConfigPage::initTestCase passed", "some_module.ConfigPage::cleanupTestCase passed"}
	if !reflect.DeepEqual(got, want) || !strings.HasPrefix(items.Tests[1].Message, "Uncaught exception: The incorrect number of segments") {
		t.Errorf("cases %q, message %q", got, items.Tests[1].Message)
	}
}

func TestQtTestErrors(t *testing.T) {
	const file = "report.xml"
	head := `<?xml version="1.0" encoding="UTF-8"?>` + "\n<TestCase name=\"T\">\n"
	for _, tc := range []struct{ name, src, want string }{
		{"unknown incident", head + "<TestFunction name=\"f\">\n<Incident type=\"green\" file=\"\" line=\"0\" />\n</TestFunction>\n</TestCase>\n",
			`report.xml:4:1: QtTest incident type "green" is not one tracegate knows`},
		{"truncated", head + "<TestFunction name=\"f\">\n<Incident type=\"pass\" file=\"\" line=\"0\" />\n", "report.xml:5:1: malformed XML: unexpected EOF"},
		{"another root", "<testsuite/>", "root element <testsuite>, expected QtTest's <TestCase>"},
		{"empty", "", "no XML element in the file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := QtTest{}.Read(fstest.MapFS{file: {Data: []byte(tc.src)}}, file)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	// A function that recorded nothing (the run stopped in it) is an error
	// case, never a pass.
	items, err := QtTest{}.Read(fstest.MapFS{file: {Data: []byte(head + "<TestFunction name=\"f\">\n</TestFunction>\n</TestCase>\n")}}, file)
	if err != nil || len(items.Tests) != 1 || items.Tests[0].Outcome != model.Errored {
		t.Errorf("items %+v, %v", items, err)
	}
}

func FuzzQtTest(f *testing.F) {
	for _, n := range []string{"qttest.xml", "rdm__integration.xml"} {
		f.Add(mustReadF(f, qtDir+n))
	}
	f.Add([]byte(`<TestCase name="T"><TestFunction name="f"><Message type="skip"><DataTag>a</DataTag></Message><Incident type="bfail"><DataTag>b</DataTag></Incident><Duration msecs="-1e400"/></TestFunction></TestCase>`))
	const p = "reports/qt.xml"
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{p: {Data: data}}
		QtTest{}.Detect(fsys, p, data[:min(len(data), input.HeadLen)])
		all, err := QtTest{}.Read(fsys, p)
		checkItems(t, "qttest", p, all, err)
		checkKept(t, QtTest{}, fsys, p, all, err)
	})
}

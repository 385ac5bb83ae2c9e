package testreport

import (
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

const rdmProjects = "testdata/formats/rdm-projects/"

// rdm's test records as rdm's template writes them, and as two projects
// that keep their design history file with rdm committed them (the same
// records: both started from rdm's template). The failure rdm's template
// accepts with a note stays a failure, carrying the note as its evaluation.
func TestRDMRecordsReal(t *testing.T) {
	for _, dir := range []string{"rdm-template/regulatory/data", "acpsem-thursday/regulatory/data", "respiraworks-ventilator/regulatory/data"} {
		t.Run(dir, func(t *testing.T) {
			read := func(name string) []model.TestCase {
				t.Helper()
				p := rdmProjects + dir + "/" + name
				if !(RDM{}).Detect(repo, p, mustRead(t, p)) {
					t.Errorf("%s is not detected as rdm", p)
				}
				items, err := RDM{}.Read(repo, p)
				if err != nil {
					t.Fatal(err)
				}
				if len(items.Warnings) != 0 {
					t.Errorf("%s: warnings %v", name, items.Warnings)
				}
				return items.Tests
			}
			unit := read("unit_test_record.yml")
			if len(unit) != 2 {
				t.Fatalf("unit records: %+v", unit)
			}
			pass, fail := unit[0], unit[1]
			if pass.FullName() != "TestClass.TestName1" || pass.Outcome != model.Passed || !reflect.DeepEqual(pass.Requirements, []string{"SR-12"}) || pass.Evaluation != "" {
				t.Errorf("first record: %+v", pass)
			}
			// rdm's key is the test's name; the name field inside says
			// TestName1 for both records, as the template writes it.
			if fail.FullName() != "TestClass.TestName2" || fail.Outcome != model.Failed ||
				fail.Evaluation != "It is okay that this test failed because of XYZ" || fail.Message != "the record says fail and gives no message" {
				t.Errorf("accepted failure: %+v", fail)
			}
			integration := read("integration_test_record.yml")
			var outcomes []string
			for _, tc := range integration {
				outcomes = append(outcomes, tc.FullName()+" "+string(tc.Outcome)+" "+strings.Join(tc.Requirements, ","))
			}
			want := []string{"TestClass.TestName100 passed SR-13,SR-14", "TestClass.TestName200 failed SR-17", "TestClass.TestName300 passed SR-17"}
			if !reflect.DeepEqual(outcomes, want) {
				t.Errorf("integration records: %v, want %v", outcomes, want)
			}
			if integration[1].Message != "Assertion failed: 127 != 0" {
				t.Errorf("message: %q", integration[1].Message)
			}
			manual := read("manual_tests.yml")
			outcomes = nil
			for _, tc := range manual {
				if !tc.Manual {
					t.Errorf("%s is not marked manual", tc.FullName())
				}
				outcomes = append(outcomes, tc.FullName()+" "+string(tc.Outcome)+" "+strings.Join(tc.Requirements, ",")+" "+tc.Evaluation)
			}
			want = []string{"ManualTest1.step 5 passed SR-18 ", "ManualTest1.step 6 failed SR-19 Allowed because of XYZ", "ManualTest2.step 1 passed SR-11,SR-12 "}
			if !reflect.DeepEqual(outcomes, want) {
				t.Errorf("manual steps:\n%q\nwant\n%q", outcomes, want)
			}
		})
	}
}

func TestRDMRecords(t *testing.T) {
	const file = "regulatory/data/unit_test_record.yml"
	for _, tc := range []struct {
		name, src string
		want      []string // FullName outcome message
		err       string
		warn      string
	}{
		{name: "translator results", src: "A.a:\n  result: completed\nA.b:\n  result: suppressed\nA.c:\n  result: xfail\nA.d:\n  result: xpass\nA.e:\n  result: bfail\nA.f:\n  result: error\n  message: boom\n",
			want: []string{"A.a passed ", "A.b skipped ", "A.c skipped expected failure (QtTest xfail): what it checks is not verified",
				"A.d failed passed unexpectedly (QtTest xpass: an expected failure did not occur)", "A.e skipped blacklisted (QtTest bfail): its result is not counted", "A.f error boom"}},
		{name: "req_ids as a string", src: "T:\n  result: pass\n  req_ids: SRS-1, SRS-2\n", want: []string{"T passed "}},
		{name: "unknown result is an error", src: "T:\n  result: green\n", err: file + `:2:11: T.result: "green" is not a result tracegate knows`},
		{name: "no result is an error", src: "T:\n  message: x\n", err: file + ":2:3: T: no result"},
		{name: "record not a mapping", src: "T: pass\n", err: file + `:1:4: test "T": expected a record`},
		{name: "unknown key is reported once", src: "A:\n  result: pass\n  owner: x\nB:\n  result: pass\n  owner: y\n",
			want: []string{"A passed ", "B passed "}, warn: file + `:3:3: key "owner" is not one of rdm's test record keys`},
		{name: "empty file", src: "", warn: file + ": file holds no test records"},
		{name: "a list that is not manual tests", src: "- 3\n", err: file + ":1:3: [0]: expected a manual test"},
		{name: "manual step without result", src: "- name: M\n  steps:\n    - step: 1\n", err: file + ":3:7: [0].steps[0]: no result"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, err := RDM{}.Read(fstest.MapFS{file: {Data: []byte(tc.src)}}, file)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range items.Tests {
				got = append(got, c.FullName()+" "+string(c.Outcome)+" "+c.Message)
			}
			if len(got) != len(tc.want) || (len(got) > 0 && !reflect.DeepEqual(got, tc.want)) {
				t.Errorf("cases:\n%q\nwant\n%q", got, tc.want)
			}
			if tc.warn != "" && (len(items.Warnings) != 1 || !strings.HasPrefix(items.Warnings[0].String(), tc.warn)) {
				t.Errorf("warnings %v, want %q", items.Warnings, tc.warn)
			}
		})
	}
}

func FuzzRDM(f *testing.F) {
	for _, dir := range []string{"rdm-template/regulatory/data", "acpsem-thursday/regulatory/data"} {
		for _, n := range []string{"unit_test_record.yml", "integration_test_record.yml", "manual_tests.yml"} {
			f.Add(mustReadF(f, rdmProjects+dir+"/"+n))
		}
	}
	for _, s := range []string{"T:\n  result: [x]\n", "- name: M\n  steps: {}\n", "T: {result: pass, req_ids: [1, {a: b}]}\n", "a: &a {result: *a}\n", "? [x]\n: y\n"} {
		f.Add([]byte(s))
	}
	const p = "data/unit_test_record.yml"
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{p: {Data: data}}
		RDM{}.Detect(fsys, p, data[:min(len(data), input.HeadLen)])
		items, err := RDM{}.Read(fsys, p)
		if err != nil {
			var es input.Errors
			if e, ok := input.AsError(err); ok {
				es = input.Errors{e}
			} else if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %T is neither *input.Error nor input.Errors: %v", err, err)
			}
			for _, e := range es {
				if e.Pos.File != p {
					t.Fatalf("error names %q: %v", e.Pos.File, e)
				}
			}
			return
		}
		checkItems(t, "rdm", p, items, nil)
	})
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	data, err := fs.ReadFile(repo, p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustReadF(f *testing.F, p string) []byte {
	f.Helper()
	data, err := fs.ReadFile(repo, p)
	if err != nil {
		f.Fatal(err)
	}
	return data
}

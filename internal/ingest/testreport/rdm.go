package testreport

import (
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// RDM reads the test records of rdm, the Regulatory Documentation Manager
// (https://github.com/innolitics/rdm), which its test record template
// (rdm/init_files/documents/test_record.md) renders as the unit,
// integration and manual test tables of the software test record:
//
//   - data/unit_test_record.yml and data/integration_test_record.yml, as
//     `rdm translate` writes them from GoogleTest, xUnit or QtTest XML, and
//     teams complete by hand: a mapping from the test's name to a record
//
//     TestClass.TestName2:
//     message: "Assertion failed: 127 != 0"
//     name: TestClass.TestName1
//     result: fail
//     req_ids: [SR-12]
//     note: 'It is okay that this test failed because of XYZ'
//
//   - data/manual_tests.yml, kept by hand: a list of manual tests, each with
//     steps that have their own result, requirement IDs and note.
//
// The record's key is the test's name (the template's "Test Name" column;
// the name field inside is what the XML said and may differ, as in rdm's own
// template); it is split at its last dot into class and name as rdm's
// translator joined them. req_ids link the test to requirements. result is
// what rdm's translator writes — pass, fail, skip, GoogleTest's completed,
// skipped and suppressed, QtTest's incident types — or what a person
// writes; a result tracegate does not know is an error, never a guess.
// QtTest's xfail (an expected failure) is skipped, as pytest's xfail is:
// what it expected to fail was not verified; xpass (an unexpected pass) is
// a failure, as QtTest counts it; the blacklisted results (bpass, bfail,
// bxpass, bxfail) are skipped, since QtTest does not count them.
//
// A note is the team's evaluation of the result. rdm's template writes one
// to accept a failure ("It is okay that this test failed because of XYZ"):
// tracegate keeps it as the failure's evaluation, shown with it, and the test
// stays failed — accepting a failure is a decision for the person who reads
// the evaluation, not for a gate.
type RDM struct{}

func (RDM) Kind() ingest.Kind { return ingest.Tests }
func (RDM) Format() string    { return "rdm" }

var (
	// rdmRecordKeys are the keys of a test record.
	rdmRecordKeys = []string{"name", "result", "message", "req_ids", "note"}
	// rdmManualKeys are the keys of a manual test and of its steps.
	rdmManualKeys = []string{"name", "steps"}
	rdmStepKeys   = []string{"step", "result", "req_ids", "note"}

	rdmResultRE = lazyre.New(`^\s+result\s*:`)
	rdmLinkRE   = lazyre.New(`^\s+(?:req_ids|message)\s*:`)
	rdmStepsRE  = lazyre.New(`^\s+steps\s*:`)
)

// Detect accepts a YAML file named as rdm names its test records, or whose
// head has the keys of one (an indented result: beside req_ids: or
// message:, or a list of tests with steps:).
func (RDM) Detect(fsys fs.FS, p string, head []byte) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".yml", ".yaml":
	default:
		return false
	}
	lines := strings.Split(string(yamlsrc.Head(fsys, p, head)), "\n")
	result := slices.ContainsFunc(lines, rdmResultRE().MatchString)
	if !result {
		return false
	}
	base := strings.ToLower(path.Base(p))
	if strings.Contains(base, "test_record") || strings.HasPrefix(base, "manual_tests.") {
		return true
	}
	return slices.ContainsFunc(lines, rdmLinkRE().MatchString) || slices.ContainsFunc(lines, rdmStepsRE().MatchString)
}

func (r RDM) Read(fsys fs.FS, p string) (*ingest.Items, error) {
	data, err := input.ReadAll(fsys, p, 0)
	if err != nil {
		return nil, err
	}
	docs, err := yamlsrc.Documents(p, data)
	if err != nil {
		return nil, err
	}
	if len(docs) > 1 {
		return nil, input.Errorf(yamlsrc.Pos(p, docs[1]), "holds %d YAML documents; rdm reads one", len(docs)).
			WithHint("remove the extra '---' document separator")
	}
	d := &rdmRecords{file: p, items: &ingest.Items{}, unknown: map[string]input.Pos{}}
	var v any
	if len(docs) == 1 {
		if v, d.pos, err = yamlsrc.Value(p, docs[0]); err != nil {
			return nil, err
		}
	}
	switch x := v.(type) {
	case nil:
	case map[string]any:
		for _, k := range d.keys(x, "") {
			d.record(k, yamlsrc.Pointer([]string{k}), x[k])
		}
	case []any:
		for i, t := range x {
			d.manual("/"+strconv.Itoa(i), t)
		}
	default:
		return nil, input.Errorf(d.at(""), "expected rdm test records (a mapping from test name to {result, req_ids, ...}) or manual tests (a list of {name, steps}), got %s", yamlsrc.Describe(v))
	}
	if len(d.errs) > 0 {
		yamlsrc.SortErrors(d.errs)
		return nil, d.errs
	}
	if len(d.items.Tests) == 0 {
		d.items.Warnings = append(d.items.Warnings, input.Warnf(input.Pos{File: p}, "file holds no test records"))
	}
	keys := make([]string, 0, len(d.unknown))
	for k := range d.unknown {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return d.unknown[keys[i]].Before(d.unknown[keys[j]]) })
	for _, k := range keys {
		d.items.Warnings = append(d.items.Warnings, input.Warnf(d.unknown[k], "key %q is not one of rdm's test record keys (%s); ignored in every record of this file",
			k, strings.Join(append(append([]string{}, rdmRecordKeys...), "steps", "step"), ", ")))
	}
	return d.items, nil
}

// rdmRecords reads one file of rdm test records.
type rdmRecords struct {
	file    string
	pos     map[string]input.Pos
	items   *ingest.Items
	errs    input.Errors
	unknown map[string]input.Pos // key → first place
}

func (d *rdmRecords) at(ptr string) input.Pos {
	p := yamlsrc.Lookup(d.pos, ptr)
	p.File = d.file
	return p
}

func (d *rdmRecords) fail(ptr, format string, args ...any) *input.Error {
	e := input.Errorf(d.at(ptr), format, args...)
	d.errs = append(d.errs, e)
	return e
}

// keys returns the keys of the mapping at ptr in file order.
func (d *rdmRecords) keys(m map[string]any, ptr string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		pi := d.at(ptr + yamlsrc.Pointer([]string{keys[i]}) + "#key")
		pj := d.at(ptr + yamlsrc.Pointer([]string{keys[j]}) + "#key")
		if pi != pj {
			return pi.Before(pj)
		}
		return keys[i] < keys[j]
	})
	return keys
}

// note the keys of m not in known.
func (d *rdmRecords) checkKeys(m map[string]any, ptr string, known []string) {
	for k := range m {
		if !slices.Contains(known, k) {
			at := d.at(ptr + yamlsrc.Pointer([]string{k}) + "#key")
			if prev, seen := d.unknown[k]; !seen || at.Before(prev) {
				d.unknown[k] = at
			}
		}
	}
}

// text reads a scalar; a list or mapping where text belongs is an error.
func (d *rdmRecords) text(m map[string]any, ptr, key string) string {
	switch x := m[key].(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	default:
		d.fail(ptr+"/"+key, "%s: expected text, got %s", yamlsrc.DottedKey(ptr+"/"+key), yamlsrc.Describe(x))
		return ""
	}
}

// ids reads req_ids: a list of IDs, or IDs in one string.
func (d *rdmRecords) ids(m map[string]any, ptr string) []string {
	var out []string
	switch x := m["req_ids"].(type) {
	case nil:
	case []any:
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				d.fail(ptr+"/req_ids/"+strconv.Itoa(i), "%s.req_ids[%d]: expected a requirement ID, got %s", yamlsrc.DottedKey(ptr), i, yamlsrc.Describe(e))
				continue
			}
			out = appendUnique(out, model.SplitLinks(s)...)
		}
	default:
		out = appendUnique(out, model.SplitLinks(d.text(m, ptr, "req_ids"))...)
	}
	return out
}

// result reads a result as rdm and its translator write it.
func (d *rdmRecords) result(m map[string]any, ptr string) (model.Outcome, string, bool) {
	written := d.text(m, ptr, "result")
	switch strings.ToLower(written) {
	case "pass", "passed", "ok", "completed", "success":
		return model.Passed, "", true
	case "fail", "failed", "failure", "xpass":
		msg := ""
		if strings.EqualFold(written, "xpass") {
			msg = qtXPass
		}
		return model.Failed, msg, true
	case "error", "errored":
		return model.Errored, "", true
	case "skip", "skipped", "suppressed", "disabled", "notrun":
		return model.Skipped, "", true
	case "xfail":
		return model.Skipped, qtXFail, true
	case "bpass", "bfail", "bxpass", "bxfail":
		return model.Skipped, "blacklisted (QtTest " + strings.ToLower(written) + "): its result is not counted", true
	case "":
		d.fail(ptr, "%s: no result", yamlsrc.DottedKey(ptr)).
			WithHint("write result: pass, fail or skip (rdm translate writes it from the test report)")
	default:
		d.fail(ptr+"/result", "%s.result: %q is not a result tracegate knows", yamlsrc.DottedKey(ptr), written).
			WithHint("write pass, fail, error or skip (or a result rdm translate writes: completed, suppressed, xfail, xpass, ...)")
	}
	return "", "", false
}

func (d *rdmRecords) record(name, ptr string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		d.fail(ptr, "test %q: expected a record ({result, req_ids, message, note}), got %s", name, yamlsrc.Describe(v))
		return
	}
	d.checkKeys(m, ptr, rdmRecordKeys)
	n := len(d.errs)
	out, why, ok := d.result(m, ptr)
	msg := d.text(m, ptr, "message")
	note := d.text(m, ptr, "note")
	ids := d.ids(m, ptr)
	d.text(m, ptr, "name")
	if !ok || len(d.errs) > n {
		return
	}
	if out.Bad() && msg == "" && why == "" {
		why = "the record says " + d.text(m, ptr, "result") + " and gives no message"
	}
	tc := model.TestCase{Name: name, Outcome: out, Message: clip(orText(msg, why)), Requirements: ids,
		Evaluation: clip(note), Source: d.at(ptr + "#key"), Format: "rdm"}
	if i := strings.LastIndexByte(name, '.'); i > 0 && i < len(name)-1 {
		tc.ClassName, tc.Name = name[:i], name[i+1:]
	}
	d.items.Tests = append(d.items.Tests, tc)
}

func (d *rdmRecords) manual(ptr string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		d.fail(ptr, "%s: expected a manual test ({name, steps}), got %s", yamlsrc.DottedKey(ptr), yamlsrc.Describe(v))
		return
	}
	d.checkKeys(m, ptr, rdmManualKeys)
	name := d.text(m, ptr, "name")
	if name == "" {
		d.fail(ptr, "%s: a manual test without a name", yamlsrc.DottedKey(ptr)).
			WithHint("rdm's manual tests are {name: ManualTest1, steps: [{step: 1, result: pass, req_ids: [...]}]}")
		return
	}
	steps, ok := m["steps"].([]any)
	if !ok {
		d.fail(ptr, "manual test %q: expected a list of steps, got %s", name, yamlsrc.Describe(m["steps"]))
		return
	}
	for i, s := range steps {
		sp := ptr + "/steps/" + strconv.Itoa(i)
		sm, ok := s.(map[string]any)
		if !ok {
			d.fail(sp, "manual test %q, step %d: expected {step, result, req_ids}, got %s", name, i+1, yamlsrc.Describe(s))
			continue
		}
		d.checkKeys(sm, sp, rdmStepKeys)
		n := len(d.errs)
		step := d.text(sm, sp, "step")
		if step == "" {
			step = strconv.Itoa(i + 1)
		}
		out, why, ok := d.result(sm, sp)
		note := d.text(sm, sp, "note")
		ids := d.ids(sm, sp)
		if !ok || len(d.errs) > n {
			continue
		}
		if out.Bad() && why == "" {
			why = "the step's result is " + d.text(sm, sp, "result")
		}
		d.items.Tests = append(d.items.Tests, model.TestCase{ClassName: name, Name: "step " + step, Outcome: out, Message: why,
			Requirements: ids, Evaluation: clip(note), Manual: true, Source: d.at(sp), Format: "rdm"})
	}
}

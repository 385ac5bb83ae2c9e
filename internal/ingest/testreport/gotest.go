package testreport

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// GoTestJSON reads the event stream of go test -json (cmd/test2json: one
// JSON object per line with Time, Action, Package, Test, Elapsed, Output;
// since Go 1.24 also build-output/build-fail events keyed by ImportPath and
// FailedBuild on the package's fail event).
//
// It never lets a broken run look like a clean one: a test that started but
// never reported a result (the binary crashed, os.Exit, a timeout) is an
// error, and so is a package that failed without a failing test (a build
// failure, a panic in init or TestMain, a race report after the tests).
type GoTestJSON struct{}

func (GoTestJSON) Kind() ingest.Kind { return ingest.Tests }
func (GoTestJSON) Format() string    { return "gotest-json" }
func (GoTestJSON) Streams()          {}

// Detect accepts a .json, .jsonl, .log or .txt file whose first line that
// starts with "{" is a JSON object with an Action key. Lines before it that
// are not JSON are allowed, however many (up to input.MaxProlog, streamed):
// go test -json 2>&1 can start with raw output ("go: downloading …").
func (GoTestJSON) Detect(fsys fs.FS, p string, head []byte) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".json", ".jsonl", ".log", ".txt":
	default:
		return false
	}
	line, _, _ := bytes.Cut(input.AfterProlog(fsys, p, head, chatter), []byte("\n"))
	return hasActionKey(line)
}

// chatter reads past a BOM and the lines before the first that starts
// with "{": what go and the build print before test2json's first event.
func chatter(br *bufio.Reader) error {
	input.SkipBOM(br)
	return input.SkipLines(br, func(c byte) bool { return c != '{' })
}

// hasActionKey reports whether the JSON object that line starts with has a
// top-level "Action" key, reading only as far as needed (the line may be cut
// at the end of the detection head).
func hasActionKey(line []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(line))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return false
		}
		if k == "Action" {
			return true
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return false
}

// event is one test2json event.
type event struct {
	Action      string
	Package     string
	Test        string
	Elapsed     *float64
	Output      string
	ImportPath  string // build-output, build-fail (Go ≥ 1.24)
	FailedBuild string // on a package's fail event (Go ≥ 1.24)
}

// maxRawWarnings caps the warnings for lines that are not events; the rest
// are counted in one more warning.
const maxRawWarnings = 20

// goTest is one (Package, Test) while the stream is read.
type goTest struct {
	name    string
	line    int
	action  string // final action: pass, fail, skip, bench; "" while running
	elapsed time.Duration
	output  headText
	failed  bool // an earlier run of the same test failed (-count=N)
}

// goPackage is one package while the stream is read.
type goPackage struct {
	name   string
	line   int
	tests  []*goTest
	byName map[string]*goTest
	action string // final package action
	failed string // FailedBuild
	output headText
	done   bool // its result arrived and its cases were decided
}

type goTestReader struct {
	file  string
	items *ingest.Items
	keep  ingest.Keep
	// pkgs are the packages seen, in order; byPkg the ones still running.
	pkgs  []*goPackage
	byPkg map[string]*goPackage
	build map[string]*headText // build output by ImportPath
	// buildFail holds the line of each build-fail event by ImportPath; a
	// package's fail event names its failed build in FailedBuild.
	buildFail  map[string]int
	buildOrder []string
	events     int
	raw        int
	rawFirst   int
	why        string // why the first line that looked like an event is none
}

// Read reads one go test -json stream, keeping every test case.
func (g GoTestJSON) Read(fsys fs.FS, p string) (*ingest.Items, error) {
	return g.ReadCases(fsys, p, nil)
}

// ReadCases reads one go test -json stream, keeping the test cases keep
// accepts. A package's cases are decided when its result arrives, and the
// package is let go then: memory grows with the packages running at once
// and the cases kept, not with the stream.
func (GoTestJSON) ReadCases(fsys fs.FS, p string, keep ingest.Keep) (*ingest.Items, error) {
	f, err := input.Open(fsys, p, input.MaxReport)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := &goTestReader{file: p, items: &ingest.Items{}, keep: keep, byPkg: map[string]*goPackage{}, build: map[string]*headText{}, buildFail: map[string]int{}}
	if err := r.scan(f); err != nil {
		return nil, err
	}
	if r.events == 0 {
		msg := "no go test -json event in the file"
		if r.why != "" {
			msg += ": " + r.why
		}
		return nil, input.Errorf(input.Pos{File: p}, "%s", msg).
			WithHint("run go test with -json, or set the format of this file in the policy")
	}
	r.finish()
	return r.items, nil
}

// scan reads the stream line by line. Lines can be megabytes long (a test
// that prints a big blob): bufio.Reader grows with them, where a
// bufio.Scanner would stop at 64 KB.
func (r *goTestReader) scan(src io.Reader) error {
	br := bufio.NewReaderSize(src, 64<<10)
	for n := 1; ; n++ {
		line, long, err := readLine(br, input.MaxLine)
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		}
		line = bytes.TrimSpace(line)
		if long && len(line) > 0 && line[0] == '{' {
			// test2json writes at most about 1 KiB of output per event.
			return input.Errorf(input.Pos{File: r.file, Line: n}, "line %d is longer than %s, which no go test -json event is", n, input.HumanSize(input.MaxLine)).
				WithHint("the stream is corrupt or not go test -json; regenerate it with go test -json")
		}
		if len(line) > 0 {
			r.line(line, n)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			if e, ok := input.AsError(err); ok {
				return e
			}
			return input.Errorf(input.Pos{File: r.file, Line: n}, "cannot read: %v", err)
		}
	}
	if r.raw > maxRawWarnings {
		r.warn(r.rawFirst, "%d more lines are not go test -json events (raw output of go test or the build)", r.raw-maxRawWarnings)
	}
	return nil
}

// readLine reads a line of at most max bytes, without its line end; long
// reports that the line was longer and its rest was skipped.
func readLine(br *bufio.Reader, max int) (line []byte, long bool, err error) {
	total := 0
	for {
		frag, err := br.ReadSlice('\n')
		total += len(frag)
		if room := max + 1 - len(line); room > 0 {
			line = append(line, frag[:min(len(frag), room)]...)
		}
		if err != bufio.ErrBufferFull {
			if len(frag) > 0 && frag[len(frag)-1] == '\n' {
				total--
			}
			line = bytes.TrimSuffix(line, []byte("\n"))
			return line[:min(len(line), max)], total > max, err
		}
	}
}

func (r *goTestReader) warn(line int, format string, args ...any) {
	r.items.Warnings = append(r.items.Warnings, input.Warnf(input.Pos{File: r.file, Line: line}, format, args...))
}

// rawLine skips line n, which is no event; why says what it is instead,
// for a line that looks like one ("" for plain text).
func (r *goTestReader) rawLine(n int, text, why string) {
	r.raw++
	if why != "" && r.why == "" {
		r.why = fmt.Sprintf("line %d is %s", n, why)
	}
	if r.raw <= maxRawWarnings {
		if len(text) > 120 {
			text = text[:120] + "…"
		}
		if why != "" {
			r.warn(n, "not a go test -json event (%s), skipped: %q", why, text)
		} else {
			r.warn(n, "not a go test -json event, skipped: %q", text)
		}
	} else if r.raw == maxRawWarnings+1 {
		r.rawFirst = n
	}
}

// notEvent says why a line that starts with "{" is no event.
func notEvent(err error) string {
	var se *json.SyntaxError
	switch {
	case err == nil:
		return "a JSON object without an Action"
	case strings.Contains(err.Error(), "exceeded max depth"):
		return "JSON nested more than 10000 levels deep"
	case errors.As(err, &se):
		return "not JSON (" + strings.TrimPrefix(err.Error(), "json: ") + ")"
	}
	return "not a go test -json event (" + strings.TrimPrefix(err.Error(), "json: ") + ")"
}

func (r *goTestReader) line(b []byte, n int) {
	if len(b) == 0 {
		return
	}
	if b[0] != '{' {
		r.rawLine(n, string(b), "")
		return
	}
	var ev event
	if err := json.Unmarshal(b, &ev); err != nil || ev.Action == "" {
		r.rawLine(n, string(b), notEvent(err))
		return
	}
	r.events++
	switch ev.Action {
	case "build-output":
		h := r.build[ev.ImportPath]
		if h == nil {
			h = &headText{}
			r.build[ev.ImportPath] = h
		}
		h.addString(ev.Output)
		return
	case "build-fail":
		if _, seen := r.buildFail[ev.ImportPath]; !seen {
			r.buildFail[ev.ImportPath] = n
			r.buildOrder = append(r.buildOrder, ev.ImportPath)
		}
		return
	}
	if ev.Package == "" {
		r.warn(n, "go test -json event %q without a package, skipped", ev.Action)
		return
	}
	pkg := r.byPkg[ev.Package]
	if pkg == nil {
		pkg = &goPackage{name: ev.Package, line: n, byName: map[string]*goTest{}}
		r.byPkg[ev.Package] = pkg
		r.pkgs = append(r.pkgs, pkg)
	}
	if ev.Test == "" {
		switch ev.Action {
		case "output":
			pkg.output.addString(ev.Output)
		case "pass", "fail", "skip":
			pkg.action = ev.Action
			pkg.line = n
			if ev.FailedBuild != "" {
				pkg.failed = ev.FailedBuild
			}
			r.finishPackage(pkg)
		}
		return
	}
	t := pkg.byName[ev.Test]
	if t == nil {
		t = &goTest{name: ev.Test, line: n}
		pkg.byName[ev.Test] = t
		pkg.tests = append(pkg.tests, t)
	}
	switch ev.Action {
	case "run":
		if t.action != "" { // run again (-count=N): a new attempt
			t.failed = t.failed || t.action == "fail"
			t.action = ""
			t.output = headText{}
		}
	case "output":
		if !framing(ev.Output) {
			t.output.addString(ev.Output)
		}
	case "pass", "fail", "skip", "bench":
		t.action = ev.Action
		if ev.Elapsed != nil && *ev.Elapsed > 0 && *ev.Elapsed < 1e9 {
			t.elapsed = time.Duration(*ev.Elapsed * float64(time.Second))
		}
		if ev.Action == "pass" || ev.Action == "bench" {
			t.output = headText{} // a passing test's log is not a message
		}
	}
}

// framing reports whether an output line is test2json's own framing
// (=== RUN, --- FAIL: …), which says nothing the action does not.
func framing(s string) bool {
	s = strings.TrimSpace(s)
	for _, p := range []string{"=== RUN", "=== PAUSE", "=== CONT", "=== NAME", "--- PASS:", "--- FAIL:", "--- SKIP:", "--- BENCH:"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// finish turns the packages still running when the stream ended into
// test cases, and adds the builds that failed for no package.
func (r *goTestReader) finish() {
	for _, pkg := range r.pkgs {
		if !pkg.done {
			r.finishPackage(pkg)
		}
	}
	// A build that failed for no package of the stream (the stream ends
	// after it) is still a failure, not nothing.
	claimed := map[string]bool{}
	for _, pkg := range r.pkgs {
		claimed[pkg.failed] = true
	}
	for _, ip := range r.buildOrder {
		if claimed[ip] {
			continue
		}
		name, _, _ := strings.Cut(ip, " ")
		msg := "build failed"
		if h := r.build[ip]; h != nil {
			msg += ": " + h.String()
		}
		r.add(model.TestCase{
			Suite: name, Name: name, Outcome: model.Errored, Message: clip(msg),
			Source: input.Pos{File: r.file, Line: r.buildFail[ip]}, Format: "gotest-json",
		})
	}
}

// add keeps a test case, or counts it when keep lets it go.
func (r *goTestReader) add(tc model.TestCase) {
	if r.keep == nil || r.keep(&tc) {
		r.items.Tests = append(r.items.Tests, tc)
	} else {
		r.items.Unkept.Add(tc.Outcome)
	}
}

// finishPackage turns a package's tests into test cases and lets them go;
// the package stays listed (pkgs) by name and failed build only.
func (r *goTestReader) finishPackage(pkg *goPackage) {
	pkg.done = true
	if r.byPkg[pkg.name] == pkg {
		delete(r.byPkg, pkg.name)
	}
	// A timeout panic is printed into the output of whichever test was
	// last to log; every unfinished test of the package shares it.
	timeout := timeoutLine(pkg.output.String())
	for _, t := range pkg.tests {
		if timeout == "" && t.action == "" {
			timeout = timeoutLine(t.output.String())
		}
	}
	bad := false
	for _, t := range pkg.tests {
		tc := model.TestCase{
			Suite:     pkg.name,
			ClassName: pkg.name,
			Name:      t.name,
			Duration:  t.elapsed,
			Source:    input.Pos{File: r.file, Line: t.line},
			Format:    "gotest-json",
		}
		switch t.action {
		case "pass", "bench":
			tc.Outcome = model.Passed
			if t.failed {
				tc.Message = "passed on a later run after failing an earlier one (-count)"
				r.warn(t.line, "test %s.%s failed in an earlier run and passed in the last; counted as passed", pkg.name, t.name)
			}
		case "fail":
			tc.Outcome = model.Failed
			tc.Message = orText(t.output.String(), "failed (no output)")
		case "skip":
			tc.Outcome = model.Skipped
			tc.Message = t.output.String()
		default:
			tc.Outcome = model.Errored
			msg := "never finished: the test started but reported no result (the test binary crashed, exited or timed out)"
			out := t.output.String()
			if timeout != "" && !strings.Contains(out, timeout) {
				msg += "\n" + timeout
			}
			tc.Message = clip(msg + "\n" + out)
		}
		// A failed earlier run explains a failed package as well.
		bad = bad || tc.Outcome.Bad() || t.failed
		r.add(tc)
	}
	if tc, ok := r.packageCase(pkg, bad); ok {
		r.add(tc)
	}
	pkg.tests, pkg.byName, pkg.output = nil, nil, headText{}
}

// packageCase returns an error case named for the package when the package
// failed in a way its test cases do not show, so that a broken build or a
// crashed binary can never read as "no tests" or "all passed".
func (r *goTestReader) packageCase(pkg *goPackage, bad bool) (model.TestCase, bool) {
	tc := model.TestCase{
		Suite:   pkg.name,
		Name:    pkg.name,
		Outcome: model.Errored,
		Source:  input.Pos{File: r.file, Line: pkg.line},
		Format:  "gotest-json",
	}
	out := pkg.output.String()
	switch {
	case pkg.failed != "" || strings.Contains(out, "[build failed]"):
		build := ""
		if h := r.build[pkg.failed]; h != nil {
			build = h.String()
		}
		tc.Message = clip("build failed: " + strings.TrimSpace(build+"\n"+out))
	case strings.Contains(out, "[setup failed]"):
		tc.Message = clip("setup failed: " + out)
	case pkg.action == "fail" && len(pkg.tests) == 0:
		tc.Message = clip("package failed before any test ran: " + orText(out, "no output"))
	case pkg.action == "fail" && !bad:
		tc.Message = clip("package failed although none of its tests failed: " + orText(out, "no output"))
	case pkg.action == "" && len(pkg.tests) == 0:
		tc.Message = "package never finished: the stream ends before its result (truncated report?)"
	case pkg.action == "":
		r.warn(pkg.line, "package %s has no final result: the report may be truncated", pkg.name)
		return tc, false
	default:
		return tc, false
	}
	return tc, true
}

// timeoutLine picks the "panic: test timed out after …" line of a package's
// output, which tells why its running tests never finished.
func timeoutLine(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "panic: test timed out") {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

package testreport

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
	"github.com/tracegate/tracegate/internal/model"
)

// JUnit reads JUnit XML. There is no JUnit XML standard: every producer
// writes its own dialect, and the reader follows what each one means (see
// caseResult.decide for the outcomes and testdata/formats/junit for one real
// report per producer).
//
// The file is streamed token by token, never built into a tree, so that a
// 100 MB report costs memory for its test cases only. Entities are never
// expanded beyond XML's five (encoding/xml does not read DTDs), so a DOCTYPE
// can neither fetch a file nor blow up memory.
type JUnit struct{}

func (JUnit) Kind() ingest.Kind { return ingest.Tests }
func (JUnit) Format() string    { return "junit" }

// Detect accepts a .xml file whose first element is <testsuites> or
// <testsuite>, after any BOM, XML declaration, comments, processing
// instructions and DOCTYPE, however long (up to input.MaxProlog, streamed).
func (JUnit) Detect(fsys fs.FS, p string, head []byte) bool {
	if !strings.EqualFold(path.Ext(p), ".xml") {
		return false
	}
	name, ok := elementName(input.AfterProlog(fsys, p, head, xmlProlog))
	return ok && (name == "testsuites" || name == "testsuite")
}

// xmlProlog reads past what may precede an XML document's root element: a
// BOM, white space, the XML declaration and other processing instructions,
// comments and a DOCTYPE with its internal subset.
func xmlProlog(br *bufio.Reader) error {
	input.SkipBOM(br)
	for {
		if err := input.SkipSpace(br); err != nil {
			return err
		}
		b, _ := br.Peek(4)
		switch {
		case bytes.HasPrefix(b, []byte("<?")):
			br.Discard(2)
			if err := input.SkipUntil(br, "?>"); err != nil {
				return err
			}
		case bytes.HasPrefix(b, []byte("<!--")):
			br.Discard(4)
			if err := input.SkipUntil(br, "-->"); err != nil {
				return err
			}
		case bytes.HasPrefix(b, []byte("<!")):
			if err := skipDirective(br); err != nil {
				return err
			}
		case len(b) == 0:
			return io.EOF
		default:
			return nil
		}
	}
}

// skipDirective reads past a <!DOCTYPE …> that may hold an internal subset
// in brackets, with quoted strings and comments in it.
func skipDirective(br *bufio.Reader) error {
	br.Discard(2)
	depth := 0
	for {
		c, err := br.ReadByte()
		if err != nil {
			return err
		}
		switch c {
		case '"', '\'':
			if err := input.SkipUntil(br, string(c)); err != nil {
				return err
			}
		case '<':
			if b, _ := br.Peek(3); string(b) == "!--" {
				br.Discard(3)
				if err := input.SkipUntil(br, "-->"); err != nil {
					return err
				}
			}
		case '[':
			depth++
		case ']':
			depth--
		case '>':
			if depth <= 0 {
				return nil
			}
		}
	}
}

// elementName returns the local name of the element that b starts with.
func elementName(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '<' {
		return "", false
	}
	s := string(b[1:min(len(b), 256)])
	end := strings.IndexAny(s, " \t\r\n/>")
	if end <= 0 {
		return "", false
	}
	name := s[:end]
	if i := strings.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return name, true
}

// Read reads one JUnit XML file, keeping every test case.
func (j JUnit) Read(fsys fs.FS, p string) (*ingest.Items, error) {
	return j.ReadCases(fsys, p, nil)
}

// ReadCases reads one JUnit XML file, keeping the test cases keep accepts
// and every case of a suite that links requirements (its links reach them
// all). A suite whose link properties come after cases already let go is
// rare (the schema puts properties first); the file is then read again,
// keeping every case.
func (JUnit) ReadCases(fsys fs.FS, p string, keep ingest.Keep) (*ingest.Items, error) {
	items, err := readJUnitFile(fsys, p, keep)
	if err == errLateLinks {
		items, err = readJUnitFile(fsys, p, nil)
	}
	return items, err
}

// errLateLinks stops a read whose suite links came after cases let go.
var errLateLinks = errors.New("suite links after unkept cases")

func readJUnitFile(fsys fs.FS, p string, keep ingest.Keep) (*ingest.Items, error) {
	x, err := openXML(fsys, p)
	if err != nil {
		return nil, err
	}
	defer x.close()
	r := &junitReader{xmlStream: x, items: &ingest.Items{}, keep: keep}
	if err := r.read(); err != nil {
		return nil, err
	}
	return r.items, nil
}

// frame is an open <testsuites> or <testsuite>.
type frame struct {
	suite bool
	name  string
	pos   input.Pos
	first int      // index of the frame's first case in items.Tests
	links []string // requirement links of the suite's properties
	decl  declared // the totals its attributes declare
	at    tally    // junitReader.held when the frame opened
	// unkept is items.Unkept.Total when the frame opened.
	unkept int
}

type junitReader struct {
	*xmlStream
	items *ingest.Items
	stack []frame
	roots int
	dtd   bool
	held  tally // cases read so far, and those an incomplete suite lacks
	keep  ingest.Keep
}

func (r *junitReader) warn(pos input.Pos, format string, args ...any) {
	r.items.Warnings = append(r.items.Warnings, input.Warnf(pos, format, args...))
}

func (r *junitReader) read() error {
	for {
		tok, pos, err := r.token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := r.start(t, pos); err != nil {
				return err
			}
		case xml.EndElement:
			r.end()
		case xml.Directive:
			if !r.dtd && strings.HasPrefix(strings.ToUpper(strings.TrimSpace(string(t))), "DOCTYPE") {
				r.dtd = true
				r.warn(pos, "DOCTYPE ignored: tracegate does not read DTDs or expand their entities")
			}
		}
	}
	if r.roots == 0 {
		return input.Errorf(input.Pos{File: r.file}, "no XML element in the file, expected a JUnit report (<testsuites> or <testsuite>)").
			WithHint("the report is empty; check that the test run wrote it completely")
	}
	if r.held.cases == 0 {
		r.warn(input.Pos{File: r.file}, "JUnit report holds no test case")
	}
	return nil
}

func (r *junitReader) start(t xml.StartElement, pos input.Pos) error {
	name := t.Name.Local
	if len(r.stack) == 0 {
		if name != "testsuites" && name != "testsuite" {
			return input.Errorf(pos, "root element is <%s>, expected <testsuites> or <testsuite>", name).
				WithHint("this is not a JUnit XML report; set the format in the policy or narrow the tests glob")
		}
		r.roots++
		if r.roots == 2 {
			r.warn(pos, "a second root element: the file holds several reports one after another; all are read")
		}
	}
	switch name {
	case "testsuites":
		r.stack = append(r.stack, frame{name: attr(t, "name"), pos: pos, first: len(r.items.Tests), at: r.held, unkept: r.items.Unkept.Total, decl: r.declared(t, pos, "<testsuites>")})
	case "testsuite":
		if len(r.stack) >= input.MaxSuiteDepth {
			return input.Errorf(pos, "<testsuite> nested more than %d deep", input.MaxSuiteDepth).
				WithHint("no test runner nests suites this deep; the file is not a test report")
		}
		fr := frame{suite: true, name: strings.TrimSpace(attr(t, "name")), pos: pos, first: len(r.items.Tests), at: r.held, unkept: r.items.Unkept.Total}
		fr.decl = r.declared(t, pos, strconv.Quote(fr.name))
		// GoogleTest writes RecordProperty from SetUpTestSuite as an
		// attribute of <testsuite>.
		for _, a := range t.Attr {
			if ingest.IsLinkProp(a.Name.Local) {
				fr.links = appendUnique(fr.links, model.SplitLinks(a.Value)...)
			}
		}
		r.stack = append(r.stack, fr)
	case "properties":
		links, err := r.properties(pos)
		if err != nil {
			return err
		}
		top := &r.stack[len(r.stack)-1]
		if len(links) > 0 && r.items.Unkept.Total > top.unkept {
			return errLateLinks
		}
		top.links = appendUnique(top.links, links...)
	case "testcase":
		return r.testcase(t, pos)
	default:
		// system-out, system-err and producers' extensions: nothing that
		// decides an outcome lives outside <testcase>.
		if err := r.dec.Skip(); err != nil {
			return r.syntaxError(err)
		}
	}
	return nil
}

// end closes a suite: its links apply to every case read inside it,
// nested suites included, whether the properties came before or after
// the cases.
func (r *junitReader) end() {
	if len(r.stack) == 0 {
		return
	}
	fr := r.stack[len(r.stack)-1]
	r.stack = r.stack[:len(r.stack)-1]
	r.checkTotals(&fr)
	if len(fr.links) > 0 {
		cases := r.items.Tests[fr.first:]
		for i := range cases {
			cases[i].Requirements = appendUnique(cases[i].Requirements, fr.links...)
		}
	}
}

// suiteLinks reports whether a suite around the current case links
// requirements: the case is then linked when the suite ends.
func (r *junitReader) suiteLinks() bool {
	for i := range r.stack {
		if len(r.stack[i].links) > 0 {
			return true
		}
	}
	return false
}

// properties reads a <properties> element and returns the requirement
// links it declares.
func (r *junitReader) properties(at input.Pos) ([]string, error) {
	var links []string
	for {
		tok, pos, err := r.token()
		if err == io.EOF {
			return nil, input.Errorf(at, "malformed XML: <properties> is not closed")
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "property" {
				if err := r.dec.Skip(); err != nil {
					return nil, r.syntaxError(err)
				}
				continue
			}
			name := attr(t, "name")
			value, hasValue := attrOK(t, "value")
			text, err := r.text()
			if err != nil {
				return nil, err
			}
			if !hasValue {
				value = text // <property name="requirement">SRS-1</property>
			}
			if ingest.IsLinkProp(name) {
				ids := model.SplitLinks(value)
				if len(ids) == 0 {
					r.warn(pos, "property %q has no value; it links no requirement", name)
				}
				links = appendUnique(links, ids...)
			}
		case xml.EndElement:
			return links, nil
		}
	}
}

// text reads to the end of the current element and returns its character
// data, bounded; <stackTrace> text counts (Surefire's rerun elements).
func (r *junitReader) text() (string, error) {
	var h headText
	depth := 1
	for depth > 0 {
		tok, _, err := r.token()
		if err == io.EOF {
			return "", r.syntaxError(io.ErrUnexpectedEOF)
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "stackTrace" {
				if err := r.dec.Skip(); err != nil {
					return "", r.syntaxError(err)
				}
				continue
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			h.add(t)
		}
	}
	return h.String(), nil
}

func (r *junitReader) testcase(t xml.StartElement, pos input.Pos) error {
	tc := model.TestCase{
		ClassName: strings.TrimSpace(attr(t, "classname")),
		Name:      strings.TrimSpace(attr(t, "name")),
		File:      strings.TrimSpace(attr(t, "file")),
		Source:    pos,
		Format:    "junit",
	}
	if tc.ClassName == "" {
		tc.ClassName = strings.TrimSpace(attr(t, "class")) // some Ant-era writers
	}
	for i := len(r.stack) - 1; i >= 0; i-- {
		if r.stack[i].suite {
			tc.Suite = r.stack[i].name
			break
		}
	}
	if tc.Name == "" {
		r.warn(pos, "test case without a name (class %q)", tc.ClassName)
	}
	if s := attr(t, "time"); s != "" {
		d, ok := seconds(s)
		if !ok {
			r.warn(pos, "test case %q: time %q is not a number of seconds; duration left out", tc.Name, s)
		}
		tc.Duration = d
	}
	res := caseResult{status: attr(t, "status"), result: attr(t, "result")}
	// Old GoogleTest wrote RecordProperty("requirement", …) as an attribute
	// of <testcase>.
	for _, a := range t.Attr {
		if ingest.IsLinkProp(a.Name.Local) {
			tc.Requirements = appendUnique(tc.Requirements, model.SplitLinks(a.Value)...)
		}
	}
	for {
		tok, cpos, err := r.token()
		if err == io.EOF {
			return input.Errorf(pos, "malformed XML: <testcase> is not closed").
				WithHint("the report is truncated; check that the test run finished writing it")
		}
		if err != nil {
			return err
		}
		switch c := tok.(type) {
		case xml.StartElement:
			switch k := c.Name.Local; k {
			case "failure", "error", "skipped", "flakyFailure", "flakyError", "rerunFailure", "rerunError":
				text, err := r.text()
				if err != nil {
					return err
				}
				res.elems = append(res.elems, resultElem{kind: k, message: attr(c, "message"), typ: attr(c, "type"), text: text})
			case "properties":
				links, err := r.properties(cpos)
				if err != nil {
					return err
				}
				tc.Requirements = appendUnique(tc.Requirements, links...)
			case "system-out", "system-err":
				if err := r.output(&res.output); err != nil {
					return err
				}
			default:
				if k == "testcase" {
					r.warn(cpos, "<testcase> inside <testcase> %q ignored", tc.Name)
				}
				if err := r.dec.Skip(); err != nil {
					return r.syntaxError(err)
				}
			}
		case xml.Comment:
			// QtTest's -xunitxml writes a skip (QSKIP) only as a comment
			// in the case: <!-- message="…" type="skip" -->.
			if m := qtCommentRE().FindSubmatch(c); m != nil && string(m[2]) == "skip" {
				res.elems = append(res.elems, resultElem{kind: "skipped", message: html.UnescapeString(string(m[1]))})
			}
		case xml.EndElement:
			var note string
			tc.Outcome, tc.Message, note = res.decide()
			if note != "" {
				r.warn(pos, "test case %q: %s", tc.FullName(), note)
			}
			r.held.add(res.declaredBad(tc.Outcome))
			if r.keep == nil || r.suiteLinks() || r.keep(&tc) {
				r.items.Tests = append(r.items.Tests, tc)
			} else {
				r.items.Unkept.Add(tc.Outcome)
			}
			return nil
		}
	}
}

// qtCommentRE reads the comment QtTest's -xunitxml writes for a message
// of a test case: message="…" type="skip".
var qtCommentRE = lazyre.New(`^\s*message="([^"]*)"\s+type="([a-z]+)"\s*$`)

// output reads a <system-out> or <system-err> into tail.
func (r *junitReader) output(tail *tailText) error {
	depth := 1
	for depth > 0 {
		tok, _, err := r.token()
		if err == io.EOF {
			return r.syntaxError(io.ErrUnexpectedEOF)
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			tail.add(t)
		}
	}
	return nil
}

func attr(t xml.StartElement, name string) string {
	v, _ := attrOK(t, name)
	return v
}

func attrOK(t xml.StartElement, name string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}

// seconds parses a JUnit time attribute. Producers write "0.004",
// "-0.000000" (gotestsum), "1,234.5" (old Surefire with a locale's grouping)
// and "" (none).
func seconds(s string) (time.Duration, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != f { // NaN
		return 0, false
	}
	if f <= 0 {
		return 0, true
	}
	if f > float64(1<<62)/float64(time.Second) {
		return 0, false
	}
	return time.Duration(f * float64(time.Second)), true
}

// charsetReader lets a report declare US-ASCII or Latin-1 (old Ant and
// Surefire wrote ISO-8859-1); anything else must be UTF-8.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
		return &latin1Reader{r: in}, nil
	}
	return nil, fmt.Errorf("encoding %q is not supported", label)
}

// latin1Reader decodes ISO-8859-1 to UTF-8: every byte is the code point.
type latin1Reader struct {
	r   io.Reader
	buf []byte
	out []byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	for len(l.out) == 0 {
		if cap(l.buf) == 0 {
			l.buf = make([]byte, 4096)
		}
		n, err := l.r.Read(l.buf[:cap(l.buf)])
		for _, b := range l.buf[:n] {
			if b < 0x80 {
				l.out = append(l.out, b)
			} else {
				l.out = append(l.out, 0xC0|b>>6, 0x80|b&0x3F)
			}
		}
		if err != nil {
			if len(l.out) == 0 {
				return 0, err
			}
			break
		}
	}
	n := copy(p, l.out)
	l.out = l.out[n:]
	return n, nil
}

package testreport

import (
	"encoding/xml"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// QtTest reads the XML that Qt's test library writes with `-o file.xml,xml`
// (its own format, beside the JUnit-like -xunitxml that the junit reader
// reads):
//
//	<TestCase name="TestPump">
//	  <Environment>…</Environment>
//	  <TestFunction name="occlusionAlarm">
//	    <Incident type="pass" file="" line="0"><DataTag><![CDATA[low]]></DataTag></Incident>
//	    <Incident type="fail" file="tst_pump.cpp" line="30">
//	      <DataTag><![CDATA[limit]]></DataTag>
//	      <Description><![CDATA[Compared values are not the same …]]></Description>
//	    </Incident>
//	    <Duration msecs="0.03"/>
//	  </TestFunction>
//	  <TestFunction name="batteryGauge">
//	    <Message type="skip" file="tst_pump.cpp" line="34"><Description>…</Description></Message>
//	  </TestFunction>
//	</TestCase>
//
// Each test function, and each data row of a data-driven one, is a test
// case: class the TestCase's name, name the function's, a data row's tag in
// brackets (occlusionAlarm[limit]), as pytest writes a parametrisation, so
// that a Verifies: tag on the function links every row. Its outcome is what
// QtTest counts, never a more favourable one: a fail or xpass incident fails
// it; a skip (a Message of type skip, or a skip incident of Qt 6) skips it;
// an xfail (a check that failed as QEXPECT_FAIL said it would) skips it, as
// pytest's xfail does — what it checks is not verified; a blacklisted
// result (bpass, bfail, bxpass, bxfail) is skipped, since QtTest does not
// count it; pass passes it. A function that records no incident at all (the
// run stopped in it) is an error, and an incident type tracegate does not
// know is an error of the file.
type QtTest struct{}

func (QtTest) Kind() ingest.Kind { return ingest.Tests }
func (QtTest) Format() string    { return "qttest" }

// Detect accepts an .xml file whose root element is <TestCase>.
func (QtTest) Detect(fsys fs.FS, p string, head []byte) bool {
	if !strings.EqualFold(path.Ext(p), ".xml") {
		return false
	}
	name, ok := elementName(input.AfterProlog(fsys, p, head, xmlProlog))
	return ok && name == "TestCase"
}

func (q QtTest) Read(fsys fs.FS, p string) (*ingest.Items, error) { return q.ReadCases(fsys, p, nil) }

// ReadCases streams the file, keeping the cases keep accepts.
func (QtTest) ReadCases(fsys fs.FS, p string, keep ingest.Keep) (*ingest.Items, error) {
	x, err := openXML(fsys, p)
	if err != nil {
		return nil, err
	}
	defer x.close()
	r := &qtReader{xmlStream: x, items: &ingest.Items{}, keep: keep}
	if err := r.read(); err != nil {
		return nil, err
	}
	return r.items, nil
}

type qtReader struct {
	*xmlStream
	items *ingest.Items
	keep  ingest.Keep
	class string
	root  bool
	count int // cases read
}

// qtIncident is one Incident, or a Message of type skip, of a function.
type qtIncident struct {
	typ, tag, text string
	pos            input.Pos
}

func (r *qtReader) read() error {
	for {
		tok, pos, err := r.token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		t, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case !r.root:
			if t.Name.Local != "TestCase" {
				return input.Errorf(pos, "root element <%s>, expected QtTest's <TestCase>", t.Name.Local)
			}
			r.root = true
			r.class = strings.TrimSpace(attr(t, "name"))
		case t.Name.Local == "TestFunction":
			if err := r.function(t, pos); err != nil {
				return err
			}
		default: // Environment, Duration, a Message outside a function
			if err := r.dec.Skip(); err != nil {
				return r.syntaxError(err)
			}
		}
	}
	if !r.root {
		return input.Errorf(input.Pos{File: r.file}, "no XML element in the file, expected a QtTest report (<TestCase>)").
			WithHint("the report is empty; check that the test run wrote it completely")
	}
	if r.count == 0 {
		r.items.Warnings = append(r.items.Warnings, input.Warnf(input.Pos{File: r.file}, "QtTest report holds no test function"))
	}
	return nil
}

// function reads one <TestFunction> and adds its cases.
func (r *qtReader) function(t xml.StartElement, pos input.Pos) error {
	name := strings.TrimSpace(attr(t, "name"))
	var incs []qtIncident
	var dur time.Duration
	for {
		tok, cpos, err := r.token()
		if err == io.EOF {
			return input.Errorf(pos, "malformed XML: <TestFunction> %q is not closed", name).
				WithHint("the report is truncated; check that the test run finished writing it")
		}
		if err != nil {
			return err
		}
		switch c := tok.(type) {
		case xml.StartElement:
			switch c.Name.Local {
			case "Incident", "Message":
				in, err := r.incident(c, cpos)
				if err != nil {
					return err
				}
				if c.Name.Local == "Incident" || in.typ == "skip" {
					incs = append(incs, in)
				}
			case "Duration":
				if ms, err := strconv.ParseFloat(attr(c, "msecs"), 64); err == nil && ms >= 0 && ms < 1e12 {
					dur = time.Duration(ms * float64(time.Millisecond))
				}
				if err := r.dec.Skip(); err != nil {
					return r.syntaxError(err)
				}
			default:
				if err := r.dec.Skip(); err != nil {
					return r.syntaxError(err)
				}
			}
		case xml.EndElement:
			return r.cases(name, pos, incs, dur)
		}
	}
}

// incident reads an Incident or a Message: its type, data tag and text.
func (r *qtReader) incident(t xml.StartElement, pos input.Pos) (qtIncident, error) {
	in := qtIncident{typ: strings.ToLower(strings.TrimSpace(attr(t, "type"))), pos: pos}
	for {
		tok, _, err := r.token()
		if err == io.EOF {
			return in, r.syntaxError(io.ErrUnexpectedEOF)
		}
		if err != nil {
			return in, err
		}
		switch c := tok.(type) {
		case xml.StartElement:
			text, err := r.text()
			if err != nil {
				return in, err
			}
			switch c.Name.Local {
			case "DataTag":
				in.tag = strings.TrimSpace(text)
			case "Description":
				in.text = text
			}
		case xml.EndElement:
			return in, nil
		}
	}
}

// text reads to the end of the current element and returns its character
// data, bounded.
func (r *qtReader) text() (string, error) {
	var h headText
	for depth := 1; depth > 0; {
		tok, _, err := r.token()
		if err == io.EOF {
			return "", r.syntaxError(io.ErrUnexpectedEOF)
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			h.add(t)
		}
	}
	return h.String(), nil
}

// cases decides the outcome of the function's data rows (one row, "", for a
// function without data) and adds them.
func (r *qtReader) cases(name string, pos input.Pos, incs []qtIncident, dur time.Duration) error {
	var rows []string
	byRow := map[string][]qtIncident{}
	var whole []qtIncident // without a data tag: the whole function's
	for _, in := range incs {
		if in.tag == "" {
			whole = append(whole, in)
			continue
		}
		if _, ok := byRow[in.tag]; !ok {
			rows = append(rows, in.tag)
		}
		byRow[in.tag] = append(byRow[in.tag], in)
	}
	if len(rows) == 0 {
		rows = []string{""}
	}
	for _, row := range rows {
		tc := model.TestCase{Suite: r.class, ClassName: r.class, Name: name, Source: pos, Format: "qttest"}
		if row != "" {
			tc.Name += "[" + row + "]"
		}
		if len(rows) == 1 {
			tc.Duration = dur
		}
		out, msg, err := qtOutcome(append(append([]qtIncident{}, whole...), byRow[row]...))
		if err != nil {
			return err
		}
		tc.Outcome, tc.Message = out, msg
		r.count++
		if r.keep == nil || r.keep(&tc) {
			r.items.Tests = append(r.items.Tests, tc)
		} else {
			r.items.Unkept.Add(tc.Outcome)
		}
	}
	return nil
}

// qtOutcome is the outcome QtTest gives a row from its incidents.
func qtOutcome(incs []qtIncident) (model.Outcome, string, error) {
	var failed, skipped, xfail, black *qtIncident
	passed := false
	for i := range incs {
		in := &incs[i]
		switch in.typ {
		case "fail", "xpass":
			if failed == nil {
				failed = in
			}
		case "skip":
			if skipped == nil {
				skipped = in
			}
		case "xfail":
			if xfail == nil {
				xfail = in
			}
		case "bpass", "bfail", "bxpass", "bxfail":
			if black == nil {
				black = in
			}
		case "pass":
			passed = true
		default:
			return "", "", input.Errorf(in.pos, "QtTest incident type %q is not one tracegate knows", in.typ).
				WithHint("QtTest writes pass, fail, xfail, xpass, skip and the blacklisted bpass, bfail, bxpass, bxfail")
		}
	}
	switch {
	case failed != nil && failed.typ == "xpass":
		return model.Failed, clip(orText(failed.text, qtXPass)), nil
	case failed != nil:
		return model.Failed, clip(orText(failed.text, "the incident says fail")), nil
	case skipped != nil:
		return model.Skipped, clip(orText(skipped.text, "skipped")), nil
	case xfail != nil:
		return model.Skipped, clip(qtXFail + orText(": "+xfail.text, "")), nil
	case black != nil:
		return model.Skipped, "blacklisted (QtTest " + black.typ + "): its result is not counted", nil
	case passed:
		return model.Passed, "", nil
	}
	return model.Errored, "the test function recorded no result (the run stopped in it?)", nil
}

package testreport

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// encoding/xml hands out every text node, CDATA section, comment,
// processing instruction and attribute value whole, so one 200 MB
// <system-out> costs 200 MB and more while it is decoded, whatever the
// reader keeps of it. xmlBound sits between the file and the decoder and
// cuts every such run longer than input.MaxRun to its head and, for text
// and CDATA, its tail (half the bound each), with a marker between, before
// the decoder sees it. Markup passes unchanged: element names and
// structure, and every run within the bound, reach the decoder byte for
// byte. What is cut is captured output, a failure body, a message: the
// reader keeps an excerpt of those anyway (input.MaxMessage).
//
// The filter follows XML's lexical grammar as encoding/xml reads it (text,
// tags with quoted attribute values, comments, CDATA sections, processing
// instructions, declarations), so that it never takes markup for a run. A
// run is cut on a UTF-8 boundary and, where entities are read, never
// between a '&' and its ';'. The newlines cut are recorded so that
// positions after a cut stay the file's (linesCut).

// xmlState is where the filter is in the grammar.
type xmlState int

const (
	inText      xmlState = iota // character data
	afterLT                     // just read '<'
	inBang                      // "<!" read: a comment, CDATA or a declaration
	inTag                       // in a start or end tag, outside quotes
	inAttr                      // in a quoted attribute value
	inComment                   // in <!-- -->
	inCDATA                     // in <![CDATA[ ]]>
	inPI                        // in <? ?>
	inDirective                 // in <!DOCTYPE …> (never cut)
)

// maxTag bounds a tag outside its quoted attribute values, and a
// declaration: no report has one this long, and neither can be cut.
const maxTag = 1 << 20

type xmlBound struct {
	src   io.Reader
	max   int // a run's bound (input.MaxRun)
	state xmlState

	quote byte   // the quote of the attribute value in progress
	bang  []byte // what follows "<!" while it is undecided
	end   string // the terminator of the comment, CDATA or PI in progress
	win   []byte // the last bytes read, to find that terminator
	tag   int    // bytes of the tag or declaration in progress

	// A declaration is followed as encoding/xml does: quotes, and angle
	// brackets nested in it (comments inside do not count).
	dquote  byte
	ddepth  int
	dcmt    int // state of a comment inside a declaration (see directive)
	dhyphen int

	// The run in progress: held (up to max bytes) until it ends or is cut;
	// once cut, only its last max/2 bytes are kept (tail) and the rest
	// counted.
	head   []byte
	tail   []byte
	cut    int64
	cutNL  int
	shifts []lineShift

	out  []byte // filtered bytes not yet read
	buf  []byte
	err  error
	done int64 // bytes handed on so far
}

// lineShift records that lines file lines were cut before output offset off
// (cumulative).
type lineShift struct {
	off   int64
	lines int
}

func newXMLBound(r io.Reader, max int) *xmlBound {
	return &xmlBound{src: r, max: max, buf: make([]byte, 32<<10)}
}

// linesCut returns how many lines of the file were cut before output
// offset off: a position the decoder reports there is that many lines on.
func (b *xmlBound) linesCut(off int64) int {
	n := 0
	for _, s := range b.shifts {
		if s.off > off {
			break
		}
		n = s.lines
	}
	return n
}

func (b *xmlBound) Read(p []byte) (int, error) {
	for len(b.out) == 0 && b.err == nil {
		n, err := b.src.Read(b.buf)
		if e := b.feed(b.buf[:n]); e != nil {
			err = e
		}
		if err == io.EOF {
			b.endRun()
		}
		b.err = err
	}
	n := copy(p, b.out)
	b.out = b.out[n:]
	b.done += int64(n)
	if len(b.out) == 0 && b.err != nil {
		return n, b.err
	}
	return n, nil
}

// tails reports whether the current run keeps its tail when cut: text and
// CDATA do (the end of a log says why a test failed).
func (b *xmlBound) tails() bool { return b.state == inText || b.state == inCDATA }

// entities reports whether the current run is read for entity references.
func (b *xmlBound) entities() bool { return b.state == inText || b.state == inAttr }

// runByte adds a byte to the run in progress.
func (b *xmlBound) runByte(c byte) {
	if b.cut == 0 {
		b.head = append(b.head, c)
		if len(b.head) <= b.max {
			return
		}
		// The run passes the bound: pass on its head, up to a safe point
		// in its first half, and keep only a tail from now on.
		at := safeCut(b.head[:b.max/2], b.entities())
		b.out = append(b.out, b.head[:at]...)
		dropped := b.head[at:]
		b.cut = int64(len(dropped))
		b.cutNL = bytes.Count(dropped, []byte{'\n'})
		if b.tails() {
			b.tail = append(b.tail[:0], dropped...)
		}
		b.head = b.head[:0]
		return
	}
	b.cut++
	if c == '\n' {
		b.cutNL++
	}
	if b.tails() {
		b.tail = append(b.tail, c)
		if len(b.tail) >= b.max {
			b.tail = append(b.tail[:0], b.tail[len(b.tail)-b.max/2:]...)
		}
	}
}

// cutSpan adds a span to a run already cut.
func (b *xmlBound) cutSpan(span []byte) {
	b.cut += int64(len(span))
	b.cutNL += bytes.Count(span, []byte{'\n'})
	if !b.tails() {
		return
	}
	if half := b.max / 2; len(span) >= half {
		b.tail = append(b.tail[:0], span[len(span)-half:]...)
		return
	}
	b.tail = append(b.tail, span...)
	if len(b.tail) >= b.max {
		b.tail = append(b.tail[:0], b.tail[len(b.tail)-b.max/2:]...)
	}
}

// unrun takes back the last n bytes of the run, which turned out to begin
// its terminator.
func (b *xmlBound) unrun(n int) {
	if b.cut == 0 {
		b.head = b.head[:len(b.head)-n]
		return
	}
	b.cut -= int64(n)
	if len(b.tail) >= n {
		b.tail = b.tail[:len(b.tail)-n]
	}
}

// endRun passes the run in progress on: whole, or its tail after a marker
// that says how much was cut.
func (b *xmlBound) endRun() {
	if b.cut == 0 {
		b.out = append(b.out, b.head...)
		b.head = b.head[:0]
		return
	}
	var tail []byte
	if b.tails() {
		tail = b.tail
		if len(tail) > b.max/2 {
			tail = tail[len(tail)-b.max/2:]
		}
		for len(tail) > 0 && !utf8.RuneStart(tail[0]) {
			tail = tail[1:]
		}
	}
	b.out = append(b.out, " [... "...)
	b.out = strconv.AppendInt(b.out, b.cut-int64(len(tail)), 10)
	b.out = append(b.out, " bytes cut ...] "...)
	b.out = append(b.out, tail...)
	last := 0
	if len(b.shifts) > 0 {
		last = b.shifts[len(b.shifts)-1].lines
	}
	b.shifts = append(b.shifts, lineShift{off: b.done + int64(len(b.out)), lines: last + b.cutNL - bytes.Count(tail, []byte{'\n'})})
	b.cut, b.cutNL, b.tail = 0, 0, b.tail[:0]
}

// safeCut returns where to cut head so that it ends on a UTF-8 boundary
// and, where entities are read, not between a '&' and its ';'.
func safeCut(head []byte, entities bool) int {
	n := len(head)
	if i := lastStart(head); !utf8.FullRune(head[i:]) {
		n = i
	}
	if entities {
		if i := bytes.LastIndexByte(head[:n], '&'); i >= 0 && bytes.IndexByte(head[i:n], ';') < 0 {
			n = i
		}
	}
	return n
}

// lastStart is the index of the last rune start among the last bytes of b
// (0 when there is none).
func lastStart(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			return i
		}
	}
	return 0
}

// feed moves the filter through p: text, tags and attribute values in
// spans up to their next delimiter, everything else byte by byte (step).
func (b *xmlBound) feed(p []byte) error {
	for len(p) > 0 {
		var span []byte
		switch b.state {
		case inText, inAttr:
			stop := byte('<')
			if b.state == inAttr {
				stop = b.quote
			}
			i := bytes.IndexByte(p, stop)
			if b.state == inAttr {
				if j := bytes.IndexByte(p, '<'); j >= 0 && (i < 0 || j < i) {
					i = j
				}
			}
			if i < 0 {
				i = len(p)
			}
			switch {
			case b.cut == 0 && len(b.head)+i <= b.max:
				b.head = append(b.head, p[:i]...)
			case b.cut > 0:
				b.cutSpan(p[:i])
			default:
				i = 0
			}
			p = p[i:]
			if len(p) == 0 {
				return nil
			}
		case inTag:
			i := 0
			for i < len(p) && p[i] != '"' && p[i] != '\'' && p[i] != '>' {
				i++
			}
			span = p[:i]
			if b.tag += i; b.tag > maxTag {
				return fmt.Errorf("a tag longer than %d bytes", maxTag)
			}
			b.out = append(b.out, span...)
			p = p[i:]
			if len(p) == 0 {
				return nil
			}
		}
		if err := b.step(p[0]); err != nil {
			return err
		}
		p = p[1:]
	}
	return nil
}

// step moves the filter by one byte of the file.
func (b *xmlBound) step(c byte) error {
	switch b.state {
	case inText:
		if c != '<' {
			b.runByte(c)
			return nil
		}
		b.endRun()
		b.state = afterLT
	case afterLT:
		switch c {
		case '!':
			b.state, b.bang = inBang, b.bang[:0]
		case '?':
			b.state, b.end, b.win = inPI, "?>", b.win[:0]
		default:
			b.state, b.tag = inTag, 0
			if c == '>' {
				b.state = inText
			}
		}
	case inBang:
		b.bang = append(b.bang, c)
		switch bang := string(b.bang); {
		case bang == "--":
			b.out = append(b.out, c)
			b.state, b.end, b.win = inComment, "-->", b.win[:0]
			return nil
		case bang == "[CDATA[":
			b.out = append(b.out, c)
			b.state, b.end, b.win = inCDATA, "]]>", b.win[:0]
			return nil
		case strings.HasPrefix("--", bang), strings.HasPrefix("[CDATA[", bang):
			// still undecided
		case bang[0] == '-' || bang[0] == '[':
			b.state = inText // "<!-x", "<![FOO": not XML; the decoder says so
		default:
			// A declaration. Its first byte is taken as it is, as
			// encoding/xml takes it.
			b.state, b.tag, b.dquote, b.ddepth, b.dcmt = inDirective, 0, 0, 0, 0
		}
	case inTag:
		switch c {
		case '"', '\'':
			b.state, b.quote = inAttr, c
		case '>':
			b.state = inText
		default:
			if b.tag++; b.tag > maxTag {
				return fmt.Errorf("a tag longer than %d bytes", maxTag)
			}
		}
	case inAttr:
		if c != b.quote && c != '<' {
			b.runByte(c)
			return nil
		}
		b.endRun()
		b.state = inTag
		if c == '<' {
			b.state = afterLT // not XML: the decoder says so
		}
	case inComment, inCDATA, inPI:
		b.win = append(b.win, c)
		if len(b.win) > len(b.end) {
			b.win = b.win[1:]
		}
		if string(b.win) != b.end {
			b.runByte(c)
			return nil
		}
		b.unrun(len(b.end) - 1)
		b.endRun()
		b.out = append(b.out, b.end...)
		b.state = inText
		return nil
	case inDirective:
		b.out = append(b.out, c)
		return b.directive(c)
	}
	b.out = append(b.out, c)
	return nil
}

// directive follows a declaration to its end as encoding/xml does: it ends
// at a '>' outside quotes when the angle brackets opened inside it are
// closed, and a comment inside it ("<!--" to "-->") does not count.
// Declarations are never cut; one longer than maxTag is refused.
func (b *xmlBound) directive(c byte) error {
	if b.tag++; b.tag > maxTag {
		return fmt.Errorf("a declaration (<!DOCTYPE …>) longer than %d bytes", maxTag)
	}
	switch {
	case b.dcmt == 4: // in a comment: "--" must be followed by '>'
		if b.dhyphen >= 2 && c == '>' {
			b.dcmt = 0
		}
		if c == '-' {
			b.dhyphen++
		} else {
			b.dhyphen = 0
		}
	case b.dcmt > 0: // "<", "<!", "<!-" read
		if c == "!--"[b.dcmt-1] {
			if b.dcmt++; b.dcmt == 4 {
				b.dhyphen = 0
			}
			return nil
		}
		b.dcmt = 0
		b.ddepth++ // a '<' that opened no comment nests
		return b.directive2(c)
	default:
		return b.directive2(c)
	}
	return nil
}

func (b *xmlBound) directive2(c byte) error {
	switch {
	case b.dquote != 0:
		if c == b.dquote {
			b.dquote = 0
		}
	case c == '"' || c == '\'':
		b.dquote = c
	case c == '>' && b.ddepth == 0:
		b.state = inText
	case c == '>':
		b.ddepth--
	case c == '<':
		b.dcmt = 1
	}
	return nil
}

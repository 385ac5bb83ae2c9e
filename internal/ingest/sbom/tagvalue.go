package sbom

import (
	"bytes"
	"fmt"
	"strings"
	"unsafe"

	"github.com/spdx/tools-golang/spdx"
	v2_1_reader "github.com/spdx/tools-golang/spdx/v2/v2_1/tagvalue/reader"
	v2_2_reader "github.com/spdx/tools-golang/spdx/v2/v2_2/tagvalue/reader"
	v2_3_reader "github.com/spdx/tools-golang/spdx/v2/v2_3/tagvalue/reader"
	"github.com/spdx/tools-golang/tagvalue/reader"

	"github.com/tracegate/tracegate/internal/input"
)

// spdxTagValue reads SPDX 2.1–2.3 tag-value with tools-golang's parser
// (ParseTagValues of the document's version). Three steps:
//
//  1. tvTokenize splits the file into (tag, value, line) like
//     tools-golang's tagvalue/reader, but keeps line numbers, has no 64 KiB
//     line limit (bufio.Scanner's "token too long") and builds multi-line
//     <text> values in linear time (the library concatenates line by line,
//     quadratic in the size of a long text).
//  2. tvNormalize repairs what makes the parser reject a whole document
//     that a person reads without trouble: mis-cased tags (FIleCopyrightText),
//     SPDXID written before its PackageName/FileName, elements without an
//     SPDXID, snippets directly after a package, header tags among the
//     creation information, license sections before packages, supplier and
//     creator values without a type, IDs without SPDXRef-, lower-case
//     checksum algorithms. Unknown tags and tags outside the section that
//     defines them are skipped.
//  3. tools-golang parses the result. Should it still reject a line, that
//     line is found (by bisecting the pairs), skipped with a warning and the
//     parse repeated, up to maxTVSkips times; a line that opens or
//     identifies an element is never skipped: that is an error at its line.
type spdxTagValue struct{}

// maxTVSkips bounds how many lines the library may reject before the file
// is reported as unreadable rather than read with ever more gaps.
const maxTVSkips = 50

type tvPair struct {
	tag, value string
	line       int
}

func (spdxTagValue) decode(src *source) (*parsed, error) {
	pairs, err := tvTokenize(src)
	if err != nil {
		return nil, err
	}
	for _, p := range pairs {
		if strings.EqualFold(p.tag, "SPDXVersion") {
			if _, err := checkSPDX2Version(input.Pos{File: src.file, Line: p.line}, p.value, src.notes); err != nil {
				return nil, err
			}
			break
		}
	}
	tvs, lines := tvNormalize(src, pairs)
	pairs = nil
	if len(tvs) == 0 {
		return nil, input.Errorf(src.pos(), "no SPDX tags in the document")
	}
	var pkgLines []int
	for i, tv := range tvs {
		if tv.Tag == "PackageName" {
			pkgLines = append(pkgLines, lines[i])
		}
	}
	for skipped := 0; ; skipped++ {
		doc, err := parseTV(src.version, tvs)
		if err == nil {
			return fromSPDX2(src, doc, pkgLines), nil
		}
		i := tvFailingPair(src.version, tvs, err)
		if i < 0 {
			return nil, &input.Error{Pos: src.pos(), Msg: "tools-golang cannot read the document: " + err.Error(), Err: err}
		}
		p := tvs[i]
		pos := input.Pos{File: src.file, Line: lines[i]}
		if tvStructural[p.Tag] || skipped >= maxTVSkips {
			e := &input.Error{Pos: pos, Msg: fmt.Sprintf("tools-golang cannot read %s: %v", quote(p.Tag+": "+p.Value), err), Err: err}
			if skipped >= maxTVSkips {
				e.Hint = fmt.Sprintf("%d lines were skipped already; the document is too far from SPDX tag-value to read", skipped)
			}
			return nil, e
		}
		src.notes.add("library-skip", pos, quote(p.Tag+": "+p.Value)+": "+err.Error())
		// The pair is not structural: the packages and their lines stay.
		tvs = append(tvs[:i:i], tvs[i+1:]...)
		lines = append(lines[:i:i], lines[i+1:]...)
		if len(tvs) == 0 {
			return nil, &input.Error{Pos: pos, Msg: "no SPDX tag-value pair left that tools-golang can read", Err: err}
		}
	}
}

// tvStructural are tags whose loss would change which element the
// following lines belong to.
var tvStructural = map[string]bool{
	"PackageName": true, "FileName": true, "SnippetSPDXID": true, "LicenseID": true,
	"Reviewer": true, "SPDXID": true, "SPDXVersion": true,
}

func parseTV(version string, tvs []reader.TagValuePair) (*spdx.Document, error) {
	var out spdx.Document
	err := protect("tools-golang", func() error {
		var doc any
		var err error
		switch version {
		case "SPDX-2.1":
			doc, err = v2_1_reader.ParseTagValues(tvs)
		case "SPDX-2.2":
			doc, err = v2_2_reader.ParseTagValues(tvs)
		case "SPDX-2.3":
			doc, err = v2_3_reader.ParseTagValues(tvs)
		default:
			return fmt.Errorf("unsupported SPDX version %q", version)
		}
		if err != nil {
			return err
		}
		return convertSPDX2(doc, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// tvFailingPair finds the pair the parser stopped at: the parser reads
// pairs in order and stops at the first it rejects, so the shortest prefix
// that fails with the same error ends with it. Prefixes that end inside an
// element fail differently (an element without SPDXID at the end of input)
// and are not taken for it.
func tvFailingPair(version string, pairs []reader.TagValuePair, err error) int {
	if len(pairs) == 0 {
		return -1
	}
	msg := err.Error()
	// The search parses up to log2(n) prefixes; bound the work, so that a
	// huge hostile file cannot keep the reader busy for minutes.
	budget := maxTVSearch
	fails := func(k int) bool {
		budget -= k
		if budget < 0 {
			return true
		}
		_, e := parseTV(version, pairs[:k])
		return e != nil && e.Error() == msg
	}
	lo, hi := 1, len(pairs)
	if !fails(hi) {
		return -1
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if budget < 0 {
		return -1
	}
	return lo - 1
}

// maxTVSearch is how many pairs tvFailingPair may parse in all: some 20
// parses of a document of 200,000 pairs (tools-golang parses a million
// pairs a second or so).
const maxTVSearch = 4 << 20

// tvTokenize splits a tag-value document into pairs the way
// tools-golang's reader does: blank lines and lines starting with # are
// skipped, "Tag: value" is split at the first colon and trimmed, a value
// starting with <text> runs to </text>, possibly lines later.
func tvTokenize(src *source) ([]tvPair, error) {
	data := src.data
	// One string for the whole file: tags and values are substrings of
	// it, not an allocation each (build copies what it keeps). A buffer
	// the reader owns is taken as it is; another is copied, as its owner
	// may write it again.
	var text string
	if src.owned && len(data) > 0 {
		text = unsafe.String(&data[0], len(data))
	} else {
		text = string(data)
	}
	// Sized once: a line holds at most one pair, and a pair takes at least
	// three bytes ("a:" and its line end). Grown from half the lines, the
	// pairs of Istio's SBOM (a pair on nearly every line) were allocated
	// four times over, 2.4 MB more than they take.
	pairs := make([]tvPair, 0, min(bytes.Count(data, []byte{'\n'}), len(data)/3)+1)
	lineNo := 0
	for off := 0; off < len(data); {
		end, next, bare := tvLineEnd(data, off)
		if bare {
			src.notes.addAt("cr-line-end", lineNo+1, "")
		}
		lineNo++
		start := lineNo
		lineStart := off
		off = next
		for lineStart < end && isTVSpace(data[lineStart]) {
			lineStart++
		}
		if lineStart == end || data[lineStart] == '#' {
			continue
		}
		colon := bytes.IndexByte(data[lineStart:end], ':')
		if colon < 0 {
			src.notes.addAt("tag-nocolon", lineNo, quote(text[lineStart:end]))
			continue
		}
		colon += lineStart
		tag := tvTag(text, data, lineStart, colon)
		v0, v1 := colon+1, end
		open := bytes.Index(data[v0:v1], []byte("<text>"))
		if open < 0 {
			pairs = append(pairs, tvPair{tag: tag, value: trimmed(text, v0, v1), line: lineNo})
			continue
		}
		v0 += open + len("<text>")
		if cl := bytes.Index(data[v0:v1], []byte("</text>")); cl >= 0 {
			if rest := bytes.TrimSpace(data[v0+cl+len("</text>") : v1]); len(rest) > 0 {
				src.notes.addAt("text-trailing", lineNo, quote(string(rest)))
			}
			pairs = append(pairs, tvPair{tag: tag, value: text[v0 : v0+cl], line: lineNo})
			continue
		}
		// A multi-line text: find the closing tag in the rest of the file.
		// The value is the lines joined with "\n" (line ends as the library
		// sees them: without "\r").
		cl := bytes.Index(data[off:], []byte("</text>"))
		if cl < 0 {
			return nil, input.Errorf(input.Pos{File: src.file, Line: start},
				"%s: <text> is never closed with </text>", tag).
				WithHint("the file ends inside a multi-line value: it was probably truncated")
		}
		value := text[v0 : off+cl]                                    // from after <text> to before </text>
		lineNo += tvLineEnds(data[off:off+cl], src.notes, lineNo) + 1 // the line of </text>
		if strings.IndexByte(value, '\r') >= 0 {
			value = strings.ReplaceAll(strings.ReplaceAll(value, "\r\n", "\n"), "\r", "\n")
		}
		after := off + cl + len("</text>")
		lineEnd, next, bare := tvLineEnd(data, after)
		if bare {
			src.notes.addAt("cr-line-end", lineNo, "")
		}
		if rest := bytes.TrimSpace(data[after:lineEnd]); len(rest) > 0 {
			src.notes.addAt("text-trailing", lineNo, quote(string(rest)))
		}
		pairs = append(pairs, tvPair{tag: tag, value: value, line: start})
		off = next
	}
	return pairs, nil
}

// tvLineEnd finds the end of the line that starts at off: a line ends at
// LF, CRLF or — as old Mac tools and files merged from several systems end
// some lines — a lone CR, which tools-golang would not see as a line end
// and would read the document as one garbled line. It returns where the
// line's text ends, where the next line starts, and whether the line ended
// with a lone CR.
func tvLineEnd(data []byte, off int) (end, next int, bareCR bool) {
	i := bytes.IndexAny(data[off:], "\r\n")
	if i < 0 {
		return len(data), len(data), false
	}
	end = off + i
	switch {
	case data[end] == '\n':
		return end, end + 1, false
	case end+1 < len(data) && data[end+1] == '\n':
		return end, end + 2, false
	}
	return end, end + 1, true
}

// tvLineEnds counts the line ends in b as tvLineEnd sees them, noting the
// lone CRs; b starts on line first.
func tvLineEnds(b []byte, n *notes, first int) int {
	count := 0
	for off := 0; off < len(b); {
		end, next, bare := tvLineEnd(b, off)
		if end == len(b) {
			break
		}
		if bare {
			n.addAt("cr-line-end", first+count, "")
		}
		count++
		off = next
	}
	return count
}

func isTVSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' }

// tvTag returns the tag of text[start:colon], trimmed, without allocating
// for the tags SPDX defines.
func tvTag(text string, data []byte, start, colon int) string {
	end := colon
	for end > start && isTVSpace(data[end-1]) {
		end--
	}
	if t, ok := tvExact[string(data[start:end])]; ok {
		return t
	}
	return text[start:end]
}

// trimmed is text[i:j] without surrounding white space.
func trimmed(text string, i, j int) string {
	return strings.TrimSpace(text[i:j])
}

package sbom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tracegate/tracegate/internal/input"
)

// member is one key of a JSON object with the raw bytes of its value (a
// sub-slice of the document, never a copy).
type member struct {
	key string
	val []byte
	off int // offset of the value in the scanned data
}

// errJSONEOF reports input that ends inside a value.
var errJSONEOF = errors.New("unexpected end of JSON input")

// jsonSyntaxError is a scan failure at a byte offset.
type jsonSyntaxError struct {
	off int
	msg string
}

func (e *jsonSyntaxError) Error() string { return e.msg }

// scanObject reads the members of the JSON object starting at data[i]
// without decoding their values, and returns the offset just after the
// object. It checks only what it needs to find the members' boundaries
// (strings, nesting, separators); the decoder that reads the document later
// validates the rest. It is linear in the input and never recurses, so no
// input can make it slow or exhaust the stack.
//
// stop, when not nil, is asked before each value is skipped, with the
// members read so far and the next member's name: when it says so,
// scanning ends there and complete is false. Telling a format needs only
// the first members; skipping the rest would cost a pass over the file.
func scanObject(data []byte, i int, stop func(members []member, next string) bool) (members []member, end int, complete bool, err error) {
	i = skipSpace(data, i)
	if i >= len(data) {
		return nil, i, false, &jsonSyntaxError{i, errJSONEOF.Error()}
	}
	if data[i] != '{' {
		return nil, i, false, &jsonSyntaxError{i, fmt.Sprintf("expected '{', found %s", describeByte(data, i))}
	}
	i++
	for first := true; ; first = false {
		i = skipSpace(data, i)
		if i >= len(data) {
			return members, i, false, &jsonSyntaxError{i, errJSONEOF.Error()}
		}
		if data[i] == '}' && first {
			return members, i + 1, true, nil
		}
		if data[i] != '"' {
			return members, i, false, &jsonSyntaxError{i, fmt.Sprintf("expected a member name, found %s", describeByte(data, i))}
		}
		kEnd, err := skipString(data, i)
		if err != nil {
			return members, kEnd, false, err
		}
		key := jsonKey(data[i:kEnd])
		i = skipSpace(data, kEnd)
		if i >= len(data) {
			return members, i, false, &jsonSyntaxError{i, errJSONEOF.Error()}
		}
		if data[i] != ':' {
			return members, i, false, &jsonSyntaxError{i, fmt.Sprintf("expected ':' after member name, found %s", describeByte(data, i))}
		}
		vStart := skipSpace(data, i+1)
		if stop != nil && stop(members, key) {
			return members, vStart, false, nil
		}
		vEnd, err := skipValue(data, vStart)
		if err != nil {
			return members, vEnd, false, err
		}
		members = append(members, member{key: key, val: data[vStart:vEnd], off: vStart})
		i = skipSpace(data, vEnd)
		if i >= len(data) {
			return members, i, false, &jsonSyntaxError{i, errJSONEOF.Error()}
		}
		switch data[i] {
		case ',':
			i++
		case '}':
			return members, i + 1, true, nil
		default:
			return members, i, false, &jsonSyntaxError{i, fmt.Sprintf("expected ',' or '}' after a member, found %s", describeByte(data, i))}
		}
	}
}

// skipValue returns the offset just after the JSON value at data[i].
func skipValue(data []byte, i int) (int, error) {
	if i >= len(data) {
		return i, &jsonSyntaxError{i, errJSONEOF.Error()}
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for i < len(data) {
			// Most bytes of a document are inside strings or are white
			// space and punctuation that do not nest: skip them fast.
			for i < len(data) && !jsonNesting[data[i]] {
				i++
			}
			if i >= len(data) {
				break
			}
			switch data[i] {
			case '"':
				end, err := skipString(data, i)
				if err != nil {
					return end, err
				}
				i = end
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, nil
				}
			}
			i++
		}
		return i, &jsonSyntaxError{i, errJSONEOF.Error()}
	}
	// A literal or a number: up to the next delimiter.
	start := i
	for i < len(data) {
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			if i == start {
				return i, &jsonSyntaxError{i, fmt.Sprintf("expected a value, found %s", describeByte(data, i))}
			}
			return i, nil
		}
		i++
	}
	return i, nil
}

// skipString returns the offset just after the string starting at data[i].
// It jumps from quote to quote (bytes.IndexByte is vectorised); a quote
// preceded by an odd number of backslashes is escaped.
func skipString(data []byte, i int) (int, error) {
	start := i + 1
	for j := start; ; {
		k := bytes.IndexByte(data[j:], '"')
		if k < 0 {
			return len(data), &jsonSyntaxError{len(data), errJSONEOF.Error()}
		}
		k += j
		n := 0
		for m := k - 1; m >= start && data[m] == '\\'; m-- {
			n++
		}
		if n%2 == 0 {
			return k + 1, nil
		}
		j = k + 1
	}
}

// jsonNesting marks the bytes skipValue must look at inside a container.
var jsonNesting = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// jsonKey decodes a member name; raw includes the quotes.
func jsonKey(raw []byte) string {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return string(raw[1 : len(raw)-1])
	}
	return s
}

// jsonString decodes a raw JSON value that must be a string.
func jsonString(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

func describeByte(data []byte, i int) string {
	if i >= len(data) {
		return "end of file"
	}
	return fmt.Sprintf("%q", rune(data[i]))
}

// lineCol turns a byte offset into a 1-based line and column (in bytes).
func lineCol(data []byte, off int) (line, col int) {
	p := input.PosAt("", data, int64(off))
	return p.Line, p.Col
}

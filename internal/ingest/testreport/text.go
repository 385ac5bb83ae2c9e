package testreport

import (
	"strings"
	"unicode/utf8"

	"github.com/tracegate/tracegate/internal/input"
)

// truncMark ends a message that was cut to input.MaxMessage.
const truncMark = "\n… (truncated)"

// clip trims s and cuts it to input.MaxMessage bytes on a rune boundary.
func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= input.MaxMessage {
		return s
	}
	cut := input.MaxMessage
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimSpace(s[:cut]) + truncMark
}

// headText collects the first input.MaxMessage bytes written to it and remembers
// whether more was offered, so that a 100 MB stack trace costs 4 KB.
type headText struct {
	b         strings.Builder
	truncated bool
}

func (h *headText) add(s []byte) {
	if room := input.MaxMessage + 1 - h.b.Len(); room > 0 {
		if len(s) > room {
			s = s[:room]
			h.truncated = true
		}
		h.b.Write(s)
	} else if len(s) > 0 {
		h.truncated = true
	}
}

func (h *headText) addString(s string) {
	if len(s) > input.MaxMessage+1 {
		s = s[:input.MaxMessage+1]
		h.truncated = true
	}
	h.add([]byte(s))
}

func (h *headText) String() string {
	s := clip(h.b.String())
	if h.truncated && !strings.HasSuffix(s, truncMark) {
		s += truncMark
	}
	return s
}

// tailText keeps the last input.MaxMessage bytes written to it: the end of a test
// log is where a runner prints why the test failed.
type tailText struct {
	b   []byte
	cut bool
}

func (t *tailText) add(s []byte) {
	t.b = append(t.b, s...)
	if len(t.b) > 2*input.MaxMessage {
		t.b = append(t.b[:0], t.b[len(t.b)-input.MaxMessage:]...)
		t.cut = true
	}
}

func (t *tailText) String() string {
	b := t.b
	cut := t.cut
	if len(b) > input.MaxMessage {
		b = b[len(b)-input.MaxMessage:]
		cut = true
	}
	for len(b) > 0 && !utf8.RuneStart(b[0]) {
		b = b[1:]
	}
	s := strings.TrimSpace(string(b))
	if cut && s != "" {
		s = "(… earlier output cut)\n" + s
	}
	return s
}

// appendUnique appends the items of add that dst does not hold yet.
func appendUnique(dst []string, add ...string) []string {
outer:
	for _, a := range add {
		for _, d := range dst {
			if d == a {
				continue outer
			}
		}
		dst = append(dst, a)
	}
	return dst
}

package testtag

import (
	"strings"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
	"github.com/tracegate/tracegate/internal/model"
)

// pytest's record_property in test sources. Ketryx links a pytest test to
// the items it tests by a property the test records for the JUnit report
// (Ketryx/git-based-items-best-practices, python/test_sample.py):
//
//	def test_health_default_status(record_property):
//	    record_property("tested-item-id", "SPEC-UTILS-SERVICE")
//
// The JUnit reader reads the property where the report has it; pytest
// writes properties only with junit_family=xunit1 or legacy, and a team's
// report may not carry them at all. The call in the source says the same,
// so it is read as a tag of the test function it is in. Only link
// properties count (tested-item-id, requirement, requirements, verifies;
// record_xml_attribute alike), and only string literals: a value computed
// at run time cannot be read from the source and is reported.
//
// record_property takes a name and one value. A call with more values
// (record_property("tested-item-id", "A", "B"), seen in real test suites)
// raises TypeError when the test runs: it is reported and links nothing,
// since the test errors before it verifies anything.

var pyRecordRE = lazyre.New(`\brecord_(?:property|xml_attribute)\s*\(`)

// pyArg is one argument of a call: a string literal's value, or not one.
type pyArg struct {
	keyword string // name=, or "" for a positional argument
	value   string
	literal bool
}

func (s *scan) pyRecordProperties(f *file) {
	x := f.x
	for _, m := range pyRecordRE().FindAllStringIndex(x.src, -1) {
		if x.classAt(m[0]) != code || strings.HasSuffix(strings.TrimRight(x.src[x.lines[x.lineOf(m[0])]:m[0]], " \t"), "def") {
			continue
		}
		n := x.lineOf(m[0])
		pos := input.Pos{File: s.file, Line: n + 1, Col: m[0] - x.lines[n] + 1}
		call := strings.TrimSpace(x.src[m[0] : m[1]-1])
		args := pyArgs(x, m[1]-1)
		var name, value *pyArg
		var positional []*pyArg
		for i := range args {
			a := &args[i]
			switch a.keyword {
			case "":
				positional = append(positional, a)
			case "name", "key":
				name = a
			case "value":
				value = a
			}
		}
		if name == nil && len(positional) > 0 {
			name, positional = positional[0], positional[1:]
		}
		if name == nil || !name.literal || !ingest.IsLinkProp(name.value) {
			continue // another property, or a name computed at run time
		}
		if value == nil && len(positional) > 0 {
			value, positional = positional[0], positional[1:]
		}
		switch {
		case value == nil:
			s.warn(pos, "%s(%q) without a value; it links nothing", call, name.value)
			continue
		case len(positional) > 0:
			s.warn(pos, "%s(%q, …) passes %d values: it takes one, so the call raises TypeError when the test runs and links nothing (record one property per ID, or list the IDs in one value)",
				call, name.value, len(positional)+1)
			continue
		case !value.literal:
			s.warn(pos, "%s(%q, …) records a value computed when the test runs, which cannot be read from the source; it links nothing here (the report's property links it when the report has it)", call, name.value)
			continue
		}
		ids := model.SplitLinks(value.value)
		if len(ids) == 0 {
			s.warn(pos, "%s(%q, %q) names no item; it links nothing", call, name.value, value.value)
			continue
		}
		var test *def
		for d := f.enclosing(m[0]); d != nil; d = d.parent {
			if d.kind == kTest {
				test = d
				break
			}
		}
		if test == nil {
			where := "outside any test function"
			if d := f.enclosing(m[0]); d != nil {
				where = "in " + d.name + ", which is not a test"
			}
			s.warn(pos, "%s(%q, …) is %s; it links nothing", call, name.value, where)
			continue
		}
		if len(s.tags) >= maxTags {
			s.warn(pos, "more than %d tags in the file; this one and the rest are not read", maxTags)
			return
		}
		s.tags = append(s.tags, model.TestTag{Function: f.qualified(test, ""), IDs: ids, Source: pos})
	}
}

// pyArgs reads the arguments of the call whose ( is at open: each split at
// the commas of the call's own level, each a string literal or not.
func pyArgs(x *lexed, open int) []pyArg {
	end := x.closing(open)
	var out []pyArg
	start := open + 1
	for k := start; k <= end && k <= len(x.src); k++ {
		if k < end && k < len(x.src) {
			if x.class[k] != code {
				continue
			}
			switch x.src[k] {
			case '(', '[', '{':
				if c := x.closing(k); c < end {
					k = c
				}
				continue
			case ',':
			default:
				continue
			}
		}
		if a, ok := pyArgAt(x, start, min(k, len(x.src))); ok {
			out = append(out, a)
		}
		start = k + 1
	}
	return out
}

var pyKeyword = lazyre.New(`^\s*([A-Za-z_]\w*)\s*=[^=]`)

// pyArgAt reads the argument in [from, to).
func pyArgAt(x *lexed, from, to int) (pyArg, bool) {
	var a pyArg
	text := x.src[from:to]
	if strings.TrimSpace(text) == "" {
		return a, false
	}
	if m := pyKeyword().FindStringSubmatchIndex(text); m != nil && x.classAt(from+m[2]) == code {
		a.keyword = text[m[2]:m[3]]
		from += m[3] + strings.Index(text[m[3]:], "=") + 1
	}
	// One or more adjacent string literals ("a" "b"), each with an
	// optional r or u prefix; an f-string or bytes is not a literal value.
	var b strings.Builder
	k := from
	for {
		for k < to && strings.IndexByte(" \t\r\n\\", x.src[k]) >= 0 && x.classAt(k) == code {
			k++
		}
		if k >= to {
			break
		}
		p := k
		for p < to && strings.IndexByte("rRuU", x.src[p]) >= 0 && x.classAt(p) == code {
			p++
		}
		if p >= to || x.classAt(p) == code || x.classAt(p) == comment {
			return a, true // not a literal
		}
		q := p
		for q < to && x.classAt(q) != code && x.classAt(q) != comment {
			q++
		}
		lit := x.src[p:q]
		quote := lit[:1]
		if strings.HasPrefix(lit, `"""`) || strings.HasPrefix(lit, `'''`) {
			quote = lit[:3]
		}
		if len(lit) < 2*len(quote) || !strings.HasSuffix(lit, quote) {
			return a, true
		}
		b.WriteString(lit[len(quote) : len(lit)-len(quote)])
		k = q
	}
	a.value, a.literal = b.String(), true
	return a, true
}

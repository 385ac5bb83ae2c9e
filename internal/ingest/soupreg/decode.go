package soupreg

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// decoder turns the values yamlsrc.Value produced into register entries,
// collecting every error and warning of the file so that a user fixes all
// of them in one run. The native format has been validated against the
// schema before; the rdm format relies on these checks alone.
type decoder struct {
	file  string
	data  []byte
	pos   map[string]input.Pos
	errs  input.Errors
	warns []input.Warning
	lines *text // data split into lines, made when a message quotes it
	// names are the names of values in messages where their key path is
	// not (a Markdown table's columns), by JSON pointer.
	names map[string]string
}

// at is the position of the value at ptr, or of its nearest ancestor.
func (d *decoder) at(ptr string) input.Pos {
	p := yamlsrc.Lookup(d.pos, ptr)
	if p.File == "" {
		p.File = d.file
	}
	return p
}

// keyAt is the position of the key whose value is at ptr.
func (d *decoder) keyAt(ptr string) input.Pos {
	if p, ok := d.pos[ptr+"#key"]; ok {
		return p
	}
	return d.at(ptr)
}

func (d *decoder) fail(p input.Pos, hint, format string, args ...any) {
	d.errs = append(d.errs, &input.Error{Pos: p, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

func (d *decoder) warn(p input.Pos, format string, args ...any) {
	d.warns = append(d.warns, input.Warnf(p, format, args...))
}

func child(ptr, key string) string { return ptr + yamlsrc.Pointer([]string{key}) }

func index(ptr string, i int) string { return ptr + "/" + strconv.Itoa(i) }

// text returns the string under key of the mapping m at ptr, trimmed;
// absent and null give "". Anything but a string is an error: a version
// written 1.10 has already become the number 1.1, and guessing it back
// would put a wrong version into the register.
func (d *decoder) text(ptr string, m map[string]any, key string) string {
	v := m[key]
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p := child(ptr, key)
		d.fail(d.at(p), d.quoteHint(d.at(p), v), "%s: expected text, got %s", yamlsrc.DottedKey(p), yamlsrc.Describe(v))
		return ""
	}
	return strings.TrimSpace(s)
}

// list returns the strings under key: a YAML list, or one string. Blank
// and repeated entries are dropped with a warning.
func (d *decoder) list(ptr string, m map[string]any, key string) []string {
	v := m[key]
	p := child(ptr, key)
	var out []string
	seen := map[string]bool{} // a set, not a scan: aliases can make a list of a million
	add := func(s string, at input.Pos) {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
			d.warn(at, "%s: empty entry ignored", yamlsrc.DottedKey(p))
		case seen[s]:
			d.warn(at, "%s: %q is listed more than once; read once", yamlsrc.DottedKey(p), s)
		default:
			seen[s] = true
			out = append(out, s)
		}
	}
	switch x := v.(type) {
	case nil:
	case string:
		add(x, d.at(p))
	case []any:
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				d.fail(d.at(index(p, i)), d.quoteHint(d.at(index(p, i)), e), "%s[%d]: expected text, got %s", yamlsrc.DottedKey(p), i, yamlsrc.Describe(e))
				continue
			}
			add(s, d.at(index(p, i)))
		}
	default:
		d.fail(d.at(p), "", "%s: expected a list or a single value, got %s", yamlsrc.DottedKey(p), yamlsrc.Describe(v))
	}
	return out
}

// review reads an anomaly_review mapping; null gives nil.
func (d *decoder) review(ptr string, m map[string]any, key string) *model.AnomalyReview {
	v := m[key]
	p := child(ptr, key)
	if v == nil {
		return nil
	}
	rm, ok := v.(map[string]any)
	if !ok {
		d.fail(d.at(p), "write the review as a mapping with version, date, reviewer, sources, summary and anomalies",
			"%s: expected a mapping, got %s", yamlsrc.DottedKey(p), yamlsrc.Describe(v))
		return nil
	}
	r := &model.AnomalyReview{
		Version:  d.text(p, rm, "version"),
		Date:     d.date(p, rm, "date"),
		Reviewer: d.text(p, rm, "reviewer"),
		Sources:  d.list(p, rm, "sources"),
		Summary:  d.text(p, rm, "summary"),
		Source:   d.at(p),
	}
	r.Anomalies = d.anomalies(child(p, "anomalies"), rm["anomalies"], false)
	return r
}

// date returns a YYYY-MM-DD date, checked to exist: 2026-02-30 is not a
// day anyone reviewed anything.
func (d *decoder) date(ptr string, m map[string]any, key string) string {
	s := d.text(ptr, m, key)
	if s == "" {
		return ""
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		p := child(ptr, key)
		d.fail(d.at(p), "write the date as YYYY-MM-DD", "%s: %q is not a date", yamlsrc.DottedKey(p), s)
	}
	return s
}

// anomalies reads a list of {id, assessment}; with text set (rdm), a list
// entry may also be a bare anomaly ID.
func (d *decoder) anomalies(p string, v any, text bool) []model.ReviewedAnomaly {
	if v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		d.fail(d.at(p), "", "%s: expected a list of anomalies, got %s", yamlsrc.DottedKey(p), yamlsrc.Describe(v))
		return nil
	}
	var out []model.ReviewedAnomaly
	for i, e := range list {
		ep := index(p, i)
		switch x := e.(type) {
		case string:
			if text && strings.TrimSpace(x) != "" {
				out = append(out, model.ReviewedAnomaly{ID: strings.TrimSpace(x)})
				continue
			}
		case map[string]any:
			a := model.ReviewedAnomaly{ID: d.text(ep, x, "id"), Assessment: d.text(ep, x, "assessment")}
			if a.ID == "" {
				d.fail(d.at(ep), "name the anomaly as its list does: CVE-2022-37434, an issue number or URL", "%s has no id", yamlsrc.DottedKey(ep))
				continue
			}
			out = append(out, a)
			continue
		}
		d.fail(d.at(ep), "", "%s: expected an anomaly {id, assessment}, got %s", yamlsrc.DottedKey(ep), yamlsrc.Describe(e))
	}
	return out
}

// quoteHint tells how to write a value YAML did not read as text. The raw
// token is shown because the value already lost what the user wrote (1.10
// is the number 1.1).
func (d *decoder) quoteHint(p input.Pos, v any) string {
	switch v.(type) {
	case float64, bool:
	default:
		return ""
	}
	if d.lines == nil {
		if d.lines, _ = newText(d.data); d.lines == nil {
			d.lines = &text{}
		}
	}
	raw := rawToken(d.lines, p)
	if raw == "" {
		return "quote the value if it is meant as text"
	}
	return fmt.Sprintf("quote it, \"%s\", if it is meant as text: YAML reads the unquoted %s as %s", raw, raw, yamlsrc.Describe(v))
}

// withQuoteHints attaches quoteHint to the schema errors that sit at a
// number or a boolean, the usual cause of "expected string".
func (d *decoder) withQuoteHints(errs input.Errors, v any) input.Errors {
	leaves := map[input.Pos]any{}
	var walk func(v any, ptr string)
	walk = func(v any, ptr string) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(e, child(ptr, k))
			}
		case []any:
			for i, e := range x {
				walk(e, index(ptr, i))
			}
		case float64, bool:
			leaves[d.at(ptr)] = x
		}
	}
	walk(v, "")
	for _, e := range errs {
		if leaf, ok := leaves[e.Pos]; ok && e.Hint == "" {
			e.Hint = d.quoteHint(e.Pos, leaf)
		}
	}
	return errs
}

// rawToken is the plain scalar written at p: the rest of its line up to a
// comment or a flow indicator.
func rawToken(t *text, p input.Pos) string {
	if p.Line < 1 || p.Line > t.lines() {
		return ""
	}
	line := t.line(p.Line - 1)
	off := runeOffset(line, p.Col-1)
	if off < 0 {
		return ""
	}
	s := line[off:]
	if i := strings.Index(s, " #"); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexAny(s, ",]}"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) || strings.ContainsAny(s, "\"'") {
		return ""
	}
	return s
}

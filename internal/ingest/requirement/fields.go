package requirement

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// report gathers the errors and warnings of one file, so that a user fixes
// every problem of a file in one run rather than one per run.
type report struct {
	errs  input.Errors
	warns []input.Warning
}

func (r *report) errorf(p input.Pos, hint, format string, args ...any) {
	r.errs = append(r.errs, &input.Error{Pos: p, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

func (r *report) warnf(p input.Pos, format string, args ...any) {
	r.warns = append(r.warns, input.Warnf(p, format, args...))
}

// add records an error returned by yamlsrc or input, keeping its position.
func (r *report) add(file string, err error) {
	var es input.Errors
	if errors.As(err, &es) {
		r.errs = append(r.errs, es...)
		return
	}
	if e, ok := input.AsError(err); ok {
		r.errs = append(r.errs, e)
		return
	}
	r.errs = append(r.errs, &input.Error{Pos: input.Pos{File: file}, Msg: err.Error(), Err: err})
}

// items returns what the file yielded, or every error found in it: a file
// with an error yields nothing, because a half-read file would look complete.
func (r *report) items(reqs []model.Requirement) (*ingest.Items, error) {
	if len(r.errs) > 0 {
		yamlsrc.SortErrors(r.errs)
		return nil, r.errs
	}
	return &ingest.Items{Requirements: reqs, Warnings: r.warns}, nil
}

// fields reads the keys of one YAML mapping, as yamlsrc.Value produced it,
// into requirement fields. Type errors are reported at the value's position;
// the native formats have already been checked against the schema, the
// import formats rely on these checks alone.
type fields struct {
	file string
	ptr  string // JSON pointer of the mapping within its document
	m    map[string]any
	pos  map[string]input.Pos
	log  *report
}

func (f fields) child(key string) string { return f.ptr + yamlsrc.Pointer([]string{key}) }

// at is the position of the value under key, or of the mapping.
func (f fields) at(key string) input.Pos { return yamlsrc.Lookup(f.pos, f.child(key)) }

// keyAt is the position of key itself.
func (f fields) keyAt(key string) input.Pos { return yamlsrc.Lookup(f.pos, f.child(key)+"#key") }

// self is the position of the mapping: where the item starts.
func (f fields) self() input.Pos {
	p := yamlsrc.Lookup(f.pos, f.ptr)
	if p.File == "" {
		p.File = f.file
	}
	return p
}

// name renders key for messages, with the path of the mapping
// ("requirements[2].class").
func (f fields) name(key string) string { return yamlsrc.DottedKey(f.child(key)) }

// set reports whether key holds a value other than null: a null is a
// field left blank, which inherits a default like a missing one.
func (f fields) set(key string) bool { return f.m[key] != nil }

// text returns the string under key, trimmed; absent and null give "".
func (f fields) text(key string) string {
	v := f.m[key]
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		f.log.errorf(f.at(key), "quote the value if it is meant as text", "%s: expected text, got %s", f.name(key), yamlsrc.Describe(v))
		return ""
	}
	return strings.TrimSpace(s)
}

// lower returns the text under key, lower-cased: states and kinds are
// compared without regard to case.
func (f fields) lower(key string) string { return strings.ToLower(f.text(key)) }

// id returns the ID under key, trimmed, and reports a missing or blank one:
// an item without an ID cannot be traced, so it must not be read as if it
// were there.
func (f fields) id(key string) string {
	v, ok := f.m[key]
	if !ok {
		f.log.errorf(f.self(), "every requirement needs an ID that tests, risk controls and pull requests can refer to",
			"%s has no %s", describeItem(f.ptr), key)
		return ""
	}
	if v == nil {
		f.log.errorf(f.at(key), "", "%s is empty", f.name(key))
		return ""
	}
	s := f.text(key)
	if s == "" {
		if _, isString := v.(string); isString {
			f.log.errorf(f.at(key), "", "%s is empty", f.name(key))
		}
	}
	return s
}

// list returns the strings under key: a YAML list, or one string. When
// commas is set, a string may also hold several entries separated by
// commas, as tools that write links into one text field do ("KP-43, KP-44").
// Entries are trimmed and de-duplicated in file order; blank and repeated
// entries are reported, because the file does not say what it means.
func (f fields) list(key string, commas bool) []string {
	v := f.m[key]
	if v == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{} // a set, not a scan: a list may hold a million entries
	add := func(s string, p input.Pos) {
		parts := []string{s}
		if commas {
			parts = strings.Split(s, ",")
		}
		for _, part := range parts {
			part = strings.TrimSpace(part)
			switch {
			case part == "":
				f.log.warnf(p, "%s: empty entry ignored", f.name(key))
			case seen[part]:
				f.log.warnf(p, "%s: %s is listed more than once; read once", f.name(key), part)
			default:
				seen[part] = true
				out = append(out, part)
			}
		}
	}
	switch x := v.(type) {
	case string:
		add(x, f.at(key))
	case []any:
		for i, e := range x {
			p := yamlsrc.Lookup(f.pos, fmt.Sprintf("%s/%d", f.child(key), i))
			s, ok := e.(string)
			if !ok {
				f.log.errorf(p, "quote the value if it is meant as an ID", "%s[%d]: expected text, got %s", f.name(key), i, yamlsrc.Describe(e))
				continue
			}
			add(s, p)
		}
	default:
		f.log.errorf(f.at(key), "", "%s: expected a list or a single value, got %s", f.name(key), yamlsrc.Describe(v))
	}
	return out
}

// class returns the safety class under key.
func (f fields) class(key string) model.Class {
	s := f.text(key)
	if s == "" {
		return ""
	}
	c, err := model.ParseClass(s)
	if err != nil {
		f.log.errorf(f.at(key), "", "%s: %v", f.name(key), err)
	}
	return c
}

// verification returns the verification method under key, lower-cased.
// An unknown method is an error rather than a default: "tested" read as
// "test" would be a guess, and "review" read as test would demand a test
// nobody plans to write.
func (f fields) verification(key string) string {
	s := f.lower(key)
	if s == "" || slices.Contains(model.VerificationMethods, s) {
		return s
	}
	f.log.errorf(f.at(key), "use one of "+strings.Join(model.VerificationMethods, ", "),
		"%s: %q is not a verification method", f.name(key), s)
	return ""
}

// extensions reads the tracegate fields that an import format carries as
// custom attributes (Doorstop's extended attributes, extra keys in rdm's
// data files): the tool itself has no place for them, and a team that wants
// the gate to see a risk control link writes it this way.
func (f fields) extensions(r *model.Requirement) {
	if f.set("risk_controls") {
		r.RiskControls = f.list("risk_controls", true)
	}
	if f.set("verification") {
		r.Verification = f.verification("verification")
	}
	if f.set("status") {
		r.Status = f.lower("status")
	}
	if f.set("class") {
		r.Class = f.class("class")
	}
	if f.set("type") {
		r.Type = f.lower("type")
	}
	if f.set("item") {
		r.Item = f.text("item")
	}
	if f.set("evidence") {
		r.Evidence = f.list("evidence", true)
	}
	if f.set("tests") {
		r.Tests = f.list("tests", false)
	}
}

// extensionKeys are the keys extensions reads.
var extensionKeys = []string{"risk_controls", "verification", "status", "class", "type", "item", "evidence", "tests"}

// describeItem names the mapping at ptr for messages.
func describeItem(ptr string) string {
	if ptr == "" {
		return "the requirement"
	}
	return yamlsrc.DottedKey(ptr)
}

func itoa(i int) string { return strconv.Itoa(i) }

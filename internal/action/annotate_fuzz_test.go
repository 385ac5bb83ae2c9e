package action

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sethvargo/go-githubactions"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/input"
)

// unescape decodes a workflow command's message or property as the runner
// does (ActionCommand.Unescape): %0D, %0A, %3A, %2C, then %25.
func unescape(s string, property bool) string {
	s = strings.ReplaceAll(s, "%0D", "\r")
	s = strings.ReplaceAll(s, "%0A", "\n")
	if property {
		s = strings.ReplaceAll(s, "%3A", ":")
		s = strings.ReplaceAll(s, "%2C", ",")
	}
	return strings.ReplaceAll(s, "%25", "%")
}

// FuzzAnnotate: whatever the finding's text and file, each annotation is
// one line, one command, whose properties and message decode to what was
// meant: nothing a finding says can end the command or start another.
func FuzzAnnotate(f *testing.F) {
	f.Add("pull request “x”", "no link\n::add-mask::x", "docs/a,b:c.yml", 3)
	f.Add("%0A", "%25%3A::error::x\r\n", "::", 0)
	f.Add("", "", "", 1)
	f.Fuzz(func(t *testing.T, subject, message, file string, line int) {
		res := &gate.Result{Findings: []gate.Finding{{Rule: "TG201", Name: "pr-linked", Severity: gate.SevError, Subject: subject, Message: message,
			Location: &input.Pos{File: file, Line: line}}}}
		var out bytes.Buffer
		as, _ := annotations(res)
		annotate(githubactions.New(githubactions.WithWriter(&out)), as)
		text := strings.TrimSuffix(out.String(), "\n")
		if strings.ContainsAny(text, "\r\n") {
			t.Fatalf("the annotation spans lines: %q", out.String())
		}
		rest, ok := strings.CutPrefix(text, "::error ")
		if !ok {
			t.Fatalf("not an error command: %q", text)
		}
		props, msg, ok := strings.Cut(rest, "::")
		if !ok {
			t.Fatalf("no message: %q", text)
		}
		got := map[string]string{}
		for _, kv := range strings.Split(props, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Fatalf("property %q in %q", kv, text)
			}
			got[k] = unescape(v, true)
		}
		for k, v := range as[0].props {
			if got[k] != v {
				t.Errorf("property %s = %q, want %q", k, got[k], v)
			}
		}
		if len(got) != len(as[0].props) {
			t.Errorf("properties %q, want %q", got, as[0].props)
		}
		if want := shorten(as[0].text, maxAnnotationMessage); unescape(msg, false) != want {
			t.Errorf("message %q, want %q", unescape(msg, false), want)
		}
	})
}

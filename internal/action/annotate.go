package action

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sethvargo/go-githubactions"

	"github.com/tracegate/tracegate/internal/gate"
)

// MaxAnnotations is how many annotations a run issues: GitHub shows ten of
// each kind per step and drops the rest, so the ten most severe are issued
// and the summary and SARIF carry every finding.
const MaxAnnotations = 10

// maxAnnotationMessage bounds one annotation's text; the full message is in
// the summary and the JSON result.
const maxAnnotationMessage = 4000

// annotation is one workflow-command annotation.
type annotation struct {
	level gate.Severity
	props map[string]string
	text  string
}

// annotations picks what to annotate: the evaluation errors, then the
// findings by severity (the result's order within a severity), at most
// MaxAnnotations in all. total is how many there were to annotate.
func annotations(res *gate.Result) (out []annotation, total int) {
	for _, e := range res.Errors {
		out = append(out, annotation{level: gate.SevError, props: map[string]string{"title": "tracegate: evaluation error"}, text: e})
	}
	findings := append([]gate.Finding(nil), res.Findings...)
	sort.SliceStable(findings, func(i, j int) bool { return findings[i].Severity.Rank() > findings[j].Severity.Rank() })
	for _, f := range findings {
		props := map[string]string{"title": strings.TrimSpace(f.Rule + " " + f.Name)}
		// A finding without a file (a pull request, a commit) is still an
		// annotation of the run, shown without a place in the diff.
		if f.Location != nil && f.Location.File != "" {
			props["file"] = f.Location.File
			if f.Location.Line > 0 {
				props["line"] = strconv.Itoa(f.Location.Line)
				if f.Location.Col > 0 {
					props["col"] = strconv.Itoa(f.Location.Col)
				}
			}
		}
		text := f.Message
		if f.Subject != "" && !strings.Contains(text, f.Subject) {
			text = f.Subject + ": " + text
		}
		if len(f.Clauses) > 0 {
			text += " [" + strings.Join(f.Clauses, ", ") + "]"
		}
		if f.Remediation != "" {
			text += " Fix: " + f.Remediation
		}
		out = append(out, annotation{level: f.Severity, props: props, text: text})
	}
	total = len(out)
	if len(out) > MaxAnnotations {
		out = out[:MaxAnnotations]
	}
	return out, total
}

// annotate issues the annotations through go-githubactions, which escapes
// the message (%, CR, LF) and the properties (also : and ,) as the runner
// unescapes them.
func annotate(gha *githubactions.Action, as []annotation) {
	for _, a := range as {
		g := gha.WithFieldsMap(a.props)
		msg := shorten(a.text, maxAnnotationMessage)
		switch a.level {
		case gate.SevError:
			g.Errorf("%s", msg)
		case gate.SevWarning:
			g.Warningf("%s", msg)
		default:
			g.Noticef("%s", msg)
		}
	}
}

// shorten cuts s to at most n bytes on a rune boundary, saying so.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const more = " … (shortened; the summary has the whole text)"
	cut := n - len(more)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + more
}

// annotationNote is the summary's line about the findings that are not
// annotations.
func annotationNote(shown, total int, resultFile string) string {
	if total <= shown {
		return ""
	}
	return fmt.Sprintf("> **%d of %d** findings and errors are annotations of this step (GitHub shows ten per step); "+
		"the other %d are below, and every one is in the JSON result `%s` (step output `findings-json`) and the SARIF file (step output `sarif`).\n\n",
		shown, total, total-shown, resultFile)
}

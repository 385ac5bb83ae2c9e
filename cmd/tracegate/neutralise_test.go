package main

import (
	"bufio"
	"strings"
	"testing"
	"unicode"

	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
)

// workflowCommands lists the lines of out a GitHub Actions runner would
// take for a workflow command: "::" after leading white space (v2), or
// "##[" anywhere (the legacy form, still parsed). The runner splits lines
// at \n, \r and \r\n.
func workflowCommands(out string) []string {
	var cmds []string
	sc := bufio.NewScanner(strings.NewReader(strings.ReplaceAll(out, "\r", "\n")))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::") || strings.Contains(line, "##[") {
			cmds = append(cmds, line)
		}
	}
	return cmds
}

// controls lists the control characters in out other than line feeds.
func controls(out string) []rune {
	var cs []rune
	for _, r := range out {
		if r != '\n' && (unicode.IsControl(r) || r == '\u202E') {
			cs = append(cs, r)
		}
	}
	return cs
}

// Untrusted text — a file name, a requirement title, a commit subject —
// cannot issue a workflow command from plain CLI output in a run: step
// (GITHUB_ACTIONS=true), whatever the format printed; and control
// characters never reach a terminal raw.
func TestOutputNeutralisesUntrustedText(t *testing.T) {
	r := gittest.New(t)
	r.Write(".github/tracegate.yml", `version: 1
safety_class: A
requirements: [{path: "docs/req/*.yml"}]
tests: [{path: "reports/*.xml", format: junit}]
problem_reports: {labels: []}
change_requests: {labels: []}
release: {tag_pattern: "v*"}
`)
	r.Write("docs/req/y\n::error file=README.md::from a file name.yml", "- id: SRS-001\n  title: \"Dose\\n::error title=pwned::from a title ##[warning]legacy \\e[31mred\\u202Eevil\"\n  status: approved\n  text: t\n")
	r.Commit("SRS-001 first")
	r.Tag("v1", true, "v1")
	r.Write("README.md", "x\n")
	r.Commit("untraced \r::notice::from a subject ##[error]legacy in a subject\x1b[2J")
	broken := gittest.New(t)
	broken.Write("docs/requirements/x\n::error file=README.md::from a broken file name\r##[error]cr.yml", "x: [\n")
	broken.Commit("broken")

	t.Setenv("GITHUB_ACTIONS", "true")
	for _, tt := range []struct {
		dir  string
		args []string
	}{
		{r.Dir(), []string{"check", "release"}},
		{r.Dir(), []string{"check", "release", "--format", "json"}},
		{r.Dir(), []string{"check", "release", "--format", "markdown"}},
		{r.Dir(), []string{"check", "release", "--format", "sarif"}},
		{r.Dir(), []string{"trace"}},
		{r.Dir(), []string{"trace", "--format", "csv"}},
		{r.Dir(), []string{"trace", "--format", "markdown"}},
		{r.Dir(), []string{"trace", "--format", "json"}},
		{broken.Dir(), []string{"validate"}},
		{broken.Dir(), []string{"validate", "--format", "json"}},
		{broken.Dir(), []string{"trace", "--format", "csv"}},
	} {
		name := strings.Join(tt.args, " ")
		code, out, errs := tracegate(t, append(tt.args, "--dir", tt.dir)...)
		if code == 2 {
			t.Errorf("%s: exit 2\n%s", name, errs)
			continue
		}
		for stream, text := range map[string]string{"stdout": out, "stderr": errs} {
			if cmds := workflowCommands(text); len(cmds) > 0 {
				t.Errorf("%s: %s holds workflow commands:\n%q", name, stream, cmds)
			}
			if cs := controls(text); len(cs) > 0 && !strings.Contains(name, "json") && !strings.Contains(name, "sarif") {
				t.Errorf("%s: %s holds control characters %q", name, stream, cs)
			}
		}
		if !strings.Contains(out+errs, "from a") {
			t.Errorf("%s: the hostile text is not shown at all (it must be shown, neutralised):\n%s%s", name, out, errs)
		}
	}
}

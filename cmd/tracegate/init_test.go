package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/internal/config"
)

// initFiles are the files tracegate init writes in an empty repository.
var initFiles = []string{
	".github/tracegate.yml", "docs/soup/soup.yml",
	".github/ISSUE_TEMPLATE/problem-report.yml", ".github/ISSUE_TEMPLATE/change-request.yml",
	".github/ISSUE_TEMPLATE/soup-anomaly-review.yml", ".github/pull_request_template.md",
	".github/workflows/tracegate-pr.yml", ".github/workflows/tracegate-release.yml",
}

func TestInitEmptyRepository(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := tracegate(t, "init", "--dir", dir, "--dry-run")
	if code != 0 || !strings.Contains(out, "would write  .github/tracegate.yml") || !strings.Contains(out, "--- .github/workflows/tracegate-pr.yml\n") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errs)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("--dry-run wrote %d entries", len(entries))
	}
	code, out, errs = tracegate(t, "init", "--dir", dir, "--action-ref", strings.Repeat("ab", 20))
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, f := range initFiles {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("not written: %v", err)
		}
	}
	policy := readFile(t, filepath.Join(dir, ".github/tracegate.yml"))
	if !strings.HasPrefix(policy, "# yaml-language-server: $schema=https://raw.githubusercontent.com/tracegate/tracegate/main/schema/tracegate.schema.json\n") {
		t.Errorf("no $schema line:\n%s", policy[:200])
	}
	cfg, err := config.Parse(".github/tracegate.yml", []byte(policy))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SafetyClass != "B" || cfg.SOUP.Register != "docs/soup/soup.yml" || len(cfg.ProblemReports.Labels) != 1 {
		t.Errorf("policy = %+v", cfg)
	}
	checkIssueForms(t, dir, cfg)
	checkWorkflows(t, dir, true)
	// validate reads the policy and the empty register: what it finds is
	// the design history file's absence, never a policy or reading error.
	code, out, _ = tracegate(t, "validate", "--dir", dir, "--format", "json")
	var res gateResult
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 1 {
		t.Fatalf("validate: exit %d, %v\n%s", code, err, out)
	}
	res.only(t, "TG100 requirements", "TG119 risks", "TG401 sbom")

	// Never overwrite: a second run leaves every file, and a link where a
	// file would go is left too, its target untouched.
	os.WriteFile(filepath.Join(dir, ".github/tracegate.yml"), []byte("version: 1\n"), 0o644)
	os.Remove(filepath.Join(dir, ".github/pull_request_template.md"))
	target := filepath.Join(t.TempDir(), "elsewhere.md")
	os.WriteFile(target, []byte("mine\n"), 0o644)
	if err := os.Symlink(target, filepath.Join(dir, ".github/pull_request_template.md")); err != nil {
		t.Fatal(err)
	}
	code, out, _ = tracegate(t, "init", "--dir", dir)
	// (The register is found now, and named in the plan no more.)
	if code != 0 || strings.Contains(out, "wrote ") || strings.Count(out, "exists ") != len(initFiles)-1 {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
	if readFile(t, filepath.Join(dir, ".github/tracegate.yml")) != "version: 1\n" || readFile(t, target) != "mine\n" {
		t.Error("an existing file was overwritten")
	}
	// A directory on the way that is a link: refused, nothing written there.
	dir2 := t.TempDir()
	os.Symlink(t.TempDir(), filepath.Join(dir2, ".github"))
	code, _, errs = tracegate(t, "init", "--dir", dir2)
	if code == 0 || !strings.Contains(errs, "symbolic link") {
		t.Errorf("linked .github: exit %d\n%s", code, errs)
	}
}

// The formats' own examples: init finds their files, writes a policy
// that reads them in their format, and validate judges the content —
// finding what the hand-written policy of testdata/policies finds, and no
// evaluation error.
func TestInitFormatExamples(t *testing.T) {
	cases := []struct {
		dir, format, policy string
		more                []string // rules the init policy adds: it reads more of the repository
	}{
		{dir: "doorstop", format: "format: doorstop", policy: "doorstop", more: []string{"TG401"}},
		{dir: "rdm", format: "format: rdm", policy: "rdm", more: []string{"TG103", "TG110", "TG111", "TG116", "TG117", "TG403", "TG405", "TG406", "TG407", "TG408"}},
		{dir: "rdm-projects/rdm-template", format: "format: rdm", policy: "rdm-projects"},
		{dir: "rdm-projects/acpsem-thursday", format: "format: rdm", policy: "rdm-projects"},
		{dir: "rdm-projects/respiraworks-ventilator", format: "format: rdm", policy: "rdm-projects"},
		{dir: "ketryx", format: "format: ketryx"},
		{dir: "markdown", format: "format: markdown"},
		{dir: "tracegate", format: "format: tracegate"},
		{dir: "junit", format: "tests:"},
		{dir: "qttest", format: "tests:"},
		{dir: "csv", format: "format: csv"},
		{dir: "soup", format: "register: 'soup.yml'"},
		{dir: "markdown-table", format: "format: markdown-table"},
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			src := filepath.Join("..", "..", "testdata", "formats", filepath.FromSlash(c.dir))
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
				t.Fatal(err)
			}
			if code, out, errs := tracegate(t, "init", "--dir", dir); code != 0 {
				t.Fatalf("init: exit %d\n%s\n%s", code, out, errs)
			}
			policy := readFile(t, filepath.Join(dir, ".github/tracegate.yml"))
			if !strings.Contains(policy, c.format) {
				t.Errorf("the policy does not say %q:\n%s", c.format, policy)
			}
			got := validateRules(t, dir, "")
			if c.policy == "" {
				return
			}
			want := validateRules(t, src, filepath.Join("..", "..", "testdata", "policies", c.policy+".yml"))
			allowed := map[string]bool{}
			for _, r := range append(want, c.more...) {
				allowed[r] = true
			}
			for _, r := range got {
				if !allowed[r] {
					t.Errorf("validate finds %s with init's policy, and not with testdata/policies/%s.yml (%v)", r, c.policy, want)
				}
			}
		})
	}
}

// validateRules runs validate and returns the rules of its findings; an
// evaluation or policy error fails the test.
func validateRules(t *testing.T, dir, config string) []string {
	t.Helper()
	args := []string{"validate", "--dir", dir, "--format", "json", "--fail-on", "error"}
	if config != "" {
		args = append(args, "--config", config)
	}
	code, out, errs := tracegate(t, args...)
	if code != 0 && code != 1 {
		t.Fatalf("validate %s: exit %d\n%s\n%s", dir, code, out, errs)
	}
	var res gateResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, f := range res.Findings {
		rules = append(rules, f.Rule)
	}
	sort.Strings(rules)
	return rules
}

// checkIssueForms holds the issue forms to GitHub's issue-form syntax
// (docs.github.com, "Syntax for issue forms" and "Syntax for GitHub's
// form schema"): name, description and body required; each body element
// of a known type, with a unique id, a label (a value for markdown) and
// options for a dropdown; no key GitHub does not know. Their headings
// must be the fields the policy reads, and their criticality choices its
// levels.
func checkIssueForms(t *testing.T, dir string, cfg *config.Config) {
	t.Helper()
	top := map[string]bool{"name": true, "description": true, "body": true, "assignees": true, "labels": true, "title": true, "projects": true, "type": true}
	attrs := map[string]map[string]bool{
		"markdown":   {"value": true},
		"textarea":   {"label": true, "description": true, "placeholder": true, "value": true, "render": true},
		"input":      {"label": true, "description": true, "placeholder": true, "value": true},
		"dropdown":   {"label": true, "description": true, "multiple": true, "options": true, "default": true},
		"checkboxes": {"label": true, "description": true, "options": true},
	}
	labels := map[string][]string{}
	for _, name := range []string{"problem-report", "change-request", "soup-anomaly-review"} {
		var form map[string]any
		if err := yaml.Unmarshal([]byte(readFile(t, filepath.Join(dir, ".github/ISSUE_TEMPLATE", name+".yml"))), &form); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for k := range form {
			if !top[k] {
				t.Errorf("%s: key %q is not issue-form syntax", name, k)
			}
		}
		if form["name"] == "" || form["description"] == "" || form["body"] == nil {
			t.Errorf("%s: name, description and body are required", name)
		}
		ids := map[string]bool{}
		body, _ := form["body"].([]any)
		nonMarkdown := 0
		for i, el := range body {
			e := el.(map[string]any)
			typ, _ := e["type"].(string)
			allowed, ok := attrs[typ]
			if !ok {
				t.Errorf("%s: body[%d] has type %q", name, i, typ)
				continue
			}
			a, _ := e["attributes"].(map[string]any)
			for k := range a {
				if !allowed[k] {
					t.Errorf("%s: body[%d] (%s) has attribute %q", name, i, typ, k)
				}
			}
			if typ == "markdown" {
				if a["value"] == nil {
					t.Errorf("%s: body[%d]: markdown without value", name, i)
				}
				continue
			}
			nonMarkdown++
			id, _ := e["id"].(string)
			if id == "" || ids[id] {
				t.Errorf("%s: body[%d]: id %q missing or not unique", name, i, id)
			}
			ids[id] = true
			label, _ := a["label"].(string)
			if label == "" {
				t.Errorf("%s: body[%d]: no label", name, i)
			}
			labels[name] = append(labels[name], label)
			if typ == "dropdown" {
				if opts, _ := a["options"].([]any); len(opts) == 0 {
					t.Errorf("%s: body[%d]: a dropdown needs options", name, i)
				} else if label == "Criticality" {
					var got []string
					for _, o := range opts {
						got = append(got, o.(string))
					}
					if strings.Join(got, ",") != strings.Join(cfg.ProblemReports.Criticality, ",") {
						t.Errorf("criticality choices %v, the policy's levels %v", got, cfg.ProblemReports.Criticality)
					}
				}
			}
		}
		if nonMarkdown == 0 {
			t.Errorf("%s: a form needs a field that is not markdown", name)
		}
	}
	// The problem report form writes every field the policy reads.
	for _, heading := range cfg.ProblemReports.Fields {
		if !contains(labels["problem-report"], heading) {
			t.Errorf("the problem report form has no field %q (policy problem_reports.fields)", heading)
		}
	}
	for _, want := range []string{"Effects", "Risk impact", "Commits"} {
		if !contains(labels["change-request"], want) {
			t.Errorf("the change request form has no field %q", want)
		}
	}
	tmpl := readFile(t, filepath.Join(dir, ".github/pull_request_template.md"))
	for _, h := range []string{"## Trace", "## " + cfg.PR.RiskImpactHeading, "## " + cfg.PR.JustificationHeading} {
		if !strings.Contains(tmpl, h+"\n") {
			t.Errorf("the pull request template has no %q", h)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkWorkflows runs actionlint on the workflows init wrote, and checks
// that they use the action as the README documents: after
// actions/setup-go, with inputs action.yml has, pinned when pinned is set,
// in jobs named after the checks the rulesets require.
func checkWorkflows(t *testing.T, dir string, pinned bool) {
	t.Helper()
	wfs := []string{filepath.Join(dir, ".github/workflows/tracegate-pr.yml"), filepath.Join(dir, ".github/workflows/tracegate-release.yml")}
	lint, err := exec.LookPath(filepath.Join("..", "..", ".tools", "bin", "actionlint"))
	if err != nil {
		lint, err = exec.LookPath("actionlint")
	}
	switch {
	case err == nil:
		cmd := exec.Command(lint, append([]string{"-shellcheck=", "-pyflakes=", "-no-color"}, wfs...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("actionlint: %v\n%s", err, out)
		}
	case os.Getenv("TRACEGATE_REQUIRE_TOOLS") == "1":
		t.Fatal("actionlint is not installed, and TRACEGATE_REQUIRE_TOOLS=1 (scripts/deps.d/actionlint.sh installs it)")
	default:
		t.Log("actionlint is not installed (scripts/deps.d/actionlint.sh): the workflows are checked for structure only")
	}
	var action struct{ Inputs map[string]any }
	if err := yaml.Unmarshal([]byte(readFile(t, filepath.Join("..", "..", "action.yml"))), &action); err != nil {
		t.Fatal(err)
	}
	jobs := map[string]bool{}
	for _, p := range wfs {
		var wf struct {
			Jobs map[string]struct {
				Name  string
				Steps []struct {
					Uses string
					With map[string]any
				}
			}
		}
		if err := yaml.Unmarshal([]byte(readFile(t, p)), &wf); err != nil {
			t.Fatal(err)
		}
		for _, j := range wf.Jobs {
			jobs[j.Name] = true
			goSetUp, used := false, false
			for _, s := range j.Steps {
				goSetUp = goSetUp || strings.HasPrefix(s.Uses, "actions/setup-go@")
				ref, ok := strings.CutPrefix(s.Uses, "tracegate/tracegate@")
				if !ok {
					continue
				}
				used = true
				if !goSetUp {
					t.Errorf("%s: tracegate/tracegate@%s before actions/setup-go", p, ref)
				}
				if pinned && len(ref) != 40 {
					t.Errorf("%s: tracegate/tracegate@%s is not pinned", p, ref)
				}
				for k := range s.With {
					if _, ok := action.Inputs[k]; !ok {
						t.Errorf("%s: input %q is not in action.yml", p, k)
					}
				}
			}
			if !used {
				t.Errorf("%s: job %s does not run tracegate", p, j.Name)
			}
		}
	}
	if !jobs["tracegate/pr"] || !jobs["tracegate/release"] {
		t.Errorf("jobs %v: want tracegate/pr and tracegate/release", jobs)
	}
}

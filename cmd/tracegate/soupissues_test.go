package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/cli"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// soupIssuePolicy keeps the SOUP register as GitHub issues written from
// tracegate's SOUP form; one requirement, verified, so that the release
// gate turns on the SOUP alone.
const soupIssuePolicy = `version: 1
safety_class: B
requirements: [ { path: docs/requirements/*.yml } ]
risks: [ { path: docs/risk/*.yml } ]
tests: [ { path: reports/*.xml } ]
release: { plans: [] }
soup:
  issues: { labels: [soup], id: "SOUP-{number}" }
  sboms: ["sbom/*.cdx.json"]
`

const soupIssueBOM = `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
 "metadata":{"component":{"type":"application","name":"questionnaire-export"}},
 "components":[{"type":"library","name":"zlib","version":"1.3.1","supplier":{"name":"zlib project"},"purl":"pkg:github/madler/zlib@1.3.1"}]}`

const soupIssueRisk = `hazards:
  - id: HAZ-001
    title: Answers lost
    hazard: Loss of data
    cause: A corrupt export
    hazardous_situation: A clinician reads an incomplete export
    harm: Delayed care
    initial: { severity: minor, probability: remote }
    residual: { severity: minor, probability: remote }
`

// soupIssueDir is a design history file whose only SOUP, zlib, is
// registered by issue #7 of the fake GitHub.
func soupIssueDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string]string{
		".github/tracegate.yml":          soupIssuePolicy,
		"docs/requirements/export.yml":   "id: SRS-001\ntitle: Export the answers\ntext: The system shall export the answers compressed.\nstatus: approved\n",
		"docs/risk/export.yml":           soupIssueRisk,
		"reports/junit.xml":              `<testsuite name="export" tests="1"><testcase classname="export" name="test_SRS-001_round_trip"/></testsuite>`,
		"sbom/export.cdx.json":           soupIssueBOM,
		"docs/plans/development-plan.md": "# Software development plan\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// withoutSection removes a ### section from an issue-form body.
func withoutSection(t *testing.T, body, heading string) string {
	t.Helper()
	re := regexp.MustCompile(`(?s)### ` + regexp.QuoteMeta(heading) + `\n.*?(\n### |$)`)
	out := re.ReplaceAllString(body, "$1")
	if out == body {
		t.Fatalf("no section %q", heading)
	}
	return strings.TrimPrefix(out, "\n")
}

// The SOUP register kept as issues, end to end through the CLI and the fake
// GitHub: the release gate judges each issue as it judges a register file's
// entry (TG402–TG408, against the SBOM), soup list lists them, validate
// checks them, and an issue that cannot be read, or no GitHub access, fails
// the evaluation naming it.
func TestSOUPRegisterAsIssues(t *testing.T) {
	t.Cleanup(func() { cli.Getenv = func(string) string { return "" } })
	complete := readFile(t, "../../testdata/formats/issue-forms/soup-7.md")
	serve := func(body string) *fakegithub.Server {
		gh := fakegithub.New(t)
		gh.AddRepo(ghRepo)
		gh.AddIssue(ghRepo, fakegithub.Issue{Number: 7, Title: "[SOUP] zlib compression library", Body: body, State: "closed", Labels: []string{"soup"}})
		gh.AddIssue(ghRepo, fakegithub.Issue{Number: 8, Title: "Export is slow", Labels: []string{"question"}})
		gh.AddPullRequest(ghRepo, fakegithub.PullRequest{Number: 9, Title: "[SOUP] bump zlib", Labels: []string{"soup"}})
		withGitHub(gh)
		return gh
	}
	dir := soupIssueDir(t)
	soupRules := []string{"TG402", "TG403", "TG404", "TG405", "TG406", "TG407", "TG408"}

	t.Run("a complete issue passes", func(t *testing.T) {
		gh := serve(complete)
		code, res, errs := runCheck(t, "check", "release", "--dir", dir)
		if code != 0 {
			t.Fatalf("exit %d: %v\n%s", code, res.findings(), errs)
		}
		for _, r := range soupRules {
			if s := res.status(r); s != "pass" {
				t.Errorf("%s: %s", r, s)
			}
		}
		// The SOUP issues are listed once per evaluation, open and closed.
		n := 0
		for _, r := range gh.Requests() {
			if r.Path == "/api/v3/repos/acme/syringeflow/issues" && r.Query.Get("labels") == "soup" {
				n++
				if r.Query.Get("state") != "all" {
					t.Errorf("listed with state %q", r.Query.Get("state"))
				}
			}
		}
		if n != 1 {
			t.Errorf("SOUP issues listed %d times", n)
		}
	})
	for _, tc := range []struct{ name, cut, rule, message string }{
		{"no manufacturer", "Manufacturer", "TG403", "the register entry of pkg:github/madler/zlib@1.3.1 lacks manufacturer"},
		{"no anomaly review", "Version reviewed for anomalies", "TG407", "pkg:github/madler/zlib@1.3.1 has an anomaly review that names no version for version 1.3.1"},
		{"no requirements", "Functional and performance requirements", "TG404", "does not state its functional and performance requirements"},
	} {
		t.Run(tc.name+" fails "+tc.rule, func(t *testing.T) {
			serve(withoutSection(t, complete, tc.cut))
			code, res, errs := runCheck(t, "check", "release", "--dir", dir)
			if code != 1 {
				t.Fatalf("exit %d: %v\n%s", code, res.findings(), errs)
			}
			res.only(t, tc.rule+" pkg:github/madler/zlib@1.3.1")
			if f := res.Findings[0]; !strings.Contains(f.Message, tc.message) {
				t.Errorf("message %q lacks %q", f.Message, tc.message)
			}
		})
	}
	t.Run("no review at all fails TG407", func(t *testing.T) {
		body := complete
		for _, h := range []string{"Version reviewed for anomalies", "Anomaly review date", "Anomaly reviewer", "Anomaly lists consulted", "Known anomalies and their assessment"} {
			body = withoutSection(t, body, h)
		}
		serve(body)
		_, res, _ := runCheck(t, "check", "release", "--dir", dir)
		res.only(t, "TG407 pkg:github/madler/zlib@1.3.1")
		if !strings.Contains(res.Findings[0].Message, "has no anomaly review for version 1.3.1") {
			t.Errorf("message %q", res.Findings[0].Message)
		}
	})
	t.Run("an unregistered component fails TG402 naming the issues", func(t *testing.T) {
		serve(strings.Replace(strings.Replace(complete, "\nzlib\n", "\nlibpng\n", 1), "madler/zlib\n", "glennrp/libpng\n", 1))
		_, res, _ := runCheck(t, "check", "release", "--dir", dir)
		var msgs []string
		for _, f := range res.Findings {
			msgs = append(msgs, f.Rule+" "+f.Message)
		}
		all := strings.Join(msgs, "\n")
		if !strings.Contains(all, "TG402 pkg:github/madler/zlib@1.3.1 is in the SBOM but not in issues labelled soup") || !strings.Contains(all, "TG409") {
			t.Errorf("findings:\n%s", all)
		}
	})
	t.Run("a field that does not parse is exit 3 naming the issue and section", func(t *testing.T) {
		serve(strings.Replace(complete, "### Software safety class\n\n_No response_", "### Software safety class\n\nD", 1))
		code, out, errs := tracegate(t, "check", "release", "--dir", dir)
		if code != 3 || !strings.Contains(out+errs, `/acme/syringeflow/issues/7: SOUP-7: section "Software safety class": unknown software safety class "D"`) {
			t.Errorf("exit %d\n%s%s", code, out, errs)
		}
	})
	t.Run("without a token the evaluation fails naming the source", func(t *testing.T) {
		cli.Getenv = func(string) string { return "" }
		for _, args := range [][]string{{"check", "release"}, {"validate"}, {"soup", "list"}} {
			code, out, errs := tracegate(t, append(args, "--dir", dir)...)
			if code != 3 || !strings.Contains(out+errs, ".github/tracegate.yml:8:11: soup.issues: the SOUP register's entries are GitHub issues (labels soup), and they cannot be read: no GitHub token was given (--github-token or GITHUB_TOKEN)") {
				t.Errorf("%v: exit %d\n%s%s", args, code, out, errs)
			}
		}
	})
	t.Run("the flags give the access, and soup sync leaves issues to the form", func(t *testing.T) {
		gh := serve(complete)
		cli.Getenv = func(k string) string { return map[string]string{"GITHUB_API_URL": gh.APIURL()}[k] }
		code, out, errs := tracegate(t, "soup", "list", "--dir", dir, "--github-token", fakegithub.DefaultToken, "--repo", ghRepo)
		if code != 0 || !strings.Contains(out, "zlib") {
			t.Errorf("soup list with flags: exit %d\n%s%s", code, out, errs)
		}
		// A token without a repository reads nothing, and says why.
		code, out, errs = tracegate(t, "validate", "--dir", dir, "--github-token", fakegithub.DefaultToken)
		if code != 3 || !strings.Contains(out+errs, "cannot be read: a GitHub token was given but no repository") {
			t.Errorf("validate without --repo: exit %d\n%s%s", code, out, errs)
		}
		code, out, errs = tracegate(t, "soup", "sync", "--dir", dir)
		if code != 2 || !strings.Contains(errs, "the policy keeps the SOUP register as GitHub issues (soup.issues, labels soup), and soup sync edits a register file") {
			t.Errorf("soup sync: exit %d\n%s%s", code, out, errs)
		}
	})
	t.Run("soup list lists them, with the SBOM and without", func(t *testing.T) {
		serve(withoutSection(t, complete, "Manufacturer"))
		alone := soupIssueDir(t)
		if err := os.RemoveAll(filepath.Join(alone, "sbom")); err != nil {
			t.Fatal(err)
		}
		policy := strings.Replace(soupIssuePolicy, "  sboms: [\"sbom/*.cdx.json\"]\n", "", 1)
		if err := os.WriteFile(filepath.Join(alone, ".github/tracegate.yml"), []byte(policy), 0o644); err != nil {
			t.Fatal(err)
		}
		type list struct {
			Register     string
			FromRegister bool `json:"from_register"`
			Components   []struct {
				Name, Version string
				MatchedBy     string `json:"matched_by"`
				Register      *struct{ Name, Title, Manufacturer, Version string }
			}
		}
		for _, d := range []string{dir, alone} {
			code, out, errs := tracegate(t, "soup", "list", "--dir", d, "--format", "json")
			if code != 0 {
				t.Fatalf("%s: exit %d\n%s", d, code, errs)
			}
			var l list
			if err := json.Unmarshal([]byte(out), &l); err != nil {
				t.Fatal(err)
			}
			if l.Register != "issues labelled soup" || l.FromRegister != (d == alone) || len(l.Components) != 1 {
				t.Fatalf("%s: %+v", d, l)
			}
			c := l.Components[0]
			if c.Name != "zlib" || c.Version != "1.3.1" || c.Register == nil || c.Register.Title != "zlib compression library" || c.Register.Manufacturer != "" {
				t.Errorf("%s: %+v %+v", d, c, c.Register)
			}
		}
		// validate judges the entries as the release gate does, the
		// register alone too.
		for _, d := range []string{dir, alone} {
			code, res, errs := runCheck(t, "validate", "--dir", d)
			if code != 1 {
				t.Fatalf("validate %s: exit %d: %v\n%s", d, code, res.findings(), errs)
			}
			res.only(t, "TG403 pkg:github/madler/zlib@1.3.1")
		}
	})
}

// init --soup-issues writes the SOUP form and a policy that reads it, in
// place of a register file.
func TestInitSOUPIssues(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := tracegate(t, "init", "--dir", dir, "--soup-issues", "--dry-run")
	if code != 0 || !strings.Contains(out, "would write  .github/ISSUE_TEMPLATE/soup.yml") || strings.Contains(out, "docs/soup/soup.yml") ||
		!strings.Contains(out, "  issues: { labels: ['soup'], id: 'SOUP-{number}' }") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

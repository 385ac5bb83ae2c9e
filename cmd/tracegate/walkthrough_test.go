package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/cli"
	"github.com/tracegate/tracegate/internal/doctor"
	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// The README's "Ten minutes to an enforced gate", step by step, on a fresh
// repository whose remote the fake GitHub serves: init, commit, push; a
// failing and a passing pull request; a release; doctor failing before the
// rulesets exist and passing after. Each step's time is logged (go test -v
// -run TestWalkthrough ./cmd/tracegate shows them).
func TestWalkthrough(t *testing.T) {
	const repo = "acme/pump"
	step := func(name string, f func()) {
		t.Helper()
		start := time.Now()
		f()
		t.Logf("step %-40s %6.0f ms", name, float64(time.Since(start).Microseconds())/1000)
	}
	gh := fakegithub.New(t)
	gh.AddRepo(repo)
	yes := true
	gh.SetOrg("acme", fakegithub.Org{TwoFactor: &yes})
	remote := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", remote).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	gh.AddGitRepo(repo, remote)
	env := map[string]string{"GITHUB_TOKEN": fakegithub.DefaultToken, "GITHUB_API_URL": gh.APIURL(), "GITHUB_REPOSITORY": repo}
	cli.Getenv = func(k string) string { return env[k] }
	t.Cleanup(func() { cli.Getenv = func(string) string { return "" } })

	r := gittest.New(t)
	dir := r.Dir()
	r.Write("README.md", "# Pump\n")
	r.Commit("Start")
	r.Run("remote", "add", "origin", remote)
	run := func(want int, args ...string) string {
		t.Helper()
		code, out, errs := tracegate(t, args...)
		if code != want {
			t.Fatalf("tracegate %s: exit %d, want %d\n%s\n%s", strings.Join(args, " "), code, want, out, errs)
		}
		return out
	}

	// 1. init, commit, push.
	pin := strings.Repeat("0123456789", 4)
	step("tracegate init", func() {
		out := run(0, "init", "--dir", dir, "--action-ref", pin)
		if !strings.Contains(out, "wrote        .github/tracegate.yml") {
			t.Fatalf("init:\n%s", out)
		}
	})
	step("git commit, git push", func() {
		r.Commit("Adopt tracegate: policy, SOUP register, issue forms, workflows")
		r.Run("push", "-q", "origin", "main")
	})

	// 2. doctor before the rulesets: the gates are advice.
	step("tracegate doctor (no rulesets)", func() {
		out := run(1, "doctor", "--repo", repo)
		for _, want := range []string{"ok       policy valid at main", "ok       workflows present and pinned", "GAP      branch main requires tracegate/pr: no rule requires the status check tracegate/pr",
			"GAP      release tags (v*) require tracegate/release", "gh api -X POST repos/acme/pump/rulesets --input -", "ok       two-factor authentication required", "2 gaps"} {
			if !strings.Contains(out, want) {
				t.Errorf("doctor says no %q:\n%s", want, out)
			}
		}
	})

	// 3. A change request, approved; a pull request that links nothing
	// fails, the same linking the change request passes.
	gh.AddIssue(repo, fakegithub.Issue{Number: 1, Title: "First requirements of the pump", Labels: []string{"change-request", "approved"},
		Body: "### Description\n\nThe infusion rate limit.\n\n### Effects\n\nNew requirement SRS-001.\n\n### Risk impact\n\nControls HAZ-001 through RC-001.\n"})
	r.Branch("first-requirement")
	r.Checkout("first-requirement")
	r.Write("docs/requirements/SRS-001.md", "---\nid: SRS-001\ntitle: Rate limit\nstatus: approved\nrisk_controls: [RC-001]\n---\nThe pump shall refuse a rate above 999 ml/h.\n")
	r.Write("docs/risk/risk.yml", `hazards:
  - id: HAZ-001
    title: Over-infusion
    hazard: Excess drug delivery
    hazardous_situation: Patient receives drug faster than prescribed
    harm: Overdose
    initial: { severity: serious, probability: remote }
    risk_controls: [RC-001]
    residual: { severity: serious, probability: improbable }
risk_controls:
  - id: RC-001
    title: Rate limit
    kind: protective-measure
    description: The software refuses rates above the limit.
`)
	r.Write("docs/plans/software-development-plan.md", "# Software development plan\n")
	r.Write("docs/plans/software-maintenance-plan.md", "# Software maintenance plan\n")
	// The product's SBOM, committed (the policy's soup.sboms read it at
	// each commit): no SOUP yet.
	r.Write("sbom/product.cdx.json", `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"metadata":{"component":{"type":"application","name":"pump"}},"components":[]}`)
	r.Commit("Add the rate limit requirement, its hazard, the plans and the SBOM")
	riskImpact := "\n\n## Risk impact\n\nAdds RC-001 against HAZ-001; the residual risk is acceptable.\n"
	step("tracegate check pr (no link: fails)", func() {
		out := run(1, "check", "pr", "--dir", dir, "--base", "main", "--number", "2", "--title", "Rate limit", "--body", "A first requirement."+riskImpact)
		if !strings.Contains(out, "TG201") {
			t.Errorf("the failing pull request:\n%s", out)
		}
	})
	step("tracegate check pr (Implements #1: passes)", func() {
		run(0, "check", "pr", "--dir", dir, "--base", "main", "--number", "2", "--title", "Rate limit", "--body", "Implements #1."+riskImpact)
	})
	r.Checkout("main")
	r.Merge("first-requirement", "Rate limit (#2)\n\nImplements #1.", true)
	r.Run("push", "-q", "origin", "main")

	// 4. The release: CI's test report and SBOM in the work tree, as the
	// release workflow makes them.
	r.Write(".git/info/exclude", "reports/\n")
	r.Write("reports/junit.xml", `<testsuite name="pump" tests="1"><testcase classname="pump" name="test_SRS-001_rate_limit"/></testsuite>`)
	r.Tag("v1.0.0", true, "Pump 1.0.0")
	step("tracegate check release --tag v1.0.0", func() {
		run(0, "check", "release", "--dir", dir, "--tag", "v1.0.0")
	})

	// 5. The rulesets, as the README's gh api calls create them; doctor
	// passes.
	step("create the rulesets (gh api)", func() {
		for _, target := range []string{"branch", "tag"} {
			req, _ := http.NewRequest("POST", gh.APIURL()+"/repos/"+repo+"/rulesets", strings.NewReader(doctor.RulesetBody(target, fakegithub.GitHubActionsAppID, "v*")))
			req.Header.Set("Authorization", "Bearer "+fakegithub.DefaultToken)
			resp, err := gh.Client().Do(req)
			if err != nil || resp.StatusCode != http.StatusCreated {
				t.Fatalf("POST rulesets (%s): %v %v", target, err, resp)
			}
			resp.Body.Close()
		}
	})
	step("tracegate doctor (enforced)", func() {
		out := run(0, "doctor", "--repo", repo)
		if !strings.Contains(out, "The gates are enforced.") || strings.Contains(out, "GAP") {
			t.Errorf("doctor:\n%s", out)
		}
	})
}

// doctor fails closed: a rule set it cannot read is unknown (exit 3), a
// check required from any source and a personal repository are gaps, and
// classic branch protection that requires the check from Actions counts.
func TestDoctorGaps(t *testing.T) {
	const repo = "mona/pump"
	gh := adoptedRepo(t, repo)
	useEnv(t, map[string]string{"GITHUB_TOKEN": fakegithub.DefaultToken, "GITHUB_API_URL": gh.APIURL()})

	gh.SetProtection(repo, "main", fakegithub.Protection{Checks: map[string]int64{"tracegate/pr": fakegithub.GitHubActionsAppID}, PullRequests: true})
	gh.AddRuleset(repo, map[string]any{"name": "t", "target": "tag", "enforcement": "active",
		"conditions": map[string]any{"ref_name": map[string]any{"include": []any{"refs/tags/v*"}}},
		"rules":      []any{map[string]any{"type": "required_status_checks", "parameters": map[string]any{"required_status_checks": []any{map[string]any{"context": "tracegate/release"}}}}}})
	code, out, _ := tracegate(t, "doctor", "--repo", repo)
	for _, want := range []string{"ok       branch main requires tracegate/pr: branch protection", "tracegate/release is required from any source",
		"GAP      two-factor authentication required: mona/pump belongs to a user account"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q:\n%s", want, out)
		}
	}
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	gh.FailNext("/api/v3/repos/mona/pump/rulesets", http.StatusForbidden, nil, 5)
	if code, out, _ := tracegate(t, "doctor", "--repo", repo); code != 3 || !strings.Contains(out, "UNKNOWN  release tags") {
		t.Errorf("GitHub failing: exit %d\n%s", code, out)
	}
	if code, _, errs := tracegate(t, "doctor", "--repo", repo, "--via", "app"); code != 3 {
		t.Errorf("--via app without the App's key: exit %d %s", code, errs)
	}
}

// A gate that somebody may skip is advice for them: doctor names who may
// bypass a ruleset that requires a check, or an administrator exempt from
// classic branch protection, as a gap; a bypass list GitHub does not show
// the token is unknown, never taken for empty; the printed fix closes the
// gap.
func TestDoctorBypass(t *testing.T) {
	const repo = "mona/pump"
	gh := adoptedRepo(t, repo)
	useEnv(t, map[string]string{"GITHUB_TOKEN": fakegithub.DefaultToken, "GITHUB_API_URL": gh.APIURL()})
	admins := []any{map[string]any{"actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "always"}}
	var ids []int64
	for _, target := range []string{"branch", "tag"} {
		var rs map[string]any
		if err := json.Unmarshal([]byte(doctor.RulesetBody(target, fakegithub.GitHubActionsAppID, "v*")), &rs); err != nil {
			t.Fatal(err)
		}
		rs["bypass_actors"] = admins
		if target == "tag" {
			rs["bypass_actors"] = []any{map[string]any{"actor_id": 9, "actor_type": "Integration", "bypass_mode": "exempt"}}
		}
		ids = append(ids, gh.AddRuleset(repo, rs))
	}
	code, out, _ := tracegate(t, "doctor", "--repo", repo)
	for _, want := range []string{
		fmt.Sprintf("GAP      branch main requires tracegate/pr: ruleset %d requires tracegate/pr, but lets the admin role (always) bypass it: their changes skip the gate", ids[0]),
		fmt.Sprintf("GAP      release tags (v*) require tracegate/release: ruleset %d requires tracegate/release, but lets Integration 9 (exempt) bypass it", ids[1]),
		fmt.Sprintf(`echo '{"bypass_actors":[]}' | gh api -X PUT repos/mona/pump/rulesets/%d --input -`, ids[0]),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q:\n%s", want, out)
		}
	}
	if code != 1 {
		t.Errorf("exit %d", code)
	}

	// The fix, as printed.
	for _, id := range ids {
		req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/repos/%s/rulesets/%d", gh.APIURL(), repo, id), strings.NewReader(`{"bypass_actors":[]}`))
		req.Header.Set("Authorization", "Bearer "+fakegithub.DefaultToken)
		resp, err := gh.Client().Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("PUT ruleset %d: %v %v", id, err, resp)
		}
		resp.Body.Close()
	}
	_, out, _ = tracegate(t, "doctor", "--repo", repo)
	for _, want := range []string{fmt.Sprintf("ok       branch main requires tracegate/pr: an active ruleset requires a pull request and tracegate/pr from its source; ruleset %d lets nobody bypass it", ids[0]),
		fmt.Sprintf("ok       release tags (v*) require tracegate/release: tag ruleset %d requires tracegate/release from its source and lets nobody bypass it", ids[1])} {
		if !strings.Contains(out, want) {
			t.Errorf("after the fix, no %q:\n%s", want, out)
		}
	}

	// A token that cannot edit rulesets does not see their bypass lists.
	gh.HideBypassActors(true)
	code, out, _ = tracegate(t, "doctor", "--repo", repo)
	if want := fmt.Sprintf("UNKNOWN  branch main requires tracegate/pr: ruleset %d requires tracegate/pr, but GitHub shows its bypass list only to those who can edit the ruleset", ids[0]); code != 3 || !strings.Contains(out, want) || !strings.Contains(out, "UNKNOWN  release tags") {
		t.Errorf("bypass lists hidden: exit %d, want 3 and %q:\n%s", code, want, out)
	}
}

// Classic branch protection that exempts administrators is a gap.
func TestDoctorAdminsExempt(t *testing.T) {
	const repo = "mona/pump"
	gh := adoptedRepo(t, repo)
	useEnv(t, map[string]string{"GITHUB_TOKEN": fakegithub.DefaultToken, "GITHUB_API_URL": gh.APIURL()})
	for _, exempt := range []bool{true, false} {
		gh.SetProtection(repo, "main", fakegithub.Protection{Checks: map[string]int64{"tracegate/pr": fakegithub.GitHubActionsAppID}, PullRequests: true, AdminsExempt: exempt})
		_, out, _ := tracegate(t, "doctor", "--repo", repo)
		want := "ok       branch main requires tracegate/pr: branch protection requires a pull request and tracegate/pr from its source, of administrators too"
		if exempt {
			want = "GAP      branch main requires tracegate/pr: branch protection requires a pull request and tracegate/pr, but not of administrators (enforce_admins is off)"
		}
		if !strings.Contains(out, want) {
			t.Errorf("exempt %v: no %q:\n%s", exempt, want, out)
		}
	}
}

// The README's ruleset calls are the rulesets doctor prints and the
// walkthrough creates.
func TestReadmeRulesets(t *testing.T) {
	readme := readFile(t, "../../README.md")
	for _, target := range []string{"branch", "tag"} {
		if body := doctor.RulesetBody(target, fakegithub.GitHubActionsAppID, "v*"); !strings.Contains(readme, "echo '"+body+"'") {
			t.Errorf("the README's %s ruleset is not doctor's:\n%s", target, body)
		}
	}
}

// adoptedRepo is a repository on the fake GitHub whose default branch has
// what tracegate init writes, committed.
func adoptedRepo(t *testing.T, repo string) *fakegithub.Server {
	t.Helper()
	gh := fakegithub.New(t)
	gh.AddRepo(repo)
	src := gittest.New(t)
	src.Write("README.md", "x\n")
	src.Commit("Start")
	gh.AddGitRepo(repo, src.Dir())
	if code, out, errs := tracegate(t, "init", "--dir", src.Dir(), "--action-ref", strings.Repeat("a", 40)); code != 0 {
		t.Fatalf("%s%s", out, errs)
	}
	src.Commit("Adopt tracegate")
	return gh
}

// useEnv makes env the environment the commands read, for the test.
func useEnv(t *testing.T, env map[string]string) {
	cli.Getenv = func(k string) string { return env[k] }
	t.Cleanup(func() { cli.Getenv = func(string) string { return "" } })
}

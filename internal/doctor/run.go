package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts/ghfacts"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
)

type repoInfo struct {
	DefaultBranch string `json:"default_branch"`
	HTMLURL       string `json:"html_url"`
	Owner         struct {
		Login string `json:"login"`
		Type  string `json:"type"`
	} `json:"owner"`
}

// Run asks GitHub and returns the checks, in the order they are shown.
func Run(ctx context.Context, o Options) []Check {
	owner, name, _ := strings.Cut(o.Repo, "/")
	base := "repos/" + url.PathEscape(owner) + "/" + url.PathEscape(name)
	var ri repoInfo
	if st, err := get(ctx, o.Client, base, &ri); err != nil {
		return []Check{{Name: "repository", Status: Unknown, Detail: apiError("GET /"+base, st, err),
			Fix: "give a token that can read " + o.Repo + " (--github-token or GITHUB_TOKEN) and check --repo"}}
	}
	d := &doctor{o: o, base: base, repo: ri, settings: strings.TrimSuffix(ri.HTMLURL, "/") + "/settings"}
	var checks []Check
	pol := d.policy(ctx)
	checks = append(checks, pol.check)
	src := d.source(ctx, pol.tree)
	checks = append(checks, src.checks...)
	checks = append(checks, d.branch(ctx, src.integration))
	checks = append(checks, d.tags(ctx, src.integration, pol.tagPattern))
	checks = append(checks, d.twoFactor(ctx))
	return checks
}

type doctor struct {
	o        Options
	base     string
	repo     repoInfo
	settings string
}

type policyFacts struct {
	check      Check
	tree       fs.FS
	tagPattern string
}

// policy reads the policy at the default branch, as the gates of pull
// requests into it read it, and loads it against the schema.
func (d *doctor) policy(ctx context.Context) policyFacts {
	br := d.repo.DefaultBranch
	name := "policy valid at " + br
	out := policyFacts{tagPattern: "v*"}
	repo, err := ghfacts.NewRepo(d.o.Client, d.o.Repo, ghfacts.RepoOptions{Files: ghfacts.Blobs})
	if err == nil {
		out.tree, err = repo.Tree(ctx, br)
	}
	if err != nil {
		out.check = Check{Name: name, Status: Unknown, Detail: fmt.Sprintf("the files of %s could not be read: %v", br, err)}
		return out
	}
	p := orDefault(d.o.PolicyPath, config.DefaultPath)
	cfg, err := config.Load(out.tree, p, false)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		out.check = Check{Name: name, Status: Gap, Detail: p + " is not on " + br + ": the gates judge by built-in defaults",
			Fix: "run tracegate init, commit the files and merge them into " + br}
	case err != nil:
		out.check = Check{Name: name, Status: Gap, Detail: fmt.Sprintf("%s on %s does not load: %v", p, br, err),
			Fix: "run tracegate validate locally, fix the policy and merge the fix into " + br}
	default:
		out.tagPattern = cfg.Release.TagPattern
		out.check = Check{Name: name, Status: OK, Detail: fmt.Sprintf("%s loads (class %s, release tags %s)", p, cfg.SafetyClass, cfg.Release.TagPattern)}
	}
	return out
}

type sourceFacts struct {
	checks []Check
	// integration is the ID of the app the required checks must come
	// from: GitHub Actions', or the App's; 0 when unknown.
	integration int64
}

// source checks where the checks come from: the workflows (present, the
// jobs named as the checks, the action pinned by commit) or the App
// (installed with app.yml's permissions, no more).
func (d *doctor) source(ctx context.Context, tree fs.FS) sourceFacts {
	if d.o.Via == ViaApp {
		return d.app(ctx)
	}
	var out sourceFacts
	var app struct {
		ID int64 `json:"id"`
	}
	if st, err := get(ctx, d.o.Client, "apps/github-actions", &app); err != nil || app.ID == 0 {
		out.checks = append(out.checks, Check{Name: "GitHub Actions' integration", Status: Unknown, Detail: apiError("GET /apps/github-actions", st, err)})
	}
	out.integration = app.ID
	out.checks = append(out.checks, d.workflows(tree))
	return out
}

var fullSHA = lazyre.New(`^[0-9a-f]{40}$`)

// workflows finds the jobs named tracegate/pr and tracegate/release that
// run the action, and their refs.
func (d *doctor) workflows(tree fs.FS) Check {
	name := "workflows present and pinned"
	if tree == nil {
		return Check{Name: name, Status: Unknown, Detail: "the default branch's files could not be read"}
	}
	jobs := map[string][]string{} // check → "file: ref"
	var unpinned []string
	entries, err := fs.ReadDir(tree, ".github/workflows")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Check{Name: name, Status: Unknown, Detail: err.Error()}
	}
	for _, e := range entries {
		if e.IsDir() || !(strings.HasSuffix(e.Name(), ".yml") || strings.HasSuffix(e.Name(), ".yaml")) {
			continue
		}
		p := path.Join(".github/workflows", e.Name())
		data, err := input.ReadAll(tree, p, 1<<20)
		if err != nil {
			return Check{Name: name, Status: Unknown, Detail: fmt.Sprintf("%s: %v", p, err)}
		}
		var wf struct {
			Jobs map[string]struct {
				Name  string
				Steps []struct{ Uses string }
			}
		}
		if err := yaml.Unmarshal(data, &wf); err != nil {
			continue // GitHub would not run it either; the job is missing
		}
		for _, j := range wf.Jobs {
			for _, s := range j.Steps {
				ref, ok := strings.CutPrefix(s.Uses, "tracegate/tracegate@")
				if !ok {
					continue
				}
				jobs[j.Name] = append(jobs[j.Name], p)
				if !fullSHA().MatchString(ref) {
					unpinned = append(unpinned, p+" uses tracegate/tracegate@"+ref)
				}
			}
		}
	}
	var missing []string
	for _, c := range []string{PRCheck, ReleaseCheck} {
		if len(jobs[c]) == 0 {
			missing = append(missing, c)
		}
	}
	sort.Strings(unpinned)
	switch {
	case len(missing) > 0:
		return Check{Name: name, Status: Gap, Detail: "no workflow on " + d.repo.DefaultBranch + " has a job named " + strings.Join(missing, " or ") + " that runs tracegate/tracegate",
			Fix: "run tracegate init (it writes .github/workflows/tracegate-pr.yml and tracegate-release.yml), commit and merge them"}
	case len(unpinned) > 0:
		return Check{Name: name, Status: Gap, Detail: strings.Join(unpinned, "; ") + ": a branch or tag can move, and the gate's code with it",
			Fix: "pin a commit: uses: tracegate/tracegate@<40-hex commit SHA> (tracegate init --action-ref SHA writes it)"}
	}
	return Check{Name: name, Status: OK, Detail: fmt.Sprintf("%s in %s, %s in %s, pinned by commit", PRCheck, strings.Join(jobs[PRCheck], ", "), ReleaseCheck, strings.Join(jobs[ReleaseCheck], ", "))}
}

// AppPermissions are app.yml's default_permissions: the App asks for
// these and no more (TestAppPermissions holds them to app.yml).
var AppPermissions = map[string]string{
	"checks": "write", "contents": "read", "pull_requests": "read", "issues": "read", "actions": "read", "metadata": "read",
}

// app checks the App's installation on the repository.
func (d *doctor) app(ctx context.Context) sourceFacts {
	name := "App installed with app.yml's permissions"
	if d.o.AppClient == nil {
		return sourceFacts{checks: []Check{{Name: name, Status: Unknown, Detail: "the App's installation can only be read as the App",
			Fix: "give the App's ID and private key (TRACEGATE_APP_ID, TRACEGATE_PRIVATE_KEY_FILE), as tracegate serve takes them"}}}
	}
	var inst struct {
		AppID       int64             `json:"app_id"`
		Permissions map[string]string `json:"permissions"`
		Suspended   *string           `json:"suspended_at"`
	}
	st, err := get(ctx, d.o.AppClient, d.base+"/installation", &inst)
	switch {
	case st == 404:
		return sourceFacts{checks: []Check{{Name: name, Status: Gap, Detail: "the App is not installed on " + d.o.Repo,
			Fix: "install it: Settings → GitHub Apps of " + d.repo.Owner.Login + ", or the App's public page → Install"}}}
	case err != nil:
		return sourceFacts{checks: []Check{{Name: name, Status: Unknown, Detail: apiError("GET /"+d.base+"/installation", st, err)}}}
	case inst.Suspended != nil:
		return sourceFacts{integration: inst.AppID, checks: []Check{{Name: name, Status: Gap, Detail: "the installation is suspended: no check is posted", Fix: "unsuspend it in the installation's settings"}}}
	}
	var diff []string
	for _, k := range sortedKeys(AppPermissions, inst.Permissions) {
		if want, got := AppPermissions[k], inst.Permissions[k]; want != got && !(k == "contents" && got == "write") {
			diff = append(diff, fmt.Sprintf("%s: %s (app.yml: %s)", k, orDefault(got, "none"), orDefault(want, "none")))
		}
	}
	if len(diff) > 0 {
		return sourceFacts{integration: inst.AppID, checks: []Check{{Name: name, Status: Gap, Detail: "the installation's permissions differ from app.yml's: " + strings.Join(diff, "; "),
			Fix: "set the App's permissions to app.yml's default_permissions (the App's settings → Permissions) and accept them on the installation"}}}
	}
	return sourceFacts{integration: inst.AppID, checks: []Check{{Name: name, Status: OK, Detail: fmt.Sprintf("app %d, permissions as app.yml", inst.AppID)}}}
}

func sortedKeys(ms ...map[string]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ms {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// rule is a rule of a ruleset as GitHub gives it; the rules of a branch
// name the ruleset each comes from.
type rule struct {
	Type       string          `json:"type"`
	Parameters json.RawMessage `json:"parameters"`
	RulesetID  int64           `json:"ruleset_id"`
}

// bypassActor is one entry of a ruleset's bypass list.
type bypassActor struct {
	ActorID    *int64 `json:"actor_id"`
	ActorType  string `json:"actor_type"`
	BypassMode string `json:"bypass_mode"`
}

// repositoryRoles names the built-in repository roles a bypass list gives
// by ID.
var repositoryRoles = map[int64]string{2: "maintain", 4: "write", 5: "admin"}

func (a bypassActor) String() string {
	who := a.ActorType
	switch {
	case a.ActorID == nil:
	case a.ActorType == "RepositoryRole" && repositoryRoles[*a.ActorID] != "":
		who = "the " + repositoryRoles[*a.ActorID] + " role"
	default:
		who = fmt.Sprintf("%s %d", a.ActorType, *a.ActorID)
	}
	return who + " (" + orDefault(a.BypassMode, "always") + ")"
}

// bypassers says who may skip a ruleset's rules: "" when nobody. A
// ruleset's bypass list is shown only to those who can edit it; one not
// shown is unknown, never taken for empty.
func bypassers(actors *[]bypassActor) (who string, known bool) {
	if actors == nil {
		return "", false
	}
	var out []string
	for _, a := range *actors {
		out = append(out, a.String())
	}
	return strings.Join(out, ", "), true
}

// bypassCheck judges the bypass list of the ruleset that enforces a
// check: a Check when somebody may skip it or the list cannot be read,
// else nil.
func (d *doctor) bypassCheck(name, check string, id int64, actors *[]bypassActor) *Check {
	who, known := bypassers(actors)
	switch {
	case !known:
		return &Check{Name: name, Status: Unknown, Detail: fmt.Sprintf("ruleset %d requires %s, but GitHub shows its bypass list only to those who can edit the ruleset", id, check),
			Fix: "run tracegate doctor with a repository administrator's token"}
	case who != "":
		return &Check{Name: name, Status: Gap, Detail: fmt.Sprintf("ruleset %d requires %s, but lets %s bypass it: their changes skip the gate", id, check, who),
			Fix: fmt.Sprintf("empty the bypass list: %s/rules/%d, or\n  echo '{\"bypass_actors\":[]}' | gh api -X PUT %s/rulesets/%d --input -", d.settings, id, d.base, id)}
	}
	return nil
}

// rulesetBypass reads the bypass list of ruleset id.
func (d *doctor) rulesetBypass(ctx context.Context, id int64) (*[]bypassActor, error) {
	var rs struct {
		BypassActors *[]bypassActor `json:"bypass_actors"`
	}
	u := fmt.Sprintf("%s/rulesets/%d?includes_parents=true", d.base, id)
	if st, err := get(ctx, d.o.Client, u, &rs); err != nil {
		return nil, errors.New(apiError("GET /"+u, st, err))
	}
	return rs.BypassActors, nil
}

type statusChecks struct {
	Checks []struct {
		Context       string `json:"context"`
		IntegrationID *int64 `json:"integration_id"`
	} `json:"required_status_checks"`
}

// requires judges the required_status_checks rules for context: "" when
// one requires it from the integration, else why not. by is the ruleset
// of the rule that requires it, when the rules name theirs.
func requires(rules []rule, context string, integration int64) (ok bool, why string, by int64) {
	why = "no rule requires the status check " + context
	for _, r := range rules {
		if r.Type != "required_status_checks" {
			continue
		}
		var p statusChecks
		if err := json.Unmarshal(r.Parameters, &p); err != nil {
			continue
		}
		for _, c := range p.Checks {
			if c.Context != context {
				continue
			}
			switch {
			case c.IntegrationID == nil:
				why = context + " is required from any source: any app, or a commit status anyone with write access posts, satisfies it"
			case integration != 0 && *c.IntegrationID != integration:
				why = fmt.Sprintf("%s is required from the app %d, not from %d, which posts it", context, *c.IntegrationID, integration)
			default:
				return true, "", r.RulesetID
			}
		}
	}
	return false, why, 0
}

func hasRule(rules []rule, typ string) bool {
	for _, r := range rules {
		if r.Type == typ {
			return true
		}
	}
	return false
}

// branch checks that the default branch requires tracegate/pr: a branch
// ruleset, else classic branch protection.
func (d *doctor) branch(ctx context.Context, integration int64) Check {
	br := d.repo.DefaultBranch
	name := "branch " + br + " requires " + PRCheck
	var rules []rule
	st, err := get(ctx, d.o.Client, d.base+"/rules/branches/"+url.PathEscape(br)+"?per_page=100", &rules)
	if err != nil {
		return Check{Name: name, Status: Unknown, Detail: apiError("GET /"+d.base+"/rules/branches/"+br, st, err)}
	}
	ok, why, by := requires(rules, PRCheck, integration)
	if ok && hasRule(rules, "pull_request") {
		actors, err := d.rulesetBypass(ctx, by)
		if err != nil {
			return Check{Name: name, Status: Unknown, Detail: err.Error()}
		}
		if c := d.bypassCheck(name, PRCheck, by, actors); c != nil {
			return *c
		}
		return Check{Name: name, Status: OK, Detail: fmt.Sprintf("an active ruleset requires a pull request and %s from its source; ruleset %d lets nobody bypass it", PRCheck, by)}
	}
	if ok {
		why = "a ruleset requires " + PRCheck + " but not a pull request: a push that skips the pull request skips its gate"
	}
	// Classic branch protection, when no ruleset does it.
	var prot struct {
		Checks *struct {
			Checks []struct {
				Context string `json:"context"`
				AppID   *int64 `json:"app_id"`
			} `json:"checks"`
		} `json:"required_status_checks"`
		Reviews       any `json:"required_pull_request_reviews"`
		EnforceAdmins *struct {
			Enabled bool `json:"enabled"`
		} `json:"enforce_admins"`
	}
	st, err = get(ctx, d.o.Client, d.base+"/branches/"+url.PathEscape(br)+"/protection", &prot)
	switch {
	case st == 404 && message(err) == "Branch not protected":
	case err != nil:
		return Check{Name: name, Status: Unknown, Detail: why + "; and classic branch protection could not be read: " + apiError("GET /"+d.base+"/branches/"+br+"/protection", st, err) + " (it needs admin rights)"}
	case prot.Checks != nil:
		for _, c := range prot.Checks.Checks {
			if c.Context != PRCheck || c.AppID == nil || (integration != 0 && *c.AppID != integration) || prot.Reviews == nil {
				continue
			}
			if prot.EnforceAdmins == nil || !prot.EnforceAdmins.Enabled {
				return Check{Name: name, Status: Gap, Detail: "branch protection requires a pull request and " + PRCheck + ", but not of administrators (enforce_admins is off): their merges skip the gate",
					Fix: "include administrators: " + d.settings + "/branches → Do not allow bypassing the above settings, or\n  gh api -X POST " + d.base + "/branches/" + br + "/protection/enforce_admins"}
			}
			return Check{Name: name, Status: OK, Detail: "branch protection requires a pull request and " + PRCheck + " from its source, of administrators too"}
		}
	}
	return Check{Name: name, Status: Gap, Detail: why, Fix: d.rulesetFix("branch", integration, "")}
}

// tags checks that a tag ruleset takes the release tags and requires
// tracegate/release, and that release tags cannot be moved or deleted.
func (d *doctor) tags(ctx context.Context, integration int64, pattern string) Check {
	name := "release tags (" + pattern + ") require " + ReleaseCheck
	var list []struct {
		ID          int64  `json:"id"`
		Enforcement string `json:"enforcement"`
	}
	st, err := get(ctx, d.o.Client, d.base+"/rulesets?targets=tag&includes_parents=true&per_page=100", &list)
	if err != nil {
		return Check{Name: name, Status: Unknown, Detail: apiError("GET /"+d.base+"/rulesets", st, err)}
	}
	why := "no active tag ruleset takes refs/tags/" + pattern
	for _, l := range list {
		if l.Enforcement != "active" {
			continue
		}
		var rs struct {
			Target     string `json:"target"`
			Conditions struct {
				RefName struct{ Include, Exclude []string } `json:"ref_name"`
			} `json:"conditions"`
			Rules        []rule         `json:"rules"`
			BypassActors *[]bypassActor `json:"bypass_actors"`
		}
		st, err := get(ctx, d.o.Client, fmt.Sprintf("%s/rulesets/%d?includes_parents=true", d.base, l.ID), &rs)
		if err != nil {
			return Check{Name: name, Status: Unknown, Detail: apiError(fmt.Sprintf("GET /%s/rulesets/%d", d.base, l.ID), st, err)}
		}
		if rs.Target != "tag" || !takes(rs.Conditions.RefName.Include, pattern) || takes(rs.Conditions.RefName.Exclude, pattern) {
			continue
		}
		ok, w, _ := requires(rs.Rules, ReleaseCheck, integration)
		switch {
		case !ok:
			why = fmt.Sprintf("tag ruleset %d: %s", l.ID, w)
		case !hasRule(rs.Rules, "update") || !hasRule(rs.Rules, "deletion"):
			why = fmt.Sprintf("tag ruleset %d requires %s but does not restrict updates and deletions: a release tag can be moved to a commit never checked", l.ID, ReleaseCheck)
		default:
			if c := d.bypassCheck(name, ReleaseCheck, l.ID, rs.BypassActors); c != nil {
				return *c
			}
			return Check{Name: name, Status: OK, Detail: fmt.Sprintf("tag ruleset %d requires %s from its source and lets nobody bypass it; release tags cannot be moved or deleted", l.ID, ReleaseCheck)}
		}
	}
	return Check{Name: name, Status: Gap, Detail: why, Fix: d.rulesetFix("tag", integration, pattern)}
}

// takes reports whether ref_name patterns take the release tag pattern:
// ~ALL, or the pattern itself under refs/tags/.
func takes(patterns []string, tagPattern string) bool {
	for _, p := range patterns {
		if p == "~ALL" || p == "refs/tags/"+tagPattern || p == "refs/tags/*" {
			return true
		}
	}
	return false
}

// RulesetBody is the ruleset the fix creates: for "branch", the default
// branch requiring a pull request and tracegate/pr; for "tag", the release
// tags requiring tracegate/release, neither moved nor deleted.
func RulesetBody(target string, integration int64, tagPattern string) string {
	check := func(c string) map[string]any {
		m := map[string]any{"context": c}
		if integration != 0 {
			m["integration_id"] = integration
		}
		return m
	}
	var rs map[string]any
	if target == "branch" {
		rs = map[string]any{"name": "tracegate pull requests", "target": "branch", "enforcement": "active",
			"conditions": map[string]any{"ref_name": map[string]any{"include": []string{"~DEFAULT_BRANCH"}, "exclude": []string{}}},
			"rules": []any{
				map[string]any{"type": "pull_request", "parameters": map[string]any{"required_approving_review_count": 1, "dismiss_stale_reviews_on_push": true,
					"require_code_owner_review": false, "require_last_push_approval": false, "required_review_thread_resolution": false}},
				map[string]any{"type": "required_status_checks", "parameters": map[string]any{"strict_required_status_checks_policy": false,
					"required_status_checks": []any{check(PRCheck)}}},
			}}
	} else {
		rs = map[string]any{"name": "tracegate releases", "target": "tag", "enforcement": "active",
			"conditions": map[string]any{"ref_name": map[string]any{"include": []string{"refs/tags/" + tagPattern}, "exclude": []string{}}},
			"rules": []any{
				map[string]any{"type": "required_status_checks", "parameters": map[string]any{"strict_required_status_checks_policy": false,
					"required_status_checks": []any{check(ReleaseCheck)}}},
				map[string]any{"type": "update"}, map[string]any{"type": "deletion"},
			}}
	}
	b, _ := json.Marshal(rs)
	return string(b)
}

// rulesetFix is the settings page and the API call that create the
// ruleset.
func (d *doctor) rulesetFix(target string, integration int64, tagPattern string) string {
	return fmt.Sprintf("create the %s ruleset: %s/rules/new?target=%s, or\n  echo '%s' | gh api -X POST %s/rulesets --input -",
		target, d.settings, target, RulesetBody(target, integration, tagPattern), d.base)
}

// twoFactor checks that the organisation requires two-factor
// authentication of its members — the people who approve.
func (d *doctor) twoFactor(ctx context.Context) Check {
	name := "two-factor authentication required"
	if d.repo.Owner.Type != "Organization" {
		return Check{Name: name, Status: Gap, Detail: d.o.Repo + " belongs to a user account: GitHub cannot require two-factor authentication of the people who approve its changes",
			Fix: "transfer the repository to an organisation that requires it (" + d.settings + " → Danger Zone → Transfer)"}
	}
	var org struct {
		TwoFactor *bool `json:"two_factor_requirement_enabled"`
	}
	login := d.repo.Owner.Login
	st, err := get(ctx, d.o.Client, "orgs/"+url.PathEscape(login), &org)
	switch {
	case err != nil:
		return Check{Name: name, Status: Unknown, Detail: apiError("GET /orgs/"+login, st, err)}
	case org.TwoFactor == nil:
		return Check{Name: name, Status: Unknown, Detail: "GitHub shows two_factor_requirement_enabled only to the organisation's owners", Fix: "run tracegate doctor with an owner's token (read:org)"}
	case !*org.TwoFactor:
		return Check{Name: name, Status: Gap, Detail: "the organisation " + login + " does not require two-factor authentication: an approval may come from a stolen password",
			Fix: "require it: " + strings.TrimSuffix(d.repo.HTMLURL, "/"+d.o.Repo) + "/organizations/" + login + "/settings/security → Require two-factor authentication"}
	}
	return Check{Name: name, Status: OK, Detail: "the organisation " + login + " requires it of every member"}
}

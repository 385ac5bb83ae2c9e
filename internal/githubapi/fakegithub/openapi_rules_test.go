package fakegithub_test

import (
	"fmt"
	"testing"

	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// rulesCases are TestOpenAPI's cases for what tracegate doctor asks: the
// repository, a branch's rules, rulesets, branch protection, an
// organisation and an app.
func rulesCases(t *testing.T, srv *fakegithub.Server) []openAPICase {
	t.Helper()
	yes := true
	srv.SetOrg("octo", fakegithub.Org{TwoFactor: &yes})
	srv.SetProtection("octo/git", "main", fakegithub.Protection{Checks: map[string]int64{"tracegate/pr": fakegithub.GitHubActionsAppID}, PullRequests: true})
	id := srv.AddRuleset("octo/git", map[string]any{"name": "prs", "target": "branch", "enforcement": "active",
		"bypass_actors": []any{map[string]any{"actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "always"}},
		"conditions":    map[string]any{"ref_name": map[string]any{"include": []any{"~DEFAULT_BRANCH"}, "exclude": []any{}}},
		"rules": []any{map[string]any{"type": "pull_request", "parameters": map[string]any{"required_approving_review_count": 1, "dismiss_stale_reviews_on_push": true,
			"require_code_owner_review": false, "require_last_push_approval": false, "required_review_thread_resolution": false}},
			map[string]any{"type": "required_status_checks", "parameters": map[string]any{"strict_required_status_checks_policy": false,
				"required_status_checks": []any{map[string]any{"context": "tracegate/pr", "integration_id": fakegithub.GitHubActionsAppID}}}}}})
	return []openAPICase{
		{"repository", "/repos/octo/git", "/repos/{owner}/{repo}", 200},
		{"rules of a branch", "/repos/octo/git/rules/branches/main", "/repos/{owner}/{repo}/rules/branches/{branch}", 200},
		{"rulesets", "/repos/octo/git/rulesets?targets=branch", "/repos/{owner}/{repo}/rulesets", 200},
		{"ruleset", fmt.Sprintf("/repos/octo/git/rulesets/%d", id), "/repos/{owner}/{repo}/rulesets/{ruleset_id}", 200},
		{"missing ruleset", "/repos/octo/git/rulesets/1", "/repos/{owner}/{repo}/rulesets/{ruleset_id}", 404},
		{"branch protection", "/repos/octo/git/branches/main/protection", "/repos/{owner}/{repo}/branches/{branch}/protection", 200},
		{"no branch protection", "/repos/octo/git/branches/other/protection", "/repos/{owner}/{repo}/branches/{branch}/protection", 404},
		{"organisation", "/orgs/octo", "/orgs/{org}", 200},
		{"app", "/apps/github-actions", "/apps/{app_slug}", 200},
	}
}

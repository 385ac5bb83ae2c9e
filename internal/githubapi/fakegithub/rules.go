package fakegithub

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
)

// What tracegate doctor asks to find out whether the gates are enforced:
//
//	GET  /repos/{owner}/{repo}                               (default branch, owner type)
//	GET  /repos/{owner}/{repo}/rules/branches/{branch}       (the active rules of a branch)
//	GET  /repos/{owner}/{repo}/rulesets[?targets=tag]        (and POST, as the README's gh api call)
//	GET  /repos/{owner}/{repo}/rulesets/{ruleset_id}
//	GET  /repos/{owner}/{repo}/branches/{branch}/protection  (classic branch protection)
//	GET  /repos/{owner}/{repo}/installation                  (JWT: the App's installation)
//	GET  /orgs/{org}                                         (two_factor_requirement_enabled)
//	GET  /apps/{app_slug}                                    (github-actions: the Actions integration)

// GitHubActionsAppID is the integration ID of GitHub Actions on
// github.com, the source a required check from a workflow names.
const GitHubActionsAppID = 15368

// Protection is classic branch protection's required status checks.
type Protection struct {
	// Checks are the required checks, by context, with the app each must
	// come from (0: any).
	Checks map[string]int64
	// PullRequests is whether a pull request (with reviews) is required.
	PullRequests bool
	// AdminsExempt is enforce_admins off: administrators may merge
	// without the required checks.
	AdminsExempt bool
}

// Org is an organisation's settings the fake serves.
type Org struct {
	// TwoFactor is two_factor_requirement_enabled; nil when the caller
	// may not see it (not an owner), as GitHub omits it.
	TwoFactor *bool
}

type rulesState struct {
	rulesets   map[string][]map[string]any // by lower-case owner/name
	protection map[string]Protection       // by lower-case owner/name@branch
	orgs       map[string]Org
	appPerms   map[int64]map[string]string // installation ID → permissions
	nextID     int64
	// bypassHidden is a caller who cannot edit rulesets: GitHub leaves
	// bypass_actors out of a ruleset for them.
	bypassHidden bool
}

func (s *Server) rulesOf() *rulesState {
	if s.rules.rulesets == nil {
		s.rules = rulesState{rulesets: map[string][]map[string]any{}, protection: map[string]Protection{},
			orgs: map[string]Org{}, appPerms: map[int64]map[string]string{}, nextID: 7000}
	}
	return &s.rules
}

// AddRuleset adds a ruleset to a repository, as POST /rulesets would; its
// ID is returned.
func (s *Server) AddRuleset(fullName string, rs map[string]any) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addRuleset(fullName, rs)
}

func (s *Server) addRuleset(fullName string, rs map[string]any) int64 {
	st := s.rulesOf()
	st.nextID++
	c := map[string]any{}
	for k, v := range rs {
		c[k] = v
	}
	c["id"] = st.nextID
	key := strings.ToLower(fullName)
	st.rulesets[key] = append(st.rulesets[key], c)
	return st.nextID
}

// SetProtection sets classic branch protection on a branch.
func (s *Server) SetProtection(fullName, branch string, p Protection) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rulesOf().protection[strings.ToLower(fullName)+"@"+branch] = p
}

// HideBypassActors makes the callers ones who cannot edit rulesets, to
// whom GitHub does not show a ruleset's bypass_actors.
func (s *Server) HideBypassActors(hidden bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rulesOf().bypassHidden = hidden
}

// SetOrg makes owner an organisation with these settings.
func (s *Server) SetOrg(login string, o Org) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rulesOf().orgs[strings.ToLower(login)] = o
}

// SetInstallationPermissions sets the permissions an installation was
// granted (app.yml's by default, in the test that installs it).
func (s *Server) SetInstallationPermissions(id int64, perms map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rulesOf().appPerms[id] = perms
}

func (s *Server) rulesRoutes() {
	s.Handle("GET /repos/{owner}/{repo}", s.getRepo)
	s.Handle("GET /repos/{owner}/{repo}/rules/branches/{branch...}", s.branchRules)
	s.Handle("GET /repos/{owner}/{repo}/rulesets", s.listRulesets)
	s.Handle("POST /repos/{owner}/{repo}/rulesets", s.createRuleset)
	s.Handle("GET /repos/{owner}/{repo}/rulesets/{ruleset_id}", s.getRuleset)
	s.Handle("PUT /repos/{owner}/{repo}/rulesets/{ruleset_id}", s.updateRuleset)
	s.Handle("GET /repos/{owner}/{repo}/branches/{branch}/protection", s.getProtection)
	s.Handle("GET /orgs/{org}", s.getOrg)
	s.Handle("GET /apps/{slug}", s.getApp)
	s.mux.HandleFunc("GET "+APIPrefix+"/repos/{owner}/{repo}/installation", s.repoInstallation)
}

// getRepo serves GET /repos/{owner}/{repo}: the repository, its owner an
// Organization when SetOrg made it one.
func (s *Server) getRepo(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	if rp == nil {
		notFound(w)
		return
	}
	m := s.urls().repository(rp)
	m["has_discussions"], m["network_count"], m["subscribers_count"] = false, 0, 0
	if _, ok := s.rulesOf().orgs[strings.ToLower(rp.owner)]; ok {
		owner := m["owner"].(map[string]any)
		owner["type"] = "Organization"
	}
	writeJSON(w, http.StatusOK, m)
}

// refMatches reports whether a ruleset's ref_name condition takes ref
// (refs/heads/main, refs/tags/v1.0.0); def is the default branch.
func refMatches(rs map[string]any, ref, def string) bool {
	cond, _ := rs["conditions"].(map[string]any)
	rn, _ := cond["ref_name"].(map[string]any)
	match := func(key string) bool {
		list, _ := rn[key].([]any)
		for _, p := range list {
			ps, _ := p.(string)
			switch {
			case ps == "~ALL":
				return true
			case ps == "~DEFAULT_BRANCH":
				if ref == "refs/heads/"+def {
					return true
				}
			default:
				if ok, _ := path.Match(ps, ref); ok {
					return true
				}
			}
		}
		return false
	}
	return match("include") && !match("exclude")
}

// branchRules serves GET /repos/{owner}/{repo}/rules/branches/{branch}:
// the rules of the active branch rulesets that take the branch, each with
// its ruleset's source and ID.
func (s *Server) branchRules(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	if rp == nil {
		notFound(w)
		return
	}
	var out []any
	for _, rs := range s.rulesOf().rulesets[strings.ToLower(rp.fullName())] {
		if rs["target"] != "branch" || rs["enforcement"] != "active" || !refMatches(rs, "refs/heads/"+r.PathValue("branch"), "main") {
			continue
		}
		rules, _ := rs["rules"].([]any)
		for _, rule := range rules {
			m := map[string]any{}
			for k, v := range rule.(map[string]any) {
				m[k] = v
			}
			m["ruleset_source_type"], m["ruleset_source"], m["ruleset_id"] = "Repository", rp.fullName(), rs["id"]
			out = append(out, m)
		}
	}
	writePage(w, r, out, fmt.Sprintf("%s/repositories/%d/rules/branches/%s", s.urls().api, rp.id, r.PathValue("branch")), func(v any) any { return v })
}

// rulesetShape is a ruleset as GitHub answers it; full adds its rules
// and conditions (GET of one ruleset), as the list leaves them out.
func (s *Server) rulesetShape(rp *repo, rs map[string]any, full bool) map[string]any {
	u := s.urls()
	m := map[string]any{
		"id": rs["id"], "name": rs["name"], "target": rs["target"], "source_type": "Repository",
		"source": rp.fullName(), "enforcement": rs["enforcement"], "node_id": fmt.Sprintf("RRS_fake%v", rs["id"]),
		"_links":     map[string]any{"self": map[string]any{"href": fmt.Sprintf("%s/repos/%s/rulesets/%v", u.api, rp.fullName(), rs["id"])}},
		"created_at": timestamp(Epoch), "updated_at": timestamp(Epoch), "current_user_can_bypass": "never",
	}
	if full {
		m["conditions"], m["rules"] = rs["conditions"], rs["rules"]
		if m["rules"] == nil {
			m["rules"] = []any{}
		}
		if !s.rulesOf().bypassHidden {
			m["bypass_actors"] = rs["bypass_actors"]
			if m["bypass_actors"] == nil {
				m["bypass_actors"] = []any{}
			}
		}
	}
	return m
}

// listRulesets serves GET /repos/{owner}/{repo}/rulesets, filtered by
// targets (branch,tag,push).
func (s *Server) listRulesets(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	if rp == nil {
		notFound(w)
		return
	}
	targets := r.URL.Query().Get("targets")
	var out []map[string]any
	for _, rs := range s.rulesOf().rulesets[strings.ToLower(rp.fullName())] {
		t, _ := rs["target"].(string)
		if targets == "" || strings.Contains(","+targets+",", ","+t+",") {
			out = append(out, rs)
		}
	}
	writePage(w, r, out, fmt.Sprintf("%s/repositories/%d/rulesets", s.urls().api, rp.id), func(rs map[string]any) any { return s.rulesetShape(rp, rs, false) })
}

// createRuleset serves POST /repos/{owner}/{repo}/rulesets: name,
// target, enforcement required, as GitHub validates them.
func (s *Server) createRuleset(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var rs map[string]any
	if err := json.Unmarshal(body, &rs); err != nil {
		writeJSON(w, http.StatusBadRequest, basicError("Problems parsing JSON", "https://docs.github.com/rest/repos/rules#create-a-repository-ruleset", http.StatusBadRequest))
		return
	}
	name, _ := rs["name"].(string)
	enf, _ := rs["enforcement"].(string)
	target, _ := rs["target"].(string)
	if target == "" {
		target = "branch"
		rs["target"] = target
	}
	if name == "" || (enf != "active" && enf != "disabled" && enf != "evaluate") || (target != "branch" && target != "tag" && target != "push") {
		writeJSON(w, http.StatusUnprocessableEntity, basicError("Validation Failed", "https://docs.github.com/rest/repos/rules#create-a-repository-ruleset", http.StatusUnprocessableEntity))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	if rp == nil {
		notFound(w)
		return
	}
	id := s.addRuleset(rp.fullName(), rs)
	for _, x := range s.rulesOf().rulesets[strings.ToLower(rp.fullName())] {
		if x["id"] == id {
			writeJSON(w, http.StatusCreated, s.rulesetShape(rp, x, true))
		}
	}
}

// getRuleset serves GET /repos/{owner}/{repo}/rulesets/{ruleset_id}.
func (s *Server) getRuleset(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp, rs := s.rulesetOf(r)
	if rs == nil {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, s.rulesetShape(rp, rs, true))
}

// updateRuleset serves PUT /repos/{owner}/{repo}/rulesets/{ruleset_id}:
// the fields the body gives replace the ruleset's, as GitHub's update
// does.
func (s *Server) updateRuleset(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var upd map[string]any
	if err := json.Unmarshal(body, &upd); err != nil {
		writeJSON(w, http.StatusBadRequest, basicError("Problems parsing JSON", "https://docs.github.com/rest/repos/rules#update-a-repository-ruleset", http.StatusBadRequest))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rp, rs := s.rulesetOf(r)
	if rs == nil {
		notFound(w)
		return
	}
	for k, v := range upd {
		if k != "id" {
			rs[k] = v
		}
	}
	writeJSON(w, http.StatusOK, s.rulesetShape(rp, rs, true))
}

// rulesetOf finds the ruleset a request's path names; nil when there is
// none. The caller holds s.mu.
func (s *Server) rulesetOf(r *http.Request) (*repo, map[string]any) {
	id, err := strconv.ParseInt(r.PathValue("ruleset_id"), 10, 64)
	rp := s.lookup(r)
	if rp == nil || err != nil {
		return nil, nil
	}
	for _, rs := range s.rulesOf().rulesets[strings.ToLower(rp.fullName())] {
		if rs["id"] == id {
			return rp, rs
		}
	}
	return nil, nil
}

// getProtection serves GET /repos/{owner}/{repo}/branches/{branch}/protection:
// 404 "Branch not protected" when there is none, as GitHub.
func (s *Server) getProtection(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	if rp == nil {
		notFound(w)
		return
	}
	branch := r.PathValue("branch")
	p, ok := s.rulesOf().protection[strings.ToLower(rp.fullName())+"@"+branch]
	if !ok {
		writeJSON(w, http.StatusNotFound, basicError("Branch not protected", "https://docs.github.com/rest/branches/branch-protection#get-branch-protection", http.StatusNotFound))
		return
	}
	base := fmt.Sprintf("%s/repos/%s/branches/%s/protection", s.urls().api, rp.fullName(), branch)
	checks, contexts := []any{}, []any{}
	for _, c := range sortedKeys(p.Checks) {
		var app any
		if id := p.Checks[c]; id != 0 {
			app = id
		}
		checks = append(checks, map[string]any{"context": c, "app_id": app})
		contexts = append(contexts, c)
	}
	m := map[string]any{
		"url":                    base,
		"required_status_checks": map[string]any{"url": base + "/required_status_checks", "strict": true, "contexts": contexts, "checks": checks, "contexts_url": base + "/required_status_checks/contexts"},
		"enforce_admins":         map[string]any{"url": base + "/enforce_admins", "enabled": !p.AdminsExempt},
	}
	if p.PullRequests {
		m["required_pull_request_reviews"] = map[string]any{"url": base + "/required_pull_request_reviews", "dismiss_stale_reviews": true, "require_code_owner_reviews": false, "required_approving_review_count": 1}
	}
	writeJSON(w, http.StatusOK, m)
}

// getOrg serves GET /orgs/{org}.
func (s *Server) getOrg(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	login := r.PathValue("org")
	o, ok := s.rulesOf().orgs[strings.ToLower(login)]
	if !ok {
		notFound(w)
		return
	}
	u := s.urls()
	api := u.api + "/orgs/" + login
	m := map[string]any{
		"login": login, "url": api, "id": accountID(login), "node_id": "O_fake" + login, "repos_url": api + "/repos",
		"events_url": api + "/events", "hooks_url": api + "/hooks", "issues_url": api + "/issues", "members_url": api + "/members{/member}",
		"public_members_url": api + "/public_members{/member}", "avatar_url": u.html + "/avatars/" + login, "description": nil,
		"html_url": u.html + "/" + login, "has_organization_projects": true, "has_repository_projects": true, "public_repos": 1,
		"public_gists": 0, "followers": 0, "following": 0, "type": "Organization", "created_at": timestamp(Epoch),
		"updated_at": timestamp(Epoch), "archived_at": nil,
	}
	if o.TwoFactor != nil {
		m["two_factor_requirement_enabled"] = *o.TwoFactor
	}
	writeJSON(w, http.StatusOK, m)
}

// getApp serves GET /apps/{app_slug} for github-actions, the integration
// a workflow's checks come from; and for the App SetApp made, as "tracegate".
func (s *Server) getApp(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	var id int64
	switch slug {
	case "github-actions":
		id = GitHubActionsAppID
	case "tracegate":
		s.mu.Lock()
		id = s.app.appID
		s.mu.Unlock()
	}
	if id == 0 {
		notFound(w)
		return
	}
	u := s.urls()
	writeJSON(w, http.StatusOK, map[string]any{
		"id": id, "slug": slug, "node_id": fmt.Sprintf("A_fake%d", id), "owner": u.user("github"), "name": slug,
		"description": nil, "external_url": u.html, "html_url": u.html + "/apps/" + slug,
		"created_at": timestamp(Epoch), "updated_at": timestamp(Epoch), "permissions": map[string]any{"checks": "write"}, "events": []any{},
	})
}

// repoInstallation serves GET /repos/{owner}/{repo}/installation to the
// App (its JWT): the installation holding the repository, with the
// permissions it was granted.
func (s *Server) repoInstallation(w http.ResponseWriter, r *http.Request) {
	if !s.checkJWT(w, r) {
		return
	}
	full := strings.ToLower(r.PathValue("owner") + "/" + r.PathValue("repo"))
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int64, 0, len(s.app.insts))
	for id := range s.app.insts {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		in := s.app.insts[id]
		for _, rn := range in.Repos {
			if strings.ToLower(rn) != full {
				continue
			}
			perms := s.rulesOf().appPerms[id]
			if perms == nil {
				perms = map[string]string{"metadata": "read"}
			}
			u := s.urls()
			writeJSON(w, http.StatusOK, map[string]any{
				"id": id, "app_id": s.app.appID, "app_slug": "tracegate", "target_id": accountID(in.Account), "target_type": "Organization",
				"single_file_name": nil, "repository_selection": "selected", "access_tokens_url": fmt.Sprintf("%s/app/installations/%d/access_tokens", u.api, id),
				"html_url": fmt.Sprintf("%s/organizations/%s/settings/installations/%d", u.html, in.Account, id), "repositories_url": u.api + "/installation/repositories",
				"events": []any{"pull_request", "push"}, "account": u.user(in.Account), "permissions": perms,
				"created_at": timestamp(Epoch), "updated_at": timestamp(Epoch), "suspended_by": nil, "suspended_at": nil,
			})
			return
		}
	}
	notFound(w)
}

// isInstallationLookup reports whether p is GET /repos/{owner}/{repo}/installation.
func isInstallationLookup(p string) bool {
	parts := strings.Split(strings.TrimPrefix(p, APIPrefix+"/"), "/")
	return len(parts) == 4 && parts[0] == "repos" && parts[3] == "installation"
}

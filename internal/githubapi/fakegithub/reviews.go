package fakegithub

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Review and approval records, as tracegate's review rules read them:
//
//	GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews               (oldest first, paginated)
//	GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers
//	GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls                (the pull requests a commit belongs to)
//	GET /orgs/{org}/teams/{team_slug}                                   (404 for a team that does not exist)
//	GET /orgs/{org}/teams/{team_slug}/memberships/{username}            (404 for a user who is not a member)
//	GET /repos/{owner}/{repo}/deployments                               (sha, environment; newest first, paginated)
//	GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses      (newest first, paginated)
//	GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals           (a run's deployment review history)

// Review is a pull request review as the test sets it up.
type Review struct {
	ID int64 // assigned when 0
	// User is the reviewer's login; a review of a deleted account has
	// none (served as null).
	User string
	// State is APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or
	// PENDING, as GitHub writes it.
	State string
	// CommitID is the head the review was submitted on; null when empty
	// (a commit since garbage collected).
	CommitID  string
	Body      string
	Submitted time.Time // Epoch when zero; a PENDING review has none
	// Association is author_association: "MEMBER" when empty.
	Association string
}

// Deployment is a deployment as the test sets it up, with its statuses.
type Deployment struct {
	ID          int64 // assigned when 0
	SHA, Ref    string
	Environment string
	Creator     string // login; "github-actions[bot]" when empty
	Created     time.Time
	// Statuses, oldest first. A status of a deployment made by a run
	// names it in its log_url, as Actions does.
	Statuses []DeploymentStatus
	// RunID is the workflow run that made the deployment (0: none).
	RunID int64
}

// DeploymentStatus is one status of a deployment.
type DeploymentStatus struct {
	State   string // waiting, queued, in_progress, success, failure, …
	Created time.Time
}

// DeploymentReview is one entry of a run's deployment review history:
// who approved or rejected the deployment to which environments.
type DeploymentReview struct {
	Environments []string
	State        string // approved or rejected
	User         string
	Comment      string
}

type team struct {
	org, slug string
	id        int64
	members   map[string]string // lower-case login → active | pending
}

type reviewState struct {
	reviews     map[*repo]map[int][]*Review
	requested   map[*repo]map[int][2][]string // users, team slugs
	associated  map[*repo]map[string][]int    // commit → pull requests, beyond what they hold
	teams       map[string]*team              // lower-case org/slug
	deployments map[*repo][]*Deployment
	approvals   map[int64][]DeploymentReview // by run
}

func (s *Server) reviewsOf() *reviewState {
	if s.review.reviews == nil {
		s.review = reviewState{reviews: map[*repo]map[int][]*Review{}, requested: map[*repo]map[int][2][]string{},
			associated: map[*repo]map[string][]int{}, teams: map[string]*team{}, deployments: map[*repo][]*Deployment{},
			approvals: map[int64][]DeploymentReview{}}
	}
	return &s.review
}

// AddReview adds a review of a pull request and returns its id.
func (s *Server) AddReview(fullName string, number int, r Review) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, rp := s.reviewsOf(), s.repo(fullName)
	if r.ID == 0 {
		r.ID = s.id()
	}
	if st.reviews[rp] == nil {
		st.reviews[rp] = map[int][]*Review{}
	}
	st.reviews[rp][number] = append(st.reviews[rp][number], &r)
	return r.ID
}

// DismissReview dismisses a review, as a maintainer or a new push with
// "dismiss stale approvals" does: its state becomes DISMISSED.
func (s *Server) DismissReview(fullName string, number int, id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.reviewsOf().reviews[s.repo(fullName)][number] {
		if r.ID == id {
			r.State = "DISMISSED"
		}
	}
}

// RequestReviewers sets the reviews requested of a pull request and not
// yet given: users by login, teams by slug (of the repository's owner).
func (s *Server) RequestReviewers(fullName string, number int, users, teams []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, rp := s.reviewsOf(), s.repo(fullName)
	if st.requested[rp] == nil {
		st.requested[rp] = map[int][2][]string{}
	}
	st.requested[rp][number] = [2][]string{users, teams}
}

// AssociateCommit makes a commit belong to pull requests beyond what they
// hold already (their head, merge commit and AddPRCommits): the commits a
// rebase merge wrote on the base branch.
func (s *Server) AssociateCommit(fullName, sha string, numbers ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, rp := s.reviewsOf(), s.repo(fullName)
	if st.associated[rp] == nil {
		st.associated[rp] = map[string][]int{}
	}
	st.associated[rp][sha] = append(st.associated[rp][sha], numbers...)
}

// AddTeam creates the team org/slug with active members.
func (s *Server) AddTeam(org, slug string, members ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &team{org: org, slug: slug, id: s.id(), members: map[string]string{}}
	for _, m := range members {
		t.members[strings.ToLower(m)] = "active"
	}
	s.reviewsOf().teams[strings.ToLower(org+"/"+slug)] = t
}

// InviteToTeam adds a pending member: invited, not yet a member.
func (s *Server) InviteToTeam(org, slug, login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.reviewsOf().teams[strings.ToLower(org+"/"+slug)]; t != nil {
		t.members[strings.ToLower(login)] = "pending"
	}
}

// AddDeployment adds a deployment and returns its id.
func (s *Server) AddDeployment(fullName string, d Deployment) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, rp := s.reviewsOf(), s.repo(fullName)
	if d.ID == 0 {
		d.ID = s.id()
	}
	st.deployments[rp] = append(st.deployments[rp], &d)
	return d.ID
}

// AddDeploymentReview adds an entry to a run's deployment review history.
func (s *Server) AddDeploymentReview(runID int64, r DeploymentReview) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.reviewsOf()
	st.approvals[runID] = append(st.approvals[runID], r)
}

func (s *Server) reviewRoutes() {
	for _, prefix := range []string{"/repos/{owner}/{repo}", "/repositories/{id}"} {
		s.Handle("GET "+prefix+"/pulls/{number}/reviews", s.listReviews)
		s.Handle("GET "+prefix+"/pulls/{number}/requested_reviewers", s.requestedReviewers)
		s.Handle("GET "+prefix+"/commits/{sha}/pulls", s.commitPulls)
		s.Handle("GET "+prefix+"/deployments", s.listDeployments)
		s.Handle("GET "+prefix+"/deployments/{deployment_id}/statuses", s.listDeploymentStatuses)
		s.Handle("GET "+prefix+"/actions/runs/{run_id}/approvals", s.runApprovals)
	}
	s.Handle("GET /orgs/{org}/teams/{team_slug}", s.getTeam)
	s.Handle("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", s.teamMembership)
}

// listReviews serves GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews.
func (s *Server) listReviews(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	n, ok := number(r)
	if rp == nil || !ok || rp.pulls[n] == nil {
		notFound(w)
		return
	}
	u := s.urls()
	list := s.reviewsOf().reviews[rp][n]
	writePage(w, r, list, fmt.Sprintf("%s/repositories/%d/pulls/%d/reviews", u.api, rp.id, n), func(rv *Review) any { return u.review(rp, n, rv) })
}

// review is GitHub's pull-request-review schema.
func (u urls) review(r *repo, number int, rv *Review) map[string]any {
	html := fmt.Sprintf("%s/%s/pull/%d#pullrequestreview-%d", u.html, r.fullName(), number, rv.ID)
	pull := fmt.Sprintf("%s/repos/%s/pulls/%d", u.api, r.fullName(), number)
	var user any
	if rv.User != "" {
		user = u.user(rv.User)
	}
	out := map[string]any{
		"id":                 rv.ID,
		"node_id":            fmt.Sprintf("PRR_fake%d", rv.ID),
		"user":               user,
		"body":               rv.Body,
		"state":              rv.State,
		"html_url":           html,
		"pull_request_url":   pull,
		"_links":             map[string]any{"html": map[string]any{"href": html}, "pull_request": map[string]any{"href": pull}},
		"commit_id":          nullable(rv.CommitID),
		"author_association": orDefault(rv.Association, "MEMBER"),
	}
	if rv.State != "PENDING" {
		out["submitted_at"] = timestamp(orEpoch(rv.Submitted))
	}
	return out
}

// requestedReviewers serves GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers.
func (s *Server) requestedReviewers(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	n, ok := number(r)
	if rp == nil || !ok || rp.pulls[n] == nil {
		notFound(w)
		return
	}
	u := s.urls()
	req := s.reviewsOf().requested[rp][n]
	users, teams := []any{}, []any{}
	for _, login := range req[0] {
		users = append(users, u.user(login))
	}
	for _, slug := range req[1] {
		t := s.reviewsOf().teams[strings.ToLower(rp.owner+"/"+slug)]
		if t == nil {
			t = &team{org: rp.owner, slug: slug, id: accountID(rp.owner + "/" + slug)}
		}
		teams = append(teams, u.team(t))
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users, "teams": teams})
}

// team is GitHub's team schema.
func (u urls) team(t *team) map[string]any {
	api := fmt.Sprintf("%s/organizations/%d/team/%d", u.api, accountID(t.org), t.id)
	return map[string]any{
		"id":               t.id,
		"node_id":          fmt.Sprintf("T_fake%d", t.id),
		"url":              api,
		"html_url":         fmt.Sprintf("%s/orgs/%s/teams/%s", u.html, t.org, t.slug),
		"name":             t.slug,
		"slug":             t.slug,
		"description":      nil,
		"privacy":          "closed",
		"permission":       "pull",
		"members_url":      api + "/members{/member}",
		"repositories_url": api + "/repos",
		"parent":           nil,
		"type":             "organization",
	}
}

// commitPulls serves GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls:
// the pull requests whose head, merge commit or commits the SHA is, and
// those AssociateCommit names.
func (s *Server) commitPulls(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	if rp == nil {
		notFound(w)
		return
	}
	sha := r.PathValue("sha")
	var match []*PullRequest
	extra := s.reviewsOf().associated[rp][sha]
	for _, n := range sortedKeys(rp.pulls) {
		p := rp.pulls[n]
		hit := p.HeadSHA == sha || p.MergeCommitSHA == sha || slices.Contains(extra, n)
		for _, c := range rp.commits[n] {
			hit = hit || c.SHA == sha
		}
		if hit {
			match = append(match, p)
		}
	}
	u := s.urls()
	writePage(w, r, match, fmt.Sprintf("%s/repositories/%d/commits/%s/pulls", u.api, rp.id, sha), func(p *PullRequest) any {
		head := rp
		if p.HeadRepo != "" {
			head = s.repos[strings.ToLower(p.HeadRepo)]
		}
		commits := p.Commits
		if commits == 0 {
			commits = len(rp.commits[p.Number])
		}
		return u.pull(rp, head, p, rp.issues[p.Number], commits)
	})
}

// getTeam serves GET /orgs/{org}/teams/{team_slug}: 404 for a team that
// does not exist (or that the token could not see).
func (s *Server) getTeam(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.reviewsOf().teams[strings.ToLower(r.PathValue("org")+"/"+r.PathValue("team_slug"))]
	if t == nil {
		notFound(w)
		return
	}
	u := s.urls()
	out := u.team(t)
	delete(out, "parent")
	out["members_count"] = len(t.members)
	out["repos_count"] = 0
	out["created_at"] = timestamp(Epoch)
	out["updated_at"] = timestamp(Epoch)
	out["organization"] = u.organization(t.org)
	writeJSON(w, http.StatusOK, out)
}

// organization is GitHub's team-organization schema.
func (u urls) organization(org string) map[string]any {
	api := u.api + "/orgs/" + org
	return map[string]any{
		"login": org, "id": accountID(org), "node_id": "O_fake" + org, "url": api, "repos_url": api + "/repos",
		"events_url": api + "/events", "hooks_url": api + "/hooks", "issues_url": api + "/issues",
		"members_url": api + "/members{/member}", "public_members_url": api + "/public_members{/member}",
		"avatar_url": u.html + "/avatars/" + org, "description": nil, "html_url": u.html + "/" + org,
		"has_organization_projects": true, "has_repository_projects": true, "public_repos": 1, "public_gists": 0,
		"followers": 0, "following": 0, "type": "Organization", "created_at": timestamp(Epoch), "updated_at": timestamp(Epoch),
		"archived_at": nil,
	}
}

// teamMembership serves GET /orgs/{org}/teams/{team_slug}/memberships/{username}:
// 404 for a user who is not a member, as for a team that does not exist.
func (s *Server) teamMembership(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	org, slug, login := r.PathValue("org"), r.PathValue("team_slug"), r.PathValue("username")
	t := s.reviewsOf().teams[strings.ToLower(org+"/"+slug)]
	if t == nil || t.members[strings.ToLower(login)] == "" {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"url":   fmt.Sprintf("%s/organizations/%d/team/%d/memberships/%s", s.urls().api, accountID(org), t.id, login),
		"role":  "member",
		"state": t.members[strings.ToLower(login)],
	})
}

// listDeployments serves GET /repos/{owner}/{repo}/deployments, filtered
// by sha, ref and environment, newest first.
func (s *Server) listDeployments(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	if rp == nil {
		notFound(w)
		return
	}
	q := r.URL.Query()
	var match []*Deployment
	for _, d := range s.reviewsOf().deployments[rp] {
		if v := q.Get("sha"); v != "" && v != d.SHA {
			continue
		}
		if v := q.Get("ref"); v != "" && v != d.Ref {
			continue
		}
		if v := q.Get("environment"); v != "" && v != d.Environment {
			continue
		}
		match = append(match, d)
	}
	sort.SliceStable(match, func(i, j int) bool { return match[i].ID > match[j].ID })
	u := s.urls()
	writePage(w, r, match, fmt.Sprintf("%s/repositories/%d/deployments", u.api, rp.id), func(d *Deployment) any { return u.deployment(rp, d) })
}

// deployment is GitHub's deployment schema.
func (u urls) deployment(r *repo, d *Deployment) map[string]any {
	api := fmt.Sprintf("%s/repos/%s/deployments/%d", u.api, r.fullName(), d.ID)
	created := timestamp(orEpoch(d.Created))
	return map[string]any{
		"url": api, "id": d.ID, "node_id": fmt.Sprintf("DE_fake%d", d.ID), "sha": d.SHA, "ref": orDefault(d.Ref, d.SHA),
		"task": "deploy", "payload": map[string]any{}, "original_environment": d.Environment, "environment": d.Environment,
		"description": nil, "creator": u.user(orDefault(d.Creator, "github-actions[bot]")), "created_at": created, "updated_at": created,
		"statuses_url": api + "/statuses", "repository_url": u.api + "/repos/" + r.fullName(),
		"transient_environment": false, "production_environment": true,
	}
}

// listDeploymentStatuses serves GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses,
// newest first.
func (s *Server) listDeploymentStatuses(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	id, err := strconv.ParseInt(r.PathValue("deployment_id"), 10, 64)
	if rp == nil || err != nil {
		notFound(w)
		return
	}
	var dep *Deployment
	for _, d := range s.reviewsOf().deployments[rp] {
		if d.ID == id {
			dep = d
		}
	}
	if dep == nil {
		notFound(w)
		return
	}
	type numbered struct {
		n  int
		st DeploymentStatus
	}
	var list []numbered
	for i := len(dep.Statuses) - 1; i >= 0; i-- {
		list = append(list, numbered{i, dep.Statuses[i]})
	}
	u := s.urls()
	api := fmt.Sprintf("%s/repos/%s/deployments/%d", u.api, rp.fullName(), dep.ID)
	writePage(w, r, list, fmt.Sprintf("%s/repositories/%d/deployments/%d/statuses", u.api, rp.id, dep.ID), func(x numbered) any {
		log := ""
		if dep.RunID != 0 {
			log = fmt.Sprintf("%s/%s/actions/runs/%d/job/%d", u.html, rp.fullName(), dep.RunID, dep.RunID+1)
		}
		created := timestamp(orEpoch(x.st.Created))
		sid := dep.ID*1000 + int64(x.n) + 1
		return map[string]any{
			"url": fmt.Sprintf("%s/statuses/%d", api, sid), "id": sid, "node_id": fmt.Sprintf("DES_fake%d", sid),
			"state": x.st.State, "creator": u.user(orDefault(dep.Creator, "github-actions[bot]")), "description": "",
			"environment": dep.Environment, "target_url": log, "log_url": log,
			"created_at": created, "updated_at": created, "deployment_url": api, "repository_url": u.api + "/repos/" + rp.fullName(),
		}
	})
}

// runApprovals serves GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals.
func (s *Server) runApprovals(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	id, err := strconv.ParseInt(r.PathValue("run_id"), 10, 64)
	if rp == nil || err != nil || s.runs.runs == nil || s.run(rp, id) == nil {
		notFound(w)
		return
	}
	u := s.urls()
	out := []any{}
	for _, a := range s.reviewsOf().approvals[id] {
		var envs []any
		for _, e := range a.Environments {
			eid := accountID(rp.fullName() + "/" + e)
			envs = append(envs, map[string]any{"id": eid, "node_id": fmt.Sprintf("EN_fake%d", eid), "name": e,
				"url":        fmt.Sprintf("%s/repos/%s/environments/%s", u.api, rp.fullName(), e),
				"html_url":   fmt.Sprintf("%s/%s/deployments/activity_log?environments_filter=%s", u.html, rp.fullName(), e),
				"created_at": timestamp(Epoch), "updated_at": timestamp(Epoch)})
		}
		out = append(out, map[string]any{"environments": envs, "state": a.State, "user": u.user(a.User), "comment": a.Comment})
	}
	writeJSON(w, http.StatusOK, out)
}

package fakegithub

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"time"
)

// The builders below write GitHub's shapes (the OpenAPI schemas issue,
// pull-request, commit, simple-user, label and repository), every required
// field included and nullable ones null where GitHub sends null, with URLs
// under the fake's own root.

type urls struct {
	api  string // http://127.0.0.1:PORT/api/v3
	html string // http://127.0.0.1:PORT
}

func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func orEpoch(t time.Time) time.Time {
	if t.IsZero() {
		return Epoch
	}
	return t
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// accountID is a stable id for a login.
func accountID(login string) int64 {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(login)))
	return int64(h.Sum32()%1_000_000) + 1
}

func (u urls) user(login string) map[string]any {
	api := u.api + "/users/" + login
	return map[string]any{
		"login":               login,
		"id":                  accountID(login),
		"node_id":             "U_fake" + login,
		"avatar_url":          u.html + "/avatars/" + login,
		"gravatar_id":         "",
		"url":                 api,
		"html_url":            u.html + "/" + login,
		"followers_url":       api + "/followers",
		"following_url":       api + "/following{/other_user}",
		"gists_url":           api + "/gists{/gist_id}",
		"starred_url":         api + "/starred{/owner}{/repo}",
		"subscriptions_url":   api + "/subscriptions",
		"organizations_url":   api + "/orgs",
		"repos_url":           api + "/repos",
		"events_url":          api + "/events{/privacy}",
		"received_events_url": api + "/received_events",
		"type":                "User",
		"site_admin":          false,
	}
}

func (u urls) label(r *repo, l *labelRec) map[string]any {
	return map[string]any{
		"id":          l.id,
		"node_id":     fmt.Sprintf("LA_fake%d", l.id),
		"url":         u.api + "/repos/" + r.fullName() + "/labels/" + l.Name,
		"name":        l.Name,
		"description": nullable(l.Description),
		"color":       orDefault(l.Color, "ededed"),
		"default":     false,
	}
}

func (u urls) labels(r *repo, names []string) []any {
	out := []any{}
	for _, n := range names {
		if l, ok := r.labels[strings.ToLower(n)]; ok {
			out = append(out, u.label(r, l))
		}
	}
	return out
}

func (u urls) repository(r *repo) map[string]any {
	api := u.api + "/repos/" + r.fullName()
	html := u.html + "/" + r.fullName()
	m := map[string]any{
		"id":                r.id,
		"node_id":           fmt.Sprintf("R_fake%d", r.id),
		"name":              r.name,
		"full_name":         r.fullName(),
		"owner":             u.user(r.owner),
		"private":           false,
		"html_url":          html,
		"description":       nil,
		"fork":              false,
		"url":               api,
		"homepage":          nil,
		"language":          nil,
		"mirror_url":        nil,
		"license":           nil,
		"default_branch":    "main",
		"archived":          false,
		"disabled":          false,
		"has_issues":        true,
		"has_projects":      true,
		"has_wiki":          true,
		"has_pages":         false,
		"has_downloads":     true,
		"size":              0,
		"forks":             0,
		"forks_count":       0,
		"open_issues":       0,
		"open_issues_count": 0,
		"stargazers_count":  0,
		"watchers":          0,
		"watchers_count":    0,
		"created_at":        timestamp(Epoch),
		"updated_at":        timestamp(Epoch),
		"pushed_at":         timestamp(Epoch),
		"clone_url":         html + ".git",
		"git_url":           strings.Replace(html, "http", "git", 1) + ".git",
		"ssh_url":           "git@" + strings.TrimPrefix(strings.TrimPrefix(u.html, "http://"), "https://") + ":" + r.fullName() + ".git",
		"svn_url":           html,
	}
	for k, v := range map[string]string{
		"archive_url": "/{archive_format}{/ref}", "assignees_url": "/assignees{/user}", "blobs_url": "/git/blobs{/sha}",
		"branches_url": "/branches{/branch}", "collaborators_url": "/collaborators{/collaborator}",
		"comments_url": "/comments{/number}", "commits_url": "/commits{/sha}", "compare_url": "/compare/{base}...{head}",
		"contents_url": "/contents/{+path}", "contributors_url": "/contributors", "deployments_url": "/deployments",
		"downloads_url": "/downloads", "events_url": "/events", "forks_url": "/forks",
		"git_commits_url": "/git/commits{/sha}", "git_refs_url": "/git/refs{/sha}", "git_tags_url": "/git/tags{/sha}",
		"hooks_url": "/hooks", "issue_comment_url": "/issues/comments{/number}", "issue_events_url": "/issues/events{/number}",
		"issues_url": "/issues{/number}", "keys_url": "/keys{/key_id}", "labels_url": "/labels{/name}",
		"languages_url": "/languages", "merges_url": "/merges", "milestones_url": "/milestones{/number}",
		"notifications_url": "/notifications{?since,all,participating}", "pulls_url": "/pulls{/number}",
		"releases_url": "/releases{/id}", "stargazers_url": "/stargazers", "statuses_url": "/statuses/{sha}",
		"subscribers_url": "/subscribers", "subscription_url": "/subscription", "tags_url": "/tags",
		"teams_url": "/teams", "trees_url": "/git/trees{/sha}",
	} {
		m[k] = api + v
	}
	return m
}

func state(s string) string { return orDefault(s, "open") }

func (u urls) issue(r *repo, is *issueRec) map[string]any {
	api := fmt.Sprintf("%s/repos/%s/issues/%d", u.api, r.fullName(), is.Number)
	kind := "issues"
	if is.pull {
		kind = "pull"
	}
	html := fmt.Sprintf("%s/%s/%s/%d", u.html, r.fullName(), kind, is.Number)
	created := orEpoch(is.Created)
	updated := orEpoch(is.Updated)
	var closed any
	if state(is.State) == "closed" {
		closed = timestamp(orDefaultTime(is.Closed, updated))
	}
	m := map[string]any{
		"id":                 is.id,
		"node_id":            fmt.Sprintf("I_fake%d", is.id),
		"url":                api,
		"repository_url":     u.api + "/repos/" + r.fullName(),
		"labels_url":         api + "/labels{/name}",
		"comments_url":       api + "/comments",
		"events_url":         api + "/events",
		"html_url":           html,
		"number":             is.Number,
		"state":              state(is.State),
		"title":              is.Title,
		"body":               nullable(is.Body),
		"user":               u.user(orDefault(is.Author, "octocat")),
		"labels":             u.labels(r, is.Labels),
		"assignee":           nil,
		"assignees":          []any{},
		"milestone":          nil,
		"locked":             false,
		"active_lock_reason": nil,
		"comments":           0,
		"closed_at":          closed,
		"created_at":         timestamp(created),
		"updated_at":         timestamp(updated),
		"author_association": "OWNER",
	}
	if is.pull {
		pr := fmt.Sprintf("%s/repos/%s/pulls/%d", u.api, r.fullName(), is.Number)
		var merged any
		if p := r.pulls[is.Number]; p != nil && p.Merged {
			merged = timestamp(orEpoch(p.Updated))
		}
		m["pull_request"] = map[string]any{
			"url": pr, "html_url": html, "diff_url": html + ".diff", "patch_url": html + ".patch", "merged_at": merged,
		}
	}
	return m
}

func orDefaultTime(t, def time.Time) time.Time {
	if t.IsZero() {
		return def
	}
	return t
}

func (u urls) branch(r *repo, head *repo, ref, sha string) map[string]any {
	return map[string]any{
		"label": head.owner + ":" + ref,
		"ref":   ref,
		"sha":   sha,
		"user":  u.user(head.owner),
		"repo":  u.repository(head),
	}
}

func (u urls) pull(r, head *repo, p *PullRequest, is *issueRec, commits int) map[string]any {
	api := fmt.Sprintf("%s/repos/%s/pulls/%d", u.api, r.fullName(), p.Number)
	issueAPI := fmt.Sprintf("%s/repos/%s/issues/%d", u.api, r.fullName(), p.Number)
	html := fmt.Sprintf("%s/%s/pull/%d", u.html, r.fullName(), p.Number)
	created, updated := orEpoch(p.Created), orEpoch(p.Updated)
	var closed, merged, mergedBy any
	if state(p.State) == "closed" {
		closed = timestamp(updated)
	}
	if p.Merged {
		merged = timestamp(updated)
		mergedBy = u.user(r.owner)
	}
	statuses := u.api + "/repos/" + r.fullName() + "/statuses/" + p.HeadSHA
	link := func(h string) map[string]any { return map[string]any{"href": h} }
	var id int64
	if is != nil {
		id = is.id
	}
	mergeable := any(nil)
	mergeableState := "unknown"
	if state(p.State) == "open" {
		mergeable, mergeableState = true, "clean"
	}
	return map[string]any{
		"url":                   api,
		"id":                    id,
		"node_id":               fmt.Sprintf("PR_fake%d", id),
		"html_url":              html,
		"diff_url":              html + ".diff",
		"patch_url":             html + ".patch",
		"issue_url":             issueAPI,
		"commits_url":           api + "/commits",
		"review_comments_url":   api + "/comments",
		"review_comment_url":    u.api + "/repos/" + r.fullName() + "/pulls/comments{/number}",
		"comments_url":          issueAPI + "/comments",
		"statuses_url":          statuses,
		"number":                p.Number,
		"state":                 state(p.State),
		"locked":                false,
		"title":                 p.Title,
		"user":                  u.user(orDefault(p.Author, "octocat")),
		"body":                  nullable(p.Body),
		"labels":                u.labels(r, p.Labels),
		"milestone":             nil,
		"active_lock_reason":    nil,
		"created_at":            timestamp(created),
		"updated_at":            timestamp(updated),
		"closed_at":             closed,
		"merged_at":             merged,
		"merge_commit_sha":      nullable(p.MergeCommitSHA),
		"assignee":              nil,
		"assignees":             []any{},
		"requested_reviewers":   []any{},
		"requested_teams":       []any{},
		"head":                  u.branch(r, head, p.HeadRef, p.HeadSHA),
		"base":                  u.branch(r, r, p.BaseRef, p.BaseSHA),
		"_links":                map[string]any{"self": link(api), "html": link(html), "issue": link(issueAPI), "comments": link(issueAPI + "/comments"), "review_comments": link(api + "/comments"), "review_comment": link(u.api + "/repos/" + r.fullName() + "/pulls/comments{/number}"), "commits": link(api + "/commits"), "statuses": link(statuses)},
		"author_association":    "OWNER",
		"auto_merge":            nil,
		"draft":                 p.Draft,
		"merged":                p.Merged,
		"mergeable":             mergeable,
		"rebaseable":            mergeable,
		"mergeable_state":       mergeableState,
		"merged_by":             mergedBy,
		"comments":              0,
		"review_comments":       0,
		"maintainer_can_modify": false,
		"commits":               commits,
		"additions":             0,
		"deletions":             0,
		"changed_files":         0,
	}
}

func (u urls) commit(r *repo, c Commit) map[string]any {
	api := u.api + "/repos/" + r.fullName()
	date := timestamp(orEpoch(c.Date))
	committed := timestamp(orEpoch(orDefaultTime(c.CommitterDate, c.Date)))
	committerName, committerEmail := c.CommitterName, c.CommitterEmail
	if committerName == "" {
		committerName, committerEmail = c.AuthorName, c.AuthorEmail
	}
	parents := []any{}
	for _, p := range c.Parents {
		parents = append(parents, map[string]any{"sha": p, "url": api + "/commits/" + p, "html_url": u.html + "/" + r.fullName() + "/commit/" + p})
	}
	var author any
	if c.Login != "" {
		author = u.user(c.Login)
	}
	return map[string]any{
		"sha":          c.SHA,
		"node_id":      "C_fake" + c.SHA,
		"url":          api + "/commits/" + c.SHA,
		"html_url":     u.html + "/" + r.fullName() + "/commit/" + c.SHA,
		"comments_url": api + "/commits/" + c.SHA + "/comments",
		"commit": map[string]any{
			"url":           api + "/git/commits/" + c.SHA,
			"author":        map[string]any{"name": c.AuthorName, "email": c.AuthorEmail, "date": date},
			"committer":     map[string]any{"name": committerName, "email": committerEmail, "date": committed},
			"message":       c.Message,
			"comment_count": 0,
			"tree":          map[string]any{"sha": orDefault(c.Tree, treeSHA(c.SHA)), "url": api + "/git/trees/" + orDefault(c.Tree, treeSHA(c.SHA))},
			"verification":  map[string]any{"verified": false, "reason": "unsigned", "signature": nil, "payload": nil, "verified_at": nil},
		},
		"author":    author,
		"committer": author,
		"parents":   parents,
	}
}

// treeSHA is a stand-in tree id derived from the commit's.
func treeSHA(sha string) string {
	h := fnv.New64a()
	h.Write([]byte(sha))
	return fmt.Sprintf("%040x", h.Sum64())
}

func sortedKeys[M ~map[K]V, K ~int | ~string, V any](m M) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

func hmacHex(secret, payload []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(payload)
	return hex.EncodeToString(m.Sum(nil))
}

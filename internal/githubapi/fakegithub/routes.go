package fakegithub

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

func (s *Server) routes() {
	for _, prefix := range []string{"/repos/{owner}/{repo}", "/repositories/{id}"} {
		s.Handle("GET "+prefix+"/issues", s.listIssues)
		s.Handle("GET "+prefix+"/issues/{number}", s.getIssue)
		s.Handle("GET "+prefix+"/pulls", s.listPulls)
		s.Handle("GET "+prefix+"/pulls/{number}", s.getPull)
		s.Handle("GET "+prefix+"/pulls/{number}/commits", s.listPullCommits)
	}
	s.gitRoutes()
	s.actionRoutes()
	s.checkRoutes()
	s.reviewRoutes()
}

// urls is the fake's own roots, as the client reached it.
func (s *Server) urls() urls { return urls{api: s.srv.URL + APIPrefix, html: s.srv.URL} }

// lookup finds the repository of a request; callers hold s.mu.
func (s *Server) lookup(r *http.Request) *repo {
	if id := r.PathValue("id"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return nil
		}
		return s.byID[n]
	}
	return s.repos[strings.ToLower(r.PathValue("owner")+"/"+r.PathValue("repo"))]
}

func number(r *http.Request) (int, bool) {
	n, err := strconv.Atoi(r.PathValue("number"))
	return n, err == nil && n > 0
}

// getIssue serves GET /repos/{owner}/{repo}/issues/{issue_number}: 200, or
// 301 for a transferred issue, 410 for a deleted one, 404.
func (s *Server) getIssue(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	n, ok := number(r)
	if rp == nil || !ok {
		notFound(w)
		return
	}
	u := s.urls()
	if to, ok := rp.moved[n]; ok {
		loc := fmt.Sprintf("%s/repos/%s/issues/%d", u.api, to.repo, to.number)
		w.Header().Set("Location", loc)
		m := basicError("Moved Permanently", "https://docs.github.com/rest/issues/issues#get-an-issue", http.StatusMovedPermanently)
		m["url"] = loc
		writeJSON(w, http.StatusMovedPermanently, m)
		return
	}
	if rp.gone[n] {
		writeJSON(w, http.StatusGone, basicError("This issue was deleted", "https://docs.github.com/rest/issues/issues#get-an-issue", http.StatusGone))
		return
	}
	is, ok := rp.issues[n]
	if !ok {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, u.issue(rp, is))
}

// listIssues serves GET /repos/{owner}/{repo}/issues with state (open,
// closed, all; open by default) and labels (comma-separated; an issue must
// carry every one), newest first, pull requests included, paginated.
func (s *Server) listIssues(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	st := q.Get("state")
	if st == "" {
		st = "open"
	}
	if st != "open" && st != "closed" && st != "all" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
			"message": "Validation Failed", "documentation_url": "https://docs.github.com/rest/issues/issues#list-repository-issues",
			"errors": []any{map[string]any{"resource": "Issue", "field": "state", "code": "invalid"}}, "status": "422"})
		return
	}
	var want []string
	if l := q.Get("labels"); l != "" {
		for _, name := range strings.Split(l, ",") {
			want = append(want, strings.ToLower(strings.TrimSpace(name)))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	if rp == nil {
		notFound(w)
		return
	}
	var match []*issueRec
	for _, n := range sortedKeys(rp.issues) {
		is := rp.issues[n]
		if st != "all" && state(is.State) != st {
			continue
		}
		if hasAll(is.Labels, want) {
			match = append(match, is)
		}
	}
	// GitHub's default order: created, descending.
	sort.SliceStable(match, func(i, j int) bool {
		ci, cj := orEpoch(match[i].Created), orEpoch(match[j].Created)
		if !ci.Equal(cj) {
			return ci.After(cj)
		}
		return match[i].Number > match[j].Number
	})
	u := s.urls()
	writePage(w, r, match, fmt.Sprintf("%s/repositories/%d/issues", u.api, rp.id), func(is *issueRec) any { return u.issue(rp, is) })
}

func hasAll(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if strings.EqualFold(h, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// getPull serves GET /repos/{owner}/{repo}/pulls/{pull_number}.
func (s *Server) getPull(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	n, ok := number(r)
	if rp == nil || !ok || rp.pulls[n] == nil {
		notFound(w)
		return
	}
	p := rp.pulls[n]
	head := rp
	if p.HeadRepo != "" {
		head = s.repos[strings.ToLower(p.HeadRepo)]
	}
	commits := p.Commits
	if commits == 0 {
		commits = len(rp.commits[n])
	}
	writeJSON(w, http.StatusOK, s.urls().pull(rp, head, p, rp.issues[n], commits))
}

// listPulls serves GET /repos/{owner}/{repo}/pulls with state (open,
// closed, all; open by default), newest first, paginated.
func (s *Server) listPulls(w http.ResponseWriter, r *http.Request) {
	st := r.URL.Query().Get("state")
	if st == "" {
		st = "open"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	if rp == nil {
		notFound(w)
		return
	}
	var match []*PullRequest
	for _, n := range sortedKeys(rp.pulls) {
		if p := rp.pulls[n]; st == "all" || state(p.State) == st {
			match = append(match, p)
		}
	}
	sort.SliceStable(match, func(i, j int) bool { return match[i].Number > match[j].Number })
	u := s.urls()
	writePage(w, r, match, fmt.Sprintf("%s/repositories/%d/pulls", u.api, rp.id), func(p *PullRequest) any {
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

// listPullCommits serves GET /repos/{owner}/{repo}/pulls/{pull_number}/commits:
// oldest first, paginated, and never more than the first 250, as GitHub.
func (s *Server) listPullCommits(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	n, ok := number(r)
	if rp == nil || !ok || rp.pulls[n] == nil {
		notFound(w)
		return
	}
	commits := rp.commits[n]
	if len(commits) > maxPRCommits {
		commits = commits[:maxPRCommits]
	}
	u := s.urls()
	writePage(w, r, commits, fmt.Sprintf("%s/repositories/%d/pulls/%d/commits", u.api, rp.id, n), func(c Commit) any { return u.commit(rp, c) })
}

type window struct{ from, to int }

// paged is the requested page of items, each in its answer's shape, with
// the Link header set (see paginate); ok is false when the paging
// parameters were refused and the answer is written.
func paged[T any](w http.ResponseWriter, r *http.Request, items []T, linkBase string, shape func(T) any) ([]any, bool) {
	page, ok := paginate(w, r, len(items), linkBase)
	if !ok {
		return nil, false
	}
	out := []any{}
	for _, it := range items[page.from:page.to] {
		out = append(out, shape(it))
	}
	return out, true
}

// writePage answers the requested page of items as a JSON array.
func writePage[T any](w http.ResponseWriter, r *http.Request, items []T, linkBase string, shape func(T) any) {
	if out, ok := paged(w, r, items, linkBase, shape); ok {
		writeJSON(w, http.StatusOK, out)
	}
}

// paginate reads per_page (30 by default, at most 100) and page (1 by
// default) and sets the Link header GitHub sends: prev, next, last and
// first, each the same query with another page, under linkBase (GitHub
// links repository lists through /repositories/{id}). A page past the end
// is empty, as on GitHub.
func paginate(w http.ResponseWriter, r *http.Request, total int, linkBase string) (window, bool) {
	q := r.URL.Query()
	per, page := 30, 1
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeJSON(w, http.StatusUnprocessableEntity, basicError("Invalid per_page", "https://docs.github.com/rest", http.StatusUnprocessableEntity))
			return window{}, false
		}
		per = min(n, 100)
	}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			n = 1
		}
		page = n
	}
	last := max((total+per-1)/per, 1)
	link := func(p int, rel string) string {
		lq := url.Values{}
		for k, v := range q {
			lq[k] = v
		}
		lq.Set("page", strconv.Itoa(p))
		// Encode escapes the commas of labels=a,b as %2C, as GitHub does:
		// go-github splits the Link header on commas.
		return fmt.Sprintf("<%s?%s>; rel=%q", linkBase, lq.Encode(), rel)
	}
	var links []string
	if page > 1 {
		links = append(links, link(min(page-1, last), "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	from := min((page-1)*per, total)
	return window{from: from, to: min(from+per, total)}, true
}

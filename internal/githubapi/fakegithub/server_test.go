package fakegithub_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

type answer struct {
	status int
	header http.Header
	body   []byte
}

func get(t *testing.T, srv *fakegithub.Server, path, auth string) answer {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, b}
}

const bearer = "Bearer " + fakegithub.DefaultToken

func numbers(t *testing.T, body []byte) []int {
	t.Helper()
	var items []struct {
		Number int `json:"number"`
	}
	if err := json.Unmarshal(body, &items); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	out := []int{}
	for _, it := range items {
		out = append(out, it.Number)
	}
	return out
}

func TestToken(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddIssue("o/r", fakegithub.Issue{Number: 1, Title: "x"})
	tests := []struct {
		token, auth string
		want        int
	}{
		{fakegithub.DefaultToken, bearer, 200},
		{fakegithub.DefaultToken, "token " + fakegithub.DefaultToken, 200},
		{fakegithub.DefaultToken, "bearer " + fakegithub.DefaultToken, 200},
		{fakegithub.DefaultToken, "", 401},
		{fakegithub.DefaultToken, "Bearer wrong", 401},
		{fakegithub.DefaultToken, "Basic " + fakegithub.DefaultToken, 401},
		{"other", bearer, 401},
		{"other", "Bearer other", 200},
		{"", "", 200},
	}
	for _, tt := range tests {
		srv.SetToken(tt.token)
		got := get(t, srv, "/api/v3/repos/o/r/issues/1", tt.auth)
		if got.status != tt.want {
			t.Errorf("token %q, Authorization %q: %d, want %d", tt.token, tt.auth, got.status, tt.want)
		}
		if got.status == 401 && !strings.Contains(string(got.body), `"Bad credentials"`) {
			t.Errorf("401 body %s", got.body)
		}
	}
}

func TestIssueListPagination(t *testing.T) {
	srv := fakegithub.New(t)
	for n := 1; n <= 5; n++ {
		srv.AddIssue("o/r", fakegithub.Issue{Number: n, Title: "x", Labels: []string{"a,b"}})
	}
	link := func(page int, rel string) string {
		return fmt.Sprintf(`<%s/api/v3/repositories/1001/issues?labels=a%%2Cb&page=%d&per_page=2&state=all>; rel=%q`, srv.URL(), page, rel)
	}
	tests := []struct {
		page     string
		wantNums []int
		wantLink string
	}{
		// Newest first: same creation time, so by number, descending.
		{"", []int{5, 4}, link(2, "next") + ", " + link(3, "last")},
		{"&page=2", []int{3, 2}, link(1, "prev") + ", " + link(3, "next") + ", " + link(3, "last") + ", " + link(1, "first")},
		{"&page=3", []int{1}, link(2, "prev") + ", " + link(1, "first")},
		{"&page=4", []int{}, link(3, "prev") + ", " + link(1, "first")},
	}
	for _, tt := range tests {
		got := get(t, srv, "/api/v3/repos/o/r/issues?state=all&per_page=2&labels=a%2Cb"+tt.page, bearer)
		// The label "a,b" is two labels to GitHub's filter: nothing matches.
		if got.status != 200 || len(numbers(t, got.body)) != 0 {
			t.Fatalf("labels=a,b: %d %s", got.status, got.body)
		}
	}
	for n := 1; n <= 5; n++ {
		srv.AddIssue("o/r", fakegithub.Issue{Number: n, Title: "x", Labels: []string{"a", "b"}})
	}
	for _, tt := range tests {
		got := get(t, srv, "/api/v3/repos/o/r/issues?state=all&per_page=2&labels=a%2Cb"+tt.page, bearer)
		if nums := numbers(t, got.body); !reflect.DeepEqual(nums, tt.wantNums) {
			t.Errorf("page %q: issues %v, want %v", tt.page, nums, tt.wantNums)
		}
		if l := got.header.Get("Link"); l != tt.wantLink {
			t.Errorf("page %q: Link\n%s\nwant\n%s", tt.page, l, tt.wantLink)
		}
	}
	// The Link URLs are served too.
	u, _ := url.Parse(strings.Trim(strings.SplitN(tests[0].wantLink, ";", 2)[0], "<>"))
	got := get(t, srv, u.RequestURI(), bearer)
	if nums := numbers(t, got.body); !reflect.DeepEqual(nums, []int{3, 2}) {
		t.Errorf("following the next link: %v", nums)
	}
}

func TestIssueListFilters(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddIssue("o/r", fakegithub.Issue{Number: 1, Title: "bug", Labels: []string{"Bug"}})
	srv.AddIssue("o/r", fakegithub.Issue{Number: 2, Title: "both", Labels: []string{"bug", "PR"}})
	srv.AddIssue("o/r", fakegithub.Issue{Number: 3, Title: "closed", State: "closed", Labels: []string{"bug"}})
	srv.AddPullRequest("o/r", fakegithub.PullRequest{Number: 4, Title: "pull", Labels: []string{"bug"}, HeadSHA: "h", BaseSHA: "b"})
	srv.AddRepo("o/empty")
	tests := []struct {
		query  string
		status int
		want   []int
	}{
		{"", 200, []int{4, 2, 1}},
		{"?state=open", 200, []int{4, 2, 1}},
		{"?state=closed", 200, []int{3}},
		{"?state=all", 200, []int{4, 3, 2, 1}},
		{"?state=all&labels=bug", 200, []int{4, 3, 2, 1}},
		{"?state=all&labels=bug,pr", 200, []int{2}},
		{"?labels=nothing", 200, []int{}},
		{"?state=merged", 422, nil},
		{"?per_page=0", 422, nil},
	}
	for _, tt := range tests {
		got := get(t, srv, "/api/v3/repos/o/r/issues"+tt.query, bearer)
		if got.status != tt.status {
			t.Errorf("%s: %d, want %d", tt.query, got.status, tt.status)
			continue
		}
		if tt.status == 200 {
			if nums := numbers(t, got.body); !reflect.DeepEqual(nums, tt.want) {
				t.Errorf("%s: %v, want %v", tt.query, nums, tt.want)
			}
		}
	}
	var items []map[string]any
	json.Unmarshal(get(t, srv, "/api/v3/repos/o/r/issues?state=all", bearer).body, &items)
	for _, it := range items {
		_, isPR := it["pull_request"]
		if isPR != (it["number"] == 4.0) {
			t.Errorf("issue %v: pull_request key present = %v", it["number"], isPR)
		}
	}
	if got := get(t, srv, "/api/v3/repos/o/empty/issues", bearer); got.status != 200 || string(got.body) != "[]" {
		t.Errorf("empty repository: %d %s", got.status, got.body)
	}
	if got := get(t, srv, "/api/v3/repos/o/none/issues", bearer); got.status != 404 {
		t.Errorf("unknown repository: %d", got.status)
	}
}

func TestIssueStates(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddIssue("o/r", fakegithub.Issue{Number: 1, Title: "moving"})
	srv.TransferIssue("o/r", 1, "o/other", 7)
	srv.AddIssue("o/r", fakegithub.Issue{Number: 2, Title: "deleting"})
	srv.DeleteIssue("o/r", 2)
	got := get(t, srv, "/api/v3/repos/o/r/issues/1", bearer)
	if got.status != 301 || got.header.Get("Location") != srv.APIURL()+"/repos/o/other/issues/7" {
		t.Errorf("transferred: %d, Location %q", got.status, got.header.Get("Location"))
	}
	got = get(t, srv, "/api/v3/repos/o/other/issues/7", bearer)
	var is struct {
		Number int
		Title  string
	}
	json.Unmarshal(got.body, &is)
	if got.status != 200 || is.Number != 7 || is.Title != "moving" {
		t.Errorf("at its new place: %d %+v", got.status, is)
	}
	if got := get(t, srv, "/api/v3/repos/o/r/issues/2", bearer); got.status != 410 {
		t.Errorf("deleted: %d", got.status)
	}
	for _, p := range []string{"/api/v3/repos/o/r/issues/3", "/api/v3/repos/o/r/issues/x", "/api/v3/repos/o/r/pulls/1", "/api/v3/nothing", "/repos/o/r/issues/1"} {
		if got := get(t, srv, p, bearer); got.status != 404 || !strings.Contains(string(got.body), `"Not Found"`) {
			t.Errorf("%s: %d %s", p, got.status, got.body)
		}
	}
}

func TestPullCommitsCapped(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddPullRequest("o/r", fakegithub.PullRequest{Number: 1, Title: "big", HeadSHA: "h", BaseSHA: "b"})
	var commits []fakegithub.Commit
	for i := range 260 {
		commits = append(commits, fakegithub.Commit{SHA: fmt.Sprintf("%040x", i+1), Message: "m"})
	}
	srv.AddPRCommits("o/r", 1, commits...)
	total := 0
	for page := 1; page <= 4; page++ {
		got := get(t, srv, fmt.Sprintf("/api/v3/repos/o/r/pulls/1/commits?per_page=100&page=%d", page), bearer)
		var list []any
		json.Unmarshal(got.body, &list)
		total += len(list)
	}
	if total != 250 {
		t.Errorf("listed %d commits, GitHub lists at most 250", total)
	}
	var pr struct{ Commits int }
	json.Unmarshal(get(t, srv, "/api/v3/repos/o/r/pulls/1", bearer).body, &pr)
	if pr.Commits != 260 {
		t.Errorf("the pull request reports %d commits, want 260", pr.Commits)
	}
}

func TestFaultsAndLog(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddIssue("o/r", fakegithub.Issue{Number: 1, Title: "x"})
	srv.FailNext("/api/v3/repos/*/*/issues/*", 429, http.Header{"Retry-After": {"3"}}, 2)
	srv.Inject(fakegithub.Fault{Method: "POST", Path: "/api/v3/repos/o/r/issues/1", Status: 500})
	srv.Inject(fakegithub.Fault{Path: "/api/v3/repos/o/r/issues", Query: map[string]string{"page": "2"}, Status: 503})
	srv.Inject(fakegithub.Fault{Path: "/api/v3/repos/o/r/issues", Status: 502, Body: "<html>bad gateway</html>"})

	want := []struct {
		path   string
		status int
		body   string
	}{
		{"/api/v3/repos/o/r/issues/1", 429, "secondary rate limit"},
		{"/api/v3/repos/o/r/issues/1", 429, "secondary rate limit"},
		{"/api/v3/repos/o/r/issues/1", 200, `"number":1`}, // the POST fault does not match a GET
		{"/api/v3/repos/o/r/issues?state=all", 502, "<html>bad gateway</html>"},
		{"/api/v3/repos/o/r/issues?state=all", 200, `"number":1`},
		{"/api/v3/repos/o/r/issues?state=all&page=2", 503, `"Server Error"`}, // the page=2 fault waited for its page
		{"/api/v3/repos/o/r/issues?state=all&page=2", 200, `[]`},
	}
	for i, w := range want {
		got := get(t, srv, w.path, bearer)
		if got.status != w.status || !strings.Contains(string(got.body), w.body) {
			t.Errorf("request %d %s: %d %s, want %d with %q", i, w.path, got.status, got.body, w.status, w.body)
		}
		if w.status == 429 && got.header.Get("Retry-After") != "3" {
			t.Errorf("request %d: Retry-After %q", i, got.header.Get("Retry-After"))
		}
	}
	log := srv.Requests()
	if len(log) != len(want) {
		t.Fatalf("%d requests logged, want %d", len(log), len(want))
	}
	for i, w := range want {
		u, _ := url.Parse(w.path)
		if log[i].Method != "GET" || log[i].Path != u.Path || log[i].Status != w.status || !reflect.DeepEqual(log[i].Query, u.Query()) {
			t.Errorf("log %d: %+v, want GET %s %d", i, log[i], w.path, w.status)
		}
	}
	if n := srv.Count("GET", "/api/v3/repos/o/r/issues/*"); n != 3 {
		t.Errorf("Count = %d, want 3", n)
	}
	srv.ResetLog()
	if len(srv.Requests()) != 0 {
		t.Error("ResetLog left requests")
	}
}

// TestHandle shows how a later endpoint plugs in: the token check, the
// faults and the log apply to it.
func TestHandle(t *testing.T) {
	srv := fakegithub.New(t)
	srv.Handle("GET /repos/{owner}/{repo}/check-runs/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"id": %s}`, r.PathValue("id"))
	})
	if got := get(t, srv, "/api/v3/repos/o/r/check-runs/9", ""); got.status != 401 {
		t.Errorf("without a token: %d", got.status)
	}
	srv.FailNext("/api/v3/repos/o/r/check-runs/*", 503, nil, 1)
	if got := get(t, srv, "/api/v3/repos/o/r/check-runs/9", bearer); got.status != 503 {
		t.Errorf("fault: %d", got.status)
	}
	if got := get(t, srv, "/api/v3/repos/o/r/check-runs/9", bearer); got.status != 200 || string(got.body) != `{"id": 9}` {
		t.Errorf("handled: %d %s", got.status, got.body)
	}
	if n := srv.Count("", "/api/v3/repos/o/r/check-runs/9"); n != 3 {
		t.Errorf("logged %d, want 3", n)
	}
}

// A repeated read with the entity tag of the last answer gets 304 and no
// body; a changed resource gets its new body.
func TestConditionalRequests(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddIssue("octo/hello", fakegithub.Issue{Number: 1, Title: "first"})
	first := get(t, srv, "/api/v3/repos/octo/hello/issues/1", bearer)
	etag := first.header.Get("ETag")
	if first.status != 200 || etag == "" {
		t.Fatalf("status %d, ETag %q", first.status, etag)
	}
	cond := func() answer {
		req, _ := http.NewRequest("GET", srv.URL()+"/api/v3/repos/octo/hello/issues/1", nil)
		req.Header.Set("Authorization", bearer)
		req.Header.Set("If-None-Match", etag)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return answer{resp.StatusCode, resp.Header, b}
	}
	if a := cond(); a.status != http.StatusNotModified || len(a.body) != 0 {
		t.Errorf("unchanged: status %d, %d bytes", a.status, len(a.body))
	}
	srv.AddIssue("octo/hello", fakegithub.Issue{Number: 1, Title: "edited"})
	if a := cond(); a.status != 200 || !strings.Contains(string(a.body), "edited") || a.header.Get("ETag") == etag {
		t.Errorf("changed: status %d, ETag %q", a.status, a.header.Get("ETag"))
	}
	log := srv.Requests()
	if log[1].Status != http.StatusNotModified || log[1].Bytes != 0 || log[2].Bytes == 0 {
		t.Errorf("log %+v", log)
	}
}

// The download host serves what a redirect names, once it is asked
// without GitHub's token, and nothing else.
func TestDownloadHost(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddRepo("octo/hello")
	run := srv.AddWorkflowRun("octo/hello", fakegithub.WorkflowRun{Name: "CI", Path: ".github/workflows/ci.yml", HeadSHA: strings.Repeat("a", 40)})
	id := srv.AddArtifact(run, fakegithub.Artifact{Name: "r", Files: map[string]string{"a.txt": "a"}})
	a := get(t, srv, fmt.Sprintf("/api/v3/repos/octo/hello/actions/artifacts/%d/zip", id), bearer)
	loc := a.header.Get("Location")
	if a.status != http.StatusFound || !strings.HasPrefix(loc, srv.DownloadURL()) {
		t.Fatalf("status %d, Location %q", a.status, loc)
	}
	fetch := func(u, auth string) int {
		req, _ := http.NewRequest("GET", u, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := fetch(loc, bearer); s != http.StatusBadRequest {
		t.Errorf("with the token: %d", s)
	}
	if s := fetch(loc, ""); s != 200 {
		t.Errorf("signed URL: %d", s)
	}
	if s := fetch(strings.Split(loc, "?")[0], ""); s != http.StatusForbidden {
		t.Errorf("unsigned URL: %d", s)
	}
	var auths int
	for _, r := range srv.Requests() {
		if r.Host == "download" && r.Auth {
			auths++
		}
	}
	if auths != 1 {
		t.Errorf("%d downloads logged with a token", auths)
	}
}

// The check runs of a commit are listed as GitHub lists them: by default
// (filter=latest) the newest run of each name, with filter=all every one.
func TestListCheckRunsLatest(t *testing.T) {
	srv := fakegithub.New(t)
	srv.AddRepo("o/r")
	sha := strings.Repeat("cd", 20)
	for _, name := range []string{"tracegate/pr", "tracegate/pr", "other", "tracegate/pr"} {
		req, _ := http.NewRequest("POST", srv.APIURL()+"/repos/o/r/check-runs", strings.NewReader(fmt.Sprintf(`{"name": %q, "head_sha": %q}`, name, sha)))
		req.Header.Set("Authorization", bearer)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 201 {
			t.Fatalf("creating a check run: %d", resp.StatusCode)
		}
	}
	ids := func(query string) []int {
		got := get(t, srv, "/api/v3/repos/o/r/commits/"+sha+"/check-runs"+query, bearer)
		var list struct {
			CheckRuns []struct {
				ID int `json:"id"`
			} `json:"check_runs"`
		}
		if err := json.Unmarshal(got.body, &list); err != nil {
			t.Fatalf("%s: %v: %s", query, err, got.body)
		}
		var out []int
		for _, c := range list.CheckRuns {
			out = append(out, c.ID)
		}
		return out
	}
	all := ids("?filter=all")
	if len(all) != 4 {
		t.Fatalf("filter=all: %v, want the 4 runs", all)
	}
	if got, want := ids(""), []int{all[2], all[3]}; !reflect.DeepEqual(got, want) {
		t.Errorf("the default list %v, want the newest of each name %v", got, want)
	}
	if got, want := ids("?check_name=tracegate/pr"), []int{all[3]}; !reflect.DeepEqual(got, want) {
		t.Errorf("check_name: %v, want %v", got, want)
	}
}

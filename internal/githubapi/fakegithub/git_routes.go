package fakegithub

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
)

// MaxCompareFiles is how many changed files GitHub's compare endpoint
// lists, for the whole comparison.
const MaxCompareFiles = 300

// maxCompareCommits is how many commits the compare endpoint lists when
// asked without paging parameters: the most recent ones.
const maxCompareCommits = 250

func (s *Server) gitRoutes() {
	for _, prefix := range []string{"/repos/{owner}/{repo}", "/repositories/{id}"} {
		s.Handle("GET "+prefix+"/commits", s.listCommits)
		s.Handle("GET "+prefix+"/commits/{ref...}", s.getCommit)
		s.Handle("GET "+prefix+"/compare/{basehead...}", s.compare)
		s.Handle("GET "+prefix+"/tags", s.listTags)
		s.Handle("GET "+prefix+"/git/ref/{ref...}", s.getRef)
		s.Handle("GET "+prefix+"/git/matching-refs/{ref...}", s.matchingRefs)
		s.Handle("GET "+prefix+"/git/tags/{sha}", s.getTagObject)
		s.Handle("GET "+prefix+"/git/commits/{sha}", s.getGitCommit)
		s.Handle("GET "+prefix+"/git/trees/{sha}", s.getTree)
		s.Handle("GET "+prefix+"/git/blobs/{sha}", s.getBlob)
		s.Handle("GET "+prefix+"/tarball/{ref...}", s.archive("tar.gz"))
		s.Handle("GET "+prefix+"/zipball/{ref...}", s.archive("zip"))
	}
}

// gitRepo finds the request's repository and its git directory, answering
// 404 when there is none.
func (s *Server) gitRepo(w http.ResponseWriter, r *http.Request) (*repo, string, urls, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	if rp == nil || rp.git == "" {
		notFound(w)
		return nil, "", urls{}, false
	}
	return rp, rp.git, s.urls(), true
}

func noCommit(w http.ResponseWriter, ref string) {
	writeJSON(w, http.StatusNotFound, basicError("No commit found for SHA: "+ref, "https://docs.github.com/rest/commits/commits#get-a-commit", http.StatusNotFound))
}

func serverError(w http.ResponseWriter, err error) {
	writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "Server Error: " + err.Error()})
}

// getCommit serves GET /repos/{owner}/{repo}/commits/{ref}.
func (s *Server) getCommit(w http.ResponseWriter, r *http.Request) {
	rp, dir, u, ok := s.gitRepo(w, r)
	if !ok {
		return
	}
	ref := r.PathValue("ref")
	sha, err := resolve(dir, ref)
	if err != nil {
		noCommit(w, ref)
		return
	}
	// go-github asks for application/vnd.github.v3.sha, the docs name
	// application/vnd.github.sha.
	if accept := r.Header.Get("Accept"); strings.Contains(accept, "application/vnd.github.sha") || strings.Contains(accept, "application/vnd.github.v3.sha") {
		w.Header().Set("ETag", `"`+sha+`"`)
		w.Header().Set("Content-Type", "application/vnd.github.sha; charset=utf-8")
		w.Write([]byte(sha))
		return
	}
	commits, err := gitLog(dir, "-1", sha)
	if err != nil || len(commits) != 1 {
		serverError(w, fmt.Errorf("reading %s: %v", sha, err))
		return
	}
	writeJSON(w, http.StatusOK, u.commit(rp, commits[0]))
}

// listCommits serves GET /repos/{owner}/{repo}/commits?sha=REF: the
// ancestors of REF (the default branch when absent) in git log order.
func (s *Server) listCommits(w http.ResponseWriter, r *http.Request) {
	rp, dir, u, ok := s.gitRepo(w, r)
	if !ok {
		return
	}
	ref := r.URL.Query().Get("sha")
	if ref == "" {
		ref = "HEAD"
	}
	sha, err := resolve(dir, ref)
	if err != nil {
		noCommit(w, ref)
		return
	}
	commits, err := gitLog(dir, sha)
	if err != nil {
		serverError(w, err)
		return
	}
	writePage(w, r, commits, fmt.Sprintf("%s/repositories/%d/commits", u.api, rp.id), func(c Commit) any { return u.commit(rp, c) })
}

// compare serves GET /repos/{owner}/{repo}/compare/{base}...{head} (and
// base..head): the commits of git log base..head, oldest first; the files
// changed from the merge base (three dots) or from base (two dots) to
// head, at most MaxCompareFiles. With page or per_page the commits are
// paginated and the files come on the first page only; without, the list
// holds the most recent 250 commits.
func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	rp, dir, u, ok := s.gitRepo(w, r)
	if !ok {
		return
	}
	basehead := r.PathValue("basehead")
	base, head, threeDot := strings.Cut(basehead, "...")
	if !threeDot {
		var two bool
		if base, head, two = strings.Cut(basehead, ".."); !two {
			notFound(w)
			return
		}
	}
	baseSHA, err := resolve(dir, base)
	if err != nil {
		noCommit(w, base)
		return
	}
	headSHA, err := resolve(dir, head)
	if err != nil {
		noCommit(w, head)
		return
	}
	mb := mergeBase(dir, baseSHA, headSHA)
	if mb == "" {
		writeJSON(w, http.StatusNotFound, basicError("Not Found", "https://docs.github.com/rest/commits/commits#compare-two-commits", http.StatusNotFound))
		return
	}
	commits, err := gitLog(dir, "--reverse", "--date-order", baseSHA+".."+headSHA)
	if err != nil {
		serverError(w, err)
		return
	}
	behind, err := gitLog(dir, headSHA+".."+baseSHA)
	if err != nil {
		serverError(w, err)
		return
	}
	from := mb
	if !threeDot {
		from = baseSHA
	}
	changes, err := diffTree(dir, from, headSHA)
	if err != nil {
		serverError(w, err)
		return
	}
	q := r.URL.Query()
	paged := q.Has("page") || q.Has("per_page")
	list := commits
	showFiles := true
	if paged {
		page, ok := paginate(w, r, len(commits), fmt.Sprintf("%s/repositories/%d/compare/%s", u.api, rp.id, basehead))
		if !ok {
			return
		}
		list = commits[page.from:page.to]
		showFiles = page.from == 0
	} else if len(list) > maxCompareCommits {
		list = list[len(list)-maxCompareCommits:]
	}
	out := []any{}
	for _, c := range list {
		out = append(out, u.commit(rp, c))
	}
	files := []any{}
	if showFiles {
		for i, c := range changes {
			if i == MaxCompareFiles {
				break
			}
			files = append(files, u.file(rp, dir, headSHA, c))
		}
	}
	lookup := func(sha string) map[string]any {
		cs, err := gitLog(dir, "-1", sha)
		if err != nil || len(cs) != 1 {
			return nil
		}
		return u.commit(rp, cs[0])
	}
	status := "diverged"
	switch {
	case len(commits) == 0 && len(behind) == 0:
		status = "identical"
	case len(behind) == 0:
		status = "ahead"
	case len(commits) == 0:
		status = "behind"
	}
	html := u.html + "/" + rp.fullName() + "/compare/" + basehead
	writeJSON(w, http.StatusOK, map[string]any{
		"url":               u.api + "/repos/" + rp.fullName() + "/compare/" + basehead,
		"html_url":          html,
		"permalink_url":     u.html + "/" + rp.fullName() + "/compare/" + baseSHA[:7] + "..." + headSHA[:7],
		"diff_url":          html + ".diff",
		"patch_url":         html + ".patch",
		"base_commit":       lookup(baseSHA),
		"merge_base_commit": lookup(mb),
		"status":            status,
		"ahead_by":          len(commits),
		"behind_by":         len(behind),
		"total_commits":     len(commits),
		"commits":           out,
		"files":             files,
	})
}

// file is GitHub's diff-entry schema for a change.
func (u urls) file(r *repo, dir, head string, c change) map[string]any {
	sha := strings.Repeat("0", 40)
	if c.status != "D" {
		if out, err := git(dir, "rev-parse", head+":"+c.path); err == nil {
			sha = strings.TrimSpace(string(out))
		}
	}
	m := map[string]any{
		"sha":          sha,
		"filename":     c.path,
		"status":       fileStatus(c.status),
		"additions":    0,
		"deletions":    0,
		"changes":      0,
		"blob_url":     u.html + "/" + r.fullName() + "/blob/" + head + "/" + c.path,
		"raw_url":      u.html + "/" + r.fullName() + "/raw/" + head + "/" + c.path,
		"contents_url": u.api + "/repos/" + r.fullName() + "/contents/" + c.path + "?ref=" + head,
	}
	if c.oldPath != "" {
		m["previous_filename"] = c.oldPath
	}
	return m
}

// listTags serves GET /repos/{owner}/{repo}/tags: each tag with the
// commit it points to, annotated tags peeled.
func (s *Server) listTags(w http.ResponseWriter, r *http.Request) {
	rp, dir, u, ok := s.gitRepo(w, r)
	if !ok {
		return
	}
	list, err := tags(dir)
	if err != nil {
		serverError(w, err)
		return
	}
	api := u.api + "/repos/" + rp.fullName()
	writePage(w, r, list, fmt.Sprintf("%s/repositories/%d/tags", u.api, rp.id), func(t tagRef) any {
		return map[string]any{
			"name":        t.name,
			"commit":      map[string]any{"sha": t.commit, "url": api + "/commits/" + t.commit},
			"zipball_url": api + "/zipball/refs/tags/" + t.name,
			"tarball_url": api + "/tarball/refs/tags/" + t.name,
			"node_id":     "REF_fake" + t.name,
		}
	})
}

func (u urls) gitRef(r *repo, name, sha, typ string) map[string]any {
	api := u.api + "/repos/" + r.fullName()
	kind := "commits"
	if typ == "tag" {
		kind = "tags"
	}
	return map[string]any{
		"ref":     "refs/" + name,
		"node_id": "REF_fake" + name,
		"url":     api + "/git/refs/" + name,
		"object":  map[string]any{"type": typ, "sha": sha, "url": api + "/git/" + kind + "/" + sha},
	}
}

// refs lists the tag refs under prefix (tags/…); branches are not served.
func (s *Server) refs(dir, prefix string) ([]tagRef, bool) {
	if !strings.HasPrefix(prefix, "tags/") && prefix != "tags" {
		return nil, false
	}
	list, err := tags(dir)
	if err != nil {
		return nil, false
	}
	var out []tagRef
	for _, t := range list {
		if strings.HasPrefix("tags/"+t.name, prefix) {
			out = append(out, t)
		}
	}
	return out, true
}

// getRef serves GET /repos/{owner}/{repo}/git/ref/tags/{name}.
func (s *Server) getRef(w http.ResponseWriter, r *http.Request) {
	rp, dir, u, ok := s.gitRepo(w, r)
	if !ok {
		return
	}
	ref := r.PathValue("ref")
	list, _ := s.refs(dir, ref)
	for _, t := range list {
		if "tags/"+t.name == ref {
			writeJSON(w, http.StatusOK, u.gitRef(rp, ref, t.object, t.objectType))
			return
		}
	}
	notFound(w)
}

// matchingRefs serves GET /repos/{owner}/{repo}/git/matching-refs/tags/{prefix}.
func (s *Server) matchingRefs(w http.ResponseWriter, r *http.Request) {
	rp, dir, u, ok := s.gitRepo(w, r)
	if !ok {
		return
	}
	list, _ := s.refs(dir, r.PathValue("ref"))
	out := []any{}
	for i := len(list) - 1; i >= 0; i-- { // by name, ascending
		out = append(out, u.gitRef(rp, "tags/"+list[i].name, list[i].object, list[i].objectType))
	}
	writeJSON(w, http.StatusOK, out)
}

// getTagObject serves GET /repos/{owner}/{repo}/git/tags/{tag_sha}.
func (s *Server) getTagObject(w http.ResponseWriter, r *http.Request) {
	rp, dir, u, ok := s.gitRepo(w, r)
	if !ok {
		return
	}
	sha := r.PathValue("sha")
	t, err := readTag(dir, sha)
	if err != nil {
		notFound(w)
		return
	}
	api := u.api + "/repos/" + rp.fullName()
	writeJSON(w, http.StatusOK, map[string]any{
		"node_id": "TAG_fake" + sha,
		"tag":     t.name,
		"sha":     sha,
		"url":     api + "/git/tags/" + sha,
		"message": t.message,
		"tagger":  map[string]any{"name": t.taggerName, "email": t.taggerEmail, "date": timestamp(t.date)},
		"object":  map[string]any{"type": t.objectType, "sha": t.object, "url": api + "/git/" + t.objectType + "s/" + t.object},
		"verification": map[string]any{"verified": false, "reason": "unsigned", "signature": nil, "payload": nil,
			"verified_at": nil},
	})
}

// getGitCommit serves GET /repos/{owner}/{repo}/git/commits/{commit_sha}.
func (s *Server) getGitCommit(w http.ResponseWriter, r *http.Request) {
	rp, dir, u, ok := s.gitRepo(w, r)
	if !ok {
		return
	}
	sha := r.PathValue("sha")
	if objectType(dir, sha) != "commit" {
		notFound(w)
		return
	}
	cs, err := gitLog(dir, "-1", sha)
	if err != nil || len(cs) != 1 {
		serverError(w, err)
		return
	}
	full := u.commit(rp, cs[0])
	c := full["commit"].(map[string]any)
	parents := []any{}
	for _, p := range cs[0].Parents {
		parents = append(parents, map[string]any{"sha": p, "url": u.api + "/repos/" + rp.fullName() + "/git/commits/" + p,
			"html_url": u.html + "/" + rp.fullName() + "/commit/" + p})
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"sha": sha, "node_id": full["node_id"], "url": c["url"], "html_url": full["html_url"],
		"author": c["author"], "committer": c["committer"], "message": c["message"], "tree": c["tree"],
		"parents": parents, "verification": c["verification"],
	})
}

// getTree serves GET /repos/{owner}/{repo}/git/trees/{tree_sha}, which
// also takes a commit SHA or a ref; recursive lists the subtrees' entries
// too.
func (s *Server) getTree(w http.ResponseWriter, r *http.Request) {
	rp, dir, u, ok := s.gitRepo(w, r)
	if !ok {
		return
	}
	sha := r.PathValue("sha")
	if !safeName(sha) {
		notFound(w)
		return
	}
	out, err := git(dir, "rev-parse", "--verify", "--quiet", "--end-of-options", sha+"^{tree}")
	if err != nil {
		notFound(w)
		return
	}
	tree := strings.TrimSpace(string(out))
	recursive := r.URL.Query().Get("recursive") != ""
	entries, err := lsTree(dir, tree, recursive)
	if err != nil {
		serverError(w, err)
		return
	}
	api := u.api + "/repos/" + rp.fullName() + "/git/"
	list := []any{}
	for _, e := range entries {
		m := map[string]any{"path": e.path, "mode": e.mode, "type": e.typ, "sha": e.sha}
		switch e.typ {
		case "blob":
			m["size"] = e.size
			m["url"] = api + "blobs/" + e.sha
		case "tree":
			m["url"] = api + "trees/" + e.sha
		}
		list = append(list, m)
	}
	writeJSON(w, http.StatusOK, map[string]any{"sha": tree, "url": api + "trees/" + tree, "tree": list, "truncated": false})
}

// getBlob serves GET /repos/{owner}/{repo}/git/blobs/{file_sha}: JSON with
// base64 content, or the raw bytes for application/vnd.github.raw.
func (s *Server) getBlob(w http.ResponseWriter, r *http.Request) {
	rp, dir, u, ok := s.gitRepo(w, r)
	if !ok {
		return
	}
	sha := r.PathValue("sha")
	if objectType(dir, sha) != "blob" {
		notFound(w)
		return
	}
	data, err := git(dir, "cat-file", "blob", sha)
	if err != nil {
		serverError(w, err)
		return
	}
	if accept := r.Header.Get("Accept"); strings.Contains(accept, "application/vnd.github.raw") || strings.Contains(accept, "application/vnd.github.v3.raw") {
		w.Header().Set("ETag", `"`+sha+`"`)
		w.Header().Set("Content-Type", "application/vnd.github.raw")
		w.Write(data)
		return
	}
	// GitHub wraps the base64 at 60 characters.
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 60 {
		b.WriteString(enc[:60] + "\n")
		enc = enc[60:]
	}
	b.WriteString(enc + "\n")
	w.Header().Set("ETag", `"`+sha+`"`)
	writeJSON(w, http.StatusOK, map[string]any{"sha": sha, "node_id": "B_fake" + sha, "size": len(data),
		"url": u.api + "/repos/" + rp.fullName() + "/git/blobs/" + sha, "content": b.String(), "encoding": "base64"})
}

// archive serves GET /repos/{owner}/{repo}/tarball/{ref} and zipball: 302
// to the download host, which serves git archive of the commit under the
// top directory OWNER-REPO-SHORTSHA/, as GitHub does (export-ignore and
// export-subst attributes apply).
func (s *Server) archive(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rp, dir, _, ok := s.gitRepo(w, r)
		if !ok {
			return
		}
		ref := r.PathValue("ref")
		sha, err := resolve(dir, ref)
		if err != nil {
			notFound(w)
			return
		}
		prefix := archiveName(rp, sha) + "/"
		path := fmt.Sprintf("/%s/legacy.%s/%s", rp.fullName(), format, sha)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.redirect(w, path, func(w http.ResponseWriter) {
			data, err := gitArchive(dir, format, prefix, sha)
			if err != nil {
				serverError(w, err)
				return
			}
			if format == "zip" {
				w.Header().Set("Content-Type", "application/zip")
			} else {
				w.Header().Set("Content-Type", "application/x-gzip")
			}
			w.Header().Set("Content-Disposition", "attachment; filename="+strings.TrimSuffix(prefix, "/")+"."+format)
			w.Write(data)
		})
	}
}

// gitArchive is git archive's tar, gzipped, or zip.
func gitArchive(dir, format, prefix, sha string) ([]byte, error) {
	if format == "zip" {
		data, err := git(dir, "archive", "--format=zip", "--prefix="+prefix, sha)
		if err != nil {
			return nil, err
		}
		if _, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err != nil {
			return nil, err
		}
		return data, nil
	}
	tar, err := git(dir, "archive", "--format=tar", "--prefix="+prefix, sha)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(tar)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

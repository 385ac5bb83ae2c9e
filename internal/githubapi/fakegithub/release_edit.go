package fakegithub

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

// What the App does to a release that fails its gate:
//
//	PATCH /repos/{owner}/{repo}/releases/{release_id}          (draft, name, body, prerelease)
//	POST  /repos/{owner}/{repo}/commits/{commit_sha}/comments  (a commit comment saying why)

// CommitComment is a comment on a commit.
type CommitComment struct {
	ID   int64
	SHA  string
	Body string
}

type commentState struct {
	comments map[*repo][]*CommitComment
}

func (s *Server) releaseEditRoutes() {
	s.Handle("PATCH /repos/{owner}/{repo}/releases/{release_id}", s.editRelease)
	s.Handle("POST /repos/{owner}/{repo}/commits/{sha}/comments", s.commentCommit)
}

// Release returns the release of a tag (drafts included) as it is now.
func (s *Server) Release(fullName, tag string) (Release, bool) {
	st := s.releases()
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := st.byTag(s.repo(fullName), tag, true)
	if rec == nil {
		return Release{}, false
	}
	return rec.Release, true
}

// CommitComments returns the comments on a repository's commits, oldest
// first.
func (s *Server) CommitComments(fullName string) []CommitComment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CommitComment
	for _, c := range s.comments.comments[s.repo(fullName)] {
		out = append(out, *c)
	}
	return out
}

func (s *Server) editRelease(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Draft      *bool   `json:"draft"`
		Prerelease *bool   `json:"prerelease"`
		Name       *string `json:"name"`
		Body       *string `json:"body"`
	}
	data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err := json.Unmarshal(data, &body); err != nil {
		writeJSON(w, http.StatusBadRequest, basicError("Problems parsing JSON", "https://docs.github.com/rest/releases/releases#update-a-release", http.StatusBadRequest))
		return
	}
	releaseStatesMu.Lock()
	defer releaseStatesMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	_, rec := s.lookupRelease(r, r.PathValue("release_id"))
	if rec == nil {
		notFound(w)
		return
	}
	if body.Draft != nil {
		rec.Draft = *body.Draft
	}
	if body.Prerelease != nil {
		rec.Pre = *body.Prerelease
	}
	if body.Name != nil {
		rec.Name = *body.Name
	}
	if body.Body != nil {
		rec.Body = *body.Body
	}
	writeJSON(w, http.StatusOK, s.urls().release(rec))
}

func (s *Server) commentCommit(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Body string `json:"body"`
	}
	data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err := json.Unmarshal(data, &body); err != nil || body.Body == "" {
		writeJSON(w, http.StatusUnprocessableEntity, basicError("Validation Failed", "https://docs.github.com/rest/commits/comments#create-a-commit-comment", http.StatusUnprocessableEntity))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	sha := r.PathValue("sha")
	if rp == nil || !isHex(sha) {
		notFound(w)
		return
	}
	if s.comments.comments == nil {
		s.comments.comments = map[*repo][]*CommitComment{}
	}
	c := &CommitComment{ID: s.id(), SHA: sha, Body: body.Body}
	s.comments.comments[rp] = append(s.comments.comments[rp], c)
	u := s.urls()
	writeJSON(w, http.StatusCreated, map[string]any{
		"id": c.ID, "node_id": "CC_fake" + strconv.FormatInt(c.ID, 10), "body": c.Body, "commit_id": sha,
		"url":      u.api + "/repos/" + rp.fullName() + "/comments/" + strconv.FormatInt(c.ID, 10),
		"html_url": u.html + "/" + rp.fullName() + "/commit/" + sha + "#commitcomment-" + strconv.FormatInt(c.ID, 10),
		"user":     u.user("tracegate[bot]"), "path": nil, "position": nil, "line": nil,
		"created_at": timestamp(Epoch), "updated_at": timestamp(Epoch), "author_association": "NONE",
	})
}

package fakegithub

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Releases and their assets, as tracegate's evidence upload uses them:
//
//	GET    /repos/{owner}/{repo}/releases                      (drafts included, newest first, paginated)
//	GET    /repos/{owner}/{repo}/releases/tags/{tag}           (published releases only, as GitHub)
//	GET    /repos/{owner}/{repo}/releases/{id}/assets          (paginated)
//	DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}
//	POST   /api/uploads/repos/{owner}/{repo}/releases/{id}/assets?name=…&label=…
//
// The upload is served where GitHub Enterprise Server serves it, under
// /api/uploads/ of the same host, which is what go-github's UploadURL is
// after githubapi.NewClient with APIURL(). A second asset of a name the
// release already has is refused with 422 already_exists, as GitHub does.
//
// The routes are registered by the first AddRelease, and their state is
// kept beside the Server, so that this endpoint family lives in this file.

// Release is a release as the test sets it up.
type Release struct {
	Tag    string
	Name   string // the tag when empty
	Body   string
	Draft  bool
	Pre    bool
	Author string // login; "octocat" when empty
	// Created defaults to Epoch; Published to Created (null for drafts).
	Created, Published time.Time
}

// ReleaseAsset is an asset as the server holds it.
type ReleaseAsset struct {
	ID          int64
	Name        string
	Label       string
	ContentType string
	Data        []byte
	Uploader    string
	Created     time.Time
}

type releaseRec struct {
	Release
	id     int64
	repo   *repo
	assets []*ReleaseAsset
}

type releaseState struct {
	byRepo map[*repo][]*releaseRec
	byID   map[int64]*releaseRec
}

// releaseStates holds each Server's releases; guarded by the Server's mu.
var (
	releaseStates   = map[*Server]*releaseState{}
	releaseStatesMu sync.Mutex
)

// releases returns the server's release state, registering the routes on
// first use.
func (s *Server) releases() *releaseState {
	releaseStatesMu.Lock()
	defer releaseStatesMu.Unlock()
	if st, ok := releaseStates[s]; ok {
		return st
	}
	st := &releaseState{byRepo: map[*repo][]*releaseRec{}, byID: map[int64]*releaseRec{}}
	releaseStates[s] = st
	s.tb.Cleanup(func() {
		releaseStatesMu.Lock()
		delete(releaseStates, s)
		releaseStatesMu.Unlock()
	})
	s.Handle("GET /repos/{owner}/{repo}/releases", s.listReleases)
	// One pattern for releases/tags/{tag} and releases/{id}/assets: the two
	// overlap (releases/tags/assets) and ServeMux refuses ambiguous pairs.
	s.Handle("GET /repos/{owner}/{repo}/releases/{a}/{b}", s.releaseSub)
	s.Handle("DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}", s.deleteAsset)
	s.mux.HandleFunc("POST /api/uploads/repos/{owner}/{repo}/releases/{release_id}/assets", s.uploadAsset)
	return st
}

// AddRelease adds a release to a repository and returns its id.
func (s *Server) AddRelease(fullName string, rel Release) int64 {
	st := s.releases()
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(fullName)
	rec := &releaseRec{Release: rel, id: s.id(), repo: r}
	st.byRepo[r] = append(st.byRepo[r], rec)
	st.byID[rec.id] = rec
	return rec.id
}

// AddReleaseAsset adds an asset to the release of a tag, as an earlier
// upload would have, and returns its id.
func (s *Server) AddReleaseAsset(fullName, tag string, a ReleaseAsset) int64 {
	st := s.releases()
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := st.byTag(s.repo(fullName), tag, true)
	if rec == nil {
		s.tb.Helper()
		s.tb.Fatalf("fakegithub: %s has no release %s", fullName, tag)
	}
	a.ID = s.id()
	rec.assets = append(rec.assets, &a)
	return a.ID
}

// ReleaseAssets returns copies of the assets of the release of a tag, in
// upload order.
func (s *Server) ReleaseAssets(fullName, tag string) []ReleaseAsset {
	st := s.releases()
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := st.byTag(s.repo(fullName), tag, true)
	if rec == nil {
		return nil
	}
	out := make([]ReleaseAsset, len(rec.assets))
	for i, a := range rec.assets {
		out[i] = *a
		out[i].Data = append([]byte(nil), a.Data...)
	}
	return out
}

func (st *releaseState) byTag(r *repo, tag string, drafts bool) *releaseRec {
	for _, rec := range st.byRepo[r] {
		if rec.Tag == tag && (drafts || !rec.Draft) {
			return rec
		}
	}
	return nil
}

func (s *Server) lookupRelease(r *http.Request, id string) (*releaseState, *releaseRec) {
	st := releaseStates[s]
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || st == nil {
		return st, nil
	}
	rec := st.byID[n]
	if rec == nil || rec.repo != s.lookup(r) {
		return st, nil
	}
	return st, rec
}

// listReleases serves GET /repos/{owner}/{repo}/releases.
func (s *Server) listReleases(w http.ResponseWriter, r *http.Request) {
	releaseStatesMu.Lock()
	defer releaseStatesMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	if rp == nil {
		notFound(w)
		return
	}
	all := append([]*releaseRec(nil), releaseStates[s].byRepo[rp]...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].id > all[j].id })
	u := s.urls()
	page, ok := paginate(w, r, len(all), fmt.Sprintf("%s/repositories/%d/releases", u.api, rp.id))
	if !ok {
		return
	}
	out := []map[string]any{}
	for _, rec := range all[page.from:page.to] {
		out = append(out, u.release(rec))
	}
	writeJSON(w, http.StatusOK, out)
}

// releaseSub serves GET /repos/{owner}/{repo}/releases/tags/{tag} and
// GET /repos/{owner}/{repo}/releases/{release_id}/assets.
func (s *Server) releaseSub(w http.ResponseWriter, r *http.Request) {
	releaseStatesMu.Lock()
	defer releaseStatesMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	a, b := r.PathValue("a"), r.PathValue("b")
	u := s.urls()
	if a == "tags" {
		rp := s.lookup(r)
		st := releaseStates[s]
		if rp == nil || st == nil {
			notFound(w)
			return
		}
		rec := st.byTag(rp, b, false)
		if rec == nil {
			notFound(w)
			return
		}
		writeJSON(w, http.StatusOK, u.release(rec))
		return
	}
	if b != "assets" {
		notFound(w)
		return
	}
	_, rec := s.lookupRelease(r, a)
	if rec == nil {
		notFound(w)
		return
	}
	page, ok := paginate(w, r, len(rec.assets), fmt.Sprintf("%s/repositories/%d/releases/%d/assets", u.api, rec.repo.id, rec.id))
	if !ok {
		return
	}
	out := []map[string]any{}
	for _, as := range rec.assets[page.from:page.to] {
		out = append(out, u.asset(rec, as))
	}
	writeJSON(w, http.StatusOK, out)
}

// deleteAsset serves DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}.
func (s *Server) deleteAsset(w http.ResponseWriter, r *http.Request) {
	releaseStatesMu.Lock()
	defer releaseStatesMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	st := releaseStates[s]
	id, err := strconv.ParseInt(r.PathValue("asset_id"), 10, 64)
	if rp == nil || st == nil || err != nil {
		notFound(w)
		return
	}
	for _, rec := range st.byRepo[rp] {
		for i, a := range rec.assets {
			if a.ID == id {
				rec.assets = append(rec.assets[:i], rec.assets[i+1:]...)
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
	}
	notFound(w)
}

// maxAssetSize bounds what the fake accepts in one upload (GitHub's limit
// is 2 GiB; tests upload kilobytes).
const maxAssetSize = 64 << 20

// uploadAsset serves POST /api/uploads/repos/{owner}/{repo}/releases/{id}/assets.
func (s *Server) uploadAsset(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	data, err := io.ReadAll(io.LimitReader(r.Body, maxAssetSize+1))
	if err != nil || len(data) > maxAssetSize {
		writeJSON(w, http.StatusBadRequest, basicError("Bad Content-Length", "https://docs.github.com/rest/releases/assets#upload-a-release-asset", http.StatusBadRequest))
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
	const docs = "https://docs.github.com/rest/releases/assets#upload-a-release-asset"
	if name == "" {
		writeJSON(w, http.StatusUnprocessableEntity, validationFailed(docs, "missing_field", "name"))
		return
	}
	for _, a := range rec.assets {
		if a.Name == name {
			writeJSON(w, http.StatusUnprocessableEntity, validationFailed(docs, "already_exists", "name"))
			return
		}
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	a := &ReleaseAsset{ID: s.id(), Name: name, Label: r.URL.Query().Get("label"), ContentType: ct, Data: data, Uploader: "octocat", Created: Epoch}
	rec.assets = append(rec.assets, a)
	writeJSON(w, http.StatusCreated, s.urls().asset(rec, a))
}

// validationFailed is GitHub's 422 body with one error.
func validationFailed(docs, code, field string) map[string]any {
	m := basicError("Validation Failed", docs, http.StatusUnprocessableEntity)
	m["errors"] = []map[string]any{{"resource": "ReleaseAsset", "code": code, "field": field}}
	return m
}

// release is GitHub's release schema.
func (u urls) release(rec *releaseRec) map[string]any {
	r := rec.repo
	api := fmt.Sprintf("%s/repos/%s/releases/%d", u.api, r.fullName(), rec.id)
	uploads := strings.TrimSuffix(u.api, APIPrefix) + "/api/uploads"
	created := orEpoch(rec.Created)
	var published any
	if !rec.Draft {
		published = timestamp(orDefaultTime(rec.Published, created))
	}
	assets := []map[string]any{}
	for _, a := range rec.assets {
		assets = append(assets, u.asset(rec, a))
	}
	return map[string]any{
		"url":              api,
		"html_url":         fmt.Sprintf("%s/%s/releases/tag/%s", u.html, r.fullName(), rec.Tag),
		"assets_url":       api + "/assets",
		"upload_url":       fmt.Sprintf("%s/repos/%s/releases/%d/assets{?name,label}", uploads, r.fullName(), rec.id),
		"tarball_url":      fmt.Sprintf("%s/repos/%s/tarball/%s", u.api, r.fullName(), rec.Tag),
		"zipball_url":      fmt.Sprintf("%s/repos/%s/zipball/%s", u.api, r.fullName(), rec.Tag),
		"id":               rec.id,
		"node_id":          fmt.Sprintf("RE_fake%d", rec.id),
		"tag_name":         rec.Tag,
		"target_commitish": "main",
		"name":             orDefault(rec.Name, rec.Tag),
		"body":             nullable(rec.Body),
		"draft":            rec.Draft,
		"prerelease":       rec.Pre,
		"created_at":       timestamp(created),
		"published_at":     published,
		"author":           u.user(orDefault(rec.Author, "octocat")),
		"assets":           assets,
	}
}

// asset is GitHub's release-asset schema.
func (u urls) asset(rec *releaseRec, a *ReleaseAsset) map[string]any {
	ts := timestamp(orEpoch(a.Created))
	return map[string]any{
		"url":                  fmt.Sprintf("%s/repos/%s/releases/assets/%d", u.api, rec.repo.fullName(), a.ID),
		"browser_download_url": fmt.Sprintf("%s/%s/releases/download/%s/%s", u.html, rec.repo.fullName(), rec.Tag, a.Name),
		"id":                   a.ID,
		"node_id":              fmt.Sprintf("RA_fake%d", a.ID),
		"name":                 a.Name,
		"label":                nullable(a.Label),
		"state":                "uploaded",
		"content_type":         a.ContentType,
		"size":                 len(a.Data),
		"download_count":       0,
		"created_at":           ts,
		"updated_at":           ts,
		"uploader":             u.user(orDefault(a.Uploader, "octocat")),
	}
}

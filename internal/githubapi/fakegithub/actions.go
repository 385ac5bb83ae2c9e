package fakegithub

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Workflow runs and their artifacts, as tracegate's evidence store reads
// them:
//
//	GET /repos/{owner}/{repo}/actions/runs                                (head_sha, status, event, branch; newest first, paginated)
//	GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs        (the id or the file name)
//	GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts             (name; paginated)
//	GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/zip         (302 to the download host; 410 when expired)

// WorkflowRun is a run as the test sets it up.
type WorkflowRun struct {
	ID int64 // assigned when 0
	// Name is the workflow's name ("CI"); Path its file
	// (".github/workflows/ci.yml").
	Name, Path string
	HeadSHA    string
	HeadBranch string // "main" when empty
	Event      string // "push" when empty
	// Status is queued, in_progress or completed ("completed" when
	// empty); Conclusion is success, failure … for a completed run
	// ("success" when empty).
	Status, Conclusion string
	RunAttempt         int // 1 when 0
	Created            time.Time
}

// Artifact is an artifact of a run: its files, zipped when downloaded.
type Artifact struct {
	ID      int64 // assigned when 0
	Name    string
	Files   map[string]string
	Expired bool
	// Zip, when set, is served instead of a zip of Files (a broken or
	// oversized archive).
	Zip []byte
}

type runState struct {
	runs      map[*repo][]*WorkflowRun
	artifacts map[int64][]*Artifact // by run
	workflows map[string]int64      // workflow path → id
}

// AddWorkflowRun adds a run and returns its id.
func (s *Server) AddWorkflowRun(fullName string, run WorkflowRun) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repo(fullName)
	if s.runs.runs == nil {
		s.runs = runState{runs: map[*repo][]*WorkflowRun{}, artifacts: map[int64][]*Artifact{}, workflows: map[string]int64{}}
	}
	r := run
	if r.ID == 0 {
		r.ID = s.id()
	}
	if _, ok := s.runs.workflows[r.Path]; !ok {
		s.runs.workflows[r.Path] = s.id()
	}
	s.runs.runs[rp] = append(s.runs.runs[rp], &r)
	return r.ID
}

// SetRunStatus changes a run's status and conclusion (a run that
// completes while a test waits).
func (s *Server) SetRunStatus(fullName string, id int64, status, conclusion string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.runs.runs[s.repo(fullName)] {
		if r.ID == id {
			r.Status, r.Conclusion = status, conclusion
		}
	}
}

// AddArtifact adds an artifact to a run and returns its id.
func (s *Server) AddArtifact(runID int64, a Artifact) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.runs.artifacts == nil {
		s.tb.Helper()
		s.tb.Fatal("fakegithub: AddArtifact before AddWorkflowRun")
	}
	c := a
	if c.ID == 0 {
		c.ID = s.id()
	}
	s.runs.artifacts[runID] = append(s.runs.artifacts[runID], &c)
	return c.ID
}

func (s *Server) actionRoutes() {
	for _, prefix := range []string{"/repos/{owner}/{repo}", "/repositories/{id}"} {
		s.Handle("GET "+prefix+"/actions/runs", s.listRuns)
		s.Handle("GET "+prefix+"/actions/workflows/{workflow}/runs", s.listRuns)
		s.Handle("GET "+prefix+"/actions/runs/{run_id}/artifacts", s.listArtifacts)
		s.Handle("GET "+prefix+"/actions/artifacts/{artifact_id}/{format}", s.downloadArtifact)
	}
}

func (r *WorkflowRun) status() string { return orDefault(r.Status, "completed") }

func (r *WorkflowRun) conclusion() any {
	if r.status() != "completed" {
		return nil
	}
	return orDefault(r.Conclusion, "success")
}

// listRuns serves the two run lists, filtered as GitHub filters them.
func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	if rp == nil {
		notFound(w)
		return
	}
	q := r.URL.Query()
	wf := r.PathValue("workflow")
	var match []*WorkflowRun
	for _, run := range s.runs.runs[rp] {
		if wf != "" && wf != path.Base(run.Path) && wf != strconv.FormatInt(s.runs.workflows[run.Path], 10) {
			continue
		}
		if v := q.Get("head_sha"); v != "" && v != run.HeadSHA {
			continue
		}
		if v := q.Get("event"); v != "" && v != orDefault(run.Event, "push") {
			continue
		}
		if v := q.Get("branch"); v != "" && v != orDefault(run.HeadBranch, "main") {
			continue
		}
		if v := q.Get("status"); v != "" && v != run.status() && v != run.conclusion() {
			continue
		}
		match = append(match, run)
	}
	sort.SliceStable(match, func(i, j int) bool { return match[i].ID > match[j].ID })
	u := s.urls()
	list, ok := paged(w, r, match, fmt.Sprintf("%s/repositories/%d/actions/runs", u.api, rp.id), func(run *WorkflowRun) any {
		return u.run(rp, run, s.runs.workflows[run.Path])
	})
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"total_count": len(match), "workflow_runs": list})
}

// run is GitHub's workflow-run schema, the fields tracegate reads and
// the required ones.
func (u urls) run(r *repo, run *WorkflowRun, workflowID int64) map[string]any {
	api := fmt.Sprintf("%s/repos/%s/actions/runs/%d", u.api, r.fullName(), run.ID)
	created := timestamp(orEpoch(run.Created))
	attempt := run.RunAttempt
	if attempt == 0 {
		attempt = 1
	}
	return map[string]any{
		"id":                   run.ID,
		"name":                 run.Name,
		"node_id":              fmt.Sprintf("WFR_fake%d", run.ID),
		"check_suite_id":       run.ID + 1,
		"head_branch":          orDefault(run.HeadBranch, "main"),
		"head_sha":             run.HeadSHA,
		"path":                 run.Path,
		"display_title":        run.Name,
		"run_number":           run.ID,
		"run_attempt":          attempt,
		"event":                orDefault(run.Event, "push"),
		"status":               run.status(),
		"conclusion":           run.conclusion(),
		"workflow_id":          workflowID,
		"url":                  api,
		"html_url":             fmt.Sprintf("%s/%s/actions/runs/%d", u.html, r.fullName(), run.ID),
		"pull_requests":        []any{},
		"created_at":           created,
		"updated_at":           created,
		"jobs_url":             api + "/jobs",
		"logs_url":             api + "/logs",
		"check_suite_url":      fmt.Sprintf("%s/repos/%s/check-suites/%d", u.api, r.fullName(), run.ID+1),
		"artifacts_url":        api + "/artifacts",
		"cancel_url":           api + "/cancel",
		"rerun_url":            api + "/rerun",
		"workflow_url":         fmt.Sprintf("%s/repos/%s/actions/workflows/%d", u.api, r.fullName(), workflowID),
		"head_commit":          nil,
		"repository":           u.repository(r),
		"head_repository":      u.repository(r),
		"previous_attempt_url": nil,
	}
}

// listArtifacts serves GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts.
func (s *Server) listArtifacts(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	id, err := strconv.ParseInt(r.PathValue("run_id"), 10, 64)
	if rp == nil || err != nil || s.run(rp, id) == nil {
		notFound(w)
		return
	}
	name := r.URL.Query().Get("name")
	var match []*Artifact
	for _, a := range s.runs.artifacts[id] {
		if name == "" || a.Name == name {
			match = append(match, a)
		}
	}
	u := s.urls()
	run := s.run(rp, id)
	list, ok := paged(w, r, match, fmt.Sprintf("%s/repositories/%d/actions/runs/%d/artifacts", u.api, rp.id, id), func(a *Artifact) any {
		api := fmt.Sprintf("%s/repos/%s/actions/artifacts/%d", u.api, rp.fullName(), a.ID)
		return map[string]any{
			"id":                   a.ID,
			"node_id":              fmt.Sprintf("MDg6QXJ0aWZhY3Q%d", a.ID),
			"name":                 a.Name,
			"size_in_bytes":        len(a.zip()),
			"url":                  api,
			"archive_download_url": api + "/zip",
			"expired":              a.Expired,
			"created_at":           timestamp(Epoch),
			"expires_at":           timestamp(Epoch.Add(90 * 24 * time.Hour)),
			"updated_at":           timestamp(Epoch),
			"digest":               nil,
			"workflow_run": map[string]any{"id": run.ID, "repository_id": rp.id, "head_repository_id": rp.id,
				"head_branch": orDefault(run.HeadBranch, "main"), "head_sha": run.HeadSHA},
		}
	})
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"total_count": len(match), "artifacts": list})
}

func (s *Server) run(rp *repo, id int64) *WorkflowRun {
	for _, r := range s.runs.runs[rp] {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// zip is the artifact's archive, its files in name order.
func (a *Artifact) zip() []byte {
	if a.Zip != nil {
		return a.Zip
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(a.Files))
	for n := range a.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f, _ := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: Epoch})
		f.Write([]byte(a.Files[n]))
	}
	zw.Close()
	return buf.Bytes()
}

// downloadArtifact serves GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/zip.
func (s *Server) downloadArtifact(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	id, err := strconv.ParseInt(r.PathValue("artifact_id"), 10, 64)
	if rp == nil || err != nil {
		notFound(w)
		return
	}
	if r.PathValue("format") != "zip" {
		writeJSON(w, http.StatusUnprocessableEntity, basicError("Invalid archive_format", "https://docs.github.com/rest/actions/artifacts#download-an-artifact", http.StatusUnprocessableEntity))
		return
	}
	for _, run := range s.runs.runs[rp] {
		for _, a := range s.runs.artifacts[run.ID] {
			if a.ID != id {
				continue
			}
			if a.Expired {
				writeJSON(w, http.StatusGone, basicError("Artifact has expired", "https://docs.github.com/rest/actions/artifacts#download-an-artifact", http.StatusGone))
				return
			}
			data := a.zip()
			s.redirect(w, fmt.Sprintf("/%s/artifacts/%d.zip", strings.ToLower(rp.fullName()), id), func(w http.ResponseWriter) {
				w.Header().Set("Content-Type", "application/zip")
				w.Write(data)
			})
			return
		}
	}
	notFound(w)
}

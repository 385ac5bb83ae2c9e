package fakegithub

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// Check runs, as the App posts them:
//
//	POST  /repos/{owner}/{repo}/check-runs
//	PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}   (annotations are appended, as on GitHub)
//	GET   /repos/{owner}/{repo}/commits/{ref}/check-runs    (check_name)
//	GET   /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations
//
// The server validates what GitHub validates (422): at most 50
// annotations per request, a summary and a text of at most 65,535
// characters, a title with every output, a conclusion for a completed run,
// at most three actions with GitHub's length limits.

// MaxCheckAnnotations is how many annotations one request may carry.
const MaxCheckAnnotations = 50

// MaxCheckText is the longest summary or text of a check run's output.
const MaxCheckText = 65535

// CheckRun is a check run as the server holds it.
type CheckRun struct {
	ID                 int64
	Name, HeadSHA      string
	Status, Conclusion string
	DetailsURL         string
	ExternalID         string
	Title, Summary     string
	Text               string
	Actions            []CheckAction
	Annotations        []CheckAnnotation
	// Writes counts the requests that created or updated it.
	Writes int
}

// CheckAction is a requested action button.
type CheckAction struct {
	Label       string `json:"label"`
	Description string `json:"description"`
	Identifier  string `json:"identifier"`
}

// CheckAnnotation is an annotation of a check run.
type CheckAnnotation struct {
	Path            string `json:"path"`
	StartLine       int    `json:"start_line"`
	EndLine         int    `json:"end_line"`
	AnnotationLevel string `json:"annotation_level"`
	Message         string `json:"message"`
	Title           string `json:"title,omitempty"`
	RawDetails      string `json:"raw_details,omitempty"`
}

type checkState struct {
	runs map[*repo][]*CheckRun
}

// CheckRuns returns the check runs of a repository, oldest first.
func (s *Server) CheckRuns(fullName string) []CheckRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CheckRun
	for _, c := range s.checks.runs[s.repo(fullName)] {
		cp := *c
		cp.Actions = append([]CheckAction(nil), c.Actions...)
		cp.Annotations = append([]CheckAnnotation(nil), c.Annotations...)
		out = append(out, cp)
	}
	return out
}

func (s *Server) checkRoutes() {
	s.Handle("POST /repos/{owner}/{repo}/check-runs", s.writeCheckRun)
	s.Handle("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", s.writeCheckRun)
	s.Handle("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", s.listCheckRuns)
	s.Handle("GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations", s.listAnnotations)
}

type checkRunBody struct {
	Name       *string `json:"name"`
	HeadSHA    *string `json:"head_sha"`
	DetailsURL *string `json:"details_url"`
	ExternalID *string `json:"external_id"`
	Status     *string `json:"status"`
	Conclusion *string `json:"conclusion"`
	Output     *struct {
		Title       *string           `json:"title"`
		Summary     *string           `json:"summary"`
		Text        *string           `json:"text"`
		Annotations []CheckAnnotation `json:"annotations"`
	} `json:"output"`
	Actions []CheckAction `json:"actions"`
}

func (b *checkRunBody) validate(create bool) string {
	switch {
	case create && (b.Name == nil || *b.Name == ""):
		return "name is missing"
	case create && (b.HeadSHA == nil || !isHex(*b.HeadSHA)):
		return "head_sha is missing or not a SHA"
	case b.Status != nil && *b.Status != "queued" && *b.Status != "in_progress" && *b.Status != "completed":
		return "status is not valid"
	case b.Status != nil && *b.Status == "completed" && b.Conclusion == nil:
		return "conclusion is required when status is completed"
	case len(b.Actions) > 3:
		return "at most 3 actions"
	}
	for _, a := range b.Actions {
		if a.Label == "" || utf8.RuneCountInString(a.Label) > 20 || utf8.RuneCountInString(a.Description) > 40 || a.Identifier == "" || utf8.RuneCountInString(a.Identifier) > 20 {
			return "an action's label, description or identifier is missing or too long"
		}
	}
	if o := b.Output; o != nil {
		switch {
		case o.Title == nil || o.Summary == nil:
			return "output needs a title and a summary"
		case utf8.RuneCountInString(*o.Summary) > MaxCheckText:
			return fmt.Sprintf("output.summary is longer than %d characters", MaxCheckText)
		case o.Text != nil && utf8.RuneCountInString(*o.Text) > MaxCheckText:
			return fmt.Sprintf("output.text is longer than %d characters", MaxCheckText)
		case len(o.Annotations) > MaxCheckAnnotations:
			return fmt.Sprintf("more than %d annotations in one request", MaxCheckAnnotations)
		}
		for _, a := range o.Annotations {
			if a.Path == "" || a.StartLine < 1 || a.EndLine < a.StartLine || a.Message == "" ||
				(a.AnnotationLevel != "notice" && a.AnnotationLevel != "warning" && a.AnnotationLevel != "failure") {
				return "an annotation lacks path, lines, level or message"
			}
		}
	}
	return ""
}

// writeCheckRun serves POST (create) and PATCH (update).
func (s *Server) writeCheckRun(w http.ResponseWriter, r *http.Request) {
	const docs = "https://docs.github.com/rest/checks/runs"
	data, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	var b checkRunBody
	if err == nil {
		err = json.Unmarshal(data, &b)
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, basicError("Problems parsing JSON", docs, http.StatusBadRequest))
		return
	}
	create := r.Method == http.MethodPost
	if msg := b.validate(create); msg != "" {
		m := basicError("Invalid request.\n\n"+msg, docs, http.StatusUnprocessableEntity)
		writeJSON(w, http.StatusUnprocessableEntity, m)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	if rp == nil {
		notFound(w)
		return
	}
	if s.checks.runs == nil {
		s.checks.runs = map[*repo][]*CheckRun{}
	}
	var c *CheckRun
	if create {
		c = &CheckRun{ID: s.id(), Name: *b.Name, HeadSHA: *b.HeadSHA, Status: "queued"}
		s.checks.runs[rp] = append(s.checks.runs[rp], c)
	} else {
		id, _ := strconv.ParseInt(r.PathValue("check_run_id"), 10, 64)
		for _, x := range s.checks.runs[rp] {
			if x.ID == id {
				c = x
			}
		}
		if c == nil {
			notFound(w)
			return
		}
	}
	c.Writes++
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	if b.Name != nil && *b.Name != "" {
		c.Name = *b.Name
	}
	set(&c.DetailsURL, b.DetailsURL)
	set(&c.ExternalID, b.ExternalID)
	set(&c.Status, b.Status)
	if b.Conclusion != nil {
		c.Conclusion, c.Status = *b.Conclusion, "completed"
	}
	if o := b.Output; o != nil {
		set(&c.Title, o.Title)
		set(&c.Summary, o.Summary)
		set(&c.Text, o.Text)
		c.Annotations = append(c.Annotations, o.Annotations...)
	}
	if b.Actions != nil {
		c.Actions = b.Actions
	}
	status := http.StatusOK
	if create {
		status = http.StatusCreated
	}
	writeJSON(w, status, s.urls().checkRun(rp, c))
}

func (u urls) checkRun(r *repo, c *CheckRun) map[string]any {
	var conclusion any
	if c.Conclusion != "" {
		conclusion = c.Conclusion
	}
	api := fmt.Sprintf("%s/repos/%s/check-runs/%d", u.api, r.fullName(), c.ID)
	return map[string]any{
		"id":          c.ID,
		"node_id":     fmt.Sprintf("CR_fake%d", c.ID),
		"head_sha":    c.HeadSHA,
		"external_id": c.ExternalID,
		"url":         api,
		"html_url":    fmt.Sprintf("%s/%s/runs/%d", u.html, r.fullName(), c.ID),
		"details_url": c.DetailsURL,
		"status":      c.Status,
		"conclusion":  conclusion,
		"started_at":  timestamp(Epoch),
		"completed_at": func() any {
			if c.Status == "completed" {
				return timestamp(Epoch)
			}
			return nil
		}(),
		"name": c.Name,
		"output": map[string]any{"title": nullable(c.Title), "summary": nullable(c.Summary), "text": nullable(c.Text),
			"annotations_count": len(c.Annotations), "annotations_url": api + "/annotations"},
		"check_suite":   map[string]any{"id": c.ID + 1},
		"app":           nil,
		"pull_requests": []any{},
	}
}

// listCheckRuns serves GET /repos/{owner}/{repo}/commits/{ref}/check-runs:
// as GitHub does by default (filter=latest), only the most recent run of
// each name; filter=all lists every one.
func (s *Server) listCheckRuns(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	if rp == nil {
		notFound(w)
		return
	}
	q := r.URL.Query()
	name, status, all := q.Get("check_name"), q.Get("status"), q.Get("filter") == "all"
	latest := map[string]int64{} // the newest run of each name on the commit
	for _, c := range s.checks.runs[rp] {
		if c.HeadSHA == r.PathValue("ref") && c.ID > latest[c.Name] {
			latest[c.Name] = c.ID
		}
	}
	u := s.urls()
	list := []any{}
	for _, c := range s.checks.runs[rp] {
		if c.HeadSHA == r.PathValue("ref") && (all || latest[c.Name] == c.ID) && (name == "" || c.Name == name) && (status == "" || c.Status == status) {
			list = append(list, u.checkRun(rp, c))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total_count": len(list), "check_runs": list})
}

// listAnnotations serves GET /repos/{owner}/{repo}/check-runs/{id}/annotations.
func (s *Server) listAnnotations(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.lookup(r)
	id, _ := strconv.ParseInt(r.PathValue("check_run_id"), 10, 64)
	for _, c := range s.checks.runs[rp] {
		if c.ID == id {
			page, ok := paginate(w, r, len(c.Annotations), fmt.Sprintf("%s/repositories/%d/check-runs/%d/annotations", s.urls().api, rp.id, id))
			if !ok {
				return
			}
			writeJSON(w, http.StatusOK, c.Annotations[page.from:page.to])
			return
		}
	}
	notFound(w)
}

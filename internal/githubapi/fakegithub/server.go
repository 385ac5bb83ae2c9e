package fakegithub

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultToken is the token the server accepts unless SetToken says
// otherwise.
const DefaultToken = "ghs_fakegithubtoken0000000000000000000000"

// APIPrefix is where the REST API is mounted, as on GitHub Enterprise
// Server.
const APIPrefix = "/api/v3"

// Request is one request the server received.
type Request struct {
	Method string
	Path   string // the full path, /api/v3 included
	Query  url.Values
	Status int // the status the server answered
	// Host is "api" for the REST API and "download" for the download
	// host that archives and artifacts redirect to.
	Host string
	// Bytes is the size of the answer's body.
	Bytes int
	// Auth is set when the request carried an Authorization header.
	Auth bool
}

// Fault is an answer the server gives instead of the real one, to matching
// requests, Count times.
type Fault struct {
	Method string // any when empty
	// Path is a path.Match pattern for the full path ("*" does not match
	// "/"): "/api/v3/repos/*/*/issues".
	Path string
	// Query, when set, must match these query parameters too
	// ({"page": "2"}).
	Query  map[string]string
	Status int
	Header http.Header
	// Body is the answer's body; GitHub's message for Status (a rate limit
	// one for 429 and for 403 with rate-limit headers) when empty.
	Body  string
	Count int // 1 when <= 0
	// Delay holds the answer back (a slow GitHub); with Status 0 the
	// real answer follows the delay.
	Delay time.Duration
}

// Server is a fake GitHub. Its setters may be called while it serves.
type Server struct {
	tb  testing.TB
	srv *httptest.Server
	mux *http.ServeMux
	// dl is the download host (GitHub's codeload and the storage service
	// artifacts are served from): another origin, so that a client that
	// forwards its token across hosts is caught.
	dl    *httptest.Server
	dlMux *http.ServeMux

	mu        sync.Mutex
	token     string
	repos     map[string]*repo // by lower-case owner/name
	byID      map[int64]*repo
	nextID    int64
	faults    []*Fault
	log       []Request
	remaining int
	reset     time.Time
	downloads map[string]download // by token
	runs      runState
	checks    checkState
	review    reviewState
	app       appState
	rules     rulesState
	comments  commentState
}

// New starts a fake GitHub, closed when the test ends.
func New(tb testing.TB) *Server {
	s := &Server{
		tb:        tb,
		mux:       http.NewServeMux(),
		token:     DefaultToken,
		repos:     map[string]*repo{},
		byID:      map[int64]*repo{},
		nextID:    1000,
		remaining: 4999,
		reset:     time.Now().Add(time.Hour),
	}
	s.dlMux = http.NewServeMux()
	s.routes()
	s.appRoutes()
	s.releaseEditRoutes()
	s.rulesRoutes()
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { notFound(w) })
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.dl = httptest.NewServer(http.HandlerFunc(s.serveDownload))
	tb.Cleanup(s.srv.Close)
	tb.Cleanup(s.dl.Close)
	return s
}

// URL is the server's root, what go-github's WithEnterpriseURLs takes.
func (s *Server) URL() string { return s.srv.URL }

// APIURL is the REST API's root, as GITHUB_API_URL holds it on GitHub
// Enterprise Server.
func (s *Server) APIURL() string { return s.srv.URL + APIPrefix }

// Client is an http.Client for the server; it sends no token.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// SetToken sets the token requests must carry ("Authorization: Bearer
// TOKEN" or "token TOKEN"); empty lets anonymous requests through.
func (s *Server) SetToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = token
}

// SetRateLimit sets the X-RateLimit-Remaining and X-RateLimit-Reset
// headers of the answers that follow (4999 and an hour from New by
// default). The server does not enforce them: inject a Fault for that.
func (s *Server) SetRateLimit(remaining int, reset time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remaining, s.reset = remaining, reset
}

// Handle registers a handler for an http.ServeMux pattern below the API
// root: Handle("GET /repos/{owner}/{repo}/check-runs/{id}", h). The token
// check, the faults and the log apply to it.
func (s *Server) Handle(pattern string, h http.HandlerFunc) {
	method, p, ok := strings.Cut(pattern, " ")
	if !ok {
		method, p = "", pattern
	} else {
		method += " "
	}
	s.mux.HandleFunc(method+APIPrefix+p, h)
}

// FailNext makes the next count requests whose path matches pattern (see
// Fault.Path) fail with status and header.
func (s *Server) FailNext(pattern string, status int, header http.Header, count int) {
	s.Inject(Fault{Path: pattern, Status: status, Header: header, Count: count})
}

// Inject adds a fault. Faults apply in the order they were added.
func (s *Server) Inject(f Fault) {
	if f.Count <= 0 {
		f.Count = 1
	}
	// Header literals need not be in canonical form; the server's are.
	h := http.Header{}
	for k, vs := range f.Header {
		h[http.CanonicalHeaderKey(k)] = vs
	}
	f.Header = h
	if _, err := path.Match(f.Path, "/"); err != nil {
		s.tb.Helper()
		s.tb.Fatalf("fakegithub: fault pattern %q: %v", f.Path, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.log))
	copy(out, s.log)
	return out
}

// Count is the number of requests received with method (any when empty)
// and a full path matching pattern (see Fault.Path).
func (s *Server) Count(method, pattern string) int {
	n := 0
	for _, r := range s.Requests() {
		if ok, _ := path.Match(pattern, r.Path); ok && (method == "" || method == r.Method) {
			n++
		}
	}
	return n
}

// ResetLog forgets the requests received so far.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// recorder holds an answer back until the handler is done, so that serve
// can turn a 200 into the 304 a matching If-None-Match asks for, and log
// the request before the client can see the answer (a test that counts
// requests right after its last answer sees them all).
type recorder struct {
	http.ResponseWriter
	status int
	body   []byte
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body = append(r.body, b...)
	return len(b), nil
}

// conditional turns a 200 whose entity tag the request already holds into
// a 304 without a body, as GitHub answers conditional requests (which do
// not count against its rate limit). Every 200 gets an ETag.
func (r *recorder) conditional(req *http.Request) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if r.status != http.StatusOK || req.Method != http.MethodGet {
		return
	}
	h := r.Header()
	if h.Get("ETag") == "" {
		sum := sha256.Sum256(r.body)
		h.Set("ETag", `W/"`+hex.EncodeToString(sum[:16])+`"`)
	}
	if etagMatches(req.Header.Get("If-None-Match"), h.Get("ETag")) {
		h.Del("Content-Type")
		h.Del("Content-Length")
		r.status, r.body = http.StatusNotModified, nil
	}
}

// send writes the answer held back.
func (r *recorder) send() {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.ResponseWriter.WriteHeader(r.status)
	r.ResponseWriter.Write(r.body)
}

// etagMatches compares If-None-Match with an entity tag weakly, as RFC
// 9110 has it for GET.
func etagMatches(ifNoneMatch, etag string) bool {
	if ifNoneMatch == "" || etag == "" {
		return false
	}
	if strings.TrimSpace(ifNoneMatch) == "*" {
		return true
	}
	weak := func(t string) string { return strings.TrimPrefix(strings.TrimSpace(t), "W/") }
	for _, t := range strings.Split(ifNoneMatch, ",") {
		if weak(t) == weak(etag) {
			return true
		}
	}
	return false
}

// finish logs the request and sends the answer, in that order.
func (s *Server) finish(r *http.Request, rec *recorder, host string) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	s.mu.Lock()
	s.log = append(s.log, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Status: rec.status,
		Host: host, Bytes: len(rec.body), Auth: r.Header.Get("Authorization") != ""})
	s.mu.Unlock()
	rec.send()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w}
	defer func() {
		rec.conditional(r)
		s.finish(r, rec, "api")
	}()
	s.mu.Lock()
	token, remaining, reset := s.token, s.remaining, s.reset
	s.mu.Unlock()
	h := rec.Header()
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	h.Set("X-GitHub-Request-Id", "FAKE:"+strconv.Itoa(int(time.Now().UnixNano()%1e9)))
	if status := s.authorize(r, token); status != 0 {
		msg := "Bad credentials"
		if status == http.StatusNotFound {
			msg = "Not Found"
		}
		writeJSON(rec, status, basicError(msg, "https://docs.github.com/rest", status))
		return
	}
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(max(5000-remaining, 0)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
	f := s.fault(r)
	if f != nil && f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
		}
	}
	if f != nil && f.Status != 0 {
		for k, vs := range f.Header {
			h[k] = vs
		}
		body := f.Body
		if body == "" {
			b, _ := json.Marshal(faultMessage(f.Status, f.Header))
			body = string(b)
		}
		h.Set("Content-Type", "application/json; charset=utf-8")
		rec.WriteHeader(f.Status)
		rec.Write([]byte(body))
		return
	}
	s.mux.ServeHTTP(rec, r)
}

// authorize checks a request's credentials: 0 lets it through, else the
// status to answer. The App's endpoints check its JWT themselves; the
// rest take SetToken's token or an installation token that may reach the
// request's repository.
func (s *Server) authorize(r *http.Request, token string) int {
	if strings.HasPrefix(r.URL.Path, APIPrefix+"/app/") || isInstallationLookup(r.URL.Path) {
		return 0 // the App's JWT, checked by the handler
	}
	s.mu.Lock()
	status, isInstallation := s.installationAuth(r)
	s.mu.Unlock()
	switch {
	case isInstallation:
		return status
	case token != "" && !authorized(r.Header.Get("Authorization"), token):
		return http.StatusUnauthorized
	}
	return 0
}

// authorized accepts the two schemes GitHub does for tokens.
func authorized(header, token string) bool {
	scheme, got, ok := strings.Cut(header, " ")
	return ok && (strings.EqualFold(scheme, "bearer") || strings.EqualFold(scheme, "token")) && got == token
}

func (s *Server) fault(r *http.Request) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method != "" && f.Method != r.Method {
			continue
		}
		if ok, _ := path.Match(f.Path, r.URL.Path); !ok || !queryMatches(f.Query, r.URL.Query()) {
			continue
		}
		f.Count--
		if f.Count == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		c := *f
		return &c
	}
	return nil
}

func queryMatches(want map[string]string, got url.Values) bool {
	for k, v := range want {
		if got.Get(k) != v {
			return false
		}
	}
	return true
}

// faultMessage is the body GitHub gives with status.
func faultMessage(status int, h http.Header) map[string]any {
	const rateDocs = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
	secondary := h.Get("Retry-After") != "" || (status == http.StatusTooManyRequests && h.Get("X-RateLimit-Remaining") != "0")
	switch {
	case (status == http.StatusForbidden || status == http.StatusTooManyRequests) && secondary:
		return basicError("You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
			rateDocs+"#about-secondary-rate-limits", status)
	case (status == http.StatusForbidden || status == http.StatusTooManyRequests) && h.Get("X-RateLimit-Remaining") == "0":
		return basicError("API rate limit exceeded for installation ID 1.", rateDocs+"#about-rate-limits", status)
	case status == http.StatusForbidden:
		return basicError("Resource not accessible by integration", "https://docs.github.com/rest", status)
	case status >= 500:
		return map[string]any{"message": "Server Error"}
	}
	return basicError(http.StatusText(status), "https://docs.github.com/rest", status)
}

// basicError is GitHub's basic-error schema.
func basicError(msg, docs string, status int) map[string]any {
	return map[string]any{"message": msg, "documentation_url": docs, "status": strconv.Itoa(status)}
}

func notFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, basicError("Not Found", "https://docs.github.com/rest", http.StatusNotFound))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}

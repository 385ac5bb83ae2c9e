package osvtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
)

// Server is the OSV API on loopback, speaking its protocol (POST
// /v1/querybatch, GET /v1/vulns/{id}) with real records: a package named
// in Affects is reported affected by those records at every version,
// as osv.dev would report the versions a record covers; the client then
// matches the record against the exact version itself.
type Server struct {
	URL string

	mu      sync.Mutex
	affects map[string][]string // "Ecosystem name" → record IDs
	records map[string][]byte   // ID → record
	queries int
	stall   bool
	closed  chan struct{}
}

// NewServer serves the records of the files named, each a record of the
// corpus (testdata/osv/records); affects maps "Ecosystem name" to the IDs
// of the records reported for that package. It is closed when the test
// ends.
func NewServer(t testing.TB, files []string, affects map[string][]string) *Server {
	t.Helper()
	s := &Server{affects: affects, records: map[string][]byte{}, closed: make(chan struct{})}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var rec struct{ ID string }
		if err := json.Unmarshal(data, &rec); err != nil || rec.ID == "" {
			t.Fatalf("%s: not an OSV record (%v)", f, err)
		}
		s.records[rec.ID] = data
	}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(s.closed) }) // first: stalled requests end

	s.URL = srv.URL
	return s
}

// Stall makes the server hold every later request until its client gives
// up, as an API that accepts connections and never answers.
func (s *Server) Stall() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stall = true
}

// Queries is the number of package queries received.
func (s *Server) Queries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	stall := s.stall
	s.mu.Unlock()
	if stall {
		// The body read, the server watches the connection: a client
		// that gives up ends the request.
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-s.closed:
		}
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v1/querybatch":
		var req struct {
			Queries []struct {
				Package struct{ Ecosystem, Name string }
				Version string
			}
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		results := []map[string]any{}
		s.mu.Lock()
		s.queries += len(req.Queries)
		for _, q := range req.Queries {
			res := map[string]any{}
			var vulns []map[string]string
			for _, id := range s.affects[q.Package.Ecosystem+" "+q.Package.Name] {
				vulns = append(vulns, map[string]string{"id": id, "modified": "2024-05-20T16:03:47Z"})
			}
			if len(vulns) > 0 {
				res["vulns"] = vulns
			}
			results = append(results, res)
		}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"results": results})
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/vulns/"):
		s.mu.Lock()
		rec, ok := s.records[strings.TrimPrefix(r.URL.Path, "/v1/vulns/")]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(rec)
	default:
		http.NotFound(w, r)
	}
}

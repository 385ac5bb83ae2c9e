package fakegithub

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
)

// The download host: where GitHub sends a client after a 302 from the
// archive (tarball, zipball) and artifact endpoints, codeload.github.com
// and a storage service. Its URLs carry a short-lived token in the query,
// and like a storage service's signed URLs it refuses a request that also
// carries an Authorization header (GitHub's token must never travel to
// another host). Every request is logged with Host "download".

// downloadTTL is how long a download URL works (GitHub: five minutes for
// archives, one for artifacts).
const downloadTTL = time.Minute

// DownloadURL is the download host's root.
func (s *Server) DownloadURL() string { return s.dl.URL }

// issueDownload registers a download served by serve and returns its URL.
// Callers hold s.mu.
func (s *Server) issueDownload(path string, serve func(w http.ResponseWriter)) string {
	b := make([]byte, 16)
	rand.Read(b)
	token := hex.EncodeToString(b)
	if s.downloads == nil {
		s.downloads = map[string]download{}
	}
	s.downloads[token] = download{path: path, serve: serve, expires: time.Now().Add(downloadTTL)}
	return s.dl.URL + path + "?token=" + token
}

type download struct {
	path    string
	serve   func(w http.ResponseWriter)
	expires time.Time
}

// redirect answers 302 with the download URL of path.
func (s *Server) redirect(w http.ResponseWriter, path string, serve func(w http.ResponseWriter)) {
	loc := s.issueDownload(path, serve)
	w.Header().Set("Location", loc)
	w.WriteHeader(http.StatusFound)
}

func (s *Server) serveDownload(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w}
	defer s.finish(r, rec, "download")
	if r.Header.Get("Authorization") != "" {
		// What S3 answers a signed URL that also carries a header
		// credential.
		rec.Header().Set("Content-Type", "application/xml")
		rec.WriteHeader(http.StatusBadRequest)
		rec.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>`))
		return
	}
	s.mu.Lock()
	d, ok := s.downloads[r.URL.Query().Get("token")]
	s.mu.Unlock()
	if !ok || d.path != r.URL.Path || time.Now().After(d.expires) || r.Method != http.MethodGet {
		rec.Header().Set("Content-Type", "text/plain")
		rec.WriteHeader(http.StatusForbidden)
		rec.Write([]byte("Request has expired or is not valid\n"))
		return
	}
	d.serve(rec)
}

// archiveName is the top directory of GitHub's archives:
// OWNER-REPO-SHORTSHA.
func archiveName(r *repo, sha string) string {
	return strings.ReplaceAll(r.owner+"-"+r.name, "/", "-") + "-" + sha[:7]
}

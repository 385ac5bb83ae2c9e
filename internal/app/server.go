package app

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/logctx"
	"github.com/tracegate/tracegate/internal/store"
)

// Handler is the App's HTTP interface: POST /webhook, GET /healthz,
// /readyz and /metrics.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /webhook", a.webhook)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", a.ready)
	mux.Handle("GET /metrics", a.m.handler())
	return mux
}

// ready answers 200 when the database answers.
func (a *App) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := a.store.Ping(ctx); err != nil {
		logctx.From(a.ctx).Warn("not ready: the database does not answer", "error", err.Error())
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "database unreachable\n")
		return
	}
	io.WriteString(w, "ready\n")
}

// validSignature checks X-Hub-Signature-256 (sha256=HEX of the body's
// HMAC-SHA256 under the secret) in constant time. An empty secret never
// validates: Config refuses one, and this refuses it again.
func validSignature(secret, body []byte, header string) bool {
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok || len(secret) == 0 {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || len(got) != sha256.Size {
		return false
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// webhook takes a delivery: checks its signature, stores it with the jobs
// its event calls for, durably and once, and only then answers 202.
// Nothing is stored for a delivery that is not GitHub's (401), too large
// (413) or malformed (400); a delivery the store could not keep is 503,
// which GitHub records as failed and the recovery asks again.
func (a *App) webhook(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	event := r.Header.Get("X-GitHub-Event")
	id := r.Header.Get("X-GitHub-Delivery")
	log := logctx.From(a.ctx).With(slog.String("delivery", safeToken(id)), slog.String("event", safeToken(event)))
	count := func(outcome string) { a.m.deliveries.WithLabelValues(metricEvent(event), outcome).Inc() }
	if r.ContentLength > store.MaxPayload {
		count(outcomeTooLarge)
		http.Error(w, "payload larger than 25 MB", http.StatusRequestEntityTooLarge)
		return
	}
	body, err := readBody(w, r)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			count(outcomeTooLarge)
			http.Error(w, "payload larger than 25 MB", http.StatusRequestEntityTooLarge)
			return
		}
		count(outcomeInvalid)
		http.Error(w, "cannot read the body", http.StatusBadRequest)
		return
	}
	if !validSignature(a.secret, body, r.Header.Get("X-Hub-Signature-256")) {
		count(outcomeBadSig)
		log.Warn("webhook: signature missing or wrong; nothing stored")
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	in, err := a.intake(event, id, body)
	if err != nil {
		count(outcomeInvalid)
		log.Warn("webhook: refused", "error", err.Error())
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	d := store.Delivery{ID: id, Event: event, Action: in.action, InstallationID: in.installation, Repository: in.repo, Payload: body}
	acc, err := a.store.Accept(r.Context(), d, in.jobs...)
	if err != nil {
		count(outcomeError)
		log.Error("webhook: could not store the delivery", "error", err.Error(), "action", safeToken(in.action), "installation", in.installation, "repository", in.repo)
		http.Error(w, "the delivery could not be stored; ask again", http.StatusServiceUnavailable)
		return
	}
	outcome := outcomeAccepted
	switch {
	case !acc.New:
		outcome = outcomeDuplicate
	case len(in.jobs) == 0:
		outcome = outcomeIgnored
	default:
		a.runner.Wake()
	}
	count(outcome)
	log.Debug("webhook", "outcome", outcome, "action", safeToken(in.action), "installation", in.installation,
		"repository", in.repo, "jobs", len(acc.Jobs), "took", time.Since(start))
	w.WriteHeader(http.StatusAccepted)
}

// readBody reads the request's body, up to store.MaxPayload, into a buffer
// the size its Content-Length announces — up to 64 KB, what an unsigned
// request may make the App set aside — rather than growing one as it goes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, min(max(r.ContentLength, 0), 64<<10)+bytes.MinRead))
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, store.MaxPayload))
	return buf.Bytes(), err
}

// safeToken is s when it is made of what delivery IDs and event names are
// made of, else a placeholder: header values reach the log.
func safeToken(s string) string {
	if len(s) > 64 {
		return "(invalid)"
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' && r != '_' && r != '.' {
			return "(invalid)"
		}
	}
	return s
}

// metricEvent bounds the event label to the events GitHub sends.
func metricEvent(e string) string {
	if _, ok := knownEvents[e]; ok {
		return e
	}
	return "other"
}

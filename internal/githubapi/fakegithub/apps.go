package fakegithub

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

// A GitHub App, as the App's plumbing meets it:
//
//	GET  /app/hook/deliveries                          (JWT; newest first, cursor pagination)
//	POST /app/hook/deliveries/{delivery_id}/attempts   (JWT; redelivers through Deliver)
//	POST /app/installations/{installation_id}/access_tokens (JWT; {"repositories": [...]} narrows the token)
//
// The App's requests are authenticated with a JWT (RS256, signed with the
// App's private key, "iss" its ID, at most ten minutes between "iat" and
// "exp"), checked against the public key SetApp gives. An installation
// token works until its expiry (an hour, or TokenTTL) and only on the
// repositories it was issued for: on another repository it gets 404, as
// GitHub hides what a token cannot see. The server also plays GitHub's
// webhook sender (SetWebhook, Deliver): every attempt is recorded as a
// hook delivery, with the status the App answered.

// Installation is an installation of the App.
type Installation struct {
	ID      int64
	Account string
	// Repos are the owner/name of the repositories it holds.
	Repos []string
}

// HookDelivery is one attempt to deliver a webhook.
type HookDelivery struct {
	ID          int64
	GUID        string
	DeliveredAt time.Time
	Redelivery  bool
	Status      string // "OK", or why it failed
	StatusCode  int    // the App's answer; 0 when it did not answer
	Event       string
	Action      string
	Installation,
	RepositoryID int64
	payload []byte
}

type appState struct {
	appID     int64
	key       *rsa.PublicKey
	insts     map[int64]*Installation
	tokens    map[string]*instToken
	tokenTTL  time.Duration
	issued    int
	hooks     []*HookDelivery
	hookURL   string
	secret    []byte
	hookHTTP  *http.Client
	jwtChecks int
}

type instToken struct {
	inst    int64
	repos   map[string]bool // lower-case owner/name
	expires time.Time
}

// SetApp makes the server a GitHub Enterprise Server that knows the App
// appID by its public key: the /app endpoints want its JWT, and the
// installation tokens it issues are accepted besides SetToken's.
func (s *Server) SetApp(appID int64, key *rsa.PublicKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.app.appID, s.app.key = appID, key
	s.app.init()
}

// init makes the maps; callers hold s.mu.
func (a *appState) init() {
	if a.insts == nil {
		a.insts = map[int64]*Installation{}
		a.tokens = map[string]*instToken{}
	}
}

// AddInstallation installs the App on repositories.
func (s *Server) AddInstallation(in Installation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range in.Repos {
		s.repo(r)
	}
	c := in
	c.Repos = append([]string(nil), in.Repos...)
	s.app.init()
	s.app.insts[in.ID] = &c
}

// SetTokenTTL sets how long installation tokens live (an hour by
// default).
func (s *Server) SetTokenTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.app.tokenTTL = d
}

// TokensIssued is how many installation tokens were issued.
func (s *Server) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.app.issued
}

// checkJWT verifies the App's JWT, answering 401 when it is not valid.
// Callers do not hold s.mu.
func (s *Server) checkJWT(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	appID, key := s.app.appID, s.app.key
	s.app.jwtChecks++
	s.mu.Unlock()
	scheme, raw, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	fail := func(msg string) bool {
		writeJSON(w, http.StatusUnauthorized, basicError(msg, "https://docs.github.com/rest", http.StatusUnauthorized))
		return false
	}
	if key == nil {
		return fail("This server knows no GitHub App")
	}
	if !strings.EqualFold(scheme, "bearer") {
		return fail("A JSON web token could not be decoded")
	}
	var claims jwt.RegisteredClaims
	tok, err := jwt.ParseWithClaims(raw, &claims, func(*jwt.Token) (any, error) { return key, nil }, jwt.WithValidMethods([]string{"RS256"}))
	switch {
	case err != nil || !tok.Valid:
		return fail("A JSON web token could not be decoded")
	case claims.Issuer != strconv.FormatInt(appID, 10):
		return fail("Integration not found")
	case claims.IssuedAt == nil || claims.ExpiresAt == nil:
		return fail("'Issued at' claim ('iat') and 'Expiration time' claim ('exp') are required")
	case claims.IssuedAt.After(time.Now().Add(time.Minute)):
		return fail("'Issued at' claim ('iat') must be an Integer representing a time in the past")
	case claims.ExpiresAt.Sub(claims.IssuedAt.Time) > 10*time.Minute:
		return fail("'Expiration time' claim ('exp') is too far in the future")
	}
	return true
}

// installationAuth reads an installation token: ok is false when the
// header holds none; otherwise status is 0 for a token that may reach the
// request's repository, else the status to answer.
// Callers hold s.mu.
func (s *Server) installationAuth(r *http.Request) (status int, ok bool) {
	scheme, raw, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || (!strings.EqualFold(scheme, "token") && !strings.EqualFold(scheme, "bearer")) {
		return 0, false
	}
	t, ok := s.app.tokens[raw]
	if !ok {
		return 0, false
	}
	if time.Now().After(t.expires) {
		return http.StatusUnauthorized, true
	}
	repo := s.requestRepo(r)
	if repo == "" || !t.repos[repo] {
		// GitHub does not tell a token what it cannot see.
		return http.StatusNotFound, true
	}
	return 0, true
}

// requestRepo is the lower-case owner/name a request is about, "" for
// none. Callers hold s.mu.
func (s *Server) requestRepo(r *http.Request) string {
	p := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, APIPrefix), "/api/uploads")
	parts := strings.Split(strings.Trim(p, "/"), "/")
	switch {
	case len(parts) >= 3 && parts[0] == "repos":
		return strings.ToLower(parts[1] + "/" + parts[2])
	case len(parts) >= 2 && parts[0] == "repositories":
		id, err := strconv.ParseInt(parts[1], 10, 64)
		if rp := s.byID[id]; err == nil && rp != nil {
			return strings.ToLower(rp.fullName())
		}
	}
	return ""
}

func (s *Server) appRoutes() {
	s.mux.HandleFunc("POST "+APIPrefix+"/app/installations/{id}/access_tokens", s.accessToken)
	s.mux.HandleFunc("GET "+APIPrefix+"/app/hook/deliveries", s.listHookDeliveries)
	s.mux.HandleFunc("POST "+APIPrefix+"/app/hook/deliveries/{id}/attempts", s.redeliver)
}

// accessToken serves POST /app/installations/{id}/access_tokens.
func (s *Server) accessToken(w http.ResponseWriter, r *http.Request) {
	if !s.checkJWT(w, r) {
		return
	}
	var body struct {
		Repositories []string `json:"repositories"`
	}
	if data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20)); len(data) > 0 {
		if err := json.Unmarshal(data, &body); err != nil {
			writeJSON(w, http.StatusBadRequest, basicError("Problems parsing JSON", "https://docs.github.com/rest/apps/apps", http.StatusBadRequest))
			return
		}
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.app.insts[id]
	if in == nil {
		notFound(w)
		return
	}
	scope := map[string]bool{}
	var repos []any
	for _, full := range in.Repos {
		_, name, _ := strings.Cut(full, "/")
		if len(body.Repositories) > 0 && !containsFold(body.Repositories, name) {
			continue
		}
		scope[strings.ToLower(full)] = true
		repos = append(repos, s.urls().repository(s.repo(full)))
	}
	for _, want := range body.Repositories {
		found := false
		for full := range scope {
			if _, name, _ := strings.Cut(full, "/"); strings.EqualFold(name, want) {
				found = true
			}
		}
		if !found {
			writeJSON(w, http.StatusUnprocessableEntity, basicError("There is at least one repository that does not exist or is not accessible to the parent installation.",
				"https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app", http.StatusUnprocessableEntity))
			return
		}
	}
	b := make([]byte, 18)
	rand.Read(b)
	token := "ghs_" + hex.EncodeToString(b)
	ttl := s.app.tokenTTL
	if ttl <= 0 {
		ttl = time.Hour
	}
	// GitHub's expires_at is in whole seconds: rounded up, so that a token
	// is never issued expired.
	expires := time.Now().Add(ttl).UTC().Truncate(time.Second).Add(time.Second)
	s.app.tokens[token] = &instToken{inst: id, repos: scope, expires: expires}
	s.app.issued++
	out := map[string]any{"token": token, "expires_at": expires.Format(time.RFC3339),
		"permissions": map[string]string{"checks": "write", "contents": "read", "metadata": "read"}, "repository_selection": "selected"}
	if len(body.Repositories) > 0 {
		out["repositories"] = repos
	}
	writeJSON(w, http.StatusCreated, out)
}

func containsFold(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// SetWebhook sets where Deliver sends webhooks and the secret they are
// signed with.
func (s *Server) SetWebhook(url string, secret []byte, client *http.Client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.app.hookURL, s.app.secret, s.app.hookHTTP = url, append([]byte(nil), secret...), client
}

// Deliver sends a webhook as GitHub does — POST with X-GitHub-Event,
// X-GitHub-Delivery (guid), X-Hub-Signature-256 — and records the attempt
// as a hook delivery with what the App answered. It returns the status (0
// when the App did not answer).
func (s *Server) Deliver(event, guid string, payload []byte) int {
	return s.deliver(event, guid, payload, false)
}

func (s *Server) deliver(event, guid string, payload []byte, redelivery bool) int {
	s.mu.Lock()
	url, secret, hc := s.app.hookURL, s.app.secret, s.app.hookHTTP
	s.mu.Unlock()
	if hc == nil {
		hc = http.DefaultClient
	}
	code, status := 0, "Unable to connect"
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(string(payload)))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "GitHub-Hookshot/fake")
		req.Header.Set("X-GitHub-Event", event)
		req.Header.Set("X-GitHub-Delivery", guid)
		req.Header.Set("X-Hub-Signature-256", Sign(secret, payload))
		var resp *http.Response
		if resp, err = hc.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			code = resp.StatusCode
			status = "OK"
			if code < 200 || code > 299 {
				status = "Invalid HTTP Response: " + strconv.Itoa(code)
			}
		}
	}
	var env struct {
		Action       string `json:"action"`
		Installation struct {
			ID int64 `json:"id"`
		} `json:"installation"`
		Repository struct {
			ID int64 `json:"id"`
		} `json:"repository"`
	}
	json.Unmarshal(payload, &env)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.app.hooks = append(s.app.hooks, &HookDelivery{ID: s.id(), GUID: guid, DeliveredAt: time.Now(), Redelivery: redelivery,
		Status: status, StatusCode: code, Event: event, Action: env.Action, Installation: env.Installation.ID,
		RepositoryID: env.Repository.ID, payload: append([]byte(nil), payload...)})
	return code
}

// AddHookDelivery records an attempt made elsewhere (an old one, say),
// with the payload a redelivery sends.
func (s *Server) AddHookDelivery(d HookDelivery, payload []byte) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := d
	c.ID = s.id()
	c.payload = append([]byte(nil), payload...)
	s.app.hooks = append(s.app.hooks, &c)
	return c.ID
}

// HookDeliveries returns the attempts so far, oldest first.
func (s *Server) HookDeliveries() []HookDelivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]HookDelivery, len(s.app.hooks))
	for i, h := range s.app.hooks {
		out[i] = *h
		out[i].payload = nil
	}
	return out
}

// Sign is X-Hub-Signature-256 of payload under secret.
func Sign(secret, payload []byte) string {
	return "sha256=" + hmacHex(secret, payload)
}

// listHookDeliveries serves GET /app/hook/deliveries: newest first,
// per_page (30, at most 100) and cursor, the Link header's next carrying
// the cursor as GitHub's does.
func (s *Server) listHookDeliveries(w http.ResponseWriter, r *http.Request) {
	if !s.checkJWT(w, r) {
		return
	}
	q := r.URL.Query()
	per := 30
	if v, err := strconv.Atoi(q.Get("per_page")); err == nil && v > 0 {
		per = min(v, 100)
	}
	cursor := int64(-1)
	if v := q.Get("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			writeJSON(w, http.StatusUnprocessableEntity, basicError("Invalid cursor", "https://docs.github.com/rest/apps/webhooks", http.StatusUnprocessableEntity))
			return
		}
		cursor = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	var last int64
	more := false
	for i := len(s.app.hooks) - 1; i >= 0; i-- {
		h := s.app.hooks[i]
		if cursor >= 0 && h.ID >= cursor {
			continue
		}
		if len(out) == per {
			more = true
			break
		}
		var repoID any
		if h.RepositoryID != 0 {
			repoID = h.RepositoryID
		}
		var action any
		if h.Action != "" {
			action = h.Action
		}
		out = append(out, map[string]any{"id": h.ID, "guid": h.GUID, "delivered_at": timestamp(h.DeliveredAt), "redelivery": h.Redelivery,
			"duration": 0.05, "status": h.Status, "status_code": h.StatusCode, "event": h.Event, "action": action,
			"installation_id": h.Installation, "repository_id": repoID, "throttled_at": nil})
		last = h.ID
	}
	if more {
		w.Header().Set("Link", fmt.Sprintf("<%s/app/hook/deliveries?per_page=%d&cursor=%d>; rel=\"next\"", s.urls().api, per, last))
	}
	writeJSON(w, http.StatusOK, out)
}

// redeliver serves POST /app/hook/deliveries/{id}/attempts: 202, then the
// delivery's payload is sent again, as a new attempt with the same GUID.
func (s *Server) redeliver(w http.ResponseWriter, r *http.Request) {
	if !s.checkJWT(w, r) {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s.mu.Lock()
	var h *HookDelivery
	for _, x := range s.app.hooks {
		if x.ID == id {
			h = x
		}
	}
	var old bool
	if h != nil {
		old = time.Since(h.DeliveredAt) > 72*time.Hour
	}
	s.mu.Unlock()
	switch {
	case h == nil:
		notFound(w)
		return
	case old:
		writeJSON(w, http.StatusUnprocessableEntity, basicError("Validation Failed: delivery is older than 3 days", "https://docs.github.com/rest/apps/webhooks", http.StatusUnprocessableEntity))
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{})
	event, guid, payload := h.Event, h.GUID, h.payload
	go func() {
		// GitHub's hookshot sends a few at a time, not all at once.
		redeliveries <- struct{}{}
		defer func() { <-redeliveries }()
		s.deliver(event, guid, payload, true)
	}()
}

// redeliveries bounds the redeliveries in flight.
var redeliveries = make(chan struct{}, 8)

// IssuedTokens are the installation tokens issued so far (tests look for
// them where they must not be: logs, errors, outputs).
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.app.tokens))
	for t := range s.app.tokens {
		out = append(out, t)
	}
	return out
}

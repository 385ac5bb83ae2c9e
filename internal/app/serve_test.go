package app_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// tracegate serve refuses to start without a webhook secret or a readable
// private key, and says which.
func TestServeRefusesToStart(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct {
		name  string
		env   []string
		wants []string
	}{
		{"no secret", []string{"TRACEGATE_WEBHOOK_SECRET="}, []string{"no webhook secret", "TRACEGATE_WEBHOOK_SECRET_FILE"}},
		{"empty secret file", []string{"TRACEGATE_WEBHOOK_SECRET=", "TRACEGATE_WEBHOOK_SECRET_FILE=" + writeFile(t, "secret", "\n")}, []string{"webhook secret is empty"}},
		{"no key", []string{"TRACEGATE_PRIVATE_KEY_FILE="}, []string{"no private key", "TRACEGATE_PRIVATE_KEY_FILE"}},
		{"unreadable key", []string{"TRACEGATE_PRIVATE_KEY_FILE=" + filepath.Join(t.TempDir(), "missing.pem")}, []string{"private key file", "cannot be read"}},
		{"not a key", []string{"TRACEGATE_PRIVATE_KEY_FILE=" + writeFile(t, "key.pem", "hello")}, []string{"not an RSA private key"}},
		{"no app id", []string{"TRACEGATE_APP_ID="}, []string{"no App ID", "TRACEGATE_APP_ID"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(binary, "serve")
			cmd.Env = f.env(freePort(t), tt.env...)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != 2 {
				t.Fatalf("exit %v, want 2\n%s", err, out.String())
			}
			for _, w := range tt.wants {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if strings.Contains(out.String(), secret) || strings.Contains(out.String(), "PRIVATE KEY") {
				t.Errorf("the output shows a secret:\n%s", out.String())
			}
		})
	}
}

func writeFile(t *testing.T, name, content string) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// post sends a raw webhook request.
func post(t *testing.T, url, event, id, sig string, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/webhook", bytes.NewReader(body))
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", id)
	if sig != "" {
		req.Header.Set("X-Hub-Signature-256", sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A delivery whose signature is missing or wrong is refused with 401 and
// nothing is stored; one over 25 MB with 413; a signed one is stored and
// acknowledged with 202, once however often it comes, and evaluated once.
// The endpoints answer, and the logs never hold the secret, the key or a
// token.
func TestWebhookIntake(t *testing.T) {
	f := newFixture(t)
	head := f.commit("docs/notes.md", "Greeting notes.\n", "Notes")
	s := f.start()
	body := f.prPayload("opened", pr{number: 1, head: head, title: "Greet louder (SRS-001)"})

	for _, sig := range []string{"", "sha256=00", fakegithub.Sign([]byte("another secret"), body), strings.Replace(fakegithub.Sign([]byte(secret), body), "sha256=", "sha1=", 1)} {
		if code := post(t, s.url, "pull_request", "bad-"+f.guid(), sig, body); code != http.StatusUnauthorized {
			t.Errorf("signature %q: %d, want 401", sig, code)
		}
	}
	tampered := bytes.Replace(body, []byte("Greet louder"), []byte("Greet softer"), 1)
	if code := post(t, s.url, "pull_request", "tampered-1", fakegithub.Sign([]byte(secret), body), tampered); code != http.StatusUnauthorized {
		t.Errorf("tampered body: %d, want 401", code)
	}
	huge := bytes.Repeat([]byte(" "), 25<<20+1)
	if code := post(t, s.url, "pull_request", "huge-1", fakegithub.Sign([]byte(secret), huge), huge); code != http.StatusRequestEntityTooLarge {
		t.Errorf("26 MB body: %d, want 413", code)
	}
	// The same without a Content-Length (chunked): refused once read past the bound.
	req, _ := http.NewRequest(http.MethodPost, s.url+"/webhook", io.MultiReader(bytes.NewReader(huge)))
	req.Header.Set("X-GitHub-Event", "pull_request")
	req.Header.Set("X-GitHub-Delivery", "huge-2")
	req.Header.Set("X-Hub-Signature-256", fakegithub.Sign([]byte(secret), huge))
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Errorf("26 MB chunked body: %v", err)
	} else if resp.Body.Close(); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("26 MB chunked body: %d, want 413", resp.StatusCode)
	}
	if n := s.metric(t, `tracegate_webhook_deliveries_total{event="pull_request",outcome="bad_signature"}`); n != 5 {
		t.Errorf("bad signatures counted: %v, want 5", n)
	}

	id := f.guid()
	for range 2 {
		if code := f.gh.Deliver("pull_request", id, body); code != http.StatusAccepted {
			t.Fatalf("signed delivery: %d, want 202", code)
		}
	}
	c := f.completed("tracegate/pr", head)
	if c.Conclusion != "success" || !strings.Contains(c.Summary, "tracegate pr passed") || c.ExternalID != "pr:1" || len(c.Actions) != 1 {
		t.Errorf("check run %+v", c)
	}
	// Redelivered after it was done: still one evaluation.
	if code := f.gh.Deliver("pull_request", id, body); code != http.StatusAccepted {
		t.Fatalf("third delivery: %d", code)
	}
	if n := s.metric(t, `tracegate_webhook_deliveries_total{event="pull_request",outcome="duplicate"}`); n != 2 {
		t.Errorf("duplicates counted: %v, want 2", n)
	}
	s.stop()
	ds := f.audit(f.db)
	if len(ds) != 1 || ds[0].DeliveryID != id || ds[0].Verdict != "pass" || ds[0].SHA != head || ds[0].Ref != "pull/1" ||
		!strings.HasPrefix(ds[0].PolicyDigest, "sha256:") || !strings.HasPrefix(ds[0].InputsDigest, "sha256:") {
		t.Errorf("audit log %+v, want one pass of delivery %s", ds, id)
	}
	if n := f.gh.Count("POST", "/api/v3/repos/acme/mini/check-runs"); n != 1 {
		t.Errorf("%d check runs created, want 1", n)
	}
	// Nothing of the refused deliveries reached the store.
	for _, d := range f.audit(f.db, "--repo", repoName) {
		if strings.HasPrefix(d.DeliveryID, "bad-") || d.DeliveryID == "tampered-1" || d.DeliveryID == "huge-1" || d.DeliveryID == "huge-2" {
			t.Errorf("a refused delivery was evaluated: %+v", d)
		}
	}
	// The audit log as text, for a terminal.
	text, err := exec.Command(binary, "audit", "--db", f.db, "--repo", repoName).CombinedOutput()
	if err != nil || !strings.Contains(string(text), "VERDICT") || !strings.Contains(string(text), head[:12]) || !strings.Contains(string(text), "pull/1") {
		t.Errorf("tracegate audit: %v\n%s", err, text)
	}
	if out, err := exec.Command(binary, "audit", "--db", f.db, "--sha", "xyz").CombinedOutput(); err == nil || !strings.Contains(string(out), "hex") {
		t.Errorf("tracegate audit --sha xyz: %v\n%s", err, out)
	}
	known := storeKnown(t, f.db, "tampered-1", "huge-1", "huge-2", id)
	if known["tampered-1"] || known["huge-1"] || known["huge-2"] || !known[id] {
		t.Errorf("stored deliveries %v", known)
	}
	noSecrets(t, s.log(), f)
}

// noSecrets fails when a log holds the webhook secret, the private key or
// an installation token.
func noSecrets(t *testing.T, log string, f *fixture) {
	t.Helper()
	if log == "" {
		t.Error("empty log")
	}
	for what, s := range map[string]string{"webhook secret": secret, "private key": string(keyPEM[40:80]), "key header": "PRIVATE KEY", "token prefix": "ghs_"} {
		if strings.Contains(log, s) {
			t.Errorf("the log holds the %s", what)
		}
	}
	for _, tok := range f.gh.IssuedTokens() {
		if strings.Contains(log, tok) {
			t.Error("the log holds an installation token")
		}
	}
}

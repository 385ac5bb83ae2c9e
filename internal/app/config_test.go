package app

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func testKey(t *testing.T) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
}

// Settings load with their defaults, read files, trim a secret file's
// newline, and refuse what is missing or wrong, naming the variable and
// never quoting a secret.
func TestSettingsLoad(t *testing.T) {
	dir := t.TempDir()
	key := testKey(t)
	keyFile := filepath.Join(dir, "app.pem")
	secretFile := filepath.Join(dir, "secret")
	os.WriteFile(keyFile, []byte(key), 0o600)
	os.WriteFile(secretFile, []byte("s3cret\n"), 0o600)
	c, err := Settings{AppID: "12", PrivateKeyFile: keyFile, WebhookSecretFile: secretFile}.Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.AppID != 12 || string(c.WebhookSecret) != "s3cret" || c.GitHubURL != DefaultGitHubURL || c.DB != DefaultDB ||
		c.Listen != DefaultListen || c.Workers != DefaultWorkers || c.Attempts != DefaultAttempts || c.RetryDelay != DefaultRetry {
		t.Errorf("config %+v", c)
	}
	c, err = Settings{AppID: "12", PrivateKey: key, WebhookSecret: "x", GitHubURL: "https://ghe.example.com/api/v3", Workers: "9",
		Attempts: "3", RetryDelay: "1s", DB: "postgres://db/tracegate"}.Load()
	if err != nil || c.Workers != 9 || c.Attempts != 3 || c.RetryDelay != time.Second || c.DB != "postgres://db/tracegate" {
		t.Errorf("config %+v, %v", c, err)
	}
	for _, tt := range []struct {
		s    Settings
		want string
	}{
		{Settings{AppID: "12", PrivateKey: key}, "no webhook secret"},
		{Settings{AppID: "12", PrivateKey: key, WebhookSecret: "\n"}, "webhook secret is empty"},
		{Settings{AppID: "12", WebhookSecret: "s3cret"}, "no private key"},
		{Settings{AppID: "12", PrivateKey: "s3cret-key", WebhookSecret: "s3cret"}, "not an RSA private key"},
		{Settings{AppID: "12", PrivateKey: key, PrivateKeyFile: keyFile, WebhookSecret: "s3cret"}, "given twice"},
		{Settings{AppID: "x", PrivateKey: key, WebhookSecret: "s3cret"}, "numeric ID"},
		{Settings{AppID: "12", PrivateKey: key, WebhookSecret: "s3cret", GitHubURL: "http://github.example.com/"}, "plain http"},
		{Settings{AppID: "12", PrivateKey: key, WebhookSecret: "s3cret", Workers: "0"}, "TRACEGATE_WORKERS"},
		{Settings{AppID: "12", PrivateKey: key, WebhookSecret: "s3cret", RetryDelay: "1ns"}, "TRACEGATE_RETRY_DELAY"},
		{Settings{AppID: "12", PrivateKeyFile: filepath.Join(dir, "none.pem"), WebhookSecret: "s3cret"}, "cannot be read"},
	} {
		_, err := tt.s.Load()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: error %v, want %q", tt.want, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "PRIVATE KEY") {
			t.Errorf("the error quotes a secret: %v", err)
		}
	}
}

// The signature check takes only sha256 HMACs of the body under the
// secret, and never an empty secret.
func TestValidSignature(t *testing.T) {
	body := []byte(`{"action":"opened"}`)
	sig := sign([]byte("k"), body)
	for _, tt := range []struct {
		secret, header string
		want           bool
	}{
		{"k", sig, true},
		{"k2", sig, false},
		{"", sig, false},
		{"k", strings.Replace(sig, "sha256=", "sha1=", 1), false},
		{"k", sig[:len(sig)-2], false},
		{"k", "sha256=zz", false},
		{"k", "", false},
	} {
		if got := validSignature([]byte(tt.secret), body, tt.header); got != tt.want {
			t.Errorf("secret %q header %q: %v", tt.secret, tt.header, got)
		}
	}
}

// API routes name endpoints, not values, so that the metric's labels stay
// few.
func TestAPIRoute(t *testing.T) {
	for in, want := range map[string]string{
		"/api/v3/repos/acme/mini/commits/0123abc/check-runs":   "/repos/{owner}/{repo}/commits/{ref}/check-runs",
		"/api/v3/repos/acme/mini/commits/refs/heads/main":      "/repos/{owner}/{repo}/commits/{ref}",
		"/repos/acme/mini/issues/12":                           "/repos/{owner}/{repo}/issues/{id}",
		"/api/v3/app/installations/77/access_tokens":           "/app/installations/{id}/access_tokens",
		"/api/v3/repos/acme/mini/compare/a...b":                "/repos/{owner}/{repo}/compare/{basehead}",
		"/api/v3/repos/acme/mini/git/trees/abc":                "/repos/{owner}/{repo}/git/trees/{sha}",
		"/api/uploads/repos/acme/mini/releases/5/assets":       "/repos/{owner}/{repo}/releases/{id}/assets",
		"/api/v3/repos/acme/mini/tarball/0123abc":              "/repos/{owner}/{repo}/tarball/{ref}",
		"/api/v3/repos/acme/mini/actions/runs/9/artifacts":     "/repos/{owner}/{repo}/actions/runs/{id}/artifacts",
		"/api/v3/repos/acme/mini/releases/tags/v1.0.0":         "/repos/{owner}/{repo}/releases/tags/{tag}",
		"/api/v3/app/hook/deliveries/12/attempts":              "/app/hook/deliveries/{id}/attempts",
		"/api/v3/repos/acme/mini/git/ref/tags/v1.0.0":          "/repos/{owner}/{repo}/git/ref/{ref}",
		"/api/v3/repositories/1001/issues":                     "/repositories/{id}/issues",
		"/api/v3/repos/acme/mini/contents/docs/a/b/c/d/e/f.md": "/repos/{owner}/{repo}/contents/{path}",
	} {
		if got := apiRoute(in); got != want {
			t.Errorf("apiRoute(%s) = %s, want %s", in, got, want)
		}
	}
}

func sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

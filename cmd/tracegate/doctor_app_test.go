package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// doctor --via app reads the installation as the App (its JWT, from the
// settings tracegate serve takes) and holds its permissions to app.yml's:
// exactly those is ok, one more or one less is a gap naming it, an App
// not installed on the repository is a gap.
func TestDoctorViaApp(t *testing.T) {
	const repo = "acme/pump"
	gh := adoptedRepo(t, repo)
	yes := true
	gh.SetOrg("acme", fakegithub.Org{TwoFactor: &yes})

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600); err != nil {
		t.Fatal(err)
	}
	gh.SetApp(7, &key.PublicKey)
	useEnv(t, map[string]string{"GITHUB_TOKEN": fakegithub.DefaultToken, "GITHUB_API_URL": gh.APIURL(),
		"TRACEGATE_APP_ID": "7", "TRACEGATE_PRIVATE_KEY_FILE": keyFile})

	doctorApp := func() (int, string) {
		t.Helper()
		code, out, errs := tracegate(t, "doctor", "--repo", repo, "--via", "app")
		return code, out + errs
	}
	const check = "App installed with app.yml's permissions"
	line := func(out string) string {
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, check) {
				return l
			}
		}
		return ""
	}

	if code, out := doctorApp(); code != 1 || !strings.Contains(line(out), "GAP") || !strings.Contains(out, "the App is not installed on "+repo) {
		t.Errorf("not installed: exit %d\n%s", code, out)
	}

	gh.AddInstallation(fakegithub.Installation{ID: 77, Account: "acme", Repos: []string{repo}})
	perms := map[string]string{"checks": "write", "contents": "read", "pull_requests": "read", "issues": "read", "actions": "read", "metadata": "read"}
	gh.SetInstallationPermissions(77, perms)
	if _, out := doctorApp(); !strings.HasPrefix(strings.TrimSpace(line(out)), "ok") || !strings.Contains(line(out), "app 7, permissions as app.yml") {
		t.Errorf("app.yml's permissions: %q\n%s", line(out), out)
	}

	more := map[string]string{"administration": "write"}
	for k, v := range perms {
		more[k] = v
	}
	gh.SetInstallationPermissions(77, more)
	if code, out := doctorApp(); code != 1 || !strings.Contains(line(out), "GAP") || !strings.Contains(out, "administration: write (app.yml: none)") {
		t.Errorf("one permission more: exit %d %q\n%s", code, line(out), out)
	}

	less := map[string]string{}
	for k, v := range perms {
		if k != "checks" {
			less[k] = v
		}
	}
	gh.SetInstallationPermissions(77, less)
	if code, out := doctorApp(); code != 1 || !strings.Contains(out, "checks: none (app.yml: write)") {
		t.Errorf("one permission less: exit %d %q\n%s", code, line(out), out)
	}
}

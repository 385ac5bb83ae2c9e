package action

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The install script's decisions without act: which binary it takes, and
// what it refuses. The archive served here holds a shell script standing in
// for tracegate, so that no build is needed.
func TestInstallScript(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	script, _ := filepath.Abs(filepath.Join(root, "scripts/action-install.sh"))
	stage := t.TempDir()
	if err := os.WriteFile(filepath.Join(stage, "tracegate"), []byte("#!/bin/sh\necho 'tracegate v1.2.3 (fake)'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(t.TempDir(), "tracegate_linux_amd64.tar.gz")
	if out, err := exec.Command("tar", "-czf", archive, "-C", stage, "tracegate").CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	good, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(good)
	checksums := hex.EncodeToString(sum[:]) + "  tracegate_linux_amd64.tar.gz\n" + strings.Repeat("0", 64) + "  tracegate_darwin_arm64.tar.gz\n"
	bad := append([]byte(nil), good...)
	bad[len(bad)-10] ^= 1
	files := map[string][]byte{
		"/v1.2.3/tracegate_linux_amd64.tar.gz": good, "/v1.2.3/checksums.txt": []byte(checksums),
		"/v1.2.4/tracegate_linux_amd64.tar.gz": bad, "/v1.2.4/checksums.txt": []byte(checksums),
		"/v1.2.5/tracegate_linux_amd64.tar.gz": good, // no checksums.txt
		"/v1.2.6/tracegate_linux_amd64.tar.gz": good, "/v1.2.6/checksums.txt": []byte("garbage\n"),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, ok := files[r.URL.Path]; ok {
			w.Write(b)
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()

	run := func(t *testing.T, env ...string) (string, string, error) {
		dir := t.TempDir()
		output := filepath.Join(dir, "output")
		if err := os.WriteFile(output, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("bash", script)
		// No Go on the PATH: a build from source must say what to do.
		cmd.Env = append([]string{"PATH=/usr/bin:/bin", "HOME=" + dir, "RUNNER_TEMP=" + dir, "GITHUB_OUTPUT=" + output,
			"RUNNER_OS=Linux", "RUNNER_ARCH=X64", "GITHUB_ACTION_PATH=" + dir, "TRACEGATE_RELEASES_URL=" + srv.URL}, env...)
		out, err := cmd.CombinedOutput()
		return string(out), readFile(t, output), err
	}
	tests := []struct {
		name string
		env  []string
		ok   bool
		says string
	}{
		{"verified download", []string{"INPUT_VERSION=v1.2.3"}, true, "tracegate_linux_amd64.tar.gz of v1.2.3 verified"},
		{"the action's release tag", []string{"TRACEGATE_ACTION_REF=v1.2.3"}, true, "verified"},
		{"tampered asset", []string{"INPUT_VERSION=v1.2.4"}, false, "but checksums.txt says " + hex.EncodeToString(sum[:]) + ": refusing to run it"},
		{"no checksums", []string{"INPUT_VERSION=v1.2.5"}, false, "has no checksums.txt"},
		{"checksums without the asset", []string{"INPUT_VERSION=v1.2.6"}, false, "lists no single SHA-256 for tracegate_linux_amd64.tar.gz"},
		{"explicit version without a release", []string{"INPUT_VERSION=v9.9.9"}, false, "the tracegate release v9.9.9 has no asset tracegate_linux_amd64.tar.gz"},
		{"not a version", []string{"INPUT_VERSION=../../evil"}, false, "is not a release version"},
		{"the action's ref without a release, no Go", []string{"TRACEGATE_ACTION_REF=v9.9.9"}, false, "has no release asset tracegate_linux_amd64.tar.gz at " + srv.URL + "/v9.9.9/, so tracegate must be built from the action's source, and Go is not installed"},
		{"a branch, no Go", []string{"TRACEGATE_ACTION_REF=main"}, false, "the action is used at 'main', not at a release tag"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			log, outputs, err := run(t, tc.env...)
			if (err == nil) != tc.ok || !strings.Contains(log, tc.says) {
				t.Fatalf("error %v, log:\n%s\nwant it to say %q", err, log, tc.says)
			}
			if tc.ok {
				path, ok := strings.CutPrefix(strings.TrimSpace(outputs), "path=")
				if !ok || !strings.Contains(log, "tracegate v1.2.3 (fake)") {
					t.Fatalf("outputs %q, log:\n%s", outputs, log)
				}
				if _, err := os.Stat(path); err != nil {
					t.Error(err)
				}
			} else if outputs != "" || !strings.Contains(log, "::error title=tracegate::") {
				t.Errorf("a refused install set outputs %q or did not annotate:\n%s", outputs, log)
			}
		})
	}
}

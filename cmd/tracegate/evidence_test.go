package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/cli"
	"github.com/tracegate/tracegate/internal/evidence"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

type bundleSummary struct {
	Verdict, Dir, Zip string
	ZipSHA256         string `json:"zip_sha256"`
	InputsDigest      string `json:"inputs_digest"`
	DateFrom          string `json:"date_from"`
	Files             []struct{ Path string }
	Uploaded          []struct {
		Name     string
		Replaced bool
	}
}

func runEvidence(t *testing.T, args ...string) (int, bundleSummary, string) {
	t.Helper()
	code, out, errs := tracegate(t, append([]string{"evidence", "--format", "json"}, args...)...)
	var s bundleSummary
	if code <= 1 {
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatalf("exit %d: %v\n%s\n%s", code, err, out, errs)
		}
	}
	return code, s, errs
}

// The release evidence bundle from the command line: written for a
// failing release with exit 1, for the release that closes the gaps with
// exit 0, and attached to the GitHub release, replacing on a re-run.
func TestEvidence(t *testing.T) {
	cli.Getenv = func(string) string { return "" }
	t.Cleanup(func() { cli.Getenv = func(string) string { return "" } })
	r := sampleRepo(t)
	dir := r.Dir()
	out := t.TempDir()

	code, s, errs := runEvidence(t, "--dir", dir, "--tag", "v2.3.0", "--out", out)
	if code != 1 || s.Verdict != "fail" {
		t.Fatalf("exit %d, verdict %s\n%s", code, s.Verdict, errs)
	}
	if s.Dir != filepath.Join(out, "tracegate-evidence-v2.3.0") || s.DateFrom != evidence.DateFromCommit || len(s.Files) < 15 {
		t.Errorf("summary %+v", s)
	}
	if err := evidence.Verify(s.Dir); err != nil {
		t.Error(err)
	}
	code, text, _ := tracegate(t, "evidence", "--dir", dir, "--tag", "v2.3.0", "--out", out)
	if code != 1 || !strings.Contains(text, "tracegate evidence: FAIL — release v2.3.0") || !strings.Contains(text, "bundle:  "+s.Dir) {
		t.Errorf("text summary (exit %d):\n%s", code, text)
	}

	r.Branch("decimal-rounding")
	r.Checkout("decimal-rounding")
	fixGaps(t, r)
	r.Commit("Round the rate in decimal (CR-021)\n\nFixes PRB-007; adds the dimming test of SRS-046.")
	r.Checkout("main")
	r.Merge("decimal-rounding", "Merge pull request #31 from acme/decimal-rounding", true)
	r.Tag("v2.4.0", true, "SyringeFlow SP-1 2.4.0")

	gh := fakegithub.New(t)
	gh.AddRelease(ghRepo, fakegithub.Release{Tag: "v2.4.0"})
	withGitHub(gh)
	code, s, errs = runEvidence(t, "--dir", dir, "--tag", "v2.4.0", "--out", out, "--upload")
	if code != 0 || s.Verdict != "pass" {
		t.Fatalf("exit %d, verdict %s\n%s", code, s.Verdict, errs)
	}
	if len(s.Uploaded) != 6 {
		t.Fatalf("uploaded %+v\n%s", s.Uploaded, errs)
	}
	var names []string
	for _, a := range gh.ReleaseAssets(ghRepo, "v2.4.0") {
		names = append(names, a.Name)
	}
	sort.Strings(names)
	if strings.Join(names, " ") != "tracegate-evidence-v2.4.0-report.html tracegate-evidence-v2.4.0-result.json tracegate-evidence-v2.4.0-soup.cdx.json tracegate-evidence-v2.4.0.xlsx tracegate-evidence-v2.4.0.zip tracegate-evidence-v2.4.0.zip.sha256" {
		t.Errorf("release assets %v", names)
	}
	page, err := os.ReadFile(filepath.Join(s.Dir, evidence.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	// The repository's links point at the (fake) GitHub the API names.
	if !strings.Contains(string(page), `href="`+gh.URL()+`/acme/syringeflow/commit/`) {
		t.Error("the report does not link the commits to the repository")
	}
	for _, want := range []string{"PASS — the release gate passed", "None: no problem report is open at the release.", "v2.3.0"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the report lacks %q", want)
		}
	}

	// A re-run replaces the assets.
	code, s, errs = runEvidence(t, "--dir", dir, "--tag", "v2.4.0", "--out", out, "--upload")
	if code != 0 || len(s.Uploaded) != 6 {
		t.Fatalf("exit %d, %+v\n%s", code, s.Uploaded, errs)
	}
	for _, u := range s.Uploaded {
		if !u.Replaced {
			t.Errorf("%s not replaced", u.Name)
		}
	}
	if n := len(gh.ReleaseAssets(ghRepo, "v2.4.0")); n != 6 {
		t.Errorf("%d assets after the re-run", n)
	}
	// Both bundles are still there, side by side.
	if entries, _ := os.ReadDir(out); len(entries) != 6 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("output directory: %v", names)
	}
}

func TestEvidenceUsage(t *testing.T) {
	cli.Getenv = func(string) string { return "" }
	t.Cleanup(func() { cli.Getenv = func(string) string { return "" } })
	r := sampleRepo(t)
	out := t.TempDir()
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no --out", []string{"--tag", "v2.3.0"}, nil, "--out"},
		{"upload without tag", []string{"--out", out, "--upload"}, nil, "--upload needs --tag"},
		{"upload without token", []string{"--out", out, "--tag", "v2.3.0", "--upload", "--repo", ghRepo}, nil, "token"},
		{"bad SOURCE_DATE_EPOCH", []string{"--out", out, "--tag", "v2.3.0"}, map[string]string{"SOURCE_DATE_EPOCH": "yesterday"}, "SOURCE_DATE_EPOCH"},
		{"unknown tag", []string{"--out", out, "--tag", "v9"}, nil, "v9"},
		{"bad format", []string{"--out", out, "--tag", "v2.3.0", "--format", "sarif"}, nil, "--format"},
		{"--pdf without a browser", []string{"--out", out, "--tag", "v2.3.0", "--pdf"}, map[string]string{"TRACEGATE_CHROME": filepath.Join(out, "no-chrome")}, "TRACEGATE_CHROME="},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cli.Getenv = func(k string) string { return c.env[k] }
			code, stdout, errs := tracegate(t, append([]string{"evidence", "--dir", r.Dir()}, c.args...)...)
			if code != 2 || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d\n%s\n%s", code, stdout, errs)
			}
		})
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("written on usage errors: %v", entries)
	}
}

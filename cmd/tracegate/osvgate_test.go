package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/cli"
	"github.com/tracegate/tracegate/internal/osv/osvtest"
)

// The gates ask OSV online when the policy says soup.anomalies: osv (here
// the OSV API on loopback with a real record): a published anomaly of the
// exact version in use must be assessed by the register's review, and an
// API that does not answer within soup.osv_timeout fails the evaluation
// (exit 3), never a pass. Without the policy's word nothing is asked.
func TestGatesAskOSVOnline(t *testing.T) {
	srv := osvtest.NewServer(t, []string{"../../testdata/osv/records/osv-scalibr__GO-2022-1144.json"},
		map[string][]string{"Go golang.org/x/net": {"GO-2022-1144"}})
	t.Cleanup(func() { cli.Getenv = func(string) string { return "" } })
	cli.Getenv = func(k string) string {
		if k == "TRACEGATE_OSV_URL" {
			return srv.URL
		}
		return ""
	}
	const sbom = `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
 {"type":"library","name":"golang.org/x/net","version":"v0.3.0","purl":"pkg:golang/golang.org/x/net@v0.3.0"}]}`
	register := func(assessed string) string {
		return `soup:
  - name: golang.org/x/net
    purl: pkg:golang/golang.org/x/net
    title: Go networking
    manufacturer: The Go Authors
    version: v0.3.0
    purpose: HTTP/2 server
    requirements: serves the service port
    environment: Go 1.22, linux/amd64
    risk_level: low
    verification: integration tests
    anomaly_review:
      version: v0.3.0
      date: 2026-11-02
      reviewer: M. Keller (software lead)
      sources: [osv.dev]
      summary: nothing reachable
      anomalies:` + assessed + "\n"
	}
	dir := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	policy := func(soup string) string {
		return "version: 1\nsafety_class: B\nproblem_reports: {labels: []}\nchange_requests: {labels: []}\nsoup:\n  register: docs/soup.yml\n  sboms: [sbom/*.json]\n" + soup
	}
	write("sbom/app.cdx.json", sbom)
	tg407 := func(t *testing.T) (int, []string) {
		t.Helper()
		code, res, errs := runCheck(t, "check", "release", "--dir", dir)
		if res.Verdict == "error" {
			t.Fatalf("errored: %s", errs)
		}
		var msgs []string
		for _, f := range res.Findings {
			if f.Rule == "TG407" {
				msgs = append(msgs, f.Message)
			}
		}
		return code, msgs
	}

	write(".github/tracegate.yml", policy("  anomalies: osv\n  osv_timeout: 20s\n"))
	write("docs/soup.yml", register(" []"))
	t.Run("an anomaly OSV publishes for the version must be assessed", func(t *testing.T) {
		_, msgs := tg407(t)
		if len(msgs) != 1 || !strings.Contains(msgs[0], "GO-2022-1144") {
			t.Errorf("TG407: %q", msgs)
		}
		if srv.Queries() == 0 {
			t.Error("OSV was not asked")
		}
	})
	t.Run("assessed, it passes the rule", func(t *testing.T) {
		write("docs/soup.yml", register("\n        - {id: GO-2022-1144, assessment: the product serves no HTTP/2 to untrusted peers}"))
		if _, msgs := tg407(t); len(msgs) != 0 {
			t.Errorf("TG407: %q", msgs)
		}
	})
	t.Run("without soup.anomalies: osv nothing is asked", func(t *testing.T) {
		write(".github/tracegate.yml", policy(""))
		before := srv.Queries()
		tg407(t)
		if srv.Queries() != before {
			t.Errorf("%d queries without the policy asking", srv.Queries()-before)
		}
	})
	t.Run("an API that does not answer in time fails the evaluation", func(t *testing.T) {
		write(".github/tracegate.yml", policy("  anomalies: osv\n  osv_timeout: 1s\n"))
		srv.Stall()
		code, out, errs := tracegate(t, "check", "release", "--dir", dir, "--format", "json")
		var res struct {
			Verdict string
			Errors  []string
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		if code != 3 || res.Verdict != "error" || len(res.Errors) != 1 || !strings.Contains(res.Errors[0], "the OSV API did not answer within 1s (soup.osv_timeout)") {
			t.Errorf("exit %d, verdict %s, errors %q\n%s", code, res.Verdict, res.Errors, errs)
		}
	})
}

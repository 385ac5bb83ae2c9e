package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// check pr|release --sbom reads SBOMs CI made besides the policy's
// soup.sboms, as the Action's sbom input and evidence --sbom do: a
// component only that SBOM holds is judged (here: not in the register),
// and a glob that matches nothing is not silently an empty list.
func TestCheckSBOMFlag(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../testdata/sample-device")); err != nil {
		t.Fatal(err)
	}
	const bom = `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
 "metadata":{"component":{"type":"application","name":"syringeflow-ci"}},
 "components":[{"type":"library","name":"left-pad","version":"1.3.0","purl":"pkg:npm/left-pad@1.3.0"}]}`
	if err := os.MkdirAll(filepath.Join(dir, "ci"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ci", "extra.cdx.json"), []byte(bom), 0o644); err != nil {
		t.Fatal(err)
	}
	mentions := func(res gateResult) bool {
		for _, f := range res.Findings {
			if strings.Contains(f.Message, "left-pad") || strings.Contains(f.Subject, "left-pad") {
				return true
			}
		}
		return false
	}
	_, without, _ := runCheck(t, "check", "release", "--dir", dir)
	if mentions(without) {
		t.Fatalf("left-pad judged without --sbom: %+v", without.Findings)
	}
	code, with, errs := runCheck(t, "check", "release", "--dir", dir, "--sbom", "ci/*.cdx.json")
	if code != 1 || !mentions(with) {
		t.Errorf("with --sbom: exit %d, left-pad judged %v\n%+v\n%s", code, mentions(with), with.Findings, errs)
	}
	if code, out, errs := tracegate(t, "check", "release", "--dir", dir, "--sbom", "ci/none-*.json"); code != 3 {
		t.Errorf("--sbom matching nothing: exit %d\n%s%s", code, out, errs)
	}
}

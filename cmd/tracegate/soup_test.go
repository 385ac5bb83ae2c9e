package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/osv/osvtest"
)

const corpus = "../../testdata/sbom"

type soupListJSON struct {
	Documents []struct {
		File         string
		Format       string
		SpecVersion  string `json:"spec_version"`
		PackagesRead int    `json:"packages_read"`
	}
	Components []struct {
		Name, Version, Supplier, PURL string
		Licenses                      []string
		Direct                        *bool
		Register                      *struct{ Name string }
		Anomalies                     *struct {
			Status string
			Found  []struct{ Record struct{ ID string } }
		}
	}
}

func soupList(t *testing.T, args ...string) soupListJSON {
	t.Helper()
	code, out, errs := tracegate(t, append([]string{"soup", "list", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var l soupListJSON
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatal(err)
	}
	return l
}

// soup list reads real SBOMs in every format the corpus holds and reports
// each document as read.
func TestSOUPListCorpus(t *testing.T) {
	for _, f := range []struct {
		file, format, version string
		read                  int
	}{
		{"spdx/tagvalue/bom-shelter__istio-release-1.13.1.spdx", "spdx-tag-value", "SPDX-2.2", 3461},
		{"cyclonedx/json/sbomqs__apache_airflow-sbom-2.8.0-python3.10.json", "cyclonedx-json", "1.5", 1749},
		{"spdx/json/bom-shelter__grype-v0.32.0-sbom.spdx.json", "spdx-json", "SPDX-2.2", 1160},
		{"spdx/spdx3/spdx-examples__example11-sbom.spdx3.json", "spdx3-jsonld", "3.0.1", 4},
		{"cyclonedx/xml/bom-examples__laravel-7.12.0-bom.1.1.xml", "cyclonedx-xml", "1.1", 62},
	} {
		l := soupList(t, "--sbom", filepath.Join(corpus, f.file))
		d := l.Documents[0]
		if d.Format != f.format || d.SpecVersion != f.version || d.PackagesRead != f.read {
			t.Errorf("%s: %+v", f.file, d)
		}
		for _, c := range l.Components {
			if c.Register != nil {
				t.Errorf("%s: %s matched a register that was not given", f.file, c.Name)
			}
		}
	}
}

// The anomalies of the exact version in use, from an offline OSV database
// built from real records: golang.org/x/net at a 2021 pseudo-version is
// affected by GO-2022-1144 (fixed in 0.4.0); gogo/protobuf v1.3.2 is the fix
// of GO-2021-0053, so not affected.
func TestSOUPListOfflineOSV(t *testing.T) {
	db := goOSVDB(t, t.TempDir())
	l := soupList(t, "--sbom", filepath.Join(corpus, "cyclonedx/json/cyclonedx-gomod__app_minikube-v1.23.1_with-packages.bom.json"), "--osv-db", db)
	checkMinikubeAnomalies(t, l)
}

// goOSVDB writes an offline OSV database of the corpus's Go records in dir.
func goOSVDB(t *testing.T, db string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(db, "Go"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(db, "Go", "all.zip"), osvtest.Archive(t, "../../testdata/osv/records/*GO-*.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	return db
}

// checkMinikubeAnomalies checks the anomalies found for the minikube SBOM
// in the database of goOSVDB.
func checkMinikubeAnomalies(t *testing.T, l soupListJSON) {
	t.Helper()
	found := map[string][]string{}
	status := map[string]string{}
	for _, c := range l.Components {
		if c.Anomalies == nil {
			t.Fatalf("%s: not looked up", c.Name)
		}
		status[c.Name+"@"+c.Version] = c.Anomalies.Status
		for _, a := range c.Anomalies.Found {
			found[c.Name+"@"+c.Version] = append(found[c.Name+"@"+c.Version], a.Record.ID)
		}
	}
	if ids := found["golang.org/x/net@v0.0.0-20210525063256-abc453219eb5"]; len(ids) == 0 || ids[0] != "GO-2022-1144" {
		t.Errorf("golang.org/x/net: %v (%s)", ids, status["golang.org/x/net@v0.0.0-20210525063256-abc453219eb5"])
	}
	if ids := found["github.com/gogo/protobuf@v1.3.2"]; len(ids) != 0 || status["github.com/gogo/protobuf@v1.3.2"] != "checked" {
		t.Errorf("gogo/protobuf v1.3.2 (the fix): %v, %s", ids, status["github.com/gogo/protobuf@v1.3.2"])
	}
}

// soup list reads the policy as the gates do: the offline OSV database the
// policy names (soup.osv_db) is consulted without --osv-db, and an SBOM the
// policy's glob matches through a link that leaves the repository is an
// evaluation error naming it (the old soup list read it).
func TestSOUPListFollowsThePolicy(t *testing.T) {
	dir := t.TempDir()
	goOSVDB(t, filepath.Join(dir, "osv"))
	bom, err := os.ReadFile(filepath.Join(corpus, "cyclonedx/json/cyclonedx-gomod__app_minikube-v1.23.1_with-packages.bom.json"))
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range map[string]string{
		".github/tracegate.yml": "version: 1\nsafety_class: B\nsoup:\n  sboms: [sbom/*.json]\n  osv_db: osv\n",
		"sbom/app.cdx.json":     string(bom),
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := tracegate(t, "soup", "list", "--dir", dir, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var l soupListJSON
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Documents) != 1 || l.Documents[0].File != "sbom/app.cdx.json" {
		t.Errorf("documents read: %+v", l.Documents)
	}
	checkMinikubeAnomalies(t, l)

	outside := filepath.Join(t.TempDir(), "elsewhere.json")
	if err := os.WriteFile(outside, bom, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "sbom", "link.json")); err != nil {
		t.Fatal(err)
	}
	code, _, errs = tracegate(t, "soup", "list", "--dir", dir, "--format", "json")
	if code != 3 || !strings.Contains(errs, "sbom/link.json") || !strings.Contains(errs, "leaves the repository") {
		t.Errorf("an SBOM linked from outside the repository: exit %d, want 3 naming it\n%s", code, errs)
	}
}

func TestSOUPDiff(t *testing.T) {
	// The same BOM in JSON and XML: nothing changed.
	code, out, errs := tracegate(t, "soup", "diff", "--format", "json",
		"--base", filepath.Join(corpus, "cyclonedx/json/bom-examples__juice-shop-via_npm-bare-bom.1.4.json"),
		"--head", filepath.Join(corpus, "cyclonedx/xml/bom-examples__juice-shop-via_npm-bare-bom.1.4.xml"))
	if code != 0 || !strings.Contains(out, `"changes": []`) {
		t.Fatalf("exit %d %s\n%s", code, errs, out[:min(len(out), 500)])
	}
	// A real upgrade, made by editing a copy of a real SBOM.
	src, err := os.ReadFile(filepath.Join(corpus, "cyclonedx/xml/osv-scanner__alpine.cdx.xml"))
	if err != nil {
		t.Fatal(err)
	}
	head := filepath.Join(t.TempDir(), "head.cdx.xml")
	if err := os.WriteFile(head, []byte(strings.ReplaceAll(string(src), "1.2.10-r0", "1.2.13-r0")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = tracegate(t, "soup", "diff", "--base", filepath.Join(corpus, "cyclonedx/xml/osv-scanner__alpine.cdx.xml"), "--head", head)
	if code != 0 || !strings.Contains(out, "1 upgraded") || !strings.Contains(out, "upgraded  pkg:apk/alpine/zlib@1.2.13-r0") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestSOUPSync(t *testing.T) {
	dir := t.TempDir()
	reg := filepath.Join(dir, "soup.yml")
	original := "# Our register.\nsoup:\n  - name: FreeRTOS-Kernel   # kept as written\n    version: V11.2.0\n"
	if err := os.WriteFile(reg, []byte(original), 0o644); err != nil {
		t.Fatal(err)
	}
	sboms := []string{"--sbom", filepath.Join(sample, "sbom/*.spdx"), "--sbom", filepath.Join(sample, "sbom/*.cdx.xml")}
	code, out, errs := tracegate(t, append([]string{"soup", "sync", "--register", reg}, sboms...)...)
	if code != 0 || !strings.Contains(out, "added 16 skeleton entries") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	got, _ := os.ReadFile(reg)
	if !strings.HasPrefix(string(got), original) || !strings.Contains(string(got), "TODO(tracegate)") {
		t.Errorf("register rewritten instead of appended to:\n%s", got)
	}
	code, out, _ = tracegate(t, append([]string{"soup", "sync", "--register", reg}, sboms...)...)
	if code != 0 || !strings.Contains(out, "every component is registered") {
		t.Errorf("second sync: exit %d\n%s", code, out)
	}
	l := soupList(t, append([]string{"--register", reg}, sboms...)...)
	for _, c := range l.Components {
		if c.Register == nil {
			t.Errorf("%s not registered after sync", c.Name)
		}
	}
}

// soup list --osv asks the OSV API (here a server on loopback speaking its
// protocol with a real record) for the exact versions in use.
func TestSOUPListOnlineOSV(t *testing.T) {
	srv := osvtest.NewServer(t, []string{"../../testdata/osv/records/osv-scalibr__GO-2022-1144.json"},
		map[string][]string{"Go golang.org/x/net": {"GO-2022-1144"}})
	l := soupList(t, "--sbom", filepath.Join(corpus, "cyclonedx/json/cyclonedx-gomod__app_minikube-v1.23.1_with-packages.bom.json"), "--osv", "--osv-url", srv.URL)
	affected := 0
	for _, c := range l.Components {
		if c.Anomalies == nil || c.Anomalies.Status != "checked" {
			t.Fatalf("%s: %+v", c.Name, c.Anomalies)
		}
		if len(c.Anomalies.Found) > 0 {
			affected++
			if c.Name != "golang.org/x/net" || c.Anomalies.Found[0].Record.ID != "GO-2022-1144" {
				t.Errorf("%s@%s: %v", c.Name, c.Version, c.Anomalies.Found)
			}
		}
	}
	if affected == 0 || srv.Queries() < len(l.Components)/2 {
		t.Errorf("%d affected, %d queries for %d components", affected, srv.Queries(), len(l.Components))
	}
}

// With no SBOM the register is the SOUP list; with neither, soup list exits
// 2 the same way whether the policy names no SBOM or its default glob
// matches nothing. validate judges the register as the release gate does.
func TestSOUPListFromRegister(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	remove := func(rel string) {
		if err := os.Remove(filepath.Join(dir, rel)); err != nil {
			t.Fatal(err)
		}
	}
	// Neither SBOM nor register: the default glob matches nothing, or the
	// policy names no SBOM — the same exit and message.
	write("README.md", "x")
	codeDefault, _, errsDefault := tracegate(t, "soup", "list", "--dir", dir)
	write(".github/tracegate.yml", "version: 1\nsoup: {sboms: []}\n")
	codeNone, _, errsNone := tracegate(t, "soup", "list", "--dir", dir)
	if codeDefault != 2 || codeNone != 2 || !strings.Contains(errsDefault, "no SBOM: nothing matches the policy's soup.sboms") ||
		!strings.Contains(errsNone, "no SBOM: the policy names none in soup.sboms") || !strings.Contains(errsNone, "the SOUP register holds no entry") {
		t.Errorf("default glob: exit %d %s\nno SBOM named: exit %d %s", codeDefault, errsDefault, codeNone, errsNone)
	}
	remove(".github/tracegate.yml")

	// The register alone (rdm's, as the rdm projects keep it) is the list.
	reg, err := os.ReadFile(rdmProjects + "acpsem-thursday/regulatory/data/soup.yml")
	if err != nil {
		t.Fatal(err)
	}
	write("docs/soup/soup.yml", string(reg))
	l := soupList(t, "--dir", dir)
	if len(l.Components) != 2 || l.Components[0].Name != "Example Camera SDK" || l.Components[0].Version != "5.3.1" || l.Components[0].Register == nil ||
		l.Components[0].Supplier != "Basler AG" || len(l.Documents) != 0 {
		t.Errorf("list from the register: %+v", l)
	}
	code, out, _ := tracegate(t, "validate", "--dir", dir, "--format", "json")
	var res struct {
		Findings []struct{ Rule, Subject string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 1 {
		t.Fatalf("validate: exit %d, %v", code, err)
	}
	soupFindings := map[string]int{}
	for _, f := range res.Findings {
		if strings.HasPrefix(f.Rule, "TG4") {
			soupFindings[f.Rule]++
		}
	}
	// The default class B: no designator (both), no manufacturer (FFTW),
	// FFTW's environment, both risk levels, reviews and verifications.
	want := map[string]int{"TG403": 2, "TG405": 1, "TG406": 2, "TG407": 2, "TG408": 2}
	if len(soupFindings) != len(want) {
		t.Errorf("SOUP findings %v, want %v", soupFindings, want)
	}
	for r, n := range want {
		if soupFindings[r] != n {
			t.Errorf("%s: %d, want %d (all %v)", r, soupFindings[r], n, soupFindings)
		}
	}
}

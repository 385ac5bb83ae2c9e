package evidence

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/report/releasedoc"
)

const sample = "../../testdata/sample-device"

// requireTools says whether a missing tool fails a test rather than
// skipping it: scripts/test sets TRACEGATE_REQUIRE_TOOLS=1, so that CI
// cannot pass by skipping.
func requireTools() bool { return os.Getenv("TRACEGATE_REQUIRE_TOOLS") == "1" }

func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if requireTools() {
			t.Fatalf("%s is not installed, and TRACEGATE_REQUIRE_TOOLS=1 (scripts/deps.d installs it)", name)
		}
		t.Skipf("SKIPPED: %s is not installed (scripts/deps.d/chromium.sh installs it; CI requires it)", name)
	}
	return p
}

// sampleRepo is the sample device in git, released as v2.3.0 with its
// known gaps, then v2.4.0 with a traced and an untraced change.
func sampleRepo(t *testing.T) *gittest.Repo {
	t.Helper()
	r := gittest.New(t)
	r.CopyDir(sample)
	r.Commit("SyringeFlow SP-1 2.3.0\n\nCloses CR-017.")
	r.Tag("v2.3.0", true, "SyringeFlow SP-1 2.3.0")
	readme, err := os.ReadFile(filepath.Join(r.Dir(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	r.Write("README.md", string(readme)+"\nService notes.\n")
	r.Commit("Document the service tool (CR-022)")
	r.Write("README.md", string(readme)+"\nService notes, reworded.\n")
	r.Commit("Tweak")
	r.Tag("v2.4.0", true, "SyringeFlow SP-1 2.4.0")
	return r
}

func sources(t *testing.T, dir string) *check.Sources {
	t.Helper()
	src, closeFn, err := check.Open(context.Background(), check.Local{Dir: dir, NeedGit: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeFn)
	return src
}

var testTool = gate.Tool{Name: "tracegate", Version: "1.0.0-test", Commit: "0123456789abcdef0123456789abcdef01234567"}

func build(t *testing.T, dir, tag, out string, opts Options) *Bundle {
	t.Helper()
	if opts.Tool == (gate.Tool{}) {
		opts.Tool = testTool
	}
	opts.Check.FailOn = gate.SevError
	opts.WorkDir = dir
	b, err := Build(context.Background(), sources(t, dir), tag, out, opts)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return b
}

// A failing release still gets its bundle: the documents, the evidence
// read, a manifest that sha256sum accepts, and a zip of the whole.
func TestBuildFailingRelease(t *testing.T) {
	r := sampleRepo(t)
	out := t.TempDir()
	b := build(t, r.Dir(), "v2.3.0", out, Options{Product: "acme/syringeflow"})
	if b.Result.Verdict != gate.Fail {
		t.Fatalf("verdict %s", b.Result.Verdict)
	}
	if b.Name != "tracegate-evidence-v2.3.0" || b.Dir != filepath.Join(out, b.Name) || b.Zip != b.Dir+".zip" {
		t.Errorf("bundle at %s, %s, %s", b.Name, b.Dir, b.Zip)
	}
	var paths []string
	for _, f := range b.Files {
		paths = append(paths, f.Path)
	}
	want := []string{ReportFile, WorkbookFile, ResultFile, SOUPMarkdown, SOUPCSV, SOUPCycloneDX,
		"inputs/commit/sbom/firmware-freertos.spdx", "inputs/commit/sbom/service-tool.cdx.xml",
		"inputs/work-tree/reports/system/pytest-system.xml", "inputs/work-tree/reports/unit/go-test.jsonl"}
	for _, name := range releasedoc.ReleaseTables() {
		want = append(want, "tables/"+name+".csv")
	}
	sort.Strings(want)
	if strings.Join(paths, "\n") != strings.Join(want, "\n") {
		t.Errorf("files:\n  %s\nwant:\n  %s", strings.Join(paths, "\n  "), strings.Join(want, "\n  "))
	}
	// The copies are the files the gate read.
	for _, c := range []struct{ copy, orig string }{
		{"inputs/commit/sbom/service-tool.cdx.xml", "sbom/service-tool.cdx.xml"},
		{"inputs/work-tree/reports/unit/go-test.jsonl", "reports/unit/go-test.jsonl"},
	} {
		a, _ := os.ReadFile(filepath.Join(b.Dir, c.copy))
		o, _ := os.ReadFile(filepath.Join(sample, c.orig))
		if len(a) == 0 || !bytes.Equal(a, o) {
			t.Errorf("%s is not a copy of %s", c.copy, c.orig)
		}
	}
	if err := Verify(b.Dir); err != nil {
		t.Error(err)
	}
	sha := needTool(t, "sha256sum")
	for _, c := range []struct{ dir, file string }{{b.Dir, ManifestFile}, {out, b.Name + ".zip.sha256"}} {
		cmd := exec.Command(sha, "-c", "--strict", c.file)
		cmd.Dir = c.dir
		if o, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c %s: %v\n%s", c.file, err, o)
		}
	}
	checkZip(t, b)

	res := readResult(t, b)
	if res.Verdict != "fail" || len(res.Findings) == 0 {
		t.Errorf("result.json: %+v", res)
	}
}

// checkZip opens the zip as an unzip tool would: the bundle's directory,
// every file with its bytes, the manifest, nothing else.
func checkZip(t *testing.T, b *Bundle) {
	t.Helper()
	zr, err := zip.OpenReader(b.Zip)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	got := map[string][]byte{}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, b.Name+"/") {
			t.Errorf("zip entry %s outside %s/", f.Name, b.Name)
		}
		if f.FileInfo().IsDir() {
			if f.Mode().Perm() != 0o755 {
				t.Errorf("%s: mode %v", f.Name, f.Mode())
			}
			continue
		}
		if f.Mode().Perm() != 0o644 || !f.Modified.Equal(b.Date) {
			t.Errorf("%s: mode %v, time %v (want %v)", f.Name, f.Mode(), f.Modified, b.Date)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		got[strings.TrimPrefix(f.Name, b.Name+"/")] = data
	}
	if len(got) != len(b.Files)+1 {
		t.Errorf("zip holds %d files, the bundle %d and its manifest", len(got), len(b.Files))
	}
	for _, f := range append(b.Files, File{Path: ManifestFile}) {
		disk, err := os.ReadFile(filepath.Join(b.Dir, filepath.FromSlash(f.Path)))
		if err != nil || !bytes.Equal(disk, got[f.Path]) {
			t.Errorf("zip entry %s differs from the bundle's file (%v)", f.Path, err)
		}
	}
}

type result struct {
	Verdict  string
	Findings []struct{ Rule, Subject string }
}

func readResult(t *testing.T, b *Bundle) result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(b.Dir, ResultFile))
	if err != nil {
		t.Fatal(err)
	}
	var r result
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// Two runs over the same inputs, into two directories, give the same
// bytes in every file, the zip included; SOURCE_DATE_EPOCH dates them.
func TestBuildReproducible(t *testing.T) {
	r := sampleRepo(t)
	for _, c := range []struct {
		name string
		date time.Time
		from string
	}{
		{"commit date", time.Time{}, DateFromCommit},
		{"SOURCE_DATE_EPOCH", time.Unix(1700000000, 0).UTC(), DateFromSourceDateEpoch},
	} {
		t.Run(c.name, func(t *testing.T) {
			one, two := t.TempDir(), t.TempDir()
			a := build(t, r.Dir(), "v2.4.0", one, Options{Date: c.date})
			b := build(t, r.Dir(), "v2.4.0", two, Options{Date: c.date})
			if a.DateFrom != c.from || a.Date.IsZero() || (!c.date.IsZero() && !a.Date.Equal(c.date)) {
				t.Errorf("dated %v from %q", a.Date, a.DateFrom)
			}
			if !c.date.IsZero() {
				page, _ := os.ReadFile(filepath.Join(a.Dir, ReportFile))
				if !bytes.Contains(page, []byte("2023-11-14 22:13:20Z (SOURCE_DATE_EPOCH)")) {
					t.Error("the report does not say it is dated by SOURCE_DATE_EPOCH")
				}
			}
			for _, f := range append(a.Files, File{Path: ManifestFile}) {
				x, _ := os.ReadFile(filepath.Join(a.Dir, f.Path))
				y, _ := os.ReadFile(filepath.Join(b.Dir, f.Path))
				if len(x) == 0 || !bytes.Equal(x, y) {
					t.Errorf("%s differs between two runs", f.Path)
				}
			}
			x, _ := os.ReadFile(a.Zip)
			y, _ := os.ReadFile(b.Zip)
			if len(x) == 0 || !bytes.Equal(x, y) || a.ZipSHA256 != b.ZipSHA256 {
				t.Error("the zips differ between two runs")
			}
			checkZip(t, a)
		})
	}
}

// The workbook reopens with excelize and holds the rows of the CSVs.
func TestWorkbookMatchesCSVs(t *testing.T) {
	r := sampleRepo(t)
	b := build(t, r.Dir(), "v2.4.0", t.TempDir(), Options{})
	wb, err := excelize.OpenFile(filepath.Join(b.Dir, WorkbookFile))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	for _, name := range releasedoc.ReleaseTables() {
		data, err := os.ReadFile(filepath.Join(b.Dir, "tables", name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatalf("%s.csv: %v", name, err)
		}
		rows, err := wb.GetRows(releasedoc.ReleaseTableSheet(name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(rows) != len(recs) {
			t.Errorf("%s: %d rows in the sheet, %d in the CSV", name, len(rows), len(recs))
			continue
		}
		for i := range recs {
			for j, want := range recs[i] {
				got := ""
				if j < len(rows[i]) {
					got = rows[i][j]
				}
				if got != want && "'"+got != want {
					t.Errorf("%s row %d column %d: sheet %q, CSV %q", name, i, j, got, want)
				}
			}
		}
	}
	// The sample's tables are not empty where the sample has content.
	for name, min := range map[string]int{"traceability": 45, "risk": 14, "risk-controls": 16, "soup": 17, "residual-anomalies": 1, "changes": 2, "inputs": 20} {
		rows, _ := wb.GetRows(releasedoc.ReleaseTableSheet(name))
		if len(rows)-1 < min {
			t.Errorf("%s: %d rows, want at least %d", name, len(rows)-1, min)
		}
	}
}

// The inputs table lists what was read, from where, and the digest can be
// recomputed from it as docs/evidence.md says.
func TestInputsDigest(t *testing.T) {
	r := sampleRepo(t)
	b := build(t, r.Dir(), "v2.4.0", t.TempDir(), Options{})
	data, err := os.ReadFile(filepath.Join(b.Dir, "tables", "inputs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	var lines []string
	for _, rec := range recs[1:] { // path, origin, kind, format, items, bytes, sha256
		kinds[rec[0]] = rec[1] + " " + rec[2]
		lines = append(lines, fmt.Sprintf("%s  %s:%s\n", rec[6], rec[1], rec[0]))
		file := filepath.Join(r.Dir(), rec[0])
		if sum, err := fileSHA256(file); err != nil || sum != rec[6] {
			t.Errorf("%s: sha256 %s, the file has %s (%v)", rec[0], rec[6], sum, err)
		}
	}
	for path, want := range map[string]string{
		".github/tracegate.yml":              "commit policy",
		"docs/requirements/dose-engine.yml":  "commit requirements",
		"docs/risk/delivery.yml":             "commit risks",
		"docs/soup/soup.yml":                 "commit soup-register",
		"sbom/firmware-freertos.spdx":        "commit sbom",
		"reports/unit/go-test.jsonl":         "work tree tests",
		"docs/problem-reports/PRB-007.yml":   "commit problem_report",
		"docs/plans/risk-management-plan.md": "commit plan",
		"src/alarm/cycle_bench_test.go":      "commit test-sources",
	} {
		if kinds[path] != want {
			t.Errorf("%s: %q, want %q", path, kinds[path], want)
		}
	}
	// CSV rows are sorted by path then origin: the digest's order.
	h := sha256.New()
	for _, l := range lines {
		io.WriteString(h, l)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != b.InputsDigest {
		t.Errorf("digest recomputed from inputs.csv %s, bundle %s", got, b.InputsDigest)
	}
	page, _ := os.ReadFile(filepath.Join(b.Dir, ReportFile))
	if !bytes.Contains(page, []byte(b.InputsDigest)) {
		t.Error("the report does not carry the inputs digest")
	}
	// Changing an input changes the digest.
	r.Write("reports/unit/go-test.jsonl", strings.Replace(string(mustRead(t, filepath.Join(r.Dir(), "reports/unit/go-test.jsonl"))), "PASS", "PASS ", 1))
	c := build(t, r.Dir(), "v2.4.0", t.TempDir(), Options{})
	if c.InputsDigest == b.InputsDigest {
		t.Error("the digest did not change with a test report")
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The changes since the previous release, with what each traces to.
func TestBundleChanges(t *testing.T) {
	r := sampleRepo(t)
	b := build(t, r.Dir(), "v2.4.0", t.TempDir(), Options{RepoURL: "https://github.com/acme/syringeflow"})
	data := mustRead(t, filepath.Join(b.Dir, "tables", "changes.csv"))
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("changes:\n%s", data)
	}
	byMsg := map[string][]string{}
	for _, rec := range recs[1:] {
		byMsg[rec[3]] = rec
	}
	if c := byMsg["Document the service tool (CR-022)"]; c == nil || c[5] != "true" || c[6] != "CR-022" || !strings.HasPrefix(c[9], "https://github.com/acme/syringeflow/commit/") {
		t.Errorf("traced change: %q", c)
	}
	if c := byMsg["Tweak"]; c == nil || c[5] != "false" || c[10] == "" {
		t.Errorf("untraced change: %q", c)
	}
	res := readResult(t, b)
	found := false
	for _, f := range res.Findings {
		found = found || f.Rule == "TG301"
	}
	if !found {
		t.Error("the untraced change is not a finding")
	}
}

// A bundle is replaced whole on a re-run; a directory that is not a
// bundle is never touched.
func TestBuildReplaces(t *testing.T) {
	r := sampleRepo(t)
	out := t.TempDir()
	b := build(t, r.Dir(), "v2.3.0", out, Options{})
	stray := filepath.Join(b.Dir, "stray.txt")
	if err := os.WriteFile(stray, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Verify(b.Dir); err == nil || !strings.Contains(err.Error(), "stray.txt: not in the manifest") {
		t.Errorf("Verify with a stray file: %v", err)
	}
	b = build(t, r.Dir(), "v2.3.0", out, Options{})
	if _, err := os.Stat(stray); !errors.Is(err, os.ErrNotExist) {
		t.Error("the earlier bundle's stray file survived the rebuild")
	}
	if err := Verify(b.Dir); err != nil {
		t.Error(err)
	}
	if err := os.WriteFile(filepath.Join(b.Dir, ReportFile), []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Verify(b.Dir); err == nil || !strings.Contains(err.Error(), "report.html: SHA-256 differs") {
		t.Errorf("Verify with a changed file: %v", err)
	}

	other := t.TempDir()
	mine := filepath.Join(other, "tracegate-evidence-v2.3.0")
	if err := os.MkdirAll(mine, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mine, "keep.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(context.Background(), sources(t, r.Dir()), "v2.3.0", other, Options{Tool: testTool, WorkDir: r.Dir()})
	if err == nil || !strings.Contains(err.Error(), "not an evidence bundle") {
		t.Errorf("replacing a directory that is not a bundle: %v", err)
	}
	if string(mustRead(t, filepath.Join(mine, "keep.txt"))) != "mine" {
		t.Error("a directory that is not a bundle was changed")
	}
	entries, _ := os.ReadDir(other)
	if len(entries) != 1 {
		t.Errorf("left behind in the output directory: %v", entries)
	}
}

// An evaluation that cannot complete writes nothing.
func TestBuildErrors(t *testing.T) {
	r := sampleRepo(t)
	out := t.TempDir()
	b, err := Build(context.Background(), sources(t, r.Dir()), "v9.9.9", out, Options{Tool: testTool, WorkDir: r.Dir()})
	if err == nil || !check.IsUsage(err) || b == nil || b.Result == nil || b.Result.Verdict != gate.Error || b.Dir != "" {
		t.Errorf("unknown tag: %v, %+v", err, b)
	}
	r.Write(".github/tracegate.yml", "version: 1\nsafety_class: Z\n")
	r.Commit("Break the policy")
	r.Tag("v3.0.0", true, "3.0.0")
	if _, err := Build(context.Background(), sources(t, r.Dir()), "v3.0.0", out, Options{Tool: testTool, WorkDir: r.Dir()}); err == nil {
		t.Error("a broken policy gave a bundle")
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("written after errors: %v", entries)
	}
}

func TestBundleName(t *testing.T) {
	cases := []struct{ tag, commit, want string }{
		{"v2.4.0", "", "tracegate-evidence-v2.4.0"},
		{"release/2.4 rc1", "", "tracegate-evidence-release-2.4-rc1"},
		{"..", "", "tracegate-evidence-unnamed"},
		{"v1+build.5", "", "tracegate-evidence-v1+build.5"},
		{"", "0123456789abcdef", "tracegate-evidence-candidate-0123456789ab"},
		{"", "", "tracegate-evidence-candidate"},
	}
	for _, c := range cases {
		if got := BundleName(c.tag, c.commit); got != c.want {
			t.Errorf("BundleName(%q, %q) = %q, want %q", c.tag, c.commit, got, c.want)
		}
	}
}

func TestParseSourceDateEpoch(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"", time.Time{}, false},
		{"0", time.Unix(0, 0).UTC(), false},
		{" 1700000000\n", time.Unix(1700000000, 0).UTC(), false},
		{"-1", time.Time{}, true},
		{"1.5", time.Time{}, true},
		{"yesterday", time.Time{}, true},
		{"99999999999999", time.Time{}, true},
	}
	for _, c := range cases {
		got, err := ParseSourceDateEpoch(c.in)
		if (err != nil) != c.err || !got.Equal(c.want) {
			t.Errorf("ParseSourceDateEpoch(%q) = %v, %v", c.in, got, err)
		}
	}
}

// A bundle written into the work tree is never read back as evidence by
// the next run; without the work tree's directory that cannot be told, and
// nothing is written.
func TestBuildRefusesItsOwnCopies(t *testing.T) {
	r := sampleRepo(t)
	out := filepath.Join(r.Dir(), "dist")
	opts := Options{Check: check.Options{Tests: []string{"**/go-test.jsonl"}}}
	build(t, r.Dir(), "v2.3.0", out, opts)
	opts.Tool = testTool
	opts.Check.FailOn = gate.SevError
	opts.WorkDir = r.Dir()
	_, err := Build(context.Background(), sources(t, r.Dir()), "v2.3.0", out, opts)
	if err == nil || !strings.Contains(err.Error(), "dist/tracegate-evidence-v2.3.0/inputs/work-tree/reports/unit/go-test.jsonl was read as evidence from inside the output directory") {
		t.Errorf("err = %v", err)
	}
	opts.WorkDir = ""
	if _, err := Build(context.Background(), sources(t, r.Dir()), "v2.3.0", t.TempDir(), opts); err == nil || !strings.Contains(err.Error(), "directory of the work tree") {
		t.Errorf("no work tree directory: err = %v", err)
	}
}

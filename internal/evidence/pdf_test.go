package evidence

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The browser: the one TRACEGATE_CHROME names if it is a program, else
// one on PATH or in the usual places; none is an error that says what to
// install.
func TestFindBrowser(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	fake := filepath.Join(t.TempDir(), "chromium")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	env["TRACEGATE_CHROME"] = fake
	if got, err := FindBrowser(getenv); err != nil || got != fake {
		t.Errorf("TRACEGATE_CHROME: %q, %v", got, err)
	}
	env["TRACEGATE_CHROME"] = filepath.Join(t.TempDir(), "nope")
	if _, err := FindBrowser(getenv); err == nil || !strings.Contains(err.Error(), "TRACEGATE_CHROME") {
		t.Errorf("a TRACEGATE_CHROME that is no program: %v", err)
	}
	delete(env, "TRACEGATE_CHROME")
	t.Setenv("PATH", filepath.Dir(fake))
	if got, err := FindBrowser(getenv); err != nil || got != fake {
		t.Errorf("on PATH: %q, %v", got, err)
	}
	t.Setenv("PATH", t.TempDir())
	saved := browserPaths
	browserPaths = map[string][]string{}
	t.Cleanup(func() { browserPaths = saved })
	_, err := FindBrowser(getenv)
	if !errors.Is(err, ErrNoBrowser) || !strings.Contains(err.Error(), "apt-get install chromium") || !strings.Contains(err.Error(), "TRACEGATE_CHROME") {
		t.Errorf("no browser: %v", err)
	}
}

// Chromium's creation and modification dates become the documents' date,
// at the same length, so that no offset of the file moves.
func TestPDFDated(t *testing.T) {
	in := []byte("%PDF-1.4\n<</Creator (x)\n/CreationDate (D:20261207064525+00'00')\n/ModDate (D:20261207064526-05'00')>>\n")
	got := pdfDated(in, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	want := "%PDF-1.4\n<</Creator (x)\n/CreationDate (D:20240102030405+00'00')\n/ModDate (D:20240102030405+00'00')>>\n"
	if string(got) != want || len(got) != len(in) {
		t.Errorf("got %q", got)
	}
	if got := pdfDated(in, time.Time{}); !bytes.Equal(got, in) {
		t.Error("an undated bundle changed the PDF's dates")
	}
}

// The report printed to PDF through the installed Chromium is part of the
// bundle: in the manifest and the zip, several pages, the document ID and
// revision and the footer on every page, and the same bytes from two runs.
func TestBundlePDF(t *testing.T) {
	browser := chromiumBinary(t)
	r := sampleRepo(t)
	opts := Options{Product: "acme/syringeflow", Browser: browser}
	a := build(t, r.Dir(), "v2.4.0", t.TempDir(), opts)
	b := build(t, r.Dir(), "v2.4.0", t.TempDir(), opts)
	listed := false
	for _, f := range a.Files {
		listed = listed || f.Path == PDFFile
	}
	if !listed {
		t.Fatal("report.pdf is not in the manifest")
	}
	x, _ := os.ReadFile(filepath.Join(a.Dir, PDFFile))
	y, _ := os.ReadFile(filepath.Join(b.Dir, PDFFile))
	if !bytes.HasPrefix(x, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.20q", x)
	}
	if !bytes.Equal(x, y) {
		i := 0
		for i < len(x) && i < len(y) && x[i] == y[i] {
			i++
		}
		t.Errorf("the PDF differs between two runs (%d and %d bytes), first at byte %d: %q / %q", len(x), len(y), i,
			x[max(i-40, 0):min(i+40, len(x))], y[max(i-40, 0):min(i+40, len(y))])
	} else if a.ZipSHA256 != b.ZipSHA256 {
		t.Error("the zips differ between two runs")
	}
	if !bytes.Contains(x, []byte("/CreationDate (D:"+a.Date.UTC().Format("20060102150405")+"+00'00')")) {
		t.Error("the PDF is not dated by the documents' date")
	}
	checkZip(t, a)
	pdf := filepath.Join(a.Dir, PDFFile)
	pages := pdfPages(t, pdf, x)
	if pages < 2 {
		t.Fatalf("%d page(s)", pages)
	}
	pdftotext := needTool(t, "pdftotext")
	for _, p := range []int{1, pages} {
		out, err := exec.Command(pdftotext, "-layout", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, want := range []string{"DHF-SP1-REL rev v2.4.0", "inputs sha256:" + a.InputsDigest, "page " + strconv.Itoa(p) + " of " + strconv.Itoa(pages)} {
			if !strings.Contains(text, want) {
				t.Errorf("page %d does not show %q", p, want)
			}
		}
	}
	// The signature block follows the document control, whole on one page:
	// the first, or the second when it does not fit on the first.
	sig := ""
	for p := 1; p <= 2 && sig == ""; p++ {
		out, err := exec.Command(pdftotext, "-layout", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		if i := strings.Index(text, "Signature block"); i >= 0 {
			sig = text[i:]
		}
	}
	for _, role := range []string{"Prepared by", "Reviewed by", "Approved by"} {
		if !strings.Contains(sig, role) {
			t.Errorf("the signature block is not whole on page 1 or 2 (no %s):\n%s", role, sig)
		}
	}
	var names []string
	for _, as := range a.Assets() {
		names = append(names, as.Name)
	}
	if !strings.Contains(strings.Join(names, " "), "tracegate-evidence-v2.4.0-report.pdf") {
		t.Errorf("release assets: %v", names)
	}
}

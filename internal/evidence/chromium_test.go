package evidence

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The report in a real browser: Debian's Chromium, headless, loads it from
// a file, logs no console message (the page has no script, so any message
// is a refused resource or a CSP violation), renders a screenshot that is
// not blank, and prints a PDF of several pages with the running footer —
// tool, release commit, inputs digest — on every one.
//
// Console messages are read from Chromium's own log: with
// --enable-logging=stderr --v=0 it writes each message of the page's
// console as a line with "CONSOLE" on standard error, whatever its level.
// TestChromiumSeesConsoleErrors shows that a violation is caught that way.

// chromium runs Debian's Chromium headless on a file, with a fresh profile.
func chromium(t *testing.T, page string, args ...string) (stdout, stderr string) {
	t.Helper()
	bin := chromiumBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute) // a guard against a hung browser, not an assertion
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--disable-extensions", "--user-data-dir=" + t.TempDir(),
		"--enable-logging=stderr", "--v=0"}
	cmd := exec.CommandContext(ctx, bin, append(append(base, args...), "file://"+page)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
	}
	return out.String(), errb.String()
}

func chromiumBinary(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return needTool(t, "chromium")
}

var consoleLine = regexp.MustCompile(`(?m)^.*:CONSOLE[:(].*$`)

func consoleMessages(stderr string) []string { return consoleLine.FindAllString(stderr, -1) }

// TestChromiumSeesConsoleErrors is the control of the console check: a
// page that breaks its own Content-Security-Policy must be caught.
func TestChromiumSeesConsoleErrors(t *testing.T) {
	page := filepath.Join(t.TempDir(), "bad.html")
	html := `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"><title>x</title></head>` +
		`<body><p>x</p><img src="https://tracegate.invalid/x.png" alt=""></body></html>`
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr := chromium(t, page, "--dump-dom")
	if msgs := consoleMessages(stderr); len(msgs) == 0 || !strings.Contains(strings.Join(msgs, "\n"), "Content Security Policy") {
		t.Fatalf("the CSP violation was not seen in the console log:\n%s", stderr)
	}
}

func TestReportInChromium(t *testing.T) {
	chromiumBinary(t)
	r := sampleRepo(t)
	b := build(t, r.Dir(), "v2.4.0", t.TempDir(), Options{Product: "acme/syringeflow", RepoURL: "https://github.com/acme/syringeflow"})
	page := filepath.Join(b.Dir, ReportFile)

	t.Run("loads without console messages", func(t *testing.T) {
		dom, stderr := chromium(t, page, "--dump-dom")
		if msgs := consoleMessages(stderr); len(msgs) > 0 {
			t.Errorf("console messages:\n%s", strings.Join(msgs, "\n"))
		}
		if !strings.Contains(dom, "Release evidence — v2.4.0") || !strings.Contains(dom, `id="heat-residual"`) {
			t.Errorf("the DOM is not the report:\n%.2000s", dom)
		}
	})

	t.Run("screenshot is not blank", func(t *testing.T) {
		shot := filepath.Join(t.TempDir(), "report.png")
		chromium(t, page, "--screenshot="+shot, "--window-size=1280,1800", "--hide-scrollbars")
		f, err := os.Open(shot)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatal(err)
		}
		bounds := img.Bounds()
		var n, dark float64
		var sum, sumSq float64
		colours := map[uint32]bool{}
		for y := bounds.Min.Y; y < bounds.Max.Y; y += 2 {
			for x := bounds.Min.X; x < bounds.Max.X; x += 2 {
				r, g, b, _ := img.At(x, y).RGBA()
				l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 65535
				sum += l
				sumSq += l * l
				n++
				if l < 0.5 {
					dark++
				}
				if len(colours) < 1000 {
					colours[r>>8<<16|g>>8<<8|b>>8] = true
				}
			}
		}
		mean := sum / n
		variance := sumSq/n - mean*mean
		if bounds.Dx() < 1000 || variance < 0.005 || dark/n < 0.01 || len(colours) < 20 {
			t.Errorf("the screenshot looks blank: %dx%d, luminance variance %.4f, %.1f%% dark pixels, %d colours",
				bounds.Dx(), bounds.Dy(), variance, 100*dark/n, len(colours))
		}
	})

	t.Run("prints to a multi-page PDF with the footer on every page", func(t *testing.T) {
		pdf := filepath.Join(t.TempDir(), "report.pdf")
		chromium(t, page, "--print-to-pdf="+pdf, "--no-pdf-header-footer")
		data, err := os.ReadFile(pdf)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Fatalf("not a PDF: %.20q", data)
		}
		pages := pdfPages(t, pdf, data)
		if pages < 2 {
			t.Fatalf("%d page(s), want several", pages)
		}
		pdftotext := needTool(t, "pdftotext")
		commit := b.Result.Release.Commit
		sigPage := 0
		for p := 1; p <= pages; p++ {
			out, err := exec.Command(pdftotext, "-layout", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), pdf, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(string(out)), " ")
			for _, want := range []string{"tracegate 1.0.0-test (0123456789ab)", "v2.4.0 at " + commit, "inputs sha256:" + b.InputsDigest, "page " + strconv.Itoa(p) + " of " + strconv.Itoa(pages),
				"DHF-SP1-REL rev v2.4.0"} {
				if !strings.Contains(text, want) {
					t.Errorf("page %d does not show %q in its header or footer:\n%s", p, want, out)
				}
			}
			// The signature block is printed whole, on one page.
			if i := strings.Index(text, "Signature block"); i >= 0 {
				sigPage = p
				block := text[i:]
				for _, role := range []string{"Prepared by", "Reviewed by", "Approved by"} {
					if !strings.Contains(block, role) {
						t.Errorf("page %d has the signature block without its row %s:\n%s", p, role, out)
					}
				}
			}
		}
		if sigPage == 0 {
			t.Error("no page shows the signature block")
		}
	})
}

// pdfPages counts the pages: pdfinfo when installed, else the page
// objects of the file (Chromium's PDFs keep them uncompressed).
func pdfPages(t *testing.T, path string, data []byte) int {
	t.Helper()
	if bin, err := exec.LookPath("pdfinfo"); err == nil {
		out, err := exec.Command(bin, path).Output()
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
		if m == nil {
			t.Fatalf("pdfinfo:\n%s", out)
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}
	if requireTools() {
		t.Fatal("pdfinfo is not installed, and TRACEGATE_REQUIRE_TOOLS=1 (scripts/deps.d/chromium.sh installs poppler-utils)")
	}
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(data, -1))
}

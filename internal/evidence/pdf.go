package evidence

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/lazyre"
)

// The report as PDF: printed by an installed Chrome or Chromium, headless,
// from the report's file — the same page a reader prints from a browser,
// with its paged-media header and footer (document ID and revision; tool,
// release commit, inputs digest, page number), which Chromium prints since
// version 131. tracegate downloads no browser: it uses the one installed.
//
// Chromium's PDF differs between two runs only in its creation and
// modification dates; they are set to the documents' date, so that the same
// inputs and the same browser build give the same bytes (the browser's
// version is in the PDF's Creator).

// PDFFile is the report printed to PDF, beside report.html, when asked for.
const PDFFile = "report.pdf"

// browserNames are the Chrome and Chromium commands looked for on PATH,
// in this order.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "chrome-headless-shell"}

// browserPaths are where Chrome and Chromium install themselves outside
// PATH, by operating system.
var browserPaths = map[string][]string{
	"darwin": {"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome", "/Applications/Chromium.app/Contents/MacOS/Chromium"},
	"windows": {`C:\Program Files\Google\Chrome\Application\chrome.exe`, `C:\Program Files (x86)\Google\Chrome\Application\chrome.exe`,
		`C:\Program Files\Chromium\Application\chrome.exe`},
	"linux": {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/opt/google/chrome/chrome", "/snap/bin/chromium"},
}

// ErrNoBrowser is FindBrowser's error when no Chrome or Chromium is
// installed.
var ErrNoBrowser = errors.New("no Chrome or Chromium is installed")

// FindBrowser returns the Chrome or Chromium to print with: the one
// TRACEGATE_CHROME names (read with getenv), which must be an executable
// file, else the first of the usual commands on PATH, else the first of
// the usual install locations.
func FindBrowser(getenv func(string) string) (string, error) {
	if p := getenv("TRACEGATE_CHROME"); p != "" {
		st, err := os.Stat(p)
		if err != nil || st.IsDir() || (runtime.GOOS != "windows" && st.Mode().Perm()&0o111 == 0) {
			return "", fmt.Errorf("TRACEGATE_CHROME=%s is not an executable file: name the Chrome or Chromium program", p)
		}
		return p, nil
	}
	for _, name := range browserNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	for _, p := range browserPaths[runtime.GOOS] {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("--pdf prints the report through Chrome or Chromium, and %w: none of %s is on PATH, nor in the usual places; install one (Debian and Ubuntu: apt-get install chromium) or set TRACEGATE_CHROME to the program",
		ErrNoBrowser, strings.Join(browserNames, ", "))
}

// pdfTimeout bounds one print: a hung browser must not hang a release.
const pdfTimeout = 10 * time.Minute

// PrintPDF prints an HTML file to PDF with browser (FindBrowser), headless,
// in a fresh profile that is removed afterwards, and returns the PDF with
// its dates set to date (unchanged when date is zero).
func PrintPDF(ctx context.Context, browser, html string, date time.Time) ([]byte, error) {
	abs, err := filepath.Abs(html)
	if err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "tracegate-pdf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	out := filepath.Join(work, "report.pdf")
	args := []string{"--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--user-data-dir=" + filepath.Join(work, "profile"), "--no-pdf-header-footer", "--print-to-pdf=" + out}
	if os.Geteuid() == 0 {
		// Chrome refuses to run as root inside its sandbox (containers, CI).
		// The page it prints runs no script and loads nothing: its
		// Content-Security-Policy forbids both.
		args = append(args, "--no-sandbox")
	}
	args = append(args, "file://"+filepath.ToSlash(abs))
	ctx, cancel := context.WithTimeout(ctx, pdfTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, args...)
	cmd.Env = append(os.Environ(), "HOME="+work)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("printing the report to PDF with %s: %w%s", browser, err, tail(stderr.String()))
	}
	data, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		return nil, fmt.Errorf("printing the report to PDF with %s: it wrote no PDF%s", browser, tail(stderr.String()))
	}
	return pdfDated(data, date), nil
}

func tail(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if len(s) > 600 {
		s = "…" + s[len(s)-600:]
	}
	return "\n" + s
}

var pdfDate = lazyre.New(`/(?:CreationDate|ModDate) \(D:\d{14}[+-]\d\d'\d\d'\)`)

// pdfDated sets the PDF's creation and modification dates to date. The
// date strings keep their length, so that no offset of the file moves.
func pdfDated(data []byte, date time.Time) []byte {
	if date.IsZero() {
		return data
	}
	stamp := date.UTC().Format("20060102150405") + "+00'00'"
	return pdfDate().ReplaceAllFunc(data, func(m []byte) []byte {
		key := m[:bytes.IndexByte(m, '(')]
		out := append(append(append([]byte{}, key...), "(D:"...), stamp...)
		out = append(out, ')')
		if len(out) != len(m) {
			return m
		}
		return out
	})
}

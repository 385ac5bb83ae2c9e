package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/ingest/readers"
	"github.com/tracegate/tracegate/internal/ingest/sbom"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/lazyre"
)

// Found is what Inspect saw in a repository.
type Found struct {
	// Files are the requirement, risk and test report files a reader
	// recognised, with the format it recognised them in.
	Files []Detected
	// IDs are the IDs the recognised files define, by kind (requirement,
	// hazard, risk_control), and Links the IDs their requirements link to
	// as parents, or their test records as verified, that no file defines.
	IDs   map[string][]string
	Links []string
	// Items are the software items the requirements name.
	Items []string
	// Tables are Markdown files holding a table whose header names an ID
	// column that no requirement or risk reader recognised.
	Tables []string
	// Reports are the test report paths the workflows write (globs as
	// written there), and TestCommands the run: lines that write them.
	Reports      []string
	TestCommands []string
	// SBOMs are committed SBOM files; Lockfiles the package manifests an
	// SBOM producer reads.
	SBOMs     []string
	Lockfiles []string
	// Register is an existing SOUP register (rdm's soup.yml, a
	// tracegate soup.yml), "" when none.
	Register string
	// DeviceClass is the safety class rdm's device.yml (or system.yml)
	// declares beside rdm's requirements, as the rdm reader reads it, and
	// DeviceFile that file.
	DeviceClass, DeviceFile string
	// Workflows are the workflow files, and Existing every path Plan
	// might write that exists already.
	Workflows []string
	// Languages seen, for the test step of the workflows: go, python, node.
	Languages map[string]bool
	// seen are the paths of the files walked whose extension a source
	// might name, so that a glob is known to cover only what it should.
	seen []string
}

// Detected is one file a reader recognised.
type Detected struct {
	Path   string
	Kind   ingest.Kind
	Format string
}

// Limits of the walk: a repository larger than this is inspected in part,
// and says so.
const (
	maxWalk  = 200_000
	maxHead  = 64 << 10
	maxWFile = 1 << 20
)

// skipDirs are directories never inspected: version control, dependencies,
// build output and tools.
var skipDirs = map[string]bool{
	".git": true, "node_modules": true, "vendor": true, ".tools": true, ".venv": true, "venv": true,
	"__pycache__": true, ".tox": true, "target": true, "dist": true, ".idea": true, ".vscode": true,
}

// lockfiles are the manifests an SBOM producer reads, by base name.
var lockfiles = map[string]string{
	"go.sum": "go", "go.mod": "go", "package-lock.json": "node", "yarn.lock": "node", "pnpm-lock.yaml": "node",
	"package.json": "node", "poetry.lock": "python", "Pipfile.lock": "python", "requirements.txt": "python",
	"pyproject.toml": "python", "uv.lock": "python", "Cargo.lock": "rust", "composer.lock": "php",
	"Gemfile.lock": "ruby", "pom.xml": "java", "build.gradle": "java", "build.gradle.kts": "java",
	"conan.lock": "cpp", "vcpkg.json": "cpp", "packages.lock.json": "dotnet",
}

// Inspect walks fsys (the repository's root) and says what it holds.
// Links are not followed: a linked directory is not inspected.
func Inspect(fsys fs.FS) (*Found, error) {
	f := &Found{IDs: map[string][]string{}, Languages: map[string]bool{}}
	set := readers.All()
	n := 0
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && d.Name() == ".git" {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if n++; n > maxWalk {
			return errTooMany
		}
		if candidateExt(p) {
			// Every file a glob could match, wherever it is: a glob init
			// writes must match none that no reader recognises.
			f.seen = append(f.seen, p)
		}
		if skipped(p) {
			return nil
		}
		return f.file(fsys, set, p)
	})
	if err != nil && !errors.Is(err, errTooMany) {
		return nil, err
	}
	if errors.Is(err, errTooMany) {
		return f, fmt.Errorf("%w: inspected the first %d files", errTooMany, maxWalk)
	}
	f.collectIDs(fsys, set)
	sort.Strings(f.Lockfiles)
	return f, nil
}

var errTooMany = errors.New("the repository has more files than tracegate init inspects")

// file looks at one regular file.
func (f *Found) file(fsys fs.FS, set ingest.Set, p string) error {
	base := path.Base(p)
	dir := path.Dir(p)
	if lang, ok := lockfiles[base]; ok {
		f.Lockfiles = append(f.Lockfiles, p)
		f.Languages[lang] = true
	}
	switch {
	case strings.HasPrefix(p, ".github/workflows/") && (strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")):
		f.Workflows = append(f.Workflows, p)
		return f.workflow(fsys, p)
	case strings.HasPrefix(p, ".github/"):
		return nil
	case base == "pytest.ini" || base == "conftest.py":
		f.Languages["python"] = true
	}
	ext := strings.ToLower(path.Ext(p))
	if !candidateExt(p) {
		return nil
	}
	h, err := input.Open(fsys, p, math.MaxInt64)
	if err != nil {
		return nil // unreadable here: not ours to judge; the gates will be
	}
	head := h.Head
	if len(head) > maxHead {
		head = head[:maxHead]
	}
	h.Close()
	if (base == "soup.yml" || base == "soup.yaml") && f.Register == "" && !inTestData(dir) {
		f.Register = p
		return nil
	}
	if sbomName(base) {
		if _, _, err := sbom.Sniff(head); err == nil {
			f.SBOMs = append(f.SBOMs, p)
			return nil
		}
	}
	for _, kind := range []ingest.Kind{ingest.Requirements, ingest.Risks, ingest.Tests} {
		if kind == ingest.Tests && inTestData(dir) {
			continue // fixtures of the project's own tests, not its evidence
		}
		for _, r := range set.Readers {
			if r.Kind() == kind && r.Detect(fsys, p, head) {
				f.Files = append(f.Files, Detected{Path: p, Kind: kind, Format: r.Format()})
				return nil
			}
		}
	}
	if (ext == ".md" || ext == ".markdown") && mdTable().Match(head) {
		if f.Register == "" && strings.Contains(strings.ToLower(base), "soup") && !inTestData(dir) {
			f.Register = p // a .md register is read as a table (docs/formats.md)
			return nil
		}
		f.Tables = append(f.Tables, p)
	}
	return nil
}

// candidateExt reports whether a file's extension is one a source of
// the policy may name.
func candidateExt(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".yml", ".yaml", ".md", ".markdown", ".csv", ".xml", ".json", ".jsonl", ".spdx", ".rdf":
		return true
	}
	return false
}

// skipped reports whether a file is in a directory whose files are not
// the repository's own: dependencies, build output, tools, hidden
// directories other than .github.
func skipped(p string) bool {
	parts := strings.Split(p, "/")
	for _, d := range parts[:len(parts)-1] {
		if skipDirs[d] || (strings.HasPrefix(d, ".") && d != ".github") {
			return true
		}
	}
	return false
}

// inTestData reports whether dir holds a project's test fixtures.
func inTestData(dir string) bool {
	for _, part := range strings.Split(dir, "/") {
		switch strings.ToLower(part) {
		case "testdata", "fixtures", "test-fixtures", "__fixtures__":
			return true
		}
	}
	return false
}

// sbomName reports whether a file's name says it is an SBOM.
func sbomName(base string) bool {
	b := strings.ToLower(base)
	return strings.Contains(b, "sbom") || strings.Contains(b, "bom.") || strings.Contains(b, ".cdx.") ||
		strings.HasSuffix(b, ".spdx") || strings.Contains(b, ".spdx.")
}

// mdTable is a Markdown table whose header row names an ID column.
var mdTable = lazyre.New(`(?mi)^\s*\|?\s*(?:id|req(?:uirement)?[ ._-]?id|item[ ._-]?id|soup[ ._-]?id|hazard[ ._-]?id|risk[ ._-]?id)\s*\|.*\n\s*\|?\s*:?-{3,}`)

// reportPath is a test report path in a workflow: a file or glob ending in
// .xml or .jsonl, on a line that speaks of tests or reports.
var (
	reportPath = lazyre.New(`[A-Za-z0-9_./*{},-]*[A-Za-z0-9_*}-]\.(?:xml|jsonl)\b`)
	reportLine = lazyre.New(`(?i)junit|xunit|report|test-results|gotestsum|go test -json`)
)

// workflow reads where a workflow writes its test reports.
func (f *Found) workflow(fsys fs.FS, p string) error {
	data, err := input.ReadAll(fsys, p, maxWFile)
	if err != nil {
		return nil
	}
	for _, line := range strings.Split(string(data), "\n") {
		code, _, _ := strings.Cut(line, " #")
		if strings.HasPrefix(strings.TrimSpace(code), "#") || !reportLine().MatchString(code) || strings.Contains(code, "${{") {
			continue
		}
		for _, m := range reportPath().FindAllString(code, -1) {
			m = strings.TrimPrefix(strings.TrimPrefix(m, "./"), "=")
			if m == "" || strings.HasPrefix(m, "/") || strings.Contains(m, "..") || inTestData(path.Dir(m)) {
				continue
			}
			f.Reports = appendNew(f.Reports, m)
			if cmd, ok := runLine(code); ok {
				f.TestCommands = appendNew(f.TestCommands, cmd)
			}
		}
	}
	return nil
}

// runLine is the command of a one-line run: step.
func runLine(line string) (string, bool) {
	t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "- "))
	cmd, ok := strings.CutPrefix(t, "run:")
	cmd = strings.TrimSpace(cmd)
	return cmd, ok && cmd != "" && cmd != "|" && cmd != ">"
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// collectIDs reads the recognised requirement and risk files with their
// readers, for the ID patterns of the policy. A file its reader cannot
// read is left to validate to report, with its line.
func (f *Found) collectIDs(fsys fs.FS, set ingest.Set) {
	defined := map[string]bool{}
	var linked []string
	// Files appended while reading (an item of another kind) are read
	// in turn.
	for i := 0; i < len(f.Files); i++ {
		d := f.Files[i]
		var r ingest.Reader
		for _, c := range set.Readers {
			if c.Kind() == d.Kind && c.Format() == d.Format {
				r = c
			}
		}
		items, err := safeRead(r, fsys, d.Path)
		if err != nil || items == nil {
			continue
		}
		for _, e := range items.Elsewhere {
			// A Ketryx Risk found among the requirements: the policy
			// needs a risks source that reads it, or it fails the load.
			if e.Required && !slices.ContainsFunc(f.Files, func(o Detected) bool { return o.Path == d.Path && o.Kind == e.Kind }) {
				f.Files = append(f.Files, Detected{Path: d.Path, Kind: e.Kind, Format: e.Format})
			}
		}
		for _, q := range items.Requirements {
			f.IDs["requirement"] = appendNew(f.IDs["requirement"], q.ID)
			defined[q.ID] = true
			if q.Item != "" {
				f.Items = appendNew(f.Items, q.Item)
			}
			for _, p := range q.Parents {
				f.Links = appendNew(f.Links, p)
			}
		}
		for _, t := range items.Tests {
			for _, id := range t.Requirements {
				linked = appendNew(linked, id)
			}
		}
		for _, h := range items.Hazards {
			f.IDs["hazard"] = appendNew(f.IDs["hazard"], h.ID)
			defined[h.ID] = true
		}
		for _, c := range items.RiskControls {
			f.IDs["risk_control"] = appendNew(f.IDs["risk_control"], c.ID)
			defined[c.ID] = true
		}
		if d.Format == "rdm" && d.Kind == ingest.Requirements && f.DeviceClass == "" {
			for _, c := range items.Classes {
				f.DeviceClass, f.DeviceFile = string(c.Class), c.Source.File
			}
		}
	}
	var outside []string
	for _, l := range append(f.Links, linked...) {
		if !defined[l] {
			outside = appendNew(outside, l)
		}
	}
	f.Links = outside
}

// safeRead reads one file, a reader's panic being an unreadable file.
func safeRead(r ingest.Reader, fsys fs.FS, p string) (items *ingest.Items, err error) {
	if r == nil {
		return nil, errors.New("no reader")
	}
	defer func() {
		if recover() != nil {
			items, err = nil, errors.New("reader failed")
		}
	}()
	return r.Read(fsys, p)
}

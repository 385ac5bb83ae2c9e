package evidence

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/report/releasedoc"
	"github.com/tracegate/tracegate/internal/report/resultdoc"
	"github.com/tracegate/tracegate/internal/report/soupdoc"
	"github.com/tracegate/tracegate/internal/safefile"
	"github.com/tracegate/tracegate/internal/version"
)

// Options say how to evaluate the release and what the documents say
// about themselves.
type Options struct {
	// Check are the release gate's settings (policy path, extra test
	// reports and SBOMs, the severity that fails: error when empty).
	Check check.Options
	// Previous is the previous release; empty finds it (check.Release).
	Previous string
	// Tool is the tracegate build, recorded in the result and on every
	// page; this build when empty.
	Tool gate.Tool
	// Date, when set, dates the documents instead of the release commit
	// (SOURCE_DATE_EPOCH; see ParseSourceDateEpoch).
	Date time.Time
	// Product names what was released in the documents' titles
	// (owner/name); RepoURL is its web address, which commits and record
	// files link to ("" links nothing outside the documents).
	Product, RepoURL string
	// WorkDir is the directory of the work tree, when there is one on
	// disk: no input may be read from inside the output directory there.
	WorkDir string
	// Browser, when set, is the Chrome or Chromium (FindBrowser) that
	// prints the report to PDF (PDFFile) as part of the bundle.
	Browser string
}

// Bundle is a written evidence bundle.
type Bundle struct {
	// Name is the bundle's name, tracegate-evidence-TAG; Dir the directory
	// holding its files; Zip the zip of that directory, and ZipSHA256 the
	// zip's digest (also in Zip+".sha256").
	Name, Dir, Zip, ZipSHA256 string
	// Files are the bundle's files with their digests, sorted by path:
	// what MANIFEST.sha256 lists (the manifest itself is not among them).
	Files []File
	// Result is the release gate's result. It is set even when Build fails
	// because the evaluation could not complete; nothing is written then.
	Result *gate.Result
	// Facts are what the gate judged; nil when the evaluation could not
	// complete.
	Facts *gate.ReleaseFacts
	// InputsDigest is the SHA-256 over the inputs (check.InputsDigest).
	InputsDigest string
	// Date is the documents' date and DateFrom where it came from; zero
	// when there was none to take.
	Date     time.Time
	DateFrom string
	// Tag is the release tag; empty for a release candidate.
	Tag string
}

// File is one file of a bundle.
type File struct {
	Path   string // slash-separated, relative to the bundle's directory
	Size   int64
	SHA256 string
}

// Names of the bundle's key files, relative to its directory.
const (
	ReportFile    = "report.html"
	WorkbookFile  = "evidence.xlsx"
	ResultFile    = "result.json"
	ManifestFile  = "MANIFEST.sha256"
	SOUPMarkdown  = "soup/soup-list.md"
	SOUPCSV       = "soup/soup-list.csv"
	SOUPCycloneDX = "soup/soup-list.cdx.json"
)

// Build evaluates the release at tag (the work tree as a release candidate
// when tag is empty) and writes its evidence bundle under out: the
// directory Name and Name.zip. The bundle is written whatever the verdict,
// pass or fail — the record of a failing release is evidence too; an
// evaluation that could not complete writes nothing and returns its
// errored result in the Bundle together with the error (check.IsUsage
// tells a usage error). A bundle of the same name already in out is
// replaced, never merged: the manifest must describe every file.
func Build(ctx context.Context, src *check.Sources, tag, out string, opts Options) (*Bundle, error) {
	if opts.Check.FailOn == "" {
		opts.Check.FailOn = gate.SevError // fail closed: the zero severity fails nothing
	}
	if opts.Tool.Name == "" {
		v, c := version.Get()
		opts.Tool = gate.Tool{Name: "tracegate", Version: v, Commit: c}
	}
	if src.WorkTree != nil && opts.WorkDir == "" {
		err := errors.New("internal error: the evidence is read from a work tree, and no directory of the work tree was given to keep the bundle's copies out of it")
		b := &Bundle{Result: check.Errored(gate.GateRelease, err), Tag: tag}
		b.Result.Tool = opts.Tool
		return b, err
	}
	opts.Check.ReviewRecords = true // the bundle records every change's reviews it can read
	docs, err := check.ReleaseWithDocs(ctx, src, tag, opts.Previous, opts.Check)
	b := &Bundle{Result: docs.Result, Facts: docs.Facts, Tag: tag}
	b.Result.Tool = opts.Tool
	if err != nil {
		return b, err
	}
	if err := inputsOutside(docs.Inputs, opts.WorkDir, out); err != nil {
		return b, err
	}
	if opts.WorkDir != "" {
		// The work tree is the pull request's: no link of it redirects the bundle.
		if err := safefile.CheckInside(opts.WorkDir, out); err != nil {
			return b, err
		}
	}
	files, err := render(ctx, docs, b, opts)
	if err != nil {
		return b, err
	}
	if err := b.write(out, files); err != nil {
		return b, err
	}
	return b, nil
}

// BundleName is the name of the bundle of a release: tracegate-evidence-
// and the tag, any character a file name or a release asset's name cannot
// safely hold replaced by "-"; "candidate" for a release candidate.
func BundleName(tag, commit string) string {
	if tag == "" {
		if commit == "" {
			return "tracegate-evidence-candidate"
		}
		return "tracegate-evidence-candidate-" + model.ShortSHA(commit)
	}
	var b strings.Builder
	for _, r := range tag {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '.', r == '-', r == '_', r == '+':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), ".")
	if name == "" {
		name = "unnamed"
	}
	return "tracegate-evidence-" + name
}

// render makes every file of the bundle, in memory, by path.
func render(ctx context.Context, docs *check.ReleaseDocs, b *Bundle, opts Options) (map[string][]byte, error) {
	f := docs.Facts
	b.InputsDigest = docs.InputsDigest
	b.Name = BundleName(f.Tag, f.Commit)
	switch {
	case !opts.Date.IsZero():
		b.Date, b.DateFrom = opts.Date.UTC(), DateFromSourceDateEpoch
	case !docs.CommitDate.IsZero():
		b.Date, b.DateFrom = docs.CommitDate.UTC(), DateFromCommit
	}
	inputs := make([]releasedoc.Input, len(docs.Inputs))
	for i, in := range docs.Inputs {
		inputs[i] = releasedoc.Input(in)
	}
	history := make([]releasedoc.Revision, len(docs.History))
	for i, h := range docs.History {
		history[i] = releasedoc.Revision{Tag: h.Tag, Commit: h.Commit, Date: h.Date, Changes: h.Changes, Records: h.Records, First: h.First}
	}
	layout := releasedoc.BundleFiles{Report: ReportFile, Workbook: WorkbookFile, Tables: "tables"}
	if f.SOUP != nil && f.SOUP.List != nil {
		layout.SOUP = []string{SOUPMarkdown, SOUPCSV, SOUPCycloneDX}
	}
	ev := &releasedoc.ReleaseEvidence{Result: docs.Result, Facts: f, Inputs: inputs, InputsDigest: docs.InputsDigest,
		Product: opts.Product, Generated: b.Date, GeneratedFrom: b.DateFrom, RepoURL: opts.RepoURL, History: history, Files: layout}
	rd, err := releasedoc.NewReleaseDocuments(ev)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	add := func(name string, write func(io.Writer) error) error {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		files[name] = buf.Bytes()
		return nil
	}
	if err := add(ReportFile, rd.WriteHTML); err != nil {
		return nil, err
	}
	if opts.Browser != "" {
		pdf, err := printReport(ctx, opts.Browser, files[ReportFile], b.Date)
		if err != nil {
			return nil, err
		}
		files[PDFFile] = pdf
	}
	if err := add(WorkbookFile, rd.WriteXLSX); err != nil {
		return nil, err
	}
	for _, t := range releasedoc.ReleaseTables() {
		if err := add(path.Join(layout.Tables, t+".csv"), func(w io.Writer) error { return rd.WriteCSV(w, t) }); err != nil {
			return nil, err
		}
	}
	if err := add(ResultFile, func(w io.Writer) error { return resultdoc.Write(w, docs.Result, "json") }); err != nil {
		return nil, err
	}
	if f.SOUP != nil && f.SOUP.List != nil {
		so := soupdoc.Options{Title: opts.Product, ToolVersion: opts.Tool.Version, Commit: opts.Tool.Commit, Generated: b.Date}
		so.DocumentID, so.Revision = rd.SOUPDocument()
		for name, format := range map[string]string{SOUPMarkdown: "md", SOUPCSV: "csv", SOUPCycloneDX: "cyclonedx"} {
			if err := add(name, func(w io.Writer) error { return soupdoc.Write(w, f.SOUP.List, format, so) }); err != nil {
				return nil, err
			}
		}
	}
	// The evidence the release was judged on that git does not keep: the
	// test reports CI made, and the SBOMs.
	for _, in := range docs.Inputs {
		if in.Kind != "tests" && in.Kind != "sbom" {
			continue
		}
		data, err := docs.ReadInput(in)
		if err != nil {
			return nil, fmt.Errorf("copying %s: %w", in.Path, err)
		}
		files[InputPath(in)] = data
	}
	return files, nil
}

// printReport prints the report's bytes to PDF: the browser reads it from
// a file of its own, in a directory removed afterwards.
func printReport(ctx context.Context, browser string, html []byte, date time.Time) ([]byte, error) {
	dir, err := os.MkdirTemp("", "tracegate-report-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	page := filepath.Join(dir, ReportFile)
	if err := os.WriteFile(page, html, 0o600); err != nil {
		return nil, err
	}
	return PrintPDF(ctx, browser, page, date)
}

// InputPath is where a bundle keeps a copy of an input file:
// inputs/commit/PATH or inputs/work-tree/PATH.
func InputPath(in check.Input) string {
	origin := "commit"
	if in.Origin == check.OriginWorkTree {
		origin = "work-tree"
	}
	return path.Join("inputs", origin, in.Path)
}

// write puts the files in out/Name through a temporary directory, so that
// a failed run leaves the previous bundle as it was, then writes the
// manifest, the zip and its digest.
func (b *Bundle) write(out string, files map[string][]byte) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	tmp, err := os.MkdirTemp(out, "."+b.Name+".tmp-")
	if err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	b.Files = b.Files[:0]
	for _, name := range sortedKeys(files) {
		if !fsValid(name) || name == ManifestFile {
			return fmt.Errorf("internal error: bundle file name %q", name)
		}
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
		b.Files = append(b.Files, File{Path: name, Size: int64(len(files[name])), SHA256: sha256Hex(files[name])})
	}
	manifest := Manifest(b.Files)
	if err := os.WriteFile(filepath.Join(tmp, ManifestFile), manifest, 0o644); err != nil {
		return err
	}
	dir := filepath.Join(out, b.Name)
	if err := replaceDir(dir, tmp); err != nil {
		return err
	}
	b.Dir = dir
	files[ManifestFile] = manifest

	zipPath := dir + ".zip"
	zf, err := safefile.Create(zipPath)
	if err != nil {
		return err
	}
	if err := writeZip(zf, b.Name, files, b.Date); err != nil {
		zf.Abort()
		return fmt.Errorf("zipping the bundle: %w", err)
	}
	if err := zf.Commit(); err != nil {
		return err
	}
	b.Zip = zipPath
	sum, err := fileSHA256(zipPath)
	if err != nil {
		return err
	}
	b.ZipSHA256 = sum
	return safefile.WriteFile(zipPath+".sha256", Manifest([]File{{Path: filepath.Base(zipPath), SHA256: sum}}))
}

// replaceDir moves the new bundle into place. What is there must be an
// earlier bundle (it has a manifest) or nothing: tracegate never deletes a
// directory it did not make.
func replaceDir(dir, tmp string) error {
	if st, err := os.Lstat(dir); err == nil {
		if !st.IsDir() {
			return fmt.Errorf("%s exists and is not a directory; move it away", dir)
		}
		if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err != nil {
			entries, _ := os.ReadDir(dir)
			if len(entries) > 0 {
				return fmt.Errorf("%s exists and is not an evidence bundle (no %s): refusing to replace it; choose another --out", dir, ManifestFile)
			}
		}
		old := tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("replacing the earlier bundle: %w", err)
		}
		defer os.RemoveAll(old)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return os.Rename(tmp, dir)
}

// inputsOutside refuses an evaluation that read a file from inside the
// output directory: with the bundle written into the work tree and a
// policy glob as wide as "**/*.xml", the next run would take an earlier
// bundle's copies of the test reports for evidence of this one.
func inputsOutside(inputs []check.Input, repoDir, out string) error {
	if repoDir == "" {
		return nil
	}
	root, err1 := filepath.Abs(repoDir)
	dest, err2 := filepath.Abs(out)
	if err1 != nil || err2 != nil {
		return nil
	}
	rel, err := filepath.Rel(root, dest)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil // the output is outside the work tree
	}
	prefix := filepath.ToSlash(rel) + "/"
	if rel == "." {
		prefix = ""
	}
	for _, in := range inputs {
		if in.Origin != check.OriginWorkTree {
			continue
		}
		if prefix == "" && strings.HasPrefix(in.Path, "tracegate-evidence-") || prefix != "" && strings.HasPrefix(in.Path, prefix) {
			return fmt.Errorf("%s was read as evidence from inside the output directory %s (an earlier bundle's copy?): write the bundle outside the policy's globs, or narrow them", in.Path, out)
		}
	}
	return nil
}

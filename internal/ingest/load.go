package ingest

import (
	"bytes"
	"fmt"
	"io/fs"
	"math"
	"path"
	"runtime"
	"strings"
	"sync"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// Set is the readers and the tag scanner Load chooses from. The order of
// Readers is the order in which format: auto tries them, most specific first.
type Set struct {
	Readers []Reader
	Tags    TagScanner
	Records RecordReader
}

// reader returns the reader of kind named format.
func (s Set) reader(kind Kind, format string) Reader {
	for _, r := range s.Readers {
		if r.Kind() == kind && r.Format() == format {
			return r
		}
	}
	return nil
}

// Formats lists the format names of a kind, for messages.
func (s Set) Formats(kind Kind) []string {
	var out []string
	for _, r := range s.Readers {
		if r.Kind() == kind {
			out = append(out, r.Format())
		}
	}
	return out
}

type job struct {
	kind   Kind
	path   string
	format string // as configured: auto or a reader's name
	key    string // the policy key, for messages
	table  config.Table
}

type outcome struct {
	items   *Items
	format  string
	tags    []model.TestTag
	records []model.Record
	err     error
}

// recordFile is a problem report or change request file to read.
type recordFile struct{ path, kind string }

// Load reads every source the policy names. It returns the DHF read so far
// and, when any file could not be read, an input.Errors naming each file:
// a gate must treat that as an evaluation error, never as "nothing there".
//
// Test reports are read last, keeping the test cases that Keeper finds to
// matter given the requirements and tags read before them.
func Load(fsys fs.FS, cfg *config.Config, set Set, requirementIDs IDFinder) (*model.DHF, error) {
	return load(fsys, cfg, set, requirementIDs, nil)
}

// LoadEvidence reads the test reports the policy names (and, as Load,
// whatever else it names), keeping the test cases keep accepts: reports
// read apart from the models they are judged with (a pull request's base
// and head share the work tree's reports) are kept by those models'
// Keeper.
func LoadEvidence(fsys fs.FS, cfg *config.Config, set Set, keep Keep) (*model.DHF, error) {
	return load(fsys, cfg, set, nil, keep)
}

func load(fsys fs.FS, cfg *config.Config, set Set, requirementIDs IDFinder, keep Keep) (*model.DHF, error) {
	dhf := &model.DHF{}
	var errs input.Errors
	var jobs []job
	seen := map[string]bool{}
	addSources := func(kind Kind, key string, srcs []config.Source) {
		for i, s := range srcs {
			if s.Issues != nil {
				continue // GitHub issues: read through the tracker (package check)
			}
			if s.Format != "auto" && set.reader(kind, s.Format) == nil {
				errs = append(errs, input.Errorf(cfg.Pos(fmt.Sprintf("%s.%d.format", key, i)),
					"%s[%d]: no %s reader for format %q", key, i, kind, s.Format))
				continue
			}
			files, irregular, err := GlobAll(fsys, s.Path, s.Exclude)
			if err != nil {
				errs = append(errs, input.Errorf(cfg.Pos(fmt.Sprintf("%s.%d.path", key, i)), "%s[%d]: %v", key, i, err))
				continue
			}
			for _, p := range irregular {
				dhf.Warnings = append(dhf.Warnings, input.Warnf(input.Pos{File: p},
					"matched by %s[%d].path but not a regular file (a symlink or submodule); not read", key, i))
			}
			if len(files) == 0 {
				dhf.Warnings = append(dhf.Warnings, input.Warnf(cfg.Pos(fmt.Sprintf("%s.%d.path", key, i)),
					"%s[%d].path %q matches no file", key, i, s.Path))
			}
			for _, f := range files {
				if seen[string(kind)+"\x00"+f] {
					continue
				}
				seen[string(kind)+"\x00"+f] = true
				jobs = append(jobs, job{kind: kind, path: f, format: s.Format, key: fmt.Sprintf("%s[%d]", key, i), table: s.Table})
			}
		}
	}
	addSources(Requirements, "requirements", cfg.Requirements)
	addSources(Risks, "risks", cfg.Risks)
	addSources(Tests, "tests", cfg.Tests)
	var tagFiles []string
	if set.Tags != nil {
		for i, g := range cfg.TestSources {
			files, err := Glob(fsys, g, nil)
			if err != nil {
				errs = append(errs, input.Errorf(cfg.Pos(fmt.Sprintf("test_sources.%d", i)), "test_sources[%d]: %v", i, err))
				continue
			}
			for _, f := range files {
				if !seen["src\x00"+f] {
					seen["src\x00"+f] = true
					tagFiles = append(tagFiles, f)
				}
			}
		}
	}

	var recFiles []recordFile
	if set.Records != nil {
		for _, sec := range []struct {
			kind, key string
			globs     []string
		}{{model.KindProblemReport, "problem_reports", cfg.ProblemReports.Files}, {model.KindChangeRequest, "change_requests", cfg.ChangeRequests.Files}} {
			for i, g := range sec.globs {
				files, err := Glob(fsys, g, nil)
				if err != nil {
					errs = append(errs, input.Errorf(cfg.Pos(fmt.Sprintf("%s.files.%d", sec.key, i)), "%s.files[%d]: %v", sec.key, i, err))
					continue
				}
				for _, f := range files {
					if !seen[sec.kind+"\x00"+f] {
						seen[sec.kind+"\x00"+f] = true
						recFiles = append(recFiles, recordFile{f, sec.kind})
					}
				}
			}
		}
	}

	results := make([]outcome, len(jobs)+len(tagFiles)+len(recFiles))
	run := func(i int) {
		if i >= len(jobs)+len(tagFiles) {
			rf := recFiles[i-len(jobs)-len(tagFiles)]
			defer func() {
				if p := recover(); p != nil {
					results[i] = outcome{err: input.Errorf(input.Pos{File: rf.path}, "record reader failed: %v", p).
						WithHint("this is a bug in tracegate; please report it with the file")}
				}
			}()
			release, err := reserve(fsys, rf.path, input.TreeFactor)
			if err != nil {
				results[i] = outcome{err: err}
				return
			}
			defer release()
			recs, warns, err := set.Records.Read(fsys, rf.path, rf.kind)
			results[i] = outcome{items: &Items{Warnings: warns}, records: recs, err: err, format: "record"}
			return
		}
		if i >= len(jobs) {
			f := tagFiles[i-len(jobs)]
			defer func() {
				if p := recover(); p != nil {
					results[i] = outcome{err: input.Errorf(input.Pos{File: f}, "test tag scanner failed: %v", p).
						WithHint("this is a bug in tracegate; please report it with the file")}
				}
			}()
			release, err := reserve(fsys, f, input.TreeFactor)
			if err != nil {
				results[i] = outcome{err: err}
				return
			}
			defer release()
			tags, warns, err := set.Tags.Scan(fsys, f, requirementIDs)
			results[i] = outcome{items: &Items{Warnings: warns}, tags: tags, err: err, format: "tags"}
			return
		}
		results[i] = readOne(fsys, set, jobs[i], keep)
	}
	// Everything but the test reports first: which test cases matter
	// depends on the requirements and tags.
	var first, reports []int
	for i := range results {
		if i < len(jobs) && jobs[i].kind == Tests {
			reports = append(reports, i)
		} else {
			first = append(first, i)
		}
	}
	parallel(len(first), func(k int) { run(first[k]) })
	if keep == nil {
		var reqs []model.Requirement
		var tags []model.TestTag
		for i, r := range results {
			switch {
			case r.err != nil || r.items == nil:
			case i < len(jobs):
				reqs = append(reqs, r.items.Requirements...)
			case i < len(jobs)+len(tagFiles):
				tags = append(tags, r.tags...)
			}
		}
		keep = Keeper(requirementIDs, reqs, tags)
	}
	parallel(len(reports), func(k int) { run(reports[k]) })

	errs = append(errs, elsewhere(dhf, jobs, results, seen)...)
	for i, r := range results {
		if r.err != nil {
			if es, ok := r.err.(input.Errors); ok {
				errs = append(errs, es...)
			} else if e, ok := input.AsError(r.err); ok {
				errs = append(errs, e)
			} else {
				var p string
				switch {
				case i < len(jobs):
					p = jobs[i].path
				case i < len(jobs)+len(tagFiles):
					p = tagFiles[i-len(jobs)]
				default:
					p = recFiles[i-len(jobs)-len(tagFiles)].path
				}
				errs = append(errs, &input.Error{Pos: input.Pos{File: p}, Msg: r.err.Error(), Err: r.err})
			}
			continue
		}
		if r.items == nil {
			continue
		}
		dhf.Warnings = append(dhf.Warnings, r.items.Warnings...)
		if i >= len(jobs)+len(tagFiles) {
			rf := recFiles[i-len(jobs)-len(tagFiles)]
			dhf.Records = append(dhf.Records, r.records...)
			dhf.Files = append(dhf.Files, model.InputFile{Path: rf.path, Kind: rf.kind, Format: "tracegate", Items: len(r.records)})
			continue
		}
		if i >= len(jobs) {
			dhf.Tags = append(dhf.Tags, r.tags...)
			if len(r.tags) > 0 {
				dhf.Files = append(dhf.Files, model.InputFile{Path: tagFiles[i-len(jobs)], Kind: "test-sources", Format: "tags", Items: len(r.tags)})
			}
			continue
		}
		if r.format == "" { // auto: nothing recognised the file
			continue
		}
		if r.items.Count() == 0 && len(r.items.Elsewhere) > 0 {
			continue // its item is another kind's, recorded under that kind (elsewhere)
		}
		dhf.Requirements = append(dhf.Requirements, r.items.Requirements...)
		dhf.Hazards = append(dhf.Hazards, r.items.Hazards...)
		dhf.RiskControls = append(dhf.RiskControls, r.items.RiskControls...)
		dhf.Tests = append(dhf.Tests, r.items.Tests...)
		dhf.TestDefinitions = append(dhf.TestDefinitions, r.items.TestDefinitions...)
		dhf.Unkept.Merge(r.items.Unkept)
		dhf.Classes = append(dhf.Classes, r.items.Classes...)
		dhf.RiskMatrices = append(dhf.RiskMatrices, r.items.RiskMatrices...)
		dhf.Files = append(dhf.Files, model.InputFile{Path: jobs[i].path, Kind: string(jobs[i].kind), Format: r.format, Items: r.items.Count()})
	}
	dhf.Evidence = map[string]bool{}
	for _, r := range dhf.Requirements {
		for _, e := range r.Evidence {
			if _, done := dhf.Evidence[e]; !done {
				st, err := fs.Stat(fsys, path.Clean(e))
				dhf.Evidence[e] = err == nil && st.Mode().IsRegular()
			}
		}
	}
	return dhf, errs.Err()
}

// elsewhere reports the items of another kind the files held (Items.
// Elsewhere) that no source of that kind matched: they would be read by no
// reader. An item the gate judges is an error, naming the policy line to
// add; one nothing reads is a warning.
func elsewhere(dhf *model.DHF, jobs []job, results []outcome, seen map[string]bool) input.Errors {
	var errs input.Errors
	for i, j := range jobs {
		r := results[i]
		if r.err != nil || r.items == nil {
			continue
		}
		for _, e := range r.items.Elsewhere {
			if seen[string(e.Kind)+"\x00"+j.path] {
				continue // a source of its kind reads it
			}
			if !e.Required {
				dhf.Warnings = append(dhf.Warnings, input.Warnf(e.Pos, "%s is matched by %s and by no %s source; not read (it is no evidence the gates judge)", e.What, j.key, e.Kind))
				continue
			}
			errs = append(errs, input.Errorf(e.Pos, "%s is matched by %s and by no %s source: it would not be read, and the gate would not judge it", e.What, j.key, e.Kind).
				WithHint(fmt.Sprintf("add a %s source that matches the file (%s: - path: %q, format: %s), or leave the file out of %s (exclude:)", e.Kind, e.Kind, j.path, e.Format, j.key)))
		}
	}
	return errs
}

func readOne(fsys fs.FS, set Set, j job, keep Keep) outcome {
	r := set.reader(j.kind, j.format)
	if j.format == "auto" && !j.table.IsZero() && IsMarkdown(j.path) {
		// A column mapping says the file is a table whose headers the
		// defaults may not know: detection by them would miss it.
		r = set.reader(j.kind, config.FormatMarkdownTable)
	}
	if j.format == "auto" && r == nil {
		// Detection reads the head only; the reader it picks applies its
		// own size limit (a test report may be far larger than a YAML file).
		f, err := input.Open(fsys, j.path, math.MaxInt64)
		if err != nil {
			return outcome{err: err}
		}
		head := f.Head
		f.Close()
		for _, cand := range set.Readers {
			if cand.Kind() == j.kind && cand.Detect(fsys, j.path, head) {
				r = cand
				break
			}
		}
		if r == nil && j.kind == Tests {
			if f, ok := foreignConvention(j.path, head); ok {
				return foreignOutcome(j, f)
			}
		}
		if r == nil {
			// The policy says the file is a requirement, risk or test
			// file: one that no reader recognises is evidence that could
			// not be read (a report with a failing test in it, a class C
			// requirement), never a file to skip.
			return outcome{err: notRecognised(j, head, set.Formats(j.kind))}
		}
	}
	if _, ok := r.(TableReader); !ok && !j.table.IsZero() {
		// The mapping would be ignored: the file is read as another format.
		return outcome{err: input.Errorf(input.Pos{File: j.path}, "%s names columns for a Markdown table, and the file is read as %s", j.key, r.Format()).
			WithHint("set format: " + config.FormatMarkdownTable + " for this source, or leave its columns: and id_prefixes: out")}
	}
	release, err := reserve(fsys, j.path, memoryFactor(r))
	if err != nil {
		return outcome{err: err}
	}
	defer release()
	items, err := safeRead(r, fsys, j.path, keep, j.table)
	if err != nil {
		return outcome{err: err}
	}
	return outcome{items: items, format: r.Format()}
}

// reserve takes what reading the file at path may take from the process's
// read budget (input.Reserve): its size times factor. A file that cannot
// be stat'ed reserves nothing: reading it fails and says why.
func reserve(fsys fs.FS, path string, factor int64) (func(), error) {
	st, err := fs.Stat(fsys, path)
	if err != nil {
		return func() {}, nil
	}
	return input.Reserve(path, st.Size(), st.Size()*factor)
}

// safeRead turns a reader panic into an error naming the file: a bug in a
// reader must fail the evaluation, not crash the App or pass the gate.
func safeRead(r Reader, fsys fs.FS, path string, keep Keep, t config.Table) (items *Items, err error) {
	defer func() {
		if p := recover(); p != nil {
			items, err = nil, input.Errorf(input.Pos{File: path}, "%s reader failed: %v", r.Format(), p).
				WithHint("this is a bug in tracegate; please report it with the file")
		}
	}()
	if sr, ok := r.(Streamer); ok && keep != nil {
		items, err = sr.ReadCases(fsys, path, keep)
	} else if tr, ok := r.(TableReader); ok {
		items, err = tr.ReadTable(fsys, path, t)
	} else {
		items, err = r.Read(fsys, path)
	}
	if err == nil && items == nil {
		items = &Items{}
	}
	return items, err
}

// parallel runs f(0..n-1) on up to GOMAXPROCS goroutines.
func parallel(n int, f func(int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// notRecognised is the error for a file a policy glob matched that no
// reader of its kind recognises, saying how it starts.
func notRecognised(j job, head []byte, formats []string) *input.Error {
	what := "it is empty"
	if t := bytes.TrimSpace(head); len(t) > 0 {
		line, _, _ := bytes.Cut(t, []byte("\n"))
		if len(line) > 60 {
			line = append(line[:60:60], "…"...)
		}
		what = fmt.Sprintf("it starts with %q", line)
	}
	return input.Errorf(input.Pos{File: j.path}, "matched by %s but not recognised as any %s format (%s): %s",
		j.key, j.kind, strings.Join(formats, ", "), what).
		WithHint("set format: for this path in the policy to read it as one format and see what does not fit it, or leave the file out (exclude: in the policy, or a narrower --tests glob)")
}
